package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"jtai"
)

// annexALists is how many Annex A lists carry rows here (1 to 9); lists 10
// and 11 (adoption) are written as empty sheets in the template style.
const annexALists = 9

// column is one column of an Annex A list as written: its heading in
// Ofsted's template, and its value for a child in a style.
type column struct {
	name  string
	value func(s *story, style string) any
}

// Code forms: Ofsted's drop-downs prefix a letter ("a) Male"); exports hold
// the bare value.
var (
	ethnicityOrder = []string{"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
		"APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"}
	sourceOrder = []string{"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C", "6", "7", "8", "9", "10"}
	sourceLabel = map[string]string{"1A": "Individual", "1B": "Individual", "1C": "Individual", "1D": "Individual",
		"2A": "Schools", "2B": "Education services", "4": "Housing", "6": "Police", "7": "Other legal agency",
		"8": "Other", "9": "Anonymous", "10": "Unknown"}
	needLabel = map[string]string{"N1": "Abuse or neglect", "N2": "Child's disability or illness", "N3": "Parent's disability or illness",
		"N4": "Family in acute stress", "N5": "Family dysfunction", "N6": "Socially unacceptable behaviour", "N8": "Absent parenting"}
	closureLabel  = map[string]string{"RC8": "Case closed after assessment, no further action", "RC9": "Case closed after assessment, referred to early help"}
	categoryLabel = map[string]string{"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse", "EMO": "d) Emotional abuse", "MUL": "e) Multiple/not recommended"}
)

func letter(i int) string { return string(rune('a'+i)) + ") " }

func index(xs []string, x string) int {
	for i, y := range xs {
		if x == y {
			return i
		}
	}
	return 0
}

func genderOf(c *jtai.Child, style string) string {
	g := c.Gender
	if g == "" {
		g = "Not stated/recorded"
	}
	if style == StyleExport {
		return g
	}
	return letter(index([]string{"Male", "Female", "Not stated/recorded", "Neither"}, g)) + g
}

func ethnicityOf(c *jtai.Child, style string) string {
	if style == StyleExport {
		return c.Ethnicity
	}
	return letter(index(ethnicityOrder, c.Ethnicity)) + c.Ethnicity
}

func sourceOf(code, style string) string {
	if style == StyleExport {
		return code
	}
	label := sourceLabel[code]
	if label == "" {
		label = map[byte]string{'3': "Health services", '5': "LA services"}[code[0]]
	}
	return fmt.Sprintf("%s%s: %s", letter(index(sourceOrder, code)), code, label)
}

func yesNo(b bool, style string) string {
	switch {
	case style == StyleExport:
		return yn(b)
	case b:
		return "a) Yes"
	}
	return "b) No"
}

func labelled(code string, labels map[string]string, style string) any {
	if code == "" {
		return nil
	}
	if style == StyleExport {
		return code
	}
	return code + " - " + labels[code]
}

func categoryOf(code, style string) any {
	if style == StyleExport {
		return strings.TrimSpace(categoryLabel[code][3:])
	}
	return categoryLabel[code]
}

// date is a date cell, or nil for a zero date.
func date(d jtai.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}

func caseStatus(s *story, style string) string {
	var st string
	switch {
	case s.stage == stageCIC:
		st = "a) Looked after child"
	case s.stage == stageCP:
		st = "b) Child Protection plan"
	case s.stage == stageCIN:
		st = "c) Child in need plan"
	case s.cinEnd.IsZero():
		st = "d) Open assessment"
	default:
		st = "e) Closed episode"
	}
	if style == StyleExport {
		return st[3:]
	}
	return st
}

func constant(v any) func(*story, string) any { return func(*story, string) any { return v } }

var (
	colTeam       = column{"Allocated Team", func(s *story, _ string) any { return s.team }}
	colWorker     = column{"Allocated Worker", func(s *story, _ string) any { return s.worker }}
	colDisability = column{"Does the Child have a Disability", func(s *story, st string) any { return yesNo(s.disabled, st) }}
)

func leadingColumns(a *Area) []column {
	return []column{
		{"Child Unique ID", func(s *story, _ string) any { return s.c.LAChildID }},
		{"Gender", func(s *story, st string) any { return genderOf(s.c, st) }},
		{"Ethnicity", func(s *story, st string) any { return ethnicityOf(s.c, st) }},
		{"Date of Birth", func(s *story, _ string) any { return dateOrNil(s.c.DateOfBirth) }},
		{"Age of Child (Years)", func(s *story, _ string) any {
			if s.age < 0 {
				return nil
			}
			return s.age
		}},
	}
}

// annexA describes list n: its title, which children it holds, its columns.
func (a *Area) annexA(n int) (title string, on func(*story) bool, cols []column) {
	lead := leadingColumns(a)
	seen := func(s *story) jtai.Date { return days(a.AsOf, -1-len(s.c.LAChildID)%20) }
	switch n {
	case 1:
		return "Contacts", func(*story) bool { return true }, append(lead,
			column{"Date of Contact", func(s *story, _ string) any { return date(s.contact) }},
			column{"Contact Source", func(s *story, st string) any { return sourceOf(s.source, st) }})
	case 2:
		return "Early help", func(s *story) bool { return s.stage == stageEarlyHelp }, append(lead,
			column{"Assessment start date", func(s *story, _ string) any { return date(s.ehStart) }},
			column{"Assessment completion date", func(s *story, _ string) any { return date(s.ehEnd) }},
			column{"Organisation completing assessment", constant("Family Hub")})
	case 3:
		return "Referrals", func(s *story) bool { return !s.referral.IsZero() }, append(lead,
			column{"Date of Referral", func(s *story, _ string) any { return date(s.referral) }},
			column{"Referral Source", func(s *story, st string) any { return sourceOf(s.source, st) }},
			column{"Referral NFA?", func(s *story, st string) any { return yesNo(s.nfa, st) }},
			column{"Number of Referrals in Last 12 Months", constant(1)},
			colTeam, colWorker)
	case 4:
		return "Assessments", func(s *story) bool { return !s.asStart.IsZero() }, append(lead, colDisability,
			column{"Continuous Assessment Start Date", func(s *story, _ string) any { return date(s.asStart) }},
			column{"Child Seen During Continuous Assessment", func(_ *story, st string) any { return yesNo(true, st) }},
			column{"Continuous Assessment Date of Authorisation", func(s *story, _ string) any { return date(s.asAuth) }},
			column{"Was the child assessed as requiring LA children's social care support?", func(s *story, st string) any {
				if s.asAuth.IsZero() {
					return nil
				}
				return yesNo(s.stage != stageAssessment, st)
			}},
			colTeam, colWorker)
	case 5:
		return "Section 47 and ICPC", func(s *story) bool { return !s.s47.IsZero() }, append(lead, colDisability,
			column{"Strategy discussion initiating Section 47 Enquiry Start Date", func(s *story, _ string) any { return date(s.s47) }},
			column{"Was an Initial Child Protection Conference deemed unnecessary?", func(_ *story, st string) any { return yesNo(false, st) }},
			column{"Date of Initial Child Protection Conference", func(s *story, _ string) any { return date(s.icpc) }},
			column{"Did the Initial Child Protection Conference Result in a Child Protection Plan", func(_ *story, st string) any { return yesNo(true, st) }},
			column{"Number of Section 47 Enquiries in the last 12 months", constant(1)},
			column{"Number of ICPCs in the last 12 months", constant(1)},
			colTeam, colWorker)
	case 6:
		return "Children in need", func(s *story) bool { return !s.cinStart.IsZero() }, append(lead, colDisability,
			column{"CIN Start Date", func(s *story, _ string) any { return date(s.cinStart) }},
			column{"Primary Need Code", func(s *story, st string) any { return labelled(s.need, needLabel, st) }},
			column{"Date Child Was Last Seen", func(s *story, _ string) any { return date(seen(s)) }},
			column{"CIN Closure Date", func(s *story, _ string) any { return date(s.cinEnd) }},
			column{"Reason for Closure", func(s *story, st string) any { return labelled(s.closure, closureLabel, st) }},
			column{"Case Status", func(s *story, st string) any { return caseStatus(s, st) }},
			colTeam, colWorker)
	case 7:
		return "Child protection", func(s *story) bool { return !s.cpStart.IsZero() }, append(lead, colDisability,
			column{"Child Protection Plan Start Date", func(s *story, _ string) any { return date(s.cpStart) }},
			column{"Initial Category of Abuse", func(s *story, st string) any { return categoryOf(s.category, st) }},
			column{"Latest Category of Abuse", func(s *story, st string) any { return categoryOf(s.category, st) }},
			column{"Date of the Last Statutory Visit", func(s *story, _ string) any { return date(seen(s)) }},
			column{"Was the Child Seen Alone?", func(s *story, st string) any { return yesNo(s.age >= 4, st) }},
			column{"Date of latest review conference", constant(nil)},
			column{"Child Protection Plan End Date", constant(nil)},
			column{"Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)", func(_ *story, st string) any { return yesNo(false, st) }},
			column{"Number of Previous Child Protection Plans", constant(0)},
			colTeam, colWorker)
	case 8:
		return "Children in care", func(s *story) bool { return !s.lacStart.IsZero() }, append(lead,
			column{"Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", func(_ *story, st string) any { return yesNo(false, st) }},
			colDisability,
			column{"Date Started to be Looked After", func(s *story, _ string) any { return date(s.lacStart) }},
			column{"Child's Category of Need", func(s *story, st string) any { return labelled(s.need, needLabel, st) }},
			column{"Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)", func(_ *story, st string) any { return yesNo(false, st) }},
			column{"Start date of current legal status", func(s *story, _ string) any { return date(s.lacStart) }},
			column{"Child's Legal Status", constant("C2")},
			column{"Date of Latest Statutory Review", func(s *story, _ string) any { return date(a.beforeAsOf(days(s.lacStart, 20))) }},
			column{"Date of Last Social Work Visit", func(s *story, _ string) any { return date(seen(s)) }},
			column{"What is the permanence plan for this child?", constant("Return to family")},
			column{"Date of Last IRO Visit / Contact to the Child", constant(nil)},
			column{"Date of Last Health Assessment", constant(nil)},
			column{"Date of Last Dental Check", constant(nil)},
			column{"Number of Placements in the Last 12 months", constant(1)},
			column{"Date Ceased to be Looked After", constant(nil)},
			column{"Reason Ceased to be Looked After", constant(nil)},
			column{"Start Date of Most Recent Placement", func(s *story, _ string) any { return date(s.lacStart) }},
			column{"Placement Type", constant("U3")},
			column{"Placement Provider", constant("PR1")},
			column{"Placement postcode", func(s *story, _ string) any { return s.c.Postcode }},
			column{"URN of Placement", constant(nil)},
			column{"Placement Location", constant("Inside LA")},
			column{"LA of Placement", constant("Synthshire")},
			column{"Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months", constant(0)},
			column{"Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months", constant(0)},
			column{"Was the child offered a Return Interview after their last missing episode (Y/N)?", constant(nil)},
			column{"Did the child accept a Return Interview after their last missing episode (Y/N)?", constant(nil)},
			colTeam, colWorker)
	case 9:
		return "Care leavers", func(s *story) bool { return s.stage == stageCIC && s.age >= 16 }, append(lead, colDisability, colTeam, colWorker,
			column{"Eligibility Category", constant("Relevant")},
			column{"LA In Touch ", func(_ *story, st string) any { return yesNo(true, st) }},
			column{"Type of Accommodation", constant("Semi-independent")},
			column{"Suitability of Accommodation", constant("Suitable")},
			column{"Activity Status", constant("Education")},
			column{"Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)", func(_ *story, st string) any { return yesNo(false, st) }},
			column{"Allocated Personal Advisor", func(s *story, _ string) any { return s.worker }},
			column{"Latest Pathway Plan Review Date", func(s *story, _ string) any { return date(seen(s)) }},
			column{"Latest Date of Contact", func(s *story, _ string) any { return date(seen(s)) }})
	}
	return "", nil, nil
}

// emptyLists are the adoption lists' headings, written without rows.
var emptyLists = map[int][2]string{
	10: {"Adoption", "Child Unique ID|Family identifier|Gender|Ethnicity|Date of Birth|Age of Child (Years)|Does the Child have a Disability|Date the Child Entered Care|Date of Decision that Child Should be Placed for Adoption|Date of Placement Order|Date of Matching Child and Prospective Adopters|Date Placed for Adoption|Date of Adoption Order|Date of Decision that Child Should No Longer be Placed for Adoption|Reason Why Child No Longer Placed for Adoption|Date the child was placed for fostering in FFA or concurrent planning placement"},
	11: {"Adopters", "Individual adopter identifier|Family identifier|Gender|Ethnicity|Disability|Is the (prospective) adopter fostering for adoption?|Date enquiry received|Date Stage 1 started|Date Stage 1 ended|Date Stage 2 started|Date Stage 2 ended|Date application submitted|Date application approved|Date adopter matched with child(ren)|Date child/children placed with adopter(s)|No. of children placed|Date of Adoption Order|Date of leaving adoption process|Reason for leaving adoption process"},
}

// exportHeading rewrites a heading as local exports do: other wordings,
// other case, stray spaces.
func exportHeading(h string, i int) string {
	if alias, ok := map[string]string{
		"Date of Birth": "DOB", "Age of Child (Years)": "Age", "Referral NFA?": "Referral NFA",
		"Child Protection Plan Start Date": "CP Plan Start Date", "Continuous Assessment Start Date": "Assessment Start Date",
		"Does the Child have a Disability": "Disability",
	}[h]; ok {
		return alias
	}
	switch i % 3 {
	case 0:
		return strings.ToLower(h)
	case 1:
		return strings.ToUpper(h[:1]) + h[1:] + " "
	}
	return strings.ReplaceAll(h, " ", "  ")
}

// exportExtras are columns exports add that the lists do not have.
var exportExtras = []string{"Record Created", "Team Manager"}

// annexARows calls fn with the headings and then every row of list n.
func (a *Area) annexARows(n int, style string, heading func([]any) error, row func([]any) error) (int, error) {
	_, on, cols := a.annexA(n)
	hs := make([]any, 0, len(cols)+2)
	for i, c := range cols {
		h := c.name
		if style == StyleExport {
			h = exportHeading(h, i)
		} else {
			h = strings.TrimRight(h, " ")
			if c.name == "LA In Touch " {
				h = c.name // the template's own trailing space
			}
		}
		hs = append(hs, h)
	}
	if style == StyleExport {
		hs = append(hs, anys(exportExtras)...)
	}
	if err := heading(hs); err != nil {
		return 0, err
	}
	rows := 0
	for _, s := range a.stories {
		if !on(s) {
			continue
		}
		vals := make([]any, 0, len(hs))
		for _, c := range cols {
			v := c.value(s, style)
			if t, ok := v.(time.Time); ok && style == StyleExport {
				v = exportDate(t, n)
			}
			vals = append(vals, v)
		}
		if style == StyleExport {
			vals = append(vals, exportDate(s.contact.Time, n), s.team+" Manager")
		}
		if err := row(vals); err != nil {
			return rows, err
		}
		rows++
	}
	return rows, nil
}

// exportDate writes a date as text, as exports do: dd/mm/yyyy mostly,
// yyyy-mm-dd on some lists.
func exportDate(t time.Time, list int) string {
	if list%2 == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("02/01/2006")
}

// WriteAnnexA writes the Annex A workbook in a style and returns the number
// of data rows over all lists.
func (a *Area) WriteAnnexA(w io.Writer, style string) (int, error) {
	wb, err := newWorkbook()
	if err != nil {
		return 0, err
	}
	defer wb.f.Close()
	text := func(name string, lines ...string) error {
		sw, err := wb.sheet(name)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if err := sw.row([]any{l}); err != nil {
				return err
			}
		}
		return sw.Flush()
	}
	if style == StyleOfficial {
		if err := text("Front_Sheet", "Annex A: lists of children", "Local authority: Synthshire (synthetic data)"); err != nil {
			return 0, err
		}
		if err := text("Guidance", "Complete one sheet per list.", "Child Unique ID | Date of Birth"); err != nil {
			return 0, err
		}
	}
	total := 0
	for n := 1; n <= annexALists; n++ {
		title, _, _ := a.annexA(n)
		name := fmt.Sprintf("List_%d", n)
		if style == StyleExport {
			name = fmt.Sprintf("List %d", n)
		}
		sw, err := wb.sheet(name)
		if err != nil {
			return total, err
		}
		heading := sw.row
		if style == StyleOfficial {
			heading = func(hs []any) error {
				if err := sw.row([]any{fmt.Sprintf("List %d: %s", n, title)}); err != nil {
					return err
				}
				return sw.row(hs)
			}
		}
		rows, err := a.annexARows(n, style, heading, sw.row)
		total += rows
		if err != nil {
			return total, err
		}
		if err := sw.Flush(); err != nil {
			return total, err
		}
	}
	if style == StyleOfficial {
		for n := 10; n <= 11; n++ {
			l := emptyLists[n]
			sw, err := wb.sheet(fmt.Sprintf("List_%d", n))
			if err != nil {
				return total, err
			}
			if err := sw.row([]any{fmt.Sprintf("List %d: %s", n, l[0])}); err != nil {
				return total, err
			}
			if err := sw.row(anys(strings.Split(l[1], "|"))); err != nil {
				return total, err
			}
			if err := sw.Flush(); err != nil {
				return total, err
			}
		}
		if err := text("Codes_used", "Gender", "a) Male", "b) Female", "c) Not stated/recorded", "d) Neither"); err != nil {
			return total, err
		}
	}
	return total, wb.f.Write(w)
}

// WriteAnnexACSV writes Annex A list n (1 to 9) as CSV: headings in the
// first row, dates as dd/mm/yyyy.
func (a *Area) WriteAnnexACSV(w io.Writer, n int, style string) (int, error) {
	if n < 1 || n > annexALists {
		return 0, fmt.Errorf("no Annex A list %d here", n)
	}
	cw := csv.NewWriter(w)
	write := func(row []any) error { return cw.Write(csvCells(row, "02/01/2006")) }
	rows, err := a.annexARows(n, style, write, write)
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return rows, err
}
