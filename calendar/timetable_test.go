package calendar

import (
	"testing"
	"time"

	"jtai"
)

// dateOf returns the date of the deadline with the given id.
func dateOf(t *testing.T, ds []Deadline, id string) jtai.Date {
	t.Helper()
	for _, d := range ds {
		if d.ID == id {
			return d.Date
		}
	}
	t.Fatalf("no deadline %q", id)
	return jtai.Date{}
}

func TestTimetableFebruary2024(t *testing.T) {
	// Counted by hand on a 2024 calendar: no bank holiday until Good Friday
	// (29 March) and Easter Monday (1 April), then 6 and 27 May.
	want := map[string]jtai.Date{
		StepNotification:        day(2024, time.February, 12), // Monday
		StepListsSupplied:       day(2024, time.February, 13),
		StepDocumentsSupplied:   day(2024, time.February, 15),
		StepChildrenSelected:    day(2024, time.February, 15),
		StepAuditsReturned:      day(2024, time.February, 22),
		StepOnsiteStart:         day(2024, time.February, 26), // Monday of week 3
		StepOnsiteEnd:           day(2024, time.March, 1),     // Friday
		StepDraftLetter:         day(2024, time.March, 22),
		StepAccuracyCorrections: day(2024, time.April, 9), // over Easter
		StepPublication:         day(2024, time.April, 19),
		StepActionStatement:     day(2024, time.July, 30), // over both May holidays
	}
	steps := DefaultSteps()
	got, err := Timetable(day(2024, time.February, 12), steps)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(steps) {
		t.Fatalf("%d deadlines for %d steps", len(got), len(steps))
	}
	for i, d := range got {
		if d.Step != steps[i] {
			t.Errorf("deadline %d is step %+v, want %+v", i+1, d.Step, steps[i])
		}
		if w, ok := want[d.ID]; !ok {
			t.Errorf("unexpected step %q", d.ID)
		} else if !d.Date.Equal(w.Time) {
			t.Errorf("%s (%s) = %s %s, want %s %s", d.ID, d.Label, d.Date.Weekday(), d.Date.Long(), w.Weekday(), w.Long())
		}
	}
}

func TestTimetableLeeds2024(t *testing.T) {
	// Leeds was onsite 4 to 8 March 2024, so notified on Monday 19 February.
	got, err := Timetable(day(2024, time.February, 19), DefaultSteps())
	if err != nil {
		t.Fatal(err)
	}
	if start, end := dateOf(t, got, StepOnsiteStart), dateOf(t, got, StepOnsiteEnd); !start.Equal(day(2024, time.March, 4).Time) || !end.Equal(day(2024, time.March, 8).Time) {
		t.Errorf("onsite %s to %s, want 4 March 2024 to 8 March 2024", start.Long(), end.Long())
	}
}

func TestTimetableThemeOverride(t *testing.T) {
	// A theme that moves the onsite week to week 4 moves its end too, and
	// the steps counting from it.
	steps := DefaultSteps()
	for i := range steps {
		if steps[i].ID == StepOnsiteStart {
			steps[i].Week = 4
		}
	}
	got, err := Timetable(day(2024, time.February, 12), steps)
	if err != nil {
		t.Fatal(err)
	}
	if start, end := OnsiteWeek(got); !start.Equal(day(2024, time.March, 4).Time) || !end.Equal(day(2024, time.March, 8).Time) {
		t.Errorf("onsite %s to %s, want 4 March 2024 to 8 March 2024", start.Long(), end.Long())
	}
	if d := dateOf(t, got, StepDraftLetter); !d.Equal(day(2024, time.April, 2).Time) {
		// 15 working days after Friday 8 March, over Good Friday and
		// Easter Monday.
		t.Errorf("draft letter = %s, want 2 April 2024", d.Long())
	}
}

func TestTimetableStepsMayComeInAnyOrder(t *testing.T) {
	steps := []Step{
		{ID: "b", WorkingDays: 2, From: "a"},
		{ID: "a", WorkingDays: 1},
	}
	got, err := Timetable(day(2024, time.February, 12), steps)
	if err != nil {
		t.Fatal(err)
	}
	if b := dateOf(t, got, "b"); !b.Equal(day(2024, time.February, 15).Time) {
		t.Errorf("b = %s, want 15 February 2024", b.Long())
	}
}

func TestTimetableRefusesBadSteps(t *testing.T) {
	tests := []struct {
		name  string
		steps []Step
	}{
		{"empty id", []Step{{ID: ""}}},
		{"id not kebab-case", []Step{{ID: "Onsite Start"}}},
		{"duplicate id", []Step{{ID: "a"}, {ID: "a"}}},
		{"unknown from", []Step{{ID: "a", From: "b"}}},
		{"counts from itself", []Step{{ID: "a", From: "a"}}},
		{"circle", []Step{{ID: "a", From: "b"}, {ID: "b", From: "c"}, {ID: "c", From: "a"}}},
		{"negative week", []Step{{ID: "a", Week: -1}}},
		{"week and working days", []Step{{ID: "a", Week: 3, WorkingDays: 10}}},
		{"last day with no week", []Step{{ID: "a", LastDay: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Timetable(day(2024, time.February, 12), tt.steps)
			if !jtai.IsKind(err, jtai.EINVALID) {
				t.Fatalf("Timetable = %v, %v; want an %s error", got, err, jtai.EINVALID)
			}
		})
	}
}

func TestDefaultStepsHaveStableIDs(t *testing.T) {
	want := []string{
		"notification", "lists-supplied", "documents-supplied", "children-selected",
		"audits-returned", "onsite-start", "onsite-end", "draft-letter",
		"accuracy-corrections", "publication", "action-statement",
	}
	steps := DefaultSteps()
	if len(steps) != len(want) {
		t.Fatalf("%d default steps, want %d", len(steps), len(want))
	}
	for i, s := range steps {
		if s.ID != want[i] {
			t.Errorf("step %d id = %q, want %q", i+1, s.ID, want[i])
		}
		if s.Label == "" || s.Source == "" {
			t.Errorf("step %q has no label or no source", s.ID)
		}
	}
	steps[0].ID = "changed"
	if DefaultSteps()[0].ID != StepNotification {
		t.Error("changing the returned steps changed the defaults")
	}
}

func BenchmarkTimetable(b *testing.B) {
	steps := DefaultSteps()
	notified := day(2024, time.February, 12)
	for b.Loop() {
		if _, err := Timetable(notified, steps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "timetables/s")
}
