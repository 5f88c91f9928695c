package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"jtai"
	"jtai/authz"
	"jtai/screen"
)

// decideView is the form for an inspector's decision on one child in
// needs review, or on every child in needs review for one reason.
type decideView struct {
	Inspection *jtai.Inspection
	// One child: its result and any decision already made.
	Result   *screen.Result
	Decision *screen.Decision
	// Or every child in needs review for Reason: how many.
	Reason      string
	ReasonLabel string
	Count       int
	Labels      []string // the child's reasons, for people
}

// ChildID is the decided child's identifier as people know it.
func (v *decideView) ChildID() string {
	if v.Result.LAChildID != "" {
		return v.Result.LAChildID
	}
	return strconv.FormatInt(v.Result.ChildID, 10)
}

// decisionTarget reads which children a decision form is about: the child
// (form field child, its id) or every child in needs review for a reason
// (field reason). A child decided on already may be decided again.
func decisionTarget(k *kept, f url.Values) (*decideView, []int64, error) {
	v := &decideView{}
	if x := f.Get("child"); x != "" {
		id, _ := strconv.ParseInt(x, 10, 64)
		r := k.result(id)
		if r == nil || (r.Outcome != screen.NeedsReview && !r.Decided) {
			return nil, nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		v.Result, v.Decision = r, k.Decisions[id]
		for _, reason := range r.Reasons {
			if reason != screen.ReasonDecidedIn && reason != screen.ReasonDecidedOut { // said apart
				v.Labels = append(v.Labels, screen.ReasonLabel(k.theme, reason))
			}
		}
		return v, []int64{id}, nil
	}
	v.Reason = f.Get("reason")
	var ids []int64
	for i := range k.Results {
		r := &k.Results[i]
		if r.Outcome == screen.NeedsReview && slices.Contains(r.Reasons, v.Reason) {
			ids = append(ids, r.ChildID)
		}
	}
	if len(ids) == 0 {
		return nil, nil, jtai.Errorf(jtai.ENOTFOUND, "No child needs review for that reason")
	}
	v.ReasonLabel, v.Count = screen.ReasonLabel(k.theme, v.Reason), len(ids)
	return v, ids, nil
}

// toDecide reads the kept screening and which children the form is
// about; a screening out of date is not decided on.
func (s *Server) toDecide(c *Context, in *jtai.Inspection, f url.Values) (*decideView, []int64, error) {
	k, err := s.keptScreening(c, in, authz.ScreenChildren, "screening (to decide)")
	if err != nil {
		return nil, nil, err
	}
	if k.Stale {
		return nil, nil, jtai.Errorf(jtai.ECONFLICT, "The lists must be screened again before you decide on a child: go back to scope screening")
	}
	return decisionTarget(k, f)
}

// decisionForm reads the kept screening for a decision and renders the
// form.
func (s *Server) decisionForm(c *Context, status int, errs []jtai.FieldError, f url.Values) error {
	in, err := s.inspection(c, authz.DecideScreening)
	if err != nil {
		return err
	}
	v, _, err := s.toDecide(c, in, f)
	if err != nil {
		return err
	}
	v.Inspection = in
	if d := v.Decision; d != nil && status == http.StatusOK {
		// The decision made already, to change it.
		f.Set("decision", map[bool]string{true: "in", false: "out"}[d.In])
		f.Set("why", d.Reason)
	}
	return s.render(c, status, "screening_decide", &View{Title: "Decide whether a child is in scope", Nav: "inspections", Errors: errs, Form: f, Data: v})
}

func (s *Server) decidePage(c *Context) error {
	return s.decisionForm(c, http.StatusOK, nil, c.R.URL.Query())
}

func (s *Server) decide(c *Context) error {
	in, err := s.inspection(c, authz.DecideScreening)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	var errs []jtai.FieldError
	decision := f.Get("decision")
	if decision != "in" && decision != "out" {
		errs = append(errs, jtai.FieldError{Field: "decision", Message: "Select whether the child is in scope or out of scope"})
	}
	if strings.TrimSpace(f.Get("why")) == "" {
		errs = append(errs, jtai.FieldError{Field: "why", Message: "Enter why the child is in or out of scope"})
	}
	if len(errs) > 0 {
		return s.decisionForm(c, http.StatusUnprocessableEntity, errs, f)
	}
	_, ids, err := s.toDecide(c, in, f)
	if err != nil {
		return err
	}
	ds := make([]jtai.ScreeningDecision, len(ids))
	for i, id := range ids {
		ds[i] = jtai.ScreeningDecision{ChildID: id, In: decision == "in", Reason: f.Get("why")}
	}
	err = s.cfg.Store.DecideScreening(c.R.Context(), in.ID, ds, s.actor(c))
	if jtai.IsKind(err, jtai.EINVALID) {
		return s.decisionForm(c, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "why", Message: jtai.ErrorMessage(err)}}, f)
	}
	if err != nil {
		return err
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/screening", in.ID), "decided")
}

// screenAgain screens the inspection again under its theme's rules as they
// are now, and keeps the result, with the decisions.
func (s *Server) screenAgain(c *Context) error {
	in, err := s.inspection(c, authz.DecideScreening)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.Rescreen(c.R.Context(), in.ID, s.actor(c)); err != nil {
		return err
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/screening", in.ID), "screened")
}
