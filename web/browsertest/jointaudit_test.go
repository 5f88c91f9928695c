package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jtai"
)

// The joint audit from selection to the inspectors: the lead publishes a
// selection, the police auditor answers its part and submits it, the
// coordinator follows progress, writes the summary and submits the audit
// (with JavaScript off: plain form posts), and an inspector reads it.
// Every page is axe-clean.
func TestJointAudit(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	id := s.demo.Inspection.ID
	own := fmt.Sprintf("%s/inspections/%d", s.url, id)

	lead := newBrowser(t, exe)
	signIn(t, lead, s, jtai.RoleLeadInspector)
	visit(t, lead, own+"/tasks", "Task list")
	if body := text(t, lead, "main"); !strings.Contains(body, "Cannot start yet") {
		t.Errorf("task list before the selection: %q", body)
	}
	visit(t, lead, own+"/selection?seed=3", "Children selected")
	submit(t, lead, "form[method=post] button[type=submit]")
	confirm(t, lead, "Are you sure you want to publish the selection?")

	auditor := newBrowser(t, exe)
	signIn(t, auditor, s, jtai.RoleAgencyAuditor)
	visit(t, auditor, own+"/tasks", "Task list")
	href, err := chromedp.Run(auditor, chromedp.AttributeValue(chromedp.CSS("a.govuk-task-list__link[href*='/audits/']"), "href"))
	if err != nil {
		t.Fatalf("no joint audit on the auditor's task list: %v", err)
	}
	childPage := s.url + href.Value
	childID, err := strconv.ParseInt(href.Value[strings.LastIndex(href.Value, "/")+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	visit(t, auditor, childPage, "")
	fill(t, auditor, "#answer-lived-experience", "Seen at school by the police liaison officer")
	submit(t, auditor, "button[value=save]")
	axe(t, auditor, "draft saved")
	if b := text(t, auditor, ".govuk-notification-banner"); !strings.Contains(b, "Draft saved") {
		t.Errorf("after saving a draft: %q", b)
	}
	submit(t, auditor, "button[value=submit]")
	axe(t, auditor, "submit with blanks")
	if msg := text(t, auditor, ".govuk-error-summary__list"); !strings.Contains(msg, "Enter an answer to question 2") {
		t.Errorf("error summary: %q", msg)
	}
	for _, q := range []string{"risk-identified", "information-shared", "child-seen-and-heard", "adult-victim-and-perpetrator", "difference-made", "do-differently"} {
		fill(t, auditor, "#answer-"+q, "Police answer about "+q)
	}
	submit(t, auditor, "button[value=submit]")
	confirm(t, auditor, "Are you sure you want to submit the part")
	axe(t, auditor, "part submitted")
	if body := text(t, auditor, "main"); !strings.Contains(body, "Police answer about difference-made") || strings.Contains(body, "Save as draft") {
		t.Errorf("after submitting, the part should read back with no form: %q", body)
	}

	// The demo has no accounts for the other agencies: their parts are
	// submitted through the store.
	parts, err := s.db.ListAuditParts(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if p.ChildID == childID && p.AgencyID != 0 && p.AgencyID != s.demo.User(jtai.RoleAgencyAuditor).AgencyID {
			if _, err := s.db.SaveAuditPart(context.Background(), id, p.AuditPartKey, map[string]string{"lived-experience": "Another agency's answer"}, true, nil); err != nil {
				t.Fatal(err)
			}
		}
	}

	coord := newBrowser(t, exe)
	signIn(t, coord, s, jtai.RoleCoordinator)
	visit(t, coord, own+"/tasks", "Task list")
	visit(t, coord, own+"/audits", "Joint audits")
	if body := text(t, coord, "main"); !strings.Contains(body, "Submitted") {
		t.Errorf("coordinator's progress: %q", body)
	}
	visit(t, coord, childPage, "")
	if body := text(t, coord, "main"); !strings.Contains(body, "Police answer about risk-identified") {
		t.Errorf("coordinator cannot read the submitted part: %q", body)
	}

	// The coordinator submits with JavaScript off.
	plain := newBrowser(t, exe)
	if _, err := chromedp.Call(plain, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	u := s.demo.User(jtai.RoleCoordinator)
	if err := chromedp.Do(plain, chromedp.Navigate(s.url+"/sign-in"), chromedp.SendKeys(chromedp.CSS("#email"), u.Email), chromedp.SendKeys(chromedp.CSS("#password"), s.demo.Passwords[u.Email])); err != nil {
		t.Fatal(err)
	}
	submit(t, plain, "button[type=submit]")
	giveDemoCode(t, plain)
	if err := chromedp.Do(plain, chromedp.Navigate(childPage), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	fill(t, plain, "#answer-overall-summary", "The agencies shared information quickly and the child was heard")
	submit(t, plain, "button[value=submit]")
	// Without JavaScript the confirmation is a plain form too (axe needs
	// script, so it is checked on the pages above).
	if h := text(t, plain, "h1"); !strings.Contains(h, "Are you sure you want to submit the child's joint audit?") {
		t.Fatalf("confirmation without JavaScript: %q", h)
	}
	submit(t, plain, `main form:has(input[name=confirm]) button[type=submit]`)
	if b := text(t, plain, ".govuk-notification-banner"); !strings.Contains(b, "Submitted") {
		t.Errorf("without JavaScript, after submitting the audit: %q", b)
	}
	classes, err := chromedp.Run(plain, chromedp.AttributeValue(chromedp.CSS("body"), "class"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(classes.Value, "govuk-frontend-supported") {
		t.Error("scripts ran although JavaScript is off: the test proves nothing")
	}

	inspector := newBrowser(t, exe)
	signIn(t, inspector, s, jtai.RoleInspector)
	visit(t, inspector, own+"/tasks", "Task list")
	visit(t, inspector, own+"/audits", "Joint audits")
	visit(t, inspector, childPage, "")
	body := text(t, inspector, "main")
	for _, want := range []string{"Police answer about do-differently", "Another agency's answer", "the child was heard"} {
		if !strings.Contains(body, want) {
			t.Errorf("inspector's view of the submitted audit lacks %q", want)
		}
	}
}

// fill types into a form field.
func fill(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		t.Fatalf("fill %s: %v", sel, err)
	}
}
