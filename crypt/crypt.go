// Package crypt is the envelope encryption of personal fields: each scope (an
// inspection, or the system's own secrets) has a random 256-bit data key,
// stored only wrapped by the master key; fields are sealed with AES-256-GCM
// under a key derived from the data key, and exact look-ups go through a
// keyed blind index (HMAC-SHA256) derived from the same data key, so that
// destroying the data key erases both the data and its index.
//
// This package never writes a key or a plaintext anywhere: storing the
// wrapped keys and the sealed bytes is the store's job.
package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeySize is the size of master and data keys in bytes.
const KeySize = 32

const sealVersion = 1

// ErrDecrypt is returned when sealed bytes cannot be opened: a wrong key, a
// destroyed key, or bytes that were changed.
var ErrDecrypt = errors.New("cannot decrypt: wrong key or data changed")

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// derive returns HMAC-SHA256(key, label): a subkey for one purpose.
func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

func seal(aead cipher.AEAD, plaintext, aad []byte) []byte {
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		panic("crypt: no randomness: " + err.Error()) // the OS is broken; nothing safe to do
	}
	return aead.Seal(out, out[1:1+aead.NonceSize()], plaintext, aad)
}

func open(aead cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	n := aead.NonceSize()
	if len(sealed) < 1+n+aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrDecrypt
	}
	pt, err := aead.Open(nil, sealed[1:1+n], sealed[1+n:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// DataKey seals and opens the personal fields of one scope.
type DataKey struct {
	aead     cipher.AEAD
	indexKey []byte
}

// NewDataKeyBytes returns a fresh random data key.
func NewDataKeyBytes() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("crypt: no randomness: " + err.Error())
	}
	return k
}

// NewDataKey makes a DataKey from raw key bytes.
func NewDataKey(raw []byte) (*DataKey, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("data key is %d bytes, want %d", len(raw), KeySize)
	}
	aead, err := newGCM(derive(raw, "jtai field encryption v1"))
	if err != nil {
		return nil, err
	}
	return &DataKey{aead: aead, indexKey: derive(raw, "jtai blind index v1")}, nil
}

// Seal encrypts plaintext. aad binds the ciphertext to where it is stored
// (for example "child/41"), so sealed bytes moved to another row fail to open.
func (k *DataKey) Seal(plaintext, aad []byte) []byte { return seal(k.aead, plaintext, aad) }

// Open decrypts what Seal returned, with the same aad.
func (k *DataKey) Open(sealed, aad []byte) ([]byte, error) { return open(k.aead, sealed, aad) }

// Subkey derives a key for one purpose from the data key, such as the
// keyed hash chain of the access log.
func (k *DataKey) Subkey(label string) []byte { return derive(k.indexKey, label) }

// BlindIndex returns a keyed hash of value for exact look-ups. kind separates
// the indexes of different fields, so equal values in two fields do not match.
func (k *DataKey) BlindIndex(kind, value string) string {
	m := hmac.New(sha256.New, k.indexKey)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
