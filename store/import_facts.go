package store

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"jtai"
	"jtai/ingest"
)

// childLinks gathers what every row about one child says, from every list
// and file: the child's identity and its facts. A child's facts are always
// rebuilt from all of its rows, so that replacing one list can take away
// what only that list said.
type childLinks struct {
	id    string // the LA child ID, normalised
	child jtai.Child
	facts factSet
	rows  int
	// Where each identity value came from, to name both places when
	// another row disagrees; fresh is whether that row is from this import.
	dobFrom, eddFrom ingest.Source
	dobFresh         bool
	eddFresh         bool
}

// factSet is jtai.ChildFacts as small sets, while rows are folded in.
// Slices rather than maps: a child has a handful of each, and an import
// holds one factSet per child.
type factSet struct {
	factors, sources, contacts, abuse, lists []string
	stages                                   []jtai.Stage
	agencies                                 []jtai.AgencyKind
	notifications                            int
	present, marac, openAssessment           bool
	// ended is the latest end of each signal's episodes; open the signals
	// that some open (or undated) episode carries, which are current.
	ended map[string]jtai.Date
	open  []string
}

// signal notes that a row carries a signal, and when the row's episode or
// event ended (zero: it is open, or gives no date).
func (f *factSet) signal(key string, end jtai.Date) {
	if slices.Contains(f.open, key) {
		return
	}
	if end.IsZero() {
		f.open = append(f.open, key)
		delete(f.ended, key)
		return
	}
	if f.ended == nil {
		f.ended = map[string]jtai.Date{}
	}
	if was, ok := f.ended[key]; !ok || end.After(was.Time) {
		f.ended[key] = end
	}
}

// rowEnd is when a row's episode or event ended, as far as screening's
// window goes: a census episode's closure, a contact's or referral's date,
// a notification's incident or MARAC date; zero while it is open.
func rowEnd(r *ingest.Record) jtai.Date {
	switch r.List {
	case ingest.ListCINCensus:
		return r.CINClosureDate
	case ingest.ListAnnexA1:
		return r.ContactDate
	case ingest.ListAnnexA3:
		return r.ReferralDate
	case ingest.ListDANotifications:
		if r.MARACCase == ingest.Yes && r.MARACDate.After(r.IncidentDate.Time) {
			return r.MARACDate
		}
		return r.IncidentDate
	}
	return jtai.Date{}
}

// openAssessment reports whether the row shows an assessment in a case
// still open: a census episode with an assessment and no closure, an
// Annex A assessment not yet authorised, or a list 6 case still at
// assessment.
func openAssessment(r *ingest.Record) bool {
	switch r.List {
	case ingest.ListCINCensus:
		return !r.AssessmentStartDate.IsZero() && r.CINClosureDate.IsZero()
	case ingest.ListAnnexA4:
		return !r.AssessmentStartDate.IsZero() && r.AssessmentAuthDate.IsZero()
	case ingest.ListAnnexA6:
		return strings.EqualFold(r.CaseStatus, "Open assessment")
	}
	return false
}

func add[K comparable](set *[]K, k K) {
	if !slices.Contains(*set, k) {
		*set = append(*set, k)
	}
}

// listStages are the stages that being on a list shows.
var listStages = map[string][]jtai.Stage{
	ingest.ListAnnexA1:  {jtai.StageContact},
	ingest.ListAnnexA2:  {jtai.StageEarlyHelp},
	ingest.ListAnnexA3:  {jtai.StageReferral},
	ingest.ListAnnexA4:  {jtai.StageAssessment},
	ingest.ListAnnexA5:  {jtai.StageAssessment},
	ingest.ListAnnexA6:  {jtai.StageChildInNeed},
	ingest.ListAnnexA7:  {jtai.StageChildProtection},
	ingest.ListAnnexA8:  {jtai.StageChildInCare},
	ingest.ListAnnexA9:  {jtai.StageChildInCare},
	ingest.ListAnnexA10: {jtai.StageChildInCare},
}

// sourceAgency is the agency behind a referral or contact source code.
func sourceAgency(code string) jtai.AgencyKind {
	switch {
	case code == "6":
		return jtai.AgencyPolice
	case code == "2A" || code == "2B":
		return jtai.AgencyEducation
	case code != "" && code[0] == '3': // 3A to 3F, or the grouped 3
		return jtai.AgencyHealth
	}
	return ""
}

// fold adds one row's facts.
func (f *factSet) fold(r *ingest.Record) {
	end := rowEnd(r)
	f.openAssessment = f.openAssessment || openAssessment(r)
	add(&f.lists, r.List)
	for _, s := range listStages[r.List] {
		add(&f.stages, s)
	}
	if r.List != ingest.ListDANotifications {
		add(&f.agencies, jtai.AgencySocialCare)
	}
	switch r.List {
	case ingest.ListCINCensus:
		add(&f.stages, jtai.StageReferral)
		if !r.AssessmentStartDate.IsZero() || !r.S47StartDate.IsZero() {
			add(&f.stages, jtai.StageAssessment)
		}
		if !r.CINStartDate.IsZero() {
			add(&f.stages, jtai.StageChildInNeed)
		}
		if !r.CPPlanStartDate.IsZero() {
			add(&f.stages, jtai.StageChildProtection)
		}
	case ingest.ListAnnexA5:
		if r.ICPCPlan == ingest.Yes {
			add(&f.stages, jtai.StageChildProtection)
		}
	case ingest.ListDANotifications:
		f.notifications++
		f.present = f.present || r.ChildPresent == ingest.Yes
		f.marac = f.marac || r.MARACCase == ingest.Yes
		f.signal(jtai.SignalPoliceNotification, end)
		if r.ChildPresent == ingest.Yes {
			f.signal(jtai.SignalPoliceChildPresent, end)
		}
		if r.MARACCase == ingest.Yes {
			f.signal(jtai.SignalMARAC, end)
		}
		add(&f.agencies, jtai.AgencyPolice)
		if r.NotifiedCSC == ingest.Yes {
			add(&f.stages, jtai.StageContact)
			add(&f.agencies, jtai.AgencySocialCare)
		}
		if r.NotifiedSchool == ingest.Yes {
			add(&f.agencies, jtai.AgencyEducation)
		}
		if r.MARACCase == ingest.Yes {
			add(&f.agencies, jtai.AgencyProbation)
		}
		if r.AbuseType != "" {
			add(&f.abuse, r.AbuseType)
		}
	}
	for _, c := range r.AssessmentFactors {
		add(&f.factors, c)
		f.signal(jtai.SignalFactor(c), end)
	}
	if r.ReferralSource != "" {
		add(&f.sources, r.ReferralSource)
		f.signal(jtai.SignalReferralSource(r.ReferralSource), end)
	}
	if r.List == ingest.ListAnnexA1 && r.ContactSource != "" {
		add(&f.contacts, r.ContactSource)
		f.signal(jtai.SignalContactSource(r.ContactSource), end)
	}
	for _, code := range []string{r.ReferralSource, r.ContactSource} {
		if a := sourceAgency(code); a != "" {
			add(&f.agencies, a)
		}
	}
}

func sorted(set []string) []string {
	if len(set) == 0 {
		return nil
	}
	out := slices.Clone(set)
	slices.Sort(out)
	return out
}

// facts returns the gathered facts, stages in order of intensity.
func (f *factSet) facts() jtai.ChildFacts {
	out := jtai.ChildFacts{
		Factors: sorted(f.factors), ReferralSources: sorted(f.sources), ContactSources: sorted(f.contacts), AbuseTypes: sorted(f.abuse), Lists: sorted(f.lists),
		PoliceNotifications: f.notifications, PoliceChildPresent: f.present, MARAC: f.marac, OpenAssessment: f.openAssessment,
	}
	if len(f.ended) > 0 {
		out.Ended = maps.Clone(f.ended)
	}
	for _, s := range jtai.Stages {
		if slices.Contains(f.stages, s) {
			out.Stages = append(out.Stages, s)
		}
	}
	for _, k := range jtai.AgencyKinds {
		if slices.Contains(f.agencies, k) {
			out.Agencies = append(out.Agencies, k)
		}
	}
	return out
}

// link folds one row into the child's links. fresh says the row is from the
// import under way; a disagreement with an earlier row is a warning naming
// both places, unless both rows were imported before (it was reported then).
func (l *childLinks) link(r *ingest.Record, fresh bool, warn func(ingest.Problem)) {
	l.rows++
	l.facts.fold(r)
	c := &l.child
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&c.FirstName, r.FirstName)
	fill(&c.LastName, r.LastName)
	fill(&c.Gender, r.Gender)
	fill(&c.Ethnicity, r.Ethnicity)
	fill(&c.Postcode, r.Postcode)
	if c.DateOfDeath == nil && !r.DateOfDeath.IsZero() {
		d := r.DateOfDeath
		c.DateOfDeath = &d
	}
	l.date(&c.DateOfBirth, &l.dobFrom, &l.dobFresh, r.DateOfBirth, r, fresh, "date of birth", "Date of Birth", warn)
	l.date(&c.ExpectedDate, &l.eddFrom, &l.eddFresh, r.ExpectedDateOfBirth, r, fresh, "expected date of birth", "Expected Date of Birth", warn)
}

func (l *childLinks) date(dst **jtai.Date, from *ingest.Source, fromFresh *bool, v jtai.Date, r *ingest.Record, fresh bool, what, column string, warn func(ingest.Problem)) {
	switch {
	case v.IsZero():
	case *dst == nil:
		d := v
		*dst, *from, *fromFresh = &d, r.Source, fresh
	case !(*dst).Equal(v.Time) && (fresh || *fromFresh):
		at := r.Source
		at.Column = column
		warn(ingest.Problem{Source: at, Rule: ingest.RuleInconsistent, Severity: ingest.Warning,
			Message: fmt.Sprintf("The same child has a different %s at %s and at %s; jtai keeps the one at %s", what, place(*from), place(r.Source), place(*from))})
	}
}

// place names where a row is, for messages: file, sheet and row, or the
// line of an XML file.
func place(s ingest.Source) string {
	p := s.File
	if s.Sheet != "" {
		p += fmt.Sprintf(", sheet '%s'", s.Sheet)
	}
	if s.Row > 0 {
		if s.Sheet == "" && isXML(s.File) {
			p += fmt.Sprintf(", line %d", s.Row)
		} else {
			p += fmt.Sprintf(", row %d", s.Row)
		}
	}
	return p
}

func isXML(name string) bool {
	return len(name) > 4 && (name[len(name)-4:] == ".xml" || name[len(name)-4:] == ".XML")
}
