package annexa_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jtai"
	"jtai/ingest"
	"jtai/ingest/annexa"
)

// sheet is a sheet of a test workbook: a time.Time cell is written as an
// Excel date cell, as Excel saves a typed date.
type sheet struct {
	name string
	rows [][]any
}

func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
				if _, ok := v.(time.Time); ok {
					f.SetCellStyle(s.name, cell, cell, dateStyle)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func read(t *testing.T, data []byte, name string) ([]ingest.Record, *ingest.Summary) {
	t.Helper()
	var recs []ingest.Record
	sum, err := annexa.ReadWorkbook(bytes.NewReader(data), int64(len(data)), name, annexa.Options{}, func(r ingest.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadWorkbook: %v", err)
	}
	return recs, sum
}

// problemLines renders problems as "sheet|row|column|rule|severity|message".
func problemLines(ps []ingest.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s|%d|%s|%s|%s|%s", p.Sheet, p.Row, p.Column, p.Rule, p.Severity, p.Message))
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\ngot:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The irregular workbook real authorities send: Ofsted's template sheets
// with a title row and trailing-space headings, export-style sheets with
// headings in row 1, a 2023-24 List 9, blank rows, serial and text dates.
func irregularWorkbook(t testing.TB) []byte {
	return workbook(t,
		sheet{"Front_Sheet", [][]any{{"Annex A"}, {"Local authority", "Synthshire"}}},
		sheet{"List_1", [][]any{
			{"List 1: Contacts"},
			{"Child Unique ID ", "Gender", "Ethnicity ", "Date of Birth", "Age of Child (Years)", "Date of Contact ", "Contact Source"},
			{"SYN000001", "a) Male", "a) WBRI", day(2019, 3, 14), 5, day(2024, 9, 2), "q) 6: Police"},
			{},
			{"SYN000002", "b) Female", "APKN", "45000", 1, "2024-09-03", "6"},
			{"SYN000003", "Female ", "wbri", "31/02/2019", 5, "3/9/2024", "Police"},
		}},
		sheet{"List 3", [][]any{
			{"child unique id", "GENDER", "Ethnicity", "DOB", "Age", "Date of referral", "Referral source", "Referral NFA", "Number of referrals in last 12 months", "Allocated team", "Allocated worker", "Notes"},
			{"SYN000001", "Male", "WBRI", "14/03/2019", 5, "04-09-2024", "q) 6: Police", "b) No", 1, "Team A", "Worker One", "x"},
			{"SYN000004", "Mle", "WBRI", "14/03/2019", 5, "04/09/2024", "66", "Maybe", "two", "", "", ""},
			{"", "Male", "WBRI", "", 5, "", "", "", "", "", "", ""},
		}},
		sheet{"list 6 - Children in need ", [][]any{
			{"List 6: Children in need"},
			{},
			{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability", "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure", "Case Status", "Allocated Team", "Allocated Worker"},
			{"SYN000001", "a) Male", "a) WBRI", day(2019, 3, 14), 5, "b) No", day(2024, 9, 20), "N1 - Abuse or neglect", "", "", "", "c) Child in need plan", "", ""},
			{"SYN000001", "a) Male", "a) WBRI", day(2019, 3, 14), 5, "N", "2024-09-21", "N1", "", "", "", "Child in need plan", "", ""},
		}},
		sheet{"List_9", [][]any{
			{"List 9: Care leavers"},
			{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability", "Allocated Team", "Allocated Worker", "Eligibility Category", "LA In Touch ", "Type of Accommodation", "Suitability of Accommodation", "Activity Status",
				"Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)", "Allocated Personal Advisor", "Latest Pathway Plan Review Date", "Latest Date of Contact", "Pathway Plan Notes"},
			{"SYN000009", "Female", "WBRI", "01/01/2006", 18, "No", "", "", "", "Yes", "", "", "", "N", "", "2024-08-01", "2024-08-02", "x"},
		}},
		sheet{"List_7", [][]any{
			{"List 7: Child protection"},
			{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Initial Category of Abuse"},
			{"SYN000001", "Male", "WBRI", "14/03/2019", 5, "Emotional abuse"},
		}},
		sheet{"Guidance", [][]any{{"Child Unique ID", "Date of Birth"}}},
		sheet{"Codes_used", [][]any{{"Gender"}, {"a) Male"}}},
	)
}

func TestIrregularWorkbook(t *testing.T) {
	recs, sum := read(t, irregularWorkbook(t), "annex-a.xlsx")
	diffLines(t, problemLines(sum.Problems), []string{
		"List_1|6|Date of Birth|date-invalid|error|Row 6, 'Date of Birth': 3*/0*/20** is not a day in the calendar: the month has fewer days",
		"List 3|1|Notes|column-unknown|warning|Column 'Notes' is not part of List 3, so it was not imported",
		"List 3|3|GENDER|code-unknown|error|Row 3, 'GENDER': Mle is not a known gender code; use Male, Female, Not stated/recorded or Neither",
		"List 3|3|Referral source|code-unknown|error|Row 3, 'Referral source': 66 is not a known referral source code; use one of 1A, 1B, 1C, 1D, 2A, 2B, 3A, 3B, 3C, 3D, or one of the 15 others that the list guide (/guide/lists) gives",
		"List 3|4|child unique id|required|error|Row 4, 'child unique id' is blank; every row needs a value here",
		"List 3|4|Date of referral|required|error|Row 4, 'Date of referral' is blank; every row needs a value here",
		// Columns jtai does not use warn, once each, and never stop the import.
		"List 3|3|Referral NFA|column-not-used|warning|Column 'Referral NFA': 1 row holds a value jtai cannot read (the first, row 3: Maybe is not Yes, No or Unknown); jtai does not use this column, so it was left out and the rest was imported",
		"List 3|3|Number of referrals in last 12 months|column-not-used|warning|Column 'Number of referrals in last 12 months': 1 row holds a value jtai cannot read (the first, row 3: two is not a whole number); jtai does not use this column, so it was left out and the rest was imported",
		"list 6 - Children in need |5|Child Unique ID|duplicate-id|error|Row 5, 'Child Unique ID': the same child is on row 4; List 6 has one row per child",
		"List_9|2|Pathway Plan Notes|column-unknown|warning|Column 'Pathway Plan Notes' is not part of List 9, so it was not imported",
		"List_7|2|Child Protection Plan Start Date|column-missing|error|Sheet 'List_7' has no 'Child Protection Plan Start Date' column; it is required, so no rows were imported",
	})
	if sum.Errors != 7 || sum.Warnings != 4 {
		t.Errorf("errors %d, warnings %d; want 7, 4", sum.Errors, sum.Warnings)
	}
	for list, want := range map[string]int{ingest.ListAnnexA1: 3, ingest.ListAnnexA3: 3, ingest.ListAnnexA6: 2, ingest.ListAnnexA9: 1, ingest.ListAnnexA7: 0} {
		if got := sum.Rows(list); got != want {
			t.Errorf("%s: %d rows, want %d", list, got, want)
		}
	}
	if len(recs) != 8 { // the row without an identifier is counted, not emitted
		t.Fatalf("%d records, want 8", len(recs))
	}
	want := ingest.Record{List: ingest.ListAnnexA1, Source: ingest.Source{File: "annex-a.xlsx", Sheet: "List_1", Row: 3},
		LAChildID: "SYN000001", Gender: "Male", Ethnicity: "WBRI", DateOfBirth: jtai.NewDate(2019, 3, 14),
		ContactDate: jtai.NewDate(2024, 9, 2), ContactSource: "6"}
	if !recordEqual(recs[0], want) {
		t.Errorf("first record\n got %+v\nwant %+v", recs[0], want)
	}
	second := recs[1]
	if second.Source.Row != 5 || !second.DateOfBirth.Equal(jtai.NewDate(2023, 3, 15).Time) || !second.ContactDate.Equal(jtai.NewDate(2024, 9, 3).Time) || second.Gender != "Female" {
		t.Errorf("second record (serial date, bare codes): %+v", second)
	}
	third := recs[2]
	if third.Errors != 1 || !third.DateOfBirth.IsZero() || third.Ethnicity != "WBRI" || third.ContactSource != "6" || !third.ContactDate.Equal(jtai.NewDate(2024, 9, 3).Time) {
		t.Errorf("third record (bad date of birth, d/m/yyyy): %+v", third)
	}
	ref := recs[3]
	if ref.List != ingest.ListAnnexA3 || ref.ReferralSource != "6" || ref.ReferralNFA != "" || !ref.ReferralDate.Equal(jtai.NewDate(2024, 9, 4).Time) || ref.AllocatedWorker != "" {
		t.Errorf("referral: %+v", ref)
	}
	cin := recs[5]
	// Primary need and disability are columns jtai does not use: not kept.
	if cin.PrimaryNeed != "" || cin.CaseStatus != "Child in need plan" || cin.Disability != "" || !cin.CINStartDate.Equal(jtai.NewDate(2024, 9, 20).Time) {
		t.Errorf("child in need: %+v", cin)
	}
	if leaver := recs[7]; leaver.UASC != "" || leaver.List != ingest.ListAnnexA9 {
		t.Errorf("care leaver: %+v", leaver)
	}
}

func recordEqual(a, b ingest.Record) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }

func TestNoListSheets(t *testing.T) {
	data := workbook(t, sheet{"Front_Sheet", [][]any{{"x"}}}, sheet{"notes", [][]any{{"y"}}})
	_, sum := read(t, data, "empty.xlsx")
	diffLines(t, problemLines(sum.Problems), []string{
		"|0||no-lists|error|No sheet of this workbook is an Annex A list; name each list's sheet as Ofsted's template does (List_1 to List_11) or 'List 1' to 'List 11'",
	})
}

func TestHeaderMissing(t *testing.T) {
	data := workbook(t, sheet{"List 2", [][]any{{"Early help"}, {"Name", "Start"}, {"a", "b"}}})
	_, sum := read(t, data, "eh.xlsx")
	diffLines(t, problemLines(sum.Problems), []string{
		"List 2|0||header-missing|error|Sheet 'List 2': none of the first 10 rows has the headings of List 2 (such as 'Child Unique ID')",
	})
}

func TestListNumber(t *testing.T) {
	for name, want := range map[string]int{
		"List_3": 3, "List 3": 3, "list 3 ": 3, "List 3 - Referrals": 3, "LIST3": 3, "List 10": 10, "List_11": 11,
		"List 1 2023-24": 1, "List 3.csv": 3, "list_3_referrals.csv": 3, "annex-a-list-3.csv": 3, "Annex A List 07.csv": 7,
		"Referrals": 3, "Children in need": 6, "referrals.csv": 3,
		"Front_Sheet": 0, "FAQ_and_changes": 0, "Guidance": 0, "Codes_used": 0, "notes": 0, "List 12": 0, "Checklist": 0,
	} {
		if got := annexa.ListNumber(name); got != want {
			t.Errorf("ListNumber(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestRejectedFiles(t *testing.T) {
	zipOf := func(name, content string) []byte {
		f := excelize.NewFile()
		defer f.Close()
		var b bytes.Buffer
		f.Write(&b)
		_ = name
		_ = content
		return b.Bytes()
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	encrypted := append(append([]byte{}, ole...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "this is a PDF file, not an Excel workbook; upload the lists as .xlsx or CSV"},
		{"xls", ole, "this is an Excel 97-2003 .xls file; save it as .xlsx or CSV and upload it again"},
		{"word 97-2003", append(append([]byte{}, ole...), []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00")...), "this is a Word 97-2003 document (.doc), not an Excel workbook; upload the lists as .xlsx or CSV"},
		{"encrypted", encrypted, "this workbook is protected by a password, so it cannot be read; remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and upload it again"},
		{"text", []byte("Child Unique ID,Gender\n"), "this is a text file, not an Excel workbook; if it is a CSV file, name it .csv"},
		{"truncated zip", zipOf("", "")[:100], "the workbook is damaged and cannot be opened (not a valid zip file); save it again in Excel"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := annexa.ReadWorkbook(bytes.NewReader(c.data), int64(len(c.data)), "lists.xlsx", annexa.Options{}, func(ingest.Record) error { return nil })
			var rej *ingest.RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v, want a RejectError", err)
			}
			if rej.Problem.Message != c.want {
				t.Errorf("message %q\nwant %q", rej.Problem.Message, c.want)
			}
			if jtai.ErrorKind(err) != jtai.EINVALID {
				t.Errorf("kind %q, want invalid", jtai.ErrorKind(err))
			}
		})
	}
}

func TestZipBombRefusedBeforeUnzipping(t *testing.T) {
	data := workbook(t, sheet{"List_1", [][]any{{"Child Unique ID", "Date of Birth", "Date of Contact"}}})
	_, err := annexa.ReadWorkbook(bytes.NewReader(data), int64(len(data)), "bomb.xlsx",
		annexa.Options{Limits: ingest.Limits{MaxUnzipped: 1000}}, func(ingest.Record) error { return nil })
	var rej *ingest.RejectError
	if !errors.As(err, &rej) || rej.Problem.Rule != ingest.RuleFileTooLarge {
		t.Fatalf("err = %v, want file-too-large", err)
	}
	if want := "the workbook would unzip to more than 1000 bytes, more than any list needs; it was not opened"; rej.Problem.Message != want {
		t.Errorf("message %q", rej.Problem.Message)
	}
}

func TestCSVFixtures(t *testing.T) {
	for _, c := range []struct {
		file    string
		list    string
		rows    int
		records int
		want    []string
	}{
		{"List 3.csv", ingest.ListAnnexA3, 3, 3, []string{
			"|4|Date of Referral|date-invalid|error|Row 4, 'Date of Referral': 31 February 2019 is not a day in the calendar",
		}},
		{"Referrals (Windows-1252).csv", ingest.ListAnnexA3, 2, 2, []string{
			"|3|Referral Source|code-unknown|error|Row 3, 'Referral Source': Polce is not a known referral source code; use one of 1A, 1B, 1C, 1D, 2A, 2B, 3A, 3B, 3C, 3D, or one of the 15 others that the list guide (/guide/lists) gives",
		}},
		{"export-no-list-in-name.csv", ingest.ListAnnexA7, 2, 2, nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var recs []ingest.Record
			sum, err := annexa.ReadCSV(f, c.file, annexa.Options{}, func(r ingest.Record) error { recs = append(recs, r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if got := sum.Rows(c.list); got != c.rows || len(recs) != c.records {
				t.Errorf("%d rows of %s and %d records, want %d and %d (lists %+v)", got, c.list, len(recs), c.rows, c.records, sum.Lists)
			}
			diffLines(t, problemLines(sum.Problems), c.want)
			if strings.Contains(c.file, "1252") && (recs[0].FirstName != "Zoë" || recs[0].LastName != "Brackenmoor–Ash") {
				t.Errorf("Windows-1252 text read as %q, %q", recs[0].FirstName, recs[0].LastName)
			}
			if strings.HasPrefix(c.file, "export") && (!recs[1].CPPlanEndDate.Equal(jtai.NewDate(2024, 9, 1).Time) || !recs[1].DateOfBirth.Equal(jtai.NewDate(2020, 1, 5).Time)) {
				t.Errorf("export row read as %+v", recs[1])
			}
		})
	}
}

// withErrorCells returns the workbook data with the given cells of its
// first sheet made Excel error cells (<c t="e"><v>#N/A</v></c>), as Excel
// saves a formula whose lookup failed. Each cell must exist in the data.
func withErrorCells(t *testing.T, data []byte, cells map[string]string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			for ref, v := range cells {
				re := regexp.MustCompile(`<c r="` + ref + `"[^>]*>.*?</c>`)
				if !re.Match(b) {
					t.Fatalf("no cell %s in the sheet", ref)
				}
				b = re.ReplaceAll(b, []byte(`<c r="`+ref+`" t="e"><v>`+v+`</v></c>`))
			}
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// What real exports hold where a value is not known, and the template's
// grouped codes: Excel error cells, placeholders typed by people, cells of
// non-breaking spaces, "Unknown" where the field has such a code.
func TestPlaceholdersAndGroupedCodes(t *testing.T) {
	nb := "\u00a0"
	data := workbook(t,
		sheet{"List_1", [][]any{
			{"List 1: Contacts"},
			{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of Contact", "Contact Source"},
			{"SYN000101", "a) Male", "a) White", "x", 5, day(2024, 9, 2), "d) Health services"},
			{"SYN000102" + nb, nb + "Female" + nb, "Not known", "N/A", "#N/A", "2024-09-03", "a) Individual"},
			{"SYN000103", "Unknown", " ", "-", 4, "03/09/2024", "f) LA services"},
			{"SYN000104", "TBC", "b) Mixed", "14/03/2019", 5, "04/09/2024", "g) Police"},
			{"SYN000105", "b) Female", "e) Black", "14/03/2019", 5, "04/09/2024", "Unknown"},
			{"SYN000106", "b) Female", "WBRI", "14/03/2019", 5, "04/09/2024", "q) 6: Police"},
		}},
		sheet{"List_6", [][]any{
			{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Does the Child have a Disability", "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure", "Case Status"},
			{"SYN000101", "Male", "WBRI", "14/03/2019", 5, "#N/A", "2024-09-20", "#REF!", "#VALUE!", "", "RC99", "c) Child in need plan"},
			{"SYN000102", "Male", "WBRI", "14/03/2019", 5, "Maybe", "2024-09-20", "N1", "soon", "", "RC42", "Child in need plan"},
		}},
	)
	data = withErrorCells(t, data, map[string]string{"D3": "#N/A"})
	recs, sum := read(t, data, "annex-a.xlsx")
	diffLines(t, problemLines(sum.Problems), []string{
		"List_1|6|Gender|placeholder|warning|Column 'Gender': 1 row holds a placeholder instead of a value ('TBC'; the first on row 6); it was read as blank",
		"List_1|5|Ethnicity|placeholder|warning|Column 'Ethnicity': 1 row holds a placeholder instead of a value (spaces; the first on row 5); it was read as blank",
		"List_1|3|Date of Birth|placeholder|warning|Column 'Date of Birth': 3 rows hold a placeholder instead of a value ('#N/A', 'N/A', '-'; the first on row 3); they were read as blank",
		"List_6|3|Does the Child have a Disability|column-not-used|warning|Column 'Does the Child have a Disability': 1 row holds a value jtai cannot read (the first, row 3: Maybe is not Yes, No or Unknown); jtai does not use this column, so it was left out and the rest was imported",
		"List_6|3|Date Child Was Last Seen|column-not-used|warning|Column 'Date Child Was Last Seen': 1 row holds a value jtai cannot read (the first, row 3: soon is not a date); jtai does not use this column, so it was left out and the rest was imported",
		"List_6|2|Reason for Closure|column-not-used|warning|Column 'Reason for Closure': 2 rows hold values jtai cannot read (the first, row 2: RC99 is not a known reason for closure code; use RC1 (Adopted), RC2 (Died), RC3 (Child arrangements order), RC4 (Special guardianship order), RC5 (Transferred to services of another local authority), RC6 (Transferred to adult social care services), RC7 (Services ceased for any other reason, including child no longer in need), RC8 (Case closed after assessment, no further action) or RC9 (Case closed after assessment, referred to early help)); jtai does not use this column, so it was left out and the rest was imported",
	})
	if sum.Errors != 0 {
		t.Errorf("%d errors: nothing here should stop the import", sum.Errors)
	}
	if len(recs) != 8 {
		t.Fatalf("%d records, want 8", len(recs))
	}
	type want struct{ id, gender, ethnicity, dob, source string }
	for i, w := range []want{
		{"SYN000101", "Male", "WHIT", "", "3"},
		{"SYN000102", "Female", "NOBT", "", "1"},
		{"SYN000103", "Not stated/recorded", "", "", "5"},
		{"SYN000104", "", "MIXD", "2019-03-14", "6"},
		{"SYN000105", "Female", "BLAC", "2019-03-14", "10"},
		{"SYN000106", "Female", "WBRI", "2019-03-14", "6"},
	} {
		r := recs[i]
		dob := ""
		if !r.DateOfBirth.IsZero() {
			dob = r.DateOfBirth.String()
		}
		if got := (want{r.LAChildID, r.Gender, r.Ethnicity, dob, r.ContactSource}); got != w {
			t.Errorf("row %d read as %+v, want %+v", r.Source.Row, got, w)
		}
	}
	if cin := recs[6]; cin.PrimaryNeed != "" || cin.ClosureReason != "" || cin.Disability != "" || cin.CaseStatus != "Child in need plan" {
		t.Errorf("columns jtai does not use were kept: %+v", cin)
	}
}

// A placeholder where every row needs a value is an error that says so,
// not "is not a date".
func TestPlaceholderInRequiredField(t *testing.T) {
	data := workbook(t, sheet{"List 3", [][]any{
		{"Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Referral"},
		{"N/A", "Male", "WBRI", "14/03/2019", 5, "02/09/2024"},
		{"SYN000201", "Male", "WBRI", "14/03/2019", 5, "TBC"},
		{"SYN000202", "Male", "WBRI", "14/03/2019", 5, "x"},
	}})
	data = withErrorCells(t, data, map[string]string{"F4": "#REF!"})
	_, sum := read(t, data, "lists.xlsx")
	diffLines(t, problemLines(sum.Problems), []string{
		"List 3|2|Child Unique ID|placeholder|error|Row 2, 'Child Unique ID' holds the placeholder 'N/A', not a value; every row needs a value here",
		"List 3|3|Date of Referral|placeholder|error|Row 3, 'Date of Referral' holds the placeholder 'TBC', not a value; every row needs a value here",
		"List 3|4|Date of Referral|placeholder|error|Row 4, 'Date of Referral' holds Excel's error value #REF!, not a value; every row needs a value here",
	})
}
