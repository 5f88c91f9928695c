package calendar

import (
	"testing"
	"time"

	"jtai"
)

func TestPreparingOn(t *testing.T) {
	tests := []struct {
		today, want jtai.Date
		why         string
	}{
		{day(2026, time.December, 8), day(2026, time.November, 30), "onsite 14-18 December; notified on the 7th it would lose Christmas Day"},
		{day(2026, time.December, 1), day(2026, time.November, 30), "this week's Monday, onsite 14-18 December"},
		{day(2026, time.December, 16), day(2026, time.December, 7), "every choice has Christmas in the way: onsite 21-24 December loses one day, 29-31 December two"},
		{day(2026, time.December, 24), day(2026, time.December, 21), "onsite 4-8 January loses no day, 29-31 December would lose two"},
		{day(2026, time.December, 27), day(2026, time.December, 21), "a Sunday, still in week 1"},
		{day(2026, time.December, 29), day(2026, time.December, 21), "Monday 28 December is Boxing Day, taken"},
		{day(2027, time.January, 5), day(2027, time.January, 4), "onsite 18-22 January"},
		{day(2027, time.January, 12), day(2027, time.January, 11), "this week's Monday, the latest with no holiday in the way"},
		{day(2026, time.March, 25), day(2026, time.March, 16), "both lose a day of onsite (Good Friday, Easter Monday); the 16th has fewer holidays in all"},
		{day(2026, time.April, 1), day(2026, time.March, 30), "Good Friday and Easter Monday in weeks 1-2, onsite 13-17 April whole"},
		{day(2026, time.April, 7), day(2026, time.March, 30), "Easter Monday is not a notification date"},
		{day(2026, time.April, 14), day(2026, time.April, 13), "onsite 27 April to 1 May"},
		{day(2022, time.January, 4), day(2021, time.December, 20), "Monday 3 January and Monday 27 December are both bank holidays: the latest working Monday"},
	}
	for _, tt := range tests {
		got, err := PreparingOn(tt.today, DefaultSteps())
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(tt.want.Time) {
			t.Errorf("today %s %s: notified %s %s, want %s %s (%s)", tt.today.Weekday(), tt.today.Long(), got.Weekday(), got.Long(), tt.want.Weekday(), tt.want.Long(), tt.why)
		}
	}
}

// For every day of 2024 to 2028, checked with GOV.UK's dates: the Monday
// chosen is a notification date, today is in its weeks 1-2, and a bank
// holiday is in the way only when it is in the way of every other Monday
// that would do. Only when this week's Monday and last week's are both bank
// holidays is today past week 2.
func TestPreparingOnEveryDay(t *testing.T) {
	govuk := govukDays(t)
	// inWay counts GOV.UK's holidays from notified m to the Friday of week 3.
	inWay := func(m jtai.Date) int {
		n := 0
		for i := range 19 {
			if govuk[addDays(m, i).String()] {
				n++
			}
		}
		return n
	}
	for today := day(2024, time.January, 1); today.Year() <= 2028; today = addDays(today, 1) {
		m, err := PreparingOn(today, DefaultSteps())
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckNotification(m); err != nil {
			t.Fatalf("today %s: %v", today, err)
		}
		if today.Before(m.Time) || !today.Before(addDays(m, 14).Time) {
			if this := mondayOf(today); !govuk[this.String()] || !govuk[addDays(this, -7).String()] {
				t.Errorf("today %s is not in weeks 1-2 of notification %s", today, m)
			}
			continue
		}
		if inWay(m) == 0 {
			continue
		}
		for _, other := range []jtai.Date{addDays(m, 7), addDays(m, -7)} {
			if !today.Before(other.Time) && today.Before(addDays(other, 14).Time) && !govuk[other.String()] && inWay(other) == 0 {
				t.Errorf("today %s: notified %s with %d holidays in the way, %s has none", today, m, inWay(m), other)
			}
		}
	}
}
