package crypt

import (
	"bytes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// MasterKey wraps and unwraps data keys. It is read from a key file and is
// never stored in the database; only its ID is.
type MasterKey struct {
	id   string
	aead cipher.AEAD
}

// NewMasterKey makes a master key from 32 raw bytes.
func NewMasterKey(raw []byte) (*MasterKey, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("master key is %d bytes, want %d", len(raw), KeySize)
	}
	aead, err := newGCM(derive(raw, "jtai key wrapping v1"))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(derive(raw, "jtai key id v1"))
	return &MasterKey{id: hex.EncodeToString(sum[:8]), aead: aead}, nil
}

// ID names the key without revealing it; the store records which master key
// wrapped each data key.
func (m *MasterKey) ID() string { return m.id }

// Wrap encrypts a data key for scope.
func (m *MasterKey) Wrap(dataKey []byte, scope string) []byte {
	return seal(m.aead, dataKey, []byte("jtai data key:"+scope))
}

// Unwrap decrypts a data key wrapped for scope.
func (m *MasterKey) Unwrap(wrapped []byte, scope string) ([]byte, error) {
	k, err := open(m.aead, wrapped, []byte("jtai data key:"+scope))
	if err != nil {
		return nil, fmt.Errorf("unwrap data key for %s: %w", scope, err)
	}
	return k, nil
}

// KeyFileError is a key file that cannot be used, with the reason in plain
// English.
type KeyFileError struct {
	Path   string
	Reason string
}

func (e *KeyFileError) Error() string { return fmt.Sprintf("key file %s: %s", e.Path, e.Reason) }

// LoadKeyFile reads a master key from path. The file holds the key as 64
// hexadecimal characters (what GenerateKeyFile writes), as base64, or as 32
// raw bytes. It must not be readable by group or others.
func LoadKeyFile(path string) (*MasterKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &KeyFileError{path, "does not exist"}
		}
		return nil, &KeyFileError{path, err.Error()}
	}
	if info.IsDir() {
		return nil, &KeyFileError{path, "is a directory, not a key file"}
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, &KeyFileError{path, fmt.Sprintf("can be read by other users (mode %04o); make it private with: chmod 600 %s", perm, path)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &KeyFileError{path, err.Error()}
	}
	raw, err := decodeKey(b)
	if err != nil {
		return nil, &KeyFileError{path, err.Error()}
	}
	return NewMasterKey(raw)
}

func decodeKey(b []byte) ([]byte, error) {
	if len(b) == KeySize && !isText(b) {
		return b, nil
	}
	s := bytes.TrimSpace(b)
	if raw, err := hex.DecodeString(string(s)); err == nil && len(raw) == KeySize {
		return raw, nil
	}
	if raw, err := base64.StdEncoding.DecodeString(string(s)); err == nil && len(raw) == KeySize {
		return raw, nil
	}
	return nil, fmt.Errorf("holds %d bytes, which is not a key: a jtai key is 32 bytes, written as 64 hexadecimal characters (make one with: jtai key generate FILE)", len(b))
}

func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// GenerateKeyFile writes a new random master key to path, readable by its
// owner only. It never overwrites an existing file.
func GenerateKeyFile(path string) (*MasterKey, error) {
	raw := NewDataKeyBytes()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write key file: %w", err)
	}
	return NewMasterKey(raw)
}
