package web_test

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/guard"
	"jtai/ingest"
	"jtai/screen"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme/themetest"
	"jtai/web"
)

var ctx = context.Background()

type env struct {
	srv  *web.Server
	ts   *httptest.Server
	db   *store.DB
	demo *synth.Demo
	auth *auth.Service
	tb   testing.TB
}

// cheapHash keeps the tests fast; the real hash is tested in package auth.
func cheapHash(pw string) (string, error) { return auth.HashPassword(pw) }

// newEnv serves the demo on a fresh database of dialect; configure, when
// given, changes the server's configuration first.
func newEnv(t testing.TB, dialect string, configure ...func(*web.Config)) *env {
	t.Helper()
	return newEnvOf(t, dialect, 60, configure...)
}

// newEnvOf is newEnv with a demo of the given number of children.
func newEnvOf(t testing.TB, dialect string, children int, configure ...func(*web.Config)) *env {
	t.Helper()
	db := storetest.Open(t, dialect, storetest.MasterKey(t))
	db.SetScreener(screen.Themes{Registry: themetest.Registry(t)})
	d, err := synth.SeedDemo(ctx, db, synth.DemoOptions{Children: children, NotifiedOn: jtai.NewDate(2026, 3, 2), Hash: cheapHash, Password: auth.NewPassword})
	if err != nil {
		t.Fatal(err)
	}
	a := &auth.Service{Users: db, Sessions: db, Throttle: db, Log: db, Clock: jtai.SystemClock{}, Policy: auth.DefaultPolicy}
	cfg := web.Config{Store: db, Guard: guard.New(db), Auth: a}
	for _, f := range configure {
		f(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{srv, ts, db, d, a, t}
}

// client is a browser without JavaScript: a cookie jar, no redirects
// followed unless asked.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
	csrf string
}

func (e *env) anonymous(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as signs in as the demo user of role, giving a second factor where the
// role needs one, through the real pages.
func (e *env) as(t testing.TB, role jtai.Role) *client {
	t.Helper()
	u := e.demo.User(role)
	return e.signIn(t, u, e.demo.Passwords[u.Email])
}

// signIn signs in as u with password through the real pages, giving its
// second factor when it needs one.
func (e *env) signIn(t testing.TB, u *jtai.User, password string) *client {
	t.Helper()
	c := e.anonymous(t)
	// Each code works once, so every sign-in here gives the account a
	// fresh second factor rather than reuse one within the same 30
	// seconds. It is set in the store: the pages set one up only through
	// a single-use link.
	secret := freshSecret(t)
	if err := e.db.SetUserTOTP(ctx, u.ID, secret, 0); err != nil {
		t.Fatal(err)
	}
	code, _ := c.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {password}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", u.Email, code)
	}
	if u.Role.NeedsSecondFactor() {
		_, body := c.get("/sign-in/second-factor")
		c.csrf = csrfToken(t, body)
		totp, _ := auth.TOTPCode(secret, time.Now())
		if code, body := c.postForm("/sign-in/second-factor", url.Values{"code": {totp}}); code != http.StatusSeeOther {
			t.Fatalf("%s second factor: status %d\n%s", u.Email, code, body)
		}
	}
	_, body := c.get("/sign-out") // any signed-in page carries the token
	c.csrf = csrfToken(t, body)
	return c
}

// freshSecret is a new second factor's secret.
func freshSecret(t testing.TB) string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

func csrfToken(t testing.TB, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// send makes an empty GET or POST: what the route walk needs.
func (c *client) send(method, path string) (int, string) {
	c.t.Helper()
	if method == "GET" {
		return c.get(path)
	}
	return c.postForm(path, url.Values{})
}

// cookie is the client's cookie of name for path, nil if it holds none.
func (c *client) cookie(path, name string) *http.Cookie {
	u, _ := url.Parse(c.e.ts.URL + path)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// setCookie gives the client a cookie, as a forger would.
func (c *client) setCookie(path string, ck *http.Cookie) {
	u, _ := url.Parse(c.e.ts.URL + path)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	return c.do(req)
}

func (c *client) postForm(path string, form url.Values) (int, string) {
	c.t.Helper()
	if c.csrf != "" && form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// fill replaces path parameters with the demo's resources: the own-area
// inspection and one of its children, an existing account, and the first
// of the inspection's nominated contacts.
func (e *env) fill(pattern string) string {
	if pattern == "/" {
		return "/no-such-page" // the catch-all
	}
	r := strings.NewReplacer("{id}", "ID", "{child}", "CHILD", "{$}", "")
	p := r.Replace(pattern)
	kids, _ := e.db.OpenChildPage(ctx, storetest.Grant(e.tb, e.demo.Inspection.ID, authz.ListChildren), 0, 1)
	if strings.HasPrefix(p, "/accounts/") {
		p = strings.Replace(p, "ID", fmt.Sprint(e.demo.User(jtai.RoleAgencyAuditor).ID), 1)
	}
	p = strings.Replace(p, "ID", fmt.Sprint(e.demo.Inspection.ID), 1)
	if strings.Contains(p, "{invitation}") {
		invs, _ := e.db.ListInvitations(ctx, e.demo.Inspection.ID)
		p = strings.Replace(p, "{invitation}", fmt.Sprint(invs[0].ID), 1)
	}
	return strings.Replace(p, "CHILD", fmt.Sprint(kids[0].ID), 1)
}

// want is the status each role gets on each route, for the demo's own
// inspection. Every registered route must be here: a new route without a
// row fails TestEveryRouteChecksAccess, and a handler that forgets to ask
// the policy shows up as a 200 where a 403 or 404 is written.
var want = map[string]map[jtai.Role]int{
	"GET /sign-in":                           all(303),
	"POST /sign-in":                          all(401), // no credentials in the walk
	"GET /sign-in/second-factor":             all(303), // already complete: back home
	"POST /sign-in/second-factor":            all(303),
	"GET /sign-out":                          all(200),
	"POST /sign-out":                         all(303),
	"GET /signed-out":                        all(200),
	"GET /guide/lists":                       all(200),
	"GET /{$}":                               roles(303, 200, 200, 200, 200),
	"GET /inspections/{id}":                  roles(404, 200, 200, 200, 200),
	"GET /inspections/{id}/children":         roles(404, 200, 200, 200, 403),
	"GET /inspections/{id}/children/{child}": roles(404, 200, 200, 200, 404),
	"GET /accounts":                          roles(200, 403, 403, 403, 403),
	"GET /accounts/new":                      roles(200, 403, 403, 403, 403),
	"POST /accounts":                         roles(422, 403, 403, 403, 403),
	"POST /accounts/{id}/disable":            roles(200, 403, 403, 403, 403), // asks first
	"POST /accounts/{id}/enable":             roles(303, 403, 403, 403, 403),
	"GET /":                                  all(404),
}

func all(code int) map[jtai.Role]int { return roles(code, code, code, code, code) }

func roles(codes ...int) map[jtai.Role]int {
	m := map[jtai.Role]int{}
	for i, r := range jtai.Roles {
		m[r] = codes[i]
	}
	return m
}

func TestEveryRouteChecksAccess(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			routes := e.srv.Routes()
			for _, rt := range routes {
				key := rt.Method + " " + rt.Pattern
				if _, ok := want[key]; !ok {
					t.Errorf("route %s has no row in the access table", key)
				}
			}
			if len(routes) != len(want) {
				t.Errorf("%d routes registered, %d in the access table", len(routes), len(want))
			}
			anon := e.anonymous(t)
			for _, rt := range routes {
				if rt.Access == web.Public {
					continue
				}
				path := e.fill(rt.Pattern)
				code, _ := anon.send(rt.Method, path)
				if rt.Access == web.API {
					if code != http.StatusUnauthorized { // a token, never a redirect to sign in
						t.Errorf("anonymous %s %s: status %d, want 401", rt.Method, path, code)
					}
					continue
				}
				if code != http.StatusSeeOther {
					t.Errorf("anonymous %s %s: status %d, want 303 to sign in", rt.Method, path, code)
				}
			}
			// Every route about an inspection is "not found" for another
			// area's inspection, whatever the role: no handler may skip the
			// policy for a resource it was not written for.
			for _, role := range jtai.Roles {
				c := e.as(t, role)
				for _, rt := range routes {
					if !strings.HasPrefix(rt.Pattern, "/inspections/{id}") {
						continue
					}
					path := strings.Replace(e.fill(rt.Pattern), fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID), fmt.Sprintf("/inspections/%d", e.demo.OtherInspection.ID), 1)
					code, _ := c.send(rt.Method, path)
					if code != http.StatusNotFound {
						t.Errorf("%s %s (another area's inspection) as %s: status %d, want 404", rt.Method, path, role, code)
					}
				}
			}
			for _, role := range jtai.Roles {
				for _, rt := range routes {
					// The walk's unknown links count against this address:
					// forget them, or the walk locks itself out.
					if err := e.db.Clear(ctx, auth.AddressKey("127.0.0.1")); err != nil {
						t.Fatal(err)
					}
					c := e.as(t, role) // fresh each time: some routes sign out or disable
					path := e.fill(rt.Pattern)
					before := e.logHead(t)
					var was map[string]string
					if rt.Method == "GET" {
						was = storetest.Digest(t, e.db, mayChangeOnGET...)
					}
					code, body := c.send(rt.Method, path)
					if w := want[rt.Method+" "+rt.Pattern][role]; code != w {
						t.Errorf("%s %s as %s: status %d, want %d", rt.Method, path, role, code, w)
					}
					if rt.Method == "GET" && code == http.StatusOK {
						c.backLinkOpens(path, body)
					}
					e.mustLog(t, rt, role, before, code, body)
					if was != nil {
						for table, d := range storetest.Digest(t, e.db, mayChangeOnGET...) {
							if was[table] != d {
								t.Errorf("GET %s as %s wrote to %s (%s, was %s): a GET never writes", path, role, table, d, was[table])
							}
						}
					}
				}
			}
		})
	}
}

var backLink = regexp.MustCompile(`<a href="([^"]+)" class="govuk-back-link">`)

// backLinkOpens checks that the page's back link, if it has one, leads to
// a page the viewer may open.
func (c *client) backLinkOpens(path, body string) {
	c.t.Helper()
	m := backLink.FindStringSubmatch(body)
	if m == nil || strings.HasPrefix(m[1], "javascript:") {
		return
	}
	if code, _ := c.get(html.UnescapeString(m[1])); code != http.StatusOK {
		c.t.Errorf("%s: the back link to %s gives %d", path, m[1], code)
	}
}

// mayChangeOnGET are the tables a GET may write: the access log, which
// records every read, the session, whose idle timer a request resets, and
// the throttle, which counts a GET that failed (an unknown link).
var mayChangeOnGET = []string{"access_log", "access_log_head", "sessions", "throttle", "access_log_repeats"}

// childIDs finds the synthetic local authority identifiers of children in
// a page: where one shows, a child's record was opened.
var childIDs = regexp.MustCompile(`SYN[0-9]{6}`)

// readActions are the access-log actions of a read of personal data.
var readActions = []string{jtai.ActView, jtai.ActList, jtai.ActAuditRead, jtai.ActDocumentRead}

// logHead is the sequence number of the access log's newest entry.
func (e *env) logHead(t testing.TB) int64 {
	t.Helper()
	tail, err := e.db.AccessLogTail(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(tail) == 0 {
		return 0
	}
	return tail[0].Seq
}

// logSince returns the access log's entries after seq, oldest first.
func (e *env) logSince(t testing.TB, seq int64) []*jtai.AccessEntry {
	t.Helper()
	tail, err := e.db.AccessLogTail(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jtai.AccessEntry
	for i := len(tail) - 1; i >= 0; i-- {
		if tail[i].Seq > seq {
			out = append(out, tail[i])
		}
	}
	return out
}

// mustLog is the route walk's "must log" rule: a response that shows a
// child's record comes with a read in the access log by the viewer, on the
// inspection walked; a refusal of a route about children comes with a
// refusal in the log.
func (e *env) mustLog(t testing.TB, rt web.Route, role jtai.Role, before int64, code int, body string) {
	t.Helper()
	email := e.demo.User(role).Email
	entries := e.logSince(t, before)
	has := func(ok func(*jtai.AccessEntry) bool) bool { return slices.ContainsFunc(entries, ok) }
	resource := fmt.Sprintf("inspection/%d", e.demo.Inspection.ID)
	if childIDs.MatchString(body) {
		if !has(func(en *jtai.AccessEntry) bool {
			return en.Actor == email && slices.Contains(readActions, en.Action) && strings.HasPrefix(en.Resource, resource) && en.Outcome == "ok" && en.Address != ""
		}) {
			t.Errorf("%s %s as %s showed a child's record (%s) and logged no read of it: %+v", rt.Method, rt.Pattern, role, childIDs.FindString(body), entries)
		}
	}
	// The evidence list opens every note: the read is in the log.
	if rt.Method == "GET" && rt.Pattern == "/inspections/{id}/evidence" && code == http.StatusOK {
		if !has(func(en *jtai.AccessEntry) bool {
			return en.Actor == email && en.Action == jtai.ActEvidenceRead && strings.HasPrefix(en.Resource, resource) && en.Outcome == "ok"
		}) {
			t.Errorf("%s %s as %s showed the evidence and logged no read of it: %+v", rt.Method, rt.Pattern, role, entries)
		}
	}
	if (code == http.StatusNotFound || code == http.StatusForbidden) && (strings.Contains(rt.Pattern, "/children") || strings.Contains(rt.Pattern, "/evidence")) {
		if !has(func(en *jtai.AccessEntry) bool { return en.Actor == email && en.Action == jtai.ActDenied }) {
			t.Errorf("%s %s as %s was refused (%d) and the refusal is not in the log: %+v", rt.Method, rt.Pattern, role, code, entries)
		}
	}
}

// Each role sees only what it may, and never what it may not: the rules
// a safeguarding service lives by are "must not contain" rules.
func TestWhatEachRoleSees(t *testing.T) {
	e := newEnv(t, "sqlite")
	kids, _ := e.db.OpenChildPage(ctx, storetest.Grant(t, e.demo.Inspection.ID, authz.ListChildren), 0, 5)
	child := kids[0]
	other := fmt.Sprintf("/inspections/%d", e.demo.OtherInspection.ID)
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	childPath := fmt.Sprintf("%s/children/%d", own, child.ID)

	t.Run("inspector", func(t *testing.T) {
		c := e.as(t, jtai.RoleInspector)
		_, home := c.get("/")
		mustContain(t, home, "Eastmere")
		mustContain(t, home, "Children who are victims of domestic abuse")
		mustNotContain(t, home, "Westholm")
		if code, _ := c.get(other); code != 404 {
			t.Errorf("another inspection: %d, want 404", code)
		}
		_, page := c.get(childPath)
		mustContain(t, page, child.LAChildID)
		// The census's ethnicity code, in words.
		label := ingest.Ethnicities.Label(child.Ethnicity)
		if label == child.Ethnicity {
			t.Fatalf("the demo child's ethnicity %q has no label", child.Ethnicity)
		}
		mustContain(t, page, `<dd class="govuk-summary-list__value">`+html.EscapeString(label)+`</dd>`)
	})
	t.Run("coordinator", func(t *testing.T) {
		c := e.as(t, jtai.RoleCoordinator)
		_, home := c.get("/")
		mustContain(t, home, "Eastmere")
		mustNotContain(t, home, "Westholm")
		if code, _ := c.get(other); code != 404 {
			t.Errorf("another area's inspection: %d, want 404", code)
		}
	})
	t.Run("auditor", func(t *testing.T) {
		c := e.as(t, jtai.RoleAgencyAuditor)
		code, page := c.get(childPath)
		if code != 404 {
			t.Errorf("unselected child: %d, want 404", code)
		}
		mustNotContain(t, page, child.LAChildID)
	})
	t.Run("administrator", func(t *testing.T) {
		c := e.as(t, jtai.RoleAdministrator)
		code, _ := c.get("/")
		if code != 303 {
			t.Errorf("admin home: %d, want redirect to accounts", code)
		}
		_, accounts := c.get("/accounts")
		mustContain(t, accounts, "coordinator@example.org")
		// Each agency's account shows its agency.
		auditor := e.demo.User(jtai.RoleAgencyAuditor)
		for _, ag := range e.demo.Agencies {
			if ag.ID == auditor.AgencyID {
				mustContain(t, accounts, `<td class="govuk-table__cell">`+auditor.Email+`</td>`)
				mustContain(t, accounts, `<td class="govuk-table__cell">`+html.EscapeString(ag.Name)+`</td>`)
			}
		}
		mustNotContain(t, accounts, "Eastmere inspection")
		for _, k := range kids {
			mustNotContain(t, accounts, k.FullName())
			mustNotContain(t, accounts, k.LAChildID)
		}
		if code, _ := c.get(own); code != 404 {
			t.Errorf("admin on an inspection: %d, want 404", code)
		}
	})

	// Reads and refusals are in the access log, and the chain holds.
	entries, _ := e.db.AccessLogTail(ctx, 200)
	var sawView, sawDenied bool
	for _, en := range entries {
		if en.Action == jtai.ActView && strings.Contains(en.Resource, fmt.Sprintf("child/%d", child.ID)) && en.Actor == "inspector@example.org" {
			sawView = true
		}
		if en.Action == jtai.ActDenied && en.Actor == "coordinator@example.org" && strings.Contains(en.Resource, fmt.Sprint(e.demo.OtherInspection.ID)) {
			sawDenied = true
		}
	}
	if !sawView || !sawDenied {
		t.Errorf("access log: view of the child logged %v, coordinator's refusal logged %v", sawView, sawDenied)
	}
	if _, err := e.db.Verify(ctx); err != nil {
		t.Error(err)
	}
}

func TestSignInErrors(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.anonymous(t)
	code, body := c.postForm("/sign-in", url.Values{"email": {"coordinator@example.org"}, "password": {"wrong password"}})
	if code != 401 {
		t.Errorf("wrong password: %d", code)
	}
	mustContain(t, body, "There is a problem")
	mustContain(t, body, `<a href="#email">Enter a correct email address and password</a>`)
	mustContain(t, body, "<title>Error: Sign in")
	code, body = c.postForm("/sign-in", url.Values{"email": {""}, "password": {""}})
	if code != 401 {
		t.Errorf("empty form: %d", code)
	}
	mustContain(t, body, `<a href="#password">Enter your password</a>`)

	// A forged session cookie is no session.
	u, _ := url.Parse(e.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "jtai_session", Value: "forged"}})
	if code, _ := c.get("/"); code != 303 {
		t.Errorf("forged cookie: %d, want redirect to sign in", code)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleAdministrator)
	before, _ := e.db.ListUsers(ctx, jtai.UserFilter{})
	form := url.Values{"name": {"New Person"}, "email": {"new@example.org"}, "role": {"partnership-coordinator"}, "area": {fmt.Sprint(e.demo.Area.ID)}}
	for _, tok := range []string{"forged", "-"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf_token", tok)
		if tok == "-" {
			f.Del("csrf_token")
			c.csrf, tok = "", c.csrf
			defer func() { c.csrf = tok }()
		}
		if code, body := c.postForm("/accounts", f); code != 403 {
			t.Errorf("token %q: status %d\n%s", tok, code, body)
		}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/accounts", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if code, _ := c.do(req); code != 403 {
		t.Errorf("cross-site POST: %d, want 403", code)
	}
	after, _ := e.db.ListUsers(ctx, jtai.UserFilter{})
	if len(after) != len(before) {
		t.Errorf("a refused form created an account: %d -> %d", len(before), len(after))
	}
}

func TestCreateAccount(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleAdministrator)
	code, body := c.postForm("/accounts", url.Values{"name": {""}, "email": {"not an email"}, "role": {"agency-auditor"}})
	if code != 422 {
		t.Errorf("bad form: %d", code)
	}
	mustContain(t, body, `<a href="#email">Enter an email address in the correct format`)
	mustContain(t, body, `<a href="#name">Enter the person&#39;s full name</a>`)
	mustContain(t, body, `<a href="#agency">Select the auditor&#39;s agency</a>`)
	if msgs, _ := e.db.PendingMessages(ctx, 100); len(msgs) != 0 {
		t.Errorf("a refused account queued %d messages", len(msgs))
	}
	code, body = c.postForm("/accounts", url.Values{"name": {"Pat Oakhurne"}, "email": {"pat@example.org"},
		"role": {"agency-auditor"}, "agency": {fmt.Sprint(e.demo.Agencies[2].ID)}})
	if code != 200 {
		t.Fatalf("create: %d\n%s", code, body)
	}
	u, err := e.db.FindUserByEmail(ctx, "pat@example.org")
	if err != nil || u.AreaID != e.demo.Area.ID {
		t.Fatalf("created user %+v, %v", u, err)
	}
	mustNotContain(t, body, `id="new-password"`)
	setupLinkTo(t, e, u.Email)
}

// TestConfirmations: a change made through a form is confirmed on the page
// it leads to, in words of the service's own, never the address's, and
// once: reloading the page (as without JavaScript) shows it no more.
func TestConfirmations(t *testing.T) {
	e := newEnv(t, "sqlite")
	post := func(c *client, path string, form url.Values) string {
		t.Helper()
		code, to := c.postFormLocation(path, form)
		if code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", path, code)
		}
		return to
	}
	banner := `class="govuk-notification-banner govuk-notification-banner--success"`
	shownOnce := func(c *client, to, want string) {
		t.Helper()
		if _, body := c.get(to); !strings.Contains(body, banner) || !strings.Contains(body, want) {
			t.Errorf("%s shows no confirmation %q:\n%s", to, want, body)
		}
		if _, body := c.get(to); strings.Contains(body, banner) {
			t.Errorf("%s shows the confirmation %q again on reload", to, want)
		}
	}
	admin := e.as(t, jtai.RoleAdministrator)
	auditor := e.demo.User(jtai.RoleAgencyAuditor)
	for _, step := range []struct{ action, want string }{{"disable", "The account has been disabled"}, {"enable", "The account has been enabled"}} {
		to := post(admin, fmt.Sprintf("/accounts/%d/%s", auditor.ID, step.action), url.Values{"confirm": {"yes"}})
		shownOnce(admin, to, step.want)
	}
	lead := e.as(t, jtai.RoleLeadInspector)
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	// The selection: published, a child removed, and added again.
	to := post(lead, own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}})
	shownOnce(lead, to, "The selection has been published")
	tracked, _, err := e.db.AuditProgress(ctx, e.demo.Inspection.ID)
	if err != nil || len(tracked) == 0 {
		t.Fatalf("no child tracked: %v", err)
	}
	child, err := e.db.OpenChild(ctx, storetest.Grant(t, e.demo.Inspection.ID, authz.ViewChild), tracked[0])
	if err != nil {
		t.Fatal(err)
	}
	to = post(lead, own+"/selection/remove", url.Values{"remove_child": {fmt.Sprint(child.ID)}, "remove_reason": {"Moved out of the area"}, "confirm": {"yes"}})
	shownOnce(lead, to, "The child has been removed")
	to = post(lead, own+"/selection/add", url.Values{"child": {child.LAChildID}, "kind": {string(jtai.CaseTracking)}, "reason": {"Back in the area"}})
	shownOnce(lead, to, "The child has been added")
	to = post(lead, own+"/status", url.Values{"status": {string(jtai.StatusAuditsReturned)}, "reason": {"The health parts are late"}})
	shownOnce(lead, to, "status has been changed")
	// A confirmation left for another session, or for another page, is
	// not shown.
	to = post(admin, fmt.Sprintf("/accounts/%d/enable", auditor.ID), url.Values{})
	flash := admin.cookie(to, "jtai_flash")
	if flash == nil {
		t.Fatal("enabling an account left no one-time confirmation")
	}
	again := e.as(t, jtai.RoleAdministrator)
	again.setCookie(to, flash)
	if _, body := again.get(to); strings.Contains(body, banner) {
		t.Error("another session of the same account is shown the confirmation")
	}
	if _, body := admin.get("/accounts/new"); strings.Contains(body, banner) {
		t.Error("the new account page shows the confirmation left for the accounts page")
	}
	if _, body := admin.get(to); strings.Contains(body, banner) {
		t.Error("the confirmation is shown after another page was shown")
	}
	// Only the service's own confirmations, and each on its own page:
	// nothing from the address is shown.
	for _, path := range []string{own + "?done=<b>forged</b>", own + "?done=nonsense", own + "?done=", own + "?done=disabled", "/?done=status", own + "/selection?done=status"} {
		if _, body := lead.get(path); strings.Contains(body, banner) || strings.Contains(body, "forged") {
			t.Errorf("%s shows a banner", path)
		}
	}
	if _, body := e.anonymous(t).get("/sign-in?done=disabled"); strings.Contains(body, banner) {
		t.Error("the sign-in page shows an account's confirmation")
	}
}

// TestSignedOutSaysWhy: a session ended by the idle or absolute timeout
// leads to the sign-in page saying so, once.
func TestSignedOutSaysWhy(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/tasks", e.demo.Inspection.ID)
	if code, _ := c.get(page); code != http.StatusOK {
		t.Fatalf("task list before: %d", code)
	}
	if _, err := e.db.RawExec(ctx, `UPDATE sessions SET expires_at = 0 WHERE user_id = ?`, e.demo.User(jtai.RoleCoordinator).ID); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+page, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, "/sign-in?") || !strings.Contains(to, "next=") {
		t.Fatalf("an expired session: %d to %q", resp.StatusCode, to)
	}
	why := "had not used jtai for 30 minutes, or had been signed in for 12 hours"
	if _, body := c.get(to); !strings.Contains(body, why) {
		t.Errorf("the sign-in page does not say why:\n%s", body)
	}
	// Shown once: reloading the sign-in page (as without JavaScript) no
	// longer says it, and the address alone never does.
	if _, body := c.get(to); strings.Contains(body, why) {
		t.Error("the sign-in page says why again on reload")
	}
	if _, body := c.get("/sign-in?ended=expired"); strings.Contains(body, why) {
		t.Error("the sign-in page takes the reason from the address")
	}
	// Once: the cookie is gone, so the next page asks for a sign-in
	// without a reason.
	req, _ = http.NewRequest("GET", e.ts.URL+page, nil)
	if resp, err = c.http.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || strings.Contains(to, "ended=") {
		t.Errorf("the next page: %d to %q, want a sign-in without a reason", resp.StatusCode, to)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "sqlite")
	resp, err := http.Get(e.ts.URL + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self';",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := resp.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", h, got, want)
		}
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	for _, p := range []string{"/static/govuk/govuk-frontend.min.css", "/assets/fonts/bold-b542beb274-v2.woff2", "/static/init.js"} {
		r, err := http.Get(e.ts.URL + p)
		if err != nil || r.StatusCode != 200 {
			t.Errorf("%s: %v %v", p, err, r.StatusCode)
		}
		r.Body.Close()
	}
}

func TestSecondFactorCodeOnce(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleLeadInspector)
	c := e.as(t, jtai.RoleLeadInspector) // sets up the second factor
	c.postForm("/sign-out", url.Values{})
	stored, _ := e.db.FindUserByID(ctx, u.ID)
	// The next step's code: the current one was spent setting up.
	code, _ := auth.TOTPCode(stored.TOTPSecret, time.Now().Add(30*time.Second))
	for i, wantStatus := range []int{303, 422} {
		d := e.anonymous(t)
		d.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}})
		_, body := d.get("/sign-in/second-factor")
		mustContain(t, body, "Enter your security code")
		d.csrf = csrfToken(t, body)
		if st, body := d.postForm("/sign-in/second-factor", url.Values{"code": {code}}); st != wantStatus {
			t.Errorf("use %d of one code: status %d, want %d\n%s", i+1, st, wantStatus, body)
		}
	}
}

func mustContain(t *testing.T, body, s string) {
	t.Helper()
	if !strings.Contains(body, s) {
		t.Errorf("page does not contain %q", s)
	}
}

func mustNotContain(t *testing.T, body, s string) {
	t.Helper()
	if strings.Contains(body, s) {
		t.Errorf("page contains %q, which it must not", s)
	}
}

// A stale session cookie (someone who stopped at the second factor) never
// stops anyone signing in again.
func TestSignInWithStaleSession(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleLeadInspector)
	if err := e.db.SetUserTOTP(ctx, u.ID, freshSecret(t), 0); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous(t)
	if code, _ := c.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}); code != 303 {
		t.Fatalf("first sign-in: %d", code)
	}
	_, body := c.get("/sign-in/second-factor")
	mustContain(t, body, "Enter your security code")
	if code, body := c.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}); code != 303 {
		t.Errorf("signing in again with a pending session: %d\n%s", code, body)
	}
}

var summaryLink = regexp.MustCompile(`<li><a href="#([^"]+)">`)

// summaryFields are the fields an error summary links to, in its order.
func summaryFields(t *testing.T, body string) []string {
	t.Helper()
	start := strings.Index(body, "govuk-error-summary__list")
	if start < 0 {
		t.Fatalf("no error summary:\n%s", body)
	}
	end := start + strings.Index(body[start:], "</ul>")
	var out []string
	for _, m := range summaryLink.FindAllStringSubmatch(body[start:end], -1) {
		out = append(out, m[1])
	}
	return out
}

var formControl = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"`)

// inFormOrder checks that the error summary links the fields in the order
// the form has them, and only fields the form has.
func inFormOrder(t *testing.T, form string, body string) []string {
	t.Helper()
	linked := summaryFields(t, body)
	at := map[string]int{}
	for i, m := range formControl.FindAllStringSubmatch(body, -1) {
		if _, seen := at[m[1]]; !seen {
			at[m[1]] = i
		}
	}
	for i, f := range linked {
		if _, ok := at[f]; !ok {
			t.Errorf("%s: the summary links #%s, which is not a field of the form", form, f)
		} else if i > 0 && at[linked[i-1]] > at[f] {
			t.Errorf("%s: the summary links #%s before #%s, the other way round from the form", form, linked[i-1], f)
		}
	}
	return linked
}

// An error summary lists the problems in the order of the fields on the
// page, not the order the checks ran in.
func TestErrorSummaryInFieldOrder(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := e.as(t, jtai.RoleAdministrator)
	_, body := admin.postForm("/accounts", url.Values{"name": {""}, "email": {"not an email"}, "role": {"agency-auditor"}})
	if got := fmt.Sprint(inFormOrder(t, "Create an account", body)); got != "[name email agency]" {
		t.Errorf("Create an account: the summary links %s, want [name email agency]", got)
	}
	lead := e.as(t, jtai.RoleLeadInspector)
	_, body = lead.postForm(fmt.Sprintf("/inspections/%d/invitations", e.demo.Inspection.ID), url.Values{"name": {""}, "email": {""}})
	if got := fmt.Sprint(inFormOrder(t, "Invite contacts", body)); got != "[agency name email role]" {
		t.Errorf("Invite contacts: the summary links %s, want [agency name email role]", got)
	}
}

// The second factor's page tells an empty security code from a wrong one,
// in the summary and by the field alike.
func TestSecurityCodeMessages(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleLeadInspector)
	if err := e.db.SetUserTOTP(ctx, u.ID, freshSecret(t), 0); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous(t)
	if code, _ := c.postForm("/sign-in", url.Values{"email": {u.Email}, "password": {e.demo.Passwords[u.Email]}}); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", code)
	}
	_, body := c.get("/sign-in/second-factor")
	c.csrf = csrfToken(t, body)
	messages := map[string]string{}
	for _, code := range []string{"", "000000"} {
		status, body := c.postForm("/sign-in/second-factor", url.Values{"code": {code}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("code %q: status %d", code, status)
		}
		summary := regexp.MustCompile(`<li><a href="#code">([^<]+)</a></li>`).FindStringSubmatch(body)
		field := regexp.MustCompile(`<p id="code-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>`).FindStringSubmatch(body)
		if summary == nil || field == nil || summary[1] != field[1] {
			t.Fatalf("code %q: the summary says %q and the field %q, want the same words in both", code, summary, field)
		}
		messages[code] = html.UnescapeString(summary[1])
	}
	if !strings.HasPrefix(messages[""], "Enter the 6-digit security code") {
		t.Errorf("an empty code is told %q", messages[""])
	}
	if !strings.HasPrefix(messages["000000"], "The security code is not right") {
		t.Errorf("a wrong code is told %q", messages["000000"])
	}
}
