package cincensus

import (
	"fmt"

	"jtai"
	"jtai/ingest"
)

// Plausibility: dates that a census can hold but seldom should. Each is a
// warning, never an error: the census is imported, and the person sending
// it is told what to check. Where the DfE's CIN census validation rules
// make the same check, the problem carries the rule's number, as the
// open-source CIN census validator of Data to Insight and Social Finance
// (the cin_validator Python package, which transcribes the DfE's "CIN
// census validation rules" of each collection year) reports it:
//
//	8520   PersonBirthDate after the census period
//	8600   CINreferralDate after the census period
//	8696   AssessmentAuthorisationDate outside the census year
//	8608   an assessment's start later than its authorisation (end)
//	8630   CINclosureDate before CINreferralDate
//	8925   CPPendDate before CPPstartDate
//	8606   CINreferralDate more than 280 days before the date of birth or
//	       the expected date of birth
//	8530Q  ExpectedPersonBirthDate before the reference date minus 30 days
//	       (or more than 9 months after it)
//
// Checks the DfE's rules do not number carry none.

// afterReference names the dates that cannot be after the census's
// reference date, with the DfE rule that says so for some. The expected
// date of birth and the target date of a conference may well be later.
var afterReference = map[string]string{
	"PersonBirthDate":              "8520",
	"PersonDeathDate":              "",
	"CINreferralDate":              "8600",
	"CINclosureDate":               "",
	"AssessmentActualStartDate":    "",
	"AssessmentInternalReviewDate": "",
	"AssessmentAuthorisationDate":  "8696",
	"CINPlanStartDate":             "",
	"CINPlanEndDate":               "",
	"S47ActualStartDate":           "",
	"DateOfInitialCPC":             "",
	"CPPstartDate":                 "",
	"CPPendDate":                   "",
	"CPPreviewDate":                "",
}

// The other plausibility checks' numbers.
const (
	dfeAssessmentOrder = "8608"
	dfeClosureOrder    = "8630"
	dfePlanOrder       = "8925"
	dfeReferralEarly   = "8606"
	dfeExpectedPast    = "8530Q"
)

// maxAge is the oldest a child in the census plausibly is: care leavers
// are supported up to 25.
const maxAge = 25

// referralBeforeBirth is how long before birth a referral in pregnancy can
// be: 40 weeks, the DfE's 280 days (rule 8606).
const referralBeforeBirth = 280

// implausible reports a plausibility warning at line, with the DfE rule's
// number in the message and the problem when there is one.
func (w *walker) implausible(line int, element, value, dfe, format string, args ...any) {
	msg := fmt.Sprintf("Line %d, '%s': ", line, element) + fmt.Sprintf(format, args...)
	if dfe != "" {
		msg += fmt.Sprintf(" (DfE validation rule %s)", dfe)
	}
	src := w.src
	src.Row, src.Column = line, w.elementPath()
	if w.path[len(w.path)-1] != element { // checked when the enclosing element closes
		src.Column += "/" + element
	}
	w.sum.Add(ingest.Problem{Source: src, Value: value, Rule: ingest.RuleImplausible, Severity: ingest.Warning, Message: msg, DfERule: dfe})
}

// checkAfterReference warns of a date after the census's reference date,
// in the element being read.
func (w *walker) checkAfterReference(d jtai.Date, v string, line int, personal bool) {
	name := w.path[len(w.path)-1]
	dfe, checked := afterReference[name]
	ref := w.header.ReferenceDate
	if !checked || ref.IsZero() || !d.After(ref.Time) {
		return
	}
	if personal {
		w.implausible(line, name, "", dfe, "the date is after the census's reference date (%s)", ref.Long())
		return
	}
	w.implausible(line, name, v, dfe, "%s is after the census's reference date (%s)", d.Long(), ref.Long())
}

// checkOrder warns of an end before its start: what ends, where, and the
// dates.
func (w *walker) checkOrder(start, end jtai.Date, line int, element, dfe, what string) {
	if start.IsZero() || end.IsZero() || !end.Before(start.Time) {
		return
	}
	w.implausible(line, element, "", dfe, what, end.Long(), start.Long())
}

// checkIdentity warns, once the child's identifiers are read, of a child
// over 25 at the reference date and of an unborn child whose expected
// date is more than a month before it. The dates are personal: the
// messages never give them.
func (w *walker) checkIdentity() {
	c := w.child
	ref := w.header.ReferenceDate
	if ref.IsZero() {
		return
	}
	dob, edd := c.rec.DateOfBirth, c.rec.ExpectedDateOfBirth
	if !dob.IsZero() && !dob.After(ref.AddDate(-maxAge-1, 0, 0)) {
		w.implausible(c.dobLine, "PersonBirthDate", "", "",
			"the child would be over %d at the census's reference date (%s): check the date of birth", maxAge, ref.Long())
	}
	if dob.IsZero() && !edd.IsZero() && edd.Before(ref.AddDate(0, 0, -30)) {
		w.implausible(c.eddLine, "ExpectedPersonBirthDate", "", dfeExpectedPast,
			"the expected date of birth is more than a month before the census's reference date (%s) and no date of birth is given: check whether the child has been born", ref.Long())
	}
}

// checkReferral warns of a referral before the child's date of birth (or
// expected date of birth): more than 40 weeks before is the DfE's rule
// 8606; less is possible for a referral in pregnancy, but worth a look.
func (w *walker) checkReferral(ep *episode) {
	c := w.child
	ref := ep.rec.ReferralDate
	birth, what := c.rec.DateOfBirth, "date of birth"
	if birth.IsZero() {
		birth, what = c.rec.ExpectedDateOfBirth, "expected date of birth"
	}
	if ref.IsZero() || birth.IsZero() || !ref.Before(birth.Time) {
		return
	}
	if ref.AddDate(0, 0, referralBeforeBirth).Before(birth.Time) {
		w.implausible(ep.refLine, "CINreferralDate", ref.String(), dfeReferralEarly,
			"the referral (%s) is more than 40 weeks before the child's %s", ref.Long(), what)
		return
	}
	if what == "date of birth" {
		w.implausible(ep.refLine, "CINreferralDate", ref.String(), "",
			"the referral (%s) is before the child's date of birth: check the dates, unless the referral was made in pregnancy", ref.Long())
	}
}
