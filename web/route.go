package web

import (
	"net/http"
	"strconv"

	"jtai"
	"jtai/authz"
	"jtai/crypt"
	"jtai/ingest"
)

// Access says who may reach a route at all. What a signed-in user may do
// there is the handler's to ask of authz.
type Access int

// Route access levels.
const (
	Public   Access = iota // anyone, signed in or not
	SignedIn               // a signed-in user who has given a second factor where the role needs one
	Pending                // signed in with a password, second factor still to give
	API                    // the JSON API: a bearer token, never a cookie; errors are JSON
)

// Route is one registered route.
type Route struct {
	Method  string
	Pattern string
	Access  Access
}

// handler is a page handler: it reads input, asks the policy, calls the
// store and renders, returning an error for the adapter to show.
type handler func(c *Context) error

func (s *Server) handle(method, pattern string, access Access, h handler) {
	s.routes = append(s.routes, Route{method, pattern, access})
	s.muxHandle(method+" "+pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Each data key is read once per request at most (see crypt.Keyring),
		// and the request's reads may come from the store's read cache, at
		// the generation it reads with its session (Store.WithRequest).
		r = r.WithContext(s.cfg.Store.WithRequest(crypt.WithKeyring(r.Context())))
		c, err := s.newContext(w, r, access)
		defer c.done()
		if err == nil {
			err = h(c)
		}
		if err != nil && access == API {
			s.apiError(w, r, c, err)
		} else if err != nil {
			s.renderError(w, r, c, err)
		}
	}))
}

// muxHandle registers h for pattern, which is then a route that requests
// may be reported under.
func (s *Server) muxHandle(pattern string, h http.Handler) {
	s.patterns[pattern] = true
	s.mux.Handle(pattern, h)
}

func (s *Server) register() {
	s.muxHandle("GET /assets/", http.StripPrefix("/assets/", cacheFor(http.FileServerFS(subFS(staticFS(), "govuk/assets")), 86400)))
	s.muxHandle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(staticFS()), 3600)))
	s.muxHandle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) }))
	s.muxHandle("GET /readyz", http.HandlerFunc(s.ready))

	s.handle("GET", "/sign-in", Public, s.signInPage)
	s.handle("POST", "/sign-in", Public, s.signIn)
	s.handle("GET", "/sign-in/second-factor", Pending, s.secondFactorPage)
	s.handle("POST", "/sign-in/second-factor", Pending, s.secondFactor)
	s.handle("GET", "/sign-out", Pending, s.signOutPage)
	s.handle("POST", "/sign-out", Pending, s.signOut)
	s.handle("GET", "/signed-out", Public, s.signedOutPage)
	s.handle("GET", "/sign-in/help", Public, s.signInHelpPage)
	s.handle("GET", "/account-setup/{token}", Public, s.setupPage)
	s.handle("POST", "/account-setup/{token}", Public, s.useSetup)
	s.handle("GET", ingest.GuidePath, Public, s.listGuide)

	s.handle("GET", "/{$}", SignedIn, s.home)
	s.handle("GET", "/inspections/{id}", SignedIn, s.inspectionPage)
	s.handle("GET", "/inspections/{id}/children", SignedIn, s.childrenPage)
	s.handle("GET", "/inspections/{id}/children/{child}", SignedIn, s.childPage)

	s.handle("GET", "/accounts", SignedIn, s.accountsPage)
	s.handle("GET", "/accounts/new", SignedIn, s.newAccountPage)
	s.handle("POST", "/accounts", SignedIn, s.createAccount)
	s.handle("POST", "/accounts/{id}/disable", SignedIn, s.disableAccount)
	s.handle("POST", "/accounts/{id}/enable", SignedIn, s.enableAccount)
	s.handle("POST", "/accounts/{id}/reset-password", SignedIn, s.resetPassword)
	s.handle("POST", "/accounts/{id}/reset-second-factor", SignedIn, s.resetSecondFactor)

	s.registerImports()
	s.registerScreening()
	s.registerPartnership()
	s.registerJointAudit()
	s.registerEvidence()
	s.registerAPI()

	s.handle("GET", "/", Public, func(c *Context) error { return jtai.Errorf(jtai.ENOTFOUND, "Page not found") })
}

// pathID reads a numeric path value; anything else is "not found".
func pathID(c *Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.R.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	return id, nil
}

// can asks the policy and logs a refusal to the access log.
func (s *Server) can(c *Context, a authz.Action, res authz.Resource, resource string) error {
	err := authz.Can(c.Subject, a, res)
	if err != nil {
		s.logAccess(c, jtai.ActDenied, resource+" ("+string(a)+")", "denied")
	}
	return err
}

// logAccess appends to the access log; a failure to log is an error the
// caller must not ignore, so reads it guards fail too.
func (s *Server) logAccess(c *Context, action, resource, outcome string) error {
	return s.logAccesses(c, s.accessEntry(c, action, resource, outcome))
}

// actor is the signed-in user as the access log names them, for the
// store to log what it does on their behalf.
func (s *Server) actor(c *Context) *jtai.AccessEntry {
	e := &jtai.AccessEntry{Address: clientAddress(c.R)}
	if c.User != nil {
		e.ActorID, e.Actor, e.ActorName = c.User.ID, c.User.Email, c.User.Name
	}
	return e
}

// accessEntry is an access log entry for the viewer's request.
func (s *Server) accessEntry(c *Context, action, resource, outcome string) *jtai.AccessEntry {
	e := &jtai.AccessEntry{Action: action, Resource: resource, Outcome: outcome, Address: clientAddress(c.R)}
	if c.User != nil {
		e.ActorID, e.Actor = c.User.ID, c.User.Email
	}
	return e
}

// logAccesses appends several entries at once: they land together, in one
// wait for the database.
func (s *Server) logAccesses(c *Context, entries ...*jtai.AccessEntry) error {
	if err := s.cfg.Store.Append(c.R.Context(), entries...); err != nil {
		s.cfg.Logger.Error("access log append failed", "err", err)
		return err
	}
	return nil
}
