package calendar

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"jtai"
	_ "time/tzdata" // the test needs Europe/London on any machine
)

// govukEvent is one event of GOV.UK's bank-holidays.json.
type govukEvent struct {
	Title string `json:"title"`
	Date  string `json:"date"`
	Notes string `json:"notes"`
}

// readGOVUK reads the expected holidays, by year.
func readGOVUK(t *testing.T) map[int][]govukEvent {
	t.Helper()
	b, err := os.ReadFile("testdata/bank-holidays-england-and-wales.json")
	if err != nil {
		t.Fatal(err)
	}
	var division struct {
		Division string       `json:"division"`
		Events   []govukEvent `json:"events"`
	}
	if err := json.Unmarshal(b, &division); err != nil {
		t.Fatal(err)
	}
	if division.Division != "england-and-wales" {
		t.Fatalf("division = %q, want england-and-wales", division.Division)
	}
	byYear := make(map[int][]govukEvent)
	for _, e := range division.Events {
		d, err := jtai.ParseDate(e.Date)
		if err != nil {
			t.Fatal(err)
		}
		byYear[d.Year()] = append(byYear[d.Year()], e)
	}
	return byYear
}

func TestBankHolidaysMatchGOVUK(t *testing.T) {
	want := readGOVUK(t)
	for year := 2015; year <= 2030; year++ {
		if len(want[year]) == 0 {
			t.Fatalf("testdata has no holidays for %d", year)
		}
		got := BankHolidays(year)
		if len(got) != len(want[year]) {
			t.Errorf("%d: %d holidays, want %d:\n got %v\nwant %v", year, len(got), len(want[year]), got, want[year])
			continue
		}
		for i, w := range want[year] {
			g := govukEvent{Title: got[i].Name, Date: got[i].Date.String()}
			if got[i].Substitute {
				g.Notes = "Substitute day"
			}
			if g != w {
				t.Errorf("%d holiday %d = %+v, want %+v", year, i+1, g, w)
			}
		}
	}
}

func TestIsBankHolidayMatchesGOVUK(t *testing.T) {
	want := make(map[string]bool)
	for _, events := range readGOVUK(t) {
		for _, e := range events {
			want[e.Date] = true
		}
	}
	for d := jtai.NewDate(2015, time.January, 1); d.Year() <= 2030; d = addDays(d, 1) {
		if got := IsBankHoliday(d); got != want[d.String()] {
			t.Errorf("IsBankHoliday(%s) = %v, want %v", d, got, !got)
		}
	}
}

func TestSubstituteDays(t *testing.T) {
	tests := []struct {
		name       string
		date       jtai.Date
		holiday    string
		substitute bool
	}{
		// 2021: Christmas on Saturday, Boxing Day on Sunday.
		{"Christmas 2021, a Saturday", jtai.NewDate(2021, time.December, 25), "", false},
		{"Boxing Day 2021, a Sunday", jtai.NewDate(2021, time.December, 26), "", false},
		{"Christmas 2021 taken on Monday", jtai.NewDate(2021, time.December, 27), christmas, true},
		{"Boxing Day 2021 taken on Tuesday", jtai.NewDate(2021, time.December, 28), boxingDay, true},
		// 2022: Christmas on Sunday; Boxing Day keeps its Monday.
		{"Boxing Day 2022 on its own Monday", jtai.NewDate(2022, time.December, 26), boxingDay, false},
		{"Christmas 2022 taken on Tuesday", jtai.NewDate(2022, time.December, 27), christmas, true},
		// 2020: Boxing Day on Saturday.
		{"Boxing Day 2020 taken on Monday", jtai.NewDate(2020, time.December, 28), boxingDay, true},
		// New Year's Day on Saturday (2022) and on Sunday (2017).
		{"New Year 2022 taken on Monday 3rd", jtai.NewDate(2022, time.January, 3), newYear, true},
		{"New Year 2017 taken on Monday 2nd", jtai.NewDate(2017, time.January, 2), newYear, true},
		{"New Year 2000 after the millennium Friday", jtai.NewDate(2000, time.January, 3), newYear, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := HolidayOn(tt.date)
			if tt.holiday == "" {
				if ok {
					t.Errorf("HolidayOn(%s) = %+v, want no holiday: the day off is the substitute", tt.date, h)
				}
				return
			}
			if !ok || h.Name != tt.holiday || h.Substitute != tt.substitute {
				t.Errorf("HolidayOn(%s) = %+v, %v; want %s (substitute %v)", tt.date, h, ok, tt.holiday, tt.substitute)
			}
		})
	}
}

func TestEaster(t *testing.T) {
	// Easter Day in known years, including the earliest and latest dates
	// Easter can fall on (22 March, 25 April).
	tests := []struct {
		year  int
		month time.Month
		day   int
	}{
		{1818, time.March, 22},
		{1900, time.April, 15},
		{1943, time.April, 25},
		{1961, time.April, 2},
		{2000, time.April, 23},
		{2008, time.March, 23},
		{2011, time.April, 24},
		{2019, time.April, 21},
		{2024, time.March, 31},
		{2025, time.April, 20},
		{2038, time.April, 25},
		{2285, time.March, 22},
		{2400, time.April, 16},
	}
	for _, tt := range tests {
		want := jtai.NewDate(tt.year, tt.month, tt.day)
		if got := easterSunday(tt.year); !got.Equal(want.Time) {
			t.Errorf("Easter %d = %s, want %s", tt.year, got, want)
		}
		if !IsBankHoliday(addDays(want, -2)) || !IsBankHoliday(addDays(want, 1)) {
			t.Errorf("Good Friday and Easter Monday %d are not both bank holidays", tt.year)
		}
	}
}

func TestOneOffChanges(t *testing.T) {
	tests := []struct {
		date jtai.Date
		want bool
	}{
		{jtai.NewDate(1999, time.December, 31), true},  // millennium
		{jtai.NewDate(2002, time.May, 27), false},      // spring moved...
		{jtai.NewDate(2002, time.June, 3), true},       // Golden Jubilee
		{jtai.NewDate(2002, time.June, 4), true},       // ...to Tuesday
		{jtai.NewDate(2011, time.April, 29), true},     // royal wedding
		{jtai.NewDate(2012, time.May, 28), false},      // spring moved...
		{jtai.NewDate(2012, time.June, 4), true},       // ...to Monday 4 June
		{jtai.NewDate(2012, time.June, 5), true},       // Diamond Jubilee
		{jtai.NewDate(2020, time.May, 4), false},       // early May moved...
		{jtai.NewDate(2020, time.May, 8), true},        // ...to VE day
		{jtai.NewDate(2022, time.May, 30), false},      // spring moved...
		{jtai.NewDate(2022, time.June, 2), true},       // ...to Thursday
		{jtai.NewDate(2022, time.June, 3), true},       // Platinum Jubilee
		{jtai.NewDate(2022, time.September, 19), true}, // state funeral
		{jtai.NewDate(2023, time.May, 1), true},        // early May kept
		{jtai.NewDate(2023, time.May, 8), true},        // coronation
		{jtai.NewDate(2024, time.May, 6), true},        // back to the rules
	}
	for _, tt := range tests {
		if got := IsBankHoliday(tt.date); got != tt.want {
			t.Errorf("IsBankHoliday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestFarYears(t *testing.T) {
	for _, year := range []int{-500, 1, 1583, 1752, 1900, 2100, 2400, 9999, 123456} {
		hs := BankHolidays(year)
		if len(hs) != 8 {
			t.Errorf("%d: %d holidays, want 8: %v", year, len(hs), hs)
		}
		for i, h := range hs {
			if h.Date.Year() != year || !isWeekday(h.Date) {
				t.Errorf("%d: holiday %s (%s) is not a weekday of the year", year, h.Date, h.Name)
			}
			if i > 0 && !hs[i-1].Date.Before(h.Date.Time) {
				t.Errorf("%d: holidays out of order: %s then %s", year, hs[i-1].Date, h.Date)
			}
		}
	}
	// 2400 repeats 2000's weekdays: New Year's Day on a Saturday.
	if h, ok := HolidayOn(jtai.NewDate(2400, time.January, 3)); !ok || !h.Substitute {
		t.Errorf("3 January 2400 = %+v, %v; want New Year's Day, substitute day", h, ok)
	}
	if !IsBankHoliday(jtai.NewDate(1900, time.January, 1)) {
		t.Error("1 January 1900, a Monday, is not a bank holiday")
	}
}

func TestBankHolidaysReturnsACopy(t *testing.T) {
	hs := BankHolidays(2024)
	hs[0].Name = "changed"
	if BankHolidays(2024)[0].Name != newYear {
		t.Error("changing the returned slice changed the cached year")
	}
}

func TestHolidayOnIgnoresTimeOfDay(t *testing.T) {
	london, err := time.LoadLocation("Europe/London") // embedded by time/tzdata
	if err != nil {
		t.Fatal(err)
	}
	d := jtai.Date{Time: time.Date(2024, time.April, 1, 23, 30, 0, 0, london)}
	if !IsBankHoliday(d) || IsWorkingDay(d) {
		t.Errorf("Easter Monday 2024 late in the evening, London time, is not counted as a bank holiday")
	}
}

func TestBankHolidaysConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for year := 3000; year < 3100; year++ {
				if n := len(BankHolidays(year + g%2)); n != 8 {
					t.Errorf("%d: %d holidays", year, n)
				}
			}
		})
	}
	wg.Wait()
}
