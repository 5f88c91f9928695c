// Package screen decides, child by child, whether each child on an
// inspection's lists is in the scope of its theme: in scope, out of scope,
// or needing an inspector's review, always with the machine-readable
// reasons (the ids of the theme's rules) that led there.
//
// Screening is a pure function of the theme, the notification date and the
// children: it reads no clock, no store and no network, and does not care
// where the children came from. It must never drop a child: one with no
// evidence either way needs review.
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
	// ReasonNoEvidence: no rule matched, so nothing says either way.
	ReasonNoEvidence = "no-evidence"
	// ReasonAgeUnknown: neither a date of birth nor an expected date, so the
	// theme's age range cannot be checked.
	ReasonAgeUnknown = "age-unknown"
	// ReasonNoRules: the theme has no scope rules yet.
	ReasonNoRules = "theme-has-no-scope-rules"
	// ReasonDied: the lists give a date of death (the CIN census's
	// PersonDeathDate). Whatever else they say, the child is out of scope.
	ReasonDied = "died"
)

// reasonLabels explain screening's own reasons.
var reasonLabels = map[string]string{
	ReasonNoEvidence: "Nothing on the lists says whether the child is in scope",
	ReasonAgeUnknown: "No date of birth or expected date of birth, so the age cannot be checked",
	ReasonNoRules:    "The theme has no scope rules yet",
	ReasonDied:       "The child has died (the CIN census gives a date of death)",
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
	ChildID int64   `json:"child_id"`
	Outcome Outcome `json:"outcome"`
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

// Child screens one child.
func Child(t *theme.Theme, notified jtai.Date, c *jtai.Child) Result {
	r := Result{ChildID: c.ID, Age: -1, Stage: c.Facts.HighestStage(), Agencies: c.Facts.Agencies}
	switch {
	case c.DateOfBirth != nil && c.DateOfBirth.After(notified.Time):
		// Born after the notification: unborn on the day ages are taken.
		r.Unborn = true
	case c.DateOfBirth != nil:
		r.Age = AgeAt(*c.DateOfBirth, notified)
	case c.ExpectedDate != nil:
		r.Unborn = true
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
	// Qualifiers (being unborn) place a child within the theme's ages; they
	// are reasons shown with the outcome, never evidence of domestic abuse.
	var excluded, reviews, qualifiers []string
	ageRule := false
	for i := range rules {
		rule := &rules[i]
		ageRule = ageRule || rule.Kind == theme.KindAgeRange
		if !matches(t, rule, c, &r) {
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
	switch {
	case len(excluded) > 0:
		r.Outcome, r.Reasons = OutOfScope, excluded
	case ageRule && r.Age < 0 && !r.Unborn:
		r.Outcome, r.Reasons = NeedsReview, append([]string{ReasonAgeUnknown}, append(r.Signals, reviews...)...)
	case len(r.Signals) > 0:
		r.Outcome, r.Reasons = InScope, append(qualifiers, r.Signals...)
	case len(reviews) > 0:
		r.Outcome, r.Reasons = NeedsReview, append(qualifiers, reviews...)
	default:
		r.Outcome, r.Reasons = NeedsReview, append(qualifiers, ReasonNoEvidence)
	}
	return r
}

// matches reports whether the rule matches the child.
func matches(t *theme.Theme, rule *theme.Rule, c *jtai.Child, r *Result) bool {
	f := &c.Facts
	switch rule.Kind {
	case theme.KindAgeRange:
		return r.Age >= 0 && (r.Age < t.Scope.Age.Min || r.Age > t.Scope.Age.Max)
	case theme.KindUnborn:
		return r.Unborn && t.Scope.Age.Unborn
	case theme.KindCINFactor:
		return anyIn(f.Factors, rule.Codes)
	case theme.KindPoliceNotification:
		return f.PoliceNotifications > 0 && (!rule.ChildPresent || f.PoliceChildPresent)
	case theme.KindMARAC:
		return f.MARAC
	case theme.KindReferralSource:
		return anyIn(f.ReferralSources, rule.Codes)
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
