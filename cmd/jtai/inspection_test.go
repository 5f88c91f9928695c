package main

import (
	"strings"
	"testing"
)

// TestInspectionStatus: the console moves an inspection under the same
// preconditions as the status page, and a closed or withdrawn inspection
// is read-only from the console too.
func TestInspectionStatus(t *testing.T) {
	env := sqliteEnv(t)
	if code, _, e := run(t, env, "", "area", "add", "--name", "Synthshire", "--la-code", "990"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, env, "", "inspection", "create", "--area", "990", "--notified", "2026-03-02"); code != 0 {
		t.Fatal(e)
	}
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
