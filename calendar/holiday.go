package calendar

import (
	"slices"
	"sync"
	"time"

	"jtai"
)

// Holiday is one bank holiday in England and Wales: a day off, always a
// weekday. Name is the holiday's title as GOV.UK writes it. Substitute marks
// a day taken instead of a holiday that fell at a weekend (Name is then the
// holiday it stands in for, as in "Christmas Day, substitute day").
type Holiday struct {
	Date       jtai.Date `json:"date"`
	Name       string    `json:"name"`
	Substitute bool      `json:"substitute,omitempty"`
}

// The regular holidays' names, as GOV.UK titles them (with its typographic
// apostrophe).
const (
	newYear   = "New Year’s Day"
	goodFri   = "Good Friday"
	easterMon = "Easter Monday"
	earlyMay  = "Early May bank holiday"
	spring    = "Spring bank holiday"
	summer    = "Summer bank holiday"
	christmas = "Christmas Day"
	boxingDay = "Boxing Day"
)

// change is a one-off change to a year's holidays made by royal
// proclamation. With replaces set, the regular holiday of that name moves to
// this date (and takes Name); otherwise the date is an extra holiday.
type change struct {
	name       string
	month      time.Month
	day        int
	replaces   string
	substitute bool
}

// changes are the one-off changes listed in DOMAIN.md, as proclaimed. From
// 2012 the names are GOV.UK's titles (https://www.gov.uk/bank-holidays.json);
// its feed does not reach back to the earlier ones, so their names are ours.
var changes = map[int][]change{
	1999: {{name: "Millennium bank holiday", month: time.December, day: 31}},
	2002: {
		{name: spring, month: time.June, day: 4, replaces: spring},
		{name: "Queen’s Golden Jubilee", month: time.June, day: 3},
	},
	2011: {{name: "Royal wedding bank holiday", month: time.April, day: 29}},
	2012: {
		// GOV.UK notes the moved spring holiday of 2012 as a substitute day.
		{name: spring, month: time.June, day: 4, replaces: spring, substitute: true},
		{name: "Queen’s Diamond Jubilee", month: time.June, day: 5},
	},
	2020: {{name: "Early May bank holiday (VE day)", month: time.May, day: 8, replaces: earlyMay}},
	2022: {
		{name: spring, month: time.June, day: 2, replaces: spring},
		{name: "Platinum Jubilee bank holiday", month: time.June, day: 3},
		{name: "Bank Holiday for the State Funeral of Queen Elizabeth II", month: time.September, day: 19},
	},
	2023: {{name: "Bank holiday for the coronation of King Charles III", month: time.May, day: 8}},
}

// yearHolidays is one year's holidays, in date order, with their day
// numbers for counting.
type yearHolidays struct {
	list []Holiday
	days []int
}

// years caches each year's holidays once computed: a few hundred bytes for
// each year ever asked about. Keys only ever get added, which is the case
// sync.Map is made for.
var years sync.Map // int -> *yearHolidays

// holidaysOf returns the year's holidays, computing them on first use.
func holidaysOf(year int) *yearHolidays {
	if v, ok := years.Load(year); ok {
		return v.(*yearHolidays)
	}
	list := computeHolidays(year)
	yh := &yearHolidays{list: list, days: make([]int, len(list))}
	for i, h := range list {
		yh.days[i] = dayNumber(h.Date)
	}
	v, _ := years.LoadOrStore(year, yh)
	return v.(*yearHolidays)
}

// BankHolidays returns the bank holidays of England and Wales in year, in
// date order: the days actually taken off, so a holiday that falls at a
// weekend appears as its substitute weekday. Years before the present rules
// (New Year's Day from 1974, early May from 1978) are computed as if the
// present rules had always applied, and one-off changes before 1999 (such as
// 1995's early May holiday moved for VE day) are not applied.
func BankHolidays(year int) []Holiday {
	return slices.Clone(holidaysOf(year).list)
}

// HolidayOn returns the bank holiday taken on d, if d is one.
func HolidayOn(d jtai.Date) (Holiday, bool) {
	yh := holidaysOf(d.Year())
	i := slices.Index(yh.days, dayNumber(d))
	if i < 0 {
		return Holiday{}, false
	}
	return yh.list[i], true
}

// IsBankHoliday reports whether d is a bank holiday taken in England and
// Wales. A holiday that falls at a weekend is not, its substitute day is: the
// 25th of December 2021, a Saturday, is not a bank holiday; Monday the 27th
// is.
func IsBankHoliday(d jtai.Date) bool {
	_, ok := HolidayOn(d)
	return ok
}

// computeHolidays applies the rules to one year: the regular holidays, then
// the year's one-off changes, then substitute days for any that fall at a
// weekend (Banking and Financial Dealings Act 1971, schedule 1, and the
// yearly proclamations).
func computeHolidays(year int) []Holiday {
	easter := easterSunday(year)
	nominal := []Holiday{
		{Date: jtai.NewDate(year, time.January, 1), Name: newYear},
		{Date: addDays(easter, -2), Name: goodFri},
		{Date: addDays(easter, 1), Name: easterMon},
		{Date: firstMonday(year, time.May), Name: earlyMay},
		{Date: lastMonday(year, time.May), Name: spring},
		{Date: lastMonday(year, time.August), Name: summer},
		{Date: jtai.NewDate(year, time.December, 25), Name: christmas},
		{Date: jtai.NewDate(year, time.December, 26), Name: boxingDay},
	}
	for _, c := range changes[year] {
		h := Holiday{Date: jtai.NewDate(year, c.month, c.day), Name: c.name, Substitute: c.substitute}
		i := slices.IndexFunc(nominal, func(n Holiday) bool { return n.Name == c.replaces })
		if i < 0 {
			nominal = append(nominal, h)
			continue
		}
		nominal[i] = h
	}
	slices.SortFunc(nominal, func(a, b Holiday) int { return a.Date.Compare(b.Date.Time) })
	return substitute(nominal)
}

// substitute replaces each holiday that falls at a weekend with the next
// weekday that is not already a holiday, taking them in date order: with
// Christmas on a Saturday and Boxing Day on the Sunday, Christmas is taken on
// Monday the 27th and Boxing Day on Tuesday the 28th; with Christmas on a
// Sunday, Boxing Day stays on Monday the 26th and Christmas moves to Tuesday
// the 27th.
func substitute(nominal []Holiday) []Holiday {
	taken := make([]Holiday, 0, len(nominal))
	for _, h := range nominal {
		if isWeekday(h.Date) {
			taken = append(taken, h)
		}
	}
	isTaken := func(d jtai.Date) bool {
		return slices.ContainsFunc(taken, func(h Holiday) bool { return h.Date.Equal(d.Time) })
	}
	for _, h := range nominal {
		if isWeekday(h.Date) {
			continue
		}
		d := addDays(h.Date, 1)
		for !isWeekday(d) || isTaken(d) {
			d = addDays(d, 1)
		}
		taken = append(taken, Holiday{Date: d, Name: h.Name, Substitute: true})
	}
	slices.SortFunc(taken, func(a, b Holiday) int { return a.Date.Compare(b.Date.Time) })
	return taken
}

// easterCycle is the length in years of the Gregorian Easter cycle: Easter
// falls on the same dates every 5,700,000 years, so any year, even before
// the calendar existed or before year 1, can be brought into the positive
// range the computus is written for.
const easterCycle = 5_700_000

// easterSunday returns Easter Day in the Gregorian calendar by the
// "anonymous Gregorian" computus (Meeus, Astronomical Algorithms, ch. 8;
// first published in Nature, 1876).
func easterSunday(year int) jtai.Date {
	y := ((year % easterCycle) + easterCycle) % easterCycle
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return jtai.NewDate(year, time.Month(n/31), n%31+1)
}

// firstMonday returns the first Monday of the month.
func firstMonday(year int, month time.Month) jtai.Date {
	d := jtai.NewDate(year, month, 1)
	return addDays(d, (int(time.Monday)-int(d.Weekday())+7)%7)
}

// lastMonday returns the last Monday of the month.
func lastMonday(year int, month time.Month) jtai.Date {
	d := jtai.NewDate(year, month+1, 0) // the month's last day
	return addDays(d, -((int(d.Weekday()) - int(time.Monday) + 7) % 7))
}
