package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/store/storetest"
	"jtai/web"
)

// behindProxy serves as if behind a load balancer on the loopback, so
// that a test can speak from any address (X-Forwarded-For).
func behindProxy(cfg *web.Config) {
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
}

// limit is the failures an address may make in a window.
var limit = auth.DefaultPolicy.MaxAddressFailure

// flood serves on a fresh database of dialect, behind a proxy, and makes
// n requests there at once from address, eight at a time. It returns the
// server, the access log's head before the requests and how many of them
// had each status.
func flood(t *testing.T, dialect, address string, n int, request func(e *env, i int) *http.Request) (*env, int64, map[int]int) {
	t.Helper()
	e := newEnv(t, dialect, behindProxy)
	before := e.logHead(t)
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				req := request(e, i)
				req.Header.Set("X-Forwarded-For", address)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					continue
				}
				resp.Body.Close()
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return e, before, codes
}

// entriesSince returns the access log's entries after seq.
func (e *env) entriesSince(t *testing.T, seq int64) []*jtai.AccessEntry {
	t.Helper()
	tail, err := e.db.AccessLogTail(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jtai.AccessEntry
	for _, en := range tail {
		if en.Seq > seq {
			out = append(out, en)
		}
	}
	return out
}

// A flood of unknown invitation links from one address (the probe's came
// at 1,282 entries a second) is logged one entry a link up to the
// address's limit, then refused (429) and counted: one entry for the first
// refusal, and one with the count once the window ends. Another address is
// not held back, and the chain verifies.
func TestUnknownLinksDoNotFillTheLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e, before, codes := flood(t, dialect, "203.0.113.5", 2000, func(e *env, i int) *http.Request {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/invitations/not-a-token-%d", e.ts.URL, i), nil)
			return req
		})
		if codes[http.StatusNotFound] != limit || codes[http.StatusTooManyRequests] != 2000-limit {
			t.Errorf("2000 unknown links: %v, want %d not found and the rest 429", codes, limit)
		}
		entries := e.entriesSince(t, before)
		if len(entries) != limit+1 {
			t.Errorf("2000 unknown links made %d log entries, want %d and one for the refusals", len(entries), limit)
		}
		for _, en := range entries {
			if en.Address != "203.0.113.5" || en.Action != jtai.ActInvitationRefuse || en.Resource != "invitation (unknown link)" {
				t.Errorf("entry %+v", en)
			}
		}
		c := e.anonymous(t)
		req, _ := http.NewRequest("GET", e.ts.URL+"/invitations/not-a-token", nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.2")
		if code, _ := c.do(req); code != http.StatusNotFound {
			t.Errorf("an unknown link from another address: %d, want 404", code)
		}

		// Once the window has ended the refusals are written as one entry,
		// with their count and when they came.
		if err := e.db.SweepThrottle(ctx, time.Now().Add(auth.DefaultPolicy.Window+time.Minute)); err != nil {
			t.Fatal(err)
		}
		tail := e.entriesSince(t, before)
		counted := tail[0]
		if !strings.Contains(counted.Outcome, " more times from ") || counted.Address != "203.0.113.5" {
			t.Fatalf("the refusals' entry: %+v", counted)
		}
		n, _ := strconv.Atoi(strings.Fields(strings.SplitN(counted.Outcome, "; ", 2)[1])[0])
		if n < 1 || n > 2000-limit-1 {
			t.Errorf("the refusals' entry counts %d (%q)", n, counted.Outcome)
		}
		if _, err := e.db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

// 200 failed sign-ins with 60 KB of attacker's text each as the email (the
// probe's 12 MB) are logged up to the address's limit, each email cut to
// an email's length and escaped, then refused and logged once.
func TestFailedSignInsDoNotFillTheLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e, before, codes := flood(t, dialect, "203.0.113.6", 200, func(e *env, i int) *http.Request {
			email := fmt.Sprintf("%d\x1b[2J\u202e%s@example.org", i, strings.Repeat("a", 60<<10))
			form := url.Values{"email": {email}, "password": {"guess"}}
			req, _ := http.NewRequest("POST", e.ts.URL+"/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		})
		if codes[http.StatusUnauthorized] != limit || codes[http.StatusTooManyRequests] != 200-limit {
			t.Errorf("200 failed sign-ins: %v, want %d refused as wrong and the rest 429", codes, limit)
		}
		entries := e.entriesSince(t, before)
		if len(entries) > limit+1 {
			t.Errorf("200 failed sign-ins made %d log entries, want at most %d", len(entries), limit+1)
		}
		size := 0
		for _, en := range entries {
			size += len(en.Actor) + len(en.Action) + len(en.Resource) + len(en.Outcome) + len(en.Address)
			if len(en.Actor) > 256 || strings.ContainsAny(en.Actor, "\x1b\u202e") {
				t.Errorf("an actor of %d bytes kept: %.80q", len(en.Actor), en.Actor)
			}
		}
		if size > 16<<10 {
			t.Errorf("200 failed sign-ins wrote %d bytes of text to the log", size)
		}
	})
}
