// Package selection chooses the children an inspection looks at closely:
// case tracking (the children the partnership audits jointly) and the wider
// case sample, spread over the strata the theme names (stage, age band, the
// signal that brought the child into scope, agencies involved), each pick
// with the reason it was picked.
//
// Selection is a pure function of the theme, the screening and a seed: the
// same seed always gives the same children. It must never pick a child that
// screening did not put in scope; inspectors add others by hand, with a
// written reason, elsewhere.
package selection

import (
	"fmt"
	"strings"

	"jtai"
	"jtai/screen"
	"jtai/theme"
)

// Request is what to select: how many children of each kind, from which
// seed.
type Request struct {
	Seed         uint64 `json:"seed"`
	CaseTracking int    `json:"case_tracking"`
	CaseSample   int    `json:"case_sample"`
}

// Defaults is the theme's default request for a seed.
func Defaults(t *theme.Theme, seed uint64) Request {
	return Request{Seed: seed, CaseTracking: t.Selection.CaseTracking.Default, CaseSample: t.Selection.CaseSample.Default}
}

// Result is a selection and what to tell the inspector about it.
type Result struct {
	Selection *jtai.Selection `json:"selection"`
	Requested Request         `json:"requested"`
	InScope   int             `json:"in_scope"`
	// Shortfall, when set, says that fewer children are in scope than were
	// asked for: the selection is the largest valid one.
	Shortfall string `json:"shortfall,omitempty"`
}

// Select picks the children. Sizes below zero are refused; asking for more
// children than are in scope is not an error: the result is the largest
// valid selection, with Shortfall saying so.
func Select(t *theme.Theme, s *screen.Screening, req Request) (*Result, error) {
	var problems []jtai.FieldError
	if req.CaseTracking < 0 {
		problems = append(problems, jtai.FieldError{Field: "case_tracking", Message: "Enter how many children to track, 0 or more"})
	}
	if req.CaseSample < 0 {
		problems = append(problems, jtai.FieldError{Field: "case_sample", Message: "Enter how many children to sample, 0 or more"})
	}
	if len(problems) > 0 {
		return nil, jtai.Invalid(problems...)
	}
	pool := newPool(t, s, req.Seed)
	avail := pool.size
	tracking := min(req.CaseTracking, avail)
	sample := min(req.CaseSample, avail-tracking)
	res := &Result{Selection: &jtai.Selection{Seed: req.Seed, Children: []jtai.SelectedChild{}}, Requested: req, InScope: avail}
	res.Selection.Children = append(res.Selection.Children, pool.pick(jtai.CaseTracking, tracking)...)
	res.Selection.Children = append(res.Selection.Children, pool.pick(jtai.CaseSample, sample)...)
	screened := make(map[int64]*screen.Result, len(s.Results))
	for i := range s.Results {
		screened[s.Results[i].ChildID] = &s.Results[i]
	}
	for i := range res.Selection.Children {
		if r := screened[res.Selection.Children[i].ChildID]; r != nil {
			res.Selection.Children[i].Screened = r.Fingerprint()
		}
	}
	if tracking < req.CaseTracking || sample < req.CaseSample {
		res.Shortfall = shortfall(t, req, avail, tracking, sample)
	}
	return res, nil
}

func shortfall(t *theme.Theme, req Request, avail, tracking, sample int) string {
	var b strings.Builder
	switch avail {
	case 0:
		b.WriteString("No child is in scope, so none can be selected.")
	case 1:
		fmt.Fprintf(&b, "You asked for %d children to track and %d for the wider sample, but only 1 child is in scope. The largest selection possible is %d to track and %d in the sample.", req.CaseTracking, req.CaseSample, tracking, sample)
	default:
		fmt.Fprintf(&b, "You asked for %d children to track and %d for the wider sample, but only %d children are in scope. The largest selection possible is %d to track and %d in the sample.", req.CaseTracking, req.CaseSample, avail, tracking, sample)
	}
	if m := t.Selection.CaseTracking.Min; tracking < m {
		fmt.Fprintf(&b, " This theme tracks at least %d children: review the children who need review and add those in scope by hand.", m)
	}
	return b.String()
}

// Audits lists the parts of the joint audits a selection asks for: for
// each child picked for case tracking, the theme's parts for the agencies
// of the area that worked with the child (read from the child's facts).
// The parts are made when the selection is published, in the same step.
func Audits(t *theme.Theme, picks []jtai.SelectedChild, children map[int64]*jtai.Child, agencies []*jtai.Agency) []jtai.AuditPartKey {
	var keys []jtai.AuditPartKey
	for _, p := range picks {
		if c := children[p.ChildID]; c != nil && p.Kind == jtai.CaseTracking {
			keys = append(keys, t.Audit.PartsFor(c.ID, &c.Facts, agencies)...)
		}
	}
	return keys
}
