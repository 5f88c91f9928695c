package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/crypt"
	"jtai/screen"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme"
)

// seedDemo makes the demo in the environment's database, through the same
// key file the commands use.
func seedDemo(t *testing.T, env map[string]string) *synth.Demo {
	t.Helper()
	if code, _, errs := run(t, env, "", "migrate"); code != exitOK {
		t.Fatalf("migrate: %s", errs)
	}
	db := openEnv(t, env)
	defer db.Close()
	d, err := synth.SeedDemo(context.Background(), db, synth.DemoOptions{Children: 300, NotifiedOn: jtai.NewDate(2026, 3, 2),
		Hash: func(string) (string, error) { return "x", nil }, Password: auth.NewPassword})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestScreenAndSampleCommands(t *testing.T) {
	env := sqliteEnv(t)
	d := seedDemo(t, env)
	id := fmt.Sprint(d.Inspection.ID)

	code, out, errs := run(t, env, "", "screen", id)
	if code != exitOK || !strings.Contains(out, "300 children:") || !strings.Contains(out, "age-over-7-at-notification") {
		t.Fatalf("screen: exit %d\n%s%s", code, out, errs)
	}
	// Counts only, unless every child is asked for.
	code, out, _ = run(t, env, "", "screen", "--json", id)
	if code != exitOK || strings.Contains(out, `"results"`) || strings.Contains(out, `"la_child_id"`) || !strings.Contains(out, `"counts"`) {
		t.Errorf("screen --json without --list: exit %d, %.300s", code, out)
	}
	code, out, _ = run(t, env, "", "screen", "--json", "--list", id)
	var screened struct {
		Counts  map[string]int `json:"counts"`
		Results []struct {
			Outcome string   `json:"outcome"`
			Reasons []string `json:"reasons"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &screened); err != nil || code != exitOK || len(screened.Results) != 300 {
		t.Fatalf("screen --json: exit %d, %v", code, err)
	}
	if screened.Counts["in-scope"]+screened.Counts["out-of-scope"]+screened.Counts["needs-review"] != 300 {
		t.Errorf("counts %v do not add up to 300", screened.Counts)
	}

	// Flags after the argument; the same seed, the same children.
	_, first, _ := run(t, env, "", "sample", id, "--seed", "7", "--json")
	_, again, _ := run(t, env, "", "sample", "--json", "--seed=7", id)
	if first != again || !strings.Contains(first, `"reason"`) {
		t.Errorf("seed 7 twice differs or gives no reasons:\n%s\n%s", first, again)
	}
	code, _, errs = run(t, env, "", "sample", id, "--tracking", "5000")
	if code != exitOK || !strings.Contains(errs, "The largest selection possible") {
		t.Errorf("too many asked: exit %d, %q", code, errs)
	}
	code, out, errs = run(t, env, "", "sample", id, "--seed", "7", "--save")
	if code != exitOK || !strings.Contains(out, "children-selected") {
		t.Fatalf("sample --save: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = run(t, env, "", "sample", id, "--save")
	if code != exitRejected || !strings.Contains(errs, "already selected") {
		t.Errorf("second save: exit %d, %q", code, errs)
	}
	if code, _, _ := run(t, env, "", "screen", "nope"); code != exitUsage {
		t.Errorf("screen nope: exit %d", code)
	}
}

// openEnv opens the SQLite database of a test's environment with the key
// file beside it.
func openEnv(t *testing.T, env map[string]string) *store.DB {
	t.Helper()
	master, err := crypt.LoadKeyFile(filepath.Join(filepath.Dir(env["JTAI_DB"]), "jtai.key"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Location{Path: env["JTAI_DB"]}, master, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// The console's screening counts the inspectors' decisions, as the pages do.
func TestScreenFollowsDecisions(t *testing.T) {
	env := sqliteEnv(t)
	d := seedDemo(t, env)
	db := openEnv(t, env)
	reg, err := theme.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db.SetScreener(screen.Themes{Registry: reg})
	ctx := context.Background()
	if err := db.Rescreen(ctx, d.Inspection.ID, nil); err != nil {
		t.Fatal(err)
	}
	st, err := db.OpenScreening(ctx, storetest.Grant(t, d.Inspection.ID, authz.ScreenChildren))
	if err != nil {
		t.Fatal(err)
	}
	k, err := screen.Open(st.Result)
	if err != nil {
		t.Fatal(err)
	}
	var child int64
	for _, r := range k.Results {
		if r.Outcome == screen.NeedsReview {
			child = r.ChildID
			break
		}
	}
	if child == 0 {
		t.Fatal("no child in needs review")
	}
	if err := db.DecideScreening(ctx, d.Inspection.ID, []jtai.ScreeningDecision{{ChildID: child, In: true, Reason: "Seen at the incident"}}, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := run(t, env, "", "screen", "--json", "--list", fmt.Sprint(d.Inspection.ID))
	var screened struct {
		Results []screen.Result `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &screened); err != nil || code != exitOK {
		t.Fatalf("screen --json: exit %d, %v\n%s", code, err, errs)
	}
	for _, r := range screened.Results {
		if r.ChildID == child && (r.Outcome != screen.InScope || r.Reasons[0] != screen.ReasonDecidedIn) {
			t.Errorf("the decided child: %+v", r)
		}
	}
}
