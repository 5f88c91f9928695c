package cincensus

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"jtai"
	"jtai/ingest"
)

// elements are the names the census schema has, 2017 to 2025-26. Any other
// is warned about once and passed over with what it holds.
var elements = map[string]struct{}{}

func init() {
	for _, n := range []string{
		"Message", "Header", "CollectionDetails", "Collection", "Year", "ReferenceDate",
		"Source", "SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime",
		"Children", "Child", "ChildIdentifiers", "LAchildID", "UPN", "FormerUPN", "UPNunknown",
		"PersonBirthDate", "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate",
		"ChildCharacteristics", "Ethnicity", "Disabilities", "Disability",
		"CINdetails", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
		"ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
		"Assessments", "AssessmentActualStartDate", "AssessmentInternalReviewDate",
		"AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment", "AssessmentFactors",
		"CINPlanDates", "CINPlanStartDate", "CINPlanEndDate",
		"Section47", "S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired",
		"ChildProtectionPlans", "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
		"LatestCategoryOfAbuse", "NumberOfPreviousCPP", "Reviews", "CPPreviewDate",
		"PreProceedingsandFGDM",
	} {
		elements[n] = struct{}{}
	}
}

// child is the child being read: its identity, and the episode open.
type child struct {
	line     int
	dobLine  int // the lines of PersonBirthDate and ExpectedPersonBirthDate
	eddLine  int
	rec      ingest.Record // identity fields only
	errors   int           // errors in the identity, counted on every episode
	ep       *episode
	episodes int
}

// episode is one CINdetails, with the latest assessment, enquiry and plan.
type episode struct {
	line    int
	refLine int           // the line of CINreferralDate
	rec     ingest.Record // facts only
	errors  int

	// The sub-element open (Assessments, Section47, ChildProtectionPlans)
	// and what has been read of it.
	sub                 string
	subLine             int
	start, auth, end    jtai.Date
	factors             []string
	icpc                jtai.Date
	notRequired         ingest.YesNo
	initialCat, lastCat string
	icpcCIN             jtai.Date
}

func (c *child) startEpisode(line int) { c.ep = &episode{line: line} }

func (c *child) errorsAt(int) {
	if c.ep != nil {
		c.ep.errors++
	} else {
		c.errors++
	}
}

func (e *episode) open(name string, line int) {
	e.sub, e.subLine = name, line
	e.start, e.auth, e.end = jtai.Date{}, jtai.Date{}, jtai.Date{}
	e.factors, e.icpc, e.notRequired = nil, jtai.Date{}, ""
	e.initialCat, e.lastCat = "", ""
}

var (
	upnPattern        = regexp.MustCompile(`^[A-Z][0-9]{11}[0-9A-Z]$`)
	upnUnknownPattern = regexp.MustCompile(`^UN[1-7]$`)
)

var genderCurrent = map[string]string{"1": "Male", "2": "Female", "0": "Not stated/recorded", "9": "Neither"}
var sex = map[string]string{"M": "Male", "F": "Female", "U": "Not stated/recorded"}

// childValue reads one element's value (or the close of a sub-element)
// into the child or its open episode.
func (w *walker) childValue(name, v string, line int) {
	c := w.child
	ep := c.ep
	if ep == nil {
		ep = &episode{} // values outside an episode are read and dropped
	}
	r := &ep.rec
	switch name {
	case "LAchildID":
		c.rec.LAChildID = v
	case "UPN", "FormerUPN":
		if v != "" && !upnPattern.MatchString(v) {
			w.problem(line, ingest.RuleFormatInvalid, ingest.Error, ingest.Hidden,
				fmt.Sprintf("Line %d, '%s': the value is not a UPN (a letter, 11 digits, then a digit or a letter)", line, name))
		} else if name == "UPN" {
			c.rec.UPN = v
		}
	case "UPNunknown":
		if !upnUnknownPattern.MatchString(v) {
			w.problem(line, ingest.RuleCodeUnknown, ingest.Error, ingest.Shorten(v),
				fmt.Sprintf("Line %d, 'UPNunknown': %s is not one of UN1 to UN7", line, ingest.Shorten(v)))
		}
	case "PersonBirthDate":
		c.rec.DateOfBirth, c.dobLine = w.date(v, line, true), line
	case "ExpectedPersonBirthDate":
		c.rec.ExpectedDateOfBirth, c.eddLine = w.date(v, line, true), line
	case "ChildIdentifiers":
		w.checkIdentity()
	case "PersonDeathDate":
		c.rec.DateOfDeath = w.date(v, line, true)
	case "GenderCurrent", "Sex":
		table := genderCurrent
		if name == "Sex" {
			table = sex
		}
		if g, ok := table[v]; ok {
			c.rec.Gender = g
		} else if v != "" {
			w.problem(line, ingest.RuleCodeUnknown, ingest.Error, ingest.Shorten(v),
				fmt.Sprintf("Line %d, '%s': %s is not a known %s code (%s)", line, name, ingest.Shorten(v), strings.ToLower(name), map[string]string{"Sex": "M, F or U", "GenderCurrent": "1, 2, 0 or 9"}[name]))
		}
	case "Ethnicity":
		c.rec.Ethnicity = w.code(ingest.Ethnicities, v, line)
	case "Disability":
		if d := w.code(ingest.Disabilities, v, line); d != "" && !slices.Contains(c.rec.Disabilities, d) {
			c.rec.Disabilities = append(c.rec.Disabilities, d)
		}
	case "CINreferralDate":
		r.ReferralDate, ep.refLine = w.date(v, line, false), line
	case "ReferralSource":
		r.ReferralSource = w.code(ingest.ReferralSources, v, line)
	case "PrimaryNeedCode":
		r.PrimaryNeed = w.code(ingest.NeedCodes, v, line)
	case "CINclosureDate":
		r.CINClosureDate = w.date(v, line, false)
	case "ReasonForClosure":
		r.ClosureReason = w.code(ingest.ClosureReasons, v, line)
	case "ReferralNFA":
		r.ReferralNFA = w.boolean(v, line)
	case "DateOfInitialCPC":
		if w.parent() == "Section47" {
			ep.icpc = w.date(v, line, false)
		} else {
			ep.icpcCIN = w.date(v, line, false)
		}
	case "AssessmentActualStartDate", "S47ActualStartDate", "CPPstartDate":
		ep.start = w.date(v, line, false)
	case "AssessmentAuthorisationDate":
		ep.auth = w.date(v, line, false)
	case "CINPlanStartDate":
		ep.start = w.date(v, line, false)
	case "CPPendDate", "CINPlanEndDate":
		ep.end = w.date(v, line, false)
	case "AssessmentInternalReviewDate", "InitialCPCtarget", "CPPreviewDate":
		w.date(v, line, false)
	case "AssessmentFactors":
		if f := w.code(ingest.AssessmentFactors, v, line); f != "" {
			ep.factors = append(ep.factors, f)
		}
	case "ICPCnotRequired":
		ep.notRequired = w.boolean(v, line)
	case "InitialCategoryOfAbuse":
		ep.initialCat = w.code(ingest.AbuseCategories, v, line)
	case "LatestCategoryOfAbuse":
		ep.lastCat = w.code(ingest.AbuseCategories, v, line)
	case "NumberOfPreviousCPP":
		if _, ok := ingest.ParseCount(v); !ok && v != "" {
			w.problem(line, ingest.RuleNumberInvalid, ingest.Error, ingest.Shorten(v),
				fmt.Sprintf("Line %d, 'NumberOfPreviousCPP': %s is not a whole number", line, ingest.Shorten(v)))
		}
	case "Assessments":
		w.closeAssessment(ep, line)
	case "Section47":
		if !ep.start.IsZero() && !ep.start.Before(r.S47StartDate.Time) {
			r.S47StartDate, r.ICPCNotRequired = ep.start, ep.notRequired
			if !ep.icpc.IsZero() {
				r.ICPCDate = ep.icpc
			}
		}
	case "ChildProtectionPlans":
		if !ep.start.IsZero() && !ep.start.Before(r.CPPlanStartDate.Time) {
			r.CPPlanStartDate, r.CPPlanEndDate = ep.start, ep.end
			r.InitialCategory, r.LatestCategory = ep.initialCat, ep.lastCat
		}
		w.checkOrder(ep.start, ep.end, ep.subLine, name, dfePlanOrder, "the plan ends (%s) before it starts (%s)")
	case "CINPlanDates":
		w.checkOrder(ep.start, ep.end, ep.subLine, name, "", "the plan ends (%s) before it starts (%s)")
	}
}

// closeAssessment keeps the latest assessment's dates and every
// assessment's factors.
func (w *walker) closeAssessment(ep *episode, line int) {
	r := &ep.rec
	if !ep.start.IsZero() && !ep.start.Before(r.AssessmentStartDate.Time) {
		r.AssessmentStartDate, r.AssessmentAuthDate = ep.start, ep.auth
	}
	for _, f := range ep.factors {
		if !slices.Contains(r.AssessmentFactors, f) {
			r.AssessmentFactors = append(r.AssessmentFactors, f)
		}
	}
	w.checkOrder(ep.start, ep.auth, ep.subLine, "Assessments", dfeAssessmentOrder, "the assessment is authorised (%s) before it starts (%s)")
	if len(ep.factors) > 0 && ep.auth.IsZero() {
		w.problem(line, ingest.RuleInconsistent, ingest.Warning, "",
			fmt.Sprintf("Line %d, 'Assessments': factors are given for an assessment that has no AssessmentAuthorisationDate; factors belong to an authorised assessment", ep.subLine))
	}
}

// finishEpisode hands over the episode's record, the child's identity
// with the episode's facts.
func (w *walker) finishEpisode() error {
	c := w.child
	ep := c.ep
	c.ep = nil
	if ep == nil {
		return nil
	}
	c.episodes++
	if ep.rec.ReferralDate.IsZero() && ep.errors == 0 {
		ep.errors++
		w.sum.Add(ingest.Problem{Source: ingest.Source{File: w.src.File, Row: ep.line, Column: w.elementPath()},
			Rule: ingest.RuleRequired, Severity: ingest.Error,
			Message: fmt.Sprintf("Line %d, 'CINdetails': there is no CINreferralDate; every episode needs one", ep.line)})
	}
	r := ep.rec
	w.checkOrder(r.ReferralDate, r.CINClosureDate, ep.line, "CINdetails", dfeClosureOrder, "the episode closes (%s) before its referral (%s)")
	w.checkReferral(ep)
	if c.rec.LAChildID == "" {
		return nil // reported once, at the end of the child
	}
	w.episodes++
	if w.episodes > w.lim.MaxRows {
		return ingest.Reject(w.src, ingest.RuleTooManyRows, "the census holds more than %d CIN episodes, more than any authority has", w.lim.MaxRows)
	}
	r.List = ingest.ListCINCensus
	r.Source = ingest.Source{File: w.src.File, Row: ep.line}
	r.Errors = c.errors + ep.errors
	identity(&r, &c.rec)
	if !ep.icpcCIN.IsZero() {
		r.ICPCDate = ep.icpcCIN
	}
	if r.ReferralNFA != ingest.Yes {
		r.CINStartDate = r.ReferralDate
	}
	return w.emit(r)
}

// finishChild reports a child without an identifier or without episodes.
func (w *walker) finishChild() error {
	c := w.child
	src := ingest.Source{File: w.src.File, Row: c.line, Column: w.elementPath()}
	if c.rec.LAChildID == "" {
		w.sum.Add(ingest.Problem{Source: src, Rule: ingest.RuleRequired, Severity: ingest.Error,
			Message: fmt.Sprintf("Line %d, 'Child': there is no LAchildID, so the child was not imported", c.line)})
		return nil
	}
	if c.episodes > 0 {
		return nil
	}
	w.sum.Add(ingest.Problem{Source: src, Rule: ingest.RuleRequired, Severity: ingest.Error,
		Message: fmt.Sprintf("Line %d, 'Child': there is no CINdetails; every child in the census has at least one episode", c.line)})
	w.episodes++
	r := ingest.Record{List: ingest.ListCINCensus, Source: ingest.Source{File: w.src.File, Row: c.line}, Errors: c.errors + 1}
	identity(&r, &c.rec)
	return w.emit(r)
}

// identity copies the child's identity into an episode's record.
func identity(r, id *ingest.Record) {
	r.LAChildID, r.UPN = id.LAChildID, id.UPN
	r.DateOfBirth, r.ExpectedDateOfBirth, r.DateOfDeath = id.DateOfBirth, id.ExpectedDateOfBirth, id.DateOfDeath
	r.Gender, r.Ethnicity = id.Gender, id.Ethnicity
	r.Disabilities = slices.Clone(id.Disabilities)
	switch {
	case len(id.Disabilities) == 0:
	case len(id.Disabilities) == 1 && id.Disabilities[0] == "NONE":
		r.Disability = ingest.No
	default:
		r.Disability = ingest.Yes
	}
}
