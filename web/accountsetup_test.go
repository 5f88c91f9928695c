package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/store/storetest"
	"jtai/web"
)

func init() {
	want["GET /sign-in/help"] = all(200)
	want["GET /account-setup/{token}"] = all(404) // no such link
	want["POST /account-setup/{token}"] = all(404)
}

var setupLinkPattern = regexp.MustCompile(`https?://[^/\s]+(/account-setup/[A-Za-z0-9_-]+)`)

// setupLinkTo returns the path of the newest set-up link in the outbox for
// email.
func setupLinkTo(t *testing.T, e *env, email string) string {
	t.Helper()
	return newestLink(t, e, email, setupLinkPattern)
}

// useSetupLink sets a password through a set-up link and enrols the
// second factor the page then offers, as the account's holder would. It
// returns the signed-in client and the second factor's secret.
func useSetupLink(t *testing.T, e *env, link, password string) (*client, string) {
	t.Helper()
	c := e.anonymous(t)
	code, body := c.get(link)
	if code != http.StatusOK || !strings.Contains(body, `action="`+link+`"`) {
		t.Fatalf("set-up page: %d\n%s", code, body)
	}
	code, loc := c.postFormLocation(link, url.Values{"password": {password}, "confirm": {password}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in/second-factor") {
		t.Fatalf("set-up: %d to %q, want the second factor's set-up", code, loc)
	}
	_, body = c.get(loc)
	c.csrf = csrfToken(t, body)
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(body)
	if secret == nil {
		t.Fatalf("no set-up secret on the second-factor page:\n%s", body)
	}
	totp, _ := auth.TOTPCode(secret[1], time.Now())
	if code, to := c.postFormLocation(loc, url.Values{"code": {totp}}); code != http.StatusSeeOther || to != "/" {
		t.Fatalf("second factor: %d to %q, want home", code, to)
	}
	_, body = c.get("/sign-out") // any signed-in page carries the token
	c.csrf = csrfToken(t, body)
	return c, secret[1]
}

// "Create an account" shows no password and makes none anyone knows: the
// person gets a single-use link by which they choose their password and
// set up their second factor.
func TestCreateAccountSendsSetupLink(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			admin := e.as(t, jtai.RoleAdministrator)
			code, body := admin.postForm("/accounts", url.Values{"name": {"Pat Oakhurne"}, "email": {"pat@example.org"},
				"role": {"partnership-coordinator"}, "area": {fmt.Sprint(e.demo.Area.ID)}})
			if code != 200 {
				t.Fatalf("create: %d\n%s", code, body)
			}
			mustContain(t, body, `id="setup-sent"`)
			mustNotContain(t, body, "Password:")
			mustNotContain(t, body, "/account-setup/")
			u, err := e.db.FindUserByEmail(ctx, "pat@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if u.PasswordHash != "" {
				t.Errorf("the new account has a password hash %q, want none", u.PasswordHash)
			}
			link := setupLinkTo(t, e, u.Email)
			// The administrator signs in as no one else: the link is in
			// the person's message, which the outbox page does not show.
			_, outbox := admin.get("/outbox")
			mustNotContain(t, outbox, link)

			// The account cannot be signed in to before it is set up.
			anon := e.anonymous(t)
			if code, _ := anon.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {""}}); code != http.StatusUnauthorized {
				t.Errorf("sign in with no password: %d", code)
			}

			// Bad input: a clear message by the field, nothing changed.
			c := e.anonymous(t)
			code, body = c.postForm(link, url.Values{"password": {"short"}, "confirm": {"short"}})
			if code != http.StatusUnprocessableEntity {
				t.Errorf("short password: %d", code)
			}
			mustContain(t, body, `<a href="#password">Password must be`)
			code, body = c.postForm(link, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse batter"}})
			if code != http.StatusUnprocessableEntity {
				t.Errorf("passwords that differ: %d", code)
			}
			mustContain(t, body, `<a href="#confirm">The passwords do not match</a>`)
			if stored, _ := e.db.FindUserByID(ctx, u.ID); stored.PasswordHash != "" {
				t.Error("a refused form set the password")
			}

			holder, secret := useSetupLink(t, e, link, "correct horse battery")
			if code, body := holder.get("/"); code != 200 {
				t.Errorf("home after set-up: %d\n%s", code, body)
			}
			stored, _ := e.db.FindUserByID(ctx, u.ID)
			if stored.TOTPSecret != secret {
				t.Error("the second factor set up is not the account's")
			}

			// The link works once.
			if code, body := e.anonymous(t).get(link); code != http.StatusGone || !strings.Contains(body, "already been used") {
				t.Errorf("the used link: %d", code)
			}
			if code, _ := e.anonymous(t).postForm(link, url.Values{"password": {"another long password"}, "confirm": {"another long password"}}); code != http.StatusGone {
				t.Errorf("the used link posted again: %d", code)
			}
			if again, _ := e.db.FindUserByID(ctx, u.ID); again.PasswordHash != stored.PasswordHash {
				t.Error("a used link changed the password")
			}
		})
	}
}

// The sign-in page's "ask your administrator" leads to a page saying how.
func TestSignInHelp(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.anonymous(t)
	_, body := c.get("/sign-in")
	mustContain(t, body, `href="/sign-in/help">ask your administrator</a>`)
	code, body := c.get("/sign-in/help")
	if code != 200 {
		t.Fatalf("help: %d", code)
	}
	mustContain(t, body, `<h1 class="govuk-heading-l">If you cannot sign in</h1>`)
}

// A second factor is set up only through a single-use link: whoever signs
// in first with an account's password, before its holder has set one up,
// is told how to get a link and cannot set one up themselves. The demo's
// invented accounts are the exception, their codes shown.
func TestSecondFactorOnlyThroughLink(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleInspector)
	if err := e.db.SetUserTOTP(ctx, u.ID, "", 0); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous(t)
	if code, _ := c.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", code)
	}
	code, body := c.get("/sign-in/second-factor")
	if code != http.StatusForbidden {
		t.Errorf("the second factor's page with none set up: %d, want 403", code)
	}
	mustContain(t, body, "Your security codes are not set up")
	mustContain(t, body, `href="/sign-in/help">ask your administrator</a>`)
	mustNotContain(t, body, `id="totp-secret"`)
	mustNotContain(t, body, `src="data:image/png;base64,`)
	before := e.logHead(t)
	// Whatever secret the form is sent with, nothing is enrolled.
	_, out := c.get("/sign-out") // the page has no form: this one carries the token
	c.csrf = csrfToken(t, out)
	totp, _ := auth.TOTPCode(freshSecret(t), time.Now())
	if code, _ := c.postForm("/sign-in/second-factor", url.Values{"code": {totp}}); code != http.StatusForbidden {
		t.Errorf("posting a code with none set up: %d, want 403", code)
	}
	if stored, _ := e.db.FindUserByID(ctx, u.ID); stored.TOTPSecret != "" {
		t.Error("a second factor was set up by a session that gave the password alone")
	}
	if code, _ := c.get(fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)); code != http.StatusSeeOther {
		t.Errorf("an inspection without a second factor: %d, want a redirect", code)
	}
	denied := false
	for _, en := range e.logSince(t, before) {
		denied = denied || (en.Action == jtai.ActSecondFactor && en.Outcome == "denied" && en.ActorID == u.ID)
	}
	if !denied {
		t.Error("the refused set-up is not in the access log")
	}

	demo := newEnv(t, "sqlite", func(cfg *web.Config) { cfg.Demo = true })
	d := demo.anonymous(t)
	du := demo.demo.User(jtai.RoleInspector)
	d.postForm("/sign-in", url.Values{"email": {du.Email}, "password": {demo.demo.Passwords[du.Email]}})
	code, body = d.get("/sign-in/second-factor")
	if code != http.StatusOK || !strings.Contains(body, `id="totp-secret"`) || !strings.Contains(body, `id="demo-code"`) {
		t.Errorf("the demo's account at its first sign-in: %d, want its set-up with the code shown", code)
	}
}

func init() {
	want["POST /accounts/{id}/reset-password"] = roles(200, 403, 403, 403, 403) // asks first
	want["POST /accounts/{id}/reset-second-factor"] = roles(200, 403, 403, 403, 403)
}

// The administrator resets an inspector's password, then its second
// factor: each asks first, ends the holder's sessions, stops the old one
// working and sends the holder a link, which the administrator never
// sees; the administrator cannot end up signed in as the inspector.
func TestResetAccount(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			u := e.demo.User(jtai.RoleInspector)
			holder := e.as(t, jtai.RoleInspector)
			admin := e.as(t, jtai.RoleAdministrator)
			_, body := admin.get("/accounts")
			mustContain(t, body, fmt.Sprintf(`action="/accounts/%d/reset-password"`, u.ID))
			mustNotContain(t, body, fmt.Sprintf(`action="/accounts/%d/reset-password"`, e.demo.User(jtai.RoleAdministrator).ID))

			path := fmt.Sprintf("/accounts/%d/reset-password", u.ID)
			code, body := admin.postForm(path, url.Values{})
			if code != 200 || !strings.Contains(body, "Are you sure you want to reset the password of "+u.Name) {
				t.Fatalf("reset without confirming: %d", code)
			}
			if stored, _ := e.db.FindUserByID(ctx, u.ID); stored.PasswordHash == "" {
				t.Fatal("asking first reset the password")
			}
			if code, to := admin.postFormLocation(path, url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther || to != "/accounts" {
				t.Fatalf("reset: %d to %q", code, to)
			}
			if code, _ := holder.get("/"); code != http.StatusSeeOther {
				t.Errorf("the holder's session after the reset: %d, want it ended", code)
			}
			if code, _ := e.anonymous(t).postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}); code != http.StatusUnauthorized {
				t.Errorf("the old password after the reset: %d, want refused", code)
			}
			// The link is in the holder's message only: the
			// administrator's outbox shows no live link.
			link := setupLinkTo(t, e, u.Email)
			_, body = admin.get("/outbox")
			mustNotContain(t, body, "/account-setup/")
			mustNotContain(t, body, link)
			msgs, _ := e.db.PendingMessages(ctx, 100)
			told := false
			for _, m := range msgs {
				told = told || (m.To == u.Email && strings.Contains(m.Body, "reset your password"))
			}
			if !told {
				t.Error("the holder is not told of the reset")
			}

			// The holder chooses a new password; its second factor stays.
			c := e.anonymous(t)
			if code, loc := c.postFormLocation(link, url.Values{"password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in/second-factor") {
				t.Fatalf("the reset link: %d to %q", code, loc)
			}
			_, body = c.get("/sign-in/second-factor")
			mustContain(t, body, "Enter your security code")

			// Resetting the second factor: signing in with the password
			// alone reaches nothing, the link sets up a new one.
			if code, _ := admin.postFormLocation(fmt.Sprintf("/accounts/%d/reset-second-factor", u.ID), url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther {
				t.Fatalf("reset the second factor: %d", code)
			}
			if stored, _ := e.db.FindUserByID(ctx, u.ID); stored.TOTPSecret != "" {
				t.Fatal("the second factor is still set up")
			}
			d := e.anonymous(t)
			d.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {"a brand new passphrase"}})
			if code, _ := d.get("/sign-in/second-factor"); code != http.StatusForbidden {
				t.Errorf("the password alone after the second factor's reset: %d, want 403", code)
			}
			useSetupLink(t, e, setupLinkTo(t, e, u.Email), "a brand new passphrase")

			// Never one's own account, and never a disabled one.
			me := e.demo.User(jtai.RoleAdministrator)
			if code, _ := admin.postForm(fmt.Sprintf("/accounts/%d/reset-password", me.ID), url.Values{"confirm": {"yes"}}); code != http.StatusConflict {
				t.Errorf("resetting one's own account: %d, want 409", code)
			}
			for _, role := range []jtai.Role{jtai.RoleLeadInspector, jtai.RoleCoordinator, jtai.RoleAgencyAuditor} {
				other := e.as(t, role)
				if code, _ := other.postForm(path, url.Values{"confirm": {"yes"}}); code != http.StatusForbidden {
					t.Errorf("%s resets a password: %d, want 403", role, code)
				}
			}
		})
	}
}
