// Package annexa reads Ofsted's Annex A lists of children: the workbook,
// one sheet per list, in Ofsted's template or in a local authority's own
// export, and the same lists as one CSV file per list. It finds each list by
// its sheet or file name in any spelling (List_3, List 3, list 3 - Referrals,
// annex-a-list-3.csv) or, for a CSV file, by its headings; finds the
// heading row among the top rows; matches columns by their headings whatever
// their case, spacing, punctuation and order; and checks every value.
//
// Rows are streamed to a callback, one ingest.Record each, so memory does
// not grow with the number of rows. It never writes to a database and never
// logs: problems go to the returned summary, with personal values masked.
package annexa

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"jtai/ingest"
	"jtai/ingest/internal/table"
)

// Options adjust a read. The zero value uses the default limits.
type Options struct {
	Limits ingest.Limits
}

// ReadWorkbook reads every list sheet of the .xlsx workbook held in the
// size bytes of r; name is the file's name for messages. Sheets that are
// not lists (Front_Sheet, Guidance, Codes_used...) are passed over. A file
// that is not a readable workbook is a *ingest.RejectError; a workbook
// with no list at all is an error problem in the summary.
func ReadWorkbook(r io.ReaderAt, size int64, name string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	lim := opts.Limits.OrDefault()
	sum := ingest.NewSummary(lim.MaxProblems)
	src := ingest.Source{File: name}
	wb, err := table.OpenWorkbook(r, size, src, lim)
	if err != nil {
		return sum, err
	}
	defer wb.Close()
	found := 0
	for _, sheet := range wb.Sheets() {
		n := ListNumber(sheet)
		if n == 0 {
			continue
		}
		found++
		if err := table.ReadSheet(wb, sheet, layouts[n-1], src, lim, sum, emit); err != nil {
			return sum, err
		}
	}
	if found == 0 {
		sum.Add(ingest.Problem{Source: src, Rule: ingest.RuleNoLists, Severity: ingest.Error,
			Message: "No sheet of this workbook is an Annex A list; name each list's sheet as Ofsted's template does (List_1 to List_11) or 'List 1' to 'List 11'"})
	}
	return sum, nil
}

// ReadCSV reads one list from a CSV file; name is the file's name, which
// tells the list ("List 3.csv", "list_3_referrals.csv",
// "annex-a-list-3.csv"). When the name does not, the headings do. The
// encoding may be UTF-8 (with or without a byte-order mark), UTF-16 with
// one, or Windows-1252.
func ReadCSV(r io.Reader, name string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	lim := opts.Limits.OrDefault()
	sum := ingest.NewSummary(lim.MaxProblems)
	layout := layoutForName(filepath.Base(name))
	err := table.ReadCSV(r, ingest.Source{File: name}, lim, sum, emit, func(top [][]string) *table.Layout {
		if layout != nil {
			return layout
		}
		return layoutForHeadings(top)
	}, fmt.Sprintf("File '%s': cannot tell which Annex A list this is; name the file after its list, such as 'List 3.csv'", name))
	return sum, err
}

// ReadFile reads the file at path as a workbook or a CSV file, by its
// content rather than its name.
func ReadFile(path string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	name := filepath.Base(path)
	if ingest.Sniff(head[:n]) == ingest.KindText {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return ReadCSV(f, name, opts, emit)
	}
	return ReadWorkbook(f, fi.Size(), name, opts, emit)
}

var listName = regexp.MustCompile(`list[\s_\-.:]*0?(\d{1,2})(?:[^0-9]|$)`)

// ListNumber returns the number of the Annex A list that a sheet or file
// name stands for (List_3, List 3, list 3 - Referrals, annex-a-list-3.csv,
// Referrals), or 0 when it names none (Front_Sheet, Guidance, notes).
func ListNumber(name string) int { return listNumber(name, false) }

// listNumber is ListNumber; with loose set, a name that starts with a
// list's title counts too ("referrals-2024.csv"), as suits file names.
func listNumber(name string, loose bool) int {
	lower := strings.ToLower(strings.TrimSpace(name))
	if m := listName.FindStringSubmatch(lower); m != nil {
		n := 0
		fmt.Sscan(m[1], &n)
		if n >= 1 && n <= len(layouts) {
			return n
		}
		return 0
	}
	k := table.Key(strings.TrimSuffix(lower, filepath.Ext(lower)))
	for i, l := range layouts {
		t := table.Key(l.Title)
		if k == t || strings.HasPrefix(k, "annexa"+t) || loose && strings.HasPrefix(k, t) {
			return i + 1
		}
	}
	return 0
}

func layoutForName(name string) *table.Layout {
	if n := listNumber(name, true); n > 0 {
		return layouts[n-1]
	}
	return nil
}

// layoutForHeadings picks the list whose headings the top rows match best;
// nil when none matches or two match equally well.
func layoutForHeadings(top [][]string) *table.Layout {
	var best *table.Layout
	bestScore, tie := 0, false
	for _, l := range layouts {
		s := 0
		for _, row := range top {
			s = max(s, l.HeaderScore(row))
		}
		switch {
		case s > bestScore:
			best, bestScore, tie = l, s, false
		case s == bestScore && s > 0:
			tie = true
		}
	}
	if tie {
		return nil
	}
	return best
}
