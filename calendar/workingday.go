package calendar

import (
	"sort"
	"time"

	"jtai"
)

// A day number counts days from Thursday 1 January 1970 (day 0); it makes
// working-day arithmetic plain integer arithmetic. mondayOffset shifts it so
// that 0 is the Monday before, Monday 29 December 1969.
const (
	secondsPerDay = 24 * 60 * 60
	mondayOffset  = 3
)

// civil drops any time of day and time zone from d, keeping its calendar
// date.
func civil(d jtai.Date) jtai.Date {
	y, m, dd := d.Date()
	return jtai.NewDate(y, m, dd)
}

// dayNumber returns d's day number.
func dayNumber(d jtai.Date) int {
	return int(civil(d).Unix() / secondsPerDay)
}

// fromDayNumber returns the date of day number n.
func fromDayNumber(n int) jtai.Date { return jtai.NewDate(1970, time.January, 1+n) }

// addDays returns the date n calendar days after d.
func addDays(d jtai.Date, n int) jtai.Date { return jtai.Date{Time: d.AddDate(0, 0, n)} }

// isWeekday reports whether d falls Monday to Friday.
func isWeekday(d jtai.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// floorDiv divides rounding down, so that days before 1970 count the same
// way as days after.
func floorDiv(a, b int) (q, r int) {
	q, r = a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// weekdaysTo returns how many weekdays there are from the Monday of day
// number 0's week up to and including day n (a running count that keeps
// going, below zero, for days before it). Saturday and Sunday have the same
// count as the Friday before them.
func weekdaysTo(n int) int {
	weeks, r := floorDiv(n+mondayOffset, 7)
	return 5*weeks + min(r+1, 5)
}

// nthWeekday is the inverse of weekdaysTo: the day number of the weekday
// whose running count is c.
func nthWeekday(c int) int {
	weeks, r := floorDiv(c-1, 5)
	return 7*weeks + r - mondayOffset
}

// holidaysIn counts the bank holidays after day lo up to and including day
// hi. Every bank holiday is a weekday, so each one counted is a weekday lost.
func holidaysIn(lo, hi int) int {
	if hi <= lo {
		return 0
	}
	count := 0
	for y := fromDayNumber(lo + 1).Year(); y <= fromDayNumber(hi).Year(); y++ {
		days := holidaysOf(y).days
		count += sort.SearchInts(days, hi+1) - sort.SearchInts(days, lo+1)
	}
	return count
}

// IsWorkingDay reports whether d is a working day: Monday to Friday and not a
// bank holiday in England and Wales.
func IsWorkingDay(d jtai.Date) bool {
	return isWeekday(d) && !IsBankHoliday(d)
}

// AddWorkingDays returns the date n working days after d, or -n working days
// before it when n is negative. The result is always a working day, even
// when d is not: one working day after a Saturday is the Monday (or the
// Tuesday, if the Monday is a bank holiday), one before it is the Friday.
// With n zero, d is returned unchanged.
func AddWorkingDays(d jtai.Date, n int) jtai.Date {
	d = civil(d)
	switch {
	case n > 0:
		return fromDayNumber(forward(dayNumber(d), n))
	case n < 0:
		return fromDayNumber(backward(dayNumber(d), -n))
	}
	return d
}

// forward returns the day number n working days after day d: it steps over n
// weekdays, then over as many more as there were holidays on the way, until
// a step meets none.
func forward(d, n int) int {
	t := nthWeekday(weekdaysTo(d) + n)
	for skip := holidaysIn(d, t); skip > 0; {
		next := nthWeekday(weekdaysTo(t) + skip)
		skip, t = holidaysIn(t, next), next
	}
	return t
}

// backward is forward in the other direction: the day number n working days
// before day d.
func backward(d, n int) int {
	before := func(day, n int) int { return nthWeekday(weekdaysTo(day-1) + 1 - n) }
	t := before(d, n)
	for skip := holidaysIn(t-1, d-1); skip > 0; {
		next := before(t, skip)
		skip, t = holidaysIn(next-1, t-1), next
	}
	return t
}

// WorkingDaysBetween counts the working days after a up to and including b,
// so that AddWorkingDays(a, WorkingDaysBetween(a, b)) is b whenever b is a
// working day. When b is before a the count is negative: minus the working
// days from b up to but not including a.
func WorkingDaysBetween(a, b jtai.Date) int {
	x, y := dayNumber(a), dayNumber(b)
	if y >= x {
		return weekdaysTo(y) - weekdaysTo(x) - holidaysIn(x, y)
	}
	return -(weekdaysTo(x-1) - weekdaysTo(y-1) - holidaysIn(y-1, x-1))
}
