package calendar_test

import (
	"testing"

	"jtai"
	"jtai/calendar"
)

func TestTrack(t *testing.T) {
	notified := jtai.NewDate(2026, 3, 2)
	tt, err := calendar.Timetable(notified, calendar.DefaultSteps())
	if err != nil {
		t.Fatal(err)
	}
	states := func(status jtai.Status, today jtai.Date) map[string]calendar.State {
		m := map[string]calendar.State{}
		for _, p := range calendar.Track(tt, status, today) {
			m[p.ID] = p.State
		}
		return m
	}
	// Day 5, lists requested but children not yet selected: the lists and
	// selection were due on day 3 (overdue), the audits are due.
	s := states(jtai.StatusInformationRequested, jtai.NewDate(2026, 3, 9))
	want := map[string]calendar.State{
		calendar.StepNotification: calendar.Done, calendar.StepListsSupplied: calendar.Overdue,
		calendar.StepChildrenSelected: calendar.Overdue, calendar.StepAuditsReturned: calendar.Due,
	}
	for id, w := range want {
		if s[id] != w {
			t.Errorf("%s: %s, want %s", id, s[id], w)
		}
	}
	s = states(jtai.StatusOnsite, jtai.NewDate(2026, 3, 16))
	if s[calendar.StepChildrenSelected] != calendar.Done || s[calendar.StepOnsiteStart] != calendar.Done || s[calendar.StepOnsiteEnd] != calendar.Due {
		t.Errorf("onsite: %v", s)
	}
	s = states(jtai.StatusWithdrawn, jtai.NewDate(2026, 3, 16))
	if s[calendar.StepNotification] != calendar.Done || s[calendar.StepAuditsReturned] != calendar.Cancelled {
		t.Errorf("withdrawn: %v", s)
	}
}
