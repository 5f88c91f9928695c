package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"jtai"
	"jtai/store/storetest"
)

// BenchmarkPartnershipPages serves each page of the load benchmark to the
// coordinator in process, with no network: through the whole stack
// ("full") and as its template alone from the same data ("bare"), so that
// the cost each page adds over its template can be read off per page.
//
//	go test -run '^$' -bench PartnershipPages ./web/
func BenchmarkPartnershipPages(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			e := newEnv(b, dialect)
			own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
			lead := e.as(b, jtai.RoleLeadInspector)
			if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
				b.Fatalf("publish the selection: %d\n%s", code, body)
			}
			coordinator := e.as(b, jtai.RoleCoordinator)
			if code, _ := coordinator.get(own + "/audits"); code != http.StatusOK {
				b.Fatalf("audits overview: %d", code)
			}
			tracked, _, err := e.db.AuditProgress(ctx, e.demo.Inspection.ID)
			if err != nil || len(tracked) == 0 {
				b.Fatalf("no tracked children: %v", err)
			}
			h := e.srv.Handler()
			for _, page := range []struct{ name, path string }{
				{"tasks", own + "/tasks"},
				{"audits", own + "/audits"},
				{"child-audit", fmt.Sprintf("%s/audits/%d", own, tracked[0])},
			} {
				req, _ := http.NewRequest("GET", e.ts.URL+page.path, nil)
				for _, ck := range coordinator.http.Jar.Cookies(req.URL) {
					req.AddCookie(ck)
				}
				bare, err := e.srv.Snapshot(req)
				if err != nil {
					b.Fatal(err)
				}
				for _, side := range []struct {
					name string
					h    http.Handler
				}{{"full", h}, {"bare", bare}} {
					b.Run(page.name+"/"+side.name, func(b *testing.B) {
						b.ReportAllocs()
						for b.Loop() {
							w := httptest.NewRecorder()
							side.h.ServeHTTP(w, req)
							if w.Code != http.StatusOK {
								b.Fatalf("status %d", w.Code)
							}
						}
					})
				}
			}
		})
	}
}
