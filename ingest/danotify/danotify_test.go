package danotify_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jtai/ingest"
	"jtai/ingest/danotify"
)

func TestTemplateReadsBackEmpty(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		var buf bytes.Buffer
		if err := danotify.WriteTemplate(&buf, format); err != nil {
			t.Fatal(err)
		}
		var sum *ingest.Summary
		var err error
		emit := func(ingest.Record) error { t.Error("a blank template has no rows"); return nil }
		if format == "xlsx" {
			sum, err = danotify.ReadWorkbook(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "template.xlsx", danotify.Options{}, emit)
		} else {
			sum, err = danotify.ReadCSV(&buf, "template.csv", danotify.Options{}, emit)
		}
		if err != nil || len(sum.Problems) != 0 || len(sum.Lists) != 1 || sum.Lists[0].Rows != 0 {
			t.Errorf("%s: err %v, summary %+v", format, err, sum)
		}
	}
	if err := danotify.WriteTemplate(&bytes.Buffer{}, "pdf"); err == nil {
		t.Error("a pdf template was written")
	}
}

func TestTemplateSheet(t *testing.T) {
	var buf bytes.Buffer
	if err := danotify.WriteTemplate(&buf, "xlsx"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(danotify.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|"); got != strings.Join(danotify.Headings(), "|") || len(rows) != 1 {
		t.Errorf("template rows %q", rows)
	}
}

func TestNotificationsCSV(t *testing.T) {
	csv := "Child Unique ID,Date of Birth,Expected Date of Birth,Gender,Police Reference,Date of Incident,Child Present (Y/N)," +
		"Child's Relationship to Victim,Child's Relationship to Perpetrator,Victim and Perpetrator Personally Connected (Y/N)," +
		"Risk Level (Standard/Medium/High),Notified to Children's Social Care,Notified to School or Early Years (Operation Encompass)," +
		"MARAC Case (Y/N),MARAC Date,\"Abuse Type (child-to-parent, teenage relationship, adult)\"\n" +
		"SYN000701,14/03/2019,,Female,SYN/PR/0000001,02/09/2024,Y,Child of victim,Child of perpetrator,Y,High,03/09/2024,Y,Y,20/09/2024,adult\n" +
		"SYN000702,,01/12/2024,,SYN/PR/0000002,2024-09-04,N,Unborn child of victim,Not related,Y,Medium,N,N,N,,Adult\n" +
		"SYN000703,01/01/2008,,Male,SYN/PR/0000003,31/09/2024,Y,Self,Partner,Y,Severe,Maybe,Y,N,,teenage relationship\n" +
		"SYN000704,01/01/2011,,Male,SYN/PR/0000004,,Y,Child of victim,Self,Y,Standard,Y,N,N,,child to parent\n"
	var recs []ingest.Record
	sum, err := danotify.ReadCSV(strings.NewReader(csv), "Domestic abuse notifications.csv", danotify.Options{}, func(r ingest.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range sum.Problems {
		got = append(got, fmt.Sprintf("%d|%s|%s|%s", p.Row, p.Column, p.Rule, p.Message))
	}
	want := []string{
		"4|Date of Incident|date-invalid|Row 4, 'Date of Incident': 31 September 2024 is not a day in the calendar",
		"4|Notified to Children's Social Care|code-unknown|Row 4, 'Notified to Children's Social Care': Maybe is not Yes, No or a date",
		"5|Date of Incident|required|Row 5, 'Date of Incident' is blank; every row needs a value here",
		// jtai does not use the risk level: a warning, and the column is not kept.
		"4|Risk Level (Standard/Medium/High)|column-not-used|Column 'Risk Level (Standard/Medium/High)': 1 row holds a value jtai cannot read (the first, row 4: Severe is not a known risk level code; use Standard, Medium or High); jtai does not use this column, so it was left out and the rest was imported",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(recs) != 4 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	// The police reference, the relationships, the risk level and whether
	// victim and perpetrator are connected are not used, so not kept.
	if r.PoliceReference != "" || r.ChildPresent != ingest.Yes || r.RiskLevel != "" || r.NotifiedCSC != ingest.Yes ||
		r.NotifiedCSCDate.String() != "2024-09-03" || r.MARACCase != ingest.Yes || r.MARACDate.String() != "2024-09-20" ||
		r.AbuseType != ingest.AbuseAdult || r.PersonallyConnected != "" || r.RelationshipVictim != "" {
		t.Errorf("first notification %+v", r)
	}
	if u := recs[1]; u.ExpectedDateOfBirth.String() != "2024-12-01" || !u.DateOfBirth.IsZero() || u.ChildPresent != ingest.No {
		t.Errorf("unborn %+v", u)
	}
	if recs[2].AbuseType != ingest.AbuseTeenageRelationship || recs[3].AbuseType != ingest.AbuseChildToParent || recs[2].Errors != 2 {
		t.Errorf("abuse types %q %q, errors %d", recs[2].AbuseType, recs[3].AbuseType, recs[2].Errors)
	}
}

func TestIsSheet(t *testing.T) {
	for name, want := range map[string]bool{
		"Domestic abuse notifications": true, "domestic abuse notifications ": true, "Domestic_Abuse_Notifications": true,
		"DA notifications": true, "Domestic abuse": true, "Sheet1": false, "List_1": false,
	} {
		if danotify.IsSheet(name) != want {
			t.Errorf("IsSheet(%q) = %v", name, !want)
		}
	}
}
