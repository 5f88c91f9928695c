package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jtai"
	"jtai/metrics"
	"jtai/web"
)

// scrape reads the metrics as Prometheus would: each series (name and
// labels) to its value.
func scrape(t *testing.T, met *metrics.Metrics) (map[string]float64, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	met.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d", rec.Code)
	}
	series := map[string]float64{}
	for line := range strings.SplitSeq(rec.Body.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape: %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series, rec.Body.String()
}

// Requests through the real handler are counted under the pattern that
// matched them, with their method and status; a path, which holds ids,
// is never a label.
func TestRequestMetrics(t *testing.T) {
	met := metrics.New()
	e := newEnv(t, "sqlite", func(cfg *web.Config) { cfg.ObserveRequest = met.ObserveRequest })
	c := e.as(t, jtai.RoleLeadInspector)
	anon := e.anonymous(t)
	before, _ := scrape(t, met)

	tasks := fmt.Sprintf("/inspections/%d/tasks", e.demo.Inspection.ID)
	for range 3 {
		if code, _ := c.get(tasks); code != http.StatusOK {
			t.Fatalf("GET %s: %d", tasks, code)
		}
	}
	for _, r := range []struct {
		c      *client
		method string
		path   string
		code   int
	}{
		{c, "GET", "/inspections/987654/tasks", http.StatusNotFound},
		{c, "GET", fmt.Sprintf("/inspections/%d/./tasks", e.demo.Inspection.ID), http.StatusTemporaryRedirect},
		{anon, "GET", "/healthz", http.StatusOK},
		{anon, "GET", "/no-such-page/987654", http.StatusNotFound},
		{anon, "POST", "/no-such-page/987654", http.StatusMethodNotAllowed},
		{anon, "PROPFIND", "/inspections/987654", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(r.method, e.ts.URL+r.path, nil)
		if code, _ := r.c.do(req); code != r.code {
			t.Errorf("%s %s: %d, want %d", r.method, r.path, code, r.code)
		}
	}
	// Refused by the cross-origin check before any route is looked up.
	req, _ := http.NewRequest("POST", e.ts.URL+"/accounts", strings.NewReader(url.Values{"csrf_token": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if code, _ := c.do(req); code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", code)
	}

	after, text := scrape(t, met)
	for s, want := range map[string]float64{
		`jtai_http_requests_total{code="200",method="GET",route="GET /inspections/{id}/tasks"}`:                 3,
		`jtai_http_requests_total{code="404",method="GET",route="GET /inspections/{id}/tasks"}`:                 1,
		`jtai_http_requests_total{code="307",method="GET",route="GET /inspections/{id}/tasks"}`:                 1,
		`jtai_http_request_duration_seconds_count{method="GET",route="GET /inspections/{id}/tasks"}`:            5,
		`jtai_http_request_duration_seconds_bucket{method="GET",route="GET /inspections/{id}/tasks",le="+Inf"}`: 5,
		`jtai_http_requests_total{code="200",method="GET",route="GET /healthz"}`:                                1,
		`jtai_http_requests_total{code="404",method="GET",route="GET /"}`:                                       1,
		`jtai_http_requests_total{code="405",method="POST",route="unmatched"}`:                                  1,
		`jtai_http_requests_total{code="405",method="other",route="unmatched"}`:                                 1,
		`jtai_http_requests_total{code="403",method="POST",route="unmatched"}`:                                  1,
	} {
		if got := after[s] - before[s]; got != want {
			t.Errorf("%s rose by %v, want %v", s, got, want)
		}
	}
	if after[`jtai_http_request_duration_seconds_sum{method="GET",route="GET /inspections/{id}/tasks"}`] <= 0 {
		t.Error("the task list's requests took no time")
	}
	for _, s := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := after[s]; !ok {
			t.Errorf("no %s: the Go and process collectors are missing", s)
		}
	}
	if strings.Contains(text, tasks) || strings.Contains(text, "987654") || strings.Contains(text, "PROPFIND") {
		t.Errorf("a path or a method the client chose is a label:\n%s", text)
	}
	routes := map[string]bool{"unmatched": true}
	for _, r := range e.srv.Routes() {
		routes[r.Method+" "+r.Pattern] = true
	}
	for _, m := range regexp.MustCompile(`route="([^"]*)"`).FindAllStringSubmatch(text, -1) {
		if !routes[m[1]] && m[1] != "GET /healthz" {
			t.Errorf("route label %q is not a registered pattern", m[1])
		}
	}
}
