package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// createInspection adds an area with LA code 990 and inspection 1 of it,
// notified on the given date.
func createInspection(t *testing.T, env map[string]string, notified string) {
	t.Helper()
	if code, _, e := run(t, env, "", "area", "add", "--name", "Synthshire", "--la-code", "990"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, env, "", "inspection", "create", "--area", "990", "--notified", notified); code != 0 {
		t.Fatal(e)
	}
}

// TestInspectionStatus: the console moves an inspection under the same
// preconditions as the status page, and a closed or withdrawn inspection
// is read-only from the console too.
func TestInspectionStatus(t *testing.T) {
	env := sqliteEnv(t)
	createInspection(t, env, "2026-03-02")
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"1"}, exitUsage, "--to, one of: notified, information-requested"},
		{[]string{"1", "--to", "information-requested"}, 0, "Inspection 1 is now information requested (was notified)."},
		{[]string{"1", "--to", "children-selected"}, exitRejected, "Children are selected by publishing a selection"},
		{[]string{"1", "--to", "withdrawn"}, exitRejected, "Enter why the inspection is withdrawn"},
		{[]string{"1", "--to", "withdrawn", "--reason", "The area asked for a delay"}, 0, "is now withdrawn"},
		{[]string{"1", "--to", "information-requested"}, exitRejected, "withdrawn for good"},
	}
	for _, c := range cases {
		code, out, errOut := run(t, env, "", append([]string{"inspection", "status"}, c.args...)...)
		if code != c.code || !strings.Contains(out+errOut, c.says) {
			t.Errorf("inspection status %s: exit %d, want %d saying %q\n%s%s", strings.Join(c.args, " "), code, c.code, c.says, out, errOut)
		}
	}
	dir := t.TempDir()
	if code, _, e := run(t, env, "", "synth", dir, "--children", "20", "--seed", "4"); code != 0 {
		t.Fatal(e)
	}
	code, out, errOut := run(t, env, "", "import", "1", dir+"/cin-census.xml")
	if code == 0 || !strings.Contains(out+errOut, "This inspection is withdrawn: it can be read but no longer changed") {
		t.Errorf("import into a withdrawn inspection: exit %d\n%s%s", code, out, errOut)
	}
}

// TestInspectionShowOnsiteWeek: the console's timetable has the onsite week
// in calendar week 3 and says when a bank holiday shortens it.
func TestInspectionShowOnsiteWeek(t *testing.T) {
	env := sqliteEnv(t)
	// Christmas 2026: Boxing Day is taken on Monday 28 December and New
	// Year's Day 2027 is a Friday, both in week 3.
	createInspection(t, env, "2026-12-14")
	code, out, errOut := run(t, env, "", "inspection", "show", "1")
	if code != 0 {
		t.Fatalf("inspection show: exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Tue 29 Dec 2026  Onsite fieldwork starts (week 3)",
		"Thu 31 Dec 2026  Onsite fieldwork ends (week 3)",
		"Shortened by bank holidays: Monday 28 December 2026 (Boxing Day, substitute day) and Friday 1 January 2027 (New Year’s Day)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inspection show lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = run(t, env, "", "inspection", "show", "1", "--json")
	var shown struct {
		Timetable []struct {
			ID       string
			Holidays []struct{ Date, Name string }
		}
	}
	if err := json.Unmarshal([]byte(out), &shown); code != 0 || err != nil {
		t.Fatalf("inspection show --json: exit %d, %v\n%s", code, err, errOut)
	}
	for _, d := range shown.Timetable {
		got := fmt.Sprint(d.Holidays)
		want := "[]"
		if d.ID == "onsite-start" || d.ID == "onsite-end" {
			want = "[{2026-12-28 Boxing Day} {2027-01-01 New Year’s Day}]"
		}
		if got != want {
			t.Errorf("inspection show --json: %s has holidays %s, want %s", d.ID, got, want)
		}
	}
}
