package selection_test

import (
	"context"
	"testing"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/screen"
	"jtai/selection"
	"jtai/store/storetest"
	"jtai/synth"
)

// BenchmarkScreenAndSelect100k screens and selects 100,000 children read
// from the store, and in the same run times one pass that only reads the
// same children: the target is both together under a second, and no more
// than twice the read alone.
func BenchmarkScreenAndSelect100k(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	db := storetest.Open(b, "sqlite", storetest.MasterKey(b))
	th := domesticAbuse(b)
	area := &jtai.Area{Name: "Benchmark", LACode: "992"}
	if err := db.CreateArea(ctx, area); err != nil {
		b.Fatal(err)
	}
	in := &jtai.Inspection{AreaID: area.ID, ThemeID: th.ID, NotifiedOn: notified}
	if err := db.CreateInspection(ctx, in); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateChildren(ctx, in.ID, synth.New(1).Children(n, notified)); err != nil {
		b.Fatal(err)
	}
	read := func() []*jtai.Child {
		kids, err := db.OpenChildPage(ctx, storetest.Grant(b, in.ID, authz.ListChildren), 0, n)
		if err != nil || len(kids) != n {
			b.Fatalf("read %d children: %v", len(kids), err)
		}
		return kids
	}
	var readOnly, screenOnly, selectOnly, total time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		read()
		readOnly += time.Since(start)

		start = time.Now()
		kids := read()
		mid := time.Now()
		s := screen.Children(th, in.NotifiedOn, kids)
		afterScreen := time.Now()
		res, err := selection.Select(th, s, selection.Defaults(th, 1))
		end := time.Now()
		if err != nil || res.Shortfall != "" {
			b.Fatalf("select: %v %s", err, res.Shortfall)
		}
		screenOnly += afterScreen.Sub(mid)
		selectOnly += end.Sub(afterScreen)
		total += end.Sub(start)
	}
	runs := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / runs }
	b.ReportMetric(ms(readOnly), "read-ms")
	b.ReportMetric(ms(screenOnly), "screen-ms")
	b.ReportMetric(ms(selectOnly), "select-ms")
	b.ReportMetric(ms(total), "read+screen+select-ms")
	b.ReportMetric(float64(total)/float64(readOnly), "ratio-to-read")
}
