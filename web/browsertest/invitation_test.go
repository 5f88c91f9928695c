package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jtai"
)

// The lead inspector invites a contact; the contact opens the link from
// the outbox, sets a password, lands on the inspection and uploads a
// document, first a program dressed as a PDF, then a real one.
func TestInvitationToUpload(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	own := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.Inspection.ID)
	var police *jtai.Agency
	for _, a := range s.demo.Agencies {
		if a.Kind == jtai.AgencyPolice {
			police = a
		}
	}

	lead := newBrowser(t, exe)
	signIn(t, lead, s, jtai.RoleLeadInspector)
	visit(t, lead, own+"/invitations", "Invite the partnership's contacts")
	submit(t, lead, "main form button[type=submit]")
	if body := text(t, lead, ".govuk-error-summary"); !strings.Contains(body, "Select the contact's agency") {
		t.Errorf("empty invitation: summary %q", body)
	}
	axe(t, lead, "invitation with errors")
	err := chromedp.Do(lead,
		chromedp.SetValue(chromedp.CSS("#agency"), fmt.Sprint(police.ID)),
		chromedp.SendKeys(chromedp.CSS("#name"), "Robin Sergeant"),
		chromedp.SendKeys(chromedp.CSS("#email"), "robin@police.example"),
	)
	if err != nil {
		t.Fatal(err)
	}
	submit(t, lead, "main form button[type=submit]")
	if body := text(t, lead, "main"); !strings.Contains(body, "robin@police.example") || !strings.Contains(body, "Invitation added") {
		t.Errorf("after inviting: %q", body)
	}
	axe(t, lead, "invitations")
	visit(t, lead, s.url+"/outbox", "Outbox")
	link, err := chromedp.Run(lead, chromedp.AttributeValue(chromedp.CSS(`main a[href*="/invitations/"]`), "href"))
	if err != nil {
		t.Fatalf("no link in the outbox: %v", err)
	}

	contact := newBrowser(t, exe)
	visit(t, contact, link.Value, "Set up your account")
	err = chromedp.Do(contact,
		chromedp.SendKeys(chromedp.CSS("#password"), "marble otter lantern"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "marble otter lantern"),
	)
	if err != nil {
		t.Fatal(err)
	}
	submit(t, contact, "main button[type=submit]")
	if h := text(t, contact, "h1"); !strings.Contains(h, "Eastmere inspection") {
		t.Fatalf("after setting a password the contact lands on %q", h)
	}
	axe(t, contact, "inspection, as the new contact")
	submit(t, contact, `main a[href$="/documents"]`)
	if h := text(t, contact, "h1"); h != "Strategic documents" {
		t.Fatalf("documents link leads to %q", h)
	}
	axe(t, contact, "documents")

	dir := t.TempDir()
	fake := filepath.Join(dir, "strategy.pdf")
	real := filepath.Join(dir, "domestic-abuse-strategy.pdf")
	os.WriteFile(fake, []byte("MZ\x90\x00\x03\x00\x00\x00 this is a program"), 0o600)
	os.WriteFile(real, []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"), 0o600)
	upload := func(path string) {
		t.Helper()
		err := chromedp.Do(contact,
			chromedp.SetValue(chromedp.CSS("#item"), "domestic-abuse-strategy"),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}),
		)
		if err != nil {
			t.Fatal(err)
		}
		submit(t, contact, "main form button[type=submit]")
	}
	upload(fake)
	if body := text(t, contact, ".govuk-error-summary"); !strings.Contains(body, "is a program, not a document") {
		t.Errorf("a program renamed .pdf: summary %q", body)
	}
	axe(t, contact, "documents with errors")
	upload(real)
	if body := text(t, contact, "main"); !strings.Contains(body, "domestic-abuse-strategy.pdf uploaded as version 1") {
		t.Errorf("after the upload: %q", body)
	}
	axe(t, contact, "documents after upload")
}
