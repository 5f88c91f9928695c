package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jtai"
	"jtai/auditlog"
)

// Append adds e to the access log and returns once it is committed, so
// that a read is never shown unless its entry is safe. Entries appended at
// the same time are written together in one transaction (group commit):
// the chain's head is one row, so one transaction per entry would make
// every request wait for every other's commit.
func (db *DB) Append(ctx context.Context, e *jtai.AccessEntry) error {
	db.appenderOnce.Do(func() {
		db.appends = make(chan appendRequest, maxAppendBatch)
		go db.appender()
	})
	req := appendRequest{e, make(chan error, 1)}
	select {
	case db.appends <- req:
	case <-db.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		// The entry may still be written; the caller shows nothing.
		return ctx.Err()
	}
}

// maxAppendBatch bounds one group commit of the access log.
const maxAppendBatch = 256

var errClosed = errors.New("the database is closed")

type appendRequest struct {
	e    *jtai.AccessEntry
	done chan error
}

// appender writes waiting entries in batches until the database closes.
func (db *DB) appender() {
	for {
		var batch []appendRequest
		select {
		case r := <-db.appends:
			batch = append(batch, r)
		case <-db.quit:
			return
		}
	drain:
		for len(batch) < maxAppendBatch {
			select {
			case r := <-db.appends:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		ctx := context.Background()
		err := db.WithTx(ctx, func(tx *Tx) error {
			for _, r := range batch {
				if err := db.appendTx(ctx, tx, r.e); err != nil {
					return err
				}
			}
			return nil
		})
		for _, r := range batch {
			r.done <- err
		}
	}
}

// appendTx adds e to the access log inside tx, so that a change and its log
// entry land together or not at all. The head row serialises appends: on
// PostgreSQL the UPDATE locks it until commit.
func (db *DB) appendTx(ctx context.Context, tx *Tx, e *jtai.AccessEntry) error {
	key, err := db.auditKey(ctx, tx)
	if err != nil {
		return err
	}
	var seq int64
	var hash string
	if _, err := tx.exec(ctx, `UPDATE access_log_head SET seq = seq WHERE id = 1`); err != nil {
		return err
	}
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM access_log_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return err
	}
	if e.Time.IsZero() {
		e.Time = db.clock.Now()
	}
	e.Time = e.Time.Truncate(time.Microsecond)
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	if e.Actor == "" {
		e.Actor = "anonymous"
	}
	auditlog.Link(key, e, seq, hash)
	if _, err := tx.exec(ctx, `INSERT INTO access_log (seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time.UnixMicro(), e.ActorID, e.Actor, e.Action, e.Resource, e.Outcome, e.Address, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE access_log_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash)
	return err
}

// Verify walks the access log in order and returns the number of entries
// checked, or an *auditlog.BrokenError naming the first bad one.
func (db *DB) Verify(ctx context.Context) (int64, error) {
	key, err := db.auditKey(ctx, db)
	if err != nil {
		return 0, err
	}
	// One snapshot for the head and the entries, so that appends made by a
	// running server meanwhile are not taken for tampering.
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == postgresDialect {
		opts.Isolation = sql.LevelRepeatableRead
	} else {
		opts = nil
	}
	rtx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return 0, err
	}
	defer rtx.Rollback()
	var headSeq int64
	var headHash string
	if err := rtx.QueryRowContext(ctx, db.q(`SELECT seq, hash FROM access_log_head WHERE id = 1`)).Scan(&headSeq, &headHash); err != nil {
		return 0, err
	}
	rows, err := rtx.QueryContext(ctx, db.q(`SELECT seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash FROM access_log ORDER BY seq`))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := auditlog.Verifier{Key: key}
	for rows.Next() {
		var e jtai.AccessEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Actor, &e.Action, &e.Resource, &e.Outcome, &e.Address, &e.PrevHash, &e.Hash); err != nil {
			return v.Checked(), err
		}
		e.Time = time.UnixMicro(at).UTC()
		if err := v.Check(&e); err != nil {
			return v.Checked(), err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Checked(), err
	}
	return v.Checked(), v.Finish(headSeq, headHash)
}

// AccessLogTail returns the last n entries, newest first; for the console.
func (db *DB) AccessLogTail(ctx context.Context, n int) ([]*jtai.AccessEntry, error) {
	rows, err := db.query(ctx, `SELECT seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash FROM access_log ORDER BY seq DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jtai.AccessEntry
	for rows.Next() {
		var e jtai.AccessEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Actor, &e.Action, &e.Resource, &e.Outcome, &e.Address, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.Time = time.UnixMicro(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// auditKey is the key of the access log's chain: a subkey of the audit data
// key, so that only a holder of the master key can extend or rewrite the
// chain, and key rotation leaves it unchanged.
func (db *DB) auditKey(ctx context.Context, q rowQuerier) ([]byte, error) {
	k, err := db.dataKeyVia(ctx, q, AuditScope)
	if err != nil {
		return nil, fmt.Errorf("access log key: %w", err)
	}
	return k.Subkey("jtai access log chain v1"), nil
}
