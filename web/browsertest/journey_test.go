package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jtai"
	"jtai/auth"
)

// The partnership's whole journey, as its people would walk it, once with
// JavaScript and once without: the lead inspector enters the nominated
// contacts and records the notification; each contact opens the link in
// the outbox, sets a password and a second factor and lands on the task
// list; the coordinator uploads the lists (a broken file, then the
// corrected one) and documents, as does the police; the inspectors publish
// the selection; each agency with a part in a child's joint audit answers
// it; the coordinator adds the summary and submits the audit; an inspector
// reads it. axe checks every page on the way.
func TestPartnershipJourney(t *testing.T) {
	exe := chromiumPath(t)
	for _, js := range []bool{true, false} {
		name := "with JavaScript"
		if !js {
			name = "without JavaScript"
		}
		t.Run(name, func(t *testing.T) { journey(t, exe, js) })
	}
}

// journeyBrowser starts one chromium for a whole journey; each person in
// it gets a browser context of their own (person), so that cookies are
// not shared.
func journeyBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	return startChromium(t, exe, 8*time.Minute)
}

// person opens a browser context of its own in the journey's browser, with
// page scripts switched off when js is false.
func person(t *testing.T, browser context.Context, js bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		ctx = context.WithValue(ctx, scriptsOffKey{}, true)
	}
	return ctx
}

// scriptsRan reports whether GOV.UK Frontend started on the current page.
func scriptsRan(t *testing.T, ctx context.Context) bool {
	t.Helper()
	classes, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "class"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(classes.Value, "govuk-frontend-supported")
}

// outboxLinks reads, on the outbox page, each recipient's latest
// invitation link.
func outboxLinks(t *testing.T, ctx context.Context, s *site) map[string]string {
	t.Helper()
	visit(t, ctx, s.url+"/outbox", "Outbox")
	axe(t, ctx, "outbox")
	// Newest first: a recipient's first message is their latest link.
	script := `Object.fromEntries([...document.querySelectorAll('.govuk-summary-card')].reverse().map(c => [
		c.querySelector('.govuk-summary-card__title').textContent.replace(/^To /, '').trim(),
		(c.querySelector('a[href*="/invitations/"]') || {}).href || ''
	]))`
	links, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](script))
	if err != nil {
		t.Fatalf("read the outbox: %v", err)
	}
	return links
}

// acceptInvitation opens an invitation link, sets a password, then sets up
// the second factor from the key shown on the page, and checks that the
// new account lands on the task list.
func acceptInvitation(t *testing.T, ctx context.Context, link, email string) {
	t.Helper()
	if link == "" {
		t.Fatalf("no invitation link for %s in the outbox", email)
	}
	visit(t, ctx, link, "Set up your account")
	axe(t, ctx, "account set-up for "+email)
	if body := text(t, ctx, "main"); !strings.Contains(body, email) {
		t.Errorf("the set-up page does not name the account %s", email)
	}
	password := "journey " + email + " passphrase"
	fill(t, ctx, "#password", password)
	fill(t, ctx, "#confirm", password)
	submit(t, ctx, "main form button[type=submit]")
	if h := text(t, ctx, "h1"); h != "Set up your authenticator app" {
		t.Fatalf("%s: after the password, heading %q", email, h)
	}
	axe(t, ctx, "second factor set-up for "+email)
	secret := strings.TrimSpace(text(t, ctx, "#totp-secret"))
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, "#code", code)
	submit(t, ctx, "main form button[type=submit]")
	if h := text(t, ctx, "h1"); h != "Task list" {
		t.Fatalf("%s: after the second factor, heading %q, want the task list", email, h)
	}
	axe(t, ctx, "task list of "+email)
}

// setValue sets a form field at once, where typing would be slow.
func setValue(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		t.Fatalf("set %s: %v", sel, err)
	}
}

// The questions of the theme's agency part (domestic-abuse-2024).
var agencyQuestions = []string{"lived-experience", "risk-identified", "information-shared", "child-seen-and-heard", "adult-victim-and-perpetrator", "difference-made", "do-differently"}

func journey(t *testing.T, exe string, js bool) {
	s := startSite(t)
	browser := journeyBrowser(t, exe)
	id := s.demo.Inspection.ID
	own := fmt.Sprintf("%s/inspections/%d", s.url, id)
	agency := map[jtai.AgencyKind]*jtai.Agency{}
	for _, a := range s.demo.Agencies {
		agency[a.Kind] = a
	}

	// The lead inspector enters the contacts the demo has not, and records
	// the notification.
	lead := person(t, browser, js)
	signIn(t, lead, s, jtai.RoleLeadInspector)
	axe(t, lead, "home")
	visit(t, lead, own+"/invitations", "Invite the partnership's contacts")
	if body := text(t, lead, "main"); !strings.Contains(body, "Not sent yet") || !strings.Contains(body, "The 2 contacts not sent yet") {
		t.Errorf("the demo's contacts should wait for the notification: %q", body)
	}
	submit(t, lead, "#add-contact")
	if body := text(t, lead, ".govuk-error-summary"); !strings.Contains(body, "Select the contact's agency") {
		t.Errorf("empty contact: summary %q", body)
	}
	axe(t, lead, "contact with errors")
	contacts := []struct {
		kind         jtai.AgencyKind
		name, email  string
		coordinating bool
	}{
		{jtai.AgencySocialCare, "Rowan Brightwater", "rowan@social-care.example", true},
		{jtai.AgencyPolice, "Robin Sergeant", "robin@police.example", false},
		{jtai.AgencyEducation, "Jules Inkwell", "jules@education.example", false},
	}
	for _, c := range contacts {
		setValue(t, lead, "#agency", fmt.Sprint(agency[c.kind].ID))
		setValue(t, lead, "#name", c.name)
		setValue(t, lead, "#email", c.email)
		submit(t, lead, "#add-contact")
		if b := text(t, lead, ".govuk-notification-banner"); !strings.Contains(b, c.name+" saved as a nominated contact") {
			t.Errorf("after entering %s: %q", c.name, b)
		}
		axe(t, lead, "contact saved")
	}
	setValue(t, lead, "#agency", fmt.Sprint(agency[jtai.AgencyPolice].ID))
	setValue(t, lead, "#name", "Second Constable")
	setValue(t, lead, "#email", "second@police.example")
	submit(t, lead, "#add-contact")
	if body := text(t, lead, ".govuk-error-summary"); !strings.Contains(body, "Eastmere Police already has a nominated contact") {
		t.Errorf("a second police contact: summary %q", body)
	}
	axe(t, lead, "second contact for an agency")
	submit(t, lead, "#record-notification")
	if b := text(t, lead, ".govuk-notification-banner"); !strings.Contains(b, "Notification recorded. 5 invitations added") {
		t.Errorf("after recording the notification: %q", b)
	}
	axe(t, lead, "notification recorded")

	// Every contact's link is in the outbox; the demo's too.
	links := outboxLinks(t, lead, s)
	invs, err := s.db.ListInvitations(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	contactOf := map[int64]string{} // agency -> contact's email
	for _, inv := range invs {
		contactOf[inv.AgencyID] = inv.Email
	}
	if len(links) != 5 || len(contactOf) != 5 {
		t.Fatalf("outbox links %v for contacts %v; want one for each of 5 agencies", links, contactOf)
	}

	// The coordinator and the police set up their accounts.
	people := map[int64]context.Context{} // agency -> the contact's browser
	coord := person(t, browser, js)
	acceptInvitation(t, coord, links["rowan@social-care.example"], "rowan@social-care.example")
	people[agency[jtai.AgencySocialCare].ID] = coord
	police := person(t, browser, js)
	acceptInvitation(t, police, links["robin@police.example"], "robin@police.example")
	people[agency[jtai.AgencyPolice].ID] = police

	// The coordinator uploads the lists: a broken file, then the corrected one.
	broken, fixed := list3Files(t, "JY")
	visit(t, coord, own+"/lists", "Children's lists")
	axe(t, coord, "lists")
	uploadFile(t, coord, "#files", broken)
	if summary := waitFor(t, coord, ".govuk-error-summary", "40 values that are not dates"); !strings.Contains(summary, "40 values that are not dates") {
		t.Errorf("the broken list: summary %q", summary)
	}
	axe(t, coord, "lists with errors")
	uploadReplacing(t, coord, fixed)
	if banner := waitFor(t, coord, ".govuk-notification-banner", "1 row imported"); !strings.Contains(banner, "1 row imported") {
		t.Errorf("the corrected list: %q", banner)
	}
	axe(t, coord, "lists imported")

	// Documents: a program dressed as a PDF is refused, a real one kept.
	dir := t.TempDir()
	fake := filepath.Join(dir, "strategy.pdf")
	real := filepath.Join(dir, "domestic-abuse-strategy.pdf")
	os.WriteFile(fake, []byte("MZ\x90\x00\x03\x00\x00\x00 this is a program"), 0o600)
	os.WriteFile(real, []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"), 0o600)
	visit(t, coord, own+"/documents", "Strategic documents")
	axe(t, coord, "documents")
	setValue(t, coord, "#item", "domestic-abuse-strategy")
	setValue(t, coord, "#agency", fmt.Sprint(agency[jtai.AgencySocialCare].ID))
	uploadFile(t, coord, "#file", fake)
	if body := text(t, coord, ".govuk-error-summary"); !strings.Contains(body, "is a program, not a document") {
		t.Errorf("a program renamed .pdf: summary %q", body)
	}
	axe(t, coord, "documents with errors")
	setValue(t, coord, "#item", "domestic-abuse-strategy")
	setValue(t, coord, "#agency", fmt.Sprint(agency[jtai.AgencySocialCare].ID))
	uploadFile(t, coord, "#file", real)
	if body := text(t, coord, "main"); !strings.Contains(body, "domestic-abuse-strategy.pdf uploaded as version 1") {
		t.Errorf("the coordinator's upload: %q", body)
	}
	axe(t, coord, "document uploaded")
	visit(t, police, own+"/documents", "Strategic documents")
	setValue(t, police, "#item", "domestic-abuse-strategy")
	uploadFile(t, police, "#file", real)
	if body := text(t, police, "main"); !strings.Contains(body, "domestic-abuse-strategy.pdf uploaded as version 1") {
		t.Errorf("the police's upload: %q", body)
	}
	axe(t, police, "police document uploaded")
	bannerShownOnce(t, police, "the upload's confirmation")

	// The inspectors publish the selection.
	visit(t, lead, own+"/selection?seed=3", "Children selected")
	axe(t, lead, "selection preview")
	submit(t, lead, `form[method=post][action$="/selection"] button[type=submit]`)
	confirm(t, lead, "Are you sure you want to publish the selection?")
	axe(t, lead, "selection published")

	// The partnership corrects a list after the selection is published:
	// the police notifications, sent again with no one on them. The upload
	// lands, the selection stands, and the lead inspector is told which
	// selected children screening now sees differently.
	corrected := filepath.Join(t.TempDir(), "Police notifications corrected.csv")
	// The corrected list names one child: most of the list leaves it, so
	// the page asks the coordinator to confirm before anything lands.
	if err := os.WriteFile(corrected, []byte(daNotificationsHead+"SYN-CORRECTED-1,14/03/2019,,Female,SYN/PR/1,02/09/2024,Y,Child of victim,Child of perpetrator,Y,High,Y,Y,N,,adult\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	visit(t, coord, own+"/lists", "Children's lists")
	if leaving := uploadReplacing(t, coord, corrected); !strings.Contains(leaving, "Domestic-abuse notifications: ") {
		t.Errorf("the confirmation of children leaving: %q", leaving)
	}
	if banner := waitFor(t, coord, "#selected-changed", "selected. Review"); !strings.Contains(banner, "selected. Review") {
		t.Errorf("the list corrected after the selection: %q", banner)
	}
	axe(t, coord, "list corrected after the selection")
	visit(t, lead, own, "inspection")
	if w := text(t, lead, "#selection-changed"); !strings.Contains(w, "changed since you selected them") {
		t.Errorf("the inspection page's warning: %q", w)
	}
	if err := chromedp.Do(lead, chromedp.Click(chromedp.CSS("#selection-changed a")), chromedp.WaitVisible(chromedp.CSS("#changed"))); err != nil {
		t.Fatalf("review the selection: %v", err)
	}
	if tagged := text(t, lead, "main"); !strings.Contains(tagged, "Changed") || !strings.Contains(tagged, "changed since you selected them") {
		t.Errorf("the selection page after the corrected list: %q", tagged)
	}
	axe(t, lead, "selection changed")

	// The police find a child on their task list.
	visit(t, police, own+"/tasks", "Task list")
	axe(t, police, "police task list")
	href, err := chromedp.Run(police, chromedp.AttributeValue(chromedp.CSS("a.govuk-task-list__link[href*='/audits/']"), "href"))
	if err != nil {
		t.Fatalf("no joint audit on the police's task list: %v", err)
	}
	childPage := s.url + href.Value
	var childID int64
	fmt.Sscanf(href.Value[strings.LastIndex(href.Value, "/")+1:], "%d", &childID)
	parts, err := s.db.ListAuditParts(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var withPart []int64
	for _, p := range parts {
		if p.ChildID == childID && p.AgencyID != 0 {
			withPart = append(withPart, p.AgencyID)
		}
	}
	if len(withPart) < 2 {
		t.Fatalf("child %d has parts for %v: want the police and at least one other agency", childID, withPart)
	}

	// Each agency with a part answers it, through its own contact.
	for _, ag := range withPart {
		ctx, ok := people[ag]
		if !ok {
			ctx = person(t, browser, js)
			acceptInvitation(t, ctx, links[contactOf[ag]], contactOf[ag])
			people[ag] = ctx
		}
		visit(t, ctx, childPage, "")
		axe(t, ctx, "agency's part")
		part := `form[action$="/part"]`
		setValue(t, ctx, part+" #answer-"+agencyQuestions[0], fmt.Sprintf("Agency %d's first answer", ag))
		submit(t, ctx, part+" button[value=save]")
		if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "Draft saved") {
			t.Errorf("agency %d after saving a draft: %q", ag, b)
		}
		axe(t, ctx, "draft saved")
		for _, q := range agencyQuestions[1:] {
			setValue(t, ctx, part+" #answer-"+q, fmt.Sprintf("Agency %d answer about %s", ag, q))
		}
		submit(t, ctx, part+" button[value=submit]")
		confirm(t, ctx, "Are you sure you want to submit the part")
		if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "Submitted") {
			t.Errorf("agency %d after submitting: %q", ag, b)
		}
		axe(t, ctx, "part submitted")
	}

	// The coordinator follows progress, adds the summary and submits.
	visit(t, coord, own+"/audits", "Joint audits")
	axe(t, coord, "joint audits overview")
	visit(t, coord, childPage, "")
	axe(t, coord, "child's audit before the summary")
	setValue(t, coord, "#answer-overall-summary", "The agencies shared information quickly and the child was heard")
	submit(t, coord, `form[action$="/summary"] button[value=submit]`)
	confirm(t, coord, "Are you sure you want to submit the child's joint audit?")
	if b := text(t, coord, ".govuk-notification-banner"); !strings.Contains(b, "Submitted") {
		t.Errorf("after submitting the audit: %q", b)
	}
	axe(t, coord, "audit submitted")

	// An inspector reads the submitted audit.
	inspector := person(t, browser, js)
	signIn(t, inspector, s, jtai.RoleInspector)
	axe(t, inspector, "home")
	visit(t, inspector, own+"/tasks", "Task list")
	axe(t, inspector, "inspector's task list")
	visit(t, inspector, own+"/audits", "Joint audits")
	axe(t, inspector, "inspector's joint audits")
	visit(t, inspector, childPage, "")
	axe(t, inspector, "submitted audit")
	body := text(t, inspector, "main")
	for _, ag := range withPart {
		if want := fmt.Sprintf("Agency %d answer about do-differently", ag); !strings.Contains(body, want) {
			t.Errorf("the inspector's view of the submitted audit lacks %q", want)
		}
	}
	if !strings.Contains(body, "the child was heard") {
		t.Error("the inspector's view of the submitted audit lacks the summary")
	}
	if ran := scriptsRan(t, inspector); ran != js {
		t.Errorf("scripts ran: %v, want %v", ran, js)
	}

	// The lead inspector moves the inspection on to "audits returned":
	// "children selected" was never offered, and with parts of other
	// children's audits still open the move asks for a reason first.
	visit(t, lead, own+"/status", "Change the inspection's status")
	offered, err := chromedp.Run(lead, chromedp.Evaluate[bool](`document.querySelector('input[name=status][value=children-selected]') !== null`))
	if err != nil || offered {
		t.Errorf("the status page offers children selected (%v)", err)
	}
	if err := chromedp.Do(lead, chromedp.Click(chromedp.CSS(`input[name=status][value=audits-returned]`))); err != nil {
		t.Fatal(err)
	}
	submit(t, lead, `main form[action$="/status"] button[type=submit]`)
	axe(t, lead, "status refused")
	if msg := text(t, lead, ".govuk-error-summary__list"); !strings.Contains(msg, "parts of the joint audits are in: enter why") {
		t.Errorf("audits returned with parts open: %q", msg)
	}
	setValue(t, lead, "#reason", "The remaining parts are due tomorrow; the onsite week goes ahead")
	submit(t, lead, `main form[action$="/status"] button[type=submit]`)
	if st := text(t, lead, ".govuk-summary-list"); !strings.Contains(st, "Audits returned") {
		t.Errorf("status after the move: %q", st)
	}
	axe(t, lead, "audits returned")
}

// uploadFile chooses a file for an upload field and sends its form.
func uploadFile(t *testing.T, ctx context.Context, field, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(field), []string{path})); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "main form[enctype] button[type=submit]")
}

// uploadReplacing uploads a list that takes many children off the list
// imported before: the page asks to confirm, and the list is uploaded again
// with the confirmation ticked. It returns what the page said would leave.
func uploadReplacing(t *testing.T, ctx context.Context, path string) string {
	t.Helper()
	uploadFile(t, ctx, "#files", path)
	leaving := waitFor(t, ctx, "#leaving", "would leave it")
	axe(t, ctx, "children leaving the lists, to confirm")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#replace"))); err != nil {
		t.Fatal(err)
	}
	uploadFile(t, ctx, "#files", path)
	return leaving
}

// waitFor reads the text of sel until it contains want, for up to ten
// seconds, and returns the last text read. It reads through script, not
// DOM nodes: a page that script writes over with document.write (the lists
// page's result) invalidates the nodes a reader may hold.
func waitFor(t *testing.T, ctx context.Context, sel, want string) string {
	t.Helper()
	script := fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel)
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](script)); err == nil && strings.Contains(got, want) {
			break
		}
	}
	return got
}
