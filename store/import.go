package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jtai"
	"jtai/crypt"
	"jtai/ingest"
)

// importer is one import under way, inside its transaction.
type importer struct {
	db           *DB
	tx           *bulkTx
	key          *crypt.DataKey
	inspectionID int64
	opts         ingest.ImportOptions
	res          *ingest.Result

	imports map[string]int64 // list -> the new import's id
	files   map[string][]string
	rows    map[string]int
	links   map[string]*childLinks // child blind index -> what the rows say
	order   []string               // the blind indexes in the order first seen
	read    int
	// listKids are, per list, the children this import's rows name (by
	// blind index), to tell how many an earlier import named that this one
	// does not; left is that count per list.
	listKids map[string]map[string]bool
	left     map[string]int
	changed  int // children whose record the import changed (added, altered, back on the lists)

	area   inspectionArea
	census []*censusFile // the CIN census files read, in order
}

var importRowCols = []string{"import_id", "child_idx", "sealed"}

// ImportLists imports files of children's lists into an inspection in one
// transaction: all of it lands, or none of it. Each list the files hold
// replaces the earlier import of that list, if any. Rows are sealed under
// the inspection's data key before they are written; each child is linked
// across lists and files by the blind index of the LA child ID, and its
// facts are rebuilt from every row that names it. Each list that lands is
// written to the access log in the same transaction.
//
// When the files hold errors, nothing is imported: the result lists every
// problem and the error is of kind EINVALID. The result is never nil.
//
// Of CIN censuses of different reference dates, only the latest is
// imported: the files are read a second time without the earlier ones,
// which the summary names with the children they hold that the latest
// does not.
func (db *DB) ImportLists(ctx context.Context, inspectionID int64, files []ingest.File, opts ingest.ImportOptions) (*ingest.Result, error) {
	res := &ingest.Result{Summary: ingest.NewSummary(0), Lists: []ingest.Landed{}}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return res, fmt.Errorf("import into inspection %d: %w", inspectionID, err)
	}
	if opts.Actor == nil {
		opts.Actor = &jtai.AccessEntry{Actor: "console"}
	}
	release, err := db.importSlot(ctx, res)
	if err != nil {
		return res, err
	}
	defer release()
	err = db.importFiles(ctx, k, inspectionID, files, opts, res, nil)
	var older *earlierCensuses
	if errors.As(err, &older) {
		res = &ingest.Result{Summary: ingest.NewSummary(0), Lists: []ingest.Landed{}}
		err = db.importFiles(ctx, k, inspectionID, files, opts, res, older)
	}
	res.Summary.Sort()
	if err != nil {
		// Nothing landed: no rows, no children, whatever was read.
		res.Landed, res.Rows, res.Children, res.NewChildren, res.RemovedChildren, res.SelectedChanged = false, 0, 0, 0, 0, 0
		if res.Summary.Errors > 0 {
			db.counts.importsRejected.Add(1)
		}
		return res, err
	}
	db.counts.importsAccepted.Add(1)
	res.Landed = true
	return res, nil
}

// importFiles is one reading of the files in one transaction, leaving out
// the earlier censuses when older is set.
func (db *DB) importFiles(ctx context.Context, k *crypt.DataKey, inspectionID int64, files []ingest.File, opts ingest.ImportOptions, res *ingest.Result, older *earlierCensuses) error {
	return db.withBulkTx(ctx, func(tx *bulkTx) error {
		if err := writable(ctx, tx.Tx, inspectionID); err != nil {
			return err
		}
		im := &importer{db: db, tx: tx, key: k, inspectionID: inspectionID, opts: opts, res: res,
			imports: map[string]int64{}, files: map[string][]string{}, rows: map[string]int{}, links: map[string]*childLinks{},
			listKids: map[string]map[string]bool{}, left: map[string]int{}}
		if err := im.loadArea(ctx); err != nil {
			return err
		}
		if older != nil {
			for _, p := range older.problems {
				res.Summary.Add(p)
			}
		}
		for _, f := range files {
			if older != nil && older.skip[f.Name] {
				continue
			}
			sum, err := im.readFile(ctx, f)
			var rej *ingest.RejectError
			switch {
			case errors.As(err, &rej):
				res.Summary.Add(rej.Problem)
			case err != nil:
				return fmt.Errorf("import %s: %w", f.Name, err)
			}
			res.Summary.Merge(sum)
			im.checkCensus(f, sum)
			if sum != nil {
				for _, l := range sum.Lists {
					if !slices.Contains(im.files[l.List], f.Name) {
						im.files[l.List] = append(im.files[l.List], f.Name)
					}
				}
			}
		}
		if res.Summary.Errors == 0 && im.read == 0 {
			// An empty template, or lists saved with their headings only:
			// importing it would change nothing but could look like it did.
			res.Summary.Add(ingest.Problem{Source: ingest.Source{File: fileNames(files)}, Rule: ingest.RuleListEmpty, Severity: ingest.Error,
				Message: "No list in these files has any rows, so nothing was imported: the lists already imported are as they were"})
		}
		if res.Summary.Errors == 0 {
			if err := im.laterCensusWins(ctx); err != nil {
				return err
			}
		}
		if res.Summary.Errors > 0 {
			return errRejected(res.Summary)
		}
		im.res.Lists = im.res.Lists[:0]
		if err := im.finish(ctx); err != nil {
			return err
		}
		im.res.NoChanges = im.noChanges()
		return nil
	})
}

func fileNames(files []ingest.File) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// noChanges reports whether the import, landed, left everything as it
// was: each list it brought replaced one of as many rows naming the same
// children, and no child's record changed.
func (im *importer) noChanges() bool {
	if im.changed > 0 || im.res.RemovedChildren > 0 || im.res.SelectedChanged > 0 {
		return false
	}
	for _, l := range im.res.Lists {
		if l.Empty {
			continue // not imported: as it was
		}
		if !l.Replaced || l.ReplacedRows != l.Rows || l.Left > 0 {
			return false
		}
	}
	return true
}

func errRejected(s *ingest.Summary) error {
	return jtai.Errorf(jtai.EINVALID, "The files have %d %s, so nothing was imported", s.Errors, plural(s.Errors, "error", "errors"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func rowAAD(inspectionID int64, list, idx string) []byte {
	return []byte(fmt.Sprintf("inspection/%d/list/%s/child/%s", inspectionID, list, idx))
}

// record writes one row sealed by readFile, and links it to its child.
// Once the files have an error nothing more is written: the import will not
// land, and reading on only finds the remaining problems.
func (im *importer) record(ctx context.Context, row *sealedRow) error {
	im.read++
	if im.read%1000 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if im.opts.Progress != nil {
			im.opts.Progress(im.read)
		}
	}
	r := row.rec
	if row.sealed == nil || im.res.Summary.Errors > 0 {
		return nil
	}
	importID, ok := im.imports[r.List]
	if !ok {
		var err error
		if importID, err = im.newImport(ctx, r.List); err != nil {
			return err
		}
	}
	if err := im.tx.add("import_rows", importRowCols, importID, row.idx, row.sealed); err != nil {
		return err
	}
	im.rows[r.List]++
	im.res.Rows++
	kids := im.listKids[r.List]
	if kids == nil {
		kids = map[string]bool{}
		im.listKids[r.List] = kids
	}
	kids[row.idx] = true
	if r.List == ingest.ListCINCensus {
		im.censusOf(r.Source.File).kids[row.idx] = true
	}
	l := im.linksOf(row.idx)
	l.id = row.id
	l.link(r, true, im.res.Summary.Add)
	return nil
}

// sortedLists are the keys of a map by list, in the order people read lists.
func sortedLists[V any](m map[string]V) []string {
	lists := make([]string, 0, len(m))
	for list := range m {
		lists = append(lists, list)
	}
	slices.SortFunc(lists, func(a, b string) int { return ingest.ListRank(a) - ingest.ListRank(b) })
	return lists
}

func (im *importer) linksOf(idx string) *childLinks {
	l := im.links[idx]
	if l == nil {
		l = &childLinks{}
		im.links[idx] = l
		im.order = append(im.order, idx)
	}
	return l
}

func (im *importer) newImport(ctx context.Context, list string) (int64, error) {
	id, err := im.tx.insert(ctx, `INSERT INTO imports (inspection_id, list, files, row_count, imported_at, imported_by) VALUES (?, ?, '', 0, ?, ?)`,
		im.inspectionID, list, im.db.clock.Now().UnixMicro(), shownAs(im.opts.Actor))
	if err != nil {
		return 0, err
	}
	im.imports[list] = id
	return id, nil
}

// finish replaces the earlier imports of the lists that came in, rebuilds
// the facts of every child they touch, and logs each list.
func (im *importer) finish(ctx context.Context) error {
	// A list read with no rows leaves the list as it was: an empty sheet
	// is far more often a template left blank than a list emptied.
	// It is in the summary all the same, so that every list the files held
	// is; an empty list 11 (adopters, no children) is usual and gets no
	// warning.
	var empty []ingest.Landed
	for _, list := range sortedLists(im.files) {
		if _, ok := im.imports[list]; ok {
			continue
		}
		var had, kept int
		if err := im.tx.QueryRowContext(ctx, im.db.q(`SELECT COUNT(*), COALESCE(SUM(row_count), 0) FROM imports WHERE inspection_id = ? AND list = ?`), im.inspectionID, list).Scan(&had, &kept); err != nil {
			return err
		}
		empty = append(empty, ingest.Landed{List: list, Files: im.files[list], Empty: true, KeptRows: kept, At: im.db.clock.Now(), By: shownAs(im.opts.Actor)})
		if list == ingest.ListAnnexA11 {
			continue
		}
		msg := fmt.Sprintf("%s has no rows, so it was not imported", ingest.ListTitle(list))
		if had > 0 {
			msg = fmt.Sprintf("%s has no rows: the children already imported from it are kept", ingest.ListTitle(list))
		}
		im.res.Summary.Add(ingest.Problem{Source: ingest.Source{File: strings.Join(im.files[list], ", ")}, Rule: ingest.RuleListEmpty, Severity: ingest.Warning, Message: msg})
	}
	defer func() { im.res.Lists = append(im.res.Lists, empty...) }()
	if err := im.tx.flush(); err != nil {
		return err
	}
	replaced, err := im.replace(ctx)
	if err != nil {
		return err
	}
	if err := im.foldEarlierRows(ctx); err != nil {
		return err
	}
	if err := im.writeChildren(ctx); err != nil {
		return err
	}
	if err := im.tx.flush(); err != nil {
		return err
	}
	if err := im.db.rescreen(ctx, im.tx.Tx, im.key, im.inspectionID); err != nil {
		return err
	}
	now := im.db.clock.Now()
	for _, list := range sortedLists(im.imports) {
		files := im.files[list]
		var ref jtai.Date
		var stored any // NULL but for a census that gives a reference date
		if list == ingest.ListCINCensus {
			if ref = im.censusRef(); !ref.IsZero() {
				stored = ref.String()
			}
		}
		if _, err := im.tx.exec(ctx, `UPDATE imports SET files = ?, row_count = ?, reference_date = ? WHERE id = ?`, strings.Join(files, "\n"), im.rows[list], stored, im.imports[list]); err != nil {
			return err
		}
		old, was := replaced[list]
		im.res.Lists = append(im.res.Lists, ingest.Landed{List: list, Files: files, Rows: im.rows[list], Replaced: was, ReplacedRows: old, Left: im.left[list],
			ReferenceDate: ref, At: now, By: shownAs(im.opts.Actor)})
		e := *im.opts.Actor
		e.Action, e.Resource, e.Outcome = jtai.ActCreate, fmt.Sprintf("inspection/%d/list/%s", im.inspectionID, list), "ok"
		if was {
			e.Action = jtai.ActUpdate
		}
		if err := im.db.appendTx(ctx, im.tx.Tx, &e); err != nil {
			return err
		}
	}
	return nil
}

// replace deletes the earlier imports of the lists that came in, after
// noting the children they named, whose facts must be rebuilt. It returns
// the replaced lists with their row counts.
func (im *importer) replace(ctx context.Context) (map[string]int, error) {
	rows, err := im.tx.QueryContext(ctx, im.db.q(`SELECT id, list, row_count FROM imports WHERE inspection_id = ?`), im.inspectionID)
	if err != nil {
		return nil, err
	}
	type old struct {
		id   int64
		list string
		n    int
	}
	var olds []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.list, &o.n); err != nil {
			rows.Close()
			return nil, err
		}
		if newID, ok := im.imports[o.list]; ok && newID != o.id {
			olds = append(olds, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	replaced := map[string]int{}
	var leaving []ingest.Leaving
	for _, o := range olds {
		idxs, err := im.tx.QueryContext(ctx, im.db.q(`SELECT DISTINCT child_idx FROM import_rows WHERE import_id = ?`), o.id)
		if err != nil {
			return nil, err
		}
		was, left := 0, 0
		for idxs.Next() {
			var idx string
			if err := idxs.Scan(&idx); err != nil {
				idxs.Close()
				return nil, err
			}
			im.linksOf(idx)
			was++
			if !im.listKids[o.list][idx] {
				left++
			}
		}
		im.left[o.list] += left
		if ingest.ManyLeave(left, was) && !im.opts.Replace {
			leaving = append(leaving, ingest.Leaving{List: o.list, Left: left, Was: was})
		}
		idxs.Close()
		if err := idxs.Err(); err != nil {
			return nil, err
		}
		if _, err := im.tx.exec(ctx, `DELETE FROM import_rows WHERE import_id = ?`, o.id); err != nil {
			return nil, err
		}
		if _, err := im.tx.exec(ctx, `DELETE FROM imports WHERE id = ?`, o.id); err != nil {
			return nil, err
		}
		replaced[o.list] += o.n
	}
	if len(leaving) > 0 {
		im.res.Leaving = leaving
		parts := make([]string, len(leaving))
		for i, l := range leaving {
			parts[i] = l.Describe()
		}
		return nil, jtai.Errorf(jtai.ECONFLICT, "Nothing was imported: %s. If the new lists are right, confirm that these children leave and import the files again", strings.Join(parts, "; "))
	}
	return replaced, nil
}

// foldEarlierRows links the rows of the lists this import leaves alone to
// the children it touches, so that their facts come from every list.
func (im *importer) foldEarlierRows(ctx context.Context) error {
	fresh := map[int64]bool{}
	// The rows just written are linked already: the query leaves them out
	// rather than reading every sealed row back.
	args := []any{im.inspectionID}
	var skip strings.Builder
	for _, id := range im.imports {
		fresh[id] = true
		skip.WriteString(", ?")
		args = append(args, id)
	}
	q := `SELECT r.import_id, i.list, r.child_idx, r.sealed FROM import_rows r JOIN imports i ON i.id = r.import_id WHERE i.inspection_id = ?`
	if skip.Len() > 0 {
		q += ` AND i.id NOT IN (` + skip.String()[2:] + `)`
	}
	rows, err := im.tx.QueryContext(ctx, im.db.q(q+` ORDER BY i.id`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var importID int64
		var list, idx string
		var sealed []byte
		if err := rows.Scan(&importID, &list, &idx, &sealed); err != nil {
			return err
		}
		l, ok := im.links[idx]
		if !ok || fresh[importID] {
			continue
		}
		r, err := im.openRow(list, idx, sealed)
		if err != nil {
			return err
		}
		if l.id == "" {
			l.id = NormalizeChildID(r.LAChildID)
		}
		l.link(r, false, im.res.Summary.Add)
	}
	return rows.Err()
}

func (im *importer) openRow(list, idx string, sealed []byte) (*ingest.Record, error) {
	b, err := im.key.Open(sealed, rowAAD(im.inspectionID, list, idx))
	if err != nil {
		return nil, fmt.Errorf("open imported row: %w", err)
	}
	var r ingest.Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("open imported row: %w", err)
	}
	return &r, nil
}

// ImportsAtOnce is how many imports one process runs at a time unless
// SetImportsAtOnce says otherwise: an import holds a record of each of the
// children it reads, and two of the largest at once stay within 512 MiB.
const ImportsAtOnce = 1

// SetImportsAtOnce sets how many imports run at once in this process; the
// rest wait their turn. Call it before the first import.
func (db *DB) SetImportsAtOnce(n int) {
	if n < 1 {
		n = 1
	}
	db.importsOnce.Do(func() { db.imports = make(chan struct{}, n) })
}

// importSlot waits for a turn to import, and says in res how long it
// waited; release gives the turn back.
func (db *DB) importSlot(ctx context.Context, res *ingest.Result) (release func(), err error) {
	db.SetImportsAtOnce(ImportsAtOnce) // the default, unless set before
	select {
	case db.imports <- struct{}{}:
		return func() { <-db.imports }, nil
	default:
	}
	start := time.Now()
	select {
	case db.imports <- struct{}{}:
		res.Waited = time.Since(start)
		return func() { <-db.imports }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
