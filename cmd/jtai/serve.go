package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/spf13/pflag"

	"jtai/auth"
	"jtai/guard"
	"jtai/metrics"
	"jtai/screen"
	"jtai/store"
	"jtai/theme"
	"jtai/web"
)

// serveFlags are shared by serve and demo.
type serveFlags struct {
	dbFlags
	partnershipFlags
	addr           string
	secureCookies  bool
	trustedProxies []string
	themesDir      string
	metricsAddr    string
	retainMonths   int
}

func (m *Main) addServeFlags(fs *pflag.FlagSet, f *serveFlags) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	m.addDBFlags(fs, &f.dbFlags)
	m.addPartnershipFlags(fs, &f.partnershipFlags)
	fs.BoolVar(&f.secureCookies, "secure-cookies", false, "mark cookies Secure and send HSTS (set this when TLS ends at a proxy in front of jtai)")
	fs.StringSliceVar(&f.trustedProxies, "trusted-proxy", nil, "address range (CIDR) of a load balancer whose X-Forwarded-For header gives the caller's address; repeatable")
	addThemesFlag(fs, &f.themesDir)
	fs.IntVar(&f.retainMonths, "retain-months", 0, fmt.Sprintf("erase an inspection's personal data this many months after it closes, checked daily (default $JTAI_RETAIN_MONTHS or %d)", store.DefaultRetentionMonths))
	fs.StringVar(&f.metricsAddr, "metrics-address", "", "serve Prometheus metrics at GET /metrics on this HOST:PORT, apart from the application: keep it off the public network (default $JTAI_METRICS_ADDRESS; without either, no metrics)")
}

func (f *serveFlags) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range f.trustedProxies {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, usagef("--trusted-proxy %q: write an address range like 10.0.0.0/8", s)
		}
		out = append(out, p)
	}
	return out, nil
}

// prepareServe reads the flags of serve or demo, named name, and opens what
// both serve from: the themes, checked before anything is written, and the
// database, which the caller closes.
func (m *Main) prepareServe(ctx context.Context, name, about string, args []string) (*serveFlags, *theme.Registry, *store.DB, error) {
	fs := m.flags(name, about)
	f := &serveFlags{}
	m.addServeFlags(fs, f)
	if err := parse(fs, args); err != nil {
		return nil, nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, nil, usagef("%s takes no arguments", name)
	}
	reg, err := themes(f.themesDir)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := m.open(ctx, &f.dbFlags, true)
	if err != nil {
		return nil, nil, nil, err
	}
	db.SetScreener(screen.Themes{Registry: reg})
	return f, reg, db, nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	f, reg, db, err := m.prepareServe(ctx, "serve", "Serves the web application until interrupted.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	return m.listenAndServe(ctx, db, reg, f, false, func(url, metricsURL string) error {
		if f.json {
			out := map[string]string{"url": url, "database": db.Dialect()}
			if metricsURL != "" {
				out["metrics_url"] = metricsURL
			}
			return m.printJSON(out)
		}
		fmt.Fprintf(m.Stdout, "jtai is serving at %s (database: %s). Press Ctrl+C to stop.\n", url, db.Dialect())
		if metricsURL != "" {
			fmt.Fprintf(m.Stdout, "Metrics are served at %s.\n", metricsURL)
		}
		return nil
	})
}

// checkPublicURL returns the address for links in messages. It is needed
// unless jtai listens on this machine only: links are never made from the
// Host header a caller sends.
func (f *serveFlags) checkPublicURL(m *Main) (string, error) {
	public := f.publicURL(m)
	if public == "" {
		host, _, err := net.SplitHostPort(f.addr)
		if err != nil {
			return "", usagef("--addr %q: write HOST:PORT, like 127.0.0.1:8080", f.addr)
		}
		if ip, err := netip.ParseAddr(host); host == "localhost" || err == nil && ip.IsLoopback() {
			return "", nil
		}
		return "", usagef("--public-url is needed when jtai listens on %s, beyond this machine: links in messages are made from it, like https://jtai.example.org (or set JTAI_PUBLIC_URL)", f.addr)
	}
	u, err := url.Parse(public)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usagef("--public-url %q: write the address people reach jtai at, like https://jtai.example.org", public)
	}
	return public, nil
}

// listenAndServe serves until ctx ends, then shuts down gracefully, the
// pages reading the themes of reg. started is called once the listeners are
// open, with the application's address and, when metrics are served, theirs.
func (m *Main) listenAndServe(ctx context.Context, db *store.DB, reg *theme.Registry, f *serveFlags, demo bool, started func(url, metricsURL string) error) error {
	logger := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	proxies, err := f.proxies()
	if err != nil {
		return err
	}
	public, err := f.checkPublicURL(m)
	if err != nil {
		return err
	}
	months, err := m.retainMonths(f.retainMonths)
	if err != nil {
		return err
	}
	a := &auth.Service{Users: db, Sessions: db, Throttle: db, Log: db, Clock: m.Clock, Policy: auth.DefaultPolicy}
	cfg := web.Config{Store: db, Guard: guard.New(db), Auth: a, Clock: m.Clock, Logger: logger, Demo: demo, SecureCookies: f.secureCookies, TrustedProxies: proxies, PublicURL: public, Themes: reg}
	metricsAddr := f.metricsAddress(m)
	var met *metrics.Metrics
	if metricsAddr != "" {
		met = newMetrics(db)
		cfg.ObserveRequest = met.ObserveRequest
	}
	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	if err := m.startPartnership(ctx, db, &f.partnershipFlags, logger); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	servers, listeners := []*http.Server{hs}, []net.Listener{ln}
	url, metricsURL := "http://"+ln.Addr().String(), ""
	if met != nil {
		mln, err := net.Listen("tcp", metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", metricsAddr, err)
		}
		servers, listeners = append(servers, metricsServer(met)), append(listeners, mln)
		metricsURL = "http://" + mln.Addr().String() + "/metrics"
	}
	if err := started(url, metricsURL); err != nil {
		for _, l := range listeners {
			l.Close()
		}
		return err
	}
	if m.OnListen != nil {
		m.OnListen(ln.Addr().String())
	}
	go m.sweepSessions(ctx, db, logger)
	go m.checkpointLog(ctx, db, logger)
	go m.retainDaily(ctx, db, months, logger)
	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	running := len(servers)
	select {
	case err = <-errc:
		running--
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, s := range servers {
		if serr := s.Shutdown(shutdown); serr != nil && err == nil {
			err = serr
		}
	}
	for ; running > 0; running-- {
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	// The last requests' entries are in: a checkpoint of where the log
	// stands as this server stops.
	if _, cerr := db.WriteCheckpoint(shutdown); cerr != nil {
		logger.Error("access log checkpoint at shutdown", "err", cerr)
	}
	return err
}

// checkpointLog writes a signed checkpoint of the access log's head every
// five minutes while the log grows (store.WriteCheckpoint).
func (m *Main) checkpointLog(ctx context.Context, db *store.DB, logger *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	var last int64 = -1
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tail, err := db.AccessLogTail(ctx, 1)
			if err != nil || len(tail) == 0 || tail[0].Seq == last {
				continue
			}
			c, err := db.WriteCheckpoint(ctx)
			if err != nil {
				if ctx.Err() == nil {
					logger.Error("access log checkpoint", "err", err)
				}
				continue
			}
			last = c.Seq
		}
	}
}

// sweepSessions deletes expired sessions every few minutes, and writes
// the counts of repeated failures whose windows have ended to the access
// log (store.SweepThrottle).
func (m *Main) sweepSessions(ctx context.Context, db *store.DB, logger *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := db.DeleteExpiredSessions(ctx, m.Clock.Now()); err != nil && ctx.Err() == nil {
				logger.Error("sweep sessions", "err", err)
			}
			if err := db.SweepThrottle(ctx, m.Clock.Now()); err != nil && ctx.Err() == nil {
				logger.Error("sweep throttle", "err", err)
			}
		}
	}
}
