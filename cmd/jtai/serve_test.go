package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
	d := startDemo(t, sqliteEnv(t), "--themes", dir)
	defer d.stop()
	client := d.signIn(t, "partnership-coordinator")
	if body := d.get(t, client, "/inspections/"+strconv.FormatInt(d.out.InspectionID, 10)); !strings.Contains(body, revised) {
		t.Errorf("inspection page: want the revised title %q on it", revised)
	}
}

// A server reachable beyond this machine must be told its public address:
// links in messages are made from it, never from a request's Host header.
func TestServeNeedsPublicURLBeyondLoopback(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "--public-url is needed when jtai listens on 0.0.0.0:0"},
		{[]string{"--addr", ":0"}, "--public-url is needed"},
		{[]string{"--addr", "127.0.0.1:0", "--public-url", "jtai.example.org"}, `--public-url "jtai.example.org": write the address`},
		{[]string{"--addr", "127.0.0.1:0", "--public-url", "ftp://jtai.example.org"}, "write the address people reach jtai at"},
	} {
		env := sqliteEnv(t)
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
			OnListen: func(string) { t.Errorf("serve %v listened", tt.args) }}
		code := m.Run(context.Background(), append([]string{"serve"}, tt.args...))
		if code != exitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("serve %v: exit %d, %q, want %q", tt.args, code, errb.String(), tt.want)
		}
	}
}
