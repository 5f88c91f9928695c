package web_test

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"jtai"
)

// What people type has limits that the page states, and look-alike or
// hidden characters are refused where they could pass for someone else.
func TestFormsStateTheirLimits(t *testing.T) {
	e := newEnv(t, "sqlite")
	admin := e.as(t, jtai.RoleAdministrator)
	before, _ := e.db.ListUsers(ctx, jtai.UserFilter{})
	for _, tt := range []struct {
		name, email, want string
	}{
		{"Pat Oakhurne", "p\u0430t@example.org", "it has a character that is not a plain letter, digit or symbol (U+0430)"},
		{"Pat \u202eenruhkaO", "pat@example.org", "Full name must not contain control or invisible characters (it has U+202E)"},
		{strings.Repeat("Pats", 230<<10), "pat@example.org", "Full name must be 200 characters or fewer (this has 942,080)"},
	} {
		code, body := admin.postForm("/accounts", url.Values{"name": {tt.name}, "email": {tt.email}, "role": {"administrator"}})
		if code != 422 || !strings.Contains(html.UnescapeString(body), tt.want) {
			t.Errorf("create account %.20q %q: %d, want 422 saying %q", tt.name, tt.email, code, tt.want)
		}
	}
	if after, _ := e.db.ListUsers(ctx, jtai.UserFilter{}); len(after) != len(before) {
		t.Errorf("refused forms made %d accounts", len(after)-len(before))
	}

	lead := e.as(t, jtai.RoleLeadInspector)
	page := fmt.Sprintf("/inspections/%d/selection/add", e.demo.Inspection.ID)
	code, body := lead.postForm(page, url.Values{"child": {"UP0001"}, "kind": {string(jtai.CaseTracking)}, "reason": {strings.Repeat("x", 900<<10)}})
	if code != 422 || !strings.Contains(body, "The reason must be 2,000 characters or fewer (this has 921,600)") {
		t.Errorf("a 900 KB reason: %d", code)
	}
	if strings.Count(body, "xxxxxxxxxx") > 1000 {
		t.Error("the refused reason is echoed back whole")
	}
}
