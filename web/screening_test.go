package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jtai"
)

func init() {
	want["GET /inspections/{id}/status"] = roles(404, 200, 403, 403, 403)
	want["POST /inspections/{id}/status"] = roles(404, 422, 403, 403, 403)
	want["GET /inspections/{id}/screening"] = roles(404, 200, 200, 403, 403)
	want["GET /inspections/{id}/selection"] = roles(404, 200, 200, 200, 403)
	want["POST /inspections/{id}/selection"] = roles(404, 422, 422, 403, 403)
	want["POST /inspections/{id}/selection/add"] = roles(404, 422, 422, 403, 403)
	want["POST /inspections/{id}/selection/remove"] = roles(404, 422, 422, 403, 403)
}

// The lists in the official layouts carry no names: the pages that list
// children show each by the local authority's identifier, once, with no
// column of names; stages and ages read as words, and each reason is
// offered once in the filter.
func TestChildrenKnownByIdentifier(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	for _, path := range []string{"/children", "/screening"} {
		code, body := lead.get(own + path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		mustNotContain(t, body, ">Name</th>")
		mustNotContain(t, body, "Child SYN")
		if !regexp.MustCompile(`<a class="govuk-link" href="/inspections/\d+/children/\d+">SYN\d+</a>`).MatchString(body) {
			t.Errorf("%s: no child linked by identifier", path)
		}
	}
	// Past the last page is the last page.
	_, last := lead.get(own + "/children?page=9999")
	if !regexp.MustCompile(`Showing \d+ to (\d+) of (\d+) children`).MatchString(last) {
		t.Error("no count on the children page")
	} else if m := regexp.MustCompile(`Showing \d+ to (\d+) of (\d+) children`).FindStringSubmatch(last); m[1] != m[2] {
		t.Errorf("page 9999 of the children shows %s of %s, want the last page", m[1], m[2])
	}
	_, body := lead.get(own + "/screening")
	mustNotContain(t, body, ">early-help<")
	mustNotContain(t, body, ">child-in-care<")
	if !regexp.MustCompile(`>\d+ \(in no band\)<`).MatchString(body) {
		t.Error("no child older than the theme's bands shows their age")
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`<option value="([^"]+)"`).FindAllStringSubmatch(body[strings.Index(body, `id="reason"`):strings.Index(body, `id="band"`)], -1) {
		if seen[m[1]] {
			t.Errorf("the reason %q is offered twice", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) < 2 {
		t.Errorf("reasons offered: %v", seen)
	}
	if code, _ := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d", code)
	}
	_, body = lead.get(own + "/selection")
	mustNotContain(t, body, ">Name</th>")
	mustNotContain(t, body, "Not named on the lists")
	if regexp.MustCompile(`(SYN\d+) Child SYN`).MatchString(body) {
		t.Error("the selection page names a child by identifier twice")
	}
	if !regexp.MustCompile(`<a class="govuk-link" href="/inspections/\d+/children/\d+">SYN\d+</a>`).MatchString(body) {
		t.Error("the selection page does not link the children's records")
	}
}

// timetableState is the state the inspection page gives a step of its
// timetable, by the step's label.
func timetableState(t *testing.T, body, label string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `</span>[\s\S]*?govuk-task-list__status">(?:<strong[^>]*>)?([^<]*)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the timetable has no step %q", label)
	}
	return m[1]
}

// TestTimetableFollowsDeliveries: the partnership's steps are done when what
// they ask for has arrived, not when the status moves past them.
func TestTimetableFollowsDeliveries(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d\n%s", code, body)
	}
	// The status is now children-selected, which once marked the lists and
	// the documents done: the demo's lists are all in, its documents not.
	_, body := lead.get(own)
	if got := timetableState(t, body, "Lists of children supplied"); got != "Done" {
		t.Errorf("lists: %q, want Done", got)
	}
	if got := timetableState(t, body, "Strategic documents supplied"); got == "Done" {
		t.Errorf("documents: Done with documents not sent")
	}
	// Nor does recording "audits returned" make them so.
	if code, body := lead.postForm(own+"/status", url.Values{"status": {string(jtai.StatusAuditsReturned)}, "reason": {"The audits are late"}}); code != http.StatusSeeOther {
		t.Fatalf("status: %d\n%s", code, body)
	}
	_, body = lead.get(own)
	if got := timetableState(t, body, "Partnership&#39;s joint audits returned"); got == "Done" {
		t.Errorf("audits: Done before any audit is returned")
	}
	if got := timetableState(t, body, "Strategic documents supplied"); got == "Done" {
		t.Errorf("documents: Done with documents not sent")
	}
}

// TestTimetableShowsShortenedOnsiteWeek: a bank holiday in week 3 shortens
// the onsite week, and the inspection page says which; one in weeks 1 and 2
// does not move the week.
func TestTimetableShowsShortenedOnsiteWeek(t *testing.T) {
	e := newEnv(t, "sqlite")
	lead := e.demo.User(jtai.RoleLeadInspector)
	for _, c := range []struct {
		notified   jtai.Date
		start, end string
		says       string
	}{
		// Easter Monday 6 April 2026 is in week 3.
		{jtai.NewDate(2026, 3, 23), "Tuesday 7 April 2026", "Friday 10 April 2026", "Shortened by a bank holiday: Monday 6 April 2026 (Easter Monday)"},
		// Good Friday and Easter Monday are in weeks 1 and 2.
		{jtai.NewDate(2026, 3, 30), "Monday 13 April 2026", "Friday 17 April 2026", ""},
	} {
		in := &jtai.Inspection{AreaID: e.demo.Area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: c.notified, Status: jtai.StatusInformationRequested}
		if err := e.db.CreateInspection(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := e.db.AddTeamMember(ctx, in.ID, lead.ID); err != nil {
			t.Fatal(err)
		}
		_, body := e.as(t, jtai.RoleLeadInspector).get(fmt.Sprintf("/inspections/%d", in.ID))
		for label, want := range map[string]string{"Onsite fieldwork starts (week 3)": c.start, "Onsite fieldwork ends (week 3)": c.end} {
			m := regexp.MustCompile(regexp.QuoteMeta(label) + `</span>\s*<div class="govuk-task-list__hint">([^<]*)(?:<br>([^<]*))?</div>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("notified %s: the timetable has no step %q", c.notified, label)
			}
			if m[1] != want || m[2] != c.says {
				t.Errorf("notified %s: %s: %q %q, want %q %q", c.notified, label, m[1], m[2], want, c.says)
			}
		}
	}
}
