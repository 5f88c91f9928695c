package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// getURL GETs url and returns the status and body.
func getURL(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(body)
}

// With --metrics-address (or JTAI_METRICS_ADDRESS), serve and demo serve
// GET /metrics on that address, counting the application's requests under
// their route patterns; the application's own address has no /metrics.
func TestMetricsAddress(t *testing.T) {
	env := sqliteEnv(t)
	d := startDemo(t, env, "--metrics-address", "127.0.0.1:0")
	client := d.signIn(t, "partnership-coordinator")
	tasks := fmt.Sprintf("/inspections/%d/tasks", d.out.InspectionID)
	for range 2 {
		d.get(t, client, tasks)
	}
	if code, _ := getURL(t, client, d.base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the application's address: %d, want 404", code)
	}
	if !strings.HasPrefix(d.out.MetricsURL, "http://127.0.0.1:") || !strings.HasSuffix(d.out.MetricsURL, "/metrics") || strings.HasPrefix(d.out.MetricsURL, d.base+"/") {
		t.Fatalf("demo --json: metrics_url %q, want /metrics on an address of its own (the application is at %s)", d.out.MetricsURL, d.base)
	}
	code, text := getURL(t, http.DefaultClient, d.out.MetricsURL)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", d.out.MetricsURL, code)
	}
	for _, want := range []string{
		`jtai_http_requests_total{code="200",method="GET",route="GET /inspections/{id}/tasks"} 2` + "\n",
		`jtai_http_requests_total{code="404",method="GET",route="GET /"} 1` + "\n",
		`jtai_http_requests_total{code="303",method="POST",route="POST /sign-in"} 1` + "\n",
		"\ngo_goroutines ",
		"\nprocess_cpu_seconds_total ",
		"\njtai_list_imports_accepted_total 1\n", // the demo's own lists, on its first run
		"\njtai_outbox_messages_sent_total 0\n",
		// SQLite's pools: the writer has its one connection.
		"\njtai_db_connections_open{pool=\"write\"} 1\n",
		"\njtai_db_connections_in_use{pool=\"read\"} ",
		"\njtai_db_connection_waits_total{pool=\"read\"} ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %q", want)
		}
	}
	if strings.Contains(text, tasks) || strings.Contains(text, "jtai_access_log_entries_total 0\n") {
		t.Errorf("the metrics hold a path, or count no access log entries after a sign-in and pages:\n%s", text)
	}
	// The second view of the task list reads what the first one cached.
	if !strings.Contains(text, "\njtai_read_cache_hits_total ") || strings.Contains(text, "\njtai_read_cache_hits_total 0\n") {
		t.Errorf("the metrics count no read cache hits after the task list twice:\n%s", text)
	}
	if code, _ := getURL(t, http.DefaultClient, strings.TrimSuffix(d.out.MetricsURL, "metrics")+"healthz"); code != http.StatusNotFound {
		t.Errorf("the metrics address serves more than /metrics: %d", code)
	}
	d.stop()

	// serve, from the environment.
	env["JTAI_METRICS_ADDRESS"] = "127.0.0.1:0"
	s := startServer(t, env, "serve")
	defer s.stop()
	if code, _ := getURL(t, http.DefaultClient, s.base+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz: %d", code)
	}
	if code, _ := getURL(t, http.DefaultClient, s.base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on serve's application address: %d, want 404", code)
	}
	if code, text := getURL(t, http.DefaultClient, s.out.MetricsURL); code != http.StatusOK ||
		!strings.Contains(text, `jtai_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`+"\n") {
		t.Errorf("serve's metrics at %q: %d, want GET /healthz counted once:\n%s", s.out.MetricsURL, code, text)
	}
}

// Without the flag or the variable there are no metrics anywhere, and the
// help tells of the flag.
func TestMetricsOffByDefault(t *testing.T) {
	s := startServer(t, sqliteEnv(t), "serve")
	defer s.stop()
	if s.out.MetricsURL != "" {
		t.Errorf("serve --json: metrics_url %q without --metrics-address", s.out.MetricsURL)
	}
	if code, _ := getURL(t, http.DefaultClient, s.base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics: %d, want 404", code)
	}
	for _, command := range []string{"serve", "demo"} {
		if code, _, errs := run(t, sqliteEnv(t), "", command, "--help"); code != exitOK || !strings.Contains(errs, "--metrics-address") || !strings.Contains(errs, "JTAI_METRICS_ADDRESS") {
			t.Errorf("%s --help: exit %d, want --metrics-address and JTAI_METRICS_ADDRESS in\n%s", command, code, errs)
		}
	}
}
