package xlsx

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// Type is what a cell holds.
type Type uint8

// The cell types.
const (
	Number Type = iota // a number; a date when Cell.Date is set
	String             // text: shared, inline, or a formula's text result
	Bool               // TRUE or FALSE
	Error              // an error value such as #N/A
)

// Cell is one non-empty cell of a row.
type Cell struct {
	Col   int    // the column, from 0 for column A
	Value string // the raw value: a number as written (a date as its serial), text, TRUE/FALSE, #N/A
	Type  Type
	Date  bool // a number in a cell styled as a date or time, or an ISO date (t="d")
}

// MaxRow and MaxCol are Excel's largest row number and column count.
const (
	MaxRow = 1 << 20
	MaxCol = 1 << 14
)

// Sheet streams one sheet's rows. Rows absent from the file (blank rows)
// are not returned: Row tells the number of each row that is.
type Sheet struct {
	w     *Workbook
	rc    io.ReadCloser
	d     *xml.Decoder
	row   int
	cells []Cell
	err   error
	done  bool

	depth int
	val   []byte // the text of the current cell's v element
	text  []byte // the text of the current cell's inline string
}

// OpenSheet opens the named sheet for streaming. A sheet whose part is
// missing or cannot be unzipped gives an error.
func (w *Workbook) OpenSheet(name string) (*Sheet, error) {
	for _, s := range w.sheets {
		if s.name != name {
			continue
		}
		f := w.parts[partKey(s.part)]
		if f == nil {
			return nil, damaged(w.src)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, damaged(w.src)
		}
		d := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
		return &Sheet{w: w, rc: rc, d: d}, nil
	}
	return nil, ErrSheetNotFound
}

// Close releases the sheet's part.
func (s *Sheet) Close() error {
	s.done = true
	return s.rc.Close()
}

// Row is the current row's number, from 1 as Excel numbers them.
func (s *Sheet) Row() int { return s.row }

// Cells are the current row's non-empty cells, in the order the file
// holds them (by column in any file Excel writes). They are valid until
// the next call to Next.
func (s *Sheet) Cells() []Cell { return s.cells }

// Err is the error that stopped Next early: a damaged part, XML nested too
// deep.
func (s *Sheet) Err() error { return s.err }

// cell state while a c element is read.
type cellState struct {
	open   bool
	col    int
	typ    string
	style  int
	inV    bool
	inIS   bool
	inT    bool
	phon   int // depth of an rPh run inside an inline string, or 0
	hasVal bool
}

// Next moves to the next row present in the sheet.
func (s *Sheet) Next() bool {
	if s.done || s.err != nil {
		return false
	}
	var c cellState
	inRow := false
	nextCol := 0
	s.cells = s.cells[:0]
	for {
		tok, err := s.d.RawToken()
		if err != nil {
			if err == io.EOF && s.depth == 0 && !inRow {
				s.done = true
				return false
			}
			s.err = damaged(s.w.src)
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.depth++
			if s.depth > s.w.lim.MaxXMLDepth {
				s.err = tooDeep(s.w.src, s.w.lim)
				return false
			}
			switch t.Name.Local {
			case "row":
				if inRow {
					continue
				}
				inRow = true
				n := 0
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						n, _ = strconv.Atoi(a.Value)
					}
				}
				if n <= s.row || n > MaxRow {
					n = s.row + 1
				}
				s.row = n
				nextCol = 0
			case "c":
				if !inRow {
					continue
				}
				c = cellState{open: true, col: nextCol}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if col, ok := columnOf(a.Value); ok {
							c.col = col
						}
					case "t":
						c.typ = a.Value
					case "s":
						c.style, _ = strconv.Atoi(a.Value)
					}
				}
				nextCol = c.col + 1
				s.val, s.text = s.val[:0], s.text[:0]
			case "v":
				c.inV = c.open
			case "is":
				c.inIS = c.open
			case "rPh":
				if c.inIS && c.phon == 0 {
					c.phon = s.depth
				}
			case "t":
				c.inT = c.inIS && c.phon == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				c.inV = false
			case "t":
				c.inT = false
			case "is":
				c.inIS = false
			case "c":
				if c.open {
					s.endCell(&c)
				}
				c = cellState{}
			case "row":
				if inRow {
					s.depth--
					return true
				}
			}
			if c.phon == s.depth {
				c.phon = 0
			}
			s.depth--
			if s.depth < 0 {
				s.err = damaged(s.w.src)
				return false
			}
		case xml.CharData:
			switch {
			case c.inV:
				if len(s.val)+len(t) <= 4*s.w.lim.MaxCellBytes {
					s.val = append(s.val, t...)
				}
				c.hasVal = true
			case c.inT:
				if len(s.text)+len(t) <= 4*s.w.lim.MaxCellBytes {
					s.text = append(s.text, t...)
				}
			}
		}
	}
}

// endCell turns the cell just read into a Cell, keeping it if not empty.
func (s *Sheet) endCell(c *cellState) {
	if c.col >= MaxCol {
		return
	}
	cell := Cell{Col: c.col}
	switch c.typ {
	case "s":
		i, ok := atoi(s.val)
		if !ok || i >= len(s.w.strings) {
			return
		}
		cell.Value, cell.Type = s.w.strings[i], String
	case "inlineStr":
		if len(s.text) == 0 {
			return
		}
		cell.Value, cell.Type = unescape(string(s.text)), String
	case "str":
		cell.Value, cell.Type = unescape(string(s.val)), String
	case "b":
		cell.Type = Bool
		switch string(s.val) {
		case "1", "true":
			cell.Value = "TRUE"
		case "0", "false":
			cell.Value = "FALSE"
		default:
			cell.Value = string(s.val)
		}
	case "e":
		cell.Value, cell.Type = string(s.val), Error
	case "d":
		cell.Value, cell.Date = string(s.val), true
	default:
		cell.Value = string(trimSpace(s.val))
		cell.Date = c.style >= 0 && c.style < len(s.w.dates) && s.w.dates[c.style]
	}
	if cell.Value == "" {
		return
	}
	s.cells = append(s.cells, cell)
}

// atoi reads a small non-negative decimal number.
func atoi(b []byte) (int, bool) {
	b = trimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// columnOf reads the column of a cell reference ("B7" is 1, "AA1" 26),
// with or without $ signs; ok is false for anything else.
func columnOf(ref string) (int, bool) {
	col, i := 0, 0
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	start := i
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			goto letters
		}
		if col > MaxCol {
			return 0, false
		}
	}
letters:
	if i == start || col == 0 {
		return 0, false
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	if i == len(ref) {
		return 0, false
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, false
		}
	}
	return col - 1, true
}
