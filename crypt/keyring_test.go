package crypt

import (
	"context"
	"testing"
)

func TestKeyring(t *testing.T) {
	k, err := NewDataKey(NewDataKeyBytes())
	if err != nil {
		t.Fatal(err)
	}
	if r := KeyringFrom(context.Background()); r != nil {
		t.Fatalf("a bare context carries a keyring: %v", r)
	}
	var none *Keyring
	none.Put("inspection/1", k)
	if _, ok := none.Get("inspection/1"); ok {
		t.Error("a nil keyring kept a key")
	}

	ctx := WithKeyring(context.Background())
	r := KeyringFrom(ctx)
	if _, ok := r.Get("inspection/1"); ok {
		t.Error("a new keyring holds a key")
	}
	r.Put("inspection/1", k)
	if got, ok := KeyringFrom(ctx).Get("inspection/1"); !ok || got != k {
		t.Errorf("Get after Put: %v %v", got, ok)
	}
	if _, ok := KeyringFrom(WithKeyring(ctx)).Get("inspection/1"); ok {
		t.Error("a second request's keyring sees the first's keys")
	}
	r.Forget("inspection/1")
	if _, ok := r.Get("inspection/1"); ok {
		t.Error("Get after Forget still finds the key")
	}
}
