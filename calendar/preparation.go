package calendar

import "jtai"

// PreparingOn returns a notification Monday that puts today in an
// inspection's preparation, weeks 1 and 2 of the timetable before the
// onsite week, with no bank holiday from the notification to the end of
// onsite: what the demo shows a new user, an inspection under way whose
// onsite week is not over Christmas.
//
// Of the Mondays that put today before the onsite week (this week's and
// last week's, with the default steps), the latest with no bank holiday in
// the way is chosen. When each has one, as in the fortnight before
// Christmas, the one whose onsite week loses fewest days is, then the one
// with fewest holidays in all. A Monday that is itself a bank holiday is
// never chosen; when that leaves none, as on the Tuesday after Christmas
// and New Year substitute Mondays, the latest working Monday on or before
// today is returned, and today is then past week 2.
func PreparingOn(today jtai.Date, steps []Step) (jtai.Date, error) {
	today = civil(today)
	type candidate struct {
		monday      jtai.Date
		lost, inWay int
	}
	var best *candidate
	for m := mondayOf(today); ; m = addDays(m, -7) {
		deadlines, err := Timetable(m, steps)
		if err != nil {
			return jtai.Date{}, err
		}
		start, last := OnsiteWeek(deadlines)
		if start.IsZero() || !today.Before(mondayOf(start).Time) {
			break // today is in the onsite week or after it
		}
		if !IsWorkingDay(m) {
			continue
		}
		week := dayNumber(mondayOf(start))
		c := candidate{monday: m, lost: holidaysIn(week-1, week+4), inWay: holidaysIn(dayNumber(m)-1, max(dayNumber(last), week+4))}
		if c.inWay == 0 {
			return m, nil
		}
		if best == nil || c.lost < best.lost || c.lost == best.lost && c.inWay < best.inWay {
			best = &c
		}
	}
	if best != nil {
		return best.monday, nil
	}
	m := mondayOf(today)
	for !IsWorkingDay(m) {
		m = addDays(m, -7)
	}
	return m, nil
}

// mondayOf returns the Monday of d's week.
func mondayOf(d jtai.Date) jtai.Date {
	return addDays(d, -((int(d.Weekday()) + 6) % 7))
}
