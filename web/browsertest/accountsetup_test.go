package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jtai"
	"jtai/auth"
)

// The administrator creates an account and sees no password; the person
// sets it up through the link the outbox holds: a password, then the
// second factor. The link then no longer works. Every page as axe sees it.
func TestAccountSetupLink(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	admin := newBrowser(t, exe)
	signIn(t, admin, s, jtai.RoleAdministrator)
	visit(t, admin, s.url+"/accounts/new", "Create an account")
	fill(t, admin, "#name", "Robin Ashcombe")
	fill(t, admin, "#email", "robin.ashcombe@example.org")
	if err := chromedp.Do(admin, chromedp.Click(chromedp.CSS(`input[name=role][value="lead-inspector"]`))); err != nil {
		t.Fatal(err)
	}
	setValue(t, admin, "#inspectorate", string(jtai.Ofsted))
	submit(t, admin, "main form button[type=submit]")
	if h := text(t, admin, "h1"); h != "Account created" {
		t.Fatalf("after creating the account: heading %q\n%s", h, text(t, admin, "main"))
	}
	if body := text(t, admin, "main"); strings.Contains(body, "Password:") || !strings.Contains(body, "sent Robin Ashcombe a link") {
		t.Errorf("the account created page: %q", body)
	}
	axe(t, admin, "account created")
	visit(t, admin, s.url+"/outbox", "Outbox")
	href, err := chromedp.Run(admin, chromedp.Evaluate[string](`(document.querySelector('a[href*="/account-setup/"]') || {}).href || ''`))
	if err != nil || href == "" {
		t.Fatalf("no set-up link in the outbox: %v", err)
	}

	holder := newBrowser(t, exe)
	visit(t, holder, href, "Set up your account")
	axe(t, holder, "account set-up")
	fill(t, holder, "#password", "short")
	fill(t, holder, "#confirm", "short")
	submit(t, holder, "main form button[type=submit]")
	axe(t, holder, "account set-up with errors")
	password := "robin's own long passphrase"
	fill(t, holder, "#password", password)
	fill(t, holder, "#confirm", password)
	submit(t, holder, "main form button[type=submit]")
	if h := text(t, holder, "h1"); h != "Set up your authenticator app" {
		t.Fatalf("after the password, heading %q", h)
	}
	secret := strings.TrimSpace(text(t, holder, "#totp-secret"))
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fill(t, holder, "#code", code)
	submit(t, holder, "main form button[type=submit]")
	if h := text(t, holder, "h1"); h != "Inspections" {
		t.Fatalf("after the second factor, heading %q", h)
	}
	other := newBrowser(t, exe)
	visit(t, other, href, "This link no longer works")
	axe(t, other, "used set-up link")
	visit(t, other, s.url+"/sign-in/help", "If you cannot sign in")
	axe(t, other, "sign-in help")
}
