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
	"jtai/guard"
	"jtai/theme"
)

// JointAuditStore is what the task list and joint audit pages need of
// storage.
type JointAuditStore interface {
	jtai.JointAuditService
}

// registerJointAudit registers the task list and joint audit pages.
func (s *Server) registerJointAudit() {
	s.handle("GET", "/inspections/{id}/tasks", SignedIn, s.taskListPage)
	s.handle("GET", "/inspections/{id}/audits", SignedIn, s.auditsPage)
	s.handle("GET", "/inspections/{id}/audits/{child}", SignedIn, s.childAuditPage)
	s.handle("POST", "/inspections/{id}/audits/{child}/part", SignedIn, s.saveAgencyPart)
	s.handle("POST", "/inspections/{id}/audits/{child}/summary", SignedIn, s.saveSummary)
}

// maxAnswer is the longest answer kept, in characters.
const maxAnswer = 20000

// audits is an inspection's joint audits as they stand: the tracked
// children in selection order and the parts of each, without answers.
type audits struct {
	theme    *theme.Theme
	selected bool // children have been selected
	children []int64
	parts    map[int64][]*jtai.AuditPart
	agencies map[int64]*jtai.Agency
	list     []*jtai.Agency // the area's agencies, in the store's order
}

// newAudits starts the joint audit of an inspection for a page: its theme
// and the area's agencies.
func (s *Server) newAudits(c *Context, in *jtai.Inspection) (*audits, error) {
	t, err := s.inspectionTheme(in)
	if err != nil {
		return nil, err
	}
	a := &audits{theme: t, parts: map[int64][]*jtai.AuditPart{}, agencies: map[int64]*jtai.Agency{}}
	if a.list, err = s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID); err != nil {
		return nil, err
	}
	for _, ag := range a.list {
		a.agencies[ag.ID] = ag
	}
	return a, nil
}

// loadAudits reads the audits as they stand, opening nothing sealed: the
// parts were made when the selection was published.
func (s *Server) loadAudits(c *Context, in *jtai.Inspection) (*audits, error) {
	a, err := s.newAudits(c, in)
	if err != nil {
		return nil, err
	}
	var parts []*jtai.AuditPart
	a.children, parts, err = s.cfg.Store.AuditProgress(c.R.Context(), in.ID)
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	a.selected = true
	a.group(parts)
	return a, nil
}

// loadChildAudit is loadAudits for the pages of one child's audit, which
// read that child's parts alone.
func (s *Server) loadChildAudit(c *Context, in *jtai.Inspection, childID int64) (*audits, error) {
	a, err := s.newAudits(c, in)
	if err != nil {
		return nil, err
	}
	tracked, parts, err := s.cfg.Store.ChildAuditProgress(c.R.Context(), in.ID, childID)
	if err != nil || !tracked {
		return a, err
	}
	a.selected, a.children = true, []int64{childID}
	a.group(parts)
	return a, nil
}

func (a *audits) group(parts []*jtai.AuditPart) {
	clear(a.parts)
	for _, p := range parts {
		a.parts[p.ChildID] = append(a.parts[p.ChildID], p)
	}
}

// resource is where a child's audit sits, for the policy: an agency
// auditor reaches it only through an agency with a part in it.
func (a *audits) resource(in *jtai.Inspection, childID int64) authz.Resource {
	return guard.AuditResource(in, a.parts[childID])
}

// visibleParts are the parts of a child's audit the viewer may know of:
// those whose answers the policy does not hide as "not found" (an agency
// auditor knows only its own agency's part).
func (a *audits) visibleParts(sub *authz.Subject, in *jtai.Inspection, childID int64) []*jtai.AuditPart {
	r := a.resource(in, childID)
	whole := progress(a.parts[childID]) == jtai.AuditSubmitted
	var out []*jtai.AuditPart
	for _, p := range a.parts[childID] {
		if !jtai.IsKind(authz.Can(sub, authz.ReadAuditAnswers, guard.PartResource(r, p, whole)), jtai.ENOTFOUND) {
			out = append(out, p)
		}
	}
	return out
}

// progress sums up parts: not started, in progress or completed.
func progress(parts []*jtai.AuditPart) jtai.AuditPartStatus {
	started, done := 0, 0
	for _, p := range parts {
		if p.Status != jtai.AuditNotStarted {
			started++
		}
		if p.Status == jtai.AuditSubmitted {
			done++
		}
	}
	switch {
	case len(parts) > 0 && done == len(parts):
		return jtai.AuditSubmitted
	case started == 0:
		return jtai.AuditNotStarted
	}
	return jtai.AuditDraft
}

// partTitle names a part for people: its agency, or the theme's title.
func (a *audits) partTitle(p *jtai.AuditPart) string {
	if ag, ok := a.agencies[p.AgencyID]; ok {
		return ag.Name
	}
	if tp, ok := a.theme.Audit.Part(p.PartID); ok {
		return tp.Title
	}
	return p.PartID
}

// auditChild is one child's audit as a row of the overview.
type auditChild struct {
	ChildID int64
	Name    string
	Status  jtai.AuditPartStatus
	Parts   []partRow
}

type partRow struct {
	Title  string
	Status jtai.AuditPartStatus
}

type auditsView struct {
	Inspection *jtai.Inspection
	Selected   bool
	Due        *jtai.Date
	Children   []auditChild
}

// seenChildren opens the names of the tracked children the viewer may see
// the audit of, logging the read first.
func (s *Server) seenChildren(c *Context, in *jtai.Inspection, a *audits) ([]auditChild, error) {
	ids, names, err := s.cfg.Guard.AuditChildNames(c.R.Context(), c.Subject, in, a.children, a.parts)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	out := make([]auditChild, 0, len(ids))
	for i, id := range ids {
		parts := a.visibleParts(c.Subject, in, id)
		row := auditChild{ChildID: id, Name: names[i], Status: progress(parts)}
		for _, p := range parts {
			row.Parts = append(row.Parts, partRow{a.partTitle(p), p.Status})
		}
		out = append(out, row)
	}
	return out, nil
}

func (s *Server) auditsPage(c *Context) error {
	in, err := s.inspection(c, authz.ViewInspection)
	if err != nil {
		return err
	}
	a, err := s.loadAudits(c, in)
	if err != nil {
		return err
	}
	v := &auditsView{Inspection: in, Selected: a.selected}
	if v.Children, err = s.seenChildren(c, in, a); err != nil {
		return err
	}
	if d, err := s.deadline(in, "audits-returned"); err == nil {
		v.Due = d
	}
	return s.render(c, http.StatusOK, "audits", &View{Title: "Joint audits", Nav: "inspections", Data: v})
}

// partView is one part of a child's audit as its page shows it.
type partView struct {
	Part      *jtai.AuditPart
	Title     string
	Questions []theme.Question
	Answers   map[string]string // nil: the viewer may not read them (yet)
	Editable  bool
	Action    string // "part" or "summary"
}

type childAuditView struct {
	Inspection *jtai.Inspection
	ChildID    int64
	Name       string
	Status     jtai.AuditPartStatus
	Parts      []partView
	Saved      string // "draft" or "submitted" after a save
	Hidden     bool   // answers exist that the viewer may not read yet
	// Team: the viewer is on the inspection team, and Evidence is the
	// team's evidence on the child.
	Team     bool
	Evidence []evidenceRow
}

// childAudit loads a child's audit and checks the viewer may see it. A
// child that is not tracked, or not one of an auditor's agency's, is "not
// found", and the attempt is logged.
func (s *Server) childAudit(c *Context, a authz.Action) (*jtai.Inspection, *audits, int64, error) {
	in, err := s.inspection(c, authz.ViewInspection)
	if err != nil {
		return nil, nil, 0, err
	}
	childID, err := pathID(c, "child")
	if err != nil {
		return nil, nil, 0, err
	}
	au, err := s.loadChildAudit(c, in, childID)
	if err != nil {
		return nil, nil, 0, err
	}
	resource := fmt.Sprintf("inspection/%d/audit/child/%d", in.ID, childID)
	if len(au.parts[childID]) == 0 {
		s.logAccess(c, jtai.ActDenied, resource+" ("+string(a)+")", "denied")
		return nil, nil, 0, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	if err := s.can(c, a, au.resource(in, childID), resource); err != nil {
		// "Not found", as for a child not selected: a different answer
		// would tell an agency which children are selected for others.
		if jtai.IsKind(err, jtai.EFORBIDDEN) {
			err = jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		return nil, nil, 0, err
	}
	return in, au, childID, nil
}

func (s *Server) childAuditPage(c *Context) error {
	in, a, childID, err := s.childAudit(c, authz.ViewAudit)
	if err != nil {
		return err
	}
	agency := int64(-1)
	if q := c.R.URL.Query().Get("agency"); q != "" {
		agency, _ = strconv.ParseInt(q, 10, 64)
	}
	return s.renderChildAudit(c, in, a, childID, agency, http.StatusOK, nil, nil)
}

// renderChildAudit shows a child's audit; agency, when not -1, shows only
// that agency's part. Every part whose answers are shown is logged as read
// before it is opened.
func (s *Server) renderChildAudit(c *Context, in *jtai.Inspection, a *audits, childID, agency int64, status int, errs []jtai.FieldError, form url.Values) error {
	v, err := s.childAuditView(c, in, a, childID, agency)
	if err != nil {
		return err
	}
	v.Saved = c.flash().Get("saved")
	v.Team = authz.Can(c.Subject, authz.ViewEvidence, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil
	if v.Evidence, err = s.childEvidence(c, in, childID); err != nil {
		return err
	}
	for i := range v.Parts {
		if pv := &v.Parts[i]; pv.Editable && form != nil && formPart(form) == pv.Part.AuditPartKey {
			pv.Answers = answersFrom(form, pv.Questions)
		}
	}
	return s.render(c, status, "audit", &View{Title: "Joint audit: " + v.Name, Nav: "inspections", Errors: errs, Form: form, Data: v})
}

// childAuditView is a child's audit as the viewer may see it, for the page
// and the API: the parts it may know of, which it may edit, and the
// answers it may read, opened through the guarded service.
func (s *Server) childAuditView(c *Context, in *jtai.Inspection, a *audits, childID, agency int64) (*childAuditView, error) {
	base := fmt.Sprintf("inspection/%d/audit/child/%d", in.ID, childID)
	parts := a.visibleParts(c.Subject, in, childID)
	whole := progress(a.parts[childID])
	if agency >= 0 {
		var one []*jtai.AuditPart
		for _, p := range parts {
			if p.AgencyID == agency {
				one = append(one, p)
			}
		}
		if len(one) == 0 {
			// Another agency's part, by editing the address.
			s.logAccess(c, jtai.ActDenied, fmt.Sprintf("%s/agency/%d", base, agency), "denied")
			return nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		parts = one
	}
	// The child's name and the answers the viewer may read are opened
	// through the guarded service, which logs them all at once first.
	v := &childAuditView{Inspection: in, ChildID: childID, Status: progress(parts)}
	if c.Subject.Role != jtai.RoleAgencyAuditor {
		v.Status = whole
	}
	r := a.resource(in, childID)
	for _, p := range parts {
		pv := partView{Part: p, Title: a.partTitle(p)}
		if tp, ok := a.theme.Audit.Part(p.PartID); ok {
			pv.Questions = tp.Questions
		}
		pr := guard.PartResource(r, p, whole == jtai.AuditSubmitted)
		switch {
		case p.AgencyID != 0 && authz.Can(c.Subject, authz.EditAuditPart, pr) == nil:
			pv.Action, pv.Editable = "part", p.Status != jtai.AuditSubmitted
		case p.AgencyID == 0 && authz.Can(c.Subject, authz.SubmitAudit, pr) == nil:
			pv.Action, pv.Editable = "summary", p.Status != jtai.AuditSubmitted
		}
		if p.Status != jtai.AuditNotStarted && !pv.Editable && authz.Can(c.Subject, authz.ReadAuditAnswers, pr) != nil {
			v.Hidden = true
		}
		v.Parts = append(v.Parts, pv)
	}
	name, opened, err := s.cfg.Guard.ChildAudit(c.R.Context(), c.Subject, in, childID, a.parts[childID], parts, whole == jtai.AuditSubmitted)
	if err != nil {
		return nil, err
	}
	v.Name = name
	for i := range v.Parts {
		pv := &v.Parts[i]
		if j := slices.IndexFunc(opened, func(p *jtai.AuditPart) bool { return p.AuditPartKey == pv.Part.AuditPartKey }); j >= 0 {
			pv.Answers = opened[j].Answers
		}
	}
	return v, nil
}

// formPart is the part a submitted form answers.
func formPart(form url.Values) jtai.AuditPartKey {
	child, _ := strconv.ParseInt(form.Get("child"), 10, 64)
	agency, _ := strconv.ParseInt(form.Get("agency"), 10, 64)
	return jtai.AuditPartKey{ChildID: child, PartID: form.Get("part"), AgencyID: agency}
}

func answersFrom(form url.Values, qs []theme.Question) map[string]string {
	out := map[string]string{}
	for _, q := range qs {
		out[q.ID] = strings.TrimSpace(strings.ReplaceAll(form.Get("answer-"+q.ID), "\r\n", "\n"))
	}
	return out
}

// checkAnswers finds the answers too long to keep and, for a submission,
// the questions left blank.
func checkAnswers(answers map[string]string, qs []theme.Question, submit bool) []jtai.FieldError {
	var errs []jtai.FieldError
	for i, q := range qs {
		a := answers[q.ID]
		switch {
		case len([]rune(a)) > maxAnswer:
			errs = append(errs, jtai.FieldError{Field: "answer-" + q.ID, Message: fmt.Sprintf("Answer %d must be %s characters or fewer", i+1, commaCount(maxAnswer))})
		case submit && a == "":
			errs = append(errs, jtai.FieldError{Field: "answer-" + q.ID, Message: fmt.Sprintf("Enter an answer to question %d before you submit", i+1)})
		}
	}
	return errs
}

func commaCount(n int) string { return funcs["count"].(func(int) string)(n) }

func (s *Server) saveAgencyPart(c *Context) error {
	in, a, childID, err := s.childAudit(c, authz.EditAuditPart)
	if err != nil {
		return err
	}
	key := formPart(c.R.PostForm)
	key.ChildID = childID
	return s.savePart(c, in, a, key)
}

func (s *Server) saveSummary(c *Context) error {
	in, a, childID, err := s.childAudit(c, authz.SubmitAudit)
	if err != nil {
		return err
	}
	key := formPart(c.R.PostForm)
	key.ChildID, key.AgencyID = childID, 0
	return s.savePart(c, in, a, key)
}

// savePart saves or submits one part from its form. A refusal (submitted
// already, agencies still to submit) is logged and changes nothing.
func (s *Server) savePart(c *Context, in *jtai.Inspection, a *audits, key jtai.AuditPartKey) error {
	form := c.R.PostForm
	form.Set("child", strconv.FormatInt(key.ChildID, 10))
	submit := form.Get("action") == "submit"
	part, tp, err := s.partToSave(c, in, a, key)
	if err != nil {
		return err
	}
	answers := answersFrom(form, tp.Questions)
	if submit && form.Get("confirm") != "yes" && part.Status != jtai.AuditSubmitted && len(checkAnswers(answers, tp.Questions, true)) == 0 {
		// Ask before submitting, keeping what was written as a draft
		// first: leaving the question unanswered loses nothing.
		if _, err := s.saveAnswers(c, in, part, tp, answers, false); err != nil {
			return err
		}
		what := "the part " + tp.Title
		if key.AgencyID == 0 {
			what = "the child's joint audit"
		}
		_, err := s.confirmed(c, confirmation{
			Caption:  in.Area.Name + " inspection",
			Question: "Are you sure you want to submit " + what + "?",
			Details: []string{
				"Your answers have been saved as a draft.",
				"Once submitted, the answers can no longer be changed, and the inspectors can read them.",
			},
			Warning: "You cannot change the answers after you submit them.",
			Button:  "Yes, submit",
			Back:    fmt.Sprintf("/inspections/%d/audits/%d", in.ID, key.ChildID),
		})
		return err
	}
	errs, err := s.saveAnswers(c, in, part, tp, answers, submit)
	switch {
	case len(errs) > 0:
		return s.renderChildAudit(c, in, a, key.ChildID, -1, http.StatusUnprocessableEntity, errs, form)
	case jtai.IsKind(err, jtai.ECONFLICT) && part.Status != jtai.AuditSubmitted && len(tp.Questions) > 0:
		// Still open (agencies to submit first): keep what was written.
		errs := []jtai.FieldError{{Field: "answer-" + tp.Questions[0].ID, Message: jtai.ErrorMessage(err)}}
		return s.renderChildAudit(c, in, a, key.ChildID, -1, http.StatusConflict, errs, form)
	case err != nil:
		return err
	}
	saved := "draft"
	if submit {
		saved = "submitted"
	}
	return s.flashRedirect(c, fmt.Sprintf("/inspections/%d/audits/%d", in.ID, key.ChildID), url.Values{"saved": {saved}})
}

// partToSave finds the part of a child's audit that key names and that the
// viewer may answer: an agency's part only by that agency (its auditor, or
// the coordinator as its contact), the partnership's part by the
// coordinator. Anything else is "not found", and the attempt logged.
func (s *Server) partToSave(c *Context, in *jtai.Inspection, a *audits, key jtai.AuditPartKey) (*jtai.AuditPart, theme.AuditPart, error) {
	var part *jtai.AuditPart
	for _, p := range a.parts[key.ChildID] {
		if p.AuditPartKey == key {
			part = p
		}
	}
	tp, ok := a.theme.Audit.Part(key.PartID)
	action := authz.EditAuditPart
	if key.AgencyID == 0 {
		action = authz.SubmitAudit
	}
	if part == nil || !ok || authz.Can(c.Subject, action, guard.PartResource(a.resource(in, key.ChildID), part, false)) != nil {
		s.logAccess(c, jtai.ActDenied, fmt.Sprintf("inspection/%d/audit/child/%d/part/%s/agency/%d (%s)", in.ID, key.ChildID, key.PartID, key.AgencyID, action), "denied")
		return nil, tp, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	return part, tp, nil
}

// saveAnswers checks a part's answers and saves them as a draft or, with
// submit, submits the part. It returns the problems to fix, or the store's
// error: ECONFLICT, logged, when the part is submitted already or must
// wait for the agencies' parts.
func (s *Server) saveAnswers(c *Context, in *jtai.Inspection, part *jtai.AuditPart, tp theme.AuditPart, answers map[string]string, submit bool) ([]jtai.FieldError, error) {
	if errs := checkAnswers(answers, tp.Questions, submit); len(errs) > 0 && part.Status != jtai.AuditSubmitted {
		return errs, nil
	}
	key := part.AuditPartKey
	_, err := s.cfg.Store.SaveAuditPart(c.R.Context(), in.ID, key, answers, submit, s.actor(c))
	if jtai.IsKind(err, jtai.ECONFLICT) {
		s.logAccess(c, jtai.ActAuditSubmit, fmt.Sprintf("inspection/%d/audit/child/%d/part/%s/agency/%d", in.ID, key.ChildID, key.PartID, key.AgencyID), "refused: "+jtai.ErrorKind(err))
	}
	return nil, err
}
