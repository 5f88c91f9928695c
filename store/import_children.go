package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"jtai"
)

var childCols = []string{"inspection_id", "la_child_idx", "sealed"}

// writeChildren writes the children the import touched, their identity and
// facts rebuilt from their rows: new children are inserted, known ones
// updated, and a child no list names any more is removed. A value no row
// gives (a name added by hand, say) is kept from the stored child.
func (im *importer) writeChildren(ctx context.Context) error {
	known, err := im.knownChildren(ctx)
	if err != nil {
		return err
	}
	// The children go in chunks: each is rebuilt in order, sealed on every
	// core, then written in order by this goroutine, the transaction's, so
	// that memory holds one chunk's sealed children at a time.
	const chunk = 4096
	type rebuilt struct {
		idx    string
		links  *childLinks
		was    *jtai.Child
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
				if exists {
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
			t.sealed = sealed
			return nil
		})
		if err != nil {
			return err
		}
		for _, t := range todo {
			im.res.Children++
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
				if update, err = im.tx.PrepareContext(ctx, `UPDATE children SET sealed = ? WHERE id = ?`); err != nil {
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
		_, err := im.tx.exec(ctx, `UPDATE children SET sealed = t.sealed FROM import_children t WHERE children.id = t.id`)
		return err
	}
	return nil
}

func keep(dst *string, was string) {
	if *dst == "" {
		*dst = was
	}
}

// knownChildren opens the stored children that the import touches.
func (im *importer) knownChildren(ctx context.Context) (map[string]*jtai.Child, error) {
	rows, err := im.tx.QueryContext(ctx, im.db.q(`SELECT id, la_child_idx, sealed FROM children WHERE inspection_id = ?`), im.inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type stored struct {
		id     int64
		idx    string
		sealed []byte
		child  *jtai.Child
	}
	var touched []stored
	for rows.Next() {
		var st stored
		if err := rows.Scan(&st.id, &st.idx, &st.sealed); err != nil {
			return nil, err
		}
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
