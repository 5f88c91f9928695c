package screen

import (
	"jtai"
	"jtai/theme"
)

// Decision is an inspector's decision on a child screening put in needs
// review: in scope or out, with the inspector's reason.
type Decision = jtai.ScreeningDecision

// Reasons a decision gives, first among the child's reasons.
const (
	ReasonDecidedIn  = "decided:in"
	ReasonDecidedOut = "decided:out"
)

func init() {
	reasonLabels[ReasonDecidedIn] = "An inspector decided the child is in scope"
	reasonLabels[ReasonDecidedOut] = "An inspector decided the child is out of scope"
}

// Decide applies an inspector's decision to a child's result. It applies
// only while screening puts the child in needs review: once corrected
// lists settle the child either way, the lists decide, and the decision
// stays on record. The review's reasons are kept after the decision's.
func Decide(r *Result, d *Decision) {
	if d == nil || r.Outcome != NeedsReview {
		return
	}
	o, reason := OutOfScope, ReasonDecidedOut
	if d.In {
		o, reason = InScope, ReasonDecidedIn
	}
	r.Outcome, r.Reasons, r.Decided = o, append([]string{reason}, r.Reasons...), true
}

// Decided screens every child and applies the decisions, by child.
func Decided(t *theme.Theme, notified jtai.Date, children []*jtai.Child, decisions map[int64]*Decision) *Screening {
	s := Children(t, notified, children)
	for i := range s.Results {
		Decide(&s.Results[i], decisions[s.Results[i].ChildID])
	}
	return s
}

// Excluded reports whether a theme's exclusion (an age or abuse outside
// its scope) put the child out of scope: such a child cannot be selected,
// whereas one out of scope for want of a current signal can be added by
// hand.
func Excluded(t *theme.Theme, r *Result) bool {
	if r.Outcome != OutOfScope {
		return false
	}
	for _, reason := range r.Reasons {
		if rule, ok := t.Rule(reason); ok && rule.Effect == theme.EffectExclude {
			return true
		}
	}
	return false
}
