package table

import (
	"fmt"
	"strings"

	"jtai/ingest"
)

// HeaderRows is how many rows at the top of a sheet are searched for the
// headings; rows above the headings are titles.
const HeaderRows = 10

// Rows is a source of rows: a sheet of a workbook or a CSV file.
type Rows interface {
	Next() bool    // moves to the next row; rows are numbered from 1 by the calls
	Row() []string // the current row's cells
	Err() error    // the error that stopped Next, if any
}

// Reader reads one list's table from Rows into Records.
type Reader struct {
	Layout   *Layout
	Src      ingest.Source // File and Sheet; Row and Column are set per problem
	Limits   ingest.Limits
	Date1904 bool // the workbook counts serial dates from 1904
	Summary  *ingest.Summary
	Emit     func(ingest.Record) error

	headings []string // per cell index: the heading as written, trimmed
	cols     []int    // per cell index: the layout's column, or -1
	seen     map[string]int
	notes    []columnNote // per layout column: what is reported once for the column
}

// Read reads every row and returns how many records it read. A problem with
// the file's content goes to the summary; the error is for a failure to read
// (a damaged file) or the callback's own.
func (rd *Reader) Read(rows Rows) (int, error) {
	rd.Limits = rd.Limits.OrDefault()
	row := 0
	found := false
	for row < HeaderRows && rows.Next() {
		row++
		if rd.Layout.HeaderScore(rows.Row()) > 0 {
			found = true
			break
		}
	}
	if !found {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		rd.add(0, "", "", ingest.RuleHeaderMissing, ingest.Error,
			fmt.Sprintf("%s: none of the first %d rows has the headings of %s (such as '%s')",
				rd.where(), HeaderRows, rd.Layout.Name, rd.Layout.Columns[rd.Layout.idColumn()].Name))
		return 0, nil
	}
	if !rd.mapColumns(rows.Row(), row) {
		return 0, nil
	}
	rd.notes = make([]columnNote, len(rd.Layout.Columns))
	defer rd.flushNotes()
	n := 0
	for rows.Next() {
		row++
		cells := rows.Row()
		if blank(cells) {
			continue
		}
		n++
		if n > rd.Limits.MaxRows {
			rd.add(row, "", "", ingest.RuleTooManyRows, ingest.Error,
				fmt.Sprintf("%s has more than %d rows; the rows after row %d were not read", rd.where(), rd.Limits.MaxRows, row-1))
			return n - 1, nil
		}
		rec, ok := rd.record(cells, row)
		if !ok || rd.Layout.NotChildren {
			continue
		}
		if err := rd.Emit(rec); err != nil {
			return n, err
		}
	}
	return n, rows.Err()
}

// where names the sheet or file for a message.
func (rd *Reader) where() string {
	if rd.Src.Sheet != "" {
		return fmt.Sprintf("Sheet '%s'", rd.Src.Sheet)
	}
	return fmt.Sprintf("File '%s'", rd.Src.File)
}

// mapColumns matches the headings to the layout's columns; it reports false
// when a required column is missing, and then no row is read.
func (rd *Reader) mapColumns(header []string, row int) bool {
	rd.headings = make([]string, len(header))
	rd.cols = make([]int, len(header))
	have := map[int]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		rd.headings[i] = h
		rd.cols[i] = -1
		if h == "" {
			continue
		}
		c := rd.Layout.column(h)
		switch {
		case c < 0:
			rd.add(row, h, "", ingest.RuleColumnUnknown, ingest.Warning,
				fmt.Sprintf("Column '%s' is not part of %s, so it was not imported", ingest.Shorten(h), rd.Layout.Name))
		case have[c]:
			rd.add(row, h, "", ingest.RuleColumnRepeated, ingest.Warning,
				fmt.Sprintf("Column '%s' appears twice; only the first was imported", ingest.Shorten(h)))
		default:
			have[c] = true
			rd.cols[i] = c
		}
	}
	ok := true
	for c, col := range rd.Layout.Columns {
		if col.Required && !have[c] {
			rd.add(row, col.Name, "", ingest.RuleColumnMissing, ingest.Error,
				fmt.Sprintf("%s has no '%s' column; it is required, so no rows were imported", rd.where(), col.Name))
			ok = false
		}
	}
	return ok
}

// record reads one row. It reports false when the row cannot become a
// record at all (no child identifier).
func (rd *Reader) record(cells []string, row int) (ingest.Record, bool) {
	rec := ingest.Record{List: rd.Layout.List, Source: rd.Src}
	rec.Source.Row = row
	filled := make([]bool, len(rd.Layout.Columns))
	for i, c := range rd.cols {
		if c < 0 || i >= len(cells) {
			continue
		}
		raw := cells[i]
		if len(raw) > rd.Limits.MaxCellBytes {
			raw = raw[:rd.Limits.MaxCellBytes]
		}
		v, onlySpace := ingest.CleanCell(raw)
		if v == "" && !onlySpace {
			continue
		}
		col := rd.Layout.Columns[c]
		spec := fields[col.Field]
		if onlySpace || isPlaceholder(spec, v) {
			switch {
			case col.NotBlank:
				filled[c] = true
				rec.Errors++
				rd.add(row, rd.headings[i], ingest.Shorten(v), ingest.RulePlaceholder, ingest.Error,
					fmt.Sprintf("Row %d, '%s' holds %s, not a value; every row needs a value here", row, ingest.Shorten(rd.headings[i]), ingest.DescribePlaceholder(ingest.Shorten(v))))
			case !spec.unused:
				rd.notes[c].placeholder(row, ingest.Shorten(v))
			}
			continue
		}
		filled[c] = true
		p, bad := rd.apply(&rec, col.Field, v)
		switch {
		case !bad:
		case spec.unused:
			rd.notes[c].unreadable(row, p)
		default:
			rec.Errors++
			rd.add(row, rd.headings[i], p.value, p.rule, ingest.Error,
				fmt.Sprintf("Row %d, '%s': %s", row, ingest.Shorten(rd.headings[i]), p.message))
		}
	}
	for c, col := range rd.Layout.Columns {
		if col.NotBlank && !filled[c] {
			rec.Errors++
			rd.add(row, rd.heading(c), "", ingest.RuleRequired, ingest.Error,
				fmt.Sprintf("Row %d, '%s' is blank; every row needs a value here", row, rd.heading(c)))
		}
	}
	if rec.LAChildID == "" {
		return rec, false
	}
	if rd.duplicate(rec.LAChildID, row) {
		rec.Errors++
	}
	return rec, true
}

// heading is column c's heading as the file writes it.
func (rd *Reader) heading(c int) string {
	for i, x := range rd.cols {
		if x == c {
			return ingest.Shorten(rd.headings[i])
		}
	}
	return rd.Layout.Columns[c].Name
}

// duplicate reports, as an error, a child already on an earlier row of a
// list that has one row per child; identifiers are compared as the store
// links children, whatever their case and surrounding spaces.
func (rd *Reader) duplicate(id string, row int) bool {
	if !rd.Layout.OnePerChild {
		return false
	}
	if rd.seen == nil {
		rd.seen = map[string]int{}
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	first, dup := rd.seen[id]
	if !dup {
		rd.seen[id] = row
		return false
	}
	c := rd.Layout.idColumn()
	rd.add(row, rd.heading(c), ingest.Hidden, ingest.RuleDuplicateID, ingest.Error,
		fmt.Sprintf("Row %d, '%s': the same child is on row %d; %s has one row per child", row, rd.heading(c), first, rd.Layout.Name))
	return true
}

func (rd *Reader) add(row int, column, value, rule string, sev ingest.Severity, msg string) {
	src := rd.Src
	src.Row, src.Column = row, column
	rd.Summary.Add(ingest.Problem{Source: src, Value: value, Rule: rule, Severity: sev, Message: msg})
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
