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
	"jtai/selection"
)

// selectedRow is one selected child as the page shows it.
type selectedRow struct {
	jtai.SelectedChild
	Child *jtai.Child
	// Change says what the lists corrected since say differently, for
	// the lead inspector; empty when nothing did.
	Change string
}

type selectionView struct {
	Inspection *jtai.Inspection
	// LinkChildren: the viewer may open the children's records, so each
	// child's identifier links to it.
	LinkChildren bool
	CanSelect    bool
	Saved        *jtai.Selection // nil until children are selected
	Preview      *selection.Result
	Request      selection.Request
	Rows         []selectedRow
	InScope      int
	Changed      int // selected children changed since they were selected
}

// Named reports whether some selected child has a name: the tables then
// have a column for names.
func (v *selectionView) Named() bool {
	return slices.ContainsFunc(v.Rows, func(r selectedRow) bool { return r.Child != nil && r.Child.Named() })
}

// Tracked and Sampled split the rows by kind.
func (v *selectionView) Tracked() []selectedRow { return v.kind(jtai.CaseTracking) }
func (v *selectionView) Sampled() []selectedRow { return v.kind(jtai.CaseSample) }

func (v *selectionView) kind(k jtai.SelectionKind) []selectedRow {
	var out []selectedRow
	for _, r := range v.Rows {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// Kinds are the kinds a child may be added for.
func (v *selectionView) Kinds() []jtai.SelectionKind {
	return []jtai.SelectionKind{jtai.CaseTracking, jtai.CaseSample}
}

// selectionAccess lets inspectors choose, and the partnership read what was
// published to it.
func (s *Server) selectionAccess(c *Context) (*jtai.Inspection, bool, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, false, err
	}
	in, err := s.cfg.Store.FindInspectionByID(c.R.Context(), id)
	if err == nil && authz.Can(c.Subject, authz.SelectChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil {
		return in, true, nil
	}
	in, err = s.inspection(c, authz.ListChildren)
	return in, false, err
}

func (s *Server) selectionPage(c *Context) error {
	in, canSelect, err := s.selectionAccess(c)
	if err != nil {
		return err
	}
	return s.selectionForm(c, in, canSelect, http.StatusOK, nil, c.R.URL.Query())
}

// selectionForm renders the selection page: the saved selection with its
// add and remove forms, or, before one is saved, a preview for a seed.
func (s *Server) selectionForm(c *Context, in *jtai.Inspection, canSelect bool, status int, errs []jtai.FieldError, form url.Values) error {
	ctx := c.R.Context()
	c.inspection = in
	canSelect = canSelect && !in.Status.Ended() // an ended inspection's selection is read-only
	v := &selectionView{Inspection: in, CanSelect: canSelect,
		LinkChildren: authz.Can(c.Subject, authz.ListChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil}
	saved, err := s.cfg.Store.FindSelection(ctx, in.ID)
	switch {
	case err == nil:
		v.Saved = saved
	case !jtai.IsKind(err, jtai.ENOTFOUND):
		return err
	}
	if v.Saved == nil && !canSelect {
		return s.render(c, status, "selection", &View{Title: "Children selected", Nav: "inspections", Data: v})
	}
	byID := map[int64]*jtai.Child{}
	if !canSelect {
		// The partnership reads what was published to it: the selected
		// children, never what screening says of any child.
		if err := s.selectedChildren(c, in, authz.ListChildren, v.Saved.Children, byID); err != nil {
			return err
		}
		for _, p := range v.Saved.Children {
			v.Rows = append(v.Rows, selectedRow{p, byID[p.ChildID], ""})
		}
		return s.render(c, status, "selection", &View{Title: "Children selected", Nav: "inspections", Errors: errs, Form: form, Data: v})
	}
	k, err := s.keptScreening(c, in, authz.SelectChildren, "selection")
	if err != nil {
		return err
	}
	v.InScope = k.Count(screen.InScope)
	for _, kid := range k.children {
		byID[kid.ID] = kid
	}
	picks := []jtai.SelectedChild(nil)
	if v.Saved != nil {
		picks = v.Saved.Children
	} else {
		v.Request = selection.Defaults(k.theme, 1)
		if form.Get("seed") != "" || form.Get("case_tracking") != "" {
			req, problems := readRequest(form, v.Request)
			errs = append(errs, problems...)
			v.Request = req
		}
		if len(errs) == 0 && form.Get("seed") != "" {
			if v.Preview, err = selection.Select(k.theme, &k.Screening, v.Request); err != nil {
				return err
			}
			picks = v.Preview.Selection.Children
		}
	}
	if err := s.selectedChildren(c, in, authz.SelectChildren, picks, byID); err != nil {
		return err
	}
	changes := map[int64]string{}
	if v.Saved != nil { // what screening says is the inspection team's
		for _, ch := range selection.Changes(k.theme, in.NotifiedOn, picks, byID, k.Decisions) {
			changes[ch.ChildID] = ch.Describe(k.theme)
		}
		v.Changed = len(changes)
	}
	for _, p := range picks {
		v.Rows = append(v.Rows, selectedRow{p, byID[p.ChildID], changes[p.ChildID]})
	}
	return s.render(c, status, "selection", &View{Title: "Children selected", Nav: "inspections", Errors: errs, Form: form, Data: v})
}

// selectedChildren adds to byID the picked children it lacks, opening
// only those (with those no list names any more, which are kept because
// they were selected).
func (s *Server) selectedChildren(c *Context, in *jtai.Inspection, a authz.Action, picks []jtai.SelectedChild, byID map[int64]*jtai.Child) error {
	var missing []int64
	for _, p := range picks {
		if byID[p.ChildID] == nil {
			missing = append(missing, p.ChildID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	kids, err := s.cfg.Guard.Children(c.R.Context(), c.Subject, in, a, missing, "selection (the selected children)")
	if err != nil {
		return err
	}
	for _, k := range kids {
		byID[k.ID] = k
	}
	return nil
}

// selectionChanged counts the selected children that changed since they
// were selected, for the lead inspector's inspection page; 0 for anyone
// else, or before children are selected.
func (s *Server) selectionChanged(c *Context, in *jtai.Inspection) (int, error) {
	if in.Status.Ended() || authz.Can(c.Subject, authz.SelectChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) != nil {
		return 0, nil
	}
	saved, err := s.cfg.Store.FindSelection(c.R.Context(), in.ID)
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	k, err := s.keptScreening(c, in, authz.SelectChildren, "inspection (selection changes)")
	if err != nil {
		return 0, err
	}
	byID := map[int64]*jtai.Child{}
	if err := s.selectedChildren(c, in, authz.SelectChildren, saved.Children, byID); err != nil {
		return 0, err
	}
	return len(selection.Changes(k.theme, in.NotifiedOn, saved.Children, byID, k.Decisions)), nil
}

// readRequest reads a seed and sizes from a form, defaults where blank.
func readRequest(f url.Values, req selection.Request) (selection.Request, []jtai.FieldError) {
	var errs []jtai.FieldError
	if x := strings.TrimSpace(f.Get("seed")); x != "" {
		seed, err := strconv.ParseUint(x, 10, 64)
		if err != nil {
			errs = append(errs, jtai.FieldError{Field: "seed", Message: "Enter the seed as a whole number, like 1"})
		}
		req.Seed = seed
	} else {
		errs = append(errs, jtai.FieldError{Field: "seed", Message: "Enter a seed, like 1"})
	}
	size := func(field, what string, n *int) {
		x := strings.TrimSpace(f.Get(field))
		if x == "" {
			return
		}
		v, err := strconv.Atoi(x)
		if err != nil || v < 0 || v > 1000 {
			errs = append(errs, jtai.FieldError{Field: field, Message: "Enter how many children " + what + ", a whole number from 0 to 1000"})
			return
		}
		*n = v
	}
	size("case_tracking", "to track", &req.CaseTracking)
	size("case_sample", "to sample", &req.CaseSample)
	return req, errs
}

func (s *Server) selectChildren(c *Context) error {
	in, err := s.inspection(c, authz.SelectChildren)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	t, err := s.inspectionTheme(in)
	if err != nil {
		return err
	}
	req, errs := readRequest(f, selection.Defaults(t, 1))
	if len(errs) > 0 {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, errs, f)
	}
	k, err := s.keptScreening(c, in, authz.SelectChildren, "selection")
	if err != nil {
		return err
	}
	res, err := selection.Select(k.theme, &k.Screening, req)
	if err != nil {
		return err
	}
	res.Selection.InspectionID = in.ID
	agencies, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
	if err != nil {
		return err
	}
	byID := make(map[int64]*jtai.Child, len(k.children))
	for _, kid := range k.children {
		byID[kid.ID] = kid
	}
	if err := s.selectedChildren(c, in, authz.SelectChildren, res.Selection.Children, byID); err != nil {
		return err
	}
	audits := selection.Audits(k.theme, res.Selection.Children, byID, agencies)
	ok, err := s.confirmed(c, confirmation{
		Caption:  in.Area.Name + " inspection",
		Question: "Are you sure you want to publish the selection?",
		Details: []string{
			fmt.Sprintf("%d %s for case tracking and %d for the wider case sample.", res.Selection.Count(jtai.CaseTracking), plural(res.Selection.Count(jtai.CaseTracking), "child", "children"), res.Selection.Count(jtai.CaseSample)),
			fmt.Sprintf("The partnership sees which children are selected, and the %d %s of the tracked children's joint audits are asked of the agencies.", len(audits), plural(len(audits), "part", "parts")),
			"After this, children are added or removed one at a time, each with a reason.",
		},
		Warning: "A published selection cannot be taken back.",
		Button:  "Yes, publish the selection",
		Back:    fmt.Sprintf("/inspections/%d/selection", in.ID),
	})
	if !ok || err != nil {
		return err
	}
	err = s.cfg.Store.SaveSelection(c.R.Context(), res.Selection, audits, s.actor(c))
	if jtai.IsKind(err, jtai.EINVALID) || jtai.IsKind(err, jtai.ECONFLICT) {
		return s.selectionForm(c, in, true, http.StatusConflict, []jtai.FieldError{{Field: "seed", Message: jtai.ErrorMessage(err)}}, f)
	}
	if err != nil {
		return err
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/selection", in.ID), "published")
}

func (s *Server) addSelectedChild(c *Context) error {
	in, err := s.inspection(c, authz.SelectChildren)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	f := c.R.PostForm
	var errs []jtai.FieldError
	kind := jtai.SelectionKind(f.Get("kind"))
	if strings.TrimSpace(f.Get("child")) == "" {
		errs = append(errs, jtai.FieldError{Field: "child", Message: "Enter the child's local authority ID"})
	}
	if !kind.Valid() {
		errs = append(errs, jtai.FieldError{Field: "kind", Message: "Select case tracking or the wider case sample"})
	}
	if strings.TrimSpace(f.Get("reason")) == "" {
		errs = append(errs, jtai.FieldError{Field: "reason", Message: "Enter why you are adding the child"})
	} else if fe := jtai.CheckText("reason", "The reason", f.Get("reason"), jtai.MaxReason, true); fe != nil {
		errs = append(errs, *fe)
	}
	if len(errs) > 0 {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, errs, f)
	}
	child, err := s.cfg.Guard.ChildToSelect(ctx, c.Subject, in, f.Get("child"))
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "child", Message: "No child on this inspection's lists has that ID"}}, f)
	}
	if err != nil {
		return err
	}
	t, err := s.inspectionTheme(in)
	if err != nil {
		return err
	}
	if child.OffLists {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "child",
			Message: "That child is no longer on any of this inspection's lists, so cannot be selected"}}, f)
	}
	if child.Died() {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "child",
			Message: "That child has died (the CIN census gives a date of death), so cannot be selected"}}, f)
	}
	// What screening says of the child, the inspectors' decision applied:
	// a child out of scope for want of a current signal can still be
	// added by hand, one the theme excludes cannot.
	k, err := s.keptScreening(c, in, authz.SelectChildren, "selection (to add a child)")
	if err != nil {
		return err
	}
	r := k.result(child.ID)
	if r == nil {
		now := screen.Child(t, in.NotifiedOn, child)
		r = &now
	}
	if screen.Excluded(t, r) {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "child",
			Message: "That child is out of scope (" + screen.ReasonLabel(t, r.Reasons[0]) + "), so cannot be selected"}}, f)
	}
	agencies, err := s.cfg.Store.ListAgencies(ctx, in.AreaID)
	if err != nil {
		return err
	}
	pick := jtai.SelectedChild{ChildID: child.ID, Kind: kind, Reason: f.Get("reason"), Screened: r.Fingerprint()}
	audits := selection.Audits(t, []jtai.SelectedChild{pick}, map[int64]*jtai.Child{child.ID: child}, agencies)
	err = s.cfg.Store.AddSelectedChild(ctx, in.ID, pick, audits, s.actor(c))
	if jtai.IsKind(err, jtai.ECONFLICT) || jtai.IsKind(err, jtai.EINVALID) {
		return s.selectionForm(c, in, true, http.StatusConflict, []jtai.FieldError{{Field: "child", Message: jtai.ErrorMessage(err)}}, f)
	}
	if err != nil {
		return err
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/selection", in.ID), "child-added")
}

func (s *Server) removeSelectedChild(c *Context) error {
	in, err := s.inspection(c, authz.SelectChildren)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	var errs []jtai.FieldError
	childID, _ := strconv.ParseInt(f.Get("remove_child"), 10, 64)
	if childID <= 0 {
		errs = append(errs, jtai.FieldError{Field: "remove_child", Message: "Select the child to remove"})
	}
	if strings.TrimSpace(f.Get("remove_reason")) == "" {
		errs = append(errs, jtai.FieldError{Field: "remove_reason", Message: "Enter why you are removing the child"})
	} else if fe := jtai.CheckText("remove_reason", "The reason", f.Get("remove_reason"), jtai.MaxReason, true); fe != nil {
		errs = append(errs, *fe)
	}
	if len(errs) > 0 {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, errs, f)
	}
	ok, err := s.confirmed(c, confirmation{
		Caption:  in.Area.Name + " inspection",
		Question: "Are you sure you want to remove the child from the selection?",
		Details: []string{
			"The partnership is no longer asked for the child's joint audit; what was written so far is kept.",
			"You can add the child again later, with a reason.",
		},
		Button: "Yes, remove the child",
		Back:   fmt.Sprintf("/inspections/%d/selection", in.ID),
	})
	if !ok || err != nil {
		return err
	}
	err = s.cfg.Store.RemoveSelectedChild(c.R.Context(), in.ID, childID, f.Get("remove_reason"), s.actor(c))
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		return s.selectionForm(c, in, true, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "remove_child", Message: "That child is not selected"}}, f)
	}
	if err != nil {
		return err
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/selection", in.ID), "child-removed")
}
