package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"jtai"
	"jtai/store/storetest"
	"jtai/theme"
)

func init() {
	// The inspection team's alone: the partnership and an agency are
	// told "not found", as if there were no evidence at all.
	want["GET /inspections/{id}/evidence"] = roles(404, 200, 200, 404, 404)
	want["GET /inspections/{id}/evidence/new"] = roles(404, 200, 200, 404, 404)
	want["POST /inspections/{id}/evidence"] = roles(404, 422, 422, 404, 404) // an empty form
}

// evidenceCount is how many evidence records the database holds.
func (e *env) evidenceCount(t *testing.T) int {
	t.Helper()
	rows, err := e.db.RawQuery(ctx, `SELECT COUNT(*) FROM evidence`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int
	rows.Next()
	if err := rows.Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvidencePages(t *testing.T) {
	e := newEnv(t, "sqlite")
	id := e.demo.Inspection.ID
	own := fmt.Sprintf("/inspections/%d", id)
	lead := e.as(t, jtai.RoleLeadInspector)
	if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d\n%s", code, body)
	}
	sel, err := e.db.FindSelection(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The tracked child is one with a police part in its audit, so that
	// the police auditor's view of it is checked below.
	police := e.demo.User(jtai.RoleAgencyAuditor).AgencyID
	parts, err := e.db.ListAuditParts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var tracked int64
	for _, p := range parts {
		if p.AgencyID == police && tracked == 0 {
			tracked = p.ChildID
		}
	}
	chosen := map[int64]bool{}
	for _, c := range sel.Children {
		chosen[c.ChildID] = true
	}
	if tracked == 0 {
		t.Fatal("no tracked child has a police part")
	}
	all, err := storetest.Children(t, e.db, ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var unpicked int64
	var trackedLA string
	for _, c := range all {
		if !chosen[c.ID] && unpicked == 0 {
			unpicked = c.ID
		}
		if c.ID == tracked {
			trackedLA = c.LAChildID
		}
	}
	insp := e.as(t, jtai.RoleInspector)
	inspector := e.demo.User(jtai.RoleInspector)

	code, form := insp.get(own + "/evidence/new")
	if code != http.StatusOK || !strings.Contains(form, trackedLA) || !strings.Contains(form, `value="voice-of-the-child"`) || !strings.Contains(form, `value="identification"`) {
		t.Fatalf("the form: %d, want the tracked child and the theme's criteria and focus areas\n%s", code, form)
	}
	good := func() url.Values {
		return url.Values{"kind": {"case-tracking"}, "on-day": {"14"}, "on-month": {"4"}, "on-year": {"2026"},
			"inspector": {strconv.FormatInt(inspector.ID, 10)}, "child": {strconv.FormatInt(tracked, 10)}, "agency": {strconv.FormatInt(police, 10)},
			"criteria": {"voice-of-the-child", "identification"}, "polarity": {"strength"}, "note": {"The officer wrote down the child's own words"}}
	}
	for _, tc := range []struct {
		name   string
		change func(f url.Values)
		says   []string
	}{
		{"a criterion the theme does not have, a note too long", func(f url.Values) {
			f["criteria"] = []string{"made-up"}
			f.Set("note", strings.Repeat("x", jtai.MaxEvidenceNote+1))
		}, []string{`href="#criteria"`, "The theme has no criterion or focus area", `href="#note"`, "20,000 characters or fewer"}},
		{"a child not selected, an inspector not on the team", func(f url.Values) {
			f.Set("child", strconv.FormatInt(unpicked, 10))
			f.Set("inspector", strconv.FormatInt(e.demo.User(jtai.RoleCoordinator).ID, 10))
		}, []string{`href="#child"`, "in this inspection&#39;s selection", `href="#inspector"`, "on this inspection&#39;s team"}},
		{"an audit evaluated without saying whether the team agrees", func(f url.Values) {
			f.Set("kind", "audit-evaluation")
		}, []string{`href="#agreement"`, "agree with the partnership&#39;s audit"}},
		{"no date, no agency", func(f url.Values) {
			f.Del("on-day")
			f.Del("on-month")
			f.Del("on-year")
			f.Del("agency")
		}, []string{`href="#on"`, `href="#agencies"`}},
	} {
		f := good()
		tc.change(f)
		code, body := insp.postForm(own+"/evidence", f)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "There is a problem") {
			t.Errorf("%s: %d, want 422 with the error summary\n%s", tc.name, code, body)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(body, s) {
				t.Errorf("%s: the page does not say %q", tc.name, s)
			}
		}
	}
	if n := e.evidenceCount(t); n != 0 {
		t.Fatalf("%d records kept from bad input", n)
	}

	before := e.logHead(t)
	if code, body := insp.postForm(own+"/evidence", good()); code != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", code, body)
	}

	review := good()
	review.Set("kind", "audit-evaluation")
	review.Set("agreement", "partly")
	review.Set("note", "The partnership's audit missed the school's concerns")
	if code, body := insp.postForm(own+"/evidence", review); code != http.StatusSeeOther {
		t.Fatalf("record an audit evaluated: %d\n%s", code, body)
	}
	code, list := insp.get(own + "/evidence")
	if !strings.Contains(list, "The inspectors agree with it in part") || !strings.Contains(list, "missed the school&#39;s concerns") {
		t.Errorf("the list does not show the audit evaluated and whether the team agrees\n%s", list)
	}
	if code != http.StatusOK || !strings.Contains(list, "The evidence has been recorded.") || !strings.Contains(list, "The officer wrote down the child&#39;s own words") ||
		!strings.Contains(list, trackedLA) || !strings.Contains(list, "Strength") {
		t.Errorf("the list after recording: %d\n%s", code, list)
	}
	var recorded, read bool
	for _, en := range e.logSince(t, before) {
		recorded = recorded || (en.Action == jtai.ActEvidenceRecord && en.Actor == inspector.Email && strings.HasPrefix(en.Resource, fmt.Sprintf("inspection/%d/evidence/", id)))
		read = read || (en.Action == jtai.ActEvidenceRead && en.Actor == inspector.Email)
	}
	if !recorded || !read {
		t.Errorf("the log after recording and reading: recorded %v, read %v", recorded, read)
	}
	// The picture by child: the tracked child's column has both records.
	code, byChild := insp.get(own + "/evidence/picture?by=child")
	ccell := fmt.Sprintf(`href="%s/evidence?line=voice-of-the-child&amp;by=child&amp;col=%d">2 records`, own, tracked)
	if code != http.StatusOK || !strings.Contains(byChild, trackedLA) || !strings.Contains(byChild, ccell) {
		t.Errorf("the picture by child: %d, want the tracked child's column with 2 records\n%s", code, byChild)
	}
	if _, home := insp.get(own); !strings.Contains(home, own+"/evidence") {
		t.Errorf("the inspection page has no link to the evidence")
	}

	// Beside the child's joint audit, for the team only.
	auditPath := fmt.Sprintf("%s/audits/%d", own, tracked)
	if code, page := insp.get(auditPath); code != http.StatusOK || !strings.Contains(page, "The officer wrote down") {
		t.Errorf("the tracked child's audit for the team: %d, want the evidence on it", code)
	}
	coord := e.as(t, jtai.RoleCoordinator)
	if code, page := coord.get(auditPath); code != http.StatusOK || strings.Contains(page, "The officer wrote down") || strings.Contains(page, "evidence") {
		t.Errorf("the partnership's view of the child's audit (%d) shows the team's evidence", code)
	}
	// The police auditor sees the child's audit, through its police part,
	// and none of the team's evidence on it.
	auditor := e.as(t, jtai.RoleAgencyAuditor)
	if code, page := auditor.get(auditPath); code != http.StatusOK || strings.Contains(page, "The officer wrote down") || strings.Contains(page, "audit missed") || strings.Contains(page, "evidence") {
		t.Errorf("the police auditor's view of the child's audit (%d, want 200) shows the team's evidence", code)
	}
	if _, home := coord.get(own); strings.Contains(home, own+"/evidence") {
		t.Errorf("the partnership's inspection page links to the evidence")
	}

	// The partnership and an agency: "not found" on every evidence page,
	// each refusal logged, nothing kept.
	for _, role := range []jtai.Role{jtai.RoleCoordinator, jtai.RoleAgencyAuditor} {
		c := e.as(t, role)
		for _, req := range []struct{ method, path string }{{"GET", own + "/evidence"}, {"GET", own + "/evidence/new"}, {"POST", own + "/evidence"}} {
			before := e.logHead(t)
			var code int
			var body string
			if req.method == "GET" {
				code, body = c.get(req.path)
			} else {
				code, body = c.postForm(req.path, good())
			}
			if code != http.StatusNotFound || strings.Contains(body, "The officer wrote down") {
				t.Errorf("%s %s %s: %d, want 404 and no evidence", role, req.method, req.path, code)
			}
			denied := false
			for _, en := range e.logSince(t, before) {
				denied = denied || (en.Action == jtai.ActDenied && en.Actor == e.demo.User(role).Email)
			}
			if !denied {
				t.Errorf("%s %s %s: the refusal is not logged", role, req.method, req.path)
			}
		}
	}
	if n := e.evidenceCount(t); n != 2 {
		t.Errorf("%d records after the partnership tried, want 2", n)
	}
}

func init() {
	want["GET /inspections/{id}/evidence/picture"] = roles(404, 200, 200, 404, 404)
}

// The picture counts the records of each criterion against each agency
// and calls out the thin cells; it shows no note.
func TestEvidencePicture(t *testing.T) {
	e := newEnv(t, "sqlite")
	id := e.demo.Inspection.ID
	own := fmt.Sprintf("/inspections/%d", id)
	insp := e.as(t, jtai.RoleInspector)
	inspector := e.demo.User(jtai.RoleInspector)
	police := e.demo.User(jtai.RoleAgencyAuditor).AgencyID
	agencies, err := e.db.ListAgencies(ctx, e.demo.Area.ID)
	if err != nil {
		t.Fatal(err)
	}
	var policeName, otherName string
	var other int64
	for _, a := range agencies {
		if a.ID == police {
			policeName = a.Name
		} else if otherName == "" {
			otherName, other = a.Name, a.ID
		}
	}
	for _, pol := range []string{"strength", "strength", "improvement"} {
		f := url.Values{"kind": {"interview"}, "on-day": {"15"}, "on-month": {"4"}, "on-year": {"2026"},
			"inspector": {strconv.FormatInt(inspector.ID, 10)}, "agency": {strconv.FormatInt(police, 10)},
			"criteria": {"voice-of-the-child"}, "polarity": {pol}, "note": {"Focus group with the police safeguarding team " + pol}}
		if code, body := insp.postForm(own+"/evidence", f); code != http.StatusSeeOther {
			t.Fatalf("record: %d\n%s", code, body)
		}
	}
	f := url.Values{"kind": {"visit"}, "on-day": {"16"}, "on-month": {"4"}, "on-year": {"2026"},
		"inspector": {strconv.FormatInt(inspector.ID, 10)}, "agency": {strconv.FormatInt(other, 10)},
		"criteria": {"leadership"}, "polarity": {"context"}, "note": {"Visited the refuge run with the council"}}
	if code, body := insp.postForm(own+"/evidence", f); code != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", code, body)
	}
	reg, err := theme.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	th, err := reg.Get(e.demo.Inspection.ThemeID)
	if err != nil {
		t.Fatal(err)
	}
	voice, _ := th.Line("voice-of-the-child")
	before := e.logHead(t)
	code, page := insp.get(own + "/evidence/picture")
	if code != http.StatusOK {
		t.Fatalf("the picture: %d\n%s", code, page)
	}
	for _, s := range []string{"4 evidence records so far", "2 strengths<br>1 area for improvement<br>0 context",
		"No evidence yet on " + html.EscapeString(voice.Title) + " for " + html.EscapeString(otherName)} {
		if !strings.Contains(page, s) {
			t.Errorf("the picture does not say %q\n%s", s, page)
		}
	}
	if strings.Contains(page, "No evidence yet on "+html.EscapeString(voice.Title)+" for "+html.EscapeString(policeName)) {
		t.Errorf("the police's cell on the voice of the child, with 3 records, is called thin")
	}
	if strings.Contains(page, "Focus group with the police") {
		t.Errorf("the picture shows a note")
	}
	cell := fmt.Sprintf("%s/evidence?line=voice-of-the-child&amp;by=agency&amp;col=%d", own, police)
	if !strings.Contains(page, `href="`+cell+`">3 records`) {
		t.Errorf("the police's cell on the voice of the child does not link to its 3 records")
	}
	code, list := insp.get(html.UnescapeString(cell))
	if code != http.StatusOK || strings.Count(list, "govuk-summary-card\"") != 3 || strings.Contains(list, "Visited the refuge") || !strings.Contains(list, "Show all the evidence") {
		t.Errorf("the cell's records: %d, want the 3 records on it and no other\n%s", code, list)
	}
	for _, q := range []string{"?line=made-up&by=agency&col=1", "?line=leadership&by=agency&col=0", "?line=leadership&by=colour&col=1"} {
		if code, _ := insp.get(own + "/evidence" + q); code != http.StatusNotFound {
			t.Errorf("the records of a cell that is not in the picture (%s): %d, want 404", q, code)
		}
	}
	// By inspectorate: every record is the one inspector's.
	code, byInsp := insp.get(own + "/evidence/picture?by=inspectorate")
	icell := fmt.Sprintf(`href="%s/evidence?line=voice-of-the-child&amp;by=inspectorate&amp;col=%s">3 records`, own, inspector.Inspectorate)
	if code != http.StatusOK || !strings.Contains(byInsp, icell) || !strings.Contains(byInsp, "No evidence yet on "+html.EscapeString(voice.Title)+" for ") {
		t.Errorf("the picture by inspectorate: %d, want the inspector's cell of 3 and the others empty\n%s", code, byInsp)
	}
	if code, _ := insp.get(own + "/evidence/picture?by=colour"); code != http.StatusNotFound {
		t.Errorf("a picture by something unknown: %d, want 404", code)
	}
	read := false
	for _, en := range e.logSince(t, before) {
		read = read || (en.Action == jtai.ActEvidenceRead && en.Resource == fmt.Sprintf("inspection/%d/evidence/picture", id) && en.Actor == inspector.Email)
	}
	if !read {
		t.Errorf("the picture's read is not logged")
	}
}

func init() {
	want["POST /inspections/{id}/evidence/draft"] = roles(404, 200, 200, 404, 404) // an empty draft
}

// The form's script keeps a draft on the server; the form opens on it
// again until the evidence is recorded. The partnership keeps none.
func TestEvidenceDraftPages(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	insp := e.as(t, jtai.RoleInspector)
	draft := func() url.Values {
		return url.Values{"kind": {"visit"}, "on-day": {"17"}, "note": {"Half-written note on the refuge visit"}}
	}
	code, body := insp.postForm(own+"/evidence/draft", draft())
	if code != http.StatusOK || body != "Draft saved" {
		t.Fatalf("save a draft: %d %q", code, body)
	}
	_, form := insp.get(own + "/evidence/new")
	for _, s := range []string{"This is the draft you were writing", "Half-written note on the refuge visit", `value="visit" checked`, `value="17"`} {
		if !strings.Contains(form, s) {
			t.Errorf("the form does not restore the draft: no %q\n%s", s, form)
		}
	}
	// Another inspector's draft is theirs alone.
	lead := e.as(t, jtai.RoleLeadInspector)
	if _, other := lead.get(own + "/evidence/new"); strings.Contains(other, "Half-written") || strings.Contains(other, "This is the draft") {
		t.Errorf("the lead sees the inspector's draft")
	}
	for _, role := range []jtai.Role{jtai.RoleCoordinator, jtai.RoleAgencyAuditor} {
		if code, _ := e.as(t, role).postForm(own+"/evidence/draft", draft()); code != http.StatusNotFound {
			t.Errorf("%s saving a draft: %d, want 404", role, code)
		}
	}
	f := url.Values{"kind": {"visit"}, "on-day": {"17"}, "on-month": {"4"}, "on-year": {"2026"},
		"inspector": {strconv.FormatInt(e.demo.User(jtai.RoleInspector).ID, 10)}, "agency": {strconv.FormatInt(e.demo.Agencies[0].ID, 10)},
		"criteria": {"leadership"}, "polarity": {"context"}, "note": {"The refuge visit, written up"}}
	if code, body := insp.postForm(own+"/evidence", f); code != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", code, body)
	}
	if _, form := insp.get(own + "/evidence/new"); strings.Contains(form, "Half-written") || strings.Contains(form, "This is the draft") {
		t.Errorf("the draft outlives the record")
	}
}
