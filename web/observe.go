package web

import (
	"context"
	"net/http"
	"time"
)

// unmatched is the route of a request that no registered pattern matched.
const unmatched = "unmatched"

// routeKey keys, in a request's context, where matched writes the pattern
// that matched the request for observe to read.
type routeKey struct{}

// observe tells Config.ObserveRequest of each request once it is answered,
// whatever answered it: a page, the mux's own 404 or 405, a panic's error
// page, or the cross-origin check, which refuses a request before any route
// is looked up (so its route is "unmatched").
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := unmatched
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		code := rec.code
		if code == 0 {
			code = http.StatusOK
		}
		s.cfg.ObserveRequest(route, r.Method, code, time.Since(start))
	})
}

// matched notes the pattern the mux matched, for observe. Only a
// registered pattern is noted: for a redirect the mux reports the path it
// redirects to, and a path holds ids.
func (s *Server) matched(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if route, ok := r.Context().Value(routeKey{}).(*string); ok && s.patterns[r.Pattern] {
				*route = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code a response was sent with.
type statusRecorder struct {
	http.ResponseWriter
	code int // 0 until the header is written
}

func (w *statusRecorder) WriteHeader(code int) {
	// Informational responses (103 Early Hints) come before the real one.
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
