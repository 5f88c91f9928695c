package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/crypt"
)

var _ jtai.ScreeningService = (*DB)(nil)

// SetScreener gives the store what screens an inspection's children, so
// that imports and decisions keep the result. Without one, a change to
// the lists drops the kept result, and pages screen for themselves.
func (db *DB) SetScreener(s jtai.Screener) { db.screener = s }

func screeningAAD(inspectionID int64) string {
	return fmt.Sprintf("inspection/%d/screening", inspectionID)
}

func decisionAAD(inspectionID, childID int64) string {
	return fmt.Sprintf("inspection/%d/screening/child/%d/decision", inspectionID, childID)
}

// rescreen screens the inspection again in tx, with its decisions, and
// keeps the result sealed: the import that changed the lists, or the
// decision, and the result land together.
func (db *DB) rescreen(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64) error {
	if db.screener == nil {
		_, err := tx.exec(ctx, `DELETE FROM screenings WHERE inspection_id = ?`, inspectionID)
		return err
	}
	in, err := scanInspection(tx.queryRow(ctx, `SELECT `+inspectionColumns+` FROM inspections i JOIN areas a ON a.id = i.area_id WHERE i.id = ?`, inspectionID))
	if err != nil {
		return notFound(err, "Inspection not found")
	}
	basis, err := db.screener.Basis(in)
	if err != nil {
		return err
	}
	kids, err := txChildren(ctx, tx, k, inspectionID)
	if err != nil {
		return err
	}
	decisions, err := txDecisions(ctx, tx, k, inspectionID)
	if err != nil {
		return err
	}
	result, err := db.screener.Screen(in, kids, decisions)
	if err != nil {
		return fmt.Errorf("screen inspection %d: %w", inspectionID, err)
	}
	sealed := k.Seal(result, []byte(screeningAAD(inspectionID)))
	_, err = tx.exec(ctx, `INSERT INTO screenings (inspection_id, basis, sealed, computed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (inspection_id) DO UPDATE SET basis = excluded.basis, sealed = excluded.sealed, computed_at = excluded.computed_at`,
		inspectionID, basis, sealed, db.clock.Now().UnixMicro())
	return err
}

// txChildren opens every child on the inspection's lists, in tx.
func txChildren(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64) ([]*jtai.Child, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q(`SELECT id, la_child_idx, sealed FROM children WHERE inspection_id = ? AND off_lists_at IS NULL ORDER BY id`), inspectionID)
	return collect(rows, err, func(sc scanner) (*jtai.Child, error) {
		var id int64
		var idx string
		var sealed []byte
		if err := sc.Scan(&id, &idx, &sealed); err != nil {
			return nil, err
		}
		return openChild(k, id, inspectionID, idx, sealed)
	})
}

// txDecisions opens the inspection's decisions, by child.
func txDecisions(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64) (map[int64]*jtai.ScreeningDecision, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q(`SELECT child_id, sealed FROM screening_decisions WHERE inspection_id = ?`), inspectionID)
	list, err := collect(rows, err, func(sc scanner) (*jtai.ScreeningDecision, error) {
		var id int64
		var sealed []byte
		if err := sc.Scan(&id, &sealed); err != nil {
			return nil, err
		}
		b, err := k.Open(sealed, []byte(decisionAAD(inspectionID, id)))
		if err != nil {
			return nil, fmt.Errorf("open the decision on child %d: %w", id, err)
		}
		d := &jtai.ScreeningDecision{}
		if err := json.Unmarshal(b, d); err != nil {
			return nil, err
		}
		d.ChildID = id
		return d, nil
	})
	out := make(map[int64]*jtai.ScreeningDecision, len(list))
	for _, d := range list {
		out[d.ChildID] = d
	}
	return out, err
}

// DecideScreening records inspectors' decisions on children in needs
// review, each with its reason (sealed), all or none, logs each, and keeps
// the inspection's screening again with them, in one transaction. A
// decision replaces an earlier one on the same child.
func (db *DB) DecideScreening(ctx context.Context, inspectionID int64, decisions []jtai.ScreeningDecision, by *jtai.AccessEntry) error {
	if len(decisions) == 0 {
		return jtai.Invalid(jtai.FieldError{Field: "child", Message: "Choose a child to decide on"})
	}
	for i := range decisions {
		decisions[i].Reason = strings.TrimSpace(decisions[i].Reason)
		if err := needReason(decisions[i].Reason); err != nil {
			return jtai.Invalid(jtai.FieldError{Field: "reason", Message: "Enter why the child is in or out of scope"})
		}
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	actor := byName(by)
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		for _, d := range decisions {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM children WHERE id = ? AND inspection_id = ? AND off_lists_at IS NULL`, d.ChildID, inspectionID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return jtai.Errorf(jtai.ENOTFOUND, "Child not found")
			}
			d.By, d.At = actor, now
			b, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO screening_decisions (inspection_id, child_id, sealed, decided_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (inspection_id, child_id) DO UPDATE SET sealed = excluded.sealed, decided_at = excluded.decided_at`,
				inspectionID, d.ChildID, k.Seal(b, []byte(decisionAAD(inspectionID, d.ChildID))), now.UnixMicro()); err != nil {
				return err
			}
			outcome := "ok: out of scope"
			if d.In {
				outcome = "ok: in scope"
			}
			if err := db.appendTx(ctx, tx, logEntry(by, jtai.ActDecide, fmt.Sprintf("inspection/%d/screening/child/%d", inspectionID, d.ChildID), outcome)); err != nil {
				return err
			}
		}
		return db.rescreen(ctx, tx, k, inspectionID)
	})
}

// Rescreen screens the inspection again and keeps the result, for when
// what it is screened under changed (its theme's rules), and logs it.
func (db *DB) Rescreen(ctx context.Context, inspectionID int64, by *jtai.AccessEntry) error {
	if db.screener == nil {
		return errors.New("rescreen: the store has no screener")
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		if err := db.rescreen(ctx, tx, k, inspectionID); err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActUpdate, fmt.Sprintf("inspection/%d/screening", inspectionID), "ok: screened again"))
	})
}

// OpenScreening returns the grant's inspection's kept screening, opened;
// ENOTFOUND when none is kept (screened before screening was kept, or
// with no screener).
func (db *DB) OpenScreening(ctx context.Context, g authz.Grant) (*jtai.StoredScreening, error) {
	return opened(ctx, db, g, func(in int64) (*jtai.StoredScreening, error) { return db.screening(ctx, in) })
}

type sealedScreening struct {
	basis  string
	at     int64
	sealed []byte
}

func (db *DB) screening(ctx context.Context, inspectionID int64) (*jtai.StoredScreening, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	// The sealed result is kept in the read cache; it is opened for each
	// read, so no plaintext outlives the request.
	key := cacheKey{kind: "screening", a: inspectionID}
	gen, known, err := db.generation(ctx)
	if err != nil {
		return nil, err
	}
	var row *sealedScreening
	if v, ok := db.cache.get(gen, key); known && ok {
		row = v.(*sealedScreening)
	} else {
		row = &sealedScreening{}
		err := db.queryRow(ctx, `SELECT basis, computed_at, sealed FROM screenings WHERE inspection_id = ?`, inspectionID).Scan(&row.basis, &row.at, &row.sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, jtai.Errorf(jtai.ENOTFOUND, "The lists have not been screened yet")
		}
		if err != nil {
			return nil, err
		}
		if known {
			db.cache.put(gen, key, row, len(row.sealed)+len(row.basis)+64)
		}
	}
	b, err := k.Open(row.sealed, []byte(screeningAAD(inspectionID)))
	if err != nil {
		return nil, fmt.Errorf("open the screening of inspection %d: %w", inspectionID, err)
	}
	return &jtai.StoredScreening{Basis: row.basis, At: time.UnixMicro(row.at).UTC(), Result: slices.Clip(b)}, nil
}
