package jtai

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
// enquiry (criterion or focus area) and each agency, the records that bear
// on both, by polarity.
type Picture struct {
	Lines    []string // line ids, in the theme's order
	Agencies []int64  // agency ids, in the area's order
	Cells    [][]Tally
	Records  int
}

// ThinCell is a cell of the picture with too little evidence.
type ThinCell struct {
	Line   string
	Agency int64
	Tally  Tally
}

// NewPicture counts the records of list in a picture of lines against
// agencies; a record counts once in every cell of its lines and agencies.
// Lines or agencies a record names that are not given are not counted.
func NewPicture(lines []string, agencies []int64, list []*Evidence) *Picture {
	p := &Picture{Lines: lines, Agencies: agencies, Cells: make([][]Tally, len(lines)), Records: len(list)}
	li := make(map[string]int, len(lines))
	for i, l := range lines {
		li[l] = i
		p.Cells[i] = make([]Tally, len(agencies))
	}
	ai := make(map[int64]int, len(agencies))
	for j, a := range agencies {
		ai[a] = j
	}
	for _, e := range list {
		for _, l := range e.Criteria {
			i, ok := li[l]
			if !ok {
				continue
			}
			for _, a := range e.AgencyIDs {
				if j, ok := ai[a]; ok {
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
				out = append(out, ThinCell{Line: p.Lines[i], Agency: p.Agencies[j], Tally: t})
			}
		}
	}
	return out
}
