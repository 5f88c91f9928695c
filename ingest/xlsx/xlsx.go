// Package xlsx reads the cells of an .xlsx workbook's sheets, streaming
// each sheet row by row. It reads only what the list importers need: the
// sheet names and their parts, the shared-strings table, which cell styles
// are dates, the workbook's date system, and each cell's raw value. It
// never renders a number through its format and never spills to temporary
// files: a date cell reads as its serial number, flagged as date-styled.
//
// A workbook is checked before anything is unzipped (ingest.CheckWorkbook:
// an .xls, a password-protected workbook, a zip bomb are refused), and
// every part is read within ingest.Limits. Any input, however damaged,
// gives an error rather than a panic.
package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"jtai/ingest"
)

// Workbook is an .xlsx workbook opened for reading its sheets.
type Workbook struct {
	// Date1904 is set when the workbook counts serial dates from 1904.
	Date1904 bool

	src     ingest.Source
	lim     ingest.Limits
	parts   map[string]*zip.File // by lower-case name, without a leading slash
	sheets  []sheetRef
	strings []string
	dates   []bool // per cell style (the s attribute): a date format
}

type sheetRef struct {
	name, part string
}

// ErrSheetNotFound is returned by OpenSheet for a name the workbook lacks.
var ErrSheetNotFound = errors.New("xlsx: no such sheet")

// Open checks that the size bytes of r are an .xlsx workbook within lim and
// reads its workbook part, relationships, shared strings and styles. A file
// that is not a readable workbook is a *ingest.RejectError naming src.
func Open(r io.ReaderAt, size int64, src ingest.Source, lim ingest.Limits) (*Workbook, error) {
	lim = lim.OrDefault()
	if err := ingest.CheckWorkbook(r, size, src, lim); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, damaged(src)
	}
	w := &Workbook{src: src, lim: lim, parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := partKey(f.Name)
		if _, dup := w.parts[name]; !dup {
			w.parts[name] = f
		}
	}
	if err := w.readWorkbook(); err != nil {
		return nil, err
	}
	return w, nil
}

func damaged(src ingest.Source) error {
	return ingest.Reject(src, ingest.RuleFileBroken, "the workbook is damaged and cannot be read; save it again in Excel")
}

// partKey is how part names are compared: forward slashes, no leading
// slash, lower case (zip names in workbooks vary in case).
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

// Sheets lists the workbook's sheet names in order.
func (w *Workbook) Sheets() []string {
	names := make([]string, len(w.sheets))
	for i, s := range w.sheets {
		names[i] = s.name
	}
	return names
}

// Close releases nothing held outside memory; it is there for symmetry.
func (w *Workbook) Close() error { return nil }

// readPart reads a whole small part (workbook, relationships, styles)
// within the per-part limit; ok is false when the part is absent.
func (w *Workbook) readPart(name string) (data []byte, ok bool, err error) {
	f := w.parts[partKey(name)]
	if f == nil {
		return nil, false, nil
	}
	if f.UncompressedSize64 > uint64(w.lim.MaxUnzippedPart) {
		return nil, true, ingest.Reject(w.src, ingest.RuleFileTooLarge, "the workbook part %s would unzip to more than %s; it was not opened", path.Base(f.Name), ingest.Bytes(w.lim.MaxUnzippedPart))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, true, damaged(w.src)
	}
	defer rc.Close()
	data, err = io.ReadAll(io.LimitReader(rc, w.lim.MaxUnzippedPart+1))
	if err != nil || int64(len(data)) > w.lim.MaxUnzippedPart {
		return nil, true, damaged(w.src)
	}
	return data, true, nil
}

// relationships maps a part's relationship ids to target part names, and
// keeps the first target of each type (the last path segment of the type).
type relationships struct {
	byID   map[string]string
	byType map[string]string
}

func (w *Workbook) readRels(owner string) (relationships, error) {
	rels := relationships{byID: map[string]string{}, byType: map[string]string{}}
	dir, file := path.Split(owner)
	data, ok, err := w.readPart(dir + "_rels/" + file + ".rels")
	if err != nil || !ok {
		return rels, err
	}
	err = w.scan(data, func(se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		id, target, typ, external := "", "", "", false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Target":
				target = a.Value
			case "Type":
				typ = a.Value
			case "TargetMode":
				external = strings.EqualFold(a.Value, "External")
			}
		}
		if target == "" || external {
			return nil
		}
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		rels.byID[id] = target
		t := typ[strings.LastIndexByte(typ, '/')+1:]
		if _, seen := rels.byType[t]; !seen {
			rels.byType[t] = target
		}
		return nil
	})
	return rels, err
}

// scan calls fn for each start element of a small XML part, within the
// depth limit; the part must close every element it opens.
func (w *Workbook) scan(data []byte, fn func(xml.StartElement) error) error {
	return w.walk(xml.NewDecoder(bytes.NewReader(data)), true, func(tok xml.Token, _ int) error {
		if t, ok := tok.(xml.StartElement); ok {
			return fn(t)
		}
		return nil
	})
}

// walk reads an XML part token by token within the depth limit, giving fn
// each token with the depth of the element it starts, ends or is inside.
// When closed is set, a part that ends with elements still open is
// damaged.
func (w *Workbook) walk(d *xml.Decoder, closed bool, fn func(tok xml.Token, depth int) error) error {
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if closed && depth != 0 {
				return damaged(w.src)
			}
			return nil
		}
		if err != nil {
			return damaged(w.src)
		}
		if _, ok := tok.(xml.StartElement); ok {
			depth++
			if depth > w.lim.MaxXMLDepth {
				return tooDeep(w.src, w.lim)
			}
		}
		if err := fn(tok, depth); err != nil {
			return err
		}
		if _, ok := tok.(xml.EndElement); ok {
			// The raw reader does not pair end tags with start tags: one
			// with no start would let the depth run below zero, and deep
			// nesting past the limit.
			if depth--; depth < 0 {
				return damaged(w.src)
			}
		}
	}
}

func tooDeep(src ingest.Source, lim ingest.Limits) error {
	return ingest.Reject(src, ingest.RuleXMLTooDeep, "the workbook's XML is nested more than %d levels deep, which no spreadsheet needs; save it again in Excel", lim.MaxXMLDepth)
}

const workbookPart = "xl/workbook.xml"

func (w *Workbook) readWorkbook() error {
	data, ok, err := w.readPart(workbookPart)
	if err != nil {
		return err
	}
	if !ok {
		return damaged(w.src)
	}
	rels, err := w.readRels(workbookPart)
	if err != nil {
		return err
	}
	n := 0
	err = w.scan(data, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "workbookPr":
			for _, a := range se.Attr {
				if a.Name.Local == "date1904" {
					w.Date1904 = a.Value == "1" || strings.EqualFold(a.Value, "true")
				}
			}
		case "sheet":
			n++
			name, id := "", ""
			for _, a := range se.Attr {
				switch {
				case a.Name.Local == "name":
					name = a.Value
				case a.Name.Local == "id" && a.Name.Space != "":
					id = a.Value
				}
			}
			part := rels.byID[id]
			if part == "" {
				part = fmt.Sprintf("xl/worksheets/sheet%d.xml", n)
			}
			w.sheets = append(w.sheets, sheetRef{name: name, part: part})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.readStyles(rels.byType["styles"]); err != nil {
		return err
	}
	return w.readSharedStrings(rels.byType["sharedStrings"])
}

// builtinDate reports whether a built-in number format is a date or time.
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 45 && id <= 47
}

// IsDateFormat reports whether a custom number format code shows a date or
// a time: it holds d, m, y, h or s outside quoted text, bracketed sections
// ([Red], [$-809]) and escaped characters.
func IsDateFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is shown as it is, or is padding
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

func (w *Workbook) readStyles(part string) error {
	if part == "" {
		part = "xl/styles.xml"
	}
	data, ok, err := w.readPart(part)
	if err != nil || !ok {
		return err
	}
	custom := map[int]bool{}
	inXfs := false
	depthXfs := 0
	return w.walk(xml.NewDecoder(bytes.NewReader(data)), false, func(tok xml.Token, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, code := -1, ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "numFmtId":
						id, _ = strconv.Atoi(a.Value)
					case "formatCode":
						code = a.Value
					}
				}
				if id >= 0 {
					custom[id] = IsDateFormat(code)
				}
			case "cellXfs":
				inXfs, depthXfs = true, depth
			case "xf":
				if inXfs && depth == depthXfs+1 {
					id := 0
					for _, a := range t.Attr {
						if a.Name.Local == "numFmtId" {
							id, _ = strconv.Atoi(a.Value)
						}
					}
					isDate, ok := custom[id]
					if !ok {
						isDate = builtinDate(id)
					}
					if len(w.dates) >= 1<<20 {
						return damaged(w.src)
					}
					w.dates = append(w.dates, isDate)
				}
			}
		case xml.EndElement:
			if inXfs && depth == depthXfs && t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
}

// sharedStringsLimit is the most text the shared-strings table may hold
// in memory, counting 16 bytes a string on top of its text: four times
// the per-part limit (64 MiB by default), room for a million children.
func (w *Workbook) sharedStringsLimit() int64 { return 4 * w.lim.MaxUnzippedPart }

func (w *Workbook) readSharedStrings(part string) error {
	if part == "" {
		part = "xl/sharedStrings.xml"
	}
	f := w.parts[partKey(part)]
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return damaged(w.src)
	}
	defer rc.Close()
	limit := w.sharedStringsLimit()
	tooLarge := ingest.Reject(w.src, ingest.RuleFileTooLarge, "the workbook's shared strings hold more than %s of text, more than any list needs; it was not read", ingest.Bytes(limit))
	d := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	var (
		held    int64
		inSI    bool
		inT     bool
		skip    int // depth of an rPh (phonetic) run being skipped, or 0
		current []byte
	)
	return w.walk(d, false, func(tok xml.Token, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI, current = true, current[:0]
			case "rPh":
				if skip == 0 {
					skip = depth
				}
			case "t":
				inT = inSI && skip == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					s := unescape(string(current))
					held += int64(len(s)) + 16
					if held > limit {
						return tooLarge
					}
					w.strings = append(w.strings, s)
				}
				inSI = false
			case "t":
				inT = false
			}
			if skip == depth {
				skip = 0
			}
		case xml.CharData:
			// Of an over-long string only the start is kept.
			if inT && len(current)+len(t) <= w.lim.MaxCellBytes*4 {
				current = append(current, t...)
			}
		}
		return nil
	})
}

// unescape turns Excel's _xHHHH_ escapes (control characters such as a
// carriage return, written _x000D_) back into characters.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
