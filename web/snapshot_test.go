package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"jtai"
)

// The load benchmark's baseline is each page rendered by its template
// alone from the data the page had: the snapshot must give the very page
// the full stack serves.
func TestSnapshotIsTheSamePage(t *testing.T) {
	e := newEnv(t, "sqlite")
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	if code, body := e.as(t, jtai.RoleLeadInspector).postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("publish the selection: %d\n%s", code, body)
	}
	coordinator := e.as(t, jtai.RoleCoordinator)
	for _, path := range []string{own + "/tasks", own + "/audits"} {
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		for _, ck := range coordinator.http.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		full := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(full, req)
		bare, err := e.srv.Snapshot(req)
		if err != nil {
			t.Fatal(err)
		}
		got := httptest.NewRecorder()
		bare.ServeHTTP(got, req)
		if full.Code != http.StatusOK || got.Code != http.StatusOK || got.Body.String() != full.Body.String() {
			t.Errorf("%s: full %d, %d bytes; snapshot %d, %d bytes; want the same page", path, full.Code, full.Body.Len(), got.Code, got.Body.Len())
		}
	}
}
