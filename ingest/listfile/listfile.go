// Package listfile reads any file of children's lists that jtai accepts,
// telling its kind from its content rather than its name: an Annex A
// workbook (which may also hold the domestic-abuse notifications sheet), an
// Annex A list or the notifications as CSV, or the CIN census XML. It is
// the one place that picks the parser, so that the console and the web page
// read a file the same way.
//
// Like the parsers, it streams records to a callback, never writes to a
// database and never logs.
package listfile

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"jtai/ingest"
	"jtai/ingest/annexa"
	"jtai/ingest/cincensus"
	"jtai/ingest/danotify"
)

// Read reads the file held in the size bytes of r; name is the file's name
// for messages. A file that cannot be read at all is a *ingest.RejectError;
// problems with its content are in the summary.
//
// A file that is no list jtai reads is refused with what it appears to be,
// when that can be told (a file of an SSDA903 return, a theme file, a Word
// document, a PDF), and with the lists jtai does read (Accepted).
func Read(r io.ReaderAt, size int64, name string, lim ingest.Limits, emit func(ingest.Record) error) (*ingest.Summary, error) {
	head := make([]byte, 4096)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if what, advice := appearsToBe(name, head); what != "" {
		if advice != "" {
			advice = ": " + advice
		}
		return ingest.NewSummary(lim.OrDefault().MaxProblems), ingest.Reject(ingest.Source{File: name}, ingest.RuleFileType,
			"this looks like %s, not a list of children that jtai reads%s. %s", what, advice, Accepted)
	}
	sum, err := read(r, size, name, head, lim, emit)
	return withAccepted(sum, err)
}

// withAccepted adds the lists jtai reads to a refusal of the file's type,
// and to a file in which no list was found.
func withAccepted(sum *ingest.Summary, err error) (*ingest.Summary, error) {
	var rej *ingest.RejectError
	if errors.As(err, &rej) && rej.Problem.Rule == ingest.RuleFileType {
		rej.Problem.Message = strings.TrimSuffix(rej.Problem.Message, ".") + ". " + Accepted
	}
	if sum != nil {
		for i, p := range sum.Problems {
			if p.Rule == ingest.RuleNoLists {
				sum.Problems[i].Message = strings.TrimSuffix(p.Message, ".") + ". " + Accepted
			}
		}
	}
	return sum, err
}

func read(r io.ReaderAt, size int64, name string, head []byte, lim ingest.Limits, emit func(ingest.Record) error) (*ingest.Summary, error) {
	switch ingest.Sniff(head) {
	case ingest.KindXML:
		return cincensus.Read(io.NewSectionReader(r, 0, size), name, cincensus.Options{Limits: lim}, emit)
	case ingest.KindText:
		if isNotifications(name, head) {
			return danotify.ReadCSV(io.NewSectionReader(r, 0, size), name, danotify.Options{Limits: lim}, emit)
		}
		return annexa.ReadCSV(io.NewSectionReader(r, 0, size), name, annexa.Options{Limits: lim}, emit)
	}
	sheets := sheetNames(r, size, lim)
	annex, notifications := false, false
	for _, s := range sheets {
		annex = annex || annexa.ListNumber(s) > 0
		notifications = notifications || danotify.IsSheet(s)
	}
	if notifications && !annex {
		return danotify.ReadWorkbook(r, size, name, danotify.Options{Limits: lim}, emit)
	}
	// Annex A reads every other kind too, so that a PDF or a damaged zip
	// gets its rejection from the workbook checks.
	sum, err := annexa.ReadWorkbook(r, size, name, annexa.Options{Limits: lim}, emit)
	if err != nil || !notifications {
		return sum, err
	}
	da, err := danotify.ReadWorkbook(r, size, name, danotify.Options{Limits: lim}, emit)
	sum.Merge(da)
	return sum, err
}

// isNotifications tells the notifications CSV from an Annex A list by its
// name or, failing that, by a heading only the notifications have.
func isNotifications(name string, head []byte) bool {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if danotify.IsSheet(base) || strings.Contains(strings.ToLower(base), "domestic") {
		return true
	}
	line, _, _ := strings.Cut(string(head), "\n")
	return strings.Contains(squash(line), "dateofincident")
}

func squash(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sheetNames lists a workbook's sheets from its workbook part alone, without
// opening the sheets; nil when the file is no readable workbook (the
// parser then says why).
func sheetNames(r io.ReaderAt, size int64, lim ingest.Limits) []string {
	if ingest.CheckWorkbook(r, size, ingest.Source{}, lim) != nil {
		return nil
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil
	}
	for _, f := range zr.File {
		if !strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), "xl/workbook.xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		var names []string
		d := xml.NewDecoder(bufio.NewReader(io.LimitReader(rc, 16<<20)))
		for {
			tok, err := d.Token()
			if err != nil {
				return names
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
				for _, a := range se.Attr {
					if a.Name.Local == "name" {
						names = append(names, a.Value)
					}
				}
			}
		}
	}
	return nil
}
