package cincensus_test

import (
	"bytes"
	"os"
	"testing"

	"jtai/ingest"
	"jtai/ingest/cincensus"
	"jtai/synth"
)

func FuzzCINXML(f *testing.F) {
	var buf bytes.Buffer
	if _, err := synth.NewArea(synth.AreaOptions{Children: 10, Seed: 2}).WriteCIN(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	fixture, err := os.ReadFile("testdata/census-2023.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add(fixture[:len(fixture)/2])
	f.Add([]byte("<Message><Children><Child><CINdetails></CINdetails></Child></Children></Message>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := ingest.Limits{MaxProblems: 100, MaxRows: 10_000}
		cincensus.Read(bytes.NewReader(data), "census.xml", cincensus.Options{Limits: lim}, func(r ingest.Record) error {
			if r.LAChildID == "" {
				t.Fatal("a record without a child identifier")
			}
			return nil
		})
	})
}

func BenchmarkCINXML100k(b *testing.B) {
	// About two children in three were referred in the year.
	a := synth.NewArea(synth.AreaOptions{Children: 156_000, Seed: 1})
	var buf bytes.Buffer
	episodes, err := a.WriteCIN(&buf)
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		sum, err := cincensus.Read(bytes.NewReader(data), "census.xml", cincensus.Options{}, func(ingest.Record) error { n++; return nil })
		if err != nil || sum.Errors > 0 || n != episodes {
			b.Fatalf("err %v, %d errors, %d of %d episodes", err, sum.Errors, n, episodes)
		}
	}
	b.ReportMetric(float64(episodes)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
