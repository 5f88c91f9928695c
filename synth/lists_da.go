package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"jtai"
)

// incident is one police domestic-abuse notification about a child.
type incident struct {
	ref         string
	date        jtai.Date
	present     bool
	victim      string // the child's relationship to the victim
	perpetrator string // the child's relationship to the perpetrator
	connected   bool
	risk        string
	csc         bool
	school      bool
	marac       jtai.Date
	kind        string // adult, child-to-parent, teenage relationship
}

// maybeDA gives a child one chance in n of a police notification without
// the front door having recorded domestic abuse: about a quarter of police
// incidents involve children, and not every one leads to an assessment.
func (a *Area) maybeDA(s *story, n int) {
	if a.g.Intn(n) == 0 {
		a.addDA(s)
	}
}

// addDA adds one or two incidents before the child's contact date (or any
// time in the year), most of them abuse between adults in the household,
// some child-to-parent abuse and teenage relationship abuse.
func (a *Area) addDA(s *story) {
	g := a.g
	for n := 1 + g.Intn(4)/3; n > 0; n-- {
		in := incident{
			ref:       fmt.Sprintf("SYN/PR/%07d", 1+g.Intn(9_999_999)),
			date:      days(a.AsOf, -g.Intn(365)),
			present:   g.Intn(100) < 78,
			connected: true,
			kind:      "adult",
		}
		if !s.contact.IsZero() && g.Intn(2) == 0 {
			in.date = days(s.contact, -g.Intn(3))
		}
		switch {
		case s.age >= 12 && g.Intn(8) == 0:
			in.kind, in.victim, in.perpetrator, in.present = "child-to-parent", "Child of victim", "Self", true
		case s.age >= 13 && g.Intn(8) == 0:
			in.kind, in.victim, in.perpetrator, in.present = "teenage relationship", "Self", []string{"Partner", "Ex-partner"}[g.Intn(2)], true
			in.connected = s.age >= 16
		default:
			in.victim = []string{"Child of victim", "Child of victim", "Stepchild of victim", "Grandchild of victim"}[g.Intn(4)]
			in.perpetrator = []string{"Child of perpetrator", "Stepchild of perpetrator", "Not related", "Child of perpetrator"}[g.Intn(4)]
		}
		switch r := g.Intn(100); {
		case r < 60:
			in.risk = "Standard"
		case r < 88:
			in.risk = "Medium"
		default:
			in.risk = "High"
		}
		in.csc = in.risk != "Standard" || g.Intn(3) == 0
		in.school = in.present && s.age >= 2
		if in.risk == "High" || in.risk == "Medium" && g.Intn(10) == 0 {
			in.marac = a.beforeAsOf(days(in.date, 7+g.Intn(21)))
		}
		s.da = append(s.da, in)
	}
}

// daHeadings is the domestic-abuse notifications layout (DOMAIN.md).
var daHeadings = []string{
	"Child Unique ID", "Date of Birth", "Expected Date of Birth", "Gender", "Police Reference", "Date of Incident",
	"Child Present (Y/N)", "Child's Relationship to Victim", "Child's Relationship to Perpetrator",
	"Victim and Perpetrator Personally Connected (Y/N)", "Risk Level (Standard/Medium/High)",
	"Notified to Children's Social Care", "Notified to School or Early Years (Operation Encompass)",
	"MARAC Case (Y/N)", "MARAC Date", "Abuse Type (child-to-parent, teenage relationship, adult)",
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// daRows calls fn with each notification row, dates as time.Time or nil.
func (a *Area) daRows(fn func(row []any) error) (int, error) {
	n := 0
	for _, s := range a.stories {
		for _, in := range s.da {
			var marac any
			if !in.marac.IsZero() {
				marac = in.marac.Time
			}
			row := []any{s.c.LAChildID, dateOrNil(s.c.DateOfBirth), dateOrNil(s.c.ExpectedDate), genderOf(s.c, StyleExport),
				in.ref, in.date.Time, yn(in.present), in.victim, in.perpetrator, yn(in.connected), in.risk,
				yn(in.csc), yn(in.school), yn(!in.marac.IsZero()), marac, in.kind}
			if err := fn(row); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// WriteDA writes the domestic-abuse notifications as "xlsx" or "csv" and
// returns the number of rows.
func (a *Area) WriteDA(w io.Writer, format string) (int, error) {
	if format == "csv" {
		cw := csv.NewWriter(w)
		cw.Write(daHeadings)
		n, err := a.daRows(func(row []any) error { return cw.Write(csvCells(row, "02/01/2006")) })
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		return n, err
	}
	wb, err := newWorkbook()
	if err != nil {
		return 0, err
	}
	defer wb.f.Close()
	sw, err := wb.sheet("Domestic abuse notifications")
	if err != nil {
		return 0, err
	}
	if err := sw.row(anys(daHeadings)); err != nil {
		return 0, err
	}
	n, err := a.daRows(sw.row)
	if err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, wb.f.Write(w)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// workbook writes sheets with excelize's stream writer, dates as date
// cells.
type workbook struct {
	f         *excelize.File
	dateStyle int
	first     bool
}

func newWorkbook() (*workbook, error) {
	f := excelize.NewFile()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &workbook{f: f, dateStyle: style, first: true}, nil
}

// streamSheet is a sheet being written, row after row.
type streamSheet struct {
	*excelize.StreamWriter
	wb   *workbook
	rows int
}

// sheet adds a sheet (renaming the new file's default one for the first).
func (wb *workbook) sheet(name string) (*streamSheet, error) {
	if wb.first {
		wb.first = false
		if err := wb.f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return nil, err
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	return &streamSheet{StreamWriter: sw, wb: wb}, nil
}

// row writes the next row; time.Time values become date cells.
func (s *streamSheet) row(values []any) error {
	s.rows++
	cells := make([]any, len(values))
	for i, v := range values {
		if t, ok := v.(time.Time); ok {
			cells[i] = excelize.Cell{StyleID: s.wb.dateStyle, Value: t}
			continue
		}
		cells[i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.rows)
	return s.SetRow(cell, cells)
}

// dateOrNil is d as a time.Time cell, or nil (a blank cell) when d is nil.
func dateOrNil(d *jtai.Date) any {
	if d == nil {
		return nil
	}
	return d.Time
}

// csvCells writes a row's values as text, dates in layout.
func csvCells(row []any, layout string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		switch v := v.(type) {
		case nil:
		case time.Time:
			out[i] = v.Format(layout)
		case string:
			out[i] = v
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}
