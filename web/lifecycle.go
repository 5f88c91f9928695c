package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

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
	t, _ := s.inspectionTheme(in) // an unknown theme has the default timetable
	deadlines, err := t.Deadlines(in.NotifiedOn)
	if err != nil {
		return nil, err
	}
	s.timetables.Store(key, deadlines)
	return deadlines, nil
}

// inspectionLinks says which of the screening pages the viewer may open.
type inspectionLinks struct {
	UpdateStatus, Screen, Select bool
	Evidence                     bool // the inspection team's evidence
}

func (s *Server) links(c *Context, in *jtai.Inspection) inspectionLinks {
	res := authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
	may := func(a authz.Action) bool { return authz.Can(c.Subject, a, res) == nil }
	return inspectionLinks{may(authz.UpdateInspection), may(authz.ScreenChildren), may(authz.SelectChildren) || may(authz.ListChildren), may(authz.ViewEvidence)}
}

type statusView struct {
	Inspection  *jtai.Inspection
	Next        []jtai.Status
	Transitions []*jtai.Transition
	// BySelection and ByLetter are set when the next state is reached only
	// through the selection or the letter, not chosen here.
	BySelection, ByLetter bool
}

func (s *Server) statusForm(c *Context, in *jtai.Inspection, status int, errs []jtai.FieldError, form url.Values) error {
	v := &statusView{Inspection: in}
	for _, n := range in.Status.Next() {
		switch n {
		case jtai.StatusChildrenSelected:
			v.BySelection = true
		case jtai.StatusPublished:
			v.ByLetter = true
		default:
			v.Next = append(v.Next, n)
		}
	}
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
	t, _ := s.inspectionTheme(in)
	m, err := t.Move(in, to, f.Get("reason"))
	if err != nil {
		return err
	}
	// Ask before a move that ends the inspection, once it would be allowed:
	// the reason is checked first so the question is not asked in vain.
	if (to == jtai.StatusWithdrawn || to == jtai.StatusClosed) && jtai.CheckTransition(in.Status, to, m.Reason) == nil {
		ok, err := s.confirmed(c, confirmation{
			Caption:  in.Area.Name + " inspection",
			Question: fmt.Sprintf("Are you sure you want to mark the inspection as %s?", strings.ToLower(to.Label())),
			Details: []string{
				"The inspection becomes read-only: no one can upload lists or documents, change the selection or the joint audits, or send invitations.",
				"Everyone on the inspection and in the partnership can still read what it holds.",
			},
			Warning: "This cannot be undone.",
			Button:  "Yes, mark it as " + strings.ToLower(to.Label()),
			Back:    fmt.Sprintf("/inspections/%d/status", in.ID),
		})
		if !ok || err != nil {
			return err
		}
	}
	_, err = s.cfg.Store.TransitionInspection(c.R.Context(), in.ID, m, s.actor(c))
	if err != nil {
		return s.statusError(c, in, err, f)
	}
	return s.doneRedirect(c, fmt.Sprintf("/inspections/%d", in.ID), "status")
}

// statusError shows a refused move on the status page with what is
// missing; other errors go up.
func (s *Server) statusError(c *Context, in *jtai.Inspection, err error, f url.Values) error {
	switch {
	case jtai.IsKind(err, jtai.EINVALID):
		return s.statusForm(c, in, http.StatusUnprocessableEntity, jtai.ErrorFields(err), f)
	case jtai.IsKind(err, jtai.ECONFLICT):
		if now, ferr := s.cfg.Store.FindInspectionByID(c.R.Context(), in.ID); ferr == nil {
			in = now
		}
		return s.statusForm(c, in, http.StatusConflict, []jtai.FieldError{{Field: "status", Message: jtai.ErrorMessage(err)}}, f)
	}
	return err
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
