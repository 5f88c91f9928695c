package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jtai"
)

// An inspector records evidence on a tracked child from the keyboard's
// form: the draft is kept on the server as they type, a first try with nothing filled in shows the error summary, the
// record then lands on the evidence list, beside the child's joint audit
// and in the evidence picture. The partnership finds no evidence page.
// Every page is axe-clean.
func TestRecordEvidence(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	own := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.Inspection.ID)

	lead := newBrowser(t, exe)
	signIn(t, lead, s, jtai.RoleLeadInspector)
	visit(t, lead, own+"/selection?seed=3", "Children selected")
	submit(t, lead, "form[method=post] button[type=submit]")
	confirm(t, lead, "Are you sure you want to publish the selection?")

	b := newBrowser(t, exe)
	signIn(t, b, s, jtai.RoleInspector)
	visit(t, b, own, "")
	submit(t, b, "a[href$='/evidence']")
	axe(t, b, "evidence list, empty")
	if body := text(t, b, "main"); !strings.Contains(body, "No evidence has been recorded yet") {
		t.Errorf("the empty list: %q", body)
	}
	visit(t, b, own+"/evidence/new", "Record evidence")
	reflows(t, b, "the evidence form")
	// With JavaScript a draft is kept on the server as the inspector types,
	// and the form opens on it again.
	fill(t, b, "#note", "First words of the note. ")
	if got := waitFor(t, b, "#draft-status", "Draft saved"); !strings.Contains(got, "Draft saved") {
		t.Fatalf("no draft saved while typing: status %q", got)
	}
	visit(t, b, own+"/evidence/new", "Record evidence")
	if note, err := chromedp.Run(b, chromedp.Value(chromedp.CSS("#note"))); err != nil || note != "First words of the note. " {
		t.Errorf("the form opened again without the draft: %q, %v", note, err)
	}
	if body := text(t, b, "main"); !strings.Contains(body, "This is the draft you were writing") {
		t.Errorf("the restored form does not say it is the draft")
	}
	submit(t, b, "main form button[type=submit]")
	axe(t, b, "evidence form with errors")
	if msg := text(t, b, ".govuk-error-summary__list"); !strings.Contains(msg, "Select the kind of activity") || !strings.Contains(msg, "Select at least one criterion") {
		t.Errorf("error summary: %q", msg)
	}
	// The summary's links lead to their fields.
	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS(".govuk-error-summary__list a[href='#kind']"))); err != nil {
		t.Fatal(err)
	}

	child, err := chromedp.Run(b, chromedp.Evaluate[string](`(() => { const s = document.querySelector("#child"); s.selectedIndex = 1; return s.value })()`))
	if err != nil || child == "" {
		t.Fatalf("choose the tracked child: %q, %v", child, err)
	}
	err = chromedp.Do(b,
		chromedp.Click(chromedp.CSS("#kind")),
		chromedp.SendKeys(chromedp.CSS("#on"), "14"),
		chromedp.SendKeys(chromedp.CSS("#on-month"), "4"),
		chromedp.SendKeys(chromedp.CSS("#on-year"), "2026"),
		chromedp.Click(chromedp.CSS("#agencies")),
		chromedp.Click(chromedp.CSS("#criteria")),
		chromedp.Click(chromedp.CSS("#criteria-voice-of-the-child")),
		chromedp.Click(chromedp.CSS("#polarity")),
		chromedp.SendKeys(chromedp.CSS("#note"), "Social worker saw the child alone at school and recorded their wishes"),
	)
	if err != nil {
		t.Fatalf("fill the evidence form: %v", err)
	}
	submit(t, b, "main form button[type=submit]")
	axe(t, b, "evidence recorded")
	reflows(t, b, "the evidence list")
	if body := text(t, b, "main"); !strings.Contains(body, "The evidence has been recorded.") || !strings.Contains(body, "recorded their wishes") || !strings.Contains(body, "Case tracking") {
		t.Errorf("the list after recording: %q", body)
	}

	visit(t, b, own+"/evidence/picture", "The evidence picture")
	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS(".govuk-details__summary"))); err != nil {
		t.Fatal(err)
	}
	if body := text(t, b, "main"); !strings.Contains(body, "1 evidence record so far") || !strings.Contains(body, "Only one record on") {
		t.Errorf("the picture: %q", body)
	}
	reflows(t, b, "the evidence picture")
	visit(t, b, own+"/evidence/picture?by=inspectorate", "The evidence picture")
	visit(t, b, own+"/evidence/picture?by=child", "The evidence picture")
	visit(t, b, fmt.Sprintf("%s/audits/%s", own, child), "")
	if body := text(t, b, "main"); !strings.Contains(body, "The team's evidence on this child") || !strings.Contains(body, "recorded their wishes") {
		t.Errorf("the child's joint audit for the team: %q", body)
	}

	coord := newBrowser(t, exe)
	signIn(t, coord, s, jtai.RoleCoordinator)
	for _, p := range []string{"/evidence", "/evidence/new", "/evidence/picture"} {
		visit(t, coord, own+p, "not found")
	}
}
