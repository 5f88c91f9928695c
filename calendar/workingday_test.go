package calendar

import (
	"testing"
	"time"

	"jtai"
)

func day(y int, m time.Month, d int) jtai.Date { return jtai.NewDate(y, m, d) }

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		date jtai.Date
		want bool
	}{
		{day(2024, time.March, 28), true},  // Thursday before Easter
		{day(2024, time.March, 29), false}, // Good Friday
		{day(2024, time.March, 30), false}, // Saturday
		{day(2024, time.March, 31), false}, // Sunday
		{day(2024, time.April, 1), false},  // Easter Monday
		{day(2024, time.April, 2), true},
		{day(2021, time.December, 25), false}, // Saturday
		{day(2021, time.December, 27), false}, // substitute for Christmas
	}
	for _, tt := range tests {
		if got := IsWorkingDay(tt.date); got != tt.want {
			t.Errorf("IsWorkingDay(%s, a %s) = %v, want %v", tt.date, tt.date.Weekday(), got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		name string
		from jtai.Date
		n    int
		want jtai.Date
	}{
		{"Easter weekend", day(2024, time.March, 28), 1, day(2024, time.April, 2)},
		{"Easter weekend, back", day(2024, time.April, 2), -1, day(2024, time.March, 28)},
		{"from Good Friday", day(2024, time.March, 29), 1, day(2024, time.April, 2)},
		{"back from Easter Monday", day(2024, time.April, 1), -1, day(2024, time.March, 28)},
		{"Christmas 2021 at a weekend", day(2021, time.December, 24), 1, day(2021, time.December, 29)},
		{"over Christmas and New Year 2021-22", day(2021, time.December, 24), 4, day(2022, time.January, 4)},
		{"back over New Year 2022", day(2022, time.January, 4), -2, day(2021, time.December, 30)},
		{"Saturday forward", day(2024, time.February, 10), 1, day(2024, time.February, 12)},
		{"Saturday back", day(2024, time.February, 10), -1, day(2024, time.February, 9)},
		{"Saturday before Easter Monday", day(2024, time.March, 30), 1, day(2024, time.April, 2)},
		{"zero keeps the day", day(2024, time.February, 10), 0, day(2024, time.February, 10)},
		{"a whole year", day(2024, time.January, 2), 254, day(2025, time.January, 2)},
		{"a whole year back", day(2025, time.January, 2), -254, day(2024, time.January, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddWorkingDays(tt.from, tt.n); !got.Equal(tt.want.Time) {
				t.Errorf("AddWorkingDays(%s, %d) = %s (%s), want %s (%s)",
					tt.from, tt.n, got, got.Weekday(), tt.want, tt.want.Weekday())
			}
		})
	}
}

// stepWorkingDays is AddWorkingDays the slow, obvious way, to check the fast
// one against.
func stepWorkingDays(d jtai.Date, n int) jtai.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = addDays(d, step)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

func TestAddWorkingDaysAgreesWithStepping(t *testing.T) {
	for d := day(2019, time.November, 1); d.Before(day(2023, time.February, 1).Time); d = addDays(d, 1) {
		for n := -40; n <= 40; n++ {
			want := stepWorkingDays(d, n)
			if got := AddWorkingDays(d, n); !got.Equal(want.Time) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", d, n, got, want)
			}
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	tests := []struct {
		a, b jtai.Date
		want int
	}{
		{day(2024, time.February, 12), day(2024, time.March, 1), 14},
		{day(2024, time.March, 1), day(2024, time.February, 12), -14},
		{day(2024, time.March, 28), day(2024, time.April, 2), 1},
		{day(2024, time.April, 2), day(2024, time.March, 28), -1},
		{day(2024, time.March, 28), day(2024, time.March, 28), 0},
		{day(2021, time.December, 24), day(2022, time.January, 4), 4},
		{day(2024, time.January, 1), day(2024, time.December, 31), 254}, // 262 weekdays, 8 holidays
	}
	for _, tt := range tests {
		if got := WorkingDaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestWorkingDaysBetweenAgreesWithCounting(t *testing.T) {
	a := day(2021, time.December, 18)
	for b := addDays(a, -60); b.Before(addDays(a, 60).Time); b = addDays(b, 1) {
		want := 0
		for d := addDays(a, 1); !d.After(b.Time); d = addDays(d, 1) {
			if IsWorkingDay(d) {
				want++
			}
		}
		for d := b; d.Before(a.Time); d = addDays(d, 1) {
			if IsWorkingDay(d) {
				want--
			}
		}
		if got := WorkingDaysBetween(a, b); got != want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", a, b, got, want)
		}
	}
}

func FuzzAddWorkingDays(f *testing.F) {
	f.Add(0, 1)
	f.Add(8854, 10)   // 2024-03-28, over Easter
	f.Add(8032, -3)   // 2021-12-28, back over Christmas
	f.Add(-36524, 70) // 1900
	f.Add(146097, -5) // 2400
	f.Fuzz(func(t *testing.T, offset, n int) {
		// Keep to about 550 years either side of 2000 and 20 years of
		// working days: far enough to cross centuries, quick enough to fuzz.
		d := addDays(day(2000, time.January, 1), offset%200_000)
		n %= 5_000
		got := AddWorkingDays(d, n)
		if n != 0 && !IsWorkingDay(got) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, a %s that is not a working day", d, n, got, got.Weekday())
		}
		if n == 0 && !got.Equal(d.Time) {
			t.Fatalf("AddWorkingDays(%s, 0) = %s, want the same day", d, got)
		}
		if between := WorkingDaysBetween(d, got); between != n {
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%[1]s, %d) = %s) = %d", d, n, got, between)
		}
		if IsWorkingDay(d) {
			if back := AddWorkingDays(got, -n); !back.Equal(d.Time) {
				t.Fatalf("AddWorkingDays(AddWorkingDays(%s, %d) = %s, %d) = %s, want %[1]s", d, n, got, -n, back)
			}
		}
	})
}
