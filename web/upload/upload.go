// Package upload reads a multipart/form-data upload without ever leaving a
// file's plaintext on disk. Small files stay in memory; a file past the
// memory budget streams into a spool file sealed under a key that exists
// only in this process's memory for this upload (AES-256-GCM, in chunks,
// so that it can be read at any offset, as a workbook's zip must be).
// Where the system allows, the spool file's name is removed the moment it
// is made: nothing is left in the directory whatever happens next, a crash
// included, and what was written is unreadable without the key.
//
// The standard library's ParseMultipartForm writes such files in the
// clear to the system's temporary directory, and removes them only when
// the request it parsed is the server's own: a copy made for a context
// leaves them behind.
package upload

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
)

// chunk is how much plaintext each sealed chunk holds.
const chunk = 64 << 10

// maxValueBytes bounds the form's values (all but the files) together.
const maxValueBytes = 1 << 20

// Form is an upload as read: its values and its files.
type Form struct {
	Value map[string][]string
	File  map[string][]*File
}

// File is one uploaded file.
type File struct {
	Filename string
	Size     int64

	mem   []byte   // the content, when it fits the memory budget
	spool *os.File // else the sealed chunks
	aead  cipher.AEAD
	named string // the spool file's name while it has one
}

// ErrTooLarge is a form whose values exceed their bound.
var ErrTooLarge = errors.New("upload: the form's values are too large")

// Read reads r's multipart body: values up to 1 MiB in all, files held in
// memory up to memBytes in all, and past that sealed into spool files in
// dir (the system's temporary directory when empty). The caller bounds
// the body (http.MaxBytesReader) and must call RemoveAll when done, on
// every path; on an error Read has removed what it made.
func Read(r *http.Request, dir string, memBytes int64) (*Form, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	f := &Form{Value: map[string][]string{}, File: map[string][]*File{}}
	values, inMemory := int64(0), int64(0)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			f.RemoveAll()
			return nil, err
		}
		name := p.FormName()
		if name == "" {
			p.Close()
			continue
		}
		if p.FileName() == "" {
			var b bytes.Buffer
			n, err := io.Copy(&b, io.LimitReader(p, maxValueBytes-values+1))
			p.Close()
			if err != nil {
				f.RemoveAll()
				return nil, err
			}
			if values += n; values > maxValueBytes {
				f.RemoveAll()
				return nil, ErrTooLarge
			}
			f.Value[name] = append(f.Value[name], b.String())
			continue
		}
		file, err := readFile(p, dir, memBytes-inMemory)
		p.Close()
		if err != nil {
			f.RemoveAll()
			return nil, err
		}
		if file.mem != nil {
			inMemory += file.Size
		}
		f.File[name] = append(f.File[name], file)
	}
}

// readFile reads one file part: into memory while it fits budget, then
// sealed into a spool file.
func readFile(p *multipart.Part, dir string, budget int64) (*File, error) {
	file := &File{Filename: p.FileName()}
	var head bytes.Buffer
	n, err := io.Copy(&head, io.LimitReader(p, max(budget, 0)+1))
	if err != nil {
		return nil, err
	}
	if n <= budget {
		file.mem, file.Size = head.Bytes(), n
		if file.mem == nil {
			file.mem = []byte{}
		}
		return file, nil
	}
	if err := file.openSpool(dir); err != nil {
		return nil, err
	}
	w := &sealer{f: file}
	_, err = io.Copy(w, io.MultiReader(&head, p))
	if err == nil {
		err = w.flush()
	}
	if err != nil {
		file.remove()
		return nil, err
	}
	file.Size = w.size
	return file, nil
}

func (f *File) openSpool(dir string) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	if f.aead, err = cipher.NewGCM(block); err != nil {
		return err
	}
	if f.spool, err = os.CreateTemp(dir, "jtai-upload-*"); err != nil {
		return fmt.Errorf("upload: spool: %w", err)
	}
	f.named = f.spool.Name()
	// Unnamed from now on where the system allows it: the file goes when
	// it is closed, or when the process ends however it ends.
	if os.Remove(f.named) == nil {
		f.named = ""
	}
	return nil
}

// nonce is chunk i's: a key is never used for another file, so a counter
// is a safe nonce.
func nonce(i int64) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[4:], uint64(i))
	return n
}

// sealer writes a spool file's sealed chunks.
type sealer struct {
	f    *File
	buf  []byte
	idx  int64
	size int64
}

func (w *sealer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		take := min(chunk-len(w.buf), len(p))
		w.buf = append(w.buf, p[:take]...)
		p = p[take:]
		if len(w.buf) == chunk {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *sealer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	sealed := w.f.aead.Seal(nil, nonce(w.idx), w.buf, nil)
	if _, err := w.f.spool.Write(sealed); err != nil {
		return err
	}
	w.size += int64(len(w.buf))
	w.idx++
	w.buf = w.buf[:0]
	return nil
}

// Reader reads a file's content; it is an io.ReaderAt and io.Seeker too.
type Reader struct {
	f   *File
	off int64
	// the chunk read last, kept for reads in order
	idx   int64
	plain []byte
}

// Open returns a reader of the file's content.
func (f *File) Open() *Reader { return &Reader{f: f, idx: -1} }

// ReadAt reads len(p) bytes at off.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("upload: negative offset")
	}
	if r.f.mem != nil {
		if off >= int64(len(r.f.mem)) {
			return 0, io.EOF
		}
		n := copy(p, r.f.mem[off:])
		if n < len(p) {
			return n, io.EOF
		}
		return n, nil
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= r.f.Size {
			return n, io.EOF
		}
		if err := r.load(at / chunk); err != nil {
			return n, err
		}
		n += copy(p[n:], r.plain[at%chunk:])
	}
	return n, nil
}

// load opens chunk i into r.plain.
func (r *Reader) load(i int64) error {
	if r.idx == i {
		return nil
	}
	sealedSize := int64(chunk + r.f.aead.Overhead())
	size := min(r.f.Size-i*chunk, chunk) + int64(r.f.aead.Overhead())
	buf := make([]byte, size)
	if _, err := r.f.spool.ReadAt(buf, i*sealedSize); err != nil {
		return fmt.Errorf("upload: read spool: %w", err)
	}
	plain, err := r.f.aead.Open(buf[:0], nonce(i), buf, nil)
	if err != nil {
		return fmt.Errorf("upload: the spool file was changed: %w", err)
	}
	r.idx, r.plain = i, plain
	return nil
}

// Read reads on from where the last read or seek left off.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek moves where Read reads next.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.f.Size
	default:
		return 0, errors.New("upload: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("upload: negative position")
	}
	r.off = offset
	return offset, nil
}

// Close ends the reading; the file stays until RemoveAll.
func (r *Reader) Close() error { return nil }

func (f *File) remove() error {
	f.mem = nil
	if f.spool == nil {
		return nil
	}
	err := f.spool.Close()
	if f.named != "" {
		if rerr := os.Remove(f.named); rerr != nil && err == nil {
			err = rerr
		}
		f.named = ""
	}
	f.spool = nil
	return err
}

// RemoveAll drops every file of the form, in memory and spooled.
func (f *Form) RemoveAll() error {
	var first error
	for _, files := range f.File {
		for _, file := range files {
			if err := file.remove(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
