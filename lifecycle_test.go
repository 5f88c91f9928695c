package jtai_test

import (
	"testing"

	"jtai"
)

func TestTransitions(t *testing.T) {
	allowed := map[[2]jtai.Status]bool{}
	forward := []jtai.Status{jtai.StatusNotified, jtai.StatusInformationRequested, jtai.StatusChildrenSelected, jtai.StatusAuditsReturned,
		jtai.StatusOnsite, jtai.StatusDrafting, jtai.StatusFactualAccuracy, jtai.StatusPublished, jtai.StatusActionStatementDue, jtai.StatusClosed}
	for i := 0; i+1 < len(forward); i++ {
		allowed[[2]jtai.Status{forward[i], forward[i+1]}] = true
	}
	for _, s := range forward[:4] {
		allowed[[2]jtai.Status{s, jtai.StatusWithdrawn}] = true
	}
	allowed[[2]jtai.Status{jtai.StatusFactualAccuracy, jtai.StatusDrafting}] = true
	for _, from := range jtai.Statuses {
		for _, to := range jtai.Statuses {
			err := jtai.CheckTransition(from, to, "the area asked for a delay")
			if ok := allowed[[2]jtai.Status{from, to}]; ok != (err == nil) {
				t.Errorf("%s -> %s: allowed %v, got %v", from, to, ok, err)
			} else if !ok && !jtai.IsKind(err, jtai.ECONFLICT) {
				t.Errorf("%s -> %s: %v, want a conflict", from, to, err)
			}
		}
	}
	if err := jtai.CheckTransition(jtai.StatusNotified, jtai.StatusWithdrawn, "  "); !jtai.IsKind(err, jtai.EINVALID) {
		t.Errorf("withdrawal without a reason: %v", err)
	}
	if err := jtai.CheckTransition(jtai.StatusNotified, "nonsense", ""); !jtai.IsKind(err, jtai.EINVALID) {
		t.Errorf("unknown state: %v", err)
	}
}

func TestReached(t *testing.T) {
	cases := []struct {
		now, past jtai.Status
		want      bool
	}{
		{jtai.StatusOnsite, jtai.StatusChildrenSelected, true},
		{jtai.StatusChildrenSelected, jtai.StatusOnsite, false},
		{jtai.StatusClosed, jtai.StatusPublished, true},
		{jtai.StatusWithdrawn, jtai.StatusNotified, true},
		{jtai.StatusWithdrawn, jtai.StatusChildrenSelected, false},
	}
	for _, c := range cases {
		if got := c.now.Reached(c.past); got != c.want {
			t.Errorf("%s reached %s = %v, want %v", c.now, c.past, got, c.want)
		}
	}
}
