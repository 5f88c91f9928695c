package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jtai"
)

// An agency auditor issues its agency's system a token of its own (after
// a mistake), sees it once, and revokes it; the API takes the token until
// then. The administrator sees it listed and cannot issue one.
func TestAPITokens(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	auditor := s.demo.User(jtai.RoleAgencyAuditor)
	ctx := newBrowser(t, exe)
	signIn(t, ctx, s, jtai.RoleAgencyAuditor)

	submit(t, ctx, `.govuk-service-navigation a[href="/account/tokens"]`)
	if h := text(t, ctx, "h1"); h != "Your API tokens" {
		t.Fatalf("the menu's link leads to %q", h)
	}
	if n := count(t, ctx, "main table"); n != 0 {
		t.Errorf("an account with no tokens shows %d tables", n)
	}
	axe(t, ctx, "API tokens, none issued")
	reflows(t, ctx, "API tokens, none issued")

	submit(t, ctx, "main form button[type=submit]")
	if body := text(t, ctx, ".govuk-error-summary"); !strings.Contains(body, "Enter a name for the token") || !strings.Contains(body, "Select what the token may do") {
		t.Errorf("empty form: summary %q", body)
	}
	if msg := text(t, ctx, "#name-error"); !strings.Contains(msg, "Enter a name for the token") {
		t.Errorf("empty name: the field's message is %q", msg)
	}
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || !strings.HasPrefix(title, "Error: ") {
		t.Errorf("empty name: page title %q (%v), want it to start Error:", title, err)
	}
	axe(t, ctx, "API tokens with errors")
	reflows(t, ctx, "API tokens with errors")

	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#name"), "Police records export"), chromedp.Click(chromedp.CSS("#scopes"))); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "main form button[type=submit]")
	token := strings.TrimSpace(text(t, ctx, "#new-token"))
	if len(token) < 20 {
		t.Fatalf("issued token %q", token)
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, "it will not be shown again") || !strings.Contains(body, "Police records export") {
		t.Errorf("after issuing: %q", body)
	}
	axe(t, ctx, "API token issued")
	reflows(t, ctx, "API token issued")
	// From the narrowest desktop width, where the panel's words no longer
	// break anywhere, to a wide screen; and a phone's.
	for _, width := range []int64{320, 641, 800, 1024, 1280} {
		if out := overflows(t, ctx, width, "#new-token", ".govuk-panel"); out != "" {
			t.Errorf("at %d pixels wide the new token overflows its panel: %s", width, out)
		}
	}
	if code := apiStatus(t, s, token); code != http.StatusOK {
		t.Errorf("the API answers the new token with %d", code)
	}

	visit(t, ctx, s.url+"/account/tokens", "Your API tokens")
	if n := count(t, ctx, "#new-token"); n != 0 || strings.Contains(text(t, ctx, "main"), token) {
		t.Error("the token is shown again on opening the page")
	}
	if status := text(t, ctx, "main tbody tr td:nth-child(3)"); status != "Active" {
		t.Errorf("the issued token's status is %q", status)
	}

	admin := newBrowser(t, exe)
	signIn(t, admin, s, jtai.RoleAdministrator)
	submit(t, admin, fmt.Sprintf(`main a[href="/accounts/%d/tokens"]`, auditor.ID))
	if h := text(t, admin, "h1"); h != "API tokens for "+auditor.Name {
		t.Fatalf("the accounts page's link leads to %q", h)
	}
	if body := text(t, admin, "main"); !strings.Contains(body, "Police records export") || strings.Contains(body, token) || count(t, admin, `form[action$="/tokens"]`) != 0 {
		t.Errorf("the administrator's list of the auditor's tokens: %q", body)
	}
	axe(t, admin, "API tokens of another account")

	submit(t, ctx, "main tbody form button[type=submit]")
	if status := text(t, ctx, "main tbody tr td:nth-child(3)"); status != "Revoked" {
		t.Errorf("after revoking, the token's status is %q", status)
	}
	if n := count(t, ctx, "main tbody form"); n != 0 {
		t.Errorf("a revoked token still offers %d revoke buttons", n)
	}
	axe(t, ctx, "API token revoked")
	reflows(t, ctx, "API token revoked")
	if code := apiStatus(t, s, token); code != http.StatusUnauthorized {
		t.Errorf("the API answers a revoked token with %d, want 401", code)
	}
}

// reflows checks that the page reads in a window 320 pixels wide without
// scrolling sideways (WCAG 2.2, 1.4.10 Reflow), then restores the window.
// Data tables are the criterion's exception, so they are left out.
func reflows(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
		const tables = [...document.querySelectorAll("table")];
		tables.forEach(t => t.style.display = "none");
		const wide = document.documentElement.scrollWidth;
		tables.forEach(t => t.style.display = "");
		return wide;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if wide > 320 {
		t.Errorf("%s: at 320 pixels wide the page, leaving out its tables, is %d wide and scrolls sideways", page, wide)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateReset()); err != nil {
		t.Fatal(err)
	}
}

// overflows says how the element sel sticks out of its enclosing panel in
// a window width pixels wide; empty when it stays within.
func overflows(t *testing.T, ctx context.Context, width int64, sel, panel string) string {
	t.Helper()
	return atWidth(t, ctx, width, fmt.Sprintf(`(() => {
		const e = document.querySelector(%q), p = e && e.closest(%q);
		if (!e || !p) return "not on the page";
		const r = e.getBoundingClientRect(), b = p.getBoundingClientRect();
		if (r.left < b.left || r.right > b.right) return "the element spans " + r.left + " to " + r.right + ", its panel " + b.left + " to " + b.right;
		if (p.scrollWidth > p.clientWidth) return "the panel scrolls: " + p.scrollWidth + " wide in " + p.clientWidth;
		return "";
	})()`, sel, panel))
}

// scrollsSideways says how far the page scrolls sideways in a window width
// pixels wide, tables and all; empty when it does not.
func scrollsSideways(t *testing.T, ctx context.Context, width int64) string {
	t.Helper()
	return atWidth(t, ctx, width, `(() => {
		const e = document.scrollingElement;
		if (e.scrollWidth <= e.clientWidth) return "";
		// Name what runs past the window's edge: not what scrolls in a box
		// of its own, unless it is positioned out of the box's reach.
		let culprit = "";
		for (const el of document.body.querySelectorAll("*")) {
			const pos = getComputedStyle(el).position;
			if (el.parentElement && el.parentElement.closest(".jtai-table-scroll") && pos !== "absolute" && pos !== "fixed") continue;
			const r = el.getBoundingClientRect();
			if (r.right > e.clientWidth + 1) {
				culprit += (culprit ? ", " : "") + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "");
				if (culprit.split(", ").length >= 3) break;
			}
		}
		return "the page is " + e.scrollWidth + " wide in a window " + e.clientWidth + " wide" + (culprit ? " (" + culprit + " runs past it)" : "");
	})()`)
}

// atWidth evaluates script in a window width pixels wide, then restores
// the window.
func atWidth(t *testing.T, ctx context.Context, width int64, script string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := chromedp.Do(ctx, chromedp.EmulateReset()); err != nil {
			t.Fatal(err)
		}
	}()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// count returns how many elements on the page match sel.
func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// apiStatus asks the JSON API for the inspections with token.
func apiStatus(t *testing.T, s *site, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.url+"/api/v1/inspections", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
