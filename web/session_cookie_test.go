package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/store/storetest"
)

// The session cookie cannot be read by script, is not sent on cross-site
// requests, covers the whole site, and carries a new token after signing
// in; pages with personal data are not kept by the browser or a proxy.
func TestSessionCookieAndCaching(t *testing.T) {
	e := newEnv(t, "sqlite")
	anon := e.anonymous(t)
	anon.get("/sign-in")
	before := anon.http.Jar.Cookies(mustURL(t, e.ts.URL))
	lead := e.as(t, jtai.RoleLeadInspector)

	u := e.demo.User(jtai.RoleLeadInspector)
	form := url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(e.ts.URL+"/sign-in", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "jtai_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie after signing in")
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.MaxAge <= 0 || session.MaxAge > 12*3600 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, at most 12 hours", session)
	}
	for _, c := range before {
		if c.Value == session.Value {
			t.Error("signing in kept the token of the session before")
		}
	}
	// After signing in, only a path of this site is followed.
	form.Set("next", "//jtai.attacker.example/sign-in")
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).PostForm(e.ts.URL+"/sign-in", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if to := resp.Header.Get("Location"); strings.Contains(to, "attacker") {
		t.Errorf("signing in led to %q", to)
	}
	kids, err := e.db.OpenChildPage(ctx, storetest.Grant(t, e.demo.Inspection.ID, authz.ListChildren), 0, 1)
	if err != nil || len(kids) == 0 {
		t.Fatalf("no child: %v", err)
	}
	for _, path := range []string{"/", fmt.Sprintf("/inspections/%d/children/%d", e.demo.Inspection.ID, kids[0].ID)} {
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		resp, err := lead.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: %d, Cache-Control %q, want no-store", path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	// Signing out ends the session on the server: its cookie, sent again,
	// signs no one in.
	old := lead.http.Jar.Cookies(mustURL(t, e.ts.URL))
	lead.postForm("/sign-out", url.Values{})
	req, _ := http.NewRequest("GET", e.ts.URL+"/", nil)
	for _, c := range old {
		req.AddCookie(c)
	}
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
		t.Errorf("the old session's cookie after signing out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A failure of ours shows one plain sentence, never its detail, and is
// never "not found".
func TestInternalErrorsShowNoDetail(t *testing.T) {
	e := newEnv(t, "sqlite")
	lead := e.as(t, jtai.RoleLeadInspector)
	e.db.Close()
	code, body := lead.get(fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID))
	if code != http.StatusInternalServerError && code != http.StatusServiceUnavailable {
		t.Errorf("with the database gone: %d, want 500 or 503", code)
	}
	mustContain(t, body, "Sorry, there is a problem with the service")
	for _, detail := range []string{"sql", "database is closed", "sqlite", ".go:"} {
		mustNotContain(t, body, detail)
	}
}

// /readyz says ready only when the store can serve, and nothing else:
// not when a migration is missing, nor when the master key no longer opens
// the service's data key.
func TestReadiness(t *testing.T) {
	for _, broken := range []string{
		"",
		`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`,
		`DELETE FROM data_keys WHERE scope = 'system'`,
	} {
		e := newEnv(t, "sqlite")
		if broken != "" {
			if _, err := e.db.RawExec(ctx, broken); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := http.Get(e.ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code, body := resp.StatusCode, string(b)
		switch {
		case broken == "" && (code != 200 || body != "ready\n"):
			t.Errorf("a ready store: %d %q", code, body)
		case broken != "" && (code != http.StatusServiceUnavailable || body != "not ready\n"):
			t.Errorf("after %s: %d %q, want 503 saying only that it is not ready", broken, code, body)
		}
	}
}
