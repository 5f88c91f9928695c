package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"jtai"
)

// retention run lists what is due on a dry run, and erases it on a run,
// months after the inspection ended.
func TestRetentionCommand(t *testing.T) {
	env := sqliteEnv(t)
	createInspection(t, env, "2026-03-02")
	if code, out, errs := run(t, env, "", "retention", "run", "--dry-run"); code != 0 || !strings.Contains(out, "No closed or withdrawn inspection holds personal data") {
		t.Fatalf("nothing ended: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, env, "", "inspection", "status", "1", "--to", "withdrawn", "--reason", "The area asked for a delay"); code != 0 {
		t.Fatal(errs)
	}
	if code, out, _ := run(t, env, "", "retention", "run"); code != 0 || !strings.Contains(out, "Later: inspection 1") {
		t.Errorf("just withdrawn: %d %q", code, out)
	}
	months := 7
	later := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] },
			Clock: jtai.FixedClock{T: time.Now().AddDate(0, months, 0)}}
		return m.Run(context.Background(), args), out.String() + errb.String()
	}
	// Seven months on, past the six, but no one was told: warned now, not
	// erased until the warning's 20 working days have run.
	if code, out := later("retention", "run", "--dry-run"); code != 0 || !strings.Contains(out, "Due for a warning now (dry run): inspection 1") {
		t.Errorf("seven months on, dry run: %d %q", code, out)
	}
	if code, out := later("retention", "run"); code != 0 || !strings.Contains(out, "Warned: inspection 1") || strings.Contains(out, "Erased") {
		t.Errorf("seven months on: %d %q", code, out)
	}
	months = 9
	if code, out := later("retention", "run"); code != 0 || !strings.Contains(out, "Erased: inspection 1") {
		t.Errorf("nine months on: %d %q", code, out)
	}
	if code, out := later("retention", "run", "--json"); code != 0 || !strings.Contains(out, `"erased": []`) {
		t.Errorf("again: %d %q", code, out)
	}
	if code, out := later("inspection", "show", "1"); code != 0 || !strings.Contains(out, "Personal data erased on") {
		t.Errorf("the inspection after erasure: %d %q", code, out)
	}
}
