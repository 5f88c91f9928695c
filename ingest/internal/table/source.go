package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"

	"jtai/ingest"
	"jtai/ingest/xlsx"
)

// Workbook is an .xlsx workbook opened for streaming its sheets.
type Workbook struct {
	x        *xlsx.Workbook
	Date1904 bool
}

// OpenWorkbook checks that r holds an .xlsx workbook within the limits
// (ingest.CheckWorkbook) and opens it. A workbook that cannot be opened is
// a *ingest.RejectError.
func OpenWorkbook(r io.ReaderAt, size int64, src ingest.Source, lim ingest.Limits) (*Workbook, error) {
	x, err := xlsx.Open(r, size, src, lim)
	if err != nil {
		return nil, err
	}
	return &Workbook{x: x, Date1904: x.Date1904}, nil
}

// Sheets lists the workbook's sheet names in order.
func (w *Workbook) Sheets() []string { return w.x.Sheets() }

// Rows streams one sheet's rows with raw cell values: a date cell reads as
// its serial number, never as text formatted for some locale.
func (w *Workbook) Rows(sheet string) (*SheetRows, error) {
	s, err := w.x.OpenSheet(sheet)
	if err != nil {
		return nil, err
	}
	return &SheetRows{s: s}, nil
}

// Close releases the workbook.
func (w *Workbook) Close() error { return w.x.Close() }

// SheetRows is a sheet's Rows: every row from the first, the blank rows the
// file leaves out included, so that the calls count rows as Excel numbers
// them.
type SheetRows struct {
	s       *xlsx.Sheet
	row     []string
	n       int  // the number of the row returned last
	pending bool // the sheet's current row is yet to be returned
}

// Next moves to the next row.
func (s *SheetRows) Next() bool {
	if !s.pending {
		if !s.s.Next() {
			return false
		}
		s.pending = true
	}
	s.n++
	if s.n < s.s.Row() {
		s.row = s.row[:0]
		return true
	}
	s.pending = false
	cells := s.s.Cells()
	width := 0
	for _, c := range cells {
		width = max(width, c.Col+1)
	}
	if cap(s.row) < width {
		s.row = make([]string, width)
	}
	s.row = s.row[:width]
	clear(s.row)
	for _, c := range cells {
		s.row[c.Col] = c.Value
	}
	return true
}

// Row returns the current row's cells.
func (s *SheetRows) Row() []string { return s.row }

// Err returns the error that stopped the rows.
func (s *SheetRows) Err() error { return s.s.Err() }

// Close releases the sheet.
func (s *SheetRows) Close() error { return s.s.Close() }

// ErrTooLarge is returned by CSVRows when the file passes the size limit.
var ErrTooLarge = errors.New("file too large")

// CSVRows reads a CSV file's records as rows. It finds the encoding
// (ingest.NewTextReader) and the delimiter: a comma, or the semicolon or
// tab of some exports.
type CSVRows struct {
	r        *csv.Reader
	row      []string
	err      error
	Encoding ingest.Encoding
}

// NewCSVRows returns the rows of the CSV file r, refusing to read past
// lim.MaxFileSize bytes.
func NewCSVRows(r io.Reader, lim ingest.Limits) *CSVRows {
	lim = lim.OrDefault()
	text, enc := ingest.NewTextReader(LimitReader(r, lim.MaxFileSize))
	br := bufio.NewReaderSize(text, 64<<10)
	cr := csv.NewReader(br)
	cr.Comma = delimiter(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &CSVRows{r: cr, Encoding: enc}
}

func delimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(4096)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, n := ',', bytes.Count(head, []byte{','})
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(head, []byte{byte(d)}); c > n {
			best, n = d, c
		}
	}
	return best
}

// Next moves to the next record.
func (c *CSVRows) Next() bool {
	if c.err != nil {
		return false
	}
	c.row, c.err = c.r.Read()
	if errors.Is(c.err, io.EOF) {
		c.err = nil
		c.row = nil
		return false
	}
	var pe *csv.ParseError
	if errors.As(c.err, &pe) && !errors.Is(c.err, ErrTooLarge) {
		// A malformed record is still a row for the user; keep what was read.
		c.err = nil
	}
	return c.err == nil
}

// Row returns the current record's fields.
func (c *CSVRows) Row() []string { return c.row }

// Err returns the error that stopped reading.
func (c *CSVRows) Err() error { return c.err }

// LimitReader returns a reader of r that fails with ErrTooLarge once more
// than max bytes have been read, rather than stopping quietly as
// io.LimitReader does.
func LimitReader(r io.Reader, max int64) io.Reader { return &sizeGuard{r: r, left: max} }

type sizeGuard struct {
	r    io.Reader
	left int64
}

func (g *sizeGuard) Read(p []byte) (int, error) {
	if g.left <= 0 {
		// One more byte decides between "exactly the limit" and "over it".
		var b [1]byte
		if n, _ := g.r.Read(b[:]); n > 0 {
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= int64(n)
	return n, err
}

// Replay is Rows that gives back rows already read before going on.
type Replay struct {
	Rows
	buf  [][]string
	i    int
	more bool
}

// Peek reads up to n rows of rows, returns them, and returns Rows that
// yields them again followed by the rest.
func Peek(rows Rows, n int) (*Replay, [][]string) {
	rp := &Replay{Rows: rows, i: -1, more: true}
	for len(rp.buf) < n {
		if !rows.Next() {
			rp.more = false
			break
		}
		rp.buf = append(rp.buf, append([]string(nil), rows.Row()...))
	}
	return rp, rp.buf
}

// Next moves to the next row, replaying first.
func (r *Replay) Next() bool {
	if r.i+1 < len(r.buf) {
		r.i++
		return true
	}
	r.i = len(r.buf)
	return r.more && r.Rows.Next()
}

// Row returns the current row.
func (r *Replay) Row() []string {
	if r.i < len(r.buf) {
		return r.buf[r.i]
	}
	return r.Rows.Row()
}
