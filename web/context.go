package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/web/upload"
)

const sessionCookie = "jtai_session"

// Context is one request as a handler sees it.
type Context struct {
	W       http.ResponseWriter
	R       *http.Request
	Session *jtai.Session
	User    *jtai.User
	Subject *authz.Subject
	// inspection is the inspection the request is about, once found and
	// allowed, so that every page of an ended one says it is read-only.
	inspection *jtai.Inspection
	// token is the session cookie's value, which only the browser and this
	// request hold: the database keeps its hash. Never logged or shown.
	token string
	// expired says the request's session was over by its timeout, which
	// the sign-in page explains.
	expired bool
	// upload is the request's multipart form once read; its files go
	// when the request ends (Server.handle).
	upload    *upload.Form
	uploadDir string
	// tokenScopes are the scopes of the API token the request came with.
	tokenScopes []jtai.Scope
}

// multipart reads the request's multipart/form-data body once, at most
// limit bytes: its values become the request's form, its files stay in
// memory or are spooled sealed, never in the clear on disk.
func (c *Context) multipart(limit int64, tooLarge string) (*upload.Form, error) {
	if c.upload != nil {
		return c.upload, nil
	}
	c.R.Body = http.MaxBytesReader(c.W, c.R.Body, limit)
	f, err := upload.Read(c.R, c.uploadDir, multipartMemory)
	if err != nil {
		return nil, jtai.Errorf(jtai.EINVALID, "%s", tooLarge)
	}
	c.upload = f
	c.R.PostForm = url.Values(f.Value)
	c.R.Form = url.Values{}
	for k, v := range c.R.URL.Query() {
		c.R.Form[k] = v
	}
	for k, v := range f.Value {
		c.R.Form[k] = append(c.R.Form[k], v...)
	}
	return f, nil
}

// done drops what the request held: its upload's files.
func (c *Context) done() {
	if c != nil && c.upload != nil {
		c.upload.RemoveAll()
		c.upload = nil
	}
}

// newContext loads the session and enforces the route's access level and,
// for state-changing requests from a session, the CSRF token.
func (s *Server) newContext(w http.ResponseWriter, r *http.Request, access Access) (*Context, error) {
	c := &Context{W: w, R: r, uploadDir: s.cfg.UploadDir}
	if access == API {
		// A bearer token, not a cookie: no session, so no CSRF token.
		return c, s.authenticateToken(c)
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		sess, u, err := s.cfg.Auth.Authenticate(r.Context(), ck.Value)
		switch {
		case err == nil:
			c.Session, c.User, c.token = sess, u, ck.Value
		case jtai.IsKind(err, jtai.ENOTFOUND):
			s.clearSessionCookie(c)
			c.expired = errors.Is(err, auth.ErrSessionExpired)
		default:
			return c, err
		}
	}
	if access == Public && c.Session == nil {
		if err := s.mayFail(c); err != nil {
			return c, err
		}
	}
	complete := c.Session != nil && (c.Session.SecondFactor || !c.User.NeedsSecondFactor())
	switch access {
	case Pending:
		if c.Session == nil {
			return c, errSignInNeeded
		}
	case SignedIn:
		if c.Session == nil {
			return c, errSignInNeeded
		}
		if !complete {
			return c, errSecondFactorNeeded
		}
	}
	if complete {
		// Only inspectors are on inspection teams; the policy asks no
		// one else's.
		var team []int64
		if c.User.Role.IsInspector() {
			var err error
			if team, err = s.cfg.Store.TeamInspectionIDs(r.Context(), c.User.ID); err != nil {
				return c, err
			}
		}
		c.Subject = authz.NewSubject(c.User, team)
		c.Subject.Address = clientAddress(r)
	}
	// Public forms (signing in) carry no token: a stale session cookie must
	// not stop anyone signing in, and the cross-origin check guards them.
	if access != Public && c.Session != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := checkCSRF(c); err != nil {
			s.logAccess(c, jtai.ActDenied, "csrf "+r.URL.Path, "denied")
			return c, err
		}
	}
	return c, nil
}

var (
	errSignInNeeded       = jtai.Errorf(jtai.EUNAUTHORIZED, "Sign in to continue")
	errSecondFactorNeeded = jtai.Errorf(jtai.EUNAUTHORIZED, "Enter your security code to continue")
	errCSRF               = jtai.Errorf(jtai.EFORBIDDEN, "This form has expired or did not come from jtai, so nothing was changed. Go back, reload the page and try again")
)

func checkCSRF(c *Context) error {
	r := c.R
	if isMultipart(r) {
		// An upload: ParseForm does not read multipart bodies.
		if _, err := c.multipart(maxUploadBytes, fmt.Sprintf("The upload could not be read; the files together may be larger than %d MB", maxUploadBytes>>20)); err != nil {
			return err
		}
	} else {
		r.Body = http.MaxBytesReader(c.W, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return jtai.Errorf(jtai.EINVALID, "The form could not be read")
		}
	}
	got := r.PostFormValue("csrf_token")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.Session.CSRFToken)) != 1 {
		return errCSRF
	}
	return nil
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// CSRFToken is the token forms carry.
func (c *Context) CSRFToken() string {
	if c.Session == nil {
		return ""
	}
	return c.Session.CSRFToken
}

func (s *Server) setSessionCookie(c *Context, token string) {
	http.SetCookie(c.W, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(c.R), SameSite: http.SameSiteLaxMode, MaxAge: int((12 * time.Hour).Seconds())})
}

func (s *Server) clearSessionCookie(c *Context) {
	http.SetCookie(c.W, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure(c.R), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }

type addressKey struct{}

// withAddress works out the caller's address once per request.
func (s *Server) withAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addressKey{}, s.callerAddress(r))))
	})
}

// clientAddress is the caller's IP address, for throttling and the log.
func clientAddress(r *http.Request) string {
	if a, ok := r.Context().Value(addressKey{}).(string); ok {
		return a
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// callerAddress is the caller's IP address. X-Forwarded-For is believed only when the request comes from a trusted
// proxy (Config.TrustedProxies); then the address is the last one in the
// header that is not itself a trusted proxy.
func (s *Server) callerAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if ip, err := netip.ParseAddr(hop); err == nil && !s.trusted(ip.String()) {
			return ip.String()
		}
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// redirect sends a 303 See Other, so that a POST is followed by a GET.
func redirect(c *Context, to string) error {
	http.Redirect(c.W, c.R, to, http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}
