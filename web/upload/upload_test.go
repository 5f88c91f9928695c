package upload

import (
	"bytes"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"testing"
)

func request(t *testing.T, fields map[string]string, files map[string][]byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(content)
	}
	mw.Close()
	r, _ := http.NewRequest("POST", "/", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// content is a file whose every 64-byte line names a child: plaintext
// that must never be found on disk.
func content(n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString("Child Unique ID PLAINTEXT-MARKER,Female,WBRI,28/02/2021,4,6\n")
	}
	return b.Bytes()[:n]
}

func TestReadSealsWhatItSpools(t *testing.T) {
	dir := t.TempDir()
	small, large := content(1000), content(3*chunk+517)
	r := request(t, map[string]string{"csrf_token": "abc"}, map[string][]byte{"small.csv": small, "large.csv": large})
	f, err := Read(r, dir, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Value["csrf_token"]; len(got) != 1 || got[0] != "abc" {
		t.Errorf("values: %v", f.Value)
	}
	byName := map[string]*File{}
	for _, file := range f.File["files"] {
		byName[file.Filename] = file
	}
	if spooled := func(name string) bool { return byName[name].spool != nil }; spooled("small.csv") || !spooled("large.csv") {
		t.Fatalf("small spooled %v, large spooled %v; want only the large", spooled("small.csv"), spooled("large.csv"))
	}
	// Nothing has a name in the spool directory, even while the form is open.
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the spool directory holds %d files while the upload is open", len(left))
	}
	// What is written is sealed: the plaintext is nowhere in it.
	spooled := byName["large.csv"]
	raw, err := io.ReadAll(io.NewSectionReader(spooled.spool, 0, 1<<30))
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < len(large) || bytes.Contains(raw, []byte("PLAINTEXT-MARKER")) {
		t.Errorf("the spool file (%d bytes) holds the plaintext", len(raw))
	}
	for name, want := range map[string][]byte{"small.csv": small, "large.csv": large} {
		file := byName[name]
		if file.Size != int64(len(want)) {
			t.Errorf("%s: size %d, want %d", name, file.Size, len(want))
		}
		got, err := io.ReadAll(file.Open())
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s read back: %d bytes, %v", name, len(got), err)
		}
		// Reads at any offset, as a zip reader makes them.
		rd := file.Open()
		rng := rand.New(rand.NewPCG(1, 2))
		for range 200 {
			off := rng.Int64N(int64(len(want)))
			n := rng.IntN(3 * chunk)
			buf := make([]byte, n)
			got, err := rd.ReadAt(buf, off)
			wantN := min(n, len(want)-int(off))
			if got != wantN || !bytes.Equal(buf[:got], want[off:off+int64(wantN)]) || (got < n && err != io.EOF) {
				t.Fatalf("%s ReadAt(%d bytes at %d): %d, %v", name, n, off, got, err)
			}
		}
	}
	if err := f.RemoveAll(); err != nil {
		t.Fatal(err)
	}
	if spooled.spool != nil {
		t.Error("the spool file is still open after RemoveAll")
	}
}

func TestReadRefusesTooManyValues(t *testing.T) {
	r := request(t, map[string]string{"reason": string(content(maxValueBytes + 1))}, nil)
	if _, err := Read(r, t.TempDir(), 1024); err != ErrTooLarge {
		t.Errorf("a value over the bound: %v", err)
	}
}

// A body cut short (a client gone, or past the caller's bound) removes
// what was spooled.
func TestReadCutShort(t *testing.T) {
	dir := t.TempDir()
	r := request(t, nil, map[string][]byte{"large.csv": content(5 * chunk)})
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body[:len(body)/2]))
	if _, err := Read(r, dir, 1024); err == nil {
		t.Fatal("a body cut short was read")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files left after a failed upload", len(left))
	}
}
