package synth_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jtai/ingest"
	"jtai/ingest/annexa"
	"jtai/ingest/cincensus"
	"jtai/ingest/danotify"
	"jtai/synth"
)

// readAny reads one written file with the parser for its kind.
func readAny(t *testing.T, dir string, f synth.ManifestFile, emit func(ingest.Record) error) (*ingest.Summary, error) {
	t.Helper()
	path := filepath.Join(dir, f.Name)
	switch f.Kind {
	case synth.FileAnnexAWorkbook, synth.FileAnnexACSV:
		return annexa.ReadFile(path, annexa.Options{}, emit)
	case synth.FileCINXML:
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return cincensus.Read(r, f.Name, cincensus.Options{}, emit)
	case synth.FileDACSV:
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return danotify.ReadCSV(r, f.Name, danotify.Options{}, emit)
	case synth.FileDAWorkbook:
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return danotify.ReadWorkbook(strings.NewReader(string(data)), int64(len(data)), f.Name, danotify.Options{}, emit)
	}
	t.Fatalf("unknown kind %q", f.Kind)
	return nil, nil
}

func TestAreaFilesReadBackWithoutErrors(t *testing.T) {
	dir := t.TempDir()
	m, err := synth.WriteAreaFiles(dir, synth.AreaOptions{Children: 600, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range synth.NewArea(synth.AreaOptions{Children: 600, Seed: 7}).Children() {
		ids[c.LAChildID] = true
	}
	var da, daChildren, cpv, teen, assessed, daFactor int
	for _, f := range m.Files {
		var recs []ingest.Record
		sum, err := readAny(t, dir, f, func(r ingest.Record) error { recs = append(recs, r); return nil })
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if sum.Errors > 0 {
			t.Errorf("%s: %d errors, first %+v", f.Name, sum.Errors, sum.Problems[0])
		}
		// Exports carry two columns no list has; nothing else is warned about.
		wantWarnings := 0
		if f.Style == synth.StyleExport {
			wantWarnings = 2 * 9
		}
		if sum.Warnings != wantWarnings {
			t.Errorf("%s: %d warnings, want %d: %v", f.Name, sum.Warnings, wantWarnings, sum.Problems)
		}
		if len(recs) != f.Rows {
			t.Errorf("%s: read %d records, wrote %d rows", f.Name, len(recs), f.Rows)
		}
		for _, r := range recs {
			if !ids[r.LAChildID] {
				t.Fatalf("%s: child %s is not one of the area's", f.Name, r.LAChildID)
			}
			if r.DateOfBirth.IsZero() && r.ExpectedDateOfBirth.IsZero() && f.Kind != synth.FileAnnexAWorkbook && f.Kind != synth.FileAnnexACSV {
				t.Errorf("%s row %d: no date of birth nor expected date", f.Name, r.Source.Row)
			}
		}
		switch f.Kind {
		case synth.FileDACSV:
			da = len(recs)
			seen := map[string]bool{}
			for _, r := range recs {
				seen[r.LAChildID] = true
				switch r.AbuseType {
				case ingest.AbuseChildToParent:
					cpv++
				case ingest.AbuseTeenageRelationship:
					teen++
				}
			}
			daChildren = len(seen)
		case synth.FileCINXML:
			for _, r := range recs {
				if r.AssessmentAuthDate.IsZero() {
					continue
				}
				assessed++
				for _, f := range r.AssessmentFactors {
					if f == "3A" || f == "3B" || f == "3C" {
						daFactor++
						break
					}
				}
			}
		}
	}
	if share := float64(daFactor) / float64(assessed); share < 0.25 || share > 0.45 {
		t.Errorf("domestic abuse on %.0f%% of authorised assessments, want about a third", 100*share)
	}
	if share := float64(daChildren) / 600; share < 0.15 || share > 0.40 {
		t.Errorf("%.0f%% of children have a police notification, want about a quarter", 100*share)
	}
	if cpv == 0 || teen == 0 || da < daChildren {
		t.Errorf("notifications %d, child-to-parent %d, teenage relationship %d", da, cpv, teen)
	}
}

func TestFaultyFilesRaiseTheirFault(t *testing.T) {
	dir := t.TempDir()
	m, err := synth.WriteAreaFiles(dir, synth.AreaOptions{Children: 40, Seed: 3, Faults: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range m.Files {
		if f.Fault == "" {
			continue
		}
		n++
		if !strings.HasPrefix(filepath.Base(f.Name), f.Fault) {
			t.Errorf("%s is not named for its fault %s", f.Name, f.Fault)
		}
		sum, err := readAny(t, dir, f, func(ingest.Record) error { return nil })
		var rej *ingest.RejectError
		switch {
		case errors.As(err, &rej):
			if rej.Problem.Rule != f.Fault {
				t.Errorf("%s: rejected for %s (%s), want %s", f.Name, rej.Problem.Rule, rej.Problem.Message, f.Fault)
			}
		case err != nil:
			t.Errorf("%s: %v", f.Name, err)
		case sum.ByRule[f.Fault] == 0:
			t.Errorf("%s: no %s problem among %v", f.Name, f.Fault, sum.Problems)
		}
	}
	if n < 10 {
		t.Errorf("%d faulty files, want at least 10", n)
	}
}

func TestSameSeedSameFiles(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := synth.WriteAreaFiles(d, synth.AreaOptions{Children: 50, Seed: 11}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"cin-census.xml", "csv/annex-a-list-1.csv", "da-notifications.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if string(x) != string(y) || len(x) == 0 {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
}
