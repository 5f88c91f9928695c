package ingest

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"14/03/2019": "2019-03-14", "4/3/2019": "2019-03-04", "2019-03-14": "2019-03-14", "14-03-2019": "2019-03-14",
		"14.03.2019": "2019-03-14", "20190314": "2019-03-14", "43538": "2019-03-14", "43538.5": "2019-03-14",
		"2019-03-14T00:00:00": "2019-03-14", "14/03/2019 00:00:00": "2019-03-14", "14 Mar 2019": "2019-03-14",
		"14-March-2019": "2019-03-14", "29/02/2024": "2024-02-29", " 01/01/2020 ": "2020-01-01", "1": "1900-01-01",
		"61":         "1900-03-01",
		"31/02/2019": "", "29/02/2023": "", "2019-13-01": "", "14/03/19": "", "yesterday": "", "": "", "60": "",
		"0": "", "14 Mrch 2019": "", "1/1/1850": "", "999999": "", "12/03": "", "-5": "",
	} {
		d, ok := ParseDate(in, false)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ParseDate(%q) = %q, want %q", in, got, want)
		}
	}
	if d, ok := ParseDate("0", true); !ok || d.String() != "1904-01-01" {
		t.Errorf("1904 serial 0 = %v %v", d, ok)
	}
}

func TestNotADay(t *testing.T) {
	for in, want := range map[string]string{
		"30/02/2023": "30 February 2023", "2023-02-30": "30 February 2023", "29/02/2023": "29 February 2023",
		"31-Sept-2024": "31 September 2024", "31.04.2025 00:00": "31 April 2025",
		// Real days, and values in no form of date, are not "not a day".
		"29/02/2024": "", "28/02/2023": "", "2019-13-01": "", "32/01/2020": "", "yesterday": "", "43538": "", "": "",
	} {
		got, ok := NotADay(in)
		if got != want || ok != (want != "") {
			t.Errorf("NotADay(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseISODate(t *testing.T) {
	for in, want := range map[string]bool{"2024-03-31": true, "2024-02-30": false, "31/03/2024": false, "2024-3-31": false, "2024-03-31Z": false} {
		if _, ok := ParseISODate(in); ok != want {
			t.Errorf("ParseISODate(%q) ok = %v", in, ok)
		}
	}
}

func TestMaskDate(t *testing.T) {
	for in, want := range map[string]string{
		"31/02/2019": "3*/0*/20**", "3/2/2019": "*/*/20**", "43538": "43***", "14 Mar 2019": "1* *** 20**", "2019-02-31": "20**-0*-3*",
	} {
		if got := MaskDate(in); got != want {
			t.Errorf("MaskDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeLookup(t *testing.T) {
	for _, c := range []struct {
		list *CodeList
		in   string
		want string
	}{
		{Genders, "a) Male", "Male"}, {Genders, "Male ", "Male"}, {Genders, "FEMALE", "Female"}, {Genders, "c) Not stated/recorded", "Not stated/recorded"},
		{Ethnicities, "a) WBRI", "WBRI"}, {Ethnicities, "wbri", "WBRI"}, {Ethnicities, "White British", "WBRI"}, {Ethnicities, "t) NOBT", "NOBT"},
		{ReferralSources, "q) 6: Police", "6"}, {ReferralSources, "6", "6"}, {ReferralSources, "Police", "6"}, {ReferralSources, "u) 10: Unknown", "10"},
		{ReferralSources, "e) 2A: Schools", "2A"}, {ReferralSources, "Individual", ""}, {ReferralSources, "66", ""},
		{NeedCodes, "N1 - Abuse or neglect", "N1"}, {NeedCodes, "N1", "N1"}, {NeedCodes, "n9", "N9"}, {NeedCodes, "N10", ""},
		{YesNoCodes, "a) Yes", "yes"}, {YesNoCodes, "Y", "yes"}, {YesNoCodes, "b) No", "no"}, {YesNoCodes, "N", "no"}, {YesNoCodes, "c) Unknown", "unknown"},
		{ClosureReasons, "RC8 - Case closed after assessment, no further action", "RC8"},
		{CaseStatuses, "b) Child Protection plan", "Child Protection plan"},
		{AbuseCategories, "e) Multiple/not recommended", "MUL"}, {AbuseCategories, "NEG", "NEG"},
		{AssessmentFactors, "3A", "3A"}, {AssessmentFactors, "18A", ""},
		{AbuseTypes, "Child to parent", AbuseChildToParent}, {AbuseTypes, "teenage relationship", AbuseTeenageRelationship},
	} {
		got, ok := c.list.Lookup(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s.Lookup(%q) = %q, %v; want %q", c.list.Name, c.in, got, ok, c.want)
		}
	}
}

func decode(t *testing.T, in []byte) (string, Encoding) {
	t.Helper()
	r, enc := NewTextReader(bytes.NewReader(in))
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), enc
}

func TestTextReader(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
		enc  Encoding
	}{
		{"utf-8", []byte("Zoë,1\n"), "Zoë,1\n", UTF8},
		{"bom", []byte("\xef\xbb\xbfZoë,1\n"), "Zoë,1\n", UTF8BOM},
		{"1252", []byte("Zo\xeb \x96 \x80\n"), "Zoë – €\n", Windows1252},
		{"utf-16le", []byte("\xff\xfeZ\x00o\x00\xeb\x00"), "Zoë", UTF16LE},
		{"utf-16be", []byte("\xfe\xff\x00Z\x00o\x00\xeb"), "Zoë", UTF16BE},
	} {
		got, enc := decode(t, c.in)
		if got != c.want || enc != c.enc {
			t.Errorf("%s: %q (%s), want %q (%s)", c.name, got, enc, c.want, c.enc)
		}
	}
	// A Windows-1252 character after the first 64 KiB switches the rest.
	long := strings.Repeat("a", sniffSize+10) + "Zo\xeb"
	got, enc := decode(t, []byte(long))
	if enc != UTF8 || !strings.HasSuffix(got, "Zoë") {
		t.Errorf("late Windows-1252: %q (%s)", got[len(got)-5:], enc)
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Kind
	}{
		{"PK\x03\x04rest", KindZip}, {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", KindOLE2}, {"%PDF-1.4", KindPDF},
		{"\xef\xbb\xbf<?xml version=\"1.0\"?>", KindXML}, {"  <Message>", KindXML}, {"a,b\n", KindText}, {"\x00\x01\x02", KindUnknown},
	} {
		if got := Sniff([]byte(c.in)); got != c.want {
			t.Errorf("Sniff(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestSummaryKeepsFirstProblems(t *testing.T) {
	s := NewSummary(2)
	for i := 0; i < 5; i++ {
		s.Add(Problem{Rule: RuleDateInvalid, Severity: Error})
	}
	s.Add(Problem{Rule: RuleColumnUnknown, Severity: Warning})
	if len(s.Problems) != 2 || s.Dropped != 4 || s.Errors != 5 || s.Warnings != 1 || s.ByRule[RuleDateInvalid] != 5 {
		t.Errorf("summary %+v", s)
	}
	all := NewSummary(10)
	all.Merge(s)
	if len(all.Problems) != 2 || all.Dropped != 4 || all.Errors != 5 || all.ByRule[RuleColumnUnknown] != 1 {
		t.Errorf("merged %+v", all)
	}
}
