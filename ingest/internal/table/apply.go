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
			return valueProblem{ingest.RuleDateInvalid, shown, shown + " is not a date"}, true
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
