package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"jtai"
	"jtai/crypt"
)

var _ jtai.JointAuditService = (*DB)(nil)

func auditPartAAD(inspectionID int64, k jtai.AuditPartKey) []byte {
	return []byte(fmt.Sprintf("inspection/%d/audit/child/%d/%s/%d", inspectionID, k.ChildID, k.PartID, k.AgencyID))
}

func auditResource(inspectionID int64, k jtai.AuditPartKey) string {
	return fmt.Sprintf("inspection/%d/audit/child/%d/part/%s/agency/%d", inspectionID, k.ChildID, k.PartID, k.AgencyID)
}

// selectedNow keeps the parts whose child is selected now: a child taken
// out of the selection takes its audit with it.
const selectedNow = `EXISTS (SELECT 1 FROM selected_children s WHERE s.inspection_id = p.inspection_id AND s.child_id = p.child_id AND s.removed_at IS NULL)`

// planAudits makes the parts of a published selection's joint audits in
// the selection's transaction, each for a child tracked now, and logs how
// many it made. A part that exists already is left as it is.
func (db *DB) planAudits(ctx context.Context, tx *Tx, inspectionID int64, keys []jtai.AuditPartKey, by *jtai.AccessEntry) (int, error) {
	added := 0
	for _, k := range keys {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM selected_children WHERE inspection_id = ? AND child_id = ? AND kind = ? AND removed_at IS NULL`,
			inspectionID, k.ChildID, jtai.CaseTracking).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, jtai.Errorf(jtai.EINVALID, "A joint audit is only for a child selected for case tracking")
		}
		res, err := tx.exec(ctx, `INSERT INTO audit_parts (inspection_id, child_id, part_id, agency_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			inspectionID, k.ChildID, k.PartID, k.AgencyID)
		if err != nil {
			return 0, db.translate(err)
		}
		if n, err := res.RowsAffected(); err == nil {
			added += int(n)
		}
	}
	if added == 0 {
		return 0, nil
	}
	return added, db.appendTx(ctx, tx, logEntry(by, jtai.ActAuditPlan, fmt.Sprintf("inspection/%d/audit", inspectionID), fmt.Sprintf("ok: %d parts", added)))
}

const auditPartColumns = `p.child_id, p.part_id, p.agency_id, p.status, p.updated_by, p.updated_at, p.submitted_by, p.submitted_at`

func scanAuditPart(inspectionID int64, s scanner, extra ...any) (*jtai.AuditPart, error) {
	p := &jtai.AuditPart{InspectionID: inspectionID}
	var updated, submitted int64
	dest := append([]any{&p.ChildID, &p.PartID, &p.AgencyID, &p.Status, &p.UpdatedBy, &updated, &p.SubmittedBy, &submitted}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	if updated != 0 {
		p.UpdatedAt = time.UnixMicro(updated).UTC()
	}
	if submitted != 0 {
		p.SubmittedAt = time.UnixMicro(submitted).UTC()
	}
	return p, nil
}

// ListAuditParts returns the parts of the children selected now, without
// their answers: progress opens no personal data.
func (db *DB) ListAuditParts(ctx context.Context, inspectionID int64) ([]*jtai.AuditPart, error) {
	rows, err := db.query(ctx, `SELECT `+auditPartColumns+` FROM audit_parts p WHERE p.inspection_id = ? AND `+selectedNow+` ORDER BY p.child_id, p.agency_id = 0, p.agency_id, p.part_id`, inspectionID)
	return collect(rows, err, func(s scanner) (*jtai.AuditPart, error) { return scanAuditPart(inspectionID, s) })
}

// progressColumns are a tracked child and one of its parts, if any.
const progressColumns = `sc.child_id, COALESCE(p.child_id, 0), COALESCE(p.part_id, ''), COALESCE(p.agency_id, 0), COALESCE(p.status, ''),
	COALESCE(p.updated_by, ''), COALESCE(p.updated_at, 0), COALESCE(p.submitted_by, ''), COALESCE(p.submitted_at, 0)`

// AuditProgress reads the tracked children and their parts in one query:
// every page of the joint audit starts from it.
func (db *DB) AuditProgress(ctx context.Context, inspectionID int64) ([]int64, []*jtai.AuditPart, error) {
	p, err := cached(ctx, db, cacheKey{kind: "progress", a: inspectionID}, func() (progress, error) {
		rows, err := db.query(ctx, `SELECT `+progressColumns+`
			FROM selections s
			LEFT JOIN selected_children sc ON sc.inspection_id = s.inspection_id AND sc.removed_at IS NULL AND sc.kind = ?
			LEFT JOIN audit_parts p ON p.inspection_id = s.inspection_id AND p.child_id = sc.child_id
			WHERE s.inspection_id = ? ORDER BY sc.id, p.agency_id = 0, p.agency_id, p.part_id`, jtai.CaseTracking, inspectionID)
		tracked, parts, found, err := scanProgress(inspectionID, rows, err)
		if err == nil && !found {
			err = jtai.Errorf(jtai.ENOTFOUND, "Children have not been selected yet")
		}
		return progress{tracked, parts}, err
	}, progress.clone)
	return p.tracked, p.parts, err
}

// progress is what AuditProgress and ChildAuditProgress read, as cached.
type progress struct {
	tracked []int64
	parts   []*jtai.AuditPart // without answers
}

func (p progress) clone() progress {
	return progress{slices.Clone(p.tracked), clonePointers(p.parts)}
}

// ChildAuditProgress is AuditProgress for one child, for the pages of
// that child's audit: whether it is selected now for case tracking, and
// its parts without answers.
func (db *DB) ChildAuditProgress(ctx context.Context, inspectionID, childID int64) (bool, []*jtai.AuditPart, error) {
	p, err := cached(ctx, db, cacheKey{kind: "child-progress", a: inspectionID, b: childID}, func() (progress, error) {
		rows, err := db.query(ctx, `SELECT `+progressColumns+`
			FROM selected_children sc
			LEFT JOIN audit_parts p ON p.inspection_id = sc.inspection_id AND p.child_id = sc.child_id
			WHERE sc.inspection_id = ? AND sc.child_id = ? AND sc.kind = ? AND sc.removed_at IS NULL
			ORDER BY p.agency_id = 0, p.agency_id, p.part_id`, inspectionID, childID, jtai.CaseTracking)
		tracked, parts, _, err := scanProgress(inspectionID, rows, err)
		return progress{tracked, parts}, err
	}, progress.clone)
	return len(p.tracked) > 0, p.parts, err
}

// scanProgress reads rows of progressColumns: the tracked children in the
// order met, their parts, and whether there was any row at all (a
// selection with no child tracked has one, all NULL).
func scanProgress(inspectionID int64, rows *sql.Rows, err error) ([]int64, []*jtai.AuditPart, bool, error) {
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	found := false
	tracked := []int64{}
	var parts []*jtai.AuditPart
	for rows.Next() {
		found = true
		var child sql.NullInt64
		p, err := scanAuditPart(inspectionID, scanAfter{rows, []any{&child}})
		if err != nil {
			return nil, nil, false, err
		}
		if !child.Valid {
			continue // selected, but no child for case tracking
		}
		if len(tracked) == 0 || tracked[len(tracked)-1] != child.Int64 {
			tracked = append(tracked, child.Int64)
		}
		if p.PartID != "" {
			parts = append(parts, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, err
	}
	return tracked, parts, found, nil
}

// auditParts returns the parts named by keys with their answers
// opened, in the order of keys, in one query; only the named parts are
// opened. ENOTFOUND if any part does not exist or its child is no longer
// selected.
func (db *DB) auditParts(ctx context.Context, inspectionID int64, keys []jtai.AuditPartKey) ([]*jtai.AuditPart, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	var children []int64
	for _, key := range keys {
		if !slices.Contains(children, key.ChildID) {
			children = append(children, key.ChildID)
		}
	}
	type sealedPart struct {
		*jtai.AuditPart
		sealed []byte
	}
	rows, err := db.query(ctx, `SELECT `+auditPartColumns+`, p.answers FROM audit_parts p
		WHERE p.inspection_id = ? AND p.child_id IN (`+placeholders(len(children))+`) AND `+selectedNow,
		append([]any{inspectionID}, int64Args(children)...)...)
	found, err := collect(rows, err, func(s scanner) (sealedPart, error) {
		var sp sealedPart
		var err error
		sp.AuditPart, err = scanAuditPart(inspectionID, s, &sp.sealed)
		return sp, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*jtai.AuditPart, len(keys))
	for i, key := range keys {
		j := slices.IndexFunc(found, func(sp sealedPart) bool { return sp.AuditPartKey == key })
		if j < 0 {
			return nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		p := found[j]
		p.Answers = map[string]string{}
		if p.sealed != nil {
			b, err := k.Open(p.sealed, auditPartAAD(inspectionID, key))
			if err == nil {
				err = json.Unmarshal(b, &p.Answers)
			}
			if err != nil {
				return nil, fmt.Errorf("open audit part %s: %w", auditResource(inspectionID, key), err)
			}
		}
		out[i] = p.AuditPart
	}
	return out, nil
}

// SaveAuditPart stores a part's answers as a draft, or submits them.
func (db *DB) SaveAuditPart(ctx context.Context, inspectionID int64, key jtai.AuditPartKey, answers map[string]string, submit bool, by *jtai.AccessEntry) (*jtai.AuditPart, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(answers)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	actor := byName(by)
	resource := auditResource(inspectionID, key)
	err = db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		where := ` WHERE inspection_id = ? AND child_id = ? AND part_id = ? AND agency_id = ?`
		args := []any{inspectionID, key.ChildID, key.PartID, key.AgencyID}
		// The no-op update locks the row on PostgreSQL until commit, so
		// two submissions cannot both see a draft.
		if err := tx.update(ctx, "Audit part", `UPDATE audit_parts SET status = status`+where, args...); err != nil {
			return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		var status jtai.AuditPartStatus
		var submittedAt int64
		if err := tx.queryRow(ctx, `SELECT status, submitted_at FROM audit_parts p`+where+` AND `+selectedNow, args...).Scan(&status, &submittedAt); err != nil {
			return notFound(err, "Page not found")
		}
		if status == jtai.AuditSubmitted {
			return jtai.Errorf(jtai.ECONFLICT, "This part was submitted on %s, so it can no longer be changed", time.UnixMicro(submittedAt).UTC().Format("2 January 2006 at 3:04pm"))
		}
		if submit && key.AgencyID == 0 {
			var open int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_parts WHERE inspection_id = ? AND child_id = ? AND agency_id <> 0 AND status <> ?`,
				inspectionID, key.ChildID, jtai.AuditSubmitted).Scan(&open); err != nil {
				return err
			}
			if open > 0 {
				return jtai.Errorf(jtai.ECONFLICT, "%d %s still to be submitted by the agencies, so the child's audit cannot go to the inspectors yet", open, plural(open, "part is", "parts are"))
			}
		}
		status, action, sub, subAt := jtai.AuditDraft, jtai.ActAuditSave, "", int64(0)
		if submit {
			status, action, sub, subAt = jtai.AuditSubmitted, jtai.ActAuditSubmit, actor, now.UnixMicro()
		}
		if _, err := tx.exec(ctx, `UPDATE audit_parts SET status = ?, answers = ?, updated_by = ?, updated_at = ?, submitted_by = ?, submitted_at = ?`+where,
			append([]any{status, k.Seal(b, auditPartAAD(inspectionID, key)), actor, now.UnixMicro(), sub, subAt}, args...)...); err != nil {
			return err
		}
		if err := db.appendTx(ctx, tx, logEntry(by, action, resource, "ok")); err != nil {
			return err
		}
		if submit {
			return db.returnAuditsWhenDone(ctx, tx, k, inspectionID, by)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The part as it stands, without its answers: those are opened only
	// through the guarded service.
	p, err := scanAuditPart(inspectionID, db.queryRow(ctx, `SELECT `+auditPartColumns+` FROM audit_parts p WHERE p.inspection_id = ? AND p.child_id = ? AND p.part_id = ? AND p.agency_id = ?`,
		inspectionID, key.ChildID, key.PartID, key.AgencyID))
	return p, notFound(err, "Page not found")
}

// returnAuditsWhenDone moves the inspection to audits-returned once every
// part of every selected child is submitted, if it is at children-selected.
func (db *DB) returnAuditsWhenDone(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64, by *jtai.AccessEntry) error {
	var open, all int
	if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> ? THEN 1 ELSE 0 END), 0) FROM audit_parts p WHERE p.inspection_id = ? AND `+selectedNow,
		jtai.AuditSubmitted, inspectionID).Scan(&all, &open); err != nil {
		return err
	}
	var status jtai.Status
	if err := tx.queryRow(ctx, `SELECT status FROM inspections WHERE id = ?`, inspectionID).Scan(&status); err != nil {
		return err
	}
	if all == 0 || open > 0 || status != jtai.StatusChildrenSelected {
		return nil
	}
	_, err := db.transitionTx(ctx, tx, k, inspectionID, jtai.Move{To: jtai.StatusAuditsReturned, Via: jtai.ViaAudits}, by)
	return err
}

// AuditAgencies lists the agencies with a part in a selected child's audit.
func (db *DB) AuditAgencies(ctx context.Context, inspectionID, childID int64) ([]int64, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT p.agency_id FROM audit_parts p WHERE p.inspection_id = ? AND p.child_id = ? AND p.agency_id <> 0 AND `+selectedNow+` ORDER BY p.agency_id`, inspectionID, childID)
	return collect(rows, err, func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	})
}
