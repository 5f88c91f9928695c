package ingest

// ListGuide is what jtai reads of one list, for the list guide: every
// column it knows, what it does with each, and the values each accepts.
type ListGuide struct {
	Name        string // "List 3"
	Title       string // "Referrals"
	OnePerChild bool
	Columns     []ColumnGuide
}

// ColumnGuide is one column of a list as the guide shows it.
type ColumnGuide struct {
	Heading  string
	Aliases  []string // other headings read as this column
	Required bool     // the column must be there
	EveryRow bool     // every row needs a value
	Kind     string   // "date", "code", "yes or no", "number" or "text"
	// Use says what jtai does with the column; empty when it does not use
	// it (the values are then checked, a bad one is only a warning, and
	// nothing of the column is kept).
	Use   string
	Codes *CodeList // the accepted values of a coded column
}

// Used reports whether jtai uses the column.
func (c ColumnGuide) Used() bool { return c.Use != "" }
