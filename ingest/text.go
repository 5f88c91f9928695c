package ingest

import (
	"bufio"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is a text file's character encoding as NewTextReader found it.
type Encoding string

// The encodings read. Excel on Windows saves "CSV (Comma delimited)" in
// Windows-1252, "CSV UTF-8" with a byte-order mark, and "Unicode Text" in
// UTF-16 with one.
const (
	UTF8        Encoding = "UTF-8"
	UTF8BOM     Encoding = "UTF-8 with BOM"
	UTF16LE     Encoding = "UTF-16LE"
	UTF16BE     Encoding = "UTF-16BE"
	Windows1252 Encoding = "Windows-1252"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sniffSize is how much of a text file is looked at to tell its encoding.
const sniffSize = 64 << 10

// NewTextReader returns a reader of r's text as UTF-8 and the encoding it
// found. A byte-order mark says UTF-8 or UTF-16; otherwise text that is not
// valid UTF-8 in its first 64 KiB is read as Windows-1252. A file that turns
// out not to be UTF-8 further on is read as Windows-1252 from that point.
func NewTextReader(r io.Reader) (io.Reader, Encoding) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize)
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		br.Discard(3)
		return &textDecoder{r: br}, UTF8BOM
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		br.Discard(2)
		return &textDecoder{r: br, enc: UTF16LE}, UTF16LE
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		br.Discard(2)
		return &textDecoder{r: br, enc: UTF16BE}, UTF16BE
	}
	if !validUTF8Prefix(head) {
		return &textDecoder{r: br, enc: Windows1252}, Windows1252
	}
	return &textDecoder{r: br}, UTF8
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing it to end in
// the middle of a character (the peek may cut one).
func validUTF8Prefix(b []byte) bool {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				b = b[:len(b)-i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// textDecoder turns its input into UTF-8. In UTF-8 mode (enc empty) it
// passes valid text through and switches to Windows-1252 at the first byte
// that is not UTF-8.
type textDecoder struct {
	r       *bufio.Reader
	enc     Encoding
	pending []byte
}

func (d *textDecoder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(d.pending) < len(p) {
		r, err := d.next()
		if err != nil {
			if len(d.pending) == 0 {
				return 0, err
			}
			break
		}
		d.pending = utf8.AppendRune(d.pending, r)
	}
	n := copy(p, d.pending)
	d.pending = d.pending[:copy(d.pending, d.pending[n:])]
	return n, nil
}

func (d *textDecoder) next() (rune, error) {
	switch d.enc {
	case Windows1252:
		b, err := d.r.ReadByte()
		if err != nil {
			return 0, err
		}
		return cp1252(b), nil
	case UTF16LE, UTF16BE:
		u, err := d.unit()
		if err != nil {
			return 0, err
		}
		if utf16.IsSurrogate(rune(u)) {
			u2, err := d.unit()
			if err != nil {
				return utf8.RuneError, nil
			}
			return utf16.DecodeRune(rune(u), rune(u2)), nil
		}
		return rune(u), nil
	}
	r, size, err := d.r.ReadRune()
	if err != nil {
		return 0, err
	}
	if r == utf8.RuneError && size == 1 {
		d.r.UnreadRune()
		d.enc = Windows1252
		return d.next()
	}
	return r, nil
}

func (d *textDecoder) unit() (uint16, error) {
	a, err := d.r.ReadByte()
	if err != nil {
		return 0, err
	}
	b, err := d.r.ReadByte()
	if err != nil {
		return 0, io.ErrUnexpectedEOF
	}
	if d.enc == UTF16LE {
		return uint16(a) | uint16(b)<<8, nil
	}
	return uint16(a)<<8 | uint16(b), nil
}

// cp1252High maps the bytes 0x80..0x9F of Windows-1252, where it differs
// from Latin-1; the five unassigned bytes map to the C1 controls.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

func cp1252(b byte) rune {
	if b >= 0x80 && b <= 0x9F {
		return cp1252High[b-0x80]
	}
	return rune(b)
}
