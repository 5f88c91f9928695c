package cincensus_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"jtai"
	"jtai/ingest"
	"jtai/ingest/cincensus"
)

func read(t *testing.T, data []byte, opts cincensus.Options) ([]ingest.Record, *ingest.Summary, error) {
	t.Helper()
	var recs []ingest.Record
	sum, err := cincensus.Read(bytes.NewReader(data), "census.xml", opts, func(r ingest.Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, sum, err
}

func lines(ps []ingest.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%s\n", p.Row, p.Column, p.Rule, p.Severity, p.Value, p.Message)
	}
	return b.String()
}

func TestCensusFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/census-2023.xml")
	if err != nil {
		t.Fatal(err)
	}
	var header cincensus.Header
	recs, sum, err := read(t, data, cincensus.Options{Header: func(h cincensus.Header) { header = h }})
	if err != nil {
		t.Fatal(err)
	}
	const c = "Message/Children/Child/"
	want := "" +
		"75|" + c + "ChildIdentifiers/UPN|format-invalid|error|(hidden)|Line 75, 'UPN': the value is not a UPN (a letter, 11 digits, then a digit or a letter)\n" +
		"76|" + c + "ChildIdentifiers/UPNunknown|code-unknown|error|UN9|Line 76, 'UPNunknown': UN9 is not one of UN1 to UN7\n" +
		"77|" + c + "ChildIdentifiers/PersonBirthDate|date-invalid|error|20**-0*-3*|Line 77, 'PersonBirthDate': 20**-0*-3* is not a day in the calendar: the month has fewer days\n" +
		"78|" + c + "ChildIdentifiers/Sex|code-unknown|error|X|Line 78, 'Sex': X is not a known sex code (M, F or U)\n" +
		"81|" + c + "ChildCharacteristics/Ethnicity|code-unknown|error|WBRX|Line 81, 'Ethnicity': WBRX is not a known ethnicity code\n" +
		"84|" + c + "CINdetails/CINreferralDate|date-invalid|error|2023-13-01|Line 84, 'CINreferralDate': 2023-13-01 is not a date: there is no month 13\n" +
		"85|" + c + "CINdetails/ReferralSource|code-unknown|error|66|Line 85, 'ReferralSource': 66 is not a known referral source code\n" +
		"86|" + c + "CINdetails/ReferralNFA|code-unknown|error|maybe|Line 86, 'ReferralNFA': maybe is not true, false, 1 or 0\n" +
		"90|" + c + "CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors|code-unknown|error|18A|Line 90, 'AssessmentFactors': 18A is not a known assessment factor code\n" +
		"87|" + c + "CINdetails/Assessments|inconsistent|warning||Line 87, 'Assessments': factors are given for an assessment that has no AssessmentAuthorisationDate; factors belong to an authorised assessment\n" +
		"94|" + c + "CINdetails/OldElement|element-unknown|warning||Line 94, 'OldElement': the census has no element of this name, so it and what it holds were not read\n" +
		"97|Message/Children/Child|required|error||Line 97, 'Child': there is no LAchildID, so the child was not imported\n" +
		"108|" + c + "CINdetails|implausible|warning||Line 108, 'CINdetails': the episode closes (5 January 2024) before its referral (10 January 2024) (DfE validation rule 8630)\n"
	if got := lines(sum.Problems); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
	if header.LEA != "999" || header.Year != "2024" || !header.ReferenceDate.Equal(jtai.NewDate(2024, 3, 31).Time) {
		t.Errorf("header %+v", header)
	}
	if l := sum.Lists[0]; l.LACode != "999" || l.ReferenceDate.String() != "2024-03-31" {
		t.Errorf("the summary's census header: %+v", l)
	}
	if len(recs) != 3 || sum.Rows(ingest.ListCINCensus) != 3 {
		t.Fatalf("%d records, %d rows; want 3", len(recs), sum.Rows(ingest.ListCINCensus))
	}
	first := recs[0]
	check := []struct {
		name     string
		got, exp any
	}{
		{"id", first.LAChildID, "SYN000501"}, {"row", first.Source.Row, 32}, {"gender", first.Gender, "Female"},
		{"factors", strings.Join(first.AssessmentFactors, " "), "3B 3A 4B"}, {"latest assessment", first.AssessmentStartDate.String(), "2023-11-01"},
		{"authorised", first.AssessmentAuthDate.String(), "2023-12-01"}, {"source", first.ReferralSource, "6"}, {"nfa", first.ReferralNFA, ingest.No},
		{"cin start", first.CINStartDate.String(), "2023-06-01"}, {"s47", first.S47StartDate.String(), "2023-06-05"}, {"icpc", first.ICPCDate.String(), "2023-06-19"},
		{"icpc not required", first.ICPCNotRequired, ingest.No}, {"plan", first.CPPlanStartDate.String(), "2023-06-19"}, {"initial", first.InitialCategory, "EMO"},
		{"latest", first.LatestCategory, "NEG"}, {"disability", first.Disability, ingest.No}, {"upn", first.UPN, "Z00000000001A"}, {"errors", first.Errors, 0},
		{"second errors", recs[1].Errors, 9}, {"unborn", recs[2].ExpectedDateOfBirth.String(), "2024-05-01"}, {"unborn sex", recs[2].Gender, "Not stated/recorded"},
		{"nfa no cin", recs[2].CINStartDate.IsZero(), true},
	}
	for _, c := range check {
		if fmt.Sprint(c.got) != fmt.Sprint(c.exp) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.exp)
		}
	}
}

func TestBrokenCensus(t *testing.T) {
	good, err := os.ReadFile("testdata/census-2023.xml")
	if err != nil {
		t.Fatal(err)
	}
	deep := "<Message>" + strings.Repeat("<Children>", 100) + strings.Repeat("</Children>", 100) + "</Message>"
	for _, c := range []struct {
		name, data, rule, msg string
	}{
		{"truncated", string(good[:2000]), ingest.RuleFileBroken, "the XML stops before its end (line 55); the file may have been cut short, so export the census again"},
		{"not well formed", "<Message><Children></Child></Message>", ingest.RuleFileBroken, "the XML is not well formed at line 1; export the census again"},
		{"too deep", deep, ingest.RuleXMLTooDeep, "the XML nests elements more than 64 deep at line 1; the census is never that deep"},
		{"other root", "<?xml version=\"1.0\"?><Workbook/>", ingest.RuleFileType, "this XML file is not a CIN census: it starts with <Workbook>, not <Message>"},
		{"csv", "Child Unique ID,Gender\n", ingest.RuleFileType, "this is a text file, not the CIN census XML"},
		{"empty", "", ingest.RuleFileType, "this is a text file, not the CIN census XML"},
		{"xlsx", "PK\x03\x04", ingest.RuleFileType, "this is an Excel workbook (.xlsx) or another zip file, not the CIN census XML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := read(t, []byte(c.data), cincensus.Options{})
			var rej *ingest.RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want a RejectError", err)
			}
			if rej.Problem.Rule != c.rule || rej.Problem.Message != c.msg {
				t.Errorf("got %s: %q\nwant %s: %q", rej.Problem.Rule, rej.Problem.Message, c.rule, c.msg)
			}
		})
	}
}

func TestCensusSizeLimit(t *testing.T) {
	data, _ := os.ReadFile("testdata/census-2023.xml")
	_, _, err := read(t, data, cincensus.Options{Limits: ingest.Limits{MaxFileSize: 1000}})
	var rej *ingest.RejectError
	if !errors.As(err, &rej) || rej.Problem.Rule != ingest.RuleFileTooLarge {
		t.Fatalf("err = %v, want file-too-large", err)
	}
}

func TestCensusDateOfDeath(t *testing.T) {
	data := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
<Children>
<Child><ChildIdentifiers><LAchildID>D1</LAchildID><PersonBirthDate>2021-04-01</PersonBirthDate><PersonDeathDate>2025-02-14</PersonDeathDate><Sex>M</Sex></ChildIdentifiers>
<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails>
<CINdetails><CINreferralDate>2024-09-01</CINreferralDate><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>A1</LAchildID><PersonBirthDate>2021-04-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<CINdetails><CINreferralDate>2024-06-01</CINreferralDate><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails></Child>
</Children></Message>`)
	recs, sum, err := read(t, data, cincensus.Options{})
	if err != nil || sum.Errors != 0 || len(recs) != 3 {
		t.Fatalf("%d records, %v, %+v", len(recs), err, sum.Problems)
	}
	for i, want := range []string{"2025-02-14", "2025-02-14", "0001-01-01"} {
		if got := recs[i].DateOfDeath.String(); got != want {
			t.Errorf("record %d (%s): date of death %s, want %s", i, recs[i].LAChildID, got, want)
		}
	}
}

// TestCensusPlausibility: dates a census can hold but seldom should are
// warnings, each naming the DfE validation rule that makes the same check
// where there is one; a day the calendar does not have is an error that
// says so.
func TestCensusPlausibility(t *testing.T) {
	data, err := os.ReadFile("testdata/census-implausible.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, sum, err := read(t, data, cincensus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, p := range sum.Problems {
		fmt.Fprintf(&got, "%d|%s|%s|%s|%s|%s\n", p.Row, strings.TrimPrefix(p.Column, "Message/Children/Child/"), p.Rule, p.Severity, p.DfERule, p.Message)
	}
	const ci, cd = "ChildIdentifiers/", "CINdetails/"
	want := "" +
		"23|" + ci + "PersonBirthDate|implausible|warning||Line 23, 'PersonBirthDate': the child would be over 25 at the census's reference date (31 March 2024): check the date of birth\n" +
		"53|" + cd + "CINreferralDate|implausible|warning|8600|Line 53, 'CINreferralDate': 2 April 2024 is after the census's reference date (31 March 2024) (DfE validation rule 8600)\n" +
		"69|" + cd + "Assessments|implausible|warning|8608|Line 69, 'Assessments': the assessment is authorised (2 May 2023) before it starts (10 May 2023) (DfE validation rule 8608)\n" +
		"86|" + cd + "CINPlanDates|implausible|warning||Line 86, 'CINPlanDates': the plan ends (12 June 2023) before it starts (15 June 2023)\n" +
		"90|" + cd + "ChildProtectionPlans|implausible|warning|8925|Line 90, 'ChildProtectionPlans': the plan ends (20 June 2023) before it starts (1 July 2023) (DfE validation rule 8925)\n" +
		"107|" + cd + "CINreferralDate|implausible|warning||Line 107, 'CINreferralDate': the referral (1 July 2023) is before the child's date of birth: check the dates, unless the referral was made in pregnancy\n" +
		"120|" + cd + "CINreferralDate|implausible|warning|8606|Line 120, 'CINreferralDate': the referral (1 December 2022) is more than 40 weeks before the child's date of birth (DfE validation rule 8606)\n" +
		"129|" + ci + "ExpectedPersonBirthDate|implausible|warning|8530Q|Line 129, 'ExpectedPersonBirthDate': the expected date of birth is more than a month before the census's reference date (31 March 2024) and no date of birth is given: check whether the child has been born (DfE validation rule 8530Q)\n" +
		"155|" + ci + "PersonBirthDate|implausible|warning|8520|Line 155, 'PersonBirthDate': the date is after the census's reference date (31 March 2024) (DfE validation rule 8520)\n" +
		"159|" + cd + "CINreferralDate|implausible|warning||Line 159, 'CINreferralDate': the referral (1 March 2024) is before the child's date of birth: check the dates, unless the referral was made in pregnancy\n" +
		"175|" + cd + "CINclosureDate|date-invalid|error||Line 175, 'CINclosureDate': 30 February 2023 is not a day in the calendar\n"
	if got.String() != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got.String(), want)
	}
	if sum.Errors != 1 || sum.Warnings != 10 || sum.ByRule[ingest.RuleImplausible] != 10 {
		t.Errorf("%d errors, %d warnings, by rule %v; want the one day that is not one to be the only error", sum.Errors, sum.Warnings, sum.ByRule)
	}
}
