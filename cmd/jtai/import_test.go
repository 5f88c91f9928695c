package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSynthThenImport(t *testing.T) {
	env := sqliteEnv(t)
	dir := t.TempDir()
	code, out, errOut := run(t, env, "", "synth", dir, "--children", "300", "--seed", "4", "--faults", "--json")
	if code != 0 {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	var man struct {
		Children int
		Files    []struct{ Name, Fault string }
	}
	if err := json.Unmarshal([]byte(out), &man); err != nil || man.Children != 300 || len(man.Files) < 10 {
		t.Fatalf("synth manifest %v: %s", err, out)
	}
	if code, _, e := run(t, env, "", "area", "add", "--name", "Synthshire", "--la-code", "990"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, env, "", "inspection", "create", "--area", "990", "--notified", "2026-03-02"); code != 0 {
		t.Fatal(e)
	}
	path := func(name string) string { return filepath.Join(dir, name) }

	// A broken file among good ones: exit 3, the place named, nothing lands.
	code, out, _ = run(t, env, "", "import", "1", path("annex-a.xlsx"), path("faults/date-invalid-list-3.csv"))
	if code != 3 || !strings.Contains(out, "date-invalid-list-3.csv: error: Row 2, 'Date of Birth'") {
		t.Fatalf("broken import: exit %d\n%s", code, out)
	}
	if _, out, _ := run(t, env, "", "inspection", "show", "1"); !strings.Contains(out, "0 children on the lists") {
		t.Errorf("a refused import left children:\n%s", out)
	}

	// Dry run: checks, writes nothing.
	if code, out, _ := run(t, env, "", "import", "1", path("cin-census.xml"), "--dry-run"); code != 0 || !strings.Contains(out, "nothing written") || !strings.Contains(out, "(reference date 31 March 2025)") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}

	// Another area's census is refused: its children are not this area's.
	other := t.TempDir()
	if code, _, e := run(t, env, "", "synth", other, "--children", "20", "--la-code", "380"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, env, "", "synth", other, "--la-code", "38"); code != 2 || !strings.Contains(e, "--la-code must be three digits") {
		t.Errorf("synth --la-code 38: exit %d %s", code, e)
	}
	code, out, _ = run(t, env, "", "import", "1", filepath.Join(other, "cin-census.xml"))
	if code != 3 || !strings.Contains(out, "cin-census.xml: error: The census is local authority 380's, not Synthshire's (990): it is another area's children") {
		t.Fatalf("another area's census: exit %d\n%s", code, out)
	}

	// The good files land; --json lists each list and every problem.
	code, out, errOut = run(t, env, "", "import", "1", path("annex-a.xlsx"), path("cin-census.xml"), path("da-notifications.csv"), "--json")
	if code != 0 {
		t.Fatalf("import: exit %d %s\n%s", code, errOut, out)
	}
	var res struct {
		Landed   bool
		Children int
		Lists    []struct {
			List string
			Rows int
		}
		Summary struct{ Problems []struct{ Rule string } }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Landed || res.Children != 300 || len(res.Lists) < 10 {
		t.Fatalf("import result %v: %s", err, out)
	}
	if _, out, _ := run(t, env, "", "inspection", "show", "1"); !strings.Contains(out, "300 children on the lists") {
		t.Errorf("after the import:\n%s", out)
	}

	// Every fault that must stop an import does, with exit 3.
	for _, f := range man.Files {
		if f.Fault == "" {
			continue
		}
		if code, out, _ := run(t, env, "", "import", "1", path(f.Name)); code != 3 || !strings.Contains(out, f.Fault) {
			t.Errorf("%s: exit %d, want 3 naming %s\n%s", f.Name, code, f.Fault, out)
		}
	}
	// A child twice in a one-row-per-child list: the file, the row and the
	// column are named.
	code, out, _ = run(t, env, "", "import", "1", path("faults/duplicate-id-list-7.csv"))
	if code != 3 || !regexp.MustCompile(`duplicate-id-list-7\.csv: error: Row \d+, 'Child Unique ID': the same child is on row \d+; List 7 has one row per child`).MatchString(out) {
		t.Errorf("duplicate child: exit %d\n%s", code, out)
	}
	// The same workbook again changes nothing, and says so.
	if code, out, _ := run(t, env, "", "import", "1", path("annex-a.xlsx")); code != 0 || !strings.Contains(out, "No changes:") {
		t.Errorf("the same workbook again: exit %d\n%s", code, out)
	}
	// A list 3 of one child would take nearly all of list 3's children off
	// it: refused until --replace confirms it.
	one := filepath.Join(t.TempDir(), "List 3.csv")
	if err := os.WriteFile(one, []byte("Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral\nSYN-ONE,Male,WBRI,14/03/2019,6,02/02/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, env, "", "import", "1", one); code != 3 || !strings.Contains(out, "Annex A list 3 (referrals): ") || !strings.Contains(out, "would leave it") || !strings.Contains(errOut, "--replace") {
		t.Errorf("most of list 3 leaving: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := run(t, env, "", "import", "1", one, "--replace"); code != 0 || !regexp.MustCompile(`\d+ children left the list`).MatchString(out) {
		t.Errorf("with --replace: exit %d\n%s", code, out)
	}
	// A dry run's JSON has no zero timestamps.
	if code, out, _ := run(t, env, "", "import", "1", one, "--dry-run", "--json"); code != 0 || strings.Contains(out, "0001-01-01") {
		t.Errorf("dry run JSON: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, env, "", "import", "1"); code != 2 {
		t.Errorf("import without files: exit %d, want 2", code)
	}
}

// Every list the files held is in the import's summary, a list with no rows
// too; the same files again say "No changes" and nothing else changed.
func TestImportSummaryNamesEveryList(t *testing.T) {
	env := sqliteEnv(t)
	dir := t.TempDir()
	if code, _, e := run(t, env, "", "synth", dir, "--children", "20", "--seed", "4"); code != 0 {
		t.Fatal(e)
	}
	createInspection(t, env, "2026-03-02")
	workbook := filepath.Join(dir, "annex-a.xlsx")
	code, out, e := run(t, env, "", "import", "1", workbook)
	if code != 0 {
		t.Fatalf("import: exit %d %s\n%s", code, e, out)
	}
	empty := regexp.MustCompile(`warning: (Annex A list \d+ \([^)]*\)) has no rows`).FindAllStringSubmatch(out, -1)
	if len(empty) == 0 {
		t.Fatalf("the synthetic workbook has no empty list to test with:\n%s", out)
	}
	for _, m := range empty {
		if !regexp.MustCompile(regexp.QuoteMeta(m[1]) + `\s+0 rows \(no rows, so not imported\)`).MatchString(out) {
			t.Errorf("the summary leaves out %s:\n%s", m[1], out)
		}
	}
	if !regexp.MustCompile(`Annex A list 1 \(contacts\)\s+20 rows`).MatchString(out) {
		t.Errorf("the summary lacks list 1's rows:\n%s", out)
	}
	_, again, _ := run(t, env, "", "import", "1", workbook)
	if !strings.Contains(again, "No changes:") || strings.Contains(again, "records changed") {
		t.Errorf("the same workbook again:\n%s", again)
	}
}
