package table

import (
	"strings"
	"sync"
	"unicode"
)

// Column is one column of a layout: its official heading, other headings
// seen in real files, what it fills, and whether it must be there.
type Column struct {
	Name     string
	Aliases  []string
	Field    Field
	Required bool // the column must be present
	NotBlank bool // every row must have a value in it
}

// Layout is one list's table: its identifier, its title, its columns.
type Layout struct {
	List        string // an ingest.List* identifier
	Name        string // for messages: "List 3", "the domestic-abuse notifications"
	Title       string // "Referrals"
	Columns     []Column
	OnePerChild bool // a child appears once: a repeated identifier is an error (contacts, referrals and notifications may repeat)
	NotChildren bool // rows are not children (List 11, adopters): read and counted, never emitted

	once  sync.Once
	index map[string]int
}

// Key is how headings are compared: letters and digits only, lower case, so
// that case, spacing, punctuation and trailing spaces do not matter.
func Key(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// column returns the index of the column a heading names, or -1.
func (l *Layout) column(heading string) int {
	l.once.Do(func() {
		idx := map[string]int{}
		for i, c := range l.Columns {
			for _, h := range append([]string{c.Name}, c.Aliases...) {
				if _, seen := idx[Key(h)]; !seen {
					idx[Key(h)] = i
				}
			}
		}
		l.index = idx
	})
	if i, ok := l.index[Key(heading)]; ok {
		return i
	}
	return -1
}

// idColumn is the index of the layout's identifier column.
func (l *Layout) idColumn() int {
	for i, c := range l.Columns {
		if c.Field == FieldChildID || c.Required && i == 0 {
			return i
		}
	}
	return 0
}

// HeaderScore says how well a row matches the layout's headings: the number
// of distinct known columns, or 0 when the identifier column is not among
// them or fewer than two match (a title row is never a header).
func (l *Layout) HeaderScore(row []string) int {
	seen := map[int]bool{}
	for _, h := range row {
		if i := l.column(h); i >= 0 {
			seen[i] = true
		}
	}
	if !seen[l.idColumn()] || len(seen) < 2 {
		return 0
	}
	return len(seen)
}
