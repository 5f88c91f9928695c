package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jtai"
	"jtai/store"
	"jtai/store/storetest"
)

// run runs the program as the shell would and returns its exit status and
// output.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func sqliteEnv(t *testing.T) map[string]string {
	dir := t.TempDir()
	return map[string]string{"JTAI_DB": filepath.Join(dir, "jtai.db"), "USER": "tester"}
}

func TestUsageAndExitCodes(t *testing.T) {
	env := sqliteEnv(t)
	for _, tt := range []struct {
		args []string
		code int
		want string // in stdout or stderr
	}{
		{[]string{}, exitUsage, "Usage: jtai COMMAND"},
		{[]string{"nonsense"}, exitUsage, `unknown command "nonsense"`},
		{[]string{"version"}, exitOK, "jtai dev"},
		{[]string{"user", "list", "--help"}, exitOK, "--db"},
		{[]string{"user", "--help"}, exitOK, "jtai user add --help"},
		{[]string{"user", "list", "--no-such-flag"}, exitUsage, "unknown flag"},
		{[]string{"user", "frobnicate"}, exitUsage, `unknown "frobnicate"`},
		{[]string{"user", "add", "--role", "bogus"}, exitRejected, "--email: Enter an email address"},
		{[]string{"user", "list", "--db", "mysql://h/db"}, exitUsage, "not supported"},
		{[]string{"user", "list", "--db", "postgres://u@localhost:5432/"}, exitUsage, "no database name"},
		{[]string{"inspection", "create", "--area", "990", "--notified", "2026-03-03"}, exitRejected, "3 March 2026 is a Tuesday"},
		{[]string{"inspection", "show", "nope"}, exitUsage, "not an inspection id"},
		{[]string{"inspection", "show", "999"}, exitRejected, "Inspection 999 not found"},
		{[]string{"theme", "show", "no-such-theme"}, exitRejected, "domestic-abuse-2024"},
	} {
		code, out, errs := run(t, env, "", tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("jtai %s: exit %d, want %d; output %q, want it to contain %q", strings.Join(tt.args, " "), code, tt.code, out+errs, tt.want)
		}
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	env := sqliteEnv(t)
	if code, _, errs := run(t, env, "", "area", "add", "--name", "Eastmere", "--la-code", "990"); code != 0 {
		t.Fatalf("area add: %d %s", code, errs)
	}
	if code, _, errs := run(t, env, "", "inspection", "create", "--area", "990", "--notified", "2026-03-02"); code != 0 {
		t.Fatalf("inspection create: %d %s", code, errs)
	}
	_, before, _ := run(t, env, "", "inspection", "show", "--json", "1")
	_, after, _ := run(t, env, "", "inspection", "show", "1", "--json")
	var a, b map[string]any
	if json.Unmarshal([]byte(before), &a) != nil || json.Unmarshal([]byte(after), &b) != nil {
		t.Fatalf("not JSON: %q / %q", before, after)
	}
	if fmt.Sprint(a["timetable"]) != fmt.Sprint(b["timetable"]) || a["timetable"] == nil {
		t.Errorf("--json before and after the argument differ")
	}
	if !strings.Contains(after, `"2026-03-16"`) {
		t.Errorf("timetable lacks the onsite Monday 16 March 2026: %s", after)
	}
}

func TestUserCommands(t *testing.T) {
	env := sqliteEnv(t)
	code, out, errs := run(t, env, "", "user", "add", "--email", "Admin@Example.org", "--name", "Ada", "--role", "administrator", "--json")
	if code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	// No password is made or printed: a single-use set-up link, from the
	// public address, is.
	var added struct {
		Password  string
		SetupLink string `json:"setup_link"`
		User      struct{ Email string }
	}
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Password != "" || added.User.Email != "admin@example.org" ||
		!regexp.MustCompile(`^http://127\.0\.0\.1:8080/account-setup/[A-Za-z0-9_-]{20,}$`).MatchString(added.SetupLink) {
		t.Fatalf("user add --json: %q (%v)", out, err)
	}
	if code, _, _ := run(t, env, "", "user", "add", "--email", "admin@example.org", "--name", "Again", "--role", "administrator"); code != exitRejected {
		t.Errorf("duplicate email: exit %d", code)
	}
	code, out, errs = run(t, env, "", "user", "add", "--email", "b@example.org", "--name", "B", "--role", "administrator", "--public-url", "https://jtai.example.org")
	if code != 0 || !strings.Contains(out, "Set-up link: https://jtai.example.org/account-setup/") || strings.Contains(out, "Password") {
		t.Errorf("user add: exit %d %q %q", code, out, errs)
	}
	if code, _, _ := run(t, env, "", "user", "add", "--email", "c@example.org", "--name", "C", "--role", "administrator", "--password-stdin"); code != exitUsage {
		t.Errorf("--password-stdin, which would make an account whose holder never sets it up: exit %d, want a usage error", code)
	}
	if code, _, _ := run(t, env, "", "user", "disable", "admin@example.org"); code != 0 {
		t.Errorf("disable: %d", code)
	}
	_, out, _ = run(t, env, "", "user", "list")
	if !strings.Contains(out, "disabled") {
		t.Errorf("user list after disable: %q", out)
	}
}

func TestKeyFileProblems(t *testing.T) {
	env := sqliteEnv(t)
	key := filepath.Join(t.TempDir(), "bad.key")
	os.WriteFile(key, []byte("0123456789abcdef\n"), 0o600)
	env["JTAI_KEY_FILE"] = key
	if code, _, errs := run(t, env, "", "user", "list"); code != exitRejected || !strings.Contains(errs, "holds 17 bytes") {
		t.Errorf("short key: exit %d %q", code, errs)
	}
	os.Remove(key)
	if code, _, _ := run(t, nil, "", "key", "generate", key); code != 0 {
		t.Fatal("key generate failed")
	}
	os.Chmod(key, 0o644)
	if code, _, errs := run(t, env, "", "user", "list"); code != exitRejected || !strings.Contains(errs, "chmod 600") {
		t.Errorf("readable key: exit %d %q", code, errs)
	}
}

// audit verify exits non-zero and names the first bad entry after an edit
// made directly in the database.
func TestAuditVerifyCommand(t *testing.T) {
	env := sqliteEnv(t)
	for _, args := range [][]string{
		{"area", "add", "--name", "Eastmere", "--la-code", "990"},
		{"user", "add", "--email", "a@example.org", "--name", "A", "--role", "administrator"},
		{"user", "add", "--email", "b@example.org", "--name", "B", "--role", "administrator"},
		{"user", "disable", "b@example.org"},
	} {
		if code, _, errs := run(t, env, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	if code, out, _ := run(t, env, "", "audit", "verify"); code != 0 || !strings.Contains(out, "5 entries verified") { // each account's creation and its set-up link, and the disabling
		t.Fatalf("verify: %d %q", code, out)
	}
	db := storetest.OpenAt(t, store.Location{Path: env["JTAI_DB"]}, nil)
	for _, q := range []string{`DROP TRIGGER access_log_no_update`, `UPDATE access_log SET actor = 'console:someone-else' WHERE seq = 2`} {
		if _, err := db.RawExec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errs := run(t, env, "", "audit", "verify", "--json")
	if code != exitFailure || !strings.Contains(errs, "broken at entry 2") || !strings.Contains(out, `"first_bad_entry": 2`) {
		t.Errorf("after tampering: exit %d, out %q, err %q", code, out, errs)
	}
}

// A key is never made anew for a database that has been used: a missing
// key file, another key file or a deleted data key is refused by every
// command, and audit verify writes nothing at all.
func TestKeysAreNeverMadeAnew(t *testing.T) {
	env := sqliteEnv(t)
	for _, args := range [][]string{
		{"area", "add", "--name", "Eastmere", "--la-code", "990"},
		{"user", "add", "--email", "a@example.org", "--name", "A", "--role", "administrator"},
	} {
		if code, _, errs := run(t, env, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	sum := func() [32]byte {
		b, err := os.ReadFile(env["JTAI_DB"])
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := sum()
	if code, out, errs := run(t, env, "", "audit", "verify"); code != 0 || !strings.Contains(out, "entries verified") {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	if sum() != before {
		t.Error("audit verify changed the database file")
	}

	keyFile := filepath.Join(filepath.Dir(env["JTAI_DB"]), "jtai.key")
	other := filepath.Join(t.TempDir(), "other.key")
	run(t, nil, "", "key", "generate", other)
	env["JTAI_KEY_FILE"] = other
	if code, _, errs := run(t, env, "", "user", "list"); code == 0 || !strings.Contains(errs, "use the key file it was made with") {
		t.Errorf("another key file: exit %d, %q", code, errs)
	}
	delete(env, "JTAI_KEY_FILE")
	if err := os.Rename(keyFile, keyFile+".away"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"user", "list"}, {"audit", "verify"}, {"area", "list"}} {
		if code, _, errs := run(t, env, "", args...); code == 0 || !strings.Contains(errs, "exists but its key file") {
			t.Errorf("%v without the key file: exit %d, %q", args, code, errs)
		}
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Error("a new key file was made for a database that has data")
	}
	if err := os.Rename(keyFile+".away", keyFile); err != nil {
		t.Fatal(err)
	}

	db := storetest.OpenAt(t, store.Location{Path: env["JTAI_DB"]}, nil)
	if _, err := db.RawExec(context.Background(), `DELETE FROM data_keys WHERE scope = 'audit'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"audit", "verify"}, {"user", "list"}} {
		if code, _, errs := run(t, env, "", args...); code == 0 || !strings.Contains(errs, "audit") {
			t.Errorf("%v with the access log's key deleted: exit %d, %q", args, code, errs)
		}
	}
	db = storetest.OpenAt(t, store.Location{Path: env["JTAI_DB"]}, nil)
	defer db.Close()
	rows, err := db.RawQuery(context.Background(), `SELECT COUNT(*) FROM data_keys WHERE scope = 'audit'`)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for rows.Next() {
		rows.Scan(&n)
	}
	rows.Close()
	if n != 0 {
		t.Errorf("the access log's key was made anew (%d rows)", n)
	}
}

func TestKeyRotateCommand(t *testing.T) {
	env := sqliteEnv(t)
	createInspection(t, env, "2026-03-02")
	next := filepath.Join(t.TempDir(), "next.key")
	run(t, nil, "", "key", "generate", next)
	code, out, errs := run(t, env, "", "key", "rotate", "--new-key-file", next, "--json")
	if code != 0 || !strings.Contains(out, `"rewrapped": 3`) {
		t.Fatalf("rotate: %d %q %q", code, out, errs)
	}
	env["JTAI_KEY_FILE"] = next
	if code, _, errs := run(t, env, "", "audit", "verify"); code != 0 {
		t.Errorf("with the new key: %d %s", code, errs)
	}
}

// demo on a fresh database serves the pages and prints the logins; running
// it twice is safe.
func TestDemo(t *testing.T) {
	env := sqliteEnv(t)
	for range 2 {
		d := startDemo(t, env)
		if body := d.get(t, http.DefaultClient, "/sign-in"); !strings.Contains(body, "Sign in to jtai") {
			t.Errorf("sign-in page: %q", body)
		}
		if len(d.out.Logins) != 5 {
			t.Errorf("demo --json printed %d logins, want 5", len(d.out.Logins))
		}
		d.stop()
	}
	// An account made in the demo's database, by accepting one of its
	// invitations or as "Create an account" does, leaves it the demo's:
	// the demo starts again, and leaves the account alone.
	acceptDemoInvitation(t, env)
	d := startDemo(t, env)
	d.createAccount(t, url.Values{"name": {"Pat Newcome"}, "email": {"pat@health.example"}, "role": {string(jtai.RoleCoordinator)}}, "Eastmere")
	d.stop()
	if d := startDemo(t, env); len(d.out.Logins) != 5 {
		t.Errorf("demo after Create an account: %d logins", len(d.out.Logins))
	} else {
		d.stop()
	}
	if code, _, errs := run(t, env, "", "user", "add", "--email", "someone@police.example", "--name", "Someone", "--role", "administrator"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if d := startDemo(t, env); len(d.out.Logins) != 5 {
		t.Errorf("demo after an account was added: %d logins", len(d.out.Logins))
	} else {
		d.stop()
	}
	if code, out, errs := run(t, env, "", "user", "list"); code != 0 || !strings.Contains(out, "someone@police.example") {
		t.Errorf("the account made in the demo after the demo ran again: exit %d %s%s", code, out, errs)
	}
	// A database with accounts but none of the demo's is someone's real
	// one: refused.
	real := sqliteEnv(t)
	if code, _, errs := run(t, real, "", "user", "add", "--email", "someone@police.example", "--name", "Someone", "--role", "administrator"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if code, _, errs := run(t, real, "", "demo", "--addr", "127.0.0.1:0"); code != exitRejected || !strings.Contains(errs, "someone@police.example") {
		t.Errorf("demo on a database with an account it did not make: exit %d, %q", code, errs)
	}
	// So is one with an area it did not make, whatever its accounts.
	other := sqliteEnv(t)
	if code, _, errs := run(t, other, "", "area", "add", "--name", "Realshire", "--la-code", "201"); code != 0 {
		t.Fatalf("area add: %s", errs)
	}
	if code, _, errs := run(t, other, "", "demo", "--addr", "127.0.0.1:0"); code != exitRejected || !strings.Contains(errs, "LA code 201") {
		t.Errorf("demo on a database with another area: exit %d, %q", code, errs)
	}
	key, err := os.Stat(filepath.Join(filepath.Dir(env["JTAI_DB"]), "jtai.key"))
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Errorf("demo key file: %v %v", key, err)
	}
}

var (
	demoCode  = regexp.MustCompile(`id="demo-code">(\d+)<`)
	csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
)

// createAccount signs in to the demo as its administrator, through the
// pages and the code the demo shows, and makes an account as "Create an
// account" does, for the area of that name.
func (d *runningDemo) createAccount(t *testing.T, account url.Values, area string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) string {
		t.Helper()
		resp, err := client.PostForm(d.base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d\n%s", path, resp.StatusCode, body)
		}
		return string(body)
	}
	for _, l := range d.out.Logins {
		if l.Role != string(jtai.RoleAdministrator) {
			continue
		}
		page := post("/sign-in", url.Values{"email": {l.Email}, "password": {l.Password}})
		code, token := demoCode.FindStringSubmatch(page), csrfField.FindStringSubmatch(page)
		if code == nil || token == nil {
			t.Fatalf("the second factor's page shows no demo code:\n%s", page)
		}
		post("/sign-in/second-factor", url.Values{"code": {code[1]}, "csrf_token": {token[1]}})
		form := d.get(t, client, "/accounts/new")
		token = csrfField.FindStringSubmatch(form)
		id := regexp.MustCompile(`<option value="(\d+)">` + regexp.QuoteMeta(area) + ` \(`).FindStringSubmatch(form)
		if token == nil || id == nil {
			t.Fatalf("Create an account offers no area %s:\n%s", area, form)
		}
		account.Set("csrf_token", token[1])
		account.Set("area", id[1])
		if page := post("/accounts", account); !strings.Contains(page, "Account created") {
			t.Fatalf("Create an account:\n%s", page)
		}
		return
	}
	t.Fatal("the demo printed no administrator's login")
}

// acceptDemoInvitation accepts the first of the demo's invitations, as the
// invitee would through the link.
func acceptDemoInvitation(t *testing.T, env map[string]string) {
	t.Helper()
	db := openEnv(t, env)
	defer db.Close()
	ins, err := db.ListInspections(context.Background(), jtai.InspectionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		invs, err := db.ListInvitations(context.Background(), in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range invs {
			if _, _, err := db.AcceptInvitation(context.Background(), inv.TokenHash, "x", &jtai.AccessEntry{}); err != nil {
				t.Fatalf("accept %s: %v", inv.Email, err)
			}
			return
		}
	}
	t.Fatal("the demo made no invitations")
}

// audit verify checks the log against its signed checkpoints: the last
// entries deleted with the head rewritten pass the chain but not them.
func TestAuditCheckpointCommand(t *testing.T) {
	env := sqliteEnv(t)
	for _, args := range [][]string{
		{"area", "add", "--name", "Eastmere", "--la-code", "990"},
		{"user", "add", "--email", "a@example.org", "--name", "A", "--role", "administrator"},
		{"user", "add", "--email", "b@example.org", "--name", "B", "--role", "administrator"},
	} {
		if code, _, errs := run(t, env, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	if code, out, _ := run(t, env, "", "audit", "verify"); code != 0 || !strings.Contains(out, "No checkpoint has been written yet") {
		t.Errorf("verify before any checkpoint: %d %q", code, out)
	}
	witness := filepath.Join(t.TempDir(), "witness.jsonl")
	if code, out, errs := run(t, env, "", "audit", "checkpoint", "--checkpoint-file", witness); code != 0 || !strings.Contains(out, "at entry 4 written") { // each account's creation and its set-up link
		t.Fatalf("checkpoint: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, env, "", "audit", "verify", "--checkpoint-file", witness); code != 0 || strings.Count(out, "reaches its checkpoint") != 2 {
		t.Errorf("verify with the checkpoints: %d %q", code, out)
	}
	db := storetest.OpenAt(t, store.Location{Path: env["JTAI_DB"]}, nil)
	for _, q := range []string{`DROP TRIGGER access_log_no_delete`, `DELETE FROM access_log WHERE seq >= 2`,
		`UPDATE access_log_head SET seq = 1, hash = (SELECT hash FROM access_log WHERE seq = 1)`} {
		if _, err := db.RawExec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, _, errs := run(t, env, "", "audit", "verify")
	if code != exitFailure || !strings.Contains(errs, "the log ends at entry 1, but reached entry 4 at its checkpoint") {
		t.Errorf("after cutting the tail: exit %d, %q", code, errs)
	}
}
