package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jtai/ingest"
	"jtai/ingest/xlsx"
	"jtai/synth"
)

// rowsOf reads every row of a sheet as "N: A=v B=v" lines, marking date
// cells with a d and text cells with quotes.
func rowsOf(t testing.TB, data []byte, sheet string) []string {
	t.Helper()
	w, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{File: "t.xlsx"}, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.OpenSheet(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []string
	for s.Next() {
		var b strings.Builder
		fmt.Fprintf(&b, "%d:", s.Row())
		for _, c := range s.Cells() {
			v := c.Value
			switch {
			case c.Type == xlsx.String:
				v = fmt.Sprintf("%q", v)
			case c.Date:
				v += "d"
			case c.Type == xlsx.Bool:
				v = "b" + v
			case c.Type == xlsx.Error:
				v = "e" + v
			}
			fmt.Fprintf(&b, " %d=%s", c.Col, v)
		}
		out = append(out, b.String())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestExcelizeWorkbook reads a workbook written by excelize: shared
// strings, a date style, a custom date format, booleans, gaps.
func TestExcelizeWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	builtin, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy;@"
	customDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	quoted := `0.00" days"`
	notDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &quoted})
	f.SetSheetName("Sheet1", "List_1")
	f.NewSheet("Notes")
	f.SetCellValue("List_1", "A1", "Child Unique ID")
	f.SetCellValue("List_1", "C1", "Date of Birth")
	f.SetCellValue("List_1", "A3", "SYN1")
	f.SetCellValue("List_1", "C3", time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC))
	f.SetCellStyle("List_1", "C3", "C3", builtin)
	f.SetCellValue("List_1", "D3", 43538)
	f.SetCellStyle("List_1", "D3", "D3", customDate)
	f.SetCellValue("List_1", "E3", 2.5)
	f.SetCellStyle("List_1", "E3", "E3", notDate)
	f.SetCellValue("List_1", "F3", true)
	f.SetCellValue("List_1", "AB5", "far")
	f.SetCellValue("Notes", "B2", "note")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	w, err := xlsx.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), ingest.Source{}, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Sheets(); strings.Join(got, "|") != "List_1|Notes" {
		t.Errorf("sheets %q", got)
	}
	same(t, rowsOf(t, buf.Bytes(), "List_1"), []string{
		`1: 0="Child Unique ID" 2="Date of Birth"`,
		`3: 0="SYN1" 2=43538d 3=43538d 4=2.5 5=bTRUE`,
		`5: 27="far"`,
	})
	same(t, rowsOf(t, buf.Bytes(), "Notes"), []string{`2: 1="note"`})
	if _, err := w.OpenSheet("nope"); !errors.Is(err, xlsx.ErrSheetNotFound) {
		t.Errorf("missing sheet: %v", err)
	}
}

// build writes a workbook from raw parts, as other programs save them.
func build(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

func handWorkbook(t testing.TB, sheetXML string, date1904 bool) []byte {
	pr := ""
	if date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	return build(t, map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":     `<workbook ` + ns + `>` + pr + `<sheets><sheet name="Lists &amp; more" sheetId="7" r:id="rId3"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings/shared.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/strings/shared.xml": `<sst ` + ns + `><si><t>plain</t></si><si><r><t>rich </t></r><r><rPr/><t xml:space="preserve">text</t></r><rPh><t>phonetic</t></rPh></si><si><t>line_x000D_break</t></si></sst>`,
		"xl/styles.xml": `<styleSheet ` + ns + `><numFmts count="2"><numFmt numFmtId="164" formatCode="[$-809]dd\ mmmm\ yyyy"/><numFmt numFmtId="165" formatCode="&quot;Day &quot;0;[Red]0"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="47"/></cellXfs></styleSheet>`,
		"xl/worksheets/data.xml": `<worksheet ` + ns + `><sheetData>` + sheetXML + `</sheetData></worksheet>`,
	})
}

// TestHandWorkbook reads parts laid out as other programs write them:
// absolute and nested relationship targets, rich and phonetic text, cells
// and rows without references, inline strings, errors, 1904 dates.
func TestHandWorkbook(t *testing.T) {
	data := handWorkbook(t, `
<row r="2"><c r="A2" t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="E2" t="s"><v>2</v></c></row>
<row><c r="A3" s="1"><v>43538</v></c><c r="B3" s="2"><v>43539.5</v></c><c r="C3" s="3"><v>7</v></c><c r="D3" s="4"><v>0.5</v></c></row>
<row r="6"><c r="B6" t="inlineStr"><is><t>inline &amp; escaped</t></is></c><c r="C6" t="e"><v>#N/A</v></c><c r="D6" t="b"><v>0</v></c><c r="E6" t="str"><f>A1</f><v>formula</v></c><c r="F6" t="s"><v>99</v></c><c r="G6"/></row>
<row r="9"/>`, true)
	w, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Date1904 || w.Sheets()[0] != "Lists & more" {
		t.Errorf("date1904 %v, sheets %q", w.Date1904, w.Sheets())
	}
	same(t, rowsOf(t, data, "Lists & more"), []string{
		`2: 0="plain" 1="rich text" 4="line\rbreak"`,
		`3: 0=43538d 1=43539.5d 2=7 3=0.5d`,
		`6: 1="inline & escaped" 2=e#N/A 3=bFALSE 4="formula"`,
		`9:`,
	})
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, "d-mmm-yy": true, "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy": true, "h:mm AM/PM": true, "[h]:mm:ss": true,
		"General": false, "0.00": false, "#,##0": false, `"Day "0`: false, "[Red]0.0": false, `0\d`: false, "@": false, `_(* #,##0_)`: false,
	} {
		if got := xlsx.IsDateFormat(code); got != want {
			t.Errorf("IsDateFormat(%q) = %v", code, got)
		}
	}
}

func TestDamagedSheets(t *testing.T) {
	for name, sheet := range map[string]string{
		"truncated": `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>`,
		"mismatch":  `<row r="1"><c r="A1"><v>1</v></row></row></c>`,
		"deep":      strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100),
		"garbage":   "\x00\x01<<<",
	} {
		t.Run(name, func(t *testing.T) {
			data := handWorkbook(t, sheet, false)
			w, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, ingest.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := w.OpenSheet("Lists & more")
			if err != nil {
				t.Fatal(err)
			}
			for s.Next() {
			}
			var rej *ingest.RejectError
			if !errors.As(s.Err(), &rej) {
				t.Errorf("err = %v, want a rejection", s.Err())
			}
		})
	}
}

func TestSharedStringsLimit(t *testing.T) {
	big := strings.Repeat("<si><t>"+strings.Repeat("x", 1000)+"</t></si>", 200)
	data := build(t, map[string]string{
		"xl/workbook.xml":      `<workbook ` + ns + `><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`,
		"xl/sharedStrings.xml": `<sst>` + big + `</sst>`,
	})
	_, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, ingest.Limits{MaxUnzippedPart: 32 << 10})
	var rej *ingest.RejectError
	if !errors.As(err, &rej) || rej.Problem.Rule != ingest.RuleFileTooLarge {
		t.Fatalf("err = %v, want file-too-large", err)
	}
}

func TestRefusedBeforeOpening(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	for name, data := range map[string][]byte{"xls": ole, "pdf": []byte("%PDF-1.4"), "not xlsx": build(t, map[string]string{"a.txt": "x"})} {
		_, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, ingest.Limits{})
		var rej *ingest.RejectError
		if !errors.As(err, &rej) || rej.Problem.Rule != ingest.RuleFileType {
			t.Errorf("%s: err = %v, want file-type", name, err)
		}
	}
}

func FuzzSheet(f *testing.F) {
	a := synth.NewArea(synth.AreaOptions{Children: 6, Seed: 3})
	for _, style := range []string{synth.StyleOfficial, synth.StyleExport} {
		var buf bytes.Buffer
		if _, err := a.WriteAnnexA(&buf, style); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add(handWorkbook(f, `<row r="2"><c r="A2" t="s"><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row>`, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := ingest.Limits{MaxUnzipped: 8 << 20, MaxUnzippedPart: 1 << 20}
		w, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, lim)
		if err != nil {
			return
		}
		for _, name := range w.Sheets() {
			s, err := w.OpenSheet(name)
			if err != nil {
				continue
			}
			prev := 0
			for s.Next() {
				if s.Row() <= prev || s.Row() > xlsx.MaxRow {
					t.Fatalf("row %d after %d", s.Row(), prev)
				}
				prev = s.Row()
				for _, c := range s.Cells() {
					if c.Col < 0 || c.Col >= xlsx.MaxCol {
						t.Fatalf("column %d", c.Col)
					}
				}
			}
			s.Close()
		}
	})
}

// Every part read when the workbook opens is held to the depth limit, and
// the small ones must close what they open.
func TestDamagedParts(t *testing.T) {
	deep := strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100)
	workbook := `<workbook ` + ns + `><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`
	for name, c := range map[string]struct {
		parts map[string]string
		rule  string
	}{
		"deep workbook":       {map[string]string{"xl/workbook.xml": `<workbook ` + ns + `>` + deep + `</workbook>`}, ingest.RuleXMLTooDeep},
		"unclosed workbook":   {map[string]string{"xl/workbook.xml": `<workbook ` + ns + `><sheets><sheet name="S" r:id="rId1"/></sheets>`}, ingest.RuleFileBroken},
		"deep styles":         {map[string]string{"xl/workbook.xml": workbook, "xl/styles.xml": `<styleSheet ` + ns + `>` + deep + `</styleSheet>`}, ingest.RuleXMLTooDeep},
		"deep shared strings": {map[string]string{"xl/workbook.xml": workbook, "xl/sharedStrings.xml": `<sst>` + deep + `</sst>`}, ingest.RuleXMLTooDeep},
		"broken styles":       {map[string]string{"xl/workbook.xml": workbook, "xl/styles.xml": `<styleSheet><<<`}, ingest.RuleFileBroken},
		// End tags with no start, to get under the depth limit.
		"stray end tags": {map[string]string{"xl/workbook.xml": workbook, "xl/sharedStrings.xml": `<sst>` + strings.Repeat("</y>", 200) + deep + `</sst>`}, ingest.RuleFileBroken},
	} {
		t.Run(name, func(t *testing.T) {
			data := build(t, c.parts)
			_, err := xlsx.Open(bytes.NewReader(data), int64(len(data)), ingest.Source{}, ingest.Limits{})
			var rej *ingest.RejectError
			if !errors.As(err, &rej) || rej.Problem.Rule != c.rule {
				t.Errorf("err = %v, want %s", err, c.rule)
			}
		})
	}
}
