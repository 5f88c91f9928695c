package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"jtai"
)

// BenchmarkHomePage renders the home page for a signed-in inspector through
// the whole stack: session look-up, policy, store and template.
func BenchmarkHomePage(b *testing.B) {
	e := newEnv(b, "sqlite")
	c := e.as(b, jtai.RoleInspector)
	req, _ := http.NewRequest("GET", e.ts.URL+"/", nil)
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	h := e.srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
