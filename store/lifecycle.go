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

// TransitionInspection moves an inspection to another state, if the
// lifecycle allows it from the current one, keeping the move and logging it
// in the same transaction.
func (db *DB) TransitionInspection(ctx context.Context, inspectionID int64, to jtai.Status, reason string, by *jtai.AccessEntry) (*jtai.Transition, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	var t *jtai.Transition
	err = db.WithTx(ctx, func(tx *Tx) error {
		t, err = db.transitionTx(ctx, tx, k, inspectionID, to, reason, by)
		return err
	})
	return t, err
}

func (db *DB) transitionTx(ctx context.Context, tx *Tx, k *crypt.DataKey, inspectionID int64, to jtai.Status, reason string, by *jtai.AccessEntry) (*jtai.Transition, error) {
	// The no-op update locks the row on PostgreSQL until commit, so two
	// moves cannot both start from the same state.
	if err := tx.update(ctx, "Inspection", `UPDATE inspections SET status = status WHERE id = ?`, inspectionID); err != nil {
		return nil, err
	}
	var from jtai.Status
	if err := tx.queryRow(ctx, `SELECT status FROM inspections WHERE id = ?`, inspectionID).Scan(&from); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := jtai.CheckTransition(from, to, reason); err != nil {
		return nil, err
	}
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
