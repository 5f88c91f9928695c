package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Kind is what a file is, judged by its first bytes rather than its name:
// users rename files, and a PDF called lists.xlsx must be told apart from a
// workbook.
type Kind int

// The kinds of file told apart.
const (
	KindUnknown Kind = iota // binary, none of the below
	KindZip                 // a zip archive: an .xlsx workbook, or another zip
	KindOLE2                // a compound file: an Excel 97-2003 .xls, or an encrypted .xlsx
	KindPDF
	KindXML
	KindText // anything without NUL bytes: CSV
)

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// An encrypted .xlsx is a compound file holding a stream of this name,
	// written in UTF-16LE in the file's directory.
	encryptedPackage = utf16le("EncryptedPackage")
	// A Word 97-2003 document is a compound file too, holding a stream of
	// this name.
	wordDocument = utf16le("WordDocument")
)

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

// Sniff tells the kind of a file from its first bytes (512 are plenty).
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return KindOLE2
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return KindZip
	case bytes.HasPrefix(head, []byte("%PDF")):
		return KindPDF
	}
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
			return KindText // UTF-16 text, as Excel's "Unicode text" writes
		}
		return KindUnknown
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if bytes.HasPrefix(t, []byte("<")) {
		return KindXML
	}
	return KindText
}

// CheckWorkbook makes sure that the size bytes of r are an .xlsx workbook
// within the limits, before any part of it is unzipped. It returns a
// *RejectError saying plainly what the file is when it is not: an old .xls,
// a password-protected workbook, a PDF, a zip bomb.
func CheckWorkbook(r io.ReaderAt, size int64, src Source, lim Limits) error {
	lim = lim.OrDefault()
	if size > lim.MaxFileSize {
		return Reject(src, RuleFileTooLarge, "the file is %s; the largest file accepted is %s", Bytes(size), Bytes(lim.MaxFileSize))
	}
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch Sniff(head) {
	case KindZip:
		return checkZip(r, size, src, lim)
	case KindOLE2:
		if containsAt(r, size, encryptedPackage) {
			return Reject(src, RuleFileType, "this workbook is protected by a password, so it cannot be read; remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and upload it again")
		}
		if containsAt(r, size, wordDocument) {
			return Reject(src, RuleFileType, "this is a Word 97-2003 document (.doc), not an Excel workbook; upload the lists as .xlsx or CSV")
		}
		return Reject(src, RuleFileType, "this is an Excel 97-2003 .xls file; save it as .xlsx or CSV and upload it again")
	case KindPDF:
		return Reject(src, RuleFileType, "this is a PDF file, not an Excel workbook; upload the lists as .xlsx or CSV")
	case KindXML:
		return Reject(src, RuleFileType, "this is an XML file, not an Excel workbook; upload it as the CIN census")
	case KindText:
		return Reject(src, RuleFileType, "this is a text file, not an Excel workbook; if it is a CSV file, name it .csv")
	}
	return Reject(src, RuleFileType, "this is not an Excel workbook (.xlsx) or a file we can read")
}

func checkZip(r io.ReaderAt, size int64, src Source, lim Limits) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Reject(src, RuleFileBroken, "the workbook is damaged and cannot be opened (%s); save it again in Excel", zipReason(err))
	}
	if len(zr.File) > lim.MaxParts {
		return Reject(src, RuleFileTooLarge, "the workbook holds %d parts, more than the %d accepted", len(zr.File), lim.MaxParts)
	}
	var total uint64
	workbook, word := false, false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipped) {
			return Reject(src, RuleFileTooLarge, "the workbook would unzip to more than %s, more than any list needs; it was not opened", Bytes(lim.MaxUnzipped))
		}
		switch strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/")) {
		case "xl/workbook.xml":
			workbook = true
		case "word/document.xml":
			word = true
		}
	}
	switch {
	case word:
		return Reject(src, RuleFileType, "this is a Word document, not an Excel workbook; upload the lists as .xlsx or CSV")
	case !workbook:
		return Reject(src, RuleFileType, "this is a zip file but not an Excel workbook (.xlsx); upload the lists as .xlsx or CSV")
	}
	return nil
}

func zipReason(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "zip: ")
}

// containsAt reports whether needle occurs in the first size bytes of r,
// reading in chunks that overlap by the needle's length.
func containsAt(r io.ReaderAt, size int64, needle []byte) bool {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(needle))
	for off := int64(0); off < size; off += chunk {
		n, err := r.ReadAt(buf, off)
		if bytes.Contains(buf[:n], needle) {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}

// Bytes formats a size for people: 200 MB, 3.1 MB, 512 bytes. Sizes are
// binary (MiB) written as MB, as file managers show them.
func Bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return trimZero(fmt.Sprintf("%.1f GB", float64(n)/(1<<30)))
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)))
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f KB", float64(n)/(1<<10)))
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(s string) string { return strings.Replace(s, ".0 ", " ", 1) }

// kindNames say what a file is, for messages.
var kindNames = map[Kind]string{
	KindUnknown: "a file of an unknown kind",
	KindZip:     "an Excel workbook (.xlsx) or another zip file",
	KindOLE2:    "an Excel 97-2003 .xls file",
	KindPDF:     "a PDF file",
	KindXML:     "an XML file",
	KindText:    "a text file",
}

// CheckText makes sure that a file meant to be CSV is text, judged by its
// first bytes, returning a *RejectError saying what it is otherwise.
func CheckText(head []byte, src Source) error { return checkKind(head, src, KindText, "a CSV file") }

// CheckXML makes sure that a file meant to be XML is, judged by its first
// bytes, returning a *RejectError saying what it is otherwise.
func CheckXML(head []byte, src Source) error {
	return checkKind(head, src, KindXML, "the CIN census XML")
}

func checkKind(head []byte, src Source, want Kind, wanted string) error {
	k := Sniff(head)
	if k == want {
		return nil
	}
	return Reject(src, RuleFileType, "this is %s, not %s", kindNames[k], wanted)
}
