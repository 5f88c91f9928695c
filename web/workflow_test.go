package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jtai"
	"jtai/store/storetest"
)

// TestWorkflow takes the demo inspection through the guarded moves as the
// lead inspector would, with the refusals a forged or repeated POST meets,
// and then finds the withdrawn inspection read-only on pages and the API.
func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		id := e.demo.Inspection.ID
		own := fmt.Sprintf("/inspections/%d", id)
		lead := e.as(t, jtai.RoleLeadInspector)
		status := func() jtai.Status {
			t.Helper()
			in, err := e.db.FindInspectionByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return in.Status
		}
		start := status()

		// "Children selected" is not offered on the status page, and a
		// forged POST for it is refused, says why, changes nothing and is
		// logged.
		_, body := lead.get(own + "/status")
		if strings.Contains(body, `value="children-selected"`) || !strings.Contains(body, "Children are selected by publishing the selection") {
			t.Errorf("the status page offers children selected, or does not say how:\n%s", body)
		}
		before := e.logHead(t)
		code, body := lead.postForm(own+"/status", url.Values{"status": {string(jtai.StatusChildrenSelected)}})
		if code != http.StatusConflict || !strings.Contains(body, "Children are selected by publishing a selection") {
			t.Errorf("forged move to children selected: %d\n%s", code, body)
		}
		if status() != start {
			t.Errorf("a refused move changed the status to %s", status())
		}
		if !loggedOutcome(e.logSince(t, before), jtai.ActTransition, "refused: to children-selected") {
			t.Error("the refused move is not logged")
		}

		// Publishing the selection asks first; nothing is selected until
		// the answer is yes, and a second yes is refused.
		code, body = lead.postForm(own+"/selection", url.Values{"seed": {"3"}})
		if code != http.StatusOK || !strings.Contains(body, "Are you sure you want to publish the selection?") || !strings.Contains(body, `name="seed" value="3"`) {
			t.Fatalf("publish without confirming: %d\n%s", code, body)
		}
		if _, err := e.db.FindSelection(ctx, id); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("the selection was saved before it was confirmed: %v", err)
		}
		yes := url.Values{"seed": {"3"}, "confirm": {"yes"}}
		if code, body := lead.postForm(own+"/selection", yes); code != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%s", code, body)
		}
		if code, body := lead.postForm(own+"/selection", yes); code != http.StatusConflict || !strings.Contains(body, "already selected") {
			t.Errorf("the confirmation posted twice: %d\n%s", code, body)
		}
		if status() != jtai.StatusChildrenSelected {
			t.Errorf("after publishing: %s", status())
		}

		// Removing a child asks first.
		sel, err := e.db.FindSelection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		remove := url.Values{"remove_child": {fmt.Sprint(sel.Children[0].ChildID)}, "remove_reason": {"Moved out of the area"}}
		if code, body := lead.postForm(own+"/selection/remove", remove); code != http.StatusOK || !strings.Contains(body, "Are you sure you want to remove the child") {
			t.Errorf("remove without confirming: %d\n%s", code, body)
		}
		if now, _ := e.db.FindSelection(ctx, id); len(now.Children) != len(sel.Children) {
			t.Error("a child was removed before it was confirmed")
		}

		// Audits returned with parts outstanding needs a reason, which says
		// how many are in.
		code, body = lead.postForm(own+"/status", url.Values{"status": {string(jtai.StatusAuditsReturned)}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "parts of the joint audits are in: enter why") {
			t.Errorf("audits returned with parts open: %d\n%s", code, body)
		}
		// Onsite is not until week 3.
		if code, body := lead.postForm(own+"/status", url.Values{"status": {string(jtai.StatusAuditsReturned)}, "reason": {"Health's parts are late"}}); code != http.StatusSeeOther {
			t.Fatalf("audits returned with a reason: %d\n%s", code, body)
		}
		if code, body := lead.postForm(own+"/status", url.Values{"status": {string(jtai.StatusOnsite)}}); code != http.StatusConflict || !strings.Contains(body, "Onsite fieldwork is in the week of") {
			t.Errorf("onsite before week 3: %d\n%s", code, body)
		}

		// The partnership is notified: its contacts' invitations go out.
		if code, body := lead.postForm(own+"/notification", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("record the notification: %d\n%s", code, body)
		}
		msgs, err := e.db.PendingMessages(ctx, 10)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("no invitation sent: %v", err)
		}
		invited := msgs[0].To
		link := linkTo(t, e, invited)

		// Withdrawing asks first, then the inspection is read-only.
		withdraw := url.Values{"status": {string(jtai.StatusWithdrawn)}, "reason": {"The area's director asked for a delay"}}
		if code, body := lead.postForm(own+"/status", withdraw); code != http.StatusOK || !strings.Contains(body, "Are you sure you want to mark the inspection as withdrawn?") {
			t.Errorf("withdraw without confirming: %d\n%s", code, body)
		}
		if status() == jtai.StatusWithdrawn {
			t.Fatal("withdrawn before it was confirmed")
		}
		withdraw.Set("confirm", "yes")
		if code, body := lead.postForm(own+"/status", withdraw); code != http.StatusSeeOther {
			t.Fatalf("withdraw: %d\n%s", code, body)
		}
		if code, body := lead.postForm(own+"/status", withdraw); code != http.StatusConflict || !strings.Contains(body, "withdrawn for good") {
			t.Errorf("the withdrawal posted twice: %d\n%s", code, body)
		}
		if _, body := lead.get(own + "/status"); !strings.Contains(body, "it can be read but no longer changed") || strings.Contains(body, `name="status"`) {
			t.Errorf("the status page of a withdrawn inspection:\n%s", body)
		}
		readOnly := "This inspection is withdrawn: it can be read but no longer changed"
		remove.Set("confirm", "yes")
		if code, body := lead.postForm(own+"/selection/remove", remove); code != http.StatusConflict || !strings.Contains(body, readOnly) {
			t.Errorf("remove a child from a withdrawn inspection: %d\n%s", code, body)
		}
		coord := e.as(t, jtai.RoleCoordinator)
		if code, body := coord.upload(own+"/lists", map[string]string{"List 3.csv": referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\n"}); code != http.StatusConflict || !strings.Contains(body, readOnly) {
			t.Errorf("upload to a withdrawn inspection: %d\n%s", code, body)
		}
		ct, upload := multipartFiles(map[string]string{"List 3.csv": referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\n"})
		r := e.call(t, "POST", "/api"+"/v1"+own+"/lists", e.issue(t, e.demo.User(jtai.RoleCoordinator)), ct, upload)
		if r.resp.StatusCode != http.StatusConflict || !strings.Contains(string(r.body), readOnly) {
			t.Errorf("API upload to a withdrawn inspection: %d %s", r.resp.StatusCode, r.body)
		}
		// An invitation to it no longer works.
		anon := e.anonymous(t)
		if code, body := anon.get(link); code != http.StatusGone || !strings.Contains(body, "closed or withdrawn") {
			t.Errorf("an invitation to a withdrawn inspection: %d\n%s", code, body)
		}
		pw := "a long enough password 1"
		if code, _ := anon.postForm(link, url.Values{"password": {pw}, "confirm": {pw}}); code != http.StatusGone {
			t.Errorf("an invitation to a withdrawn inspection used: %d", code)
		}
		if _, err := e.db.FindUserByEmail(ctx, invited); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("an account was made from an invitation to a withdrawn inspection: %v", err)
		}
		// It can still be read, and each of its pages says it is read-only.
		for _, path := range []string{own, own + "/selection", own + "/tasks"} {
			if code, body := lead.get(path); code != http.StatusOK || !strings.Contains(body, "This inspection is withdrawn: it can be read but no longer changed.") {
				t.Errorf("%s of a withdrawn inspection: %d, or no word that it is read-only", path, code)
			}
		}
	})
}

func loggedOutcome(entries []*jtai.AccessEntry, action, prefix string) bool {
	for _, e := range entries {
		if e.Action == action && strings.HasPrefix(e.Outcome, prefix) {
			return true
		}
	}
	return false
}

// daHead is the domestic-abuse notifications list's header row.
const daHead = "Child Unique ID,Date of Birth,Expected Date of Birth,Gender,Police Reference,Date of Incident,Child Present (Y/N),Child's Relationship to Victim,Child's Relationship to Perpetrator,Victim and Perpetrator Personally Connected (Y/N),Risk Level (Standard/Medium/High),Notified to Children's Social Care,Notified to School or Early Years (Operation Encompass),MARAC Case (Y/N),MARAC Date,\"Abuse Type (child-to-parent, teenage relationship, adult)\"\n"

// TestListsCorrectedAfterSelection: the partnership corrects a list after
// the selection is published. The upload lands (before, a 500), every
// selected child stays selected, and the lead inspector is told on the
// inspection page and the selection page which changed, and how.
func TestListsCorrectedAfterSelection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		id := e.demo.Inspection.ID
		own := fmt.Sprintf("/inspections/%d", id)
		lead := e.as(t, jtai.RoleLeadInspector)
		if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%s", code, body)
		}
		before, err := e.db.FindSelection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_, body := lead.get(own)
		mustNotContain(t, body, `id="selection-changed"`)

		coordinator := e.as(t, jtai.RoleCoordinator)
		// The list corrected to one child: the rest leave it, confirmed.
		corrected := daHead + "SYN-CORRECTED-1,14/03/2019,,Female,SYN/PR/1,02/09/2024,Y,Child of victim,Child of perpetrator,Y,High,Y,Y,N,,adult\n"
		code, body := coordinator.upload(own+"/lists", map[string]string{"Police notifications corrected.csv": corrected}, "replace", "yes")
		if code != http.StatusOK {
			t.Fatalf("the corrected list: %d\n%s", code, body)
		}
		if !regexp.MustCompile(`id="selected-changed">The records of \d+ selected child`).MatchString(body) {
			t.Fatalf("the import does not say that selected children changed:\n%s", body)
		}

		after, err := e.db.FindSelection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Children) != len(before.Children) {
			t.Errorf("%d children selected after the corrected list, %d before", len(after.Children), len(before.Children))
		}
		_, body = lead.get(own + "/selection")
		m := regexp.MustCompile(`id="changed">\s*<span[^>]*>!</span>\s*<strong[^>]*><span[^>]*>Warning</span> (\d+) selected child`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the selection page does not say how many selected children changed:\n%s", body)
		}
		changed := m[1]
		if n := fmt.Sprint(strings.Count(body, `govuk-tag--yellow">Changed<`)); n != changed {
			t.Errorf("%s children marked changed on the selection page, the warning says %s", n, changed)
		}
		if !strings.Contains(body, "Screening now says") && !strings.Contains(body, "No longer on any list") && !strings.Contains(body, "Screening gives other reasons") {
			t.Error("the selection page does not say what changed")
		}
		_, body = lead.get(own)
		mustContain(t, body, changed+" selected child")
		mustContain(t, body, "changed since you selected them")
		// What screening says is the inspection team's: the partnership
		// sees the selection, not the changes.
		_, body = coordinator.get(own + "/selection")
		mustNotContain(t, body, "Changed<")
		mustNotContain(t, body, "Screening now says")
	})
}
