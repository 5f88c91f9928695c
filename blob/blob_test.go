package blob_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"jtai"
	"jtai/blob"
)

var ctx = context.Background()

// each runs fn against every implementation: a local directory, and S3
// through a real client against an S3-compatible server in this process.
func each(t *testing.T, fn func(t *testing.T, s blob.Store)) {
	t.Run("local", func(t *testing.T) {
		l, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		fn(t, l)
	})
	t.Run("s3", func(t *testing.T) {
		fn(t, openS3(t))
	})
}

func openS3(t *testing.T) *blob.S3 {
	ts := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(ts.Close)
	cfg, err := blob.ParseS3URL("s3://key:secret@" + strings.TrimPrefix(ts.URL, "http://") + "/jtai-documents/test?insecure=1&region=eu-west-2")
	if err != nil {
		t.Fatal(err)
	}
	s, err := blob.OpenS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func read(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	r, err := s.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPutGetDelete(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store) {
		big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB, streamed
		if err := s.Put(ctx, "inspection/1/documents/a", bytes.NewReader(big)); err != nil {
			t.Fatal(err)
		}
		if got := read(t, s, "inspection/1/documents/a"); !bytes.Equal(got, big) {
			t.Fatalf("read back %d bytes, want %d", len(got), len(big))
		}
		if err := s.Put(ctx, "inspection/1/documents/a", strings.NewReader("replaced")); err != nil {
			t.Fatal(err)
		}
		if got := read(t, s, "inspection/1/documents/a"); string(got) != "replaced" {
			t.Fatalf("after replace: %q", got)
		}
		if err := s.Delete(ctx, "inspection/1/documents/a"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, "inspection/1/documents/a"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Fatalf("get after delete: %v, want not found", err)
		}
		if err := s.Delete(ctx, "inspection/1/documents/a"); err != nil {
			t.Fatalf("deleting a missing blob: %v", err)
		}
	})
}

func TestKeysCannotEscape(t *testing.T) {
	each(t, func(t *testing.T, s blob.Store) {
		for _, key := range []string{"", "../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "a/..", ".hidden", `a\b`, "A", "a b"} {
			if err := s.Put(ctx, key, strings.NewReader("x")); !jtai.IsKind(err, jtai.EINVALID) {
				t.Errorf("Put(%q) = %v, want EINVALID", key, err)
			}
			if _, err := s.Get(ctx, key); !jtai.IsKind(err, jtai.EINVALID) {
				t.Errorf("Get(%q) = %v, want EINVALID", key, err)
			}
		}
	})
}

func TestLocalFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "documents")
	l, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Put(ctx, "inspection/2/documents/b", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
}
