package selection_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"jtai"
	"jtai/screen"
	"jtai/selection"
	"jtai/synth"
	"jtai/theme"
	"jtai/theme/themetest"
)

func domesticAbuse(t testing.TB) *theme.Theme {
	t.Helper()
	return themetest.Builtin(t, "domestic-abuse-2024")
}

var notified = jtai.NewDate(2026, 3, 2)

// screening makes a screening of n invented results from seed, with every
// outcome, stage, band, signal and agency mixed.
func screening(seed uint64, n int) *screen.Screening {
	r := rand.New(rand.NewPCG(seed, 1))
	outcomes := []screen.Outcome{screen.InScope, screen.InScope, screen.OutOfScope, screen.NeedsReview}
	bands := []string{"unborn", "0-2", "3-4", "5-7"}
	signals := []string{"unborn", "da-indicator:cin-factor-3A", "da-indicator:cin-factor-3B", "da-indicator:police-notification", "da-indicator:marac"}
	s := &screen.Screening{}
	for i := range n {
		res := screen.Result{ChildID: int64(1000 + i*3), Outcome: outcomes[r.IntN(len(outcomes))], AgeBand: bands[r.IntN(len(bands))],
			Stage: jtai.Stages[r.IntN(len(jtai.Stages))]}
		for range 1 + r.IntN(2) {
			res.Signals = append(res.Signals, signals[r.IntN(len(signals))])
		}
		for range 1 + r.IntN(3) {
			res.Agencies = append(res.Agencies, jtai.AgencyKinds[r.IntN(len(jtai.AgencyKinds))])
		}
		s.Results = append(s.Results, res)
	}
	return s
}

// check asserts the properties every selection has, and returns it.
func check(t *testing.T, th *theme.Theme, s *screen.Screening, req selection.Request) *selection.Result {
	t.Helper()
	res, err := selection.Select(th, s, req)
	if err != nil {
		t.Fatal(err)
	}
	inScope := map[int64]*screen.Result{}
	for i := range s.Results {
		if s.Results[i].Outcome == screen.InScope {
			inScope[s.Results[i].ChildID] = &s.Results[i]
		}
	}
	// Size: what was asked, or all that are in scope.
	wantTracking := min(req.CaseTracking, len(inScope))
	wantSample := min(req.CaseSample, len(inScope)-wantTracking)
	sel := res.Selection
	if sel.Count(jtai.CaseTracking) != wantTracking || sel.Count(jtai.CaseSample) != wantSample {
		t.Errorf("asked %+v of %d in scope: got %d tracked, %d sampled", req, len(inScope), sel.Count(jtai.CaseTracking), sel.Count(jtai.CaseSample))
	}
	if (wantTracking < req.CaseTracking || wantSample < req.CaseSample) != (res.Shortfall != "") {
		t.Errorf("shortfall message %q for %+v of %d in scope", res.Shortfall, req, len(inScope))
	}
	// Never an out-of-scope child, never one twice, always a reason.
	seen := map[int64]bool{}
	for _, c := range sel.Children {
		if inScope[c.ChildID] == nil {
			t.Errorf("child %d picked but not in scope", c.ChildID)
		}
		if seen[c.ChildID] {
			t.Errorf("child %d picked twice", c.ChildID)
		}
		seen[c.ChildID] = true
		if c.Reason == "" {
			t.Errorf("child %d picked without a reason", c.ChildID)
		}
		// In words, not the strata's codes.
		for _, code := range []string{"=", "childrens-social-care", "da-indicator", "-in-", "age-band"} {
			if strings.Contains(c.Reason, code) {
				t.Errorf("child %d: the reason %q holds %q", c.ChildID, c.Reason, code)
			}
		}
	}
	// Strata: the tracked children cover as many stratum values as they
	// can, up to all the values of the children in scope.
	all, tracked := map[string]bool{}, map[string]bool{}
	for _, r := range inScope {
		for _, v := range strataOf(r) {
			all[v] = true
		}
	}
	for _, c := range sel.Children {
		if c.Kind == jtai.CaseTracking {
			for _, v := range strataOf(inScope[c.ChildID]) {
				tracked[v] = true
			}
		}
	}
	if len(tracked) < min(wantTracking, len(all)) {
		t.Errorf("%d tracked children cover %d of %d stratum values", wantTracking, len(tracked), len(all))
	}
	// Determinism: the same seed gives the same selection, whatever the
	// order of the screening.
	shuffled := &screen.Screening{Results: append([]screen.Result(nil), s.Results...)}
	rand.New(rand.NewPCG(req.Seed+7, 3)).Shuffle(len(shuffled.Results), func(i, j int) {
		shuffled.Results[i], shuffled.Results[j] = shuffled.Results[j], shuffled.Results[i]
	})
	again, err := selection.Select(th, shuffled, req)
	if err != nil || !reflect.DeepEqual(again.Selection, res.Selection) {
		t.Errorf("seed %d: a second run differs", req.Seed)
	}
	return res
}

func strataOf(r *screen.Result) []string {
	out := []string{"stage=" + selection.StageValue(r.Stage), "age-band=" + r.AgeBand}
	for _, s := range r.Signals {
		out = append(out, "signal="+s)
	}
	for _, a := range r.Agencies {
		out = append(out, "agencies="+string(a))
	}
	return out
}

func TestSelectionProperties(t *testing.T) {
	th := domesticAbuse(t)
	for _, c := range []struct {
		children int
		req      selection.Request
	}{
		{400, selection.Defaults(th, 1)},
		{400, selection.Defaults(th, 2)},
		{30, selection.Request{Seed: 3, CaseTracking: 7, CaseSample: 25}},
		{0, selection.Request{Seed: 4, CaseTracking: 7, CaseSample: 25}},
		{5, selection.Request{Seed: 5, CaseTracking: 7, CaseSample: 0}},
		{2000, selection.Request{Seed: 6, CaseTracking: 40, CaseSample: 200}},
	} {
		check(t, th, screening(c.req.Seed, c.children), c.req)
	}
}

func TestDifferentSeedsDiffer(t *testing.T) {
	th := domesticAbuse(t)
	s := screening(9, 500)
	a, _ := selection.Select(th, s, selection.Defaults(th, 1))
	b, _ := selection.Select(th, s, selection.Defaults(th, 2))
	if reflect.DeepEqual(a.Selection.Children, b.Selection.Children) {
		t.Error("seeds 1 and 2 chose the same children")
	}
}

func TestAskedForMoreThanInScope(t *testing.T) {
	th := domesticAbuse(t)
	s := &screen.Screening{Results: []screen.Result{
		{ChildID: 1, Outcome: screen.InScope, AgeBand: "0-2"},
		{ChildID: 2, Outcome: screen.InScope, AgeBand: "3-4"},
		{ChildID: 3, Outcome: screen.InScope, AgeBand: "5-7"},
		{ChildID: 4, Outcome: screen.OutOfScope},
		{ChildID: 5, Outcome: screen.NeedsReview},
	}}
	res := check(t, th, s, selection.Defaults(th, 1))
	for _, want := range []string{"only 3 children are in scope", "3 to track and 0 in the sample", "at least 5"} {
		if !strings.Contains(res.Shortfall, want) {
			t.Errorf("shortfall %q does not say %q", res.Shortfall, want)
		}
	}
	if _, err := selection.Select(th, s, selection.Request{CaseTracking: -1}); !jtai.IsKind(err, jtai.EINVALID) {
		t.Errorf("negative size: %v", err)
	}
}

// The demo's invented children: every age band and stage in scope is
// among the tracked children.
func TestSyntheticChildren(t *testing.T) {
	th := domesticAbuse(t)
	kids := synth.New(42).Children(2000, notified)
	for i, k := range kids {
		k.ID = int64(i + 1)
	}
	s := screen.Children(th, notified, kids)
	res := check(t, th, s, selection.Defaults(th, 42))
	if s.Count(screen.InScope) < 32 || res.Shortfall != "" {
		t.Fatalf("%d in scope; shortfall %q", s.Count(screen.InScope), res.Shortfall)
	}
}

func FuzzSelect(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(7), uint8(25))
	f.Add(uint64(2), uint16(3), uint8(7), uint8(25))
	f.Add(uint64(3), uint16(0), uint8(0), uint8(0))
	f.Add(uint64(4), uint16(1000), uint8(200), uint8(255))
	th := domesticAbuse(f)
	f.Fuzz(func(t *testing.T, seed uint64, n uint16, tracking, sample uint8) {
		check(t, th, screening(seed, int(n%3000)), selection.Request{Seed: seed, CaseTracking: int(tracking), CaseSample: int(sample)})
	})
}
