package store

import (
	"context"
	"fmt"
	"time"

	"jtai"
	"jtai/auditlog"
)

// AppendRepeated appends e, the first of its kind under key, or counts it
// when an entry was appended under key in the window. The repeats of a
// window that has ended are written first, as one entry. The count is in
// the database, so the entry is one however many servers see the repeats.
func (db *DB) AppendRepeated(ctx context.Context, key string, window time.Duration, e *jtai.AccessEntry) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		now := db.clock.Now()
		prepareEntry(e, now)
		ended, err := db.takeRepeats(ctx, tx, `key = ? AND window_end <= ?`, key, now.UnixMicro())
		if err != nil {
			return err
		}
		var repeats int
		err = tx.queryRow(ctx, `INSERT INTO access_log_repeats (key, window_end, first_at, last_at, repeats, actor_id, actor, action, resource, outcome, address)
			VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET repeats = access_log_repeats.repeats + 1, last_at = excluded.last_at
			RETURNING repeats`,
			key, e.Time.Add(window).UnixMicro(), e.Time.UnixMicro(), e.Time.UnixMicro(),
			e.ActorID, e.Actor, e.Action, e.Resource, e.Outcome, e.Address).Scan(&repeats)
		if err != nil {
			return err
		}
		if repeats == 0 {
			ended = append(ended, e)
		}
		return db.appendTx(ctx, tx, ended...)
	})
}

// SweepThrottle writes the repeats of every window that has ended to the
// access log, and forgets the attempts whose windows have ended, so that
// neither table grows with the keys an attacker makes up. Any server may
// sweep at any time: each window's repeats are taken, and written, once.
func (db *DB) SweepThrottle(ctx context.Context, now time.Time) error {
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		ended, err := db.takeRepeats(ctx, tx, db.expired("access_log_repeats"), now.UnixMicro())
		if err != nil {
			return err
		}
		return db.appendTx(ctx, tx, ended...)
	})
	if err != nil {
		return err
	}
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM throttle WHERE `+db.expired("throttle"), now.UnixMicro())
		return err
	})
}

// expired picks the rows of table whose windows have ended by a time. On
// PostgreSQL it passes over rows that a reservation or an append holds,
// for the next sweep: a sweep that waited on them could wait in a cycle
// with one that waits on a row the sweep holds.
func (db *DB) expired(table string) string {
	if db.dialect == postgresDialect {
		return `key IN (SELECT key FROM ` + table + ` WHERE window_end <= ? FOR UPDATE SKIP LOCKED)`
	}
	return `window_end <= ?`
}

// takeRepeats deletes the windows of access_log_repeats that where picks
// and returns, for each that counted repeats, the entry that says so: the
// first entry's fields, its outcome followed by how many more there were
// and from when to when.
func (db *DB) takeRepeats(ctx context.Context, tx *Tx, where string, args ...any) ([]*jtai.AccessEntry, error) {
	rows, err := tx.QueryContext(ctx, db.q(`DELETE FROM access_log_repeats WHERE `+where+`
		RETURNING first_at, last_at, repeats, actor_id, actor, action, resource, outcome, address`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jtai.AccessEntry
	for rows.Next() {
		var first, last int64
		var repeats int
		e := &jtai.AccessEntry{}
		if err := rows.Scan(&first, &last, &repeats, &e.ActorID, &e.Actor, &e.Action, &e.Resource, &e.Outcome, &e.Address); err != nil {
			return nil, err
		}
		if repeats == 0 {
			continue
		}
		// The count must survive the entry's cut to length (auditlog.Clean).
		e.Outcome = fmt.Sprintf("%s; %d more %s from %s to %s", auditlog.Escape(e.Outcome, 400), repeats, times(repeats),
			time.UnixMicro(first).UTC().Format(time.RFC3339), time.UnixMicro(last).UTC().Format(time.RFC3339))
		out = append(out, e)
	}
	return out, rows.Err()
}

func times(n int) string {
	if n == 1 {
		return "time"
	}
	return "times"
}
