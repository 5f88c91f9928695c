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
