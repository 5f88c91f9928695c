package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jtai"
	"jtai/crypt"
)

var _ jtai.LifecycleService = (*DB)(nil)

// logEntry is a fresh access-log entry for by's actor: appends fill in the
// entry they are given, so each append needs its own.
func logEntry(by *jtai.AccessEntry, action, resource, outcome string) *jtai.AccessEntry {
	e := &jtai.AccessEntry{Action: action, Resource: resource, Outcome: outcome}
	if by != nil {
		e.ActorID, e.Actor, e.Address = by.ActorID, by.Actor, by.Address
	}
	return e
}

// sealNote seals a written reason, which may name people; an empty one
// stays empty.
func sealNote(k *crypt.DataKey, note, aad string) []byte {
	if note == "" {
		return nil
	}
	return k.Seal([]byte(note), []byte(aad))
}

func openNote(k *crypt.DataKey, sealed []byte, aad string) (string, error) {
	if sealed == nil {
		return "", nil
	}
	b, err := k.Open(sealed, []byte(aad))
	if err != nil {
		return "", fmt.Errorf("open note %s: %w", aad, err)
	}
	return string(b), nil
}

func transitionAAD(inspectionID int64) string {
	return fmt.Sprintf("inspection/%d/transition", inspectionID)
}

// TransitionInspection makes a move of an inspection, if the workflow
// allows it from the current state and standing, keeping the move and
// logging it in the same transaction. A refused move is logged as refused,
// with what was asked.
func (db *DB) TransitionInspection(ctx context.Context, inspectionID int64, m jtai.Move, by *jtai.AccessEntry) (*jtai.Transition, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	var t *jtai.Transition
	err = db.WithTx(ctx, func(tx *Tx) error {
		t, err = db.transitionTx(ctx, tx, k, inspectionID, m, by)
		return err
	})
	if jtai.IsKind(err, jtai.ECONFLICT) || jtai.IsKind(err, jtai.EINVALID) {
		msg := jtai.ErrorMessage(err)
		if fe := jtai.ErrorFields(err); len(fe) > 0 {
			msg = fe[0].Message
		}
		e := logEntry(by, jtai.ActTransition, fmt.Sprintf("inspection/%d/status", inspectionID), fmt.Sprintf("refused: to %s: %s", m.To, msg))
		if lerr := db.Append(ctx, e); lerr != nil {
			return nil, lerr
		}
	}
	return t, err
}

// lockStatus locks the inspection's row until the transaction ends (a no-op
// update does it on PostgreSQL; SQLite has one writer) and returns its state.
func lockStatus(ctx context.Context, tx *Tx, inspectionID int64) (jtai.Status, error) {
	if err := tx.update(ctx, "Inspection", `UPDATE inspections SET status = status WHERE id = ?`, inspectionID); err != nil {
		return "", err
	}
	var s jtai.Status
	err := tx.queryRow(ctx, `SELECT status FROM inspections WHERE id = ?`, inspectionID).Scan(&s)
	return s, err
}

// withWritable runs fn in a transaction on an inspection that may still
// be changed, its state locked until the transaction ends.
func (db *DB) withWritable(ctx context.Context, inspectionID int64, fn func(tx *Tx) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// stamp is when a change is made and by whom, as pages show it.
func (db *DB) stamp(by *jtai.AccessEntry) (time.Time, string) {
	at := db.clock.Now().Truncate(time.Microsecond)
	if by == nil {
		return at, ""
	}
	return at, shownAs(by)
}

// writable locks the inspection for the transaction and refuses a change to
// one that has ended. Every write to an inspection's data goes through it,
// so a closed or withdrawn inspection is read-only on every path.
func writable(ctx context.Context, tx *Tx, inspectionID int64) error {
	s, err := lockStatus(ctx, tx, inspectionID)
	if err != nil {
		return err
	}
	return jtai.CheckWritable(s)
}

// standing is what the workflow's preconditions need to know of an
// inspection, read in the move's transaction.
func (db *DB) standing(ctx context.Context, tx *Tx, inspectionID int64) (jtai.Standing, error) {
	var st jtai.Standing
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM selections WHERE inspection_id = ?`, inspectionID).Scan(&n); err != nil {
		return st, err
	}
	st.Selected = n > 0
	if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) FROM audit_parts p WHERE p.inspection_id = ? AND `+selectedNow,
		jtai.AuditSubmitted, inspectionID).Scan(&st.Parts, &st.PartsIn); err != nil {
		return st, err
	}
	now := db.clock.Now()
	st.Today = jtai.NewDate(now.Year(), now.Month(), now.Day())
	return st, nil
}

func (db *DB) transitionTx(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64, m jtai.Move, by *jtai.AccessEntry) (*jtai.Transition, error) {
	from, err := lockStatus(ctx, tx, inspectionID)
	if err != nil {
		return nil, err
	}
	st, err := db.standing(ctx, tx, inspectionID)
	if err != nil {
		return nil, err
	}
	m.Reason = strings.TrimSpace(m.Reason)
	if err := jtai.CheckMove(from, m, st); err != nil {
		return nil, err
	}
	to, reason := m.To, m.Reason
	t := &jtai.Transition{InspectionID: inspectionID, From: from, To: to, Reason: reason, At: db.clock.Now().Truncate(time.Microsecond)}
	if by != nil {
		t.ActorID, t.Actor = by.ActorID, shownAs(by)
	}
	if _, err := tx.exec(ctx, `UPDATE inspections SET status = ? WHERE id = ?`, to, inspectionID); err != nil {
		return nil, err
	}
	id, err := tx.insert(ctx, `INSERT INTO inspection_transitions (inspection_id, from_status, to_status, reason, actor_id, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		inspectionID, from, to, sealNote(k, reason, transitionAAD(inspectionID)), t.ActorID, t.Actor, t.At.UnixMicro())
	if err != nil {
		return nil, err
	}
	t.ID = id
	e := logEntry(by, jtai.ActTransition, fmt.Sprintf("inspection/%d/status", inspectionID), fmt.Sprintf("ok: %s -> %s", from, to))
	e.Time = t.At
	return t, db.appendTx(ctx, tx, e)
}

// ListTransitions returns an inspection's lifecycle moves, oldest first.
func (db *DB) ListTransitions(ctx context.Context, inspectionID int64) ([]*jtai.Transition, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, from_status, to_status, reason, actor_id, actor, at FROM inspection_transitions WHERE inspection_id = ? ORDER BY id`, inspectionID)
	return collect(rows, err, func(s scanner) (*jtai.Transition, error) {
		t := &jtai.Transition{InspectionID: inspectionID}
		var sealed []byte
		var at int64
		if err := s.Scan(&t.ID, &t.From, &t.To, &sealed, &t.ActorID, &t.Actor, &at); err != nil {
			return nil, err
		}
		t.At = time.UnixMicro(at).UTC()
		t.Reason, err = openNote(k, sealed, transitionAAD(inspectionID))
		return t, err
	})
}
