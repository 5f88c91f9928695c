package calendar

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"jtai"
)

// onsiteCase is one line of testdata/onsite-weeks.txt.
type onsiteCase struct {
	line                  int
	notified, first, last jtai.Date
	holidays              []jtai.Date
}

func readOnsiteWeeks(t *testing.T) []onsiteCase {
	t.Helper()
	f, err := os.Open("testdata/onsite-weeks.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parse := func(line int, s string) jtai.Date {
		d, err := jtai.ParseDate(s)
		if err != nil {
			t.Fatalf("onsite-weeks.txt line %d: %v", line, err)
		}
		return d
	}
	var cases []onsiteCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) != 4 {
			t.Fatalf("onsite-weeks.txt line %d has %d fields, want 4", n, len(fields))
		}
		c := onsiteCase{line: n, notified: parse(n, fields[0]), first: parse(n, fields[1]), last: parse(n, fields[2])}
		if fields[3] != "-" {
			for _, h := range strings.Split(fields[3], ",") {
				c.holidays = append(c.holidays, parse(n, h))
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// govukDays is the set of GOV.UK's bank holiday dates, 2015 to 2030.
func govukDays(t *testing.T) map[string]bool {
	t.Helper()
	days := map[string]bool{}
	for _, events := range readGOVUK(t) {
		for _, e := range events {
			days[e.Date] = true
		}
	}
	return days
}

// The onsite week is calendar week 3 whatever bank holidays weeks 1 and 2
// hold, and a bank holiday inside it shortens it, for notification Mondays
// before Easter, the May bank holidays and Christmas, 2024 to 2028.
func TestOnsiteWeekAroundBankHolidays(t *testing.T) {
	govuk := govukDays(t)
	cases := readOnsiteWeeks(t)
	if len(cases) < 40 {
		t.Fatalf("onsite-weeks.txt has %d cases", len(cases))
	}
	years := map[int]bool{}
	for _, c := range cases {
		years[c.notified.Year()] = true
		if err := CheckNotification(c.notified); err != nil {
			t.Errorf("line %d: %s is not a notification date: %v", c.line, c.notified, err)
		}
		for _, h := range c.holidays {
			if !govuk[h.String()] {
				t.Errorf("line %d: %s is not a bank holiday on GOV.UK", c.line, h)
			}
		}
		got, err := Timetable(c.notified, DefaultSteps())
		if err != nil {
			t.Fatal(err)
		}
		start, last := OnsiteWeek(got)
		if !start.Equal(c.first.Time) || !last.Equal(c.last.Time) {
			t.Errorf("line %d: notified %s, onsite %s %s to %s %s, want %s %s to %s %s", c.line, c.notified,
				start.Weekday(), start.Long(), last.Weekday(), last.Long(), c.first.Weekday(), c.first.Long(), c.last.Weekday(), c.last.Long())
		}
		for _, d := range got {
			if d.ID != StepOnsiteStart && d.ID != StepOnsiteEnd {
				if len(d.Holidays) > 0 {
					t.Errorf("line %d: step %s, counted in working days, has holidays %v", c.line, d.ID, d.Holidays)
				}
				continue
			}
			var hs []string
			for _, h := range d.Holidays {
				hs = append(hs, h.Date.String())
			}
			var want []string
			for _, h := range c.holidays {
				want = append(want, h.String())
			}
			if strings.Join(hs, ",") != strings.Join(want, ",") {
				t.Errorf("line %d: %s shortened by %v, want %v", c.line, d.ID, hs, want)
			}
			if (d.Shortened() == "") != (len(want) == 0) {
				t.Errorf("line %d: %s says %q with holidays %v", c.line, d.ID, d.Shortened(), want)
			}
		}
	}
	for y := 2024; y <= 2028; y++ {
		if !years[y] {
			t.Errorf("onsite-weeks.txt has no notification in %d", y)
		}
	}
}

// naiveWorkingDays counts n working days after d one day at a time, with
// GOV.UK's dates for the bank holidays.
func naiveWorkingDays(d jtai.Date, n int, holidays map[string]bool) jtai.Date {
	for n > 0 {
		d = addDays(d, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !holidays[d.String()] {
			n--
		}
	}
	return d
}

// Every default deadline, for every notification Monday of 2024 to 2028,
// against a plain count with GOV.UK's dates: onsite in calendar week 3,
// the other steps in working days.
func TestTimetableMatchesGOVUK(t *testing.T) {
	govuk := govukDays(t)
	steps := DefaultSteps()
	for m := jtai.NewDate(2024, time.January, 1); m.Year() <= 2028; m = addDays(m, 7) {
		if govuk[m.String()] {
			continue
		}
		want := map[string]jtai.Date{}
		var weekThree []jtai.Date
		for n := 14; n <= 18; n++ {
			if d := addDays(m, n); !govuk[d.String()] {
				weekThree = append(weekThree, d)
			}
		}
		for _, s := range steps { // each counts from a step before it
			switch {
			case s.ID == StepOnsiteStart:
				want[s.ID] = weekThree[0]
			case s.ID == StepOnsiteEnd:
				want[s.ID] = weekThree[len(weekThree)-1]
			case s.From == "":
				want[s.ID] = naiveWorkingDays(m, s.WorkingDays, govuk)
			default:
				want[s.ID] = naiveWorkingDays(want[s.From], s.WorkingDays, govuk)
			}
		}
		got, err := Timetable(m, steps)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range got {
			if !d.Date.Equal(want[d.ID].Time) {
				t.Errorf("notified %s: %s = %s %s, want %s %s", m, d.ID, d.Date.Weekday(), d.Date.Long(), want[d.ID].Weekday(), want[d.ID].Long())
			}
		}
	}
}

func TestShortenedSaysWhichHolidays(t *testing.T) {
	tests := []struct {
		notified jtai.Date
		want     string
	}{
		{day(2024, time.March, 18), "Shortened by a bank holiday: Monday 1 April 2024 (Easter Monday)"},
		{day(2026, time.December, 14), "Shortened by bank holidays: Monday 28 December 2026 (Boxing Day, substitute day) and Friday 1 January 2027 (New Year’s Day)"},
		{day(2024, time.February, 12), ""},
	}
	for _, tt := range tests {
		got, err := Timetable(tt.notified, DefaultSteps())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range got {
			if d.ID == StepOnsiteStart {
				if s := d.Shortened(); s != tt.want {
					t.Errorf("notified %s: %q, want %q", tt.notified, s, tt.want)
				}
			}
		}
	}
}
