package jtai_test

import (
	"strings"
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

func TestCheckMove(t *testing.T) {
	mon := jtai.NewDate(2026, 3, 16)
	fri := jtai.NewDate(2026, 3, 20)
	week := func(m jtai.Move) jtai.Move { m.OnsiteStart, m.OnsiteLast = mon, fri; return m }
	cases := []struct {
		name string
		from jtai.Status
		move jtai.Move
		st   jtai.Standing
		want string // the error kind, "" for allowed
		says string
	}{
		{"children selected from the status page", jtai.StatusInformationRequested, jtai.Move{To: jtai.StatusChildrenSelected}, jtai.Standing{}, jtai.ECONFLICT, "publishing a selection"},
		{"children selected by publishing", jtai.StatusInformationRequested, jtai.Move{To: jtai.StatusChildrenSelected, Via: jtai.ViaSelection}, jtai.Standing{}, "", ""},
		{"audits returned, all in", jtai.StatusChildrenSelected, jtai.Move{To: jtai.StatusAuditsReturned}, jtai.Standing{Selected: true, Parts: 7, PartsIn: 7}, "", ""},
		{"audits returned, one of seven in", jtai.StatusChildrenSelected, jtai.Move{To: jtai.StatusAuditsReturned}, jtai.Standing{Selected: true, Parts: 7, PartsIn: 1}, jtai.EINVALID, "1 of 7 parts of the joint audits is in"},
		{"audits returned, one of seven in, with a reason", jtai.StatusChildrenSelected, jtai.Move{To: jtai.StatusAuditsReturned, Reason: "Health could not take part"}, jtai.Standing{Selected: true, Parts: 7, PartsIn: 1}, "", ""},
		{"audits returned by the last part", jtai.StatusChildrenSelected, jtai.Move{To: jtai.StatusAuditsReturned, Via: jtai.ViaAudits}, jtai.Standing{Selected: true, Parts: 7, PartsIn: 7}, "", ""},
		{"onsite before the week", jtai.StatusAuditsReturned, week(jtai.Move{To: jtai.StatusOnsite}), jtai.Standing{Today: jtai.NewDate(2026, 3, 13)}, jtai.ECONFLICT, "16 March 2026 to 20 March 2026"},
		{"onsite in the week", jtai.StatusAuditsReturned, week(jtai.Move{To: jtai.StatusOnsite}), jtai.Standing{Today: jtai.NewDate(2026, 3, 18)}, "", ""},
		{"onsite after the week", jtai.StatusAuditsReturned, week(jtai.Move{To: jtai.StatusOnsite}), jtai.Standing{Today: jtai.NewDate(2026, 3, 23)}, jtai.ECONFLICT, "only then"},
		{"onsite with no timetable", jtai.StatusAuditsReturned, jtai.Move{To: jtai.StatusOnsite}, jtai.Standing{Today: mon}, jtai.ECONFLICT, "no onsite week"},
		{"published from the status page", jtai.StatusFactualAccuracy, jtai.Move{To: jtai.StatusPublished}, jtai.Standing{}, jtai.ECONFLICT, "publication step"},
		{"published by the letter", jtai.StatusFactualAccuracy, jtai.Move{To: jtai.StatusPublished, Via: jtai.ViaPublication}, jtai.Standing{}, "", ""},
		{"withdrawn onsite", jtai.StatusOnsite, jtai.Move{To: jtai.StatusWithdrawn, Reason: "x"}, jtai.Standing{}, jtai.ECONFLICT, "cannot become withdrawn"},
		{"withdrawn without a reason", jtai.StatusChildrenSelected, jtai.Move{To: jtai.StatusWithdrawn}, jtai.Standing{}, jtai.EINVALID, "Enter why"},
		{"closed is for good", jtai.StatusClosed, jtai.Move{To: jtai.StatusDrafting}, jtai.Standing{}, jtai.ECONFLICT, "closed for good"},
	}
	for _, c := range cases {
		err := jtai.CheckMove(c.from, c.move, c.st)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want allowed", c.name, err)
			}
			continue
		}
		msg := jtai.ErrorMessage(err)
		if fe := jtai.ErrorFields(err); len(fe) > 0 {
			msg = fe[0].Message
		}
		if !jtai.IsKind(err, c.want) || !strings.Contains(msg, c.says) {
			t.Errorf("%s: %v (%q), want %s saying %q", c.name, err, msg, c.want, c.says)
		}
	}
}

func TestWritable(t *testing.T) {
	for _, s := range jtai.Statuses {
		err := jtai.CheckWritable(s)
		if ended := s == jtai.StatusClosed || s == jtai.StatusWithdrawn; ended != (err != nil) || ended != s.Ended() {
			t.Errorf("%s: writable %v, ended %v", s, err, s.Ended())
		}
	}
}
