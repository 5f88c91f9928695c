package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"runtime/debug"

	"jtai"
)

// securityHeaders sets the headers every response carries: a content
// security policy that allows no inline script, frame denial, no sniffing,
// and HSTS when the connection is (or is fronted by) TLS.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.renderError(w, r, nil, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func cacheFor(h http.Handler, seconds int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", seconds))
		h.ServeHTTP(w, r)
	})
}

func subFS(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Store.Ready(r.Context()); err != nil {
		// Why goes to the log only: the answer says nothing else.
		s.cfg.Logger.Error("readiness", "err", err)
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// status maps an error kind to an HTTP status, in one place.
func status(err error) int {
	switch jtai.ErrorKind(err) {
	case jtai.ENOTFOUND:
		return http.StatusNotFound
	case jtai.EFORBIDDEN:
		return http.StatusForbidden
	case jtai.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case jtai.EINVALID:
		return http.StatusUnprocessableEntity
	case jtai.ECONFLICT:
		return http.StatusConflict
	case jtai.ETOOMANY:
		return http.StatusTooManyRequests
	case jtai.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
