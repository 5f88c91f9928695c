package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"jtai"
	"jtai/ingest"
)

// The CIN census is checked as a whole, not row by row: its Header must
// name the inspection's local authority, its reference date must not be
// long before the notification, and two censuses of different dates are
// never folded together (the later wins).

// censusMaxAge is how long before the notification a census's reference
// date may be without a warning: 13 months, so that the census of 31 March
// serves until the end of April a year later, when the next one is due.
const censusMaxAge = 13

// censusHeaderPath is where the LEA sits in a census file, for problems.
const censusHeaderPath = "Message/Header/Source/LEA"

// censusFile is one census read in an import: its Header, and the children
// it names (by blind index), to say which an earlier census names that the
// later does not.
type censusFile struct {
	file   string
	laCode string
	ref    jtai.Date
	kids   map[string]bool
}

// inspectionArea is what the census checks need of the inspection.
type inspectionArea struct {
	name, laCode string
	notified     jtai.Date
}

func (im *importer) loadArea(ctx context.Context) error {
	var notified string
	err := im.tx.queryRow(ctx, `SELECT a.name, a.la_code, i.notified_on FROM inspections i JOIN areas a ON a.id = i.area_id WHERE i.id = ?`, im.inspectionID).
		Scan(&im.area.name, &im.area.laCode, &notified)
	if err != nil {
		return notFound(err, "Inspection not found")
	}
	im.area.notified, err = jtai.ParseDate(notified)
	return err
}

// checkCensus checks the census headers of one file just read: another
// area's census is an error; a census with no LEA, no reference date or a
// reference date more than 13 months before the notification is a warning.
func (im *importer) checkCensus(f ingest.File, sum *ingest.Summary) {
	if sum == nil {
		return
	}
	for _, l := range sum.Lists {
		if l.List != ingest.ListCINCensus {
			continue
		}
		cf := im.censusOf(f.Name)
		cf.laCode, cf.ref = l.LACode, l.ReferenceDate
		at := ingest.Source{File: f.Name, Column: censusHeaderPath}
		a := im.area
		switch {
		case l.LACode == "":
			im.res.Summary.Add(ingest.Problem{Source: at, Rule: ingest.RuleOtherArea, Severity: ingest.Warning,
				Message: fmt.Sprintf("The census gives no LEA in its Header, so jtai cannot check that it is %s's (%s): make sure it is this area's census", a.name, a.laCode)})
		case l.LACode != a.laCode:
			im.res.Summary.Add(ingest.Problem{Source: at, Value: ingest.Shorten(l.LACode), Rule: ingest.RuleOtherArea, Severity: ingest.Error,
				Message: fmt.Sprintf("The census is local authority %s's, not %s's (%s): it is another area's children, so it cannot be imported into this inspection", ingest.Shorten(l.LACode), a.name, a.laCode)})
		}
		at.Column = "Message/Header/CollectionDetails/ReferenceDate"
		switch {
		case l.ReferenceDate.IsZero():
			im.res.Summary.Add(ingest.Problem{Source: at, Rule: ingest.RuleCensusOld, Severity: ingest.Warning,
				Message: "The census gives no ReferenceDate in its Header, so jtai cannot tell how recent it is"})
		case l.ReferenceDate.AddDate(0, censusMaxAge, 0).Before(a.notified.Time):
			im.res.Summary.Add(ingest.Problem{Source: at, Value: l.ReferenceDate.String(), Rule: ingest.RuleCensusOld, Severity: ingest.Warning,
				Message: fmt.Sprintf("The census's reference date, %s, is more than %d months before the notification (%s): what it says of the children may be out of date, so send the latest census if there is one", l.ReferenceDate.Long(), censusMaxAge, a.notified.Long())})
		}
	}
}

func (im *importer) censusOf(file string) *censusFile {
	for _, cf := range im.census {
		if cf.file == file {
			return cf
		}
	}
	cf := &censusFile{file: file, kids: map[string]bool{}}
	im.census = append(im.census, cf)
	return cf
}

// censusRef is the reference date of the census this import brings: the
// latest of its files'.
func (im *importer) censusRef() jtai.Date {
	var ref jtai.Date
	for _, cf := range im.census {
		if cf.ref.After(ref.Time) {
			ref = cf.ref
		}
	}
	return ref
}

// earlierCensuses is returned, from a first reading of the files, when they
// hold censuses of different reference dates: the import is made again
// without the earlier ones, each reported with the children it names that
// the latest does not.
type earlierCensuses struct {
	skip     map[string]bool
	problems []ingest.Problem
}

func (e *earlierCensuses) Error() string { return "the files hold censuses of different dates" }

// laterCensusWins returns an *earlierCensuses when the files read hold
// censuses of more than one reference date, and an error problem when the
// census they bring is earlier than the one imported before.
func (im *importer) laterCensusWins(ctx context.Context) error {
	ref := im.censusRef()
	if ref.IsZero() {
		return nil
	}
	var latest *censusFile
	for _, cf := range im.census {
		if cf.ref.Equal(ref.Time) {
			latest = cf
			break
		}
	}
	older := &earlierCensuses{skip: map[string]bool{}}
	for _, cf := range im.census {
		if cf.ref.IsZero() || !cf.ref.Before(ref.Time) {
			continue
		}
		missing := 0
		for idx := range cf.kids {
			if !im.censusNames(ref, idx) {
				missing++
			}
		}
		older.skip[cf.file] = true
		older.problems = append(older.problems, ingest.Problem{Source: ingest.Source{File: cf.file, Column: "Message/Header/CollectionDetails/ReferenceDate"},
			Value: cf.ref.String(), Rule: ingest.RuleCensusReplaced, Severity: ingest.Warning,
			Message: fmt.Sprintf("This census (reference date %s) is earlier than %s (%s), so only the later census was imported; %s of this census %s not in the later one, so %s not on the census list",
				cf.ref.Long(), latest.file, ref.Long(), countOf(missing, "child", "children"), plural(missing, "is", "are"), plural(missing, "it is", "they are"))})
	}
	if len(older.skip) > 0 {
		return older
	}
	var stored sql.NullString
	var files string
	err := im.tx.queryRow(ctx, `SELECT reference_date, files FROM imports WHERE inspection_id = ? AND list = ? AND id <> ? ORDER BY id DESC LIMIT 1`,
		im.inspectionID, ingest.ListCINCensus, im.imports[ingest.ListCINCensus]).Scan(&stored, &files)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !stored.Valid) {
		return nil
	}
	if err != nil {
		return err
	}
	was, err := jtai.ParseDate(stored.String)
	if err != nil || !ref.Before(was.Time) {
		return err
	}
	im.res.Summary.Add(ingest.Problem{Source: ingest.Source{File: latest.file, Column: "Message/Header/CollectionDetails/ReferenceDate"},
		Value: ref.String(), Rule: ingest.RuleCensusReplaced, Severity: ingest.Error,
		Message: fmt.Sprintf("This census (reference date %s) is earlier than the census already imported (%s, from %s): the later census is kept, so this one cannot replace it",
			ref.Long(), was.Long(), strings.ReplaceAll(files, "\n", ", "))})
	return nil
}

// censusNames reports whether a census of reference date ref names the
// child.
func (im *importer) censusNames(ref jtai.Date, idx string) bool {
	for _, cf := range im.census {
		if cf.ref.Equal(ref.Time) && cf.kids[idx] {
			return true
		}
	}
	return false
}

// countOf is "1 child", "12 children".
func countOf(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }
