package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/theme"
)

// registerEvidence registers the inspection team's evidence pages.
func (s *Server) registerEvidence() {
	s.handle("GET", "/inspections/{id}/evidence", SignedIn, s.evidencePage)
	s.handle("GET", "/inspections/{id}/evidence/new", SignedIn, s.newEvidencePage)
	s.handle("POST", "/inspections/{id}/evidence", SignedIn, s.recordEvidence)
	s.handle("GET", "/inspections/{id}/evidence/picture", SignedIn, s.picturePage)
	s.handle("POST", "/inspections/{id}/evidence/draft", SignedIn, s.saveEvidenceDraft)
}

// evidenceRow is one evidence record as pages show it: its agencies and
// lines of enquiry by name.
type evidenceRow struct {
	*jtai.Evidence
	Agencies []string
	Lines    []string
	Child    string // the child's identifier, on the list of all evidence
}

// evidenceNames names what evidence records refer to by id.
type evidenceNames struct {
	theme    *theme.Theme
	agencies map[int64]string
}

func (s *Server) evidenceNames(c *Context, in *jtai.Inspection) (*evidenceNames, []*jtai.Agency, error) {
	th, err := s.inspectionTheme(in)
	if err != nil {
		return nil, nil, err
	}
	agencies, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
	if err != nil {
		return nil, nil, err
	}
	n := &evidenceNames{theme: th, agencies: map[int64]string{}}
	for _, a := range agencies {
		n.agencies[a.ID] = a.Name
	}
	return n, agencies, nil
}

func (n *evidenceNames) rows(list []*jtai.Evidence) []evidenceRow {
	out := make([]evidenceRow, len(list))
	for i, e := range list {
		r := evidenceRow{Evidence: e}
		for _, a := range e.AgencyIDs {
			r.Agencies = append(r.Agencies, n.agencies[a])
		}
		for _, id := range e.Criteria {
			title := id
			if l, ok := n.theme.Line(id); ok {
				title = l.Title
			}
			r.Lines = append(r.Lines, title)
		}
		out[i] = r
	}
	return out
}

type evidenceView struct {
	Inspection *jtai.Inspection
	Evidence   []evidenceRow
	// Filtered: only the records on one line of enquiry in one column (an
	// agency, an inspectorate, a child): a cell of the evidence picture,
	// named for people.
	Filtered     bool
	Line, Agency string
}

// onCell keeps the records of list that bear on line in column col, of
// giving each record's columns.
func onCell(list []*jtai.Evidence, line, col string, of func(*jtai.Evidence) []string) []*jtai.Evidence {
	var out []*jtai.Evidence
	for _, e := range list {
		if slices.Contains(e.Criteria, line) && slices.Contains(of(e), col) {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) evidencePage(c *Context) error {
	in, err := s.inspection(c, authz.ViewEvidence)
	if err != nil {
		return err
	}
	names, _, err := s.evidenceNames(c, in)
	if err != nil {
		return err
	}
	list, err := s.cfg.Guard.Evidence(c.R.Context(), c.Subject, in)
	if err != nil {
		return err
	}
	v := &evidenceView{Inspection: in}
	q := c.R.URL.Query()
	if line := q.Get("line"); line != "" {
		l, ok := names.theme.Line(line)
		if !ok {
			return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		cols, of, err := s.pictureColumns(c, in, names, q.Get("by"))
		if err != nil {
			return err
		}
		j := slices.IndexFunc(cols, func(pc pictureColumn) bool { return pc.Key == q.Get("col") })
		if j < 0 {
			return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		list = onCell(list, line, cols[j].Key, of)
		v.Filtered, v.Line, v.Agency = true, l.Title, cols[j].Name
	}
	v.Evidence = names.rows(list)
	if slices.ContainsFunc(list, func(e *jtai.Evidence) bool { return e.ChildID != 0 }) {
		choices, err := s.evidenceChildren(c, in, authz.ViewEvidence)
		if err != nil {
			return err
		}
		for i := range v.Evidence {
			if j := slices.IndexFunc(choices, func(ch childChoice) bool { return ch.ID == v.Evidence[i].ChildID }); j >= 0 {
				v.Evidence[i].Child = choices[j].Label
			}
		}
	}
	return s.render(c, http.StatusOK, "evidence", &View{Title: "Evidence", Nav: "inspections", Data: v})
}

// childChoice is a selected child as the evidence form offers it.
type childChoice struct {
	ID    int64
	Label string
}

// evidenceChildren are the children of the selection now, by the local
// authority's identifier and their kind of selection, opened through the
// guarded service to do a.
func (s *Server) evidenceChildren(c *Context, in *jtai.Inspection, a authz.Action) ([]childChoice, error) {
	sel, err := s.cfg.Store.FindSelection(c.R.Context(), in.ID)
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		return nil, nil
	}
	if err != nil || len(sel.Children) == 0 {
		return nil, err
	}
	ids := make([]int64, len(sel.Children))
	for i, sc := range sel.Children {
		ids[i] = sc.ChildID
	}
	kids, err := s.cfg.Guard.Children(c.R.Context(), c.Subject, in, a, ids, "evidence (the selected children)")
	if err != nil {
		return nil, err
	}
	out := make([]childChoice, len(kids))
	for i, k := range kids {
		out[i] = childChoice{ID: k.ID, Label: fmt.Sprintf("%s (%s)", k.LAChildID, sel.Children[i].Kind.Label())}
	}
	return out, nil
}

type evidenceFormView struct {
	Inspection *jtai.Inspection
	Kinds      []jtai.EvidenceKind
	Polarities []jtai.Polarity
	Agreements []jtai.Agreement
	Team       []*jtai.User
	Agencies   []*jtai.Agency
	Children   []childChoice
	Lines      []theme.Line
	MaxNote    int
	// Restored: the form is the viewer's draft, kept while they wrote it.
	Restored bool
}

// Checked reports whether value is among the form's values of field.
func (v *evidenceFormView) Checked(f url.Values, field, value string) bool {
	return slices.Contains(f[field], value)
}

func (s *Server) evidenceForm(c *Context, status int, errs []jtai.FieldError, f url.Values) error {
	in, err := s.inspection(c, authz.RecordEvidence)
	if err != nil {
		return err
	}
	names, agencies, err := s.evidenceNames(c, in)
	if err != nil {
		return err
	}
	v := &evidenceFormView{Inspection: in, Kinds: jtai.EvidenceKinds, Polarities: jtai.Polarities, Agreements: jtai.Agreements, Agencies: agencies, Lines: names.theme.Lines(), MaxNote: jtai.MaxEvidenceNote}
	if v.Team, err = s.cfg.Store.ListTeam(c.R.Context(), in.ID); err != nil {
		return err
	}
	if v.Children, err = s.evidenceChildren(c, in, authz.RecordEvidence); err != nil {
		return err
	}
	if f == nil {
		if f, err = s.evidenceDraft(c, in); err != nil {
			return err
		}
		v.Restored = len(f) > 0
		// A new record: by the viewer, and about the child and of the
		// kind the link to the form names (from a child's joint audit).
		q := c.R.URL.Query()
		for field, value := range map[string]string{"child": q.Get("child"), "kind": q.Get("kind"), "inspector": strconv.FormatInt(c.User.ID, 10)} {
			if value != "" && (field != "inspector" || f.Get(field) == "") {
				f.Set(field, value)
			}
		}
	}
	return s.render(c, status, "evidence_new", &View{Title: "Record evidence", Nav: "inspections", Errors: errs, Form: f, Data: v})
}

func (s *Server) newEvidencePage(c *Context) error {
	return s.evidenceForm(c, http.StatusOK, nil, nil)
}

func (s *Server) recordEvidence(c *Context) error {
	in, err := s.inspection(c, authz.RecordEvidence)
	if err != nil {
		return err
	}
	th, err := s.inspectionTheme(in)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	e, errs := evidenceFrom(in, f)
	if len(errs) == 0 {
		err = s.cfg.Store.RecordEvidence(c.R.Context(), e, th.HasLine, s.actor(c))
		if !jtai.IsKind(err, jtai.EINVALID) {
			if err != nil {
				return err
			}
			return s.doneRedirect(c, fmt.Sprintf("/inspections/%d/evidence", in.ID), "evidence-recorded")
		}
		errs = jtai.ErrorFields(err)
	}
	return s.evidenceForm(c, http.StatusUnprocessableEntity, errs, f)
}

// evidenceFrom reads an evidence record from the form; what it cannot
// read is a problem by field, and the store checks the rest.
func evidenceFrom(in *jtai.Inspection, f url.Values) (*jtai.Evidence, []jtai.FieldError) {
	var errs []jtai.FieldError
	e := &jtai.Evidence{InspectionID: in.ID, Kind: jtai.EvidenceKind(f.Get("kind")), Polarity: jtai.Polarity(f.Get("polarity")),
		Agreement: jtai.Agreement(f.Get("agreement")),
		Criteria:  f["criteria"], Note: strings.ReplaceAll(f.Get("note"), "\r\n", "\n")}
	day, month, year := strings.TrimSpace(f.Get("on-day")), strings.TrimSpace(f.Get("on-month")), strings.TrimSpace(f.Get("on-year"))
	if day != "" || month != "" || year != "" {
		on, err := time.Parse("2006-1-2", year+"-"+month+"-"+day)
		if err != nil || len(year) != 4 {
			errs = append(errs, jtai.FieldError{Field: "on", Message: "The date of the activity must be a real date, like 14 4 2026"})
		} else {
			e.On = on
		}
	}
	e.InspectorID, _ = strconv.ParseInt(f.Get("inspector"), 10, 64)
	e.ChildID, _ = strconv.ParseInt(f.Get("child"), 10, 64)
	for _, a := range f["agency"] {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil {
			e.AgencyIDs = append(e.AgencyIDs, id)
		}
	}
	if !e.Kind.AboutChild() && e.ChildID != 0 {
		errs = append(errs, jtai.FieldError{Field: "child", Message: "Select a child only for case tracking, case sampling or an evaluation of the partnership's audit"})
	}
	return e, errs
}

// childEvidence is the evidence on one child, for the team beside the
// child's joint audit; nil, and nothing opened, for anyone else.
func (s *Server) childEvidence(c *Context, in *jtai.Inspection, childID int64) ([]evidenceRow, error) {
	if authz.Can(c.Subject, authz.ViewEvidence, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) != nil {
		return nil, nil
	}
	list, err := s.cfg.Guard.ChildEvidence(c.R.Context(), c.Subject, in, childID)
	if err != nil {
		return nil, err
	}
	names, _, err := s.evidenceNames(c, in)
	if err != nil {
		return nil, err
	}
	return names.rows(list), nil
}

// pictureView is the evidence picture: the theme's lines of enquiry
// against the area's agencies, the theme's inspectorates or the selected
// children.
type pictureView struct {
	Inspection *jtai.Inspection
	By         string // "agency", "inspectorate" or "child"
	Lines      []theme.Line
	Columns    []pictureColumn
	Picture    *jtai.Picture
	Thin       []thinCell
	CellCount  int
}

// pictureColumn is one column of the picture: its key and its name.
type pictureColumn struct {
	Key, Name string
}

// thinCell is a cell with too little evidence, named for people.
type thinCell struct {
	Line, Column string
	Records      int
}

// pictureColumns are the columns of the picture by what by names, and the
// keys each record has among them; by anything else is "not found".
func (s *Server) pictureColumns(c *Context, in *jtai.Inspection, names *evidenceNames, by string) ([]pictureColumn, func(*jtai.Evidence) []string, error) {
	var cols []pictureColumn
	switch by {
	case "", "agency":
		agencies, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
		if err != nil {
			return nil, nil, err
		}
		for _, a := range agencies {
			cols = append(cols, pictureColumn{strconv.FormatInt(a.ID, 10), a.Name})
		}
		return cols, jtai.ByAgency, nil
	case "inspectorate":
		for _, i := range names.theme.Inspectorates {
			cols = append(cols, pictureColumn{string(i), i.Label()})
		}
		return cols, jtai.ByInspectorate, nil
	case "child":
		kids, err := s.evidenceChildren(c, in, authz.ViewEvidence)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range kids {
			cols = append(cols, pictureColumn{strconv.FormatInt(k.ID, 10), k.Label})
		}
		return cols, jtai.ByChild, nil
	}
	return nil, nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
}

func (s *Server) picturePage(c *Context) error {
	in, err := s.inspection(c, authz.ViewEvidence)
	if err != nil {
		return err
	}
	names, _, err := s.evidenceNames(c, in)
	if err != nil {
		return err
	}
	by := c.R.URL.Query().Get("by")
	cols, of, err := s.pictureColumns(c, in, names, by)
	if err != nil {
		return err
	}
	if by == "" {
		by = "agency"
	}
	list, err := s.cfg.Guard.EvidenceTags(c.R.Context(), c.Subject, in)
	if err != nil {
		return err
	}
	v := &pictureView{Inspection: in, By: by, Lines: names.theme.Lines(), Columns: cols}
	lineIDs := make([]string, len(v.Lines))
	for i, l := range v.Lines {
		lineIDs[i] = l.ID
	}
	keys := make([]string, len(cols))
	colName := map[string]string{}
	for i, col := range cols {
		keys[i], colName[col.Key] = col.Key, col.Name
	}
	v.Picture = jtai.NewPicture(lineIDs, keys, list, of)
	v.CellCount = len(lineIDs) * len(keys)
	for _, tc := range v.Picture.Thin() {
		l, _ := names.theme.Line(tc.Line)
		v.Thin = append(v.Thin, thinCell{Line: l.Title, Column: colName[tc.Column], Records: tc.Tally.Total()})
	}
	return s.render(c, http.StatusOK, "evidence_picture", &View{Title: "The evidence picture", Nav: "inspections", Data: v})
}

// evidenceDraft is the form the viewer was writing, as kept; empty when
// they keep none.
func (s *Server) evidenceDraft(c *Context, in *jtai.Inspection) (url.Values, error) {
	draft, _, err := s.cfg.Guard.EvidenceDraft(c.R.Context(), c.Subject, in)
	if err != nil {
		return nil, err
	}
	f, err := url.ParseQuery(draft)
	if err != nil {
		return url.Values{}, nil // a draft that cannot be read back is no draft
	}
	return f, nil
}

// saveEvidenceDraft keeps the form as the viewer has typed it so far, for
// the form's script, which sends it every few seconds; it answers with
// the words to show.
func (s *Server) saveEvidenceDraft(c *Context) error {
	in, err := s.inspection(c, authz.RecordEvidence)
	if err != nil {
		return err
	}
	f := url.Values{}
	for field, values := range c.R.PostForm {
		if field != "csrf_token" {
			f[field] = values
		}
	}
	if _, err := s.cfg.Store.SaveEvidenceDraft(c.R.Context(), in.ID, c.User.ID, f.Encode(), s.actor(c)); err != nil {
		return err
	}
	c.W.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.W.Header().Set("Cache-Control", "no-store")
	_, err = fmt.Fprint(c.W, "Draft saved")
	return err
}
