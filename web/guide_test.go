package web_test

import (
	"net/http"
	"strings"
	"testing"

	"jtai/store/storetest"
)

// The list guide is what import messages point to for every accepted
// value: anyone can read it, and it says which columns jtai does not use.
func TestListGuide(t *testing.T) {
	e := newEnv(t, storetest.Dialects[0])
	code, body := e.anonymous(t).get("/guide/lists")
	if code != http.StatusOK {
		t.Fatalf("GET /guide/lists: %d", code)
	}
	for _, want := range []string{
		`id="list-list-1"`, `id="list-list-11"`, `id="list-domestic-abuse-notifications"`,
		// A column jtai uses says why; one it does not, says so.
		`Primary Need Code`, `Not used: not kept`,
		`the agency that referred`,
		// The grouped codes of the template's Codes_used sheet.
		`id="codes-referral-source"`, `<td class="govuk-table__cell">Health services</td>`, `<td class="govuk-table__cell">WHIT</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the guide has no %q", want)
		}
	}
	if strings.Count(body, `id="codes-gender"`) != 1 {
		t.Errorf("the gender codes should be given once")
	}
}
