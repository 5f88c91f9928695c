package jtai

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// DocumentKind is what a document is, decided by its content.
type DocumentKind string

// The kinds of strategic document jtai accepts.
const (
	DocPDF  DocumentKind = "pdf"
	DocDOCX DocumentKind = "docx"
	DocXLSX DocumentKind = "xlsx"
	DocODT  DocumentKind = "odt"
	DocODS  DocumentKind = "ods"
	DocODP  DocumentKind = "odp"
	DocCSV  DocumentKind = "csv"
	DocText DocumentKind = "txt"
)

// ContentType is the kind's media type, for downloads.
func (k DocumentKind) ContentType() string {
	return map[DocumentKind]string{
		DocPDF:  "application/pdf",
		DocDOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		DocXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		DocODT:  "application/vnd.oasis.opendocument.text",
		DocODS:  "application/vnd.oasis.opendocument.spreadsheet",
		DocODP:  "application/vnd.oasis.opendocument.presentation",
		DocCSV:  "text/csv; charset=utf-8",
		DocText: "text/plain; charset=utf-8",
	}[k]
}

// Label names the kind for people.
func (k DocumentKind) Label() string {
	return map[DocumentKind]string{DocPDF: "PDF", DocDOCX: "Word document", DocXLSX: "Excel workbook", DocODT: "OpenDocument text",
		DocODS: "OpenDocument spreadsheet", DocODP: "OpenDocument presentation", DocCSV: "CSV file", DocText: "Text file"}[k]
}

// documentAccepted is the sentence every refusal ends with.
const documentAccepted = "Upload a PDF, Word (.docx), Excel (.xlsx), OpenDocument, CSV or plain text file"

// SniffDocument decides a file's kind from its content, never from its
// name alone: an executable renamed .pdf is refused. The name only tells
// CSV from plain text, which look alike.
func SniffDocument(name string, content []byte) (DocumentKind, error) {
	refuse := func(why string) (DocumentKind, error) {
		return "", Invalid(FieldError{"file", why + ". " + documentAccepted})
	}
	if len(content) == 0 {
		return refuse("The selected file is empty")
	}
	if len(content) > MaxDocumentBytes {
		return refuse("The selected file is larger than 50 MB")
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.ReplaceAll(name, `\`, "/")), "."))
	claims := ""
	if ext != "" {
		claims = " It is called ." + ext + " but"
	}
	switch {
	case bytes.HasPrefix(content, []byte("%PDF-")):
		return DocPDF, nil
	case bytes.HasPrefix(content, []byte("PK\x03\x04")):
		if k := zipKind(content); k != "" {
			return k, nil
		}
		return refuse("The selected file is a ZIP archive, not a document." + claims + " its content is not a Word, Excel or OpenDocument file")
	case bytes.HasPrefix(content, []byte("MZ")), bytes.HasPrefix(content, []byte("\x7fELF")),
		bytes.HasPrefix(content, []byte("\xfe\xed\xfa")), bytes.HasPrefix(content, []byte("\xcf\xfa\xed\xfe")), bytes.HasPrefix(content, []byte("#!")):
		return refuse("The selected file is a program, not a document." + claims + " its content is a program")
	case bytes.HasPrefix(content, []byte("\xd0\xcf\x11\xe0")):
		return refuse("The selected file is in an old Office format: save it as .docx or .xlsx and upload it again")
	}
	if isText(content) {
		if ext == "csv" {
			return DocCSV, nil
		}
		return DocText, nil
	}
	return refuse("The selected file is not a document we accept." + claims + " its content does not match")
}

// zipKind tells the Office Open XML and OpenDocument formats apart by the
// parts inside the archive.
func zipKind(content []byte) DocumentKind {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return DocDOCX
		case "xl/workbook.xml":
			return DocXLSX
		case "mimetype":
			rc, err := f.Open()
			if err != nil {
				return ""
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			switch strings.TrimSpace(string(b)) {
			case "application/vnd.oasis.opendocument.text":
				return DocODT
			case "application/vnd.oasis.opendocument.spreadsheet":
				return DocODS
			case "application/vnd.oasis.opendocument.presentation":
				return DocODP
			}
			return ""
		}
	}
	return ""
}

// isText reports whether content is UTF-8 (or Windows-1252-like single
// bytes) without control characters other than tab and line ends.
func isText(content []byte) bool {
	sample := content
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	for i := 0; i < len(sample); {
		r, size := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && size == 1 && len(sample)-i < utf8.UTFMax && len(sample) < len(content) {
			break // a character cut by the sample's end
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
		if r == 0x7f {
			return false
		}
		i += size
	}
	return true
}
