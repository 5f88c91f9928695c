package crypt

import (
	"context"
	"sync"
)

// Keyring keeps the data keys unwrapped while one request is served, so
// that a page opening several sealed records reads and unwraps each key
// once. It lives only in the request's context. (The store's read cache
// may keep a key from one request to the next, but only until the next
// write, such as an erasure, by any server, and for half a minute at most.)
type Keyring struct {
	mu   sync.Mutex
	keys map[string]*DataKey
}

type keyringKey struct{}

// WithKeyring returns a context that carries a new, empty keyring.
func WithKeyring(ctx context.Context) context.Context {
	return context.WithValue(ctx, keyringKey{}, &Keyring{keys: map[string]*DataKey{}})
}

// KeyringFrom returns the keyring ctx carries, or nil. A nil keyring keeps
// nothing.
func KeyringFrom(ctx context.Context) *Keyring {
	r, _ := ctx.Value(keyringKey{}).(*Keyring)
	return r
}

// Get returns the key of scope if the keyring holds it.
func (r *Keyring) Get(scope string) (*DataKey, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	k, ok := r.keys[scope]
	return k, ok
}

// Put keeps the key of scope.
func (r *Keyring) Put(scope string, k *DataKey) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys[scope] = k
}

// Forget drops the key of scope, as when the key is erased.
func (r *Keyring) Forget(scope string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.keys, scope)
}
