// Package screen decides, child by child, whether each child on an
// inspection's lists is in the scope of its theme: in scope, out of scope,
// or needing an inspector's review, always with the machine-readable
// reasons (the ids of the theme's rules) that led there.
//
// Screening is a pure function of the theme, the notification date and the
// children: it reads no clock, no store and no network, and does not care
// where the children came from. It must never drop a child: every child has
// an outcome and its reasons, and one out of scope can still be found and
// added by hand. Needs review is kept for an ambiguous signal, so that
// inspectors are left a list they can decide on (see Decide).
package screen

import (
	"slices"
	"strings"

	"jtai"
	"jtai/theme"
)

// Outcome is where screening puts a child.
type Outcome string

// The outcomes.
const (
	InScope     Outcome = "in-scope"
	OutOfScope  Outcome = "out-of-scope"
	NeedsReview Outcome = "needs-review"
)

// Outcomes lists them in display order.
var Outcomes = []Outcome{InScope, NeedsReview, OutOfScope}

// Label is the outcome for people.
func (o Outcome) Label() string {
	switch o {
	case InScope:
		return "In scope"
	case OutOfScope:
		return "Out of scope"
	case NeedsReview:
		return "Needs review"
	}
	return string(o)
}

// Reasons screening gives that are not rules of the theme.
const (
	// ReasonNoSignal: nothing on the lists signals domestic abuse, so the
	// child is out of scope (still found by the LA child ID, and added by
	// hand when an inspector knows better).
	ReasonNoSignal = "no-da-signal"
	// ReasonHistoryOnly: the signals are all from episodes or events that
	// ended before the theme's window, so they are history.
	ReasonHistoryOnly = "da-history-only"
	// ReasonAgeUnknown: a signal, but neither a date of birth nor an
	// expected date, so the theme's age range cannot be checked.
	ReasonAgeUnknown = "age-unknown"
	// ReasonPastExpectedDate: an unborn child whose expected date of birth
	// is before the notification: born since, or the record is out of date.
	ReasonPastExpectedDate = "unborn-past-expected-date"
	// ReasonNoRules: the theme has no scope rules yet.
	ReasonNoRules = "theme-has-no-scope-rules"
	// ReasonDied: the lists give a date of death (the CIN census's
	// PersonDeathDate). Whatever else they say, the child is out of scope.
	ReasonDied = "died"
	// ReasonNoEvidence was given, before ReasonNoSignal, to a child with no
	// signal; kept so that what screening said at a selection still reads.
	ReasonNoEvidence = "no-evidence"
)

// reasonLabels explain screening's own reasons.
var reasonLabels = map[string]string{
	ReasonNoSignal:         "No domestic-abuse signal on the lists",
	ReasonHistoryOnly:      "Domestic-abuse signals only from episodes that ended before the screening window (history)",
	ReasonAgeUnknown:       "No date of birth or expected date of birth, so the age cannot be checked",
	ReasonPastExpectedDate: "Unborn, but the expected date of birth is before the notification",
	ReasonNoRules:          "The theme has no scope rules yet",
	ReasonNoEvidence:       "Nothing on the lists says whether the child is in scope",
	ReasonDied:             "The child has died (the CIN census gives a date of death)",
}

// ReasonLabel is a reason in plain English, from the theme's rule labels.
func ReasonLabel(t *theme.Theme, reason string) string {
	if r, ok := t.Rule(reason); ok && r.Label != "" {
		return r.Label
	}
	if l, ok := reasonLabels[reason]; ok {
		return l
	}
	return reason
}

// Result is what screening says about one child, with what selection
// spreads over: the age band, the stage and the agencies.
type Result struct {
	ChildID int64 `json:"child_id"`
	// LAChildID is the local authority's identifier, to find the child by.
	LAChildID string  `json:"la_child_id,omitempty"`
	Outcome   Outcome `json:"outcome"`
	// Reasons are the ids of the rules that decided the outcome, deciding
	// ones first: exclusions for out of scope, signals for in scope.
	Reasons []string `json:"reasons"`
	// Signals are the include rules that matched (what brought the child
	// into scope), whatever the outcome.
	Signals []string `json:"signals,omitempty"`
	// Age is in whole years at the notification date; -1 unborn or unknown.
	Age      int               `json:"age"`
	Unborn   bool              `json:"unborn,omitempty"`
	AgeBand  string            `json:"age_band,omitempty"`
	Stage    jtai.Stage        `json:"stage,omitempty"`
	Agencies []jtai.AgencyKind `json:"agencies,omitempty"`
	// Decided: the outcome is an inspector's decision (see Decide).
	Decided bool `json:"decided,omitempty"`
	// Named: the lists give the child a name (the official layouts do
	// not), so a page that shows names opens the child's record for it.
	Named bool `json:"named,omitempty"`
}

// Fingerprint is what screening said, as kept with a selected child: the
// outcome and its reasons ("in-scope:police-notification,cp-plan").
func (r *Result) Fingerprint() string {
	return string(r.Outcome) + ":" + strings.Join(r.Reasons, ",")
}

// ParseFingerprint reads a Fingerprint back.
func ParseFingerprint(f string) (Outcome, []string) {
	o, reasons, _ := strings.Cut(f, ":")
	if reasons == "" {
		return Outcome(o), nil
	}
	return Outcome(o), strings.Split(reasons, ",")
}

// Screening is the outcome for every child of an inspection, in the order
// given.
type Screening struct {
	Results []Result `json:"results"`
}

// Count returns how many children have the outcome.
func (s *Screening) Count(o Outcome) int {
	n := 0
	for i := range s.Results {
		if s.Results[i].Outcome == o {
			n++
		}
	}
	return n
}

// ReasonCount is how many children an outcome gives a reason for.
type ReasonCount struct {
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason"`
	Count   int     `json:"count"`
}

// ByReason counts children by outcome and reason, outcomes in display
// order then the most frequent reason first. A child with two reasons
// counts under each.
func (s *Screening) ByReason() []ReasonCount {
	counts := map[[2]string]int{}
	for i := range s.Results {
		r := &s.Results[i]
		for _, reason := range r.Reasons {
			counts[[2]string{string(r.Outcome), reason}]++
		}
	}
	out := make([]ReasonCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, ReasonCount{Outcome(k[0]), k[1], n})
	}
	slices.SortFunc(out, func(a, b ReasonCount) int {
		if d := slices.Index(Outcomes, a.Outcome) - slices.Index(Outcomes, b.Outcome); d != 0 {
			return d
		}
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Reason < b.Reason {
			return -1
		}
		return 1
	})
	return out
}

// Children screens every child against the theme's scope rules, ages taken
// at the notification date.
func Children(t *theme.Theme, notified jtai.Date, children []*jtai.Child) *Screening {
	s := &Screening{Results: make([]Result, len(children))}
	for i, c := range children {
		s.Results[i] = Child(t, notified, c)
	}
	return s
}

// Child screens one child. An exclusion puts the child out of scope; a
// current signal in scope, unless the age cannot be checked or an unborn
// child's expected date has passed (then it needs review); an ambiguous
// signal alone (a review rule) needs review; a child with no current
// signal is out of scope, with history named when there was some.
func Child(t *theme.Theme, notified jtai.Date, c *jtai.Child) Result {
	r := Result{ChildID: c.ID, LAChildID: c.LAChildID, Named: c.Named(), Age: -1, Stage: c.Facts.HighestStage(), Agencies: c.Facts.Agencies}
	pastExpected := false
	switch {
	case c.DateOfBirth != nil && c.DateOfBirth.After(notified.Time):
		// Born after the notification: unborn on the day ages are taken.
		r.Unborn = true
	case c.DateOfBirth != nil:
		r.Age = AgeAt(*c.DateOfBirth, notified)
	case c.ExpectedDate != nil:
		r.Unborn = true
		pastExpected = c.ExpectedDate.Before(notified.Time)
	}
	r.AgeBand = AgeBand(t, r.Age, r.Unborn)
	if c.Died() {
		r.Outcome, r.Reasons = OutOfScope, []string{ReasonDied}
		return r
	}
	rules := t.Scope.Rules
	if len(rules) == 0 {
		r.Outcome, r.Reasons = NeedsReview, []string{ReasonNoRules}
		return r
	}
	w := window{t: t, facts: &c.Facts}
	if t.Scope.CurrentMonths > 0 {
		w.cut = jtai.Date{Time: notified.AddDate(0, -t.Scope.CurrentMonths, 0)}
	}
	// Qualifiers (being unborn) place a child within the theme's ages; they
	// are reasons shown with the outcome, never evidence of domestic abuse.
	var excluded, reviews, qualifiers []string
	ageRule := false
	for i := range rules {
		rule := &rules[i]
		ageRule = ageRule || rule.Kind == theme.KindAgeRange
		if !w.matches(rule, c, &r) {
			continue
		}
		switch rule.Effect {
		case theme.EffectExclude:
			excluded = append(excluded, rule.ID)
		case theme.EffectInclude:
			if rule.Kind == theme.KindUnborn {
				qualifiers = append(qualifiers, rule.ID)
				continue
			}
			r.Signals = append(r.Signals, rule.ID)
		case theme.EffectReview:
			reviews = append(reviews, rule.ID)
		}
	}
	// A review rule that an include rule's signal covers (a police
	// notification with the child present) is no ambiguity.
	if len(r.Signals) > 0 {
		reviews = nil
	}
	var doubts []string
	switch {
	case ageRule && r.Age < 0 && !r.Unborn:
		doubts = []string{ReasonAgeUnknown}
	case pastExpected:
		doubts = []string{ReasonPastExpectedDate}
	}
	switch {
	case len(excluded) > 0:
		r.Outcome, r.Reasons = OutOfScope, excluded
	case len(r.Signals) > 0 && len(doubts) > 0:
		r.Outcome, r.Reasons = NeedsReview, append(doubts, r.Signals...)
	case len(r.Signals) > 0:
		r.Outcome, r.Reasons = InScope, append(qualifiers, r.Signals...)
	case len(reviews) > 0:
		r.Outcome, r.Reasons = NeedsReview, append(append(doubts, qualifiers...), reviews...)
	case w.history:
		r.Outcome, r.Reasons = OutOfScope, []string{ReasonHistoryOnly}
	default:
		r.Outcome, r.Reasons = OutOfScope, []string{ReasonNoSignal}
	}
	return r
}

// window tells the current signals from history: a signal whose episodes
// all ended before cut is history (cut zero: none is).
type window struct {
	t       *theme.Theme
	facts   *jtai.ChildFacts
	cut     jtai.Date
	history bool // a signal matched but was history
}

// current reports whether any of the signals is current, noting history
// when one matched but is not.
func (w *window) current(signals ...string) bool {
	for _, s := range signals {
		if w.cut.IsZero() || !w.facts.EndedBefore(s, w.cut) {
			return true
		}
	}
	if len(signals) > 0 {
		w.history = true
	}
	return false
}

// codes are the signal keys of the child's codes that a rule names.
func codes(have, ruleCodes []string, key func(string) string) []string {
	var out []string
	for _, h := range have {
		if slices.Contains(ruleCodes, h) {
			out = append(out, key(h))
		}
	}
	return out
}

// matches reports whether the rule matches the child with a current
// signal.
func (w *window) matches(rule *theme.Rule, c *jtai.Child, r *Result) bool {
	f := &c.Facts
	t := w.t
	switch rule.Kind {
	case theme.KindAgeRange:
		return r.Age >= 0 && (r.Age < t.Scope.Age.Min || r.Age > t.Scope.Age.Max)
	case theme.KindUnborn:
		return r.Unborn && t.Scope.Age.Unborn
	case theme.KindCINFactor:
		return w.current(codes(f.Factors, rule.Codes, jtai.SignalFactor)...)
	case theme.KindPoliceNotification:
		switch {
		case rule.ChildPresent && f.PoliceChildPresent:
			return w.current(jtai.SignalPoliceChildPresent)
		case rule.ChildPresent || f.PoliceNotifications == 0:
			return false
		}
		return w.current(jtai.SignalPoliceNotification)
	case theme.KindMARAC:
		return f.MARAC && w.current(jtai.SignalMARAC)
	case theme.KindReferralSource:
		return w.current(codes(f.ReferralSources, rule.Codes, jtai.SignalReferralSource)...)
	case theme.KindContactSource:
		return w.current(codes(f.ContactSources, rule.Codes, jtai.SignalContactSource)...)
	case theme.KindOpenAssessmentNoFactors:
		return f.OpenAssessment && len(f.Factors) == 0
	case theme.KindAbuseTypeExcluded:
		return anyIn(f.AbuseTypes, rule.Codes)
	}
	return false
}

func anyIn(have, codes []string) bool {
	for _, h := range have {
		if slices.Contains(codes, h) {
			return true
		}
	}
	return false
}

// AgeAt is the age in whole years on a date of someone born on dob; a
// birthday on 29 February falls on 1 March in other years.
func AgeAt(dob, on jtai.Date) int {
	age := on.Year() - dob.Year()
	if on.Month() < dob.Month() || (on.Month() == dob.Month() && on.Day() < dob.Day()) {
		age--
	}
	return age
}
