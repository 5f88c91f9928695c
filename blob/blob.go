// Package blob stores documents' bytes by key: in a local directory by
// default, or in S3-compatible object storage when jtai runs on several
// servers. It stores whatever it is given and never looks inside: callers
// seal personal content before it reaches a Store.
package blob

import (
	"context"
	"io"
	"regexp"
	"strings"

	"jtai"
)

// Store keeps blobs by key. Keys are slash-separated paths of lower-case
// letters, digits, dots, dashes and underscores, such as
// "inspection/12/documents/3f2a"; anything else is refused.
type Store interface {
	// Put writes the blob of key from r, replacing any blob of that key.
	Put(ctx context.Context, key string, r io.Reader) error
	// Get opens the blob of key; ENOTFOUND when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob of key; removing a missing blob is no error.
	Delete(ctx context.Context, key string) error
}

var segment = regexp.MustCompile(`^[a-z0-9_-][a-z0-9._-]*$`)

// CheckKey reports whether key is a valid key: no empty, dot-only or
// hidden segment, nothing that could climb out of a directory.
func CheckKey(key string) error {
	if key == "" || len(key) > 512 {
		return jtai.Errorf(jtai.EINVALID, "blob key %q is not valid", key)
	}
	for _, s := range strings.Split(key, "/") {
		if !segment.MatchString(s) || strings.Trim(s, ".") == "" {
			return jtai.Errorf(jtai.EINVALID, "blob key %q is not valid", key)
		}
	}
	return nil
}

func notFound(key string) error {
	return jtai.Errorf(jtai.ENOTFOUND, "The stored file %s was not found", key)
}
