package table

import (
	"fmt"

	"jtai/ingest"
)

// valueProblem is what is wrong with one cell: the rule, the value as a
// problem may show it, and the end of the message after "Row N, 'Heading': ".
type valueProblem struct {
	rule, value, message string
}

// apply reads v into the field of rec, reporting a problem when v is not
// what the field holds. v is trimmed and not empty.
func (rd *Reader) apply(rec *ingest.Record, f Field, v string) (valueProblem, bool) {
	spec := fields[f]
	shown := ingest.Shorten(v)
	if spec.personal {
		shown = ingest.Hidden
		if spec.kind == kindDate {
			shown = ingest.MaskDate(v)
		}
	}
	switch spec.kind {
	case kindText:
		if spec.str != nil {
			*spec.str(rec) = v
		}
	case kindDate:
		d, ok := ingest.ParseDate(v, rd.Date1904)
		if !ok {
			return valueProblem{ingest.RuleDateInvalid, shown, notADate(v, shown, spec.personal)}, true
		}
		if spec.date != nil {
			*spec.date(rec) = d
		}
	case kindCode:
		c, ok := spec.codes.Lookup(v)
		if !ok {
			msg := fmt.Sprintf("%s is not a known %s code", shown, spec.codes.Name)
			if h := spec.codes.Hint(); h != "" {
				msg += "; " + h
			}
			return valueProblem{ingest.RuleCodeUnknown, shown, msg}, true
		}
		if spec.str != nil {
			*spec.str(rec) = c
		}
	case kindYesNo, kindYesNoOrDate:
		c, ok := spec.codes.Lookup(v)
		if !ok && spec.kind == kindYesNoOrDate {
			if d, isDate := ingest.ParseDate(v, rd.Date1904); isDate {
				*spec.date(rec) = d
				c, ok = string(ingest.Yes), true
			}
		}
		if !ok {
			msg := shown + " is not Yes, No or Unknown"
			if spec.kind == kindYesNoOrDate {
				msg = shown + " is not Yes, No or a date"
			}
			return valueProblem{ingest.RuleCodeUnknown, shown, msg}, true
		}
		if spec.yn != nil {
			*spec.yn(rec) = ingest.YesNo(c)
		}
	case kindCount:
		if _, ok := ingest.ParseCount(v); !ok {
			return valueProblem{ingest.RuleNumberInvalid, shown, shown + " is not a whole number"}, true
		}
	}
	return valueProblem{}, false
}

// notADate says why a value is not a date: a day the calendar does not
// have ("30 February 2023 is not a day in the calendar"), or a value in no
// form of date jtai reads. A personal date is only ever shown masked.
func notADate(v, shown string, personal bool) string {
	day, ok := ingest.NotADay(v)
	switch {
	case ok && personal:
		return shown + " is not a day in the calendar: the month has fewer days"
	case ok:
		return day + " is not a day in the calendar"
	}
	return shown + " is not a date"
}
