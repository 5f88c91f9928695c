package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jtai"
)

// The lead inspector reads the timetable, screens the children, previews a
// selection for a seed and publishes it; the partnership then reads it.
// Every page is axe-clean.
func TestScreeningAndSelection(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	own := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.Inspection.ID)

	ctx := newBrowser(t, exe)
	signIn(t, ctx, s, jtai.RoleLeadInspector)
	visit(t, ctx, own, "Eastmere inspection")
	if tl := text(t, ctx, ".govuk-task-list"); !strings.Contains(tl, "Onsite fieldwork starts") {
		t.Errorf("timetable: %q", tl)
	}
	visit(t, ctx, own+"/status", "Change the inspection")
	visit(t, ctx, own+"/screening", "Scope screening")
	if body := text(t, ctx, "main"); !strings.Contains(body, "In scope") || !strings.Contains(body, "Older than 7") {
		t.Errorf("screening page: %q", body)
	}
	visit(t, ctx, own+"/screening?outcome=in-scope&page=2", "Scope screening")
	// The children in needs review for one reason are decided on together:
	// the form refuses an empty answer with an accessible error summary,
	// and once recorded the screening page says so.
	visit(t, ctx, own+"/screening?outcome=needs-review", "Scope screening")
	submit(t, ctx, "a[href*='/screening/decide?reason=']")
	if h := text(t, ctx, "h1"); !strings.Contains(h, "in needs review") {
		t.Fatalf("decision page: %q", h)
	}
	axe(t, ctx, "decide for a reason")
	submit(t, ctx, "form[action$='/screening/decide'] button[type=submit]")
	axe(t, ctx, "decide with errors")
	if msg := text(t, ctx, ".govuk-error-summary__list"); !strings.Contains(msg, "Select whether the child is in scope or out of scope") || !strings.Contains(msg, "Enter why") {
		t.Errorf("error summary: %q", msg)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#decision-out"))); err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, "#why", "The referrals were about housing, not domestic abuse")
	submit(t, ctx, "form[action$='/screening/decide'] button[type=submit]")
	axe(t, ctx, "screening after a decision")
	if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "Your decision has been recorded") {
		t.Errorf("no confirmation after deciding: %q", b)
	}
	// On a phone the page itself does not scroll sideways: its wide
	// tables scroll in boxes of their own.
	for _, page := range []string{own + "/screening", own + "/screening?outcome=needs-review"} {
		visit(t, ctx, page, "Scope screening")
		if wide := scrollsSideways(t, ctx, 375); wide != "" {
			t.Errorf("%s at 375 pixels wide: %s", page, wide)
		}
	}
	visit(t, ctx, own+"/selection?seed=3", "Children selected")
	if body := text(t, ctx, "main"); !strings.Contains(body, "First pick for") {
		t.Errorf("preview gives no reasons: %q", body)
	}
	submit(t, ctx, "form[method=post] button[type=submit]")
	confirm(t, ctx, "Are you sure you want to publish the selection?")
	axe(t, ctx, "selection published")
	if body := text(t, ctx, "main"); !strings.Contains(body, "published to the partnership") {
		t.Errorf("after selecting: %q", body)
	}
	if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "The selection has been published to the partnership") {
		t.Errorf("no confirmation after publishing: %q", b)
	}
	// Removing without a reason is refused with an accessible error.
	submit(t, ctx, "form[action$='/remove'] button[type=submit]")
	axe(t, ctx, "remove with errors")
	if msg := text(t, ctx, ".govuk-error-summary__list"); !strings.Contains(msg, "Select the child to remove") {
		t.Errorf("error summary: %q", msg)
	}
	visit(t, ctx, own, "Eastmere inspection")
	if st := text(t, ctx, ".govuk-summary-list"); !strings.Contains(st, "Children selected") {
		t.Errorf("status after selecting: %q", st)
	}

	for _, role := range []jtai.Role{jtai.RoleInspector, jtai.RoleCoordinator} {
		ctx := newBrowser(t, exe)
		signIn(t, ctx, s, role)
		visit(t, ctx, own+"/selection", "Children selected")
		if role == jtai.RoleInspector {
			visit(t, ctx, own+"/screening", "Scope screening")
		}
	}
}
