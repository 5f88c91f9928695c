package crypt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k, err := NewDataKey(NewDataKeyBytes())
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("Amari Quillfeather 2019-03-04")
	s := k.Seal(pt, []byte("child/1"))
	if bytes.Contains(s, pt) {
		t.Fatal("sealed bytes contain the plaintext")
	}
	got, err := k.Open(s, []byte("child/1"))
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := k.Open(s, []byte("child/2")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open with other aad: err = %v, want ErrDecrypt", err)
	}
	s[len(s)-1] ^= 1
	if _, err := k.Open(s, []byte("child/1")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open of changed bytes: err = %v, want ErrDecrypt", err)
	}
	other, _ := NewDataKey(NewDataKeyBytes())
	if _, err := other.Open(k.Seal(pt, nil), nil); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open with another key: err = %v, want ErrDecrypt", err)
	}
}

func TestBlindIndex(t *testing.T) {
	raw := NewDataKeyBytes()
	k1, _ := NewDataKey(raw)
	k2, _ := NewDataKey(raw)
	other, _ := NewDataKey(NewDataKeyBytes())
	if k1.BlindIndex("la_child_id", "SYN000001") != k2.BlindIndex("la_child_id", "SYN000001") {
		t.Error("same key and value give different indexes")
	}
	if k1.BlindIndex("la_child_id", "SYN000001") == k1.BlindIndex("la_child_id", "SYN000002") {
		t.Error("different values give the same index")
	}
	if k1.BlindIndex("la_child_id", "X") == k1.BlindIndex("upn", "X") {
		t.Error("different kinds give the same index")
	}
	if k1.BlindIndex("la_child_id", "X") == other.BlindIndex("la_child_id", "X") {
		t.Error("different keys give the same index")
	}
	if strings.Contains(k1.BlindIndex("la_child_id", "SYN000001"), "SYN") {
		t.Error("index contains the value")
	}
}

func TestWrapUnwrap(t *testing.T) {
	m1, _ := NewMasterKey(NewDataKeyBytes())
	m2, _ := NewMasterKey(NewDataKeyBytes())
	dk := NewDataKeyBytes()
	w := m1.Wrap(dk, "inspection/1")
	got, err := m1.Unwrap(w, "inspection/1")
	if err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("Unwrap = %x, %v", got, err)
	}
	if _, err := m1.Unwrap(w, "inspection/2"); err == nil {
		t.Error("unwrapped for another scope")
	}
	if _, err := m2.Unwrap(w, "inspection/1"); err == nil {
		t.Error("unwrapped with another master key")
	}
	if m1.ID() == m2.ID() || len(m1.ID()) != 16 {
		t.Errorf("IDs %q %q", m1.ID(), m2.ID())
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.key")
	m, err := GenerateKeyFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateKeyFile(good); err == nil {
		t.Error("GenerateKeyFile overwrote an existing file")
	}
	loaded, err := LoadKeyFile(good)
	if err != nil || loaded.ID() != m.ID() {
		t.Fatalf("LoadKeyFile = %v, %v", loaded, err)
	}
	write := func(name string, b []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.key"), "does not exist"},
		{"world readable", write("open.key", bytes.Repeat([]byte("a"), 64), 0o644), "chmod 600"},
		{"too short", write("short.key", []byte("abcd\n"), 0o600), "holds 5 bytes"},
		{"directory", dir, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadKeyFile(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	raw := write("raw.key", NewDataKeyBytes(), 0o400)
	if _, err := LoadKeyFile(raw); err != nil {
		t.Errorf("32 raw bytes: %v", err)
	}
}

func BenchmarkSealOpen40(b *testing.B) {
	k, _ := NewDataKey(NewDataKeyBytes())
	pt := bytes.Repeat([]byte("x"), 40)
	aad := []byte("child/1")
	b.ReportAllocs()
	for b.Loop() {
		s := k.Seal(pt, aad)
		if _, err := k.Open(s, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k, _ := NewDataKey(NewDataKeyBytes())
	b.ReportAllocs()
	for b.Loop() {
		k.BlindIndex("la_child_id", "SYN000123")
	}
}
