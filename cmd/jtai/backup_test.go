package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The console round trip: a backup, a restore that needs the key file
// (never in the backup), and a restored database that verifies.
func TestBackupAndRestoreCommands(t *testing.T) {
	env := sqliteEnv(t)
	for _, args := range [][]string{
		{"area", "add", "--name", "Eastmere", "--la-code", "990"},
		{"inspection", "create", "--area", "990", "--notified", "2026-03-02"},
		{"user", "add", "--email", "a@example.org", "--name", "A", "--role", "administrator"},
	} {
		if code, _, errs := run(t, env, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	archive := filepath.Join(t.TempDir(), "jtai.backup")
	code, out, errs := run(t, env, "", "backup", archive)
	if code != 0 || !strings.Contains(out, "Backed up the sqlite database") || !strings.Contains(out, "cannot be restored without it") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, env, "", "backup", archive); code != exitRejected || !strings.Contains(errs, "exists") {
		t.Errorf("backup over a file: %d %q", code, errs)
	}

	target := filepath.Join(t.TempDir(), "restored", "jtai.db")
	if code, _, errs := run(t, map[string]string{"USER": "tester"}, "", "restore", archive, "--db", target); code != exitRejected || !strings.Contains(errs, "The master key is never in a backup") {
		t.Errorf("restore without the key file: %d %q", code, errs)
	}
	key := filepath.Join(filepath.Dir(env["JTAI_DB"]), "jtai.key")
	code, out, errs = run(t, map[string]string{"USER": "tester"}, "", "restore", archive, "--db", target, "--key-file", key)
	if code != 0 || !strings.Contains(out, "entries verified") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	restored := map[string]string{"JTAI_DB": target, "JTAI_KEY_FILE": key, "USER": "tester"}
	if code, out, _ := run(t, restored, "", "user", "list"); code != 0 || !strings.Contains(out, "a@example.org") {
		t.Errorf("accounts after the restore: %d %q", code, out)
	}
	if code, out, _ := run(t, restored, "", "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after the restore: %d %q", code, out)
	}
	if code, _, errs := run(t, restored, "", "restore", archive, "--db", target); code != exitRejected || !strings.Contains(errs, "exists: restore into a new file") {
		t.Errorf("restore over the restored database: %d %q", code, errs)
	}
}
