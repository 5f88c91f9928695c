package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
)

// Snapshot serves r once through the whole stack and returns a handler that
// writes the same page again from its template and the same data alone: no
// middleware, no session, no policy, no database. It is the baseline a load
// test measures the full stack against.
func (s *Server) Snapshot(r *http.Request) (http.Handler, error) {
	fresh, err := parsePages(s.themes)
	if err != nil {
		return nil, err
	}
	var name string
	var view *View
	for n, t := range fresh.sets {
		keep := func(v *View) string { name, view = n, v; return "" }
		if _, err := t.Funcs(template.FuncMap{"snapshotKeep": keep}).Parse(`{{define "layout"}}{{snapshotKeep .}}{{end}}`); err != nil {
			return nil, err
		}
	}
	cp := &Server{cfg: s.cfg, themes: s.themes, pages: fresh, mux: http.NewServeMux(), patterns: map[string]bool{}}
	cp.register()
	w := &snapshotWriter{h: http.Header{}, code: http.StatusOK}
	cp.mux.ServeHTTP(w, r)
	if w.code != http.StatusOK || view == nil || name == "error" {
		return nil, fmt.Errorf("snapshot %s: status %d", r.URL.Path, w.code)
	}
	t := s.pages.sets[name]
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}), nil
}

// snapshotWriter keeps only the status of the response it is given.
type snapshotWriter struct {
	h    http.Header
	code int
}

func (w *snapshotWriter) Header() http.Header         { return w.h }
func (w *snapshotWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *snapshotWriter) WriteHeader(code int)        { w.code = code }
