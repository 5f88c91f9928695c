package table

import (
	"fmt"
	"slices"
	"strings"

	"jtai/ingest"
)

// columnNote gathers what one column's rows held that is worth one warning
// for the whole column rather than one per row: placeholders in a field jtai
// reads, and values it cannot read in a field it does not.
type columnNote struct {
	placeholders, firstPlaceholder int
	seen                           []string // the distinct placeholders, at most three

	bad, firstBad int
	badProblem    valueProblem // the first bad row's problem, masked
}

func (n *columnNote) placeholder(row int, v string) {
	if n.placeholders == 0 {
		n.firstPlaceholder = row
	}
	n.placeholders++
	d := "'" + v + "'"
	if v == "" {
		d = "spaces"
	}
	if len(n.seen) < 3 && !slices.Contains(n.seen, d) {
		n.seen = append(n.seen, d)
	}
}

func (n *columnNote) unreadable(row int, p valueProblem) {
	if n.bad == 0 {
		n.firstBad, n.badProblem = row, p
	}
	n.bad++
}

// isPlaceholder reports whether v, not blank, stands for no value in a
// field of spec: a code the field's list has (Unknown, Not known) is a
// value, not a placeholder.
func isPlaceholder(spec fieldSpec, v string) bool {
	if !ingest.IsPlaceholder(v) {
		return false
	}
	if spec.codes != nil {
		if _, ok := spec.codes.Lookup(v); ok {
			return false
		}
	}
	return true
}

// flushNotes adds the columns' warnings to the summary, in the order of the
// layout's columns.
func (rd *Reader) flushNotes() {
	for c := range rd.notes {
		n := &rd.notes[c]
		h := rd.heading(c)
		if n.placeholders > 0 {
			rd.add(n.firstPlaceholder, h, "", ingest.RulePlaceholder, ingest.Warning,
				fmt.Sprintf("Column '%s': %s a placeholder instead of a value (%s; the first on row %d); %s read as blank",
					h, rowCount(n.placeholders), strings.Join(n.seen, ", "), n.firstPlaceholder, pronoun(n.placeholders)))
		}
		if n.bad > 0 {
			rd.add(n.firstBad, h, n.badProblem.value, ingest.RuleColumnNotUsed, ingest.Warning,
				fmt.Sprintf("Column '%s': %s jtai cannot read (the first, row %d: %s); jtai does not use this column, so it was left out and the rest was imported",
					h, valueCount(n.bad), n.firstBad, n.badProblem.message))
		}
	}
}

func rowCount(n int) string {
	if n == 1 {
		return "1 row holds"
	}
	return fmt.Sprintf("%d rows hold", n)
}

func valueCount(n int) string {
	if n == 1 {
		return "1 row holds a value"
	}
	return fmt.Sprintf("%d rows hold values", n)
}

func pronoun(n int) string {
	if n == 1 {
		return "it was"
	}
	return "they were"
}
