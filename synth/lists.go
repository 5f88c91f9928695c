package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"jtai"
)

// AreaOptions say what synthetic area to make.
type AreaOptions struct {
	Children int       // children on the lists; default 200
	Seed     uint64    // the same seed gives the same files
	AsOf     jtai.Date // the date the lists are drawn up; default 31 March 2025
	Faults   bool      // also write deliberately broken files, each named for its fault
	// LACode is the local authority's three-digit number the CIN census's
	// Header gives (LEA): it must be the inspection's area's for the census
	// to import. Default DemoLACode, the demo area's.
	LACode string
}

// DemoLACode is the demo area's (Eastmere's) LA code: the synthetic
// census's LEA unless told otherwise.
const DemoLACode = "990"

// Styles of the files written.
const (
	StyleOfficial = "official" // Ofsted's template: List_N sheets, a title row, letter-prefixed codes, date cells
	StyleExport   = "export"   // a local export: "List N" sheets, headings in row 1, other wordings, extra columns, text dates, bare codes
)

// Kinds of the files written.
const (
	FileAnnexAWorkbook = "annex-a-xlsx"
	FileAnnexACSV      = "annex-a-csv"
	FileCINXML         = "cin-xml"
	FileDAWorkbook     = "da-xlsx"
	FileDACSV          = "da-csv"
)

// ManifestFile is one file written.
type ManifestFile struct {
	Name  string // relative to the manifest's directory
	Kind  string // a File* kind
	Style string // a Style* style, for Annex A files
	List  int    // the Annex A list of a CSV file
	Rows  int    // data rows written (CIN: episodes)
	Fault string // for a broken file, the problem rule it must raise (date-invalid, file-type...); empty otherwise
}

// Manifest lists the files WriteAreaFiles wrote.
type Manifest struct {
	Dir      string
	Children int
	Files    []ManifestFile
}

// WriteAreaFiles writes into dir a consistent set of synthetic lists for
// one area, all about the same children (the same LA child identifiers):
// the Annex A workbook in Ofsted's template style and in a local export
// style, the Annex A lists as CSV files, a CIN census XML file and the
// domestic-abuse notifications as a workbook and a CSV file. With
// opts.Faults it also writes broken files under dir/faults.
func WriteAreaFiles(dir string, opts AreaOptions) (Manifest, error) {
	a := NewArea(opts)
	m := Manifest{Dir: dir, Children: len(a.stories)}
	if err := os.MkdirAll(filepath.Join(dir, "csv"), 0o755); err != nil {
		return m, err
	}
	write := func(mf ManifestFile, fn func(f *os.File) (int, error)) error {
		f, err := os.Create(filepath.Join(dir, mf.Name))
		if err != nil {
			return err
		}
		n, err := fn(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", mf.Name, err)
		}
		mf.Rows = n
		m.Files = append(m.Files, mf)
		return nil
	}
	steps := []struct {
		mf ManifestFile
		fn func(f *os.File) (int, error)
	}{
		{ManifestFile{Name: "annex-a.xlsx", Kind: FileAnnexAWorkbook, Style: StyleOfficial}, func(f *os.File) (int, error) { return a.WriteAnnexA(f, StyleOfficial) }},
		{ManifestFile{Name: "annex-a-export.xlsx", Kind: FileAnnexAWorkbook, Style: StyleExport}, func(f *os.File) (int, error) { return a.WriteAnnexA(f, StyleExport) }},
		{ManifestFile{Name: "cin-census.xml", Kind: FileCINXML}, func(f *os.File) (int, error) { return a.WriteCIN(f) }},
		{ManifestFile{Name: "da-notifications.xlsx", Kind: FileDAWorkbook}, func(f *os.File) (int, error) { return a.WriteDA(f, "xlsx") }},
		{ManifestFile{Name: "da-notifications.csv", Kind: FileDACSV}, func(f *os.File) (int, error) { return a.WriteDA(f, "csv") }},
	}
	for n := 1; n <= annexALists; n++ {
		n := n
		steps = append(steps, struct {
			mf ManifestFile
			fn func(f *os.File) (int, error)
		}{ManifestFile{Name: fmt.Sprintf("csv/annex-a-list-%d.csv", n), Kind: FileAnnexACSV, Style: StyleOfficial, List: n},
			func(f *os.File) (int, error) { return a.WriteAnnexACSV(f, n, StyleOfficial) }})
	}
	for _, s := range steps {
		if err := write(s.mf, s.fn); err != nil {
			return m, err
		}
	}
	if opts.Faults {
		if err := a.writeFaults(dir, &m); err != nil {
			return m, err
		}
	}
	return m, nil
}

// Stages a child can be at, from the front door to care.
const (
	stageContact    = iota // a contact, no further action
	stageReferral          // referred, then no further action
	stageAssessment        // assessed, closed
	stageEarlyHelp         // early help after a contact
	stageCIN               // child in need plan
	stageCP                // child protection plan
	stageCIC               // in care
)

// story is one child's journey through the lists.
type story struct {
	c        *jtai.Child
	stage    int
	age      int // on AsOf; -1 unborn
	contact  jtai.Date
	source   string // referral source code
	referral jtai.Date
	nfa      bool
	ehStart  jtai.Date
	ehEnd    jtai.Date
	asStart  jtai.Date
	asAuth   jtai.Date
	factors  []string
	s47      jtai.Date
	icpc     jtai.Date
	cpStart  jtai.Date
	category string
	cinStart jtai.Date
	cinEnd   jtai.Date
	closure  string
	need     string
	lacStart jtai.Date
	disabled bool
	team     string
	worker   string
	da       []incident
}

// Area is a synthetic area's children and their stories, ready to be
// written in any of the lists' layouts.
type Area struct {
	AsOf    jtai.Date
	LACode  string // the census's LEA
	g       *Generator
	stories []*story
}

// NewArea makes the children and stories of an area.
func NewArea(opts AreaOptions) *Area {
	if opts.Children <= 0 {
		opts.Children = 200
	}
	if opts.AsOf.IsZero() {
		opts.AsOf = jtai.NewDate(2025, time.March, 31)
	}
	if opts.LACode == "" {
		opts.LACode = DemoLACode
	}
	g := New(opts.Seed)
	a := &Area{AsOf: opts.AsOf, LACode: opts.LACode, g: g}
	for i := 0; i < opts.Children; i++ {
		a.stories = append(a.stories, a.story(g.Child(opts.AsOf)))
	}
	return a
}

// Children returns the area's children.
func (a *Area) Children() []*jtai.Child {
	out := make([]*jtai.Child, len(a.stories))
	for i, s := range a.stories {
		out[i] = s.c
	}
	return out
}

var (
	stageWeights = []int{stageContact: 30, stageReferral: 14, stageAssessment: 16, stageEarlyHelp: 10, stageCIN: 12, stageCP: 9, stageCIC: 9}
	// Referral sources, police (6) the most common, as nationally.
	sources = []string{"6", "6", "6", "6", "6", "2A", "2A", "2A", "3A", "3B", "3E", "3F", "1A", "1C", "5A", "5B", "4", "7", "8", "9", "10", "2B"}
	// Factors other than domestic abuse found at assessment.
	otherFactors = []string{"1B", "2B", "4B", "4A", "16A", "17A", "14A", "10A", "5B", "6B", "21", "24A", "11A"}
	needs        = []string{"N1", "N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N8"}
	categories   = []string{"NEG", "NEG", "EMO", "EMO", "EMO", "PHY", "SAB", "MUL"}
	teams        = []string{"Front Door", "Assessment Team North", "Assessment Team South", "Family Support East", "Children in Care Team", "Leaving Care Team"}
)

func (a *Area) pickWeighted(ws []int) int {
	total := 0
	for _, w := range ws {
		total += w
	}
	n := a.g.Intn(total)
	for i, w := range ws {
		if n < w {
			return i
		}
		n -= w
	}
	return len(ws) - 1
}

// days returns d moved by n days.
func days(d jtai.Date, n int) jtai.Date { return jtai.Date{Time: d.AddDate(0, 0, n)} }

// beforeAsOf keeps d only when it is on or before the lists' date.
func (a *Area) beforeAsOf(d jtai.Date) jtai.Date {
	if d.After(a.AsOf.Time) {
		return jtai.Date{}
	}
	return d
}

// notAfterAsOf is d, or the lists' date when d is after it: the census
// holds nothing later than its reference date.
func (a *Area) notAfterAsOf(d jtai.Date) jtai.Date {
	if d.After(a.AsOf.Time) {
		return a.AsOf
	}
	return d
}

// contactSpan is how many days before the lists' date a child's first
// contact may be: up to a year, but not before the child's birth, nor
// more than 40 weeks before an unborn child's expected date, so that the
// census's dates are plausible (see ingest/cincensus, plausible.go).
func (a *Area) contactSpan(c *jtai.Child) int {
	span := 365
	switch {
	case c.DateOfBirth != nil:
		span = min(span, int(a.AsOf.Sub(c.DateOfBirth.Time).Hours()/24)+1)
	case c.ExpectedDate != nil:
		span = min(span, 270-int(c.ExpectedDate.Sub(a.AsOf.Time).Hours()/24))
	}
	return max(span, 1)
}

func (a *Area) story(c *jtai.Child) *story {
	g := a.g
	s := &story{c: c, stage: a.pickWeighted(stageWeights), age: -1}
	if c.DateOfBirth != nil {
		s.age = ageOn(*c.DateOfBirth, a.AsOf)
	}
	s.disabled = g.Intn(12) == 0
	s.team = g.Pick(teams)
	s.worker = g.GivenName() + " " + g.FamilyName()
	s.contact = days(a.AsOf, -g.Intn(a.contactSpan(c)))
	s.source = g.Pick(sources)
	switch s.stage {
	case stageContact:
		a.maybeDA(s, 4)
		return s
	case stageEarlyHelp:
		s.ehStart = days(s.contact, 1+g.Intn(14))
		s.ehEnd = a.beforeAsOf(days(s.ehStart, 20+g.Intn(40)))
		a.maybeDA(s, 4)
		return s
	}
	s.referral = a.notAfterAsOf(days(s.contact, g.Intn(3)))
	if s.stage == stageReferral {
		s.nfa = true
		a.maybeDA(s, 5)
		return s
	}
	s.asStart = a.notAfterAsOf(days(s.referral, g.Intn(5)))
	s.asAuth = a.beforeAsOf(days(s.asStart, 10+g.Intn(35)))
	a.factors(s)
	s.cinStart = s.referral
	if s.stage == stageAssessment {
		s.cinEnd = s.asAuth
		if !s.cinEnd.IsZero() {
			s.closure = []string{"RC8", "RC8", "RC9"}[g.Intn(3)]
		}
		return s
	}
	s.need = g.Pick(needs)
	switch s.stage {
	case stageCP:
		s.s47 = a.notAfterAsOf(days(s.referral, 1+g.Intn(7)))
		s.icpc = a.notAfterAsOf(days(s.s47, 10+g.Intn(6)))
		s.cpStart = s.icpc
		s.category = g.Pick(categories)
		s.need = "N1"
	case stageCIC:
		s.lacStart = days(s.referral, g.Intn(60))
	}
	return s
}

// factors gives an assessment its factors: domestic abuse (3A, 3B, 3C) on
// about a third, as the most common factor nationally.
func (a *Area) factors(s *story) {
	g := a.g
	if g.Intn(100) < 36 {
		s.factors = append(s.factors, []string{"3B", "3B", "3B", "3A", "3A", "3C"}[g.Intn(6)])
		if g.Intn(3) == 0 {
			s.factors = append(s.factors, "3A")
		}
		a.addDA(s)
	}
	for n := g.Intn(3); n > 0; n-- {
		f := g.Pick(otherFactors)
		if f == "21" && len(s.factors) > 0 {
			continue
		}
		if !contains(s.factors, f) {
			s.factors = append(s.factors, f)
		}
	}
	if len(s.factors) == 0 {
		s.factors = []string{"21"}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func ageOn(dob, on jtai.Date) int {
	age := on.Year() - dob.Year()
	if on.YearDay() < dob.YearDay() {
		age--
	}
	return max(age, 0)
}
