// Package cincensus reads the DfE Children in Need census XML (s83 Children
// Act 1989) as local authorities return it: a Message with an optional
// Header and one Child element per child, each with its CIN episodes
// (CINdetails), assessments, section 47 enquiries and child protection
// plans. It accepts the element names of every year from 2017 to 2025-26
// (GenderCurrent or Sex; PreProceedingsandFGDM accepted and passed over).
//
// The file is decoded as a stream of tokens, never as a whole document, so
// memory does not grow with the number of children; depth, size and episode
// count are bounded by ingest.Limits. Each CIN episode becomes one
// ingest.Record handed to a callback, with the child's date of death
// (PersonDeathDate) when given; the Header's LEA and reference date go to
// the summary's ingest.ListCount, for the caller to check against the
// inspection. Dates that are possible but seldom right (see plausible.go)
// are warnings, with the DfE validation rule's number where there is one. Problems carry the line of the element
// in the file and its path; a personal value never appears in one unmasked,
// and nothing is logged.
package cincensus

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"jtai"
	"jtai/ingest"
	"jtai/ingest/internal/table"
)

// Header is the census file's Header: which collection and authority it is.
type Header struct {
	Collection    string    // CIN
	Year          string    // the collection year, e.g. 2024
	ReferenceDate jtai.Date // the census date, 31 March
	LEA           string    // the local authority's three-digit number
	SoftwareCode  string
	DateTime      string // when the file was made, as written
}

// Options adjust a read. The zero value uses the default limits.
type Options struct {
	Limits ingest.Limits
	// Header, when set, is called with the file's Header once it is read.
	Header func(Header)
}

// Read reads a census file; name is the file's name for messages. A file
// that is not XML, is cut short or is not well formed is a
// *ingest.RejectError (the records already handed over are then to be
// discarded); problems with values go to the summary.
func Read(r io.Reader, name string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	lim := opts.Limits.OrDefault()
	sum := ingest.NewSummary(lim.MaxProblems)
	src := ingest.Source{File: name}
	br := bufio.NewReader(table.LimitReader(r, lim.MaxFileSize))
	head, _ := br.Peek(512)
	if err := ingest.CheckXML(head, src); err != nil {
		return sum, err
	}
	text, _ := ingest.NewTextReader(br)
	d := xml.NewDecoder(text)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "us-ascii", "windows-1252", "iso-8859-1", "latin1", "latin-1":
			return in, nil // already UTF-8: the text reader decoded it
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	w := &walker{d: d, lim: lim, sum: sum, src: src, emit: emit, opts: opts, unknown: map[string]bool{}}
	err := w.walk()
	sum.Lists = append(sum.Lists, ingest.ListCount{List: ingest.ListCINCensus, File: name, Rows: w.episodes,
		LACode: w.header.LEA, ReferenceDate: w.header.ReferenceDate})
	return sum, err
}

// walker walks the tokens of a census file, keeping the path of open
// elements and the child being read.
type walker struct {
	d    *xml.Decoder
	lim  ingest.Limits
	sum  *ingest.Summary
	src  ingest.Source
	emit func(ingest.Record) error
	opts Options

	path     []string
	lines    []int // the line each open element started on
	text     []byte
	skip     int // >0 while inside an element passed over
	header   Header
	child    *child
	episodes int
	unknown  map[string]bool
	sawRoot  bool
}

func (w *walker) walk() error {
	for {
		line, _ := w.d.InputPos()
		tok, err := w.d.Token()
		if err == io.EOF {
			if len(w.path) > 0 || !w.sawRoot {
				return w.broken(line, true)
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, table.ErrTooLarge) {
				return ingest.Reject(w.src, ingest.RuleFileTooLarge, "the file is larger than %s, the largest accepted", ingest.Bytes(w.lim.MaxFileSize))
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return w.broken(se.Line, strings.Contains(se.Msg, "unexpected EOF"))
			}
			return ingest.Reject(w.src, ingest.RuleFileBroken, "the file cannot be read to the end (%v)", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(w.path) >= w.lim.MaxXMLDepth {
				return ingest.Reject(w.src, ingest.RuleXMLTooDeep, "the XML nests elements more than %d deep at line %d; the census is never that deep", w.lim.MaxXMLDepth, line)
			}
			w.path = append(w.path, t.Name.Local)
			w.lines = append(w.lines, line)
			w.text = w.text[:0]
			if err := w.start(t.Name.Local, line); err != nil {
				return err
			}
		case xml.CharData:
			if w.skip == 0 && len(w.text)+len(t) <= w.lim.MaxCellBytes {
				w.text = append(w.text, t...)
			}
		case xml.EndElement:
			if len(w.path) == 0 {
				return w.broken(line, false)
			}
			if err := w.end(t.Name.Local, w.lines[len(w.lines)-1]); err != nil {
				return err
			}
			w.path = w.path[:len(w.path)-1]
			w.lines = w.lines[:len(w.lines)-1]
			w.text = w.text[:0]
		}
	}
}

func (w *walker) broken(line int, truncated bool) error {
	if truncated {
		return ingest.Reject(w.src, ingest.RuleFileBroken, "the XML stops before its end (line %d); the file may have been cut short, so export the census again", line)
	}
	return ingest.Reject(w.src, ingest.RuleFileBroken, "the XML is not well formed at line %d; export the census again", line)
}

// parent is the name of the element enclosing the current one.
func (w *walker) parent() string {
	if len(w.path) < 2 {
		return ""
	}
	return w.path[len(w.path)-2]
}

func (w *walker) start(name string, line int) error {
	if w.skip > 0 {
		w.skip++
		return nil
	}
	if len(w.path) == 1 {
		w.sawRoot = true
		if name != "Message" {
			return ingest.Reject(w.src, ingest.RuleFileType, "this XML file is not a CIN census: it starts with <%s>, not <Message>", ingest.Shorten(name))
		}
		return nil
	}
	if _, known := elements[name]; !known {
		if !w.unknown[name] {
			w.unknown[name] = true
			w.problem(line, ingest.RuleElementUnknown, ingest.Warning, "",
				fmt.Sprintf("Line %d, '%s': the census has no element of this name, so it and what it holds were not read", line, ingest.Shorten(name)))
		}
		w.skip = 1
		return nil
	}
	switch name {
	case "PreProceedingsandFGDM":
		w.skip = 1 // 2025-26 onwards: accepted, not needed for screening
	case "Child":
		w.child = &child{line: line}
	case "CINdetails":
		if w.child != nil {
			w.child.startEpisode(line)
		}
	case "Assessments", "Section47", "ChildProtectionPlans", "CINPlanDates":
		if w.child != nil && w.child.ep != nil {
			w.child.ep.open(name, line)
		}
	}
	return nil
}

func (w *walker) end(name string, line int) error {
	if w.skip > 0 {
		w.skip--
		return nil
	}
	switch name {
	case "Header":
		if w.opts.Header != nil {
			w.opts.Header(w.header)
		}
		return nil
	case "CINdetails":
		if w.child != nil {
			return w.finishEpisode()
		}
		return nil
	case "Child":
		if w.child != nil {
			err := w.finishChild()
			w.child = nil
			return err
		}
		return nil
	}
	v := strings.TrimSpace(string(w.text))
	if w.child == nil {
		w.headerValue(name, v, line)
		return nil
	}
	w.childValue(name, v, line)
	return nil
}

func (w *walker) headerValue(name, v string, line int) {
	switch name {
	case "Collection":
		w.header.Collection = v
	case "Year":
		w.header.Year = v
	case "ReferenceDate":
		w.header.ReferenceDate = w.date(v, line, false)
	case "LEA":
		if len(v) != 3 || strings.Trim(v, "0123456789") != "" {
			w.problem(line, ingest.RuleFormatInvalid, ingest.Error, ingest.Shorten(v),
				fmt.Sprintf("Line %d, 'LEA': %s is not a local authority number (three digits)", line, ingest.Shorten(v)))
		}
		w.header.LEA = v
	case "SoftwareCode":
		w.header.SoftwareCode = v
	case "DateTime":
		w.header.DateTime = v
	}
}

// elementPath is the current element's path from the root, for Source.Column.
func (w *walker) elementPath() string { return strings.Join(w.path, "/") }

func (w *walker) problem(line int, rule string, sev ingest.Severity, value, msg string) {
	src := w.src
	src.Row, src.Column = line, w.elementPath()
	w.sum.Add(ingest.Problem{Source: src, Value: value, Rule: rule, Severity: sev, Message: msg})
	if sev == ingest.Error && w.child != nil {
		w.child.errorsAt(len(w.path))
	}
}

// date reads a YYYY-MM-DD value, reporting a problem when it is not one.
func (w *walker) date(v string, line int, personal bool) jtai.Date {
	if v == "" {
		return jtai.Date{}
	}
	d, ok := ingest.ParseISODate(v)
	if ok {
		if w.child != nil {
			w.checkAfterReference(d, v, line, personal)
		}
		return d
	}
	shown := ingest.Shorten(v)
	if personal {
		shown = ingest.MaskDate(v)
	}
	msg := fmt.Sprintf("%s is not a date in the form YYYY-MM-DD", shown)
	if isoShape(v) {
		// The right form, but a day the calendar does not have.
		if day, notADay := ingest.NotADay(v); notADay && !personal {
			msg = day + " is not a day in the calendar"
		} else if notADay {
			msg = shown + " is not a day in the calendar: the month has fewer days"
		} else if m, err := strconv.Atoi(strings.TrimSpace(v)[5:7]); err == nil && (m < 1 || m > 12) {
			msg = fmt.Sprintf("%s is not a date: there is no month %d", shown, m)
		}
	}
	w.problem(line, ingest.RuleDateInvalid, ingest.Error, shown, fmt.Sprintf("Line %d, '%s': %s", line, w.path[len(w.path)-1], msg))
	return d
}

// isoShape reports whether v is written as YYYY-MM-DD, whatever the numbers.
func isoShape(v string) bool {
	v = strings.TrimSpace(v)
	return len(v) == 10 && v[4] == '-' && v[7] == '-'
}

// code reads a value of a code list.
func (w *walker) code(l *ingest.CodeList, v string, line int) string {
	if v == "" {
		return ""
	}
	c, ok := l.Lookup(v)
	if !ok {
		w.problem(line, ingest.RuleCodeUnknown, ingest.Error, ingest.Shorten(v),
			fmt.Sprintf("Line %d, '%s': %s is not a known %s code", line, w.path[len(w.path)-1], ingest.Shorten(v), l.Name))
	}
	return c
}

// boolean reads an xs:boolean: true, false, 1 or 0.
func (w *walker) boolean(v string, line int) ingest.YesNo {
	switch strings.ToLower(v) {
	case "":
		return ""
	case "true", "1":
		return ingest.Yes
	case "false", "0":
		return ingest.No
	}
	w.problem(line, ingest.RuleCodeUnknown, ingest.Error, ingest.Shorten(v),
		fmt.Sprintf("Line %d, '%s': %s is not true, false, 1 or 0", line, w.path[len(w.path)-1], ingest.Shorten(v)))
	return ""
}
