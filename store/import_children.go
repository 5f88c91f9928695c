package store

import (
	"context"
	"fmt"

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
	type update struct {
		id     int64
		sealed []byte
	}
	var updates []update
	for _, idx := range im.order {
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
		c := l.child
		c.LAChildID = l.id
		c.Facts = l.facts.facts()
		if exists {
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
		if sealedIdx != idx {
			return fmt.Errorf("import: child index mismatch")
		}
		im.res.Children++
		if exists {
			updates = append(updates, update{was.ID, sealed})
			continue
		}
		im.res.NewChildren++
		if err := im.tx.add("children", childCols, im.inspectionID, idx, sealed); err != nil {
			return err
		}
	}
	if err := im.tx.flush(); err != nil {
		return err
	}
	if len(updates) == 0 {
		return nil
	}
	if im.db.dialect == postgresDialect {
		// One COPY and one UPDATE rather than a round trip per child.
		if _, err := im.tx.exec(ctx, `CREATE TEMPORARY TABLE import_children (id BIGINT PRIMARY KEY, sealed BYTEA NOT NULL) ON COMMIT DROP`); err != nil {
			return err
		}
		for _, u := range updates {
			if err := im.tx.add("import_children", []string{"id", "sealed"}, u.id, u.sealed); err != nil {
				return err
			}
		}
		if err := im.tx.flush(); err != nil {
			return err
		}
		_, err := im.tx.exec(ctx, `UPDATE children SET sealed = t.sealed FROM import_children t WHERE children.id = t.id`)
		return err
	}
	stmt, err := im.tx.PrepareContext(ctx, `UPDATE children SET sealed = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, u := range updates {
		if _, err := stmt.ExecContext(ctx, u.sealed, u.id); err != nil {
			return err
		}
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
	known := map[string]*jtai.Child{}
	for rows.Next() {
		var id int64
		var idx string
		var sealed []byte
		if err := rows.Scan(&id, &idx, &sealed); err != nil {
			return nil, err
		}
		if _, ok := im.links[idx]; !ok {
			continue
		}
		c, err := openChild(im.key, id, im.inspectionID, idx, sealed)
		if err != nil {
			return nil, err
		}
		known[idx] = c
	}
	return known, rows.Err()
}
