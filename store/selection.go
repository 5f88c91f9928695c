package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/crypt"
)

var _ jtai.SelectionService = (*DB)(nil)

func selectionAAD(inspectionID, childID int64, what string) string {
	return fmt.Sprintf("inspection/%d/selection/child/%d/%s", inspectionID, childID, what)
}

// SaveSelection stores a selection and publishes it: the inspection moves
// to children-selected and the parts of the tracked children's joint audits
// are made in the same transaction, by the person publishing, and all is
// logged. An inspection has one selection; after it, children are added or
// removed one at a time.
func (db *DB) SaveSelection(ctx context.Context, s *jtai.Selection, audits []jtai.AuditPartKey, by *jtai.AccessEntry) error {
	if len(s.Children) == 0 {
		return jtai.Invalid(jtai.FieldError{Field: "seed", Message: "No child is in scope, so there is nothing to select"})
	}
	k, err := db.dataKey(ctx, InspectionScope(s.InspectionID))
	if err != nil {
		return err
	}
	s.CreatedAt, s.CreatedBy = db.stamp(by)
	return db.withWritable(ctx, s.InspectionID, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO selections (inspection_id, seed, created_by, created_at) VALUES (?, ?, ?, ?)`,
			s.InspectionID, strconv.FormatUint(s.Seed, 10), s.CreatedBy, s.CreatedAt.UnixMicro()); err != nil {
			if taken(err) {
				return jtai.Errorf(jtai.ECONFLICT, "Children are already selected for this inspection: add or remove children one at a time instead")
			}
			return db.translate(err)
		}
		for i := range s.Children {
			c := &s.Children[i]
			c.AddedBy, c.AddedAt = s.CreatedBy, s.CreatedAt
			if err := db.insertSelected(ctx, tx, k, s.InspectionID, c); err != nil {
				return err
			}
		}
		if _, err := db.planAudits(ctx, tx, s.InspectionID, audits, by); err != nil {
			return err
		}
		if _, err := db.transitionTx(ctx, tx, k, s.InspectionID, jtai.Move{To: jtai.StatusChildrenSelected, Via: jtai.ViaSelection}, by); err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActSelect, fmt.Sprintf("inspection/%d/selection", s.InspectionID),
			fmt.Sprintf("ok: seed %d, %d tracked, %d sampled", s.Seed, s.Count(jtai.CaseTracking), s.Count(jtai.CaseSample))))
	})
}

// insertSelected adds one child row, checking the child is the
// inspection's and not already selected.
func (db *DB) insertSelected(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64, c *jtai.SelectedChild) error {
	if !c.Kind.Valid() {
		return jtai.Invalid(jtai.FieldError{Field: "kind", Message: "Select case tracking or the wider case sample"})
	}
	var idx string
	var sealed []byte
	err := tx.queryRow(ctx, `SELECT la_child_idx, sealed FROM children WHERE id = ? AND inspection_id = ? AND off_lists_at IS NULL`, c.ChildID, inspectionID).Scan(&idx, &sealed)
	if err != nil {
		return notFound(err, "Child not found")
	}
	// Opened here only to check, never handed out: a child who has died
	// is never selected, whoever asks.
	child, err := openChild(k, c.ChildID, inspectionID, idx, sealed)
	if err != nil {
		return err
	}
	if child.Died() {
		return jtai.Errorf(jtai.EINVALID, "That child has died (the CIN census gives a date of death), so cannot be selected")
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM selected_children WHERE inspection_id = ? AND child_id = ? AND removed_at IS NULL`, inspectionID, c.ChildID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return jtai.Errorf(jtai.ECONFLICT, "That child is already selected")
	}
	reason, manual := sealNote(k, c.Reason, selectionAAD(inspectionID, c.ChildID, "reason")), []byte(nil)
	if c.Manual {
		reason, manual = nil, sealNote(k, c.Reason, selectionAAD(inspectionID, c.ChildID, "added"))
	}
	_, err = tx.exec(ctx, `INSERT INTO selected_children (inspection_id, child_id, kind, reason, covers, sealed_reason, sealed_covers, manual_reason, added_by, added_at, screened) VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?, ?)`,
		inspectionID, c.ChildID, c.Kind, reason, sealNote(k, strings.Join(c.Covers, " "), selectionAAD(inspectionID, c.ChildID, "covers")), manual, c.AddedBy, c.AddedAt.UnixMicro(),
		sealNote(k, c.Screened, selectionAAD(inspectionID, c.ChildID, "screened")))
	return err
}

// FindSelection returns the children selected now, in the order they were
// picked or added; ENOTFOUND when children have not been selected yet.
func (db *DB) FindSelection(ctx context.Context, inspectionID int64) (*jtai.Selection, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	s := &jtai.Selection{InspectionID: inspectionID}
	var seed string
	var created int64
	err = db.queryRow(ctx, `SELECT seed, created_by, created_at FROM selections WHERE inspection_id = ?`, inspectionID).Scan(&seed, &s.CreatedBy, &created)
	if err != nil {
		return nil, notFound(err, "Children have not been selected yet")
	}
	s.Seed, _ = strconv.ParseUint(seed, 10, 64)
	s.CreatedAt = time.UnixMicro(created).UTC()
	rows, err := db.query(ctx, `SELECT child_id, kind, sealed_reason, sealed_covers, manual_reason, added_by, added_at, screened FROM selected_children
		WHERE inspection_id = ? AND removed_at IS NULL ORDER BY id`, inspectionID)
	s.Children, err = collect(rows, err, func(sc scanner) (jtai.SelectedChild, error) {
		var c jtai.SelectedChild
		var covers string
		var reason, sealedCovers, manual, screened []byte
		var at int64
		if err := sc.Scan(&c.ChildID, &c.Kind, &reason, &sealedCovers, &manual, &c.AddedBy, &at, &screened); err != nil {
			return c, err
		}
		for _, f := range []struct {
			to     *string
			sealed []byte
			what   string
		}{{&c.Screened, screened, "screened"}, {&c.Reason, reason, "reason"}, {&covers, sealedCovers, "covers"}} {
			if *f.to, err = openNote(k, f.sealed, selectionAAD(inspectionID, c.ChildID, f.what)); err != nil {
				return c, err
			}
		}
		c.AddedAt = time.UnixMicro(at).UTC()
		c.Covers = strings.Fields(covers)
		if manual != nil {
			c.Manual = true
			c.Reason, err = openNote(k, manual, selectionAAD(inspectionID, c.ChildID, "added"))
		}
		return c, err
	})
	if s.Children == nil {
		s.Children = []jtai.SelectedChild{}
	}
	return s, err
}

func needReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return jtai.Invalid(jtai.FieldError{Field: "reason", Message: "Enter why"})
	}
	return nil
}

// AddSelectedChild adds a child by hand, with the inspector's written
// reason, once children have been selected; a tracked child's joint audit
// parts are made with it.
func (db *DB) AddSelectedChild(ctx context.Context, inspectionID int64, c jtai.SelectedChild, audits []jtai.AuditPartKey, by *jtai.AccessEntry) error {
	c.Reason = strings.TrimSpace(c.Reason)
	if err := needReason(c.Reason); err != nil {
		return jtai.Invalid(jtai.FieldError{Field: "reason", Message: "Enter why you are adding the child"})
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return err
	}
	c.Manual, c.Covers = true, nil
	c.AddedAt = db.clock.Now().Truncate(time.Microsecond)
	if by != nil {
		c.AddedBy = shownAs(by)
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM selections WHERE inspection_id = ?`, inspectionID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return jtai.Errorf(jtai.ECONFLICT, "Select children first; then add or remove one at a time")
		}
		if err := db.insertSelected(ctx, tx, k, inspectionID, &c); err != nil {
			return err
		}
		for _, a := range audits {
			if a.ChildID != c.ChildID {
				return jtai.Errorf(jtai.EINVALID, "A joint audit part added with a child must be that child's")
			}
		}
		if _, err := db.planAudits(ctx, tx, inspectionID, audits, by); err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActSelectionAdd, fmt.Sprintf("inspection/%d/selection/child/%d", inspectionID, c.ChildID), "ok: "+string(c.Kind)))
	})
}

// RemoveSelectedChild takes a child out of the selection with a written
// reason. The row stays, marked removed, so the history can be read back.
func (db *DB) RemoveSelectedChild(ctx context.Context, inspectionID, childID int64, reason string, by *jtai.AccessEntry) error {
	reason = strings.TrimSpace(reason)
	if err := needReason(reason); err != nil {
		return jtai.Invalid(jtai.FieldError{Field: "reason", Message: "Enter why you are removing the child"})
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return err
	}
	actor := byName(by)
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		err := tx.update(ctx, "Selected child", `UPDATE selected_children SET removed_reason = ?, removed_by = ?, removed_at = ?
			WHERE inspection_id = ? AND child_id = ? AND removed_at IS NULL`,
			sealNote(k, reason, selectionAAD(inspectionID, childID, "removed")), actor, db.clock.Now().UnixMicro(), inspectionID, childID)
		if err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActSelectionRemove, fmt.Sprintf("inspection/%d/selection/child/%d", inspectionID, childID), "ok"))
	})
}

// sealSelections seals the reasons and strata of selected children written
// before they were sealed, and empties their plaintext columns. It runs
// with the migrations; a second run finds nothing to do.
func (db *DB) sealSelections(ctx context.Context) error {
	if db.master == nil {
		return nil
	}
	type plain struct {
		id, inspectionID, childID int64
		reason, covers            string
	}
	rows, err := db.query(ctx, `SELECT id, inspection_id, child_id, reason, covers FROM selected_children WHERE reason <> '' OR covers <> ''`)
	found, err := collect(rows, err, func(sc scanner) (plain, error) {
		var p plain
		return p, sc.Scan(&p.id, &p.inspectionID, &p.childID, &p.reason, &p.covers)
	})
	if err != nil || len(found) == 0 {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		for _, p := range found {
			var reason, covers []byte
			k, err := db.dataKeyVia(ctx, tx, InspectionScope(p.inspectionID))
			switch {
			case err == nil:
				reason = sealNote(k, p.reason, selectionAAD(p.inspectionID, p.childID, "reason"))
				covers = sealNote(k, p.covers, selectionAAD(p.inspectionID, p.childID, "covers"))
			case !jtai.IsKind(err, jtai.ENOTFOUND):
				return err
			} // an erased inspection's: only emptied
			if _, err := tx.exec(ctx, `UPDATE selected_children SET reason = '', covers = '', sealed_reason = ?, sealed_covers = ? WHERE id = ?`, reason, covers, p.id); err != nil {
				return err
			}
		}
		return nil
	})
}
