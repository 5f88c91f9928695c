// Package web serves jtai's pages and, later, its JSON API: GOV.UK-styled,
// server-rendered HTML that works without JavaScript. Every route is
// declared with its access (public or signed in) and every signed-in handler
// asks the one authorization policy (package authz) before it reads
// anything; reads of personal data are written to the access log.
//
// Handlers never write their own error pages: they return an error, and one
// adapter maps its kind to a status and a page. A change's confirmation
// reaches the page it leads to in a one-time cookie (flash.go), never in the
// address, and reading it writes nothing.
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/guard"
	"jtai/theme"
)

//go:embed templates static
var files embed.FS

// Store is what the web layer needs of storage.
type Store interface {
	jtai.AreaService
	jtai.UserService
	jtai.InspectionService
	jtai.ChildService
	jtai.AccessLog
	jtai.APITokenService // personal access tokens for the JSON API (api.go)
	Ping(ctx context.Context) error
	// Ready reports whether the store can serve (GET /readyz).
	Ready(ctx context.Context) error
	// ErasedAt is when retention erased an inspection's personal data.
	ErasedAt(ctx context.Context, inspectionID int64) (time.Time, error)
	ImportStore          // what the list import pages need (import.go)
	ScreeningStore       // what the screening and selection pages need (screening.go)
	PartnershipStore     // invitations, the outbox and documents (partnership.go)
	JointAuditStore      // the task list and the joint audit (jointaudit.go)
	AccountSetupStore    // single-use set-up links of accounts (accountsetup.go)
	jtai.EvidenceService // evidence records (evidence.go)

	// WithRequest returns a context for one request's reads, which the
	// store may answer from what it has cached while nothing has changed.
	WithRequest(ctx context.Context) context.Context
}

// Config is what a Server is built from.
type Config struct {
	Store Store
	// Guard is the one way to personal data (package guard): the pages and
	// the API open children's records, audit answers and documents through
	// it alone. Required.
	Guard  *guard.Service
	Auth   *auth.Service
	Clock  jtai.Clock
	Logger *slog.Logger
	// Demo marks every page as a demonstration with synthetic data, and
	// shows the current one-time code on the second-factor page so that
	// demo users need no authenticator app. Never set it in production.
	Demo bool
	// SecureCookies marks cookies Secure and sends HSTS even when TLS ends
	// at a proxy in front of jtai.
	SecureCookies bool
	// TrustedProxies are the load balancers whose X-Forwarded-For header is
	// believed for the caller's address (throttling, the access log).
	TrustedProxies []netip.Prefix
	// PublicURL is the address people reach jtai at, like
	// https://jtai.example.org, for links in messages. Empty: the address
	// the inviting request came to.
	PublicURL string
	// Themes are the themes the pages read an inspection's scope, lists,
	// documents, timetable and audit questions from: the built-in ones and
	// any a directory adds or replaces (theme.LoadDir). Nil: the built-in
	// themes only.
	Themes *theme.Registry
	// ObserveRequest, when set, is told of every request once it is
	// answered: the route pattern that matched it ("unmatched" when none
	// did), never its path; its method, status code and how long it took.
	// Metrics hang off it (package metrics).
	ObserveRequest func(route, method string, code int, elapsed time.Duration)
	// UploadDir is where an upload too large for memory is spooled, sealed
	// under a key held in memory only (package upload). Empty: the
	// system's temporary directory.
	UploadDir string
}

// Server is the web application.
type Server struct {
	cfg    Config
	themes *theme.Registry
	pages  *pages
	mux    *http.ServeMux
	routes []Route
	// patterns are the patterns registered on mux, the only values a
	// request's route is reported as (observe.go).
	patterns map[string]bool
	// timetables are the deadlines worked out so far, by theme and
	// notification date (lifecycle.go).
	timetables sync.Map
	// failures are the recent failures by address, the first line of
	// throttling (throttle.go).
	failures failureFilter
}

// New builds the server, parsing every template now so that a broken one
// fails start-up rather than a page view.
func New(cfg Config) (*Server, error) {
	if cfg.Guard == nil {
		return nil, errors.New("web: no guarded service (Config.Guard)")
	}
	if cfg.Clock == nil {
		cfg.Clock = jtai.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	themes := cfg.Themes
	if themes == nil {
		var err error
		if themes, err = builtinThemes(); err != nil {
			return nil, err
		}
	}
	p, err := parsePages(themes)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, themes: themes, pages: p, mux: http.NewServeMux(), patterns: map[string]bool{}}
	s.register()
	return s, nil
}

// Handler returns the whole application as one handler.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, jtai.Errorf(jtai.EFORBIDDEN, "This request came from another website, so it was not carried out"))
	}))
	if s.cfg.ObserveRequest == nil {
		return s.securityHeaders(s.withAddress(cop.Handler(s.recoverPanics(s.mux))))
	}
	return s.observe(s.securityHeaders(s.withAddress(cop.Handler(s.recoverPanics(s.matched(s.mux))))))
}

// Routes lists every registered route, for tests that walk them all.
func (s *Server) Routes() []Route { return s.routes }

func staticFS() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	return sub
}
