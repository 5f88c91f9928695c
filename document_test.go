package jtai_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"jtai"
)

// zipped makes an archive of the named parts, as Office and LibreOffice do.
func zipped(parts map[string]string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, content := range parts {
		f, _ := w.Create(name)
		f.Write([]byte(content))
	}
	w.Close()
	return b.Bytes()
}

func TestSniffDocument(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content []byte
		want    jtai.DocumentKind
		refusal string
	}{
		{"strategy.pdf", []byte("%PDF-1.4\n"), jtai.DocPDF, ""},
		{"plan.docx", zipped(map[string]string{"[Content_Types].xml": "", "word/document.xml": "<w/>"}), jtai.DocDOCX, ""},
		{"data.xlsx", zipped(map[string]string{"xl/workbook.xml": "<w/>"}), jtai.DocXLSX, ""},
		{"plan.odt", zipped(map[string]string{"mimetype": "application/vnd.oasis.opendocument.text"}), jtai.DocODT, ""},
		{"data.ods", zipped(map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), jtai.DocODS, ""},
		{"figures.csv", []byte("Month,Referrals\r\nMarch,12\r\n"), jtai.DocCSV, ""},
		{"notes.txt", []byte("Minutes of the partnership board\n"), jtai.DocText, ""},
		{"NOTES", []byte("caf\xe9 in Windows-1252\n"), jtai.DocText, ""},
		{"setup.pdf", []byte("MZ\x90\x00"), "", "is a program, not a document. It is called .pdf"},
		{"run.docx", []byte("\x7fELF\x02\x01"), "", "is a program"},
		{"old.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "", "old Office format"},
		{"photos.docx", zipped(map[string]string{"a.jpg": "x"}), "", "ZIP archive"},
		{"binary.txt", []byte("abc\x00\x01def"), "", "content does not match"},
		{"empty.pdf", nil, "", "is empty"},
		{"huge.txt", make([]byte, jtai.MaxDocumentBytes+1), "", "larger than 50 MB"},
	} {
		got, err := jtai.SniffDocument(tc.name, tc.content)
		if tc.refusal == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
			}
			continue
		}
		fields := jtai.ErrorFields(err)
		if len(fields) != 1 || fields[0].Field != "file" || !strings.Contains(fields[0].Message, tc.refusal) {
			t.Errorf("%s: %q, %v; want a refusal saying %q", tc.name, got, err, tc.refusal)
		}
	}
}
