package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"jtai"
	"jtai/authz"
	"jtai/calendar"
	"jtai/theme"
)

// timetable is the inspection's deadlines from its theme, each done, due or
// overdue today.
func (s *Server) timetable(in *jtai.Inspection) ([]calendar.Progress, error) {
	deadlines, err := s.deadlines(in)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	return calendar.Track(deadlines, in.Status, jtai.NewDate(now.Year(), now.Month(), now.Day())), nil
}

// deliveredTimetable is the timetable as the inspection's page and the API
// show it: the steps the partnership delivers (the lists, the documents,
// the joint audits) are done when what they ask for has arrived, not when
// the inspection's status moves past them, and due or overdue until then.
func (s *Server) deliveredTimetable(c *Context, in *jtai.Inspection) ([]calendar.Progress, error) {
	tt, err := s.timetable(in)
	if err != nil {
		return nil, err
	}
	got, err := s.delivered(c.R.Context(), in)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	today := jtai.NewDate(now.Year(), now.Month(), now.Day())
	for i, p := range tt {
		done, ok := got[p.ID]
		switch {
		case !ok || p.State == calendar.Cancelled:
		case done:
			tt[i].State = calendar.Done
		case p.Date.Before(today.Time):
			tt[i].State = calendar.Overdue
		default:
			tt[i].State = calendar.Due
		}
	}
	return tt, nil
}

// delivered says, of each step the partnership delivers, whether all it
// asks for has arrived: every required list, every requested document
// (from any agency), and every tracked child's joint audit submitted.
func (s *Server) delivered(ctx context.Context, in *jtai.Inspection) (map[string]bool, error) {
	t, err := s.inspectionTheme(in)
	if err != nil {
		return nil, err
	}
	imported, err := s.cfg.Store.ListImports(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	landed := map[string]bool{}
	for _, l := range imported {
		landed[l.List] = true
	}
	lists := !slices.ContainsFunc(t.Lists, func(l theme.List) bool { return l.Need == theme.NeedRequired && !landed[importedList(l)] })
	docs, err := s.cfg.Store.ListDocuments(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	sent := map[string]bool{}
	for _, d := range docs {
		sent[d.Item] = true
	}
	documents := !slices.ContainsFunc(t.Documents, func(d theme.Document) bool { return !sent[d.ID] })
	tracked, parts, err := s.cfg.Store.AuditProgress(ctx, in.ID)
	if err != nil && !jtai.IsKind(err, jtai.ENOTFOUND) {
		return nil, err
	}
	partsOf := map[int64]int{}
	audits := len(tracked) > 0
	for _, p := range parts {
		if p.Status != jtai.AuditSubmitted {
			audits = false
		}
		partsOf[p.ChildID]++
	}
	for _, id := range tracked {
		if partsOf[id] == 0 {
			audits = false // no parts yet
		}
	}
	return map[string]bool{calendar.StepListsSupplied: lists, calendar.StepDocumentsSupplied: documents, calendar.StepAuditsReturned: audits}, nil
}

// deadlines are the dates of an inspection's timetable, which depend on
// its theme and notification date alone: the themes do not change while
// the server runs, so each timetable is worked out once.
func (s *Server) deadlines(in *jtai.Inspection) ([]calendar.Deadline, error) {
	key := in.ThemeID + " " + in.NotifiedOn.String()
	if d, ok := s.timetables.Load(key); ok {
		return d.([]calendar.Deadline), nil
	}
	steps := calendar.DefaultSteps()
	if t, err := s.inspectionTheme(in); err == nil && len(t.Timetable) > 0 {
		steps = steps[:0]
		for _, st := range t.Timetable {
			steps = append(steps, calendar.Step(st))
		}
	}
	deadlines, err := calendar.Timetable(in.NotifiedOn, steps)
	if err != nil {
		return nil, err
	}
	s.timetables.Store(key, deadlines)
	return deadlines, nil
}

// inspectionLinks says which of the screening pages the viewer may open.
type inspectionLinks struct {
	UpdateStatus, Screen, Select bool
}

func (s *Server) links(c *Context, in *jtai.Inspection) inspectionLinks {
	res := authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
	may := func(a authz.Action) bool { return authz.Can(c.Subject, a, res) == nil }
	return inspectionLinks{may(authz.UpdateInspection), may(authz.ScreenChildren), may(authz.SelectChildren) || may(authz.ListChildren)}
}

type statusView struct {
	Inspection  *jtai.Inspection
	Next        []jtai.Status
	Transitions []*jtai.Transition
}

func (s *Server) statusForm(c *Context, in *jtai.Inspection, status int, errs []jtai.FieldError, form url.Values) error {
	v := &statusView{Inspection: in, Next: in.Status.Next()}
	var err error
	if v.Transitions, err = s.cfg.Store.ListTransitions(c.R.Context(), in.ID); err != nil {
		return err
	}
	return s.render(c, status, "status", &View{Title: "Change the inspection's status", Nav: "inspections", Errors: errs, Form: form, Data: v})
}

func (s *Server) statusPage(c *Context) error {
	in, err := s.inspection(c, authz.UpdateInspection)
	if err != nil {
		return err
	}
	return s.statusForm(c, in, http.StatusOK, nil, url.Values{})
}

func (s *Server) changeStatus(c *Context) error {
	in, err := s.inspection(c, authz.UpdateInspection)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	to := jtai.Status(f.Get("status"))
	if to == "" {
		return s.statusForm(c, in, http.StatusUnprocessableEntity, []jtai.FieldError{{Field: "status", Message: "Select the inspection's new status"}}, f)
	}
	_, err = s.cfg.Store.TransitionInspection(c.R.Context(), in.ID, to, f.Get("reason"), s.actor(c))
	switch {
	case jtai.IsKind(err, jtai.EINVALID):
		return s.statusForm(c, in, http.StatusUnprocessableEntity, jtai.ErrorFields(err), f)
	case jtai.IsKind(err, jtai.ECONFLICT):
		return s.statusForm(c, in, http.StatusConflict, []jtai.FieldError{{Field: "status", Message: jtai.ErrorMessage(err)}}, f)
	case err != nil:
		return err
	}
	return redirect(c, doneAt(fmt.Sprintf("/inspections/%d", in.ID), "status"))
}

func init() {
	// dict builds a map for a sub-template that needs several values.
	funcs["dict"] = func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	}
}
