package web_test

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/store/storetest"
)

var (
	loadDuration = flag.Duration("load.duration", 30*time.Second, "how long BenchmarkLoad loads each server")
	loadUsers    = flag.Int("load.users", 50, "concurrent signed-in users in BenchmarkLoad")
	loadChildren = flag.Int("load.children", 2000, "children on the demo's lists in BenchmarkLoad (jtai demo has 2,000)")
)

// loadMaxRequests bounds each user's requests in one run, whatever the
// duration.
const loadMaxRequests = 1_000_000

// BenchmarkLoad signs in coordinators and agency auditors of the demo area
// through the pages, and has them work through the task list and the joint
// audit pages, and inspectors through the screening (all of it, the
// children in needs review, a search by LA child ID) and selection pages,
// all at once for a fixed time, on each database. In the same run,
// taking turns with them, the same users go through the same pages
// rendered by their templates alone, from the data each page had, with no
// middleware and no database: the baseline the full stack is held to (at
// least half its requests/s, p99 under 100 ms).
//
//	go test -run '^$' -bench Load ./web/ [-load.duration 30s] [-load.users 50]
func BenchmarkLoad(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) { benchmarkLoad(b, dialect) })
	}
}

// loadUser is one signed-in person and the pages it goes through.
type loadUser struct {
	http  *http.Client
	paths []string // visited in turn, again and again
}

func benchmarkLoad(b *testing.B, dialect string) {
	b.StopTimer()
	e := newEnvOf(b, dialect, *loadChildren)
	id := e.demo.Inspection.ID
	own := fmt.Sprintf("/inspections/%d", id)

	lead := e.as(b, jtai.RoleLeadInspector)
	if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		b.Fatalf("publish the selection: %d\n%s", code, body)
	}
	// The first view of the audits makes their parts.
	if code, _ := e.as(b, jtai.RoleCoordinator).get(own + "/audits"); code != http.StatusOK {
		b.Fatalf("audits overview: %d", code)
	}
	parts, err := e.db.ListAuditParts(ctx, id)
	if err != nil || len(parts) == 0 {
		b.Fatalf("no audit parts after the selection: %v", err)
	}
	var all []int64
	byAgency := map[int64][]int64{}
	for _, p := range parts {
		if !slices.Contains(all, p.ChildID) {
			all = append(all, p.ChildID)
		}
		if p.AgencyID != 0 && !slices.Contains(byAgency[p.AgencyID], p.ChildID) {
			byAgency[p.AgencyID] = append(byAgency[p.AgencyID], p.ChildID)
		}
	}
	var agencies []int64
	for _, ag := range e.demo.Agencies {
		if len(byAgency[ag.ID]) > 0 {
			agencies = append(agencies, ag.ID)
		}
	}
	if len(agencies) == 0 {
		b.Fatal("no agency has a part in the audits")
	}

	// One password and one hash for every extra account: signing in still
	// checks it, but the set-up does not pay for fifty hashes.
	const password = "load test password"
	hash, err := auth.HashPassword(password)
	if err != nil {
		b.Fatal(err)
	}
	n := *loadUsers
	users := make([]loadUser, n)
	// One user in five is an inspector on the screening and selection
	// pages (the demo's lead inspector and inspector, each signed in
	// afresh); the others work on the joint audits.
	kept := keptResults(b, e)
	someone := kept.Results[len(kept.Results)/2].LAChildID
	screening := []string{own + "/screening", own + "/screening?outcome=needs-review", own + "/selection",
		own + "/screening?child=" + url.QueryEscape(someone), own + "/screening?outcome=out-of-scope&page=3"}
	for i := range users {
		if i%5 == 1 {
			role := jtai.RoleInspector
			if i%10 == 1 {
				role = jtai.RoleLeadInspector
			}
			c := e.as(b, role)
			users[i].http, users[i].paths = c.http, screening
			for _, p := range screening {
				if code, _ := c.get(p); code != http.StatusOK {
					b.Fatalf("%s opens %s: %d", role, p, code)
				}
			}
			continue
		}
		u := &jtai.User{Email: fmt.Sprintf("load-%02d@example.org", i), Name: fmt.Sprintf("Load User %02d", i),
			Role: jtai.RoleAgencyAuditor, AreaID: e.demo.Area.ID, PasswordHash: hash}
		children := all
		if i%5 == 0 {
			u.Role = jtai.RoleCoordinator
		} else {
			u.AgencyID = agencies[i%len(agencies)]
			children = byAgency[u.AgencyID]
		}
		if err := e.db.CreateUser(ctx, u, nil); err != nil {
			b.Fatal(err)
		}
		c := e.signIn(b, u, password)
		for _, child := range children {
			users[i].paths = append(users[i].paths, own+"/tasks", own+"/audits", fmt.Sprintf("%s/audits/%d", own, child))
		}
		users[i].http = c.http
		if code, _ := c.get(users[i].paths[2]); code != http.StatusOK {
			b.Fatalf("%s opens %s: %d", u.Email, users[i].paths[2], code)
		}
	}

	// The baseline: every page each user visits, from its template and
	// the data that user's request gave it, alone. Each user's pages are
	// served under a prefix of its own, as the same pages differ between
	// users.
	bareMux := http.NewServeMux()
	bareUsers := make([]loadUser, n)
	for i, u := range users {
		bareUsers[i].http = u.http
		for _, path := range u.paths {
			prefixed := fmt.Sprintf("/user-%d%s", i, path)
			bareUsers[i].paths = append(bareUsers[i].paths, prefixed)
			if slices.Contains(bareUsers[i].paths[:len(bareUsers[i].paths)-1], prefixed) {
				continue
			}
			req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
			for _, ck := range u.http.Jar.Cookies(req.URL) {
				req.AddCookie(ck)
			}
			page, err := e.srv.Snapshot(req)
			if err != nil {
				b.Fatal(err)
			}
			bareMux.Handle("GET "+prefixed, page)
		}
	}
	bareTS := httptest.NewServer(bareMux)
	defer bareTS.Close()

	// The two sides take turns of a few seconds, so that whatever else
	// the machine does over the run falls on both alike.
	b.StartTimer()
	var fullLoad, baseLoad load
	for left := *loadDuration; left > 0; left -= loadTurn {
		fullLoad.run(e.ts.URL, users, min(left, loadTurn))
		baseLoad.run(bareTS.URL, bareUsers, min(left, loadTurn))
	}
	b.StopTimer()
	full, base := fullLoad.result(), baseLoad.result()

	ratio := full.rate / base.rate
	b.ReportMetric(float64(full.errors), "errors")
	b.ReportMetric(full.rate, "full-req/s")
	b.ReportMetric(ms(full.p50), "full-p50-ms")
	b.ReportMetric(ms(full.p99), "full-p99-ms")
	b.ReportMetric(float64(base.errors), "bare-errors")
	b.ReportMetric(base.rate, "bare-req/s")
	b.ReportMetric(ms(base.p50), "bare-p50-ms")
	b.ReportMetric(ms(base.p99), "bare-p99-ms")
	b.ReportMetric(ratio, "ratio")
	b.Logf("%s, %d users, %s each: full stack %d requests, %d errors, %.0f req/s, p50 %.1f ms, p99 %.1f ms; bare templates %d requests, %d errors, %.0f req/s, p50 %.1f ms, p99 %.1f ms; ratio %.2f (target >= 0.5), p99 %s",
		dialect, n, *loadDuration, full.requests, full.errors, full.rate, ms(full.p50), ms(full.p99),
		base.requests, base.errors, base.rate, ms(base.p50), ms(base.p99), ratio, verdict(full.p99 < 100*time.Millisecond))
	b.Logf("%s, full stack by page:%s", dialect, pagesReport(&fullLoad))
	b.Logf("%s, bare templates by page:%s", dialect, pagesReport(&baseLoad))
	if full.errors > 0 {
		b.Errorf("%d of %d requests failed; first: %s", full.errors, full.requests, full.firstError)
	}
	if base.errors > 0 {
		b.Errorf("baseline: %d of %d requests failed; first: %s", base.errors, base.requests, base.firstError)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var digits = regexp.MustCompile(`[0-9]+`)

// pageName is a path with its numbers as N, so that one page's requests
// are counted together, whichever child they are about.
func pageName(path string) string {
	if i := strings.Index(path, "/inspections/"); i > 0 {
		path = path[i:] // the baseline's user prefix
	}
	if p, q, ok := strings.Cut(path, "?"); ok && strings.HasPrefix(q, "child=") {
		path = p + "?child=ID"
	}
	return digits.ReplaceAllString(path, "N")
}

// pagesReport gives each page's requests and p50 and p99, slowest first.
func pagesReport(l *load) string {
	type row struct {
		page     string
		n        int
		p50, p99 time.Duration
	}
	var rows []row
	for p, lat := range l.byPage {
		slices.Sort(lat)
		rows = append(rows, row{p, len(lat), lat[len(lat)*50/100], lat[len(lat)*99/100]})
	}
	slices.SortFunc(rows, func(a, b row) int { return int(b.p99 - a.p99) })
	var out strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&out, "\n  %-60s %6d requests, p50 %6.1f ms, p99 %6.1f ms", r.page, r.n, ms(r.p50), ms(r.p99))
	}
	return out.String()
}

func verdict(ok bool) string {
	if ok {
		return "under 100 ms"
	}
	return "NOT under 100 ms"
}

// loadTurn is how long one side of BenchmarkLoad runs before the other
// takes its turn.
const loadTurn = 5 * time.Second

type loadResult struct {
	requests, errors int
	firstError       string
	rate             float64 // requests a second
	p50, p99         time.Duration
}

// load gathers the turns of one side.
type load struct {
	lat        []time.Duration
	byPage     map[string][]time.Duration // by the page's path, numbers as N
	errors     int
	firstError string
	elapsed    time.Duration
}

func (l *load) result() loadResult {
	res := loadResult{requests: len(l.lat), errors: l.errors, firstError: l.firstError}
	slices.Sort(l.lat)
	if len(l.lat) > 0 {
		res.p50 = l.lat[len(l.lat)*50/100]
		res.p99 = l.lat[len(l.lat)*99/100]
	}
	res.rate = float64(len(l.lat)) / l.elapsed.Seconds()
	return res
}

// run has each user go through its pages against base until d has passed
// or it has made loadMaxRequests requests. Any status but 200 is an error.
func (l *load) run(base string, users []loadUser, d time.Duration) {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		start = time.Now()
		stop  = start.Add(d)
	)
	for _, u := range users {
		wg.Go(func() {
			cl := *u.http
			cl.Timeout = 10 * time.Second
			tr := &http.Transport{MaxIdleConnsPerHost: 2} // a browser of its own
			defer tr.CloseIdleConnections()
			cl.Transport = tr
			mine := make([]time.Duration, 0, 4096)
			pages := map[string][]time.Duration{}
			errs, first := 0, ""
			for i := 0; i < loadMaxRequests && time.Now().Before(stop); i++ {
				path := u.paths[i%len(u.paths)]
				t0 := time.Now()
				resp, err := cl.Get(base + path)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
					}
				}
				mine = append(mine, time.Since(t0))
				page := pageName(path)
				pages[page] = append(pages[page], mine[len(mine)-1])
				if err != nil {
					if errs++; first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			l.lat = append(l.lat, mine...)
			if l.byPage == nil {
				l.byPage = map[string][]time.Duration{}
			}
			for p, d := range pages {
				l.byPage[p] = append(l.byPage[p], d...)
			}
			l.errors += errs
			if l.firstError == "" {
				l.firstError = first
			}
		})
	}
	wg.Wait()
	l.elapsed += time.Since(start)
}
