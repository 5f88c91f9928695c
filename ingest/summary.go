package ingest

import (
	"sort"

	"jtai"
)

// ListCount is how many rows of one list were read from one place.
type ListCount struct {
	List  string `json:"list"` // a List* identifier
	File  string `json:"file"`
	Sheet string `json:"sheet,omitempty"`
	Rows  int    `json:"rows"` // records handed to the callback (blank rows not counted)
	// The CIN census's Header: the local authority's three-digit number
	// (LEA) and the census's reference date. Blank for other lists, or when
	// the census does not give them.
	LACode        string    `json:"la_code,omitempty"`
	ReferenceDate jtai.Date `json:"reference_date,omitzero"`
}

// Summary is what a parser found: the rows per list and the problems. It
// keeps the first Limits.MaxProblems problems and counts every one by rule
// and severity, so that a file with a million bad rows cannot exhaust memory.
type Summary struct {
	Lists    []ListCount    `json:"lists"`
	Problems []Problem      `json:"problems"`
	ByRule   map[string]int `json:"by_rule"` // every problem, kept or not, counted by rule
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	Dropped  int            `json:"dropped,omitempty"` // problems counted but not kept

	max int
}

// NewSummary returns an empty summary keeping at most maxProblems problems
// (DefaultLimits' when maxProblems is zero or less).
func NewSummary(maxProblems int) *Summary {
	if maxProblems <= 0 {
		maxProblems = DefaultLimits().MaxProblems
	}
	return &Summary{ByRule: map[string]int{}, max: maxProblems}
}

// Add records a problem.
func (s *Summary) Add(p Problem) {
	if s.ByRule == nil {
		s.ByRule = map[string]int{}
	}
	s.ByRule[p.Rule]++
	if p.Severity == Error {
		s.Errors++
	} else {
		s.Warnings++
	}
	if s.max == 0 {
		s.max = DefaultLimits().MaxProblems
	}
	if len(s.Problems) >= s.max {
		s.Dropped++
		return
	}
	s.Problems = append(s.Problems, p)
}

// Rows returns the number of rows read for list, over every file and sheet.
func (s *Summary) Rows(list string) int {
	n := 0
	for _, c := range s.Lists {
		if c.List == list {
			n += c.Rows
		}
	}
	return n
}

// Merge adds another summary's lists and problems to s, so that a caller
// importing several files can show one summary.
func (s *Summary) Merge(o *Summary) {
	if o == nil {
		return
	}
	if s.ByRule == nil {
		s.ByRule = map[string]int{}
	}
	if s.max == 0 {
		s.max = DefaultLimits().MaxProblems
	}
	s.Lists = append(s.Lists, o.Lists...)
	for rule, n := range o.ByRule {
		s.ByRule[rule] += n
	}
	s.Errors += o.Errors
	s.Warnings += o.Warnings
	s.Dropped += o.Dropped
	for _, p := range o.Problems {
		if len(s.Problems) >= s.max {
			s.Dropped++
			continue
		}
		s.Problems = append(s.Problems, p)
	}
}

// Sort orders the kept problems by file, sheet and row, keeping the order in
// which problems on the same row were found.
func (s *Summary) Sort() {
	sort.SliceStable(s.Problems, func(i, j int) bool {
		a, b := s.Problems[i], s.Problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		return a.Row < b.Row
	})
}
