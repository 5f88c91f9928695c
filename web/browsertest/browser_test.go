package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jtai"
	"jtai/auth"
	"jtai/guard"
	"jtai/screen"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme/themetest"
	"jtai/web"
)

//go:embed testdata/axe/axe.min.js
var axeSource string

// chromiumPath finds the browser, skipping the suite when there is none,
// or failing it under CI=true.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("JTAI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if storetest.Required() {
		t.Fatal("CI=true but chromium is not installed: the browser suite is required (apt-get install chromium)")
	}
	t.Skip("chromium not installed: skipping the browser suite")
	return ""
}

type site struct {
	url  string
	demo *synth.Demo
	db   *store.DB
}

func startSite(t *testing.T) *site {
	t.Helper()
	db := storetest.Open(t, "sqlite", storetest.MasterKey(t))
	db.SetScreener(screen.Themes{Registry: themetest.Registry(t)})
	d, err := synth.SeedDemo(context.Background(), db, synth.DemoOptions{Children: 120, NotifiedOn: jtai.NewDate(2026, 3, 2), Hash: auth.HashPassword, Password: auth.NewPassword})
	if err != nil {
		t.Fatal(err)
	}
	a := &auth.Service{Users: db, Sessions: db, Throttle: db, Log: db, Clock: jtai.SystemClock{}, Policy: auth.DefaultPolicy}
	srv, err := web.New(web.Config{Store: db, Guard: guard.New(db), Auth: a, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &site{ts.URL, d, db}
}

func newBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	return startChromium(t, exe, 3*time.Minute)
}

// startChromium starts a headless chromium for the test, stopped when it
// ends, and gives it at most limit.
func startChromium(t *testing.T, exe string, limit time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, limit)
	t.Cleanup(cancel3)
	return ctx
}

type violation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axe runs axe-core's WCAG 2.2 A and AA rules, and its best practices
// (such as all content inside landmarks), on the current page and fails
// the test for each violation.
func axe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range axeViolations(t, ctx, page) {
		b, _ := json.Marshal(v.Nodes)
		t.Errorf("%s: axe %s: %s at %s", page, v.ID, v.Help, b)
	}
}

// scriptsOffKey marks a browser context whose page scripts are switched
// off (see person in journey_test.go).
type scriptsOffKey struct{}

func axeViolations(t *testing.T, ctx context.Context, page string) []violation {
	t.Helper()
	script := `(async () => {
		const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22a','wcag22aa','best-practice']}});
		return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))}));
	})()`
	if ctx.Value(scriptsOffKey{}) != nil {
		// axe needs timers, which do not run while scripts are off: let it
		// run on the page as it was loaded without them, then switch them
		// off again for the next page.
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		defer func() {
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatalf("%s: %v", page, err)
			}
		}()
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axeSource)); err != nil {
		t.Fatalf("%s: load axe: %v", page, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe: %v", page, err)
	}
	return violations
}

// The check can fail: on a page with known faults axe reports them.
func TestAxeFindsProblems(t *testing.T) {
	ctx := newBrowser(t, chromiumPath(t))
	page := `data:text/html,<html><body><img src="x.png"><input type="text"></body></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range axeViolations(t, ctx, "faulty page") {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "label", "html-has-lang"} {
		if !found[id] {
			t.Errorf("axe did not report %s on a page that has it; found %v", id, found)
		}
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	// Read through script, from the page as it is at that moment: a node
	// held from one moment to the next is lost when a script writes the
	// page over, or the next page is still arriving. Waits for up to ten
	// seconds for sel to be on the page.
	script := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? {found: true, text: e.innerText} : {found: false} })()`, sel)
	type read struct {
		Found bool   `json:"found"`
		Text  string `json:"text"`
	}
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var got read
		if got, err = chromedp.Run(ctx, chromedp.Evaluate[read](script)); err == nil && got.Found {
			return got.Text
		}
	}
	if err == nil {
		err = fmt.Errorf("not on the page")
	}
	t.Fatalf("read %s: %v", sel, err)
	return ""
}

// visit opens a page, checks its heading and runs axe on it.
func visit(t *testing.T, ctx context.Context, url, wantHeading string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if h := text(t, ctx, "h1"); !strings.Contains(h, wantHeading) {
		t.Errorf("%s: heading %q, want it to contain %q", url, h, wantHeading)
	}
	axe(t, ctx, url)
}

// submit clicks a form's button and waits for the next page to load: the
// old document is marked first, so waiting cannot end on it.
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[any](`document.documentElement.dataset.old = "1"`)(ctx, tg)
			return err
		}),
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitReady(chromedp.CSS("html:not([data-old]) h1")),
	)
	if err != nil {
		t.Fatalf("submit %s: %v", button, err)
	}
}

// confirm answers a confirmation page: it checks the question, that the
// page is accessible, and clicks its button.
func confirm(t *testing.T, ctx context.Context, question string) {
	t.Helper()
	if h := text(t, ctx, "h1"); !strings.Contains(h, question) {
		t.Fatalf("confirmation page: heading %q, want %q", h, question)
	}
	axe(t, ctx, "confirm: "+question)
	submit(t, ctx, `main form:has(input[name=confirm]) button[type=submit]`)
}

// signIn signs in through the pages, giving the demo's code where the role
// needs a second factor.
func signIn(t *testing.T, ctx context.Context, s *site, role jtai.Role) {
	t.Helper()
	u := s.demo.User(role)
	visit(t, ctx, s.url+"/sign-in", "Sign in")
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), s.demo.Passwords[u.Email]),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
	submit(t, ctx, "button[type=submit]")
	if role.NeedsSecondFactor() {
		// Set up at the first sign-in (the demo only), asked for after.
		if h := text(t, ctx, "h1"); !strings.Contains(h, "authenticator") && h != "Enter your security code" {
			t.Fatalf("%s: after the password, heading %q", role, h)
		}
		axe(t, ctx, "second factor")
		giveDemoCode(t, ctx)
	}
}

// giveDemoCode enters the code the demo shows on the second factor's page.
func giveDemoCode(t *testing.T, ctx context.Context) {
	t.Helper()
	code := text(t, ctx, "#demo-code")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#code"), code)); err != nil {
		t.Fatalf("second factor: %v", err)
	}
	submit(t, ctx, "button[type=submit]")
}

func TestJourneys(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	own := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.Inspection.ID)
	other := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.OtherInspection.ID)
	for _, role := range jtai.Roles {
		t.Run(string(role), func(t *testing.T) {
			ctx := newBrowser(t, exe)
			signIn(t, ctx, s, role)
			switch role {
			case jtai.RoleAdministrator:
				if h := text(t, ctx, "h1"); h != "Accounts" {
					t.Errorf("administrator lands on %q, want Accounts", h)
				}
				axe(t, ctx, "accounts")
				// The confirmations after disabling and enabling an account
				// (the last, one of Westholm's), as axe sees them.
				submit(t, ctx, `tbody tr:last-child form[action$="/disable"] button`)
				confirm(t, ctx, "Are you sure you want to disable this account?")
				if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "The account has been disabled") {
					t.Errorf("no confirmation banner: %q", b)
				}
				axe(t, ctx, "accounts with a confirmation")
				submit(t, ctx, `tbody tr:last-child form[action$="/enable"] button`)
				if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "The account has been enabled") {
					t.Errorf("no confirmation banner: %q", b)
				}
				bannerShownOnce(t, ctx, "the confirmation")
				// Resetting an account's security codes asks first.
				submit(t, ctx, `tbody tr:last-child form[action$="/reset-second-factor"] button`)
				confirm(t, ctx, "Are you sure you want to reset the security codes of")
				if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "The security codes have been reset") {
					t.Errorf("no confirmation banner after the reset: %q", b)
				}
				visit(t, ctx, s.url+"/accounts/new", "Create an account")
				// Submit the empty form: the error summary must be accessible too.
				submit(t, ctx, "form button[type=submit]")
				axe(t, ctx, "create account with errors")
				visit(t, ctx, own, "Page not found")
			default:
				if h := text(t, ctx, "h1"); h != "Inspections" {
					t.Errorf("%s lands on %q, want Inspections", role, h)
				}
				axe(t, ctx, "home")
				if body := text(t, ctx, "main"); !strings.Contains(body, "Eastmere") || strings.Contains(body, "Westholm") {
					t.Errorf("%s home shows the wrong inspections: %q", role, body)
				}
				visit(t, ctx, own, "Eastmere inspection")
				visit(t, ctx, other, "Page not found")
			}
			if role == jtai.RoleLeadInspector || role == jtai.RoleCoordinator {
				visit(t, ctx, own+"/children", "Children")
				href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("tbody a"), "href"))
				if err != nil {
					t.Fatal(err)
				}
				visit(t, ctx, s.url+href.Value, "")
			}
			visit(t, ctx, s.url+"/sign-out", "Sign out")
			submit(t, ctx, "main button[type=submit]")
			if h := text(t, ctx, "h1"); h != "You have signed out" {
				t.Errorf("after signing out: %q", h)
			}
			visit(t, ctx, s.url+"/no-such-page", "Page not found")
			if role == jtai.RoleCoordinator {
				// The sign-in page after a session timed out, as axe sees
				// it; a reload no longer says why.
				signIn(t, ctx, s, role)
				if _, err := s.db.RawExec(context.Background(), `UPDATE sessions SET expires_at = 0 WHERE user_id = ?`, s.demo.User(role).ID); err != nil {
					t.Fatal(err)
				}
				visit(t, ctx, own, "Sign in")
				if b := text(t, ctx, ".govuk-notification-banner"); !strings.Contains(b, "You were signed out") {
					t.Errorf("no notice of the timeout: %q", b)
				}
				bannerShownOnce(t, ctx, "the notice of the timeout")
			}
		})
	}
}

// bannerShownOnce reloads the page, which must then show no banner: what
// it said was shown once.
func bannerShownOnce(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ctx, ".govuk-notification-banner"); n != 0 {
		t.Errorf("%s is shown again after a reload: %d banners", what, n)
	}
}

// The journey works with JavaScript switched off.
func TestWithoutJavaScript(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	ctx := newBrowser(t, exe)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	u := s.demo.User(jtai.RoleCoordinator)
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.url+"/sign-in"),
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong password"),
	)
	if err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "button[type=submit]")
	if msg := text(t, ctx, ".govuk-error-summary__list a"); msg != "Enter a correct email address and password" {
		t.Errorf("error summary says %q", msg)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#password"), s.demo.Passwords[u.Email]),
	)
	if err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "button[type=submit]")
	giveDemoCode(t, ctx)
	if h := text(t, ctx, "h1"); h != "Inspections" {
		t.Errorf("without JavaScript, after signing in: %q", h)
	}
	classes, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "class"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(classes.Value, "govuk-frontend-supported") {
		t.Error("scripts ran although JavaScript is off: the test proves nothing")
	}
}
