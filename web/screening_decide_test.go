package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/screen"
	"jtai/store/storetest"
)

func init() {
	want["GET /inspections/{id}/screening/decide"] = roles(404, 404, 404, 403, 403)  // no child or reason named: nothing to decide
	want["POST /inspections/{id}/screening/decide"] = roles(404, 404, 404, 403, 403) // likewise
	want["POST /inspections/{id}/screening/again"] = roles(404, 303, 303, 403, 403)
}

// keptResults opens the demo inspection's kept screening, as the store
// holds it.
func keptResults(t testing.TB, e *env) *screen.Kept {
	t.Helper()
	st, err := e.db.OpenScreening(ctx, storetest.Grant(t, e.demo.Inspection.ID, authz.ScreenChildren))
	if err != nil {
		t.Fatal(err)
	}
	k, err := screen.Open(st.Result)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func resultByID(k *screen.Kept, id int64) *screen.Result {
	for i := range k.Results {
		if k.Results[i].ChildID == id {
			return &k.Results[i]
		}
	}
	return nil
}

// outcomeCount is the count the screening page gives an outcome.
func outcomeCount(t *testing.T, body string, o screen.Outcome) int {
	t.Helper()
	m := regexp.MustCompile(`<dt class="govuk-summary-list__key">` + o.Label() + `</dt>\s*<dd class="govuk-summary-list__value">(\d+)</dd>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no count of %s on the page", o.Label())
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// An inspector decides on one child in needs review: the form asks for
// in or out and why, says what is missing, and once recorded the child's
// outcome is the decision, with its reason shown to the team, logged.
func TestDecideOnOneChild(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	_, body := lead.get(own + "/screening?outcome=needs-review")
	m := regexp.MustCompile(`/screening/decide\?child=(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no child in needs review to decide on")
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	before := outcomeCount(t, body, screen.InScope)
	code, form := lead.get(own + "/screening/decide?child=" + m[1])
	if code != http.StatusOK {
		t.Fatalf("decision form: %d", code)
	}
	mustContain(t, form, `name="decision" type="radio" value="in"`)
	r := resultByID(keptResults(t, e), id)
	mustContain(t, form, html.EscapeString(r.LAChildID))

	code, body = lead.postForm(own+"/screening/decide", url.Values{"child": {m[1]}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("no decision and no reason: %d", code)
	}
	mustContain(t, body, "There is a problem")
	mustContain(t, body, "Select whether the child is in scope or out of scope")
	mustContain(t, body, "Enter why the child is in or out of scope")
	if resultByID(keptResults(t, e), id).Decided {
		t.Fatal("a refused decision was kept")
	}

	why := "Police referral after an incident at the family home"
	code, _ = lead.postForm(own+"/screening/decide", url.Values{"child": {m[1]}, "decision": {"in"}, "why": {why}})
	if code != http.StatusSeeOther {
		t.Fatalf("decide: %d", code)
	}
	r = resultByID(keptResults(t, e), id)
	if r.Outcome != screen.InScope || !r.Decided || r.Reasons[0] != screen.ReasonDecidedIn {
		t.Errorf("after the decision: %+v", r)
	}
	_, body = lead.get(own + "/screening")
	mustContain(t, body, "Your decision has been recorded")
	if after := outcomeCount(t, body, screen.InScope); after != before+1 {
		t.Errorf("in scope: %d before, %d after the decision", before, after)
	}
	_, body = lead.get(own + "/screening?child=" + url.QueryEscape(r.LAChildID))
	mustContain(t, body, why)
	mustContain(t, body, "An inspector decided the child is in scope")
	tail, err := e.db.AccessLogTail(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	logged := false
	for _, en := range tail {
		logged = logged || (en.Action == jtai.ActDecide && en.Resource == fmt.Sprintf("inspection/%d/screening/child/%d", e.demo.Inspection.ID, id) && en.Outcome == "ok: in scope")
		if strings.Contains(en.Resource+en.Outcome, why) {
			t.Errorf("the reason is in the access log: %+v", en)
		}
	}
	if !logged {
		t.Error("the decision is not in the access log")
	}

	// The decision can be changed; the form opens with it.
	_, form = lead.get(own + "/screening/decide?child=" + m[1])
	mustContain(t, form, `value="in" checked`)
	mustContain(t, form, why)
	mustContain(t, form, "decided the child is in scope. You can change the decision.")
	mustNotContain(t, form, "<li>An inspector decided")

	// The partnership may not decide.
	coord := e.as(t, jtai.RoleCoordinator)
	if code, _ := coord.postForm(own+"/screening/decide", url.Values{"child": {m[1]}, "decision": {"out"}, "why": {"x"}}); code != http.StatusForbidden {
		t.Errorf("the coordinator deciding: %d", code)
	}
	if r := resultByID(keptResults(t, e), id); r.Outcome != screen.InScope {
		t.Errorf("after the coordinator's attempt: %+v", r)
	}
}

// The screening page groups the children in needs review by reason, with
// counts, and one decision covers every child with a reason.
func TestDecideForAllWithAReason(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	k := keptResults(t, e)
	counts := map[string]int{}
	for _, rc := range k.ByReason() {
		if rc.Outcome == screen.NeedsReview {
			counts[rc.Reason] = rc.Count
		}
	}
	if len(counts) == 0 {
		t.Fatal("no child in needs review in the demo")
	}
	_, body := lead.get(own + "/screening")
	review := body[strings.Index(body, `<h2 class="govuk-heading-m">Needs review</h2>`):strings.Index(body, `<h2 class="govuk-heading-m">Children by reason</h2>`)]
	links := regexp.MustCompile(`/screening/decide\?reason=([^"]+)">Decide for all (\d+)`).FindAllStringSubmatch(review, -1)
	if len(links) != len(counts) {
		t.Fatalf("%d reasons to decide for, want %d: %v", len(links), len(counts), links)
	}
	var reason string
	for _, l := range links {
		r, _ := url.QueryUnescape(html.UnescapeString(l[1]))
		if n, _ := strconv.Atoi(l[2]); counts[r] != n {
			t.Errorf("reason %s: the page says %d, screening %d", r, n, counts[r])
		}
		if reason == "" || counts[r] > counts[reason] {
			reason = r
		}
	}
	out := outcomeCount(t, body, screen.OutOfScope)
	code, form := lead.get(own + "/screening/decide?reason=" + url.QueryEscape(reason))
	if code != http.StatusOK {
		t.Fatalf("decision form for a reason: %d", code)
	}
	mustContain(t, form, fmt.Sprintf("Decide for %d ", counts[reason]))
	code, _ = lead.postForm(own+"/screening/decide", url.Values{"reason": {reason}, "decision": {"out"}, "why": {"These referrals were about other matters"}})
	if code != http.StatusSeeOther {
		t.Fatalf("decide for all: %d", code)
	}
	k = keptResults(t, e)
	decided := 0
	for _, r := range k.Results {
		if r.Decided {
			decided++
			if r.Outcome != screen.OutOfScope || r.Reasons[0] != screen.ReasonDecidedOut || r.Reasons[1] == "" {
				t.Errorf("decided child: %+v", r)
			}
		}
		if r.Outcome == screen.NeedsReview && strings.Contains(strings.Join(r.Reasons, " "), reason) {
			t.Errorf("still in needs review for %s: %+v", reason, r)
		}
	}
	if decided != counts[reason] {
		t.Errorf("%d children decided, want %d", decided, counts[reason])
	}
	_, body = lead.get(own + "/screening")
	if got := outcomeCount(t, body, screen.OutOfScope); got < out+counts[reason]-1 || got > out+counts[reason] {
		// A child with two review reasons counts under each: at most one
		// child fewer is possible only when such a child was already decided.
		t.Errorf("out of scope: %d before, %d after deciding %d", out, got, counts[reason])
	}
	if strings.Contains(body, "decide?reason="+url.QueryEscape(reason)+`"`) {
		t.Errorf("the reason decided for is still offered")
	}
	// Nothing left to decide for the reason: not found.
	if code, _ := lead.postForm(own+"/screening/decide", url.Values{"reason": {reason}, "decision": {"in"}, "why": {"x"}}); code != http.StatusNotFound {
		t.Errorf("deciding again for a reason with no child left: %d", code)
	}
}

// A child is found by the local authority's identifier, whatever the
// case or spaces typed, and out-of-scope children are found too.
func TestScreeningSearchByChildID(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	k := keptResults(t, e)
	var target *screen.Result
	for i := range k.Results {
		if k.Results[i].Outcome == screen.OutOfScope && k.Results[i].Reasons[0] == screen.ReasonNoSignal {
			target = &k.Results[i]
			break
		}
	}
	if target == nil {
		t.Fatal("no child out of scope for want of a signal")
	}
	typed := " " + strings.ToLower(target.LAChildID) + " "
	_, body := lead.get(own + "/screening?child=" + url.QueryEscape(typed))
	mustContain(t, body, "Showing 1 to 1 of 1 children")
	mustContain(t, body, ">"+target.LAChildID+"</a>")
	mustContain(t, body, "No domestic-abuse signal on the lists")
	_, body = lead.get(own + "/screening?child=NOSUCH1")
	mustContain(t, body, "No child on this inspection's lists has the local authority ID NOSUCH1")
	// The identifier names the child: it is not written to the log.
	tail, _ := e.db.AccessLogTail(ctx, 10)
	for _, en := range tail {
		if strings.Contains(strings.ToLower(en.Resource), strings.ToLower(target.LAChildID)) || strings.Contains(en.Resource, "NOSUCH1") {
			t.Errorf("a searched identifier is in the log: %+v", en)
		}
	}

	// Out of scope for want of a signal, the child can still be added to
	// the selection by hand.
	if code, _ := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d", code)
	}
	code, body := lead.postForm(own+"/selection/add", url.Values{"child": {target.LAChildID}, "kind": {string(jtai.CaseSample)}, "reason": {"Known to the health visitor"}})
	if code != http.StatusSeeOther {
		t.Errorf("adding a child with no signal by hand: %d\n%s", code, body)
	}
}

// A screening kept under other rules is not shown as if current: the page
// screens the lists for itself and says so, and screening again keeps a
// fresh result.
func TestStaleScreening(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	lead := e.as(t, jtai.RoleLeadInspector)
	_, body := lead.get(own + "/screening?outcome=needs-review")
	m := regexp.MustCompile(`/screening/decide\?child=(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no child in needs review")
	}
	if code, _ := lead.postForm(own+"/screening/decide", url.Values{"child": {m[1]}, "decision": {"out"}, "why": {"Moved away before the incident"}}); code != http.StatusSeeOther {
		t.Fatalf("decide: %d", code)
	}
	if _, err := e.db.RawExec(ctx, `UPDATE screenings SET basis = 'domestic-abuse-2024@old'`); err != nil {
		t.Fatal(err)
	}
	_, body = lead.get(own + "/screening?reason=decided%3Aout")
	mustContain(t, body, "The kept screening is out of date")
	mustNotContain(t, body, "Decide for all")
	// The decision still stands on the page screened for itself.
	mustContain(t, body, "Moved away before the incident")
	if code, _ := lead.postForm(own+"/screening/again", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("screen again: %d", code)
	}
	_, body = lead.get(own + "/screening?reason=decided%3Aout")
	mustContain(t, body, "The lists have been screened again")
	mustNotContain(t, body, "The kept screening is out of date")
	mustContain(t, body, "Moved away before the incident")
}
