package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"jtai"
)

var childCols = []string{"inspection_id", "la_child_idx", "sealed"}

// writeChildren writes the children the import touched, their identity and
// facts rebuilt from their rows: new children are inserted, known ones
// updated, and a child no list names any more is removed, unless it was
// ever selected: then its selection and joint audit refer to it, so it is
// kept as the lists last gave it and marked off the lists. A value no row
// gives (a name added by hand, say) is kept from the stored child. Each
// selected child whose record changed or that went off the lists is
// logged, for the lead inspector to look at again.
func (im *importer) writeChildren(ctx context.Context) error {
	known, err := im.knownChildren(ctx)
	if err != nil {
		return err
	}
	selected, err := im.selectedChildren(ctx)
	if err != nil {
		return err
	}
	now := im.db.clock.Now().UnixMicro()
	// The children go in chunks: each is rebuilt in order, sealed on every
	// core, then written in order by this goroutine, the transaction's, so
	// that memory holds one chunk's sealed children at a time.
	const chunk = 4096
	type rebuilt struct {
		idx    string
		links  *childLinks
		was    *jtai.Child
		child  jtai.Child // as rebuilt
		sealed []byte
	}
	todo := make([]rebuilt, 0, chunk)
	var update *sql.Stmt // SQLite: one UPDATE per known child
	updates := 0
	for start := 0; start < len(im.order); start += chunk {
		todo = todo[:0]
		for _, idx := range im.order[start:min(start+chunk, len(im.order))] {
			l := im.links[idx]
			was, exists := known[idx]
			if l.rows == 0 {
				switch {
				case !exists || was.OffLists:
				case selected[was.ID]:
					if _, err := im.tx.exec(ctx, `UPDATE children SET off_lists_at = ? WHERE id = ?`, now, was.ID); err != nil {
						return err
					}
					im.res.RemovedChildren++
					if err := im.selectedChanged(ctx, was.ID, "no longer on any list"); err != nil {
						return err
					}
				default:
					if _, err := im.tx.exec(ctx, `DELETE FROM screening_decisions WHERE child_id = ?`, was.ID); err != nil {
						return err
					}
					if _, err := im.tx.exec(ctx, `DELETE FROM children WHERE id = ?`, was.ID); err != nil {
						return im.db.translate(err)
					}
					im.res.RemovedChildren++
				}
				continue
			}
			todo = append(todo, rebuilt{idx: idx, links: l, was: was})
		}
		err := parallel(len(todo), func(i int) error {
			t := &todo[i]
			c := t.links.child
			c.LAChildID = t.links.id
			c.Facts = t.links.facts.facts()
			if was := t.was; was != nil {
				keep(&c.FirstName, was.FirstName)
				keep(&c.LastName, was.LastName)
				keep(&c.Gender, was.Gender)
				keep(&c.Ethnicity, was.Ethnicity)
				keep(&c.Postcode, was.Postcode)
				if c.DateOfBirth == nil {
					c.DateOfBirth = was.DateOfBirth
				}
				if c.ExpectedDate == nil {
					c.ExpectedDate = was.ExpectedDate
				}
			}
			sealedIdx, sealed, err := sealChild(im.key, im.inspectionID, &c)
			if err != nil {
				return err
			}
			if sealedIdx != t.idx {
				return fmt.Errorf("import: child index mismatch")
			}
			t.sealed, t.child = sealed, c
			return nil
		})
		if err != nil {
			return err
		}
		for _, t := range todo {
			im.res.Children++
			if t.was == nil || t.was.OffLists || recordChanged(t.was, &t.child) {
				im.changed++
			}
			if t.was != nil && selected[t.was.ID] {
				switch {
				case t.was.OffLists:
					err = im.selectedChanged(ctx, t.was.ID, "on the lists again")
				case recordChanged(t.was, &t.child):
					err = im.selectedChanged(ctx, t.was.ID, "its record changed")
				}
				if err != nil {
					return err
				}
			}
			if t.was == nil {
				im.res.NewChildren++
				if err := im.tx.add("children", childCols, im.inspectionID, t.idx, t.sealed); err != nil {
					return err
				}
				continue
			}
			updates++
			if im.db.dialect == postgresDialect {
				// One COPY and one UPDATE rather than a round trip per child.
				if updates == 1 {
					if _, err := im.tx.exec(ctx, `CREATE TEMPORARY TABLE import_children (id BIGINT PRIMARY KEY, sealed BYTEA NOT NULL) ON COMMIT DROP`); err != nil {
						return err
					}
				}
				if err := im.tx.add("import_children", []string{"id", "sealed"}, t.was.ID, t.sealed); err != nil {
					return err
				}
				continue
			}
			if update == nil {
				if update, err = im.tx.PrepareContext(ctx, `UPDATE children SET sealed = ?, off_lists_at = NULL WHERE id = ?`); err != nil {
					return err
				}
				defer update.Close()
			}
			if _, err := update.ExecContext(ctx, t.sealed, t.was.ID); err != nil {
				return err
			}
		}
	}
	if err := im.tx.flush(); err != nil {
		return err
	}
	if updates > 0 && im.db.dialect == postgresDialect {
		_, err := im.tx.exec(ctx, `UPDATE children SET sealed = t.sealed, off_lists_at = NULL FROM import_children t WHERE children.id = t.id`)
		return err
	}
	return nil
}

func keep(dst *string, was string) {
	if *dst == "" {
		*dst = was
	}
}

// recordChanged reports whether the rebuilt child differs from the stored
// one in anything screening or people read.
func recordChanged(was, now *jtai.Child) bool {
	a, _ := json.Marshal(sealedOf(was))
	b, _ := json.Marshal(sealedOf(now))
	return !bytes.Equal(a, b)
}

// selectedChildren are the children of the inspection ever selected, kept
// or removed since: the selection's rows and the joint audits refer to them.
func (im *importer) selectedChildren(ctx context.Context) (map[int64]bool, error) {
	rows, err := im.tx.QueryContext(ctx, im.db.q(`SELECT DISTINCT child_id FROM selected_children WHERE inspection_id = ?`), im.inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// selectedChanged logs a change the import made to a selected child; what
// says what changed, never how.
func (im *importer) selectedChanged(ctx context.Context, childID int64, what string) error {
	im.res.SelectedChanged++
	e := *im.opts.Actor
	e.Action, e.Resource, e.Outcome = jtai.ActUpdate, fmt.Sprintf("inspection/%d/selection/child/%d", im.inspectionID, childID), "ok: the lists imported: "+what
	return im.db.appendTx(ctx, im.tx.Tx, &e)
}

// knownChildren opens the stored children that the import touches, off the
// lists or not.
func (im *importer) knownChildren(ctx context.Context) (map[string]*jtai.Child, error) {
	rows, err := im.tx.QueryContext(ctx, im.db.q(`SELECT id, la_child_idx, sealed, off_lists_at FROM children WHERE inspection_id = ?`), im.inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type stored struct {
		id     int64
		idx    string
		sealed []byte
		off    bool
		child  *jtai.Child
	}
	var touched []stored
	for rows.Next() {
		var st stored
		var off *int64
		if err := rows.Scan(&st.id, &st.idx, &st.sealed, &off); err != nil {
			return nil, err
		}
		st.off = off != nil
		if _, ok := im.links[st.idx]; ok {
			touched = append(touched, st)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = parallel(len(touched), func(i int) error {
		st := &touched[i]
		c, err := openChild(im.key, st.id, im.inspectionID, st.idx, st.sealed)
		if c != nil {
			c.OffLists = st.off
		}
		st.child, st.sealed = c, nil
		return err
	})
	if err != nil {
		return nil, err
	}
	known := make(map[string]*jtai.Child, len(touched))
	for _, st := range touched {
		known[st.idx] = st.child
	}
	return known, nil
}

// parallel calls fn for every i below n, spread over the available cores,
// and returns the first error. fn must not touch the database.
func parallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), (n+255)/256)
	if workers <= 1 {
		for i := range n {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		ferr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if ferr == nil {
						ferr = err
					}
					mu.Unlock()
					next.Store(int64(n)) // the others stop
					return
				}
			}
		}()
	}
	wg.Wait()
	return ferr
}
