package synth

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"jtai"
)

// xmlWriter writes indented elements; the census needs nothing fancier.
type xmlWriter struct {
	w     *bufio.Writer
	depth int
}

func (x *xmlWriter) open(name string) {
	fmt.Fprintf(x.w, "%s<%s>\n", strings.Repeat("  ", x.depth), name)
	x.depth++
}

func (x *xmlWriter) close(name string) {
	x.depth--
	fmt.Fprintf(x.w, "%s</%s>\n", strings.Repeat("  ", x.depth), name)
}

func (x *xmlWriter) leaf(name, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(x.w, "%s<%s>", strings.Repeat("  ", x.depth), name)
	xml.EscapeText(x.w, []byte(value))
	fmt.Fprintf(x.w, "</%s>\n", name)
}

func iso(d jtai.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// WriteCIN writes the CIN census XML for the children referred in the
// year, and returns the number of CIN episodes (one per child here).
func (a *Area) WriteCIN(w io.Writer) (int, error) {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
	x.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open("Message")
	x.open("Header")
	x.open("CollectionDetails")
	x.leaf("Collection", "CIN")
	x.leaf("Year", fmt.Sprint(a.AsOf.Year()))
	x.leaf("ReferenceDate", iso(a.AsOf))
	x.close("CollectionDetails")
	x.open("Source")
	x.leaf("SourceLevel", "L")
	x.leaf("LEA", a.LACode)
	x.leaf("SoftwareCode", "SYNTH")
	x.leaf("Release", "1")
	x.leaf("SerialNo", "1")
	x.leaf("DateTime", a.AsOf.Format("2006-01-02")+"T09:00:00")
	x.close("Source")
	x.close("Header")
	x.open("Children")
	n := 0
	for i, s := range a.stories {
		if s.referral.IsZero() {
			continue
		}
		a.cinChild(x, s, i)
		n++
	}
	x.close("Children")
	x.close("Message")
	return n, x.w.Flush()
}

func (a *Area) cinChild(x *xmlWriter, s *story, i int) {
	x.open("Child")
	x.open("ChildIdentifiers")
	x.leaf("LAchildID", s.c.LAChildID)
	if s.c.DateOfBirth != nil && s.age >= 4 {
		x.leaf("UPN", fmt.Sprintf("Z%012d", i+1))
	} else {
		x.leaf("UPNunknown", "UN1")
	}
	x.leaf("PersonBirthDate", iso(derefDate(s.c.DateOfBirth)))
	x.leaf("ExpectedPersonBirthDate", iso(derefDate(s.c.ExpectedDate)))
	if a.AsOf.Year() >= 2025 {
		x.leaf("Sex", map[string]string{"Male": "M", "Female": "F", "": "U"}[s.c.Gender])
	} else {
		x.leaf("GenderCurrent", map[string]string{"Male": "1", "Female": "2", "": "0"}[s.c.Gender])
	}
	x.close("ChildIdentifiers")
	x.open("ChildCharacteristics")
	x.leaf("Ethnicity", s.c.Ethnicity)
	x.open("Disabilities")
	if s.disabled {
		x.leaf("Disability", []string{"LD", "COMM", "AUT", "BEH", "MOB"}[i%5])
	} else {
		x.leaf("Disability", "NONE")
	}
	x.close("Disabilities")
	x.close("ChildCharacteristics")
	x.open("CINdetails")
	x.leaf("CINreferralDate", iso(s.referral))
	x.leaf("ReferralSource", s.source)
	x.leaf("PrimaryNeedCode", s.need)
	x.leaf("CINclosureDate", iso(s.cinEnd))
	x.leaf("ReasonForClosure", s.closure)
	x.leaf("DateOfInitialCPC", iso(s.icpc))
	x.leaf("ReferralNFA", map[bool]string{true: "true", false: "false"}[s.nfa])
	if !s.asStart.IsZero() {
		x.open("Assessments")
		x.leaf("AssessmentActualStartDate", iso(s.asStart))
		x.leaf("AssessmentAuthorisationDate", iso(s.asAuth))
		if !s.asAuth.IsZero() {
			x.open("FactorsIdentifiedAtAssessment")
			for _, f := range s.factors {
				x.leaf("AssessmentFactors", f)
			}
			x.close("FactorsIdentifiedAtAssessment")
		}
		x.close("Assessments")
	}
	if s.stage == stageCIN && !s.asAuth.IsZero() {
		x.open("CINPlanDates")
		x.leaf("CINPlanStartDate", iso(s.asAuth))
		x.close("CINPlanDates")
	}
	if !s.s47.IsZero() {
		x.open("Section47")
		x.leaf("S47ActualStartDate", iso(s.s47))
		x.leaf("InitialCPCtarget", iso(days(s.s47, 15)))
		x.leaf("DateOfInitialCPC", iso(s.icpc))
		x.leaf("ICPCnotRequired", "false")
		x.close("Section47")
	}
	if !s.cpStart.IsZero() {
		x.open("ChildProtectionPlans")
		x.leaf("CPPstartDate", iso(s.cpStart))
		x.leaf("InitialCategoryOfAbuse", s.category)
		x.leaf("LatestCategoryOfAbuse", s.category)
		x.leaf("NumberOfPreviousCPP", "0")
		if review := a.beforeAsOf(days(s.cpStart, 90)); !review.IsZero() {
			x.open("Reviews")
			x.leaf("CPPreviewDate", iso(review))
			x.close("Reviews")
		}
		x.close("ChildProtectionPlans")
	}
	x.close("CINdetails")
	x.close("Child")
}

func derefDate(d *jtai.Date) jtai.Date {
	if d == nil {
		return jtai.Date{}
	}
	return *d
}
