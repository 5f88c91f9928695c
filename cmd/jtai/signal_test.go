package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jtai/crypt"
	"jtai/store"
	"jtai/store/storetest"
)

// SIGTERM while requests are coming in: the server stops taking new ones,
// finishes those in flight and the access log's writes, and exits 0; every
// sign-in it answered is in the database afterwards, and the log verifies.
func TestSIGTERMLosesNothingAcknowledged(t *testing.T) {
	env := sqliteEnv(t)
	var out, errb bytes.Buffer
	addrs := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
		OnListen: func(a string) { addrs <- a }}
	done := make(chan int, 1)
	go func() { done <- m.RunUntilSignal([]string{"demo", "--addr", "127.0.0.1:0", "--json"}) }()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("demo exited %d: %s", code, errb.String())
	case <-time.After(90 * time.Second):
		t.Fatal("demo did not start")
	}
	var demo struct {
		Logins []struct{ Email, Password, Role string }
	}
	if err := json.Unmarshal(out.Bytes(), &demo); err != nil {
		t.Fatal(err)
	}
	var email, password string
	for _, l := range demo.Logins {
		if l.Role == "partnership-coordinator" {
			email, password = l.Email, l.Password
		}
	}
	if email == "" {
		t.Fatalf("no coordinator login in %s", out.String())
	}

	var mu sync.Mutex
	acked := 0
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for range 6 {
		wg.Go(func() {
			for {
				resp, err := client.PostForm(base+"/sign-in", url.Values{"email": {email}, "password": {password}})
				if err != nil {
					return // the server has stopped taking requests
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					return
				}
				mu.Lock()
				acked++
				mu.Unlock()
			}
		})
	}
	time.Sleep(time.Second)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("after SIGTERM: exit %d, %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop after SIGTERM")
	}
	wg.Wait()
	if acked == 0 {
		t.Fatal("no sign-in was answered before the signal")
	}

	master, err := crypt.LoadKeyFile(filepath.Join(filepath.Dir(env["JTAI_DB"]), "jtai.key"))
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.OpenAt(t, store.Location{Path: env["JTAI_DB"]}, master)
	rows, err := db.RawQuery(t.Context(), `SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '`+email+`'`)
	if err != nil {
		t.Fatal(err)
	}
	var sessions int
	for rows.Next() {
		rows.Scan(&sessions)
	}
	rows.Close()
	t.Logf("%d sign-ins answered before and while stopping; %d sessions kept", acked, sessions)
	if sessions < acked {
		t.Errorf("%d sign-ins were answered but only %d sessions are in the database", acked, sessions)
	}
	if _, err := db.Verify(t.Context()); err != nil {
		t.Errorf("access log after SIGTERM: %v", err)
	}
}
