package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A bad theme directory stops serve and demo before they open the database
// or listen, each problem printed as FILE:LINE: FIELD: message.
func TestServeRefusesBadThemes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "local-pilot.yaml")
	theme := "id: local-pilot\ntitle: A local pilot\ndescripton: misspelt\n"
	if err := os.WriteFile(bad, []byte(theme), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"serve", "demo"} {
		env := sqliteEnv(t)
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
			OnListen: func(string) { t.Errorf("%s listened with a bad theme", command) }}
		code := m.Run(context.Background(), []string{command, "--addr", "127.0.0.1:0", "--themes", dir})
		if code != exitRejected {
			t.Errorf("%s: exit %d, want %d; %s", command, code, exitRejected, errb.String())
		}
		for _, want := range []string{
			bad + `:3: descripton: unknown field "descripton" (did you mean "description"?)`,
			bad + ":1: inspectorates: required field is missing",
		} {
			if !strings.Contains(errb.String(), "\n"+want+"\n") {
				t.Errorf("%s: stderr %q, want a line %q", command, errb.String(), want)
			}
		}
		if _, err := os.Stat(env["JTAI_DB"]); err == nil {
			t.Errorf("%s made a database before checking its themes", command)
		}
	}
	code, _, errs := run(t, sqliteEnv(t), "", "serve", "--themes", filepath.Join(dir, "missing"))
	if code != exitRejected || !strings.Contains(errs, "There is no theme file or directory") {
		t.Errorf("serve --themes with a missing directory: exit %d, %q", code, errs)
	}
}

// The themes given to demo reach the pages: a revised title shows on the
// inspection page.
func TestDemoServesThemesFromDirectory(t *testing.T) {
	builtin, err := os.ReadFile(filepath.Join("..", "..", "theme", "themes", "domestic-abuse-2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const revised = "Children who are victims of domestic abuse (revised locally)"
	dir := t.TempDir()
	theme := strings.Replace(string(builtin), "\ntitle: Children who are victims of domestic abuse\n", "\ntitle: "+revised+"\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "domestic-abuse-2024.yaml"), []byte(theme), 0o600); err != nil {
		t.Fatal(err)
	}
	env := sqliteEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	addrs := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
		OnListen: func(a string) { addrs <- a }}
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--json", "--themes", dir}) }()
	var addr string
	select {
	case addr = <-addrs:
	case code := <-done:
		t.Fatalf("demo exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("demo did not start")
	}
	var doc struct {
		InspectionID int64 `json:"inspection_id"`
		Logins       []struct{ Email, Password, Role string }
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("demo --json: %v %q", err, out.String())
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	base := "http://" + addr
	for _, l := range doc.Logins {
		if l.Role == "partnership-coordinator" {
			resp, err := client.PostForm(base+"/sign-in", url.Values{"email": {l.Email}, "password": {l.Password}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	resp, err := client.Get(base + "/inspections/" + strconv.FormatInt(doc.InspectionID, 10))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), revised) {
		t.Errorf("inspection page: status %d, want the revised title %q on it", resp.StatusCode, revised)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("demo exit %d: %s", code, errb.String())
	}
}
