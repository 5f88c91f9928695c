package annexa_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"jtai/ingest"
	"jtai/ingest/annexa"
	"jtai/synth"
)

// fuzzLimits keep a fuzzed input cheap: no zip may claim to unzip to much.
var fuzzLimits = ingest.Limits{MaxUnzipped: 8 << 20, MaxUnzippedPart: 1 << 20, MaxRows: 10_000, MaxProblems: 100}

func FuzzAnnexACSV(f *testing.F) {
	a := synth.NewArea(synth.AreaOptions{Children: 12, Seed: 5})
	for _, n := range []int{1, 3, 6, 7, 8} {
		var buf bytes.Buffer
		if _, err := a.WriteAnnexACSV(&buf, n, synth.StyleOfficial); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), true)
	}
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, named bool) {
		name := "upload.csv"
		if named {
			name = "List 3.csv"
		}
		sum, err := annexa.ReadCSV(bytes.NewReader(data), name, annexa.Options{Limits: fuzzLimits}, func(r ingest.Record) error {
			if r.LAChildID == "" {
				t.Fatal("a record without a child identifier")
			}
			return nil
		})
		if err == nil && sum == nil {
			t.Fatal("no summary")
		}
	})
}

func FuzzAnnexAXLSX(f *testing.F) {
	a := synth.NewArea(synth.AreaOptions{Children: 8, Seed: 9})
	for _, style := range []string{synth.StyleOfficial, synth.StyleExport} {
		var buf bytes.Buffer
		if _, err := a.WriteAnnexA(&buf, style); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add(irregularWorkbook(f))
	f.Add([]byte("%PDF-1.4"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		annexa.ReadWorkbook(bytes.NewReader(data), int64(len(data)), "upload.xlsx", annexa.Options{Limits: fuzzLimits}, func(r ingest.Record) error {
			if r.LAChildID == "" {
				t.Fatal("a record without a child identifier")
			}
			return nil
		})
	})
}

func BenchmarkAnnexAXLSX100k(b *testing.B) {
	// About three rows per child over the nine lists.
	a := synth.NewArea(synth.AreaOptions{Children: 33_000, Seed: 1})
	var buf bytes.Buffer
	rows, err := a.WriteAnnexA(&buf, synth.StyleOfficial)
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		sum, err := annexa.ReadWorkbook(bytes.NewReader(data), int64(len(data)), "annex-a.xlsx", annexa.Options{}, func(ingest.Record) error { n++; return nil })
		if err != nil || sum.Errors > 0 || n != rows {
			b.Fatalf("err %v, %d errors, %d of %d rows", err, sum.Errors, n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
