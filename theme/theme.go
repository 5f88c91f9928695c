package theme

import (
	"slices"

	"jtai"
)

// Theme is one inspection theme, as read from its YAML file.
type Theme struct {
	ID             string              `yaml:"id"`
	Title          string              `yaml:"title"`
	Period         Period              `yaml:"period"`
	Inspectorates  []jtai.Inspectorate `yaml:"inspectorates"`
	Description    string              `yaml:"description"`
	Sources        []string            `yaml:"sources"`
	Scope          Scope               `yaml:"scope"`
	FocusAreas     []FocusArea         `yaml:"focus_areas"`
	CriteriaStatus CriteriaStatus      `yaml:"criteria_status"`
	Criteria       []Criterion         `yaml:"criteria"`
	Lists          []List              `yaml:"lists"`
	Documents      []Document          `yaml:"documents"`
	Selection      Selection           `yaml:"selection"`
	Audit          Audit               `yaml:"audit"`
	Report         Report              `yaml:"report"`
	Timetable      []Step              `yaml:"timetable"`

	// File is where the theme was read from: "themes/NAME.yaml" for a
	// built-in theme, the path given otherwise.
	File string `yaml:"-"`
	// Builtin reports whether the theme is embedded in the program.
	Builtin bool `yaml:"-"`

	idLine int // the line of the id field, for problems found across files
}

// Period is when a series of inspections ran. Start and End are "YYYY" or
// "YYYY-MM"; an empty End means the series is still running.
type Period struct {
	Label string `yaml:"label"`
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// Scope says which children the theme's deep dive looks at.
type Scope struct {
	Description string   `yaml:"description"`
	Age         AgeRange `yaml:"age"`
	// CurrentMonths is the screening window: a signal from an episode or
	// event that ended more than this many months before the notification
	// is history, not the current signal. 0: every signal is current.
	CurrentMonths int    `yaml:"current_months"`
	Rules         []Rule `yaml:"rules"`
}

// AgeRange is the ages, in whole years, of the children in scope, taken at
// the date given by At.
type AgeRange struct {
	Min int `yaml:"min"`
	Max int `yaml:"max"`
	// At is the date the age is taken at; only "notification-date" is known.
	At string `yaml:"at"`
	// Unborn reports whether unborn babies (an expected date of birth and no
	// date of birth) are in scope.
	Unborn     bool   `yaml:"unborn"`
	Source     string `yaml:"source"`
	Assumption bool   `yaml:"assumption"`
}

// AgeAtNotificationDate is the only value AgeRange.At may take.
const AgeAtNotificationDate = "notification-date"

// RuleKind is what a screening rule looks at. The set is closed: screening
// code implements each kind, so a theme file cannot add one.
type RuleKind string

// Rule kinds.
const (
	// KindAgeRange: the child's age at the notification date lies outside
	// Scope.Age. Effect exclude.
	KindAgeRange RuleKind = "age-range"
	// KindUnborn: an expected date of birth and no date of birth. Effect
	// include; needs Scope.Age.Unborn.
	KindUnborn RuleKind = "unborn"
	// KindCINFactor: a children-in-need assessment factor in Codes was
	// identified at an authorised assessment.
	KindCINFactor RuleKind = "cin-factor"
	// KindPoliceNotification: a police domestic-abuse notification, with the
	// child present when ChildPresent is set.
	KindPoliceNotification RuleKind = "police-notification"
	// KindMARAC: a MARAC case with the child in the household.
	KindMARAC RuleKind = "marac"
	// KindReferralSource: a referral whose source code is in Codes.
	KindReferralSource RuleKind = "referral-source"
	// KindAbuseTypeExcluded: the recorded abuse type is in Codes. Effect
	// exclude.
	KindAbuseTypeExcluded RuleKind = "abuse-type-excluded"
	// KindContactSource: a contact whose source code is in Codes.
	KindContactSource RuleKind = "contact-source"
	// KindOpenAssessmentNoFactors: an assessment in an episode still open,
	// with no assessment factor recorded for the child. Effect review.
	KindOpenAssessmentNoFactors RuleKind = "open-assessment-no-factors"
)

// RuleKinds lists every rule kind the validator knows.
var RuleKinds = []RuleKind{
	KindAgeRange, KindUnborn, KindCINFactor, KindPoliceNotification,
	KindMARAC, KindReferralSource, KindAbuseTypeExcluded, KindContactSource,
	KindOpenAssessmentNoFactors,
}

// Effect is what a matching rule does to a child's place in scope.
type Effect string

// Effects. A child matched by any exclude rule is out of scope whatever
// else matches; otherwise an include rule brings the child into scope; a
// review rule alone puts the child on the list for an inspector to decide.
const (
	EffectInclude Effect = "include"
	EffectReview  Effect = "review"
	EffectExclude Effect = "exclude"
)

// Rule is one screening rule. Its ID is the reason recorded against each
// child it matches, so it must stay stable once a theme is in use.
type Rule struct {
	ID     string   `yaml:"id"`
	Kind   RuleKind `yaml:"kind"`
	Effect Effect   `yaml:"effect"`
	// Label is the reason in plain English, as shown to inspectors.
	Label string `yaml:"label"`
	// Codes are the CIN assessment factor codes (cin-factor), referral
	// source codes (referral-source, contact-source) or abuse types
	// (abuse-type-excluded)
	// that match. Other kinds take none.
	Codes []string `yaml:"codes"`
	// ChildPresent, for police-notification, requires that a child was
	// present at the incident.
	ChildPresent bool   `yaml:"child_present"`
	Source       string `yaml:"source"`
	Assumption   bool   `yaml:"assumption"`
}

// FocusArea is one of the broad things a theme's inspections evaluate.
type FocusArea struct {
	ID     string `yaml:"id"`
	Title  string `yaml:"title"`
	Text   string `yaml:"text"`
	Source string `yaml:"source"`
}

// CriteriaStatus says whether a theme's evaluation criteria are recorded.
type CriteriaStatus string

// Criteria statuses. An empty status means supplied.
const (
	CriteriaSupplied       CriteriaStatus = "supplied"
	CriteriaNotYetSupplied CriteriaStatus = "not-yet-supplied"
)

// Criterion is one evaluation criterion. Findings are written against
// criteria; they carry no grade.
type Criterion struct {
	ID      string `yaml:"id"`
	Summary string `yaml:"summary"`
	Text    string `yaml:"text"`
	Source  string `yaml:"source"`
}

// ListFormat is the layout of a list of children, which picks its importer.
type ListFormat string

// List formats.
const (
	FormatAnnexA                     ListFormat = "annex-a"
	FormatCINCensus                  ListFormat = "cin-census"
	FormatDomesticAbuseNotifications ListFormat = "domestic-abuse-notifications"
)

// ListFormats lists every list format the validator knows.
var ListFormats = []ListFormat{FormatAnnexA, FormatCINCensus, FormatDomesticAbuseNotifications}

// Need says how much a theme needs a list or document.
type Need string

// Needs.
const (
	NeedRequired Need = "required"
	NeedRelevant Need = "relevant"
	NeedOptional Need = "optional"
)

// Words says the need for people, as a task's hint: nothing for what is
// required.
func (n Need) Words() string {
	switch n {
	case NeedRelevant:
		return "if the area holds it"
	case NeedOptional:
		return "optional"
	}
	return ""
}

// Needs lists every need the validator knows.
var Needs = []Need{NeedRequired, NeedRelevant, NeedOptional}

// List is one list of children the area supplies at notification.
type List struct {
	ID     string     `yaml:"id"`
	Title  string     `yaml:"title"`
	Format ListFormat `yaml:"format"`
	// Number is the Annex A list number (1 to 11); annex-a lists only.
	Number     int    `yaml:"number"`
	Need       Need   `yaml:"need"`
	Source     string `yaml:"source"`
	Assumption bool   `yaml:"assumption"`
}

// Document is one strategic document the partnership supplies.
type Document struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Source      string `yaml:"source"`
	Assumption  bool   `yaml:"assumption"`
}

// Selection holds the parameters for choosing children: those tracked in
// depth (and jointly audited) and the wider sample.
type Selection struct {
	CaseTracking SampleSize `yaml:"case_tracking"`
	CaseSample   SampleSize `yaml:"case_sample"`
	Strata       []Stratum  `yaml:"strata"`
	Source       string     `yaml:"source"`
	Assumption   bool       `yaml:"assumption"`
}

// SampleSize is how many children to select: at least Min (0 for no
// minimum), Default unless an inspector chooses otherwise.
type SampleSize struct {
	Min     int `yaml:"min"`
	Default int `yaml:"default"`
}

// Stratum is one dimension the selection is spread over. Values are its
// groups; empty means the groups come from the data (for example the rule
// that brought a child into scope, or the agencies involved). An "age-band"
// stratum's values are "unborn" or "MIN-MAX" in years.
type Stratum struct {
	ID     string   `yaml:"id"`
	Label  string   `yaml:"label"`
	Values []string `yaml:"values"`
}

// Audit is the joint audit the partnership completes on the tracked
// children. Audit findings describe practice; they grade nothing.
type Audit struct {
	// LookbackMonths is how far back each answer looks.
	LookbackMonths int         `yaml:"lookback_months"`
	Parts          []AuditPart `yaml:"parts"`
	Source         string      `yaml:"source"`
	Assumption     bool        `yaml:"assumption"`
}

// AuditPart is one part of a joint audit. A part with PerAgency set is
// answered once by each agency that worked with the child (of those in
// Agencies, or any when Agencies is empty); otherwise the partnership
// answers it once.
type AuditPart struct {
	ID        string            `yaml:"id"`
	Title     string            `yaml:"title"`
	PerAgency bool              `yaml:"per_agency"`
	Agencies  []jtai.AgencyKind `yaml:"agencies"`
	Questions []Question        `yaml:"questions"`
}

// Question is one joint audit question.
type Question struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
}

// Report describes the letter of findings.
type Report struct {
	Addressees []Addressee `yaml:"addressees"`
	Sections   []Section   `yaml:"sections"`
	Source     string      `yaml:"source"`
	Assumption bool        `yaml:"assumption"`
}

// Addressee is one recipient of the letter. When WhenInspectorate is set,
// the letter goes to them only if that inspectorate took part.
type Addressee struct {
	ID               string            `yaml:"id"`
	Title            string            `yaml:"title"`
	WhenInspectorate jtai.Inspectorate `yaml:"when_inspectorate"`
}

// Section is one section of the letter, in order.
type Section struct {
	ID       string `yaml:"id"`
	Title    string `yaml:"title"`
	Contents string `yaml:"contents"`
	Optional bool   `yaml:"optional"`
}

// Step is one step of the inspection timetable: WorkingDays after the step
// named by From, or after notification when From is empty; or, with Week,
// the first working day (the last, with LastDay) of that calendar week,
// counting the week of From (or of notification) as week 1, as
// calendar.Step explains.
type Step struct {
	ID          string `yaml:"id"`
	Label       string `yaml:"label"`
	WorkingDays int    `yaml:"working_days"`
	From        string `yaml:"from"`
	Week        int    `yaml:"week"`
	LastDay     bool   `yaml:"last_day"`
	Source      string `yaml:"source"`
	Assumption  bool   `yaml:"assumption"`
}

// CriteriaSupplied reports whether the theme's evaluation criteria are
// recorded.
func (t *Theme) CriteriaSupplied() bool { return t.CriteriaStatus != CriteriaNotYetSupplied }

// HasInspectorate reports whether the inspectorate takes part in the theme.
func (t *Theme) HasInspectorate(i jtai.Inspectorate) bool {
	return slices.Contains(t.Inspectorates, i)
}

// Rule returns the scope rule with the given id.
func (t *Theme) Rule(id string) (Rule, bool) {
	for _, r := range t.Scope.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Criterion returns the evaluation criterion with the given id.
func (t *Theme) Criterion(id string) (Criterion, bool) {
	for _, c := range t.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// Line is what an evidence record or a finding may bear on: one of the
// theme's criteria or one of its focus areas.
type Line struct {
	ID        string
	Title     string
	FocusArea bool
}

// Lines returns the theme's criteria, then its focus areas, in the order
// the theme gives them.
func (t *Theme) Lines() []Line {
	var out []Line
	for _, c := range t.Criteria {
		out = append(out, Line{ID: c.ID, Title: c.Summary})
	}
	for _, f := range t.FocusAreas {
		out = append(out, Line{ID: f.ID, Title: f.Title, FocusArea: true})
	}
	return out
}

// HasLine reports whether id is one of the theme's criteria or focus areas.
func (t *Theme) HasLine(id string) bool {
	_, ok := t.Line(id)
	return ok
}

// Line returns the criterion or focus area with the given id.
func (t *Theme) Line(id string) (Line, bool) {
	for _, l := range t.Lines() {
		if l.ID == id {
			return l, true
		}
	}
	return Line{}, false
}
