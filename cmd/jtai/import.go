package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"jtai/ingest"
	"jtai/ingest/listfile"
)

func (m *Main) importLists(ctx context.Context, args []string) error {
	fs := m.flags("import INSPECTION FILE...", "Imports children's lists into an inspection: Annex A workbooks or CSV files, the CIN census XML\n"+
		"and the domestic-abuse notifications. Everything lands in one transaction or nothing does; each list\n"+
		"replaces the earlier import of the same list. Exits 3, naming file, sheet, row and column, when a file\n"+
		"has errors. A list with no rows leaves the list as it was. An import that takes more than a fifth\n"+
		"of a list's children off it is refused unless --replace confirms it.")
	var f dbFlags
	dry := fs.Bool("dry-run", false, "check the files only; write nothing")
	replace := fs.Bool("replace", false, "let the lists land even when they take more than a fifth of a list's children off it")
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usagef("import takes an inspection id and one or more files")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return usagef("import: %q is not an inspection id", fs.Arg(0))
	}
	var files []*diskFile
	var total int64
	for _, p := range fs.Args()[1:] {
		fi, err := os.Stat(p)
		if err != nil {
			return usagef("import: %s: no such file", p)
		}
		if fi.IsDir() {
			return usagef("import: %s is a directory; name the files", p)
		}
		files = append(files, &diskFile{path: p, size: fi.Size()})
		total += fi.Size()
	}
	bar := m.progress(total, f.json)
	start := time.Now()
	progress := func(rows int) {
		if bar == nil {
			return
		}
		var read int64
		for _, df := range files {
			read += df.pos.Load()
		}
		bar.Set64(min(read, total))
		bar.Describe(fmt.Sprintf("%d rows, %.0f rows/s", rows, float64(rows)/max(time.Since(start).Seconds(), 0.001)))
	}
	in := make([]ingest.File, len(files))
	for i, df := range files {
		in[i] = df.file()
	}

	var res *ingest.Result
	if *dry {
		res = dryRun(in, progress)
	} else {
		db, err := m.open(ctx, &f, false)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.FindInspectionByID(ctx, id); err != nil {
			return err
		}
		res, err = db.ImportLists(ctx, id, in, ingest.ImportOptions{Actor: m.consoleActor(), Progress: progress, Replace: *replace})
		if err != nil && res.Summary.Errors == 0 {
			if bar != nil {
				bar.Exit()
			}
			if len(res.Leaving) > 0 {
				for _, l := range res.Leaving {
					fmt.Fprintf(m.Stdout, "%s (%d%%)\n", l.Describe(), l.Left*100/l.Was)
				}
				return &quietRejection{"nothing was imported: if the new lists are right, import them again with --replace"}
			}
			return err
		}
	}
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(m.Stdout)
	}
	if f.json {
		if err := m.printJSON(struct {
			Inspection int64 `json:"inspection"`
			DryRun     bool  `json:"dry_run"`
			*ingest.Result
		}{id, *dry, res}); err != nil {
			return err
		}
	} else {
		m.printImport(res, *dry)
	}
	if res.Summary.Errors > 0 {
		return &quietRejection{fmt.Sprintf("%d %s found, so nothing was imported", res.Summary.Errors, plural(res.Summary.Errors, "error", "errors"))}
	}
	return nil
}

// dryRun reads the files as an import would, writing nothing.
func dryRun(files []ingest.File, progress func(int)) *ingest.Result {
	res := &ingest.Result{Summary: ingest.NewSummary(0)}
	for _, f := range files {
		sum, err := f.Read(func(r ingest.Record) error {
			res.Rows++
			if res.Rows%1000 == 0 {
				progress(res.Rows)
			}
			return nil
		})
		if rej, ok := err.(*ingest.RejectError); ok {
			res.Summary.Add(rej.Problem)
		} else if err != nil {
			res.Summary.Add(ingest.Problem{Source: ingest.Source{File: f.Name}, Rule: ingest.RuleFileBroken, Severity: ingest.Error, Message: err.Error()})
		}
		res.Summary.Merge(sum)
		if sum != nil {
			for _, l := range sum.Lists {
				res.Lists = append(res.Lists, ingest.Landed{List: l.List, Files: []string{l.File}, Rows: l.Rows, Empty: l.Rows == 0, ReferenceDate: l.ReferenceDate})
			}
		}
	}
	res.Summary.Sort()
	return res
}

func (m *Main) printImport(res *ingest.Result, dry bool) {
	for _, p := range res.Summary.Problems {
		fmt.Fprintln(m.Stdout, p.String())
	}
	if res.Summary.Dropped > 0 {
		fmt.Fprintf(m.Stdout, "... and %d more problems (counted by rule below)\n", res.Summary.Dropped)
	}
	if len(res.Summary.Problems) > 0 {
		fmt.Fprintf(m.Stdout, "\n%d %s, %d %s", res.Summary.Errors, plural(res.Summary.Errors, "error", "errors"), res.Summary.Warnings, plural(res.Summary.Warnings, "warning", "warnings"))
		rules := make([]string, 0, len(res.Summary.ByRule))
		for rule := range res.Summary.ByRule {
			rules = append(rules, rule)
		}
		sort.Strings(rules)
		for _, rule := range rules {
			fmt.Fprintf(m.Stdout, "; %s: %d", rule, res.Summary.ByRule[rule])
		}
		fmt.Fprintln(m.Stdout)
	}
	if res.Summary.Errors > 0 {
		return
	}
	if res.NoChanges {
		fmt.Fprintln(m.Stdout, "No changes: the lists hold the same children and rows as before, and no child's record changed.")
	}
	verb := "Imported"
	if dry {
		verb = "Checked (nothing written)"
	}
	fmt.Fprintf(m.Stdout, "%s %d rows:\n", verb, res.Rows)
	for _, l := range res.Lists {
		note := ""
		switch {
		case l.Empty && l.KeptRows > 0:
			note = fmt.Sprintf(" (no rows, so not imported: the %d rows imported before are kept)", l.KeptRows)
		case l.Empty:
			note = " (no rows, so not imported)"
		case l.Replaced:
			note = fmt.Sprintf(" (replaces the earlier import of %d rows", l.ReplacedRows)
			if l.Left > 0 {
				note += fmt.Sprintf("; %d %s left the list", l.Left, plural(l.Left, "child", "children"))
			}
			note += ")"
		}
		if !l.ReferenceDate.IsZero() {
			note += fmt.Sprintf(" (reference date %s)", l.ReferenceDate.Long())
		}
		fmt.Fprintf(m.Stdout, "  %-48s %7d rows%s\n", ingest.ListTitle(l.List), l.Rows, note)
	}
	if !dry && !res.NoChanges {
		fmt.Fprintf(m.Stdout, "Children: %d records changed (%d new), %d no longer on any list.\n", res.Children, res.NewChildren, res.RemovedChildren)
		if n := res.SelectedChanged; n > 0 {
			fmt.Fprintf(m.Stdout, "The records of %d selected %s changed: %s selected; the selection page shows which screening now sees differently.\n", n, plural(n, "child", "children"), plural(n, "it stays", "they stay"))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progress returns a progress bar over total bytes when standard output is
// a terminal and no JSON was asked for; nil otherwise.
func (m *Main) progress(total int64, json bool) *progressbar.ProgressBar {
	out, ok := m.Stdout.(*os.File)
	if json || !ok || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription("reading"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}

// diskFile is a file to import, counting how far into it the parser has
// read, for the progress bar.
type diskFile struct {
	path string
	size int64
	pos  atomic.Int64
}

func (d *diskFile) file() ingest.File {
	name := filepath.Base(d.path)
	return ingest.File{Name: name, Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
		f, err := os.Open(d.path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return listfile.Read(&tracked{r: f, pos: &d.pos}, d.size, name, ingest.Limits{}, emit)
	}}
}

// tracked is an io.ReaderAt that records the furthest byte read.
type tracked struct {
	r   io.ReaderAt
	pos *atomic.Int64
}

func (t *tracked) ReadAt(p []byte, off int64) (int, error) {
	n, err := t.r.ReadAt(p, off)
	if end := off + int64(n); end > t.pos.Load() {
		t.pos.Store(end)
	}
	return n, err
}
