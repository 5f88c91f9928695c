package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"jtai"
	"jtai/crypt"
)

var _ jtai.ChildService = (*DB)(nil)

// childIndexKind separates the LA child ID's blind index from others.
const childIndexKind = "la_child_id"

// NormalizeChildID is how LA child identifiers are compared: trimmed and
// upper-cased, since exports differ in both.
func NormalizeChildID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// sealedChild is what is sealed: every personal field of the child.
type sealedChild struct {
	LAChildID    string          `json:"id"`
	FirstName    string          `json:"fn,omitempty"`
	LastName     string          `json:"ln,omitempty"`
	DateOfBirth  *jtai.Date      `json:"dob,omitempty"`
	ExpectedDate *jtai.Date      `json:"edd,omitempty"`
	Gender       string          `json:"g,omitempty"`
	Ethnicity    string          `json:"e,omitempty"`
	Postcode     string          `json:"pc,omitempty"`
	Facts        jtai.ChildFacts `json:"f"`
	DateOfDeath  *jtai.Date      `json:"dod,omitempty"`
}

// sealedOf is what is sealed of a child, its identifier normalised.
func sealedOf(c *jtai.Child) sealedChild {
	return sealedChild{NormalizeChildID(c.LAChildID), c.FirstName, c.LastName, c.DateOfBirth, c.ExpectedDate, c.Gender, c.Ethnicity, c.Postcode, c.Facts, c.DateOfDeath}
}

func childAAD(inspectionID int64, idx string) []byte {
	return []byte(fmt.Sprintf("inspection/%d/child/%s", inspectionID, idx))
}

// CreateChildren stores children of an inspection in one transaction: all
// of them or none.
func (db *DB) CreateChildren(ctx context.Context, inspectionID int64, children []*jtai.Child) error {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO children (inspection_id, la_child_idx, sealed) VALUES (?, ?, ?) RETURNING id`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, c := range children {
			idx, sealed, err := sealChild(k, inspectionID, c)
			if err != nil {
				return err
			}
			if err := stmt.QueryRowContext(ctx, inspectionID, idx, sealed).Scan(&c.ID); err != nil {
				if taken(err) {
					return jtai.Errorf(jtai.ECONFLICT, "Child %s appears twice", c.LAChildID)
				}
				return db.translate(err)
			}
			c.InspectionID = inspectionID
		}
		return nil
	})
}

func sealChild(k *crypt.DataKey, inspectionID int64, c *jtai.Child) (string, []byte, error) {
	id := NormalizeChildID(c.LAChildID)
	if id == "" {
		return "", nil, jtai.Invalid(jtai.FieldError{Field: "la_child_id", Message: "Every child needs the local authority's child identifier"})
	}
	b, err := json.Marshal(sealedOf(c))
	if err != nil {
		return "", nil, err
	}
	idx := k.BlindIndex(childIndexKind, id)
	return idx, k.Seal(b, childAAD(inspectionID, idx)), nil
}

func openChild(k *crypt.DataKey, id, inspectionID int64, idx string, sealed []byte) (*jtai.Child, error) {
	b, err := k.Open(sealed, childAAD(inspectionID, idx))
	if err != nil {
		return nil, fmt.Errorf("open child %d: %w", id, err)
	}
	var s sealedChild
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("open child %d: %w", id, err)
	}
	return &jtai.Child{ID: id, InspectionID: inspectionID, LAChildID: s.LAChildID, FirstName: s.FirstName, LastName: s.LastName,
		DateOfBirth: s.DateOfBirth, ExpectedDate: s.ExpectedDate, Gender: s.Gender, Ethnicity: s.Ethnicity, Postcode: s.Postcode, Facts: s.Facts, DateOfDeath: s.DateOfDeath}, nil
}

func (db *DB) findChild(ctx context.Context, inspectionID int64, where string, arg any) (*jtai.Child, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	var id int64
	var idx string
	var sealed []byte
	var off *int64
	err = db.queryRow(ctx, `SELECT id, la_child_idx, sealed, off_lists_at FROM children WHERE inspection_id = ? AND `+where+` = ?`, inspectionID, arg).Scan(&id, &idx, &sealed, &off)
	if err != nil {
		return nil, notFound(err, "Child not found")
	}
	c, err := openChild(k, id, inspectionID, idx, sealed)
	if c != nil {
		c.OffLists = off != nil
	}
	return c, err
}

// childByID returns one child of an inspection.
func (db *DB) childByID(ctx context.Context, inspectionID, id int64) (*jtai.Child, error) {
	return db.findChild(ctx, inspectionID, "id", id)
}

// childrenByID returns children of an inspection in the order of ids,
// reading the key once; ENOTFOUND if any is not the inspection's.
func (db *DB) childrenByID(ctx context.Context, inspectionID int64, ids []int64) ([]*jtai.Child, error) {
	return findChildren(ctx, db, inspectionID, ids, func(k *crypt.DataKey, id int64, r childRow) (*jtai.Child, error) {
		c, err := openChild(k, id, inspectionID, r.idx, r.sealed)
		if c != nil {
			c.OffLists = r.off
		}
		return c, err
	})
}

// childNames returns the names of children of an inspection, as
// Child.FullName gives them, in the order of ids: the pages that list
// children show no more, and decoding a child's facts costs more than
// the rest of the read.
func (db *DB) childNames(ctx context.Context, inspectionID int64, ids []int64) ([]string, error) {
	return findChildren(ctx, db, inspectionID, ids, func(k *crypt.DataKey, id int64, r childRow) (string, error) {
		b, err := k.Open(r.sealed, childAAD(inspectionID, r.idx))
		if err != nil {
			return "", fmt.Errorf("open child %d: %w", id, err)
		}
		var name struct {
			LAChildID string `json:"id"`
			FirstName string `json:"fn"`
			LastName  string `json:"ln"`
		}
		if err := json.Unmarshal(b, &name); err != nil {
			return "", fmt.Errorf("open child %d: %w", id, err)
		}
		return (&jtai.Child{LAChildID: name.LAChildID, FirstName: name.FirstName, LastName: name.LastName}).FullName(), nil
	})
}

// findChildren reads children of an inspection by id, opens each with open
// and returns them in the order of ids; ENOTFOUND if any is not the
// inspection's. Within a request the sealed rows come from the read cache
// (cache.go) where they can, and the rest are read in one query.
func findChildren[T any](ctx context.Context, db *DB, inspectionID int64, ids []int64, open func(k *crypt.DataKey, id int64, r childRow) (T, error)) ([]T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	gen, caching, err := db.generation(ctx)
	if err != nil {
		return nil, err
	}
	key := func(id int64) cacheKey { return cacheKey{kind: "child", a: inspectionID, b: id} }
	byID := make(map[int64]childRow, len(ids))
	var missing []int64
	for _, id := range ids {
		if caching {
			if r, ok := db.cache.get(gen, key(id)); ok {
				byID[id] = r.(childRow)
				continue
			}
		}
		missing = append(missing, id)
	}
	if len(missing) > 0 {
		// The unary plus keeps SQLite from reading every child of the
		// inspection through the (inspection_id, la_child_idx) index: the
		// children are found by id, then checked to be the inspection's.
		rows, err := db.query(ctx, `SELECT id, la_child_idx, sealed, off_lists_at FROM children WHERE +inspection_id = ? AND id IN (`+placeholders(len(missing))+`)`,
			append([]any{inspectionID}, int64Args(missing)...)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var r childRow
			var off *int64
			if err := rows.Scan(&id, &r.idx, &r.sealed, &off); err != nil {
				return nil, err
			}
			r.off = off != nil
			byID[id] = r
			if caching {
				db.cache.put(gen, key(id), r, len(r.idx)+len(r.sealed)+64)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]T, len(ids))
	for i, id := range ids {
		r, ok := byID[id]
		if !ok {
			return nil, jtai.Errorf(jtai.ENOTFOUND, "Child not found")
		}
		if out[i], err = open(k, id, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// childRow is a child's row as read: its blind index, sealed record and
// whether it is off the lists.
type childRow struct {
	idx    string
	sealed []byte
	off    bool
}

// childByLAChildID finds a child by the LA's identifier through the
// blind index, never by comparing plaintext.
func (db *DB) childByLAChildID(ctx context.Context, inspectionID int64, laChildID string) (*jtai.Child, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	return db.findChild(ctx, inspectionID, "la_child_idx", k.BlindIndex(childIndexKind, NormalizeChildID(laChildID)))
}

// listChildren returns a page of the children on an inspection's lists, in
// the order they were stored: a selected child no list names any more is
// not among them.
func (db *DB) listChildren(ctx context.Context, inspectionID int64, offset, limit int) ([]*jtai.Child, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, la_child_idx, sealed FROM children WHERE inspection_id = ? AND off_lists_at IS NULL ORDER BY id LIMIT ? OFFSET ?`, inspectionID, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jtai.Child
	for rows.Next() {
		var id int64
		var idx string
		var sealed []byte
		if err := rows.Scan(&id, &idx, &sealed); err != nil {
			return nil, err
		}
		c, err := openChild(k, id, inspectionID, idx, sealed)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountChildren counts the children on an inspection's lists without
// opening any.
func (db *DB) CountChildren(ctx context.Context, inspectionID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM children WHERE inspection_id = ? AND off_lists_at IS NULL`, inspectionID).Scan(&n)
	return n, err
}
