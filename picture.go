package jtai

import "strconv"

// ThinBelow is the fewest records a cell of the evidence picture needs
// not to be called thin: one record is one activity's view, not
// triangulated evidence (DOMAIN.md section 4).
const ThinBelow = 2

// Tally counts an evidence picture cell's records by polarity.
type Tally struct {
	Strengths, Improvements, Context int
}

// Total is how many records the cell holds.
func (t Tally) Total() int { return t.Strengths + t.Improvements + t.Context }

// Thin reports whether the cell has too little evidence to rest on.
func (t Tally) Thin() bool { return t.Total() < ThinBelow }

func (t *Tally) add(p Polarity) {
	switch p {
	case Strength:
		t.Strengths++
	case Improvement:
		t.Improvements++
	case Context:
		t.Context++
	}
}

// Picture is where an inspection's evidence stands: for each line of
// enquiry (criterion or focus area) and each column (an agency, an
// inspectorate or a child), the records that bear on both, by polarity.
type Picture struct {
	Lines   []string // line ids, in the theme's order
	Columns []string // the columns' keys, such as agency ids
	Cells   [][]Tally
	Records int
}

// ThinCell is a cell of the picture with too little evidence.
type ThinCell struct {
	Line   string
	Column string
	Tally  Tally
}

// The columns a picture can have, and the keys each gives a record.
var (
	ByAgency = func(e *Evidence) []string {
		out := make([]string, len(e.AgencyIDs))
		for i, a := range e.AgencyIDs {
			out[i] = strconv.FormatInt(a, 10)
		}
		return out
	}
	ByInspectorate = func(e *Evidence) []string { return []string{string(e.Inspectorate)} }
	ByChild        = func(e *Evidence) []string {
		if e.ChildID == 0 {
			return nil
		}
		return []string{strconv.FormatInt(e.ChildID, 10)}
	}
)

// NewPicture counts the records of list in a picture of lines against
// columns, of giving each record's column keys; a record counts once in
// every cell of its lines and columns. Lines or columns a record names
// that are not given are not counted.
func NewPicture(lines, columns []string, list []*Evidence, of func(*Evidence) []string) *Picture {
	p := &Picture{Lines: lines, Columns: columns, Cells: make([][]Tally, len(lines)), Records: len(list)}
	li := make(map[string]int, len(lines))
	for i, l := range lines {
		li[l] = i
		p.Cells[i] = make([]Tally, len(columns))
	}
	ci := make(map[string]int, len(columns))
	for j, c := range columns {
		ci[c] = j
	}
	for _, e := range list {
		for _, l := range e.Criteria {
			i, ok := li[l]
			if !ok {
				continue
			}
			for _, c := range of(e) {
				if j, ok := ci[c]; ok {
					p.Cells[i][j].add(e.Polarity)
				}
			}
		}
	}
	return p
}

// Thin lists the cells with too little evidence, line by line.
func (p *Picture) Thin() []ThinCell {
	var out []ThinCell
	for i, row := range p.Cells {
		for j, t := range row {
			if t.Thin() {
				out = append(out, ThinCell{Line: p.Lines[i], Column: p.Columns[j], Tally: t})
			}
		}
	}
	return out
}
