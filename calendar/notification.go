package calendar

import (
	"fmt"
	"time"

	"jtai"
)

// CheckNotification checks that d may be a notification date: a Monday that
// is not a bank holiday, so that day 0 is the first working day of a week and
// the weeks of the timetable start on Mondays. A date that is not is refused
// with an EINVALID *jtai.Error whose field problem, on notified_on, says why
// in plain English. Overriding the refusal is the caller's decision, never
// this package's.
func CheckNotification(d jtai.Date) error {
	d = civil(d)
	var msg string
	if d.Weekday() != time.Monday {
		msg = fmt.Sprintf("The notification date must be a Monday: %s is a %s", d.Long(), d.Weekday())
	} else if h, ok := HolidayOn(d); ok {
		msg = fmt.Sprintf("The notification date must be a Monday that is not a bank holiday: %s is a bank holiday (%s)", d.Long(), describe(h))
	}
	if msg == "" {
		return nil
	}
	return jtai.Invalid(jtai.FieldError{Field: "notified_on", Message: msg})
}

// describe names a holiday as GOV.UK does: "Easter Monday", or "Christmas
// Day, substitute day".
func describe(h Holiday) string {
	if h.Substitute {
		return h.Name + ", substitute day"
	}
	return h.Name
}
