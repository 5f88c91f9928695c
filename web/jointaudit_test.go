package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"jtai"
	"jtai/store/storetest"
)

func init() {
	want["GET /inspections/{id}/tasks"] = roles(404, 200, 200, 200, 200)
	want["GET /inspections/{id}/audits"] = roles(404, 200, 200, 200, 200)
	// The walk's child is not selected, so it has no audit for anyone.
	want["GET /inspections/{id}/audits/{child}"] = all(404)
	want["POST /inspections/{id}/audits/{child}/part"] = all(404)
	want["POST /inspections/{id}/audits/{child}/summary"] = all(404)
}

// answers fills every question of the domestic-abuse theme's agency part.
func answers(text string) url.Values {
	f := url.Values{}
	for _, q := range []string{"lived-experience", "risk-identified", "information-shared", "child-seen-and-heard", "adult-victim-and-perpetrator", "difference-made", "do-differently"} {
		f.Set("answer-"+q, text+" ("+q+")")
	}
	return f
}

func TestJointAuditPages(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) { testJointAuditPages(t, dialect) })
	}
}

func testJointAuditPages(t *testing.T, dialect string) {
	e := newEnv(t, dialect)
	id := e.demo.Inspection.ID
	own := fmt.Sprintf("/inspections/%d", id)
	lead := e.as(t, jtai.RoleLeadInspector)
	if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d\n%s", code, body)
	}
	coord := e.as(t, jtai.RoleCoordinator)
	if code, body := coord.get(own + "/tasks"); code != http.StatusOK || !strings.Contains(body, "govuk-task-list") || !strings.Contains(body, "Joint audit: ") ||
		!strings.Contains(body, "Domestic abuse strategy and needs assessment") {
		t.Fatalf("task list: %d\n%s", code, body)
	} else if !strings.Contains(body, " rows on ") {
		// The demo's lists came through the importer: they are sent.
		t.Errorf("the task list shows no list as sent:\n%s", body)
	} else if strings.Contains(body, "(relevant)") || !strings.Contains(body, "(if the area holds it)") {
		t.Errorf("the task list gives a list's need as a code:\n%s", body)
	}
	parts, err := e.db.ListAuditParts(ctx, id)
	if err != nil || len(parts) == 0 {
		t.Fatalf("no parts planned from the selection: %v", err)
	}
	police := e.demo.User(jtai.RoleAgencyAuditor).AgencyID
	var mine, others jtai.AuditPartKey
	agencyChildren := map[int64]bool{}
	for _, p := range parts {
		if p.AgencyID == police {
			agencyChildren[p.ChildID] = true
		}
	}
	// A police part, and another agency's part of the same child.
	for _, p := range parts {
		if p.AgencyID != police && p.AgencyID != 0 && others.ChildID == 0 && agencyChildren[p.ChildID] {
			others = p.AuditPartKey
			mine = jtai.AuditPartKey{ChildID: p.ChildID, PartID: p.PartID, AgencyID: police}
		}
	}
	if others.ChildID == 0 {
		t.Fatalf("the selection gives police no child shared with another agency: %+v", parts)
	}
	var notMine int64
	for _, p := range parts {
		if !agencyChildren[p.ChildID] {
			notMine = p.ChildID
		}
	}
	// Another agency writes a draft the police auditor must never see.
	if _, err := e.db.SaveAuditPart(ctx, id, others, map[string]string{"lived-experience": "Health visitor note"}, false, nil); err != nil {
		t.Fatal(err)
	}
	page := func(k jtai.AuditPartKey) string { return fmt.Sprintf("%s/audits/%d", own, k.ChildID) }

	auditor := e.as(t, jtai.RoleAgencyAuditor)
	code, body := auditor.get(page(mine))
	if code != http.StatusOK || !strings.Contains(body, "Save as draft") || strings.Contains(body, "Health visitor note") {
		t.Fatalf("auditor's part: %d\n%s", code, body)
	}
	auditor.backLinkOpens(page(mine), body)
	// The child's record, which the auditor may open for its agency's
	// child: its back link leads to the task list, not to the children
	// list it may not see (before, "You cannot do this").
	childPage := fmt.Sprintf("%s/children/%d", own, mine.ChildID)
	if code, body := auditor.get(childPage); code != http.StatusOK {
		t.Errorf("auditor opens its agency's child: %d", code)
	} else {
		mustContain(t, body, "Back to the task list")
		auditor.backLinkOpens(childPage, body)
	}
	// Another agency's part, or a child not the agency's, by editing the
	// address or the form: not found, and nothing changes.
	for _, path := range []string{fmt.Sprintf("%s?agency=%d", page(others), others.AgencyID)} {
		if code, _ := auditor.get(path); code != http.StatusNotFound {
			t.Errorf("auditor GET %s: %d, want 404", path, code)
		}
	}
	if notMine != 0 {
		if code, _ := auditor.get(fmt.Sprintf("%s/audits/%d", own, notMine)); code != http.StatusNotFound {
			t.Errorf("auditor opens a child with no police part: %d, want 404", code)
		}
	}
	f := answers("Overwritten")
	f.Set("part", others.PartID)
	f.Set("agency", fmt.Sprint(others.AgencyID))
	f.Set("action", "submit")
	if code, _ := auditor.postForm(page(others)+"/part", f); code != http.StatusNotFound {
		t.Errorf("auditor writes another agency's part: %d, want 404", code)
	}
	if p, _ := storetest.AuditPart(t, e.db, ctx, id, others); p.Status != jtai.AuditDraft || p.Answers["lived-experience"] != "Health visitor note" {
		t.Errorf("another agency's part changed: %+v", p)
	}
	// The partnership's summary is not the auditor's to write, for a child
	// of its agency, a child selected for others, or a child not selected
	// or not there: the same answer for each, so it cannot learn which
	// children are selected.
	for _, child := range []int64{mine.ChildID, notMine, 999999} {
		if child == 0 {
			continue
		}
		if code, _ := auditor.postForm(fmt.Sprintf("%s/audits/%d/summary", own, child), answers("Summary")); code != http.StatusNotFound {
			t.Errorf("auditor posts the summary of child %d: %d, want 404 as for any other", child, code)
		}
	}

	// Draft, a submission with blanks, then the submission, then again.
	f = url.Values{"part": {mine.PartID}, "agency": {fmt.Sprint(police)}, "action": {"save"}, "answer-lived-experience": {"Seen at school by the police liaison officer"}}
	if code, body := auditor.postForm(page(mine)+"/part", f); code != http.StatusSeeOther {
		t.Fatalf("save a draft: %d\n%s", code, body)
	}
	// The page says so once; a reload does not.
	if _, body := auditor.get(page(mine)); !strings.Contains(body, "Draft saved") {
		t.Error("the audit page does not say the draft was saved")
	}
	if _, body := auditor.get(page(mine)); strings.Contains(body, "Draft saved") {
		t.Error("the audit page says the draft was saved again on reload")
	}
	f.Set("action", "submit")
	if code, body := auditor.postForm(page(mine)+"/part", f); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter an answer to question 2") {
		t.Errorf("submit with blanks: %d", code)
	} else if !strings.Contains(body, ">2. How was the risk to the child") {
		// The message names question 2: the page numbers them.
		t.Errorf("the questions are not numbered:\n%s", body)
	}
	f = answers("Police answer")
	f.Set("part", mine.PartID)
	f.Set("agency", fmt.Sprint(police))
	f.Set("action", "submit")
	// Submitting asks first, keeping the answers as a draft meanwhile.
	if code, body := auditor.postForm(page(mine)+"/part", f); code != http.StatusOK || !strings.Contains(body, "Are you sure you want to submit the part") ||
		!strings.Contains(body, `name="confirm" value="yes"`) || !strings.Contains(body, `value="Police answer`) {
		t.Fatalf("submit before confirming: %d\n%s", code, body)
	}
	if p, _ := storetest.AuditPart(t, e.db, ctx, id, mine); p.Status != jtai.AuditDraft || !strings.HasPrefix(p.Answers["lived-experience"], "Police answer") {
		t.Errorf("before confirming, the part is %+v, want a draft with the answers", p)
	}
	f.Set("confirm", "yes")
	if code, body := auditor.postForm(page(mine)+"/part", f); code != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", code, body)
	}
	f.Set("answer-lived-experience", "Changed after submitting")
	if code, body := auditor.postForm(page(mine)+"/part", f); code != http.StatusConflict || !strings.Contains(body, "can no longer be changed") {
		t.Errorf("submit twice: %d\n%s", code, body)
	}
	if p, _ := storetest.AuditPart(t, e.db, ctx, id, mine); p.Answers["lived-experience"] != "Police answer (lived-experience)" {
		t.Errorf("a second submission changed the part: %+v", p.Answers)
	}
	// The auditor's task for the child is done, but the audit is not yet
	// with the inspectors; the coordinator's task list says what is left.
	if _, body := auditor.get(own + "/tasks"); !strings.Contains(body, "Your agency&#39;s part is submitted") || strings.Contains(body, "Submitted to the inspectors") {
		t.Errorf("the auditor's task list after its part is in:\n%s", body)
	}
	if _, body := coord.get(own + "/tasks"); !strings.Contains(body, `href="`+own+`/audits"`) {
		t.Errorf("the coordinator's task list has no link to the audits' progress:\n%s", body)
	}

	// Inspectors read nothing until the partnership submits the audit.
	inspector := e.as(t, jtai.RoleInspector)
	if code, body := inspector.get(page(mine)); code != http.StatusOK || strings.Contains(body, "Police answer") {
		t.Errorf("inspector before submission: %d, answers shown: %v", code, strings.Contains(body, "Police answer"))
	}
	// The coordinator reads submitted parts, not drafts, and cannot send
	// the audit before every agency has submitted.
	code, body = coord.get(page(mine))
	if code != http.StatusOK || !strings.Contains(body, "Police answer") || strings.Contains(body, "Health visitor note") {
		t.Errorf("coordinator's view: %d\n%s", code, body)
	} else if a := e.demo.User(jtai.RoleAgencyAuditor); !strings.Contains(body, " by "+a.Name+" on ") {
		t.Errorf("the submitted part does not name its auditor, %s:\n%s", a.Name, body)
	}
	summary := url.Values{"part": {"partnership-summary"}, "action": {"submit"}, "confirm": {"yes"}, "answer-overall-summary": {"The agencies worked together well"}}
	if code, body := coord.postForm(page(mine)+"/summary", summary); code != http.StatusConflict || !strings.Contains(body, "still to be submitted") || !strings.Contains(body, "The agencies worked together well</textarea>") {
		t.Errorf("summary before every agency: %d, want 409 keeping the summary\n%s", code, body)
	}
	for _, p := range parts {
		if p.ChildID == mine.ChildID && p.AgencyID != 0 && p.AgencyID != police {
			if _, err := e.db.SaveAuditPart(ctx, id, p.AuditPartKey, map[string]string{"lived-experience": "Agency answer"}, true, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if code, _ := auditor.postForm(page(mine)+"/summary", summary); code != http.StatusForbidden {
		t.Errorf("auditor submits the summary: %d, want 403", code)
	}
	if code, body := coord.postForm(page(mine)+"/summary", summary); code != http.StatusSeeOther {
		t.Fatalf("coordinator submits: %d\n%s", code, body)
	}
	code, body = inspector.get(page(mine))
	if code != http.StatusOK || !strings.Contains(body, "Police answer") || !strings.Contains(body, "The agencies worked together well") {
		t.Errorf("inspector after submission: %d\n%s", code, body)
	}
	if code, body := inspector.get(own + "/audits"); code != http.StatusOK || !strings.Contains(body, "Submitted") {
		t.Errorf("inspector's progress: %d", code)
	}

	// The timetable's step is done once every tracked child's audit is in,
	// and not before.
	_, body = lead.get(own)
	if got := timetableState(t, body, "Partnership&#39;s joint audits returned"); got == "Done" {
		t.Errorf("audits returned: Done with one child's audit in")
	}
	if parts, err = e.db.ListAuditParts(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, summaries := range []bool{false, true} {
		for _, p := range parts {
			if p.Status != jtai.AuditSubmitted && (p.AgencyID == 0) == summaries {
				if _, err := e.db.SaveAuditPart(ctx, id, p.AuditPartKey, map[string]string{"lived-experience": "Answer", "overall-summary": "Summary"}, true, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	_, body = lead.get(own)
	if got := timetableState(t, body, "Partnership&#39;s joint audits returned"); got != "Done" {
		t.Errorf("audits returned: %q with every audit in, want Done", got)
	}

	entries, err := e.db.AccessLogTail(ctx, 400)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, en := range entries {
		got[en.Action]++
		if strings.Contains(en.Outcome, "answer") || strings.Contains(en.Resource, "answer") {
			t.Errorf("an answer in the access log: %+v", en)
		}
	}
	if got[jtai.ActAuditRead] < 3 || got[jtai.ActDenied] < 3 || got[jtai.ActAuditSubmit] < 2 {
		t.Errorf("logged actions %v", got)
	}
}

// A GET never writes: the parts of the joint audits are made when the lead
// inspector publishes the selection, by the lead inspector, and no page
// opened afterwards, by anyone, changes anything but the access log.
func TestGetNeverWrites(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			id := e.demo.Inspection.ID
			own := fmt.Sprintf("/inspections/%d", id)
			lead := e.as(t, jtai.RoleLeadInspector)
			before := e.logHead(t)
			if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
				t.Fatalf("publish the selection: %d\n%s", code, body)
			}
			parts, err := e.db.ListAuditParts(ctx, id)
			if err != nil || len(parts) == 0 {
				t.Fatalf("publishing made no parts: %v", err)
			}
			if !slices.ContainsFunc(e.logSince(t, before), func(en *jtai.AccessEntry) bool {
				return en.Action == jtai.ActAuditPlan && en.Actor == e.demo.User(jtai.RoleLeadInspector).Email
			}) {
				t.Errorf("the parts' planning is not logged as the lead inspector's: %+v", e.logSince(t, before))
			}
			tracked := fmt.Sprint(parts[0].ChildID)
			for _, role := range jtai.Roles {
				c := e.as(t, role)
				for _, rt := range e.srv.Routes() {
					if rt.Method != "GET" || rt.Pattern == "/sign-out" {
						continue
					}
					path := e.fill(rt.Pattern)
					if strings.Contains(rt.Pattern, "/audits/{child}") {
						path = own + "/audits/" + tracked
					}
					was := storetest.Digest(t, e.db, mayChangeOnGET...)
					c.get(path)
					for table, d := range storetest.Digest(t, e.db, mayChangeOnGET...) {
						if was[table] != d {
							t.Errorf("GET %s as %s wrote to %s: a GET never writes", path, role, table)
						}
					}
				}
			}
		})
	}
}
