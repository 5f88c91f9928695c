package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/store/storetest"
)

// runningDemo is `jtai demo` (or `jtai serve`) serving on a loopback port.
type runningDemo struct {
	base string // http://127.0.0.1:PORT
	out  struct {
		InspectionID int64     `json:"inspection_id"`
		NotifiedOn   jtai.Date `json:"notified_on"`
		Onsite       struct {
			Start, End jtai.Date
			Shortened  string
		}
		Logins     []struct{ Email, Password, Role, Agency string }
		MetricsURL string `json:"metrics_url"`
	}
	stop func() // cancels the demo and checks it exited cleanly
}

// startDemo runs demo --json with args until the test stops it.
func startDemo(t *testing.T, env map[string]string, args ...string) *runningDemo {
	t.Helper()
	return startServer(t, env, "demo", args...)
}

// startServer runs command (serve or demo) --json with args until the test
// stops it.
func startServer(t *testing.T, env map[string]string, command string, args ...string) *runningDemo {
	t.Helper()
	return startServerAt(t, env, nil, command, args...)
}

// startServerAt is startServer with the clock given (the system's when nil).
func startServerAt(t *testing.T, env map[string]string, clock jtai.Clock, command string, args ...string) *runningDemo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	addrs := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
		OnListen: func(a string) { addrs <- a }, Clock: clock}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, append([]string{command, "--addr", "127.0.0.1:0", "--json"}, args...)) }()
	d := &runningDemo{}
	select {
	case addr := <-addrs:
		d.base = "http://" + addr
	case code := <-done:
		cancel()
		t.Fatalf("%s exited %d: %s", command, code, errb.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("%s did not start", command)
	}
	d.stop = func() {
		t.Helper()
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("%s exit %d: %s", command, code, errb.String())
		}
	}
	if err := json.Unmarshal(out.Bytes(), &d.out); err != nil {
		d.stop()
		t.Fatalf("%s --json: %v %q", command, err, out.String())
	}
	return d
}

// signIn returns a client signed in to the demo with the login of role,
// which must be one that needs no second factor.
func (d *runningDemo) signIn(t *testing.T, role string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	for _, l := range d.out.Logins {
		if l.Role == role {
			resp, err := client.PostForm(d.base+"/sign-in", url.Values{"email": {l.Email}, "password": {l.Password}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Request.URL.Path != "/sign-in/second-factor" {
				t.Fatalf("%s signed in to %s, want the second factor's page", role, resp.Request.URL.Path)
			}
			// The demo shows the code, as people trying it have no app set up.
			code := regexp.MustCompile(`id="demo-code">(\d{6})<`).FindSubmatch(body)
			csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(body)
			if code == nil || csrf == nil {
				t.Fatalf("%s: no demo code or form on the second factor's page:\n%s", role, body)
			}
			resp, err = client.PostForm(resp.Request.URL.String(), url.Values{"code": {string(code[1])}, "csrf_token": {string(csrf[1])}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Request.URL.Path == "/sign-in/second-factor" {
				t.Fatalf("%s: the demo's code was refused", role)
			}
			return client
		}
	}
	t.Fatalf("demo printed no %s login", role)
	return nil
}

// get returns a page's body, failing the test unless it is 200 OK.
func (d *runningDemo) get(t *testing.T, client *http.Client, path string) string {
	t.Helper()
	resp, err := client.Get(d.base + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return string(body)
}

// The demo partnership has sent some strategic documents, so the documents
// page and the task list show progress; a second run adds no more.
func TestDemoSeedsDocuments(t *testing.T) {
	env := sqliteEnv(t)
	for run := 1; run <= 2; run++ {
		d := startDemo(t, env)
		for _, l := range d.out.Logins {
			if (l.Role == "agency-auditor") != (l.Agency == "Eastmere Police") {
				t.Errorf("run %d: the %s login's agency is %q", run, l.Role, l.Agency)
			}
		}
		client := d.signIn(t, "partnership-coordinator")
		docs := d.get(t, client, fmt.Sprintf("/inspections/%d/documents", d.out.InspectionID))
		for _, want := range []string{"Domestic abuse strategy 2025-2028.pdf", "Eastmere Police domestic abuse data.csv", "Partnership self-evaluation.txt", "2 versions"} {
			if !strings.Contains(docs, want) {
				t.Errorf("run %d: the documents page lacks %q", run, want)
			}
		}
		if n := strings.Count(docs, "/download\""); n != 6 {
			t.Errorf("run %d: the documents page links %d current versions, want 6", run, n)
		}
		tasks := d.get(t, client, fmt.Sprintf("/inspections/%d/tasks", d.out.InspectionID))
		if !strings.Contains(tasks, "Sent by Eastmere Police, Eastmere Integrated Care Board (2 of 5 agencies)") {
			t.Errorf("run %d: the task list does not show the performance data sent by two agencies", run)
		}
		d.stop()
	}
}

// On PostgreSQL there is no directory beside the database for documents:
// the demo refuses to start without one, before it writes anything.
func TestDemoOnPostgresNeedsDocuments(t *testing.T) {
	loc := storetest.Location(t, "postgres")
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "jtai.key")
	env := map[string]string{"JTAI_DB": loc.URL, "USER": "tester"}
	if code, _, stderr := run(t, env, "", "key", "generate", keyFile); code != 0 {
		t.Fatalf("key generate: %d %s", code, stderr)
	}
	env["JTAI_KEY_FILE"] = keyFile
	code, _, stderr := run(t, env, "", "demo", "--addr", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(stderr, "--documents DIR") {
		t.Fatalf("demo on PostgreSQL without --documents: exit %d, %s", code, stderr)
	}
	code, out, stderr := run(t, env, "", "user", "list", "--json")
	if code != 0 || strings.Contains(out, "@") {
		t.Errorf("the refused demo left accounts behind: exit %d\n%s%s", code, out, stderr)
	}
}

// TestDemoNotifiesForToday: the demo's inspection is notified on a Monday
// that puts today in its weeks 1 and 2, with no bank holiday in the way
// where a Monday allows it; around Christmas, where none does, the onsite
// week it prints says what shortens it.
func TestDemoNotifiesForToday(t *testing.T) {
	tests := []struct {
		today              time.Time
		notified, onsiteAt string
		shortened          string
	}{
		{time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), "2026-11-30", "2026-12-14", ""},
		{time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC), "2026-12-21", "2027-01-04", ""},
		{time.Date(2026, 12, 16, 9, 0, 0, 0, time.UTC), "2026-12-07", "2026-12-21", "Shortened by a bank holiday: Friday 25 December 2026 (Christmas Day)"},
		{time.Date(2027, 3, 30, 9, 0, 0, 0, time.UTC), "2027-03-22", "2027-04-05", ""}, // Easter Monday 29 March
	}
	for _, tt := range tests {
		d := startServerAt(t, sqliteEnv(t), jtai.FixedClock{T: tt.today}, "demo")
		d.stop()
		if got := d.out.NotifiedOn.String(); got != tt.notified {
			t.Errorf("today %s: notified %s, want %s", tt.today.Format(time.DateOnly), got, tt.notified)
		}
		if got := d.out.Onsite.Start.String(); got != tt.onsiteAt || d.out.Onsite.Shortened != tt.shortened {
			t.Errorf("today %s: onsite from %s (%q), want %s (%q)", tt.today.Format(time.DateOnly), got, d.out.Onsite.Shortened, tt.onsiteAt, tt.shortened)
		}
	}
}
