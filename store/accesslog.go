package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"jtai"
	"jtai/auditlog"
)

// Append adds entries to the access log and returns once they are
// committed, so that a read is never shown unless its entry is safe. The
// entries of one call land together, in order. Entries appended at the
// same time by different callers are written in one transaction (group
// commit): the chain's head is one row, so one transaction per caller
// would make every request wait for every other's commit.
func (db *DB) Append(ctx context.Context, entries ...*jtai.AccessEntry) error {
	if len(entries) == 0 {
		return nil
	}
	db.appenderOnce.Do(func() {
		db.appends = make(chan appendRequest, maxAppendBatch)
		go db.appender()
	})
	req := appendRequest{entries, make(chan error, 1)}
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
		// The entries may still be written; the caller shows nothing.
		return ctx.Err()
	}
}

// maxAppendBatch bounds the callers served by one group commit of the
// access log.
const maxAppendBatch = 256

var errClosed = errors.New("the database is closed")

type appendRequest struct {
	entries []*jtai.AccessEntry
	done    chan error
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
		var entries []*jtai.AccessEntry
		for _, r := range batch {
			entries = append(entries, r.entries...)
		}
		err := db.appendBatch(context.Background(), entries)
		for _, r := range batch {
			r.done <- err
		}
	}
}

// appendRows bounds the rows of one INSERT into the access log, well under
// either database's limit on parameters.
const appendRows = 200

// logHead is where the appender last left the chain's head; only the
// appender's goroutine reads or writes it.
type logHead struct {
	seq   int64
	hash  string
	known bool

	atHead, moved int // batches written at the known head, and found moved (for tests)
}

// appendBatch writes a group commit's entries. On PostgreSQL, once the
// appender knows the head, one statement in a transaction of its own does
// it (appendAtHead), where a locked transaction takes four round trips;
// when another process or transaction has moved the head on since, the
// statement writes nothing and the batch goes the locked way, which
// learns the head again.
func (db *DB) appendBatch(ctx context.Context, entries []*jtai.AccessEntry) error {
	if db.dialect == postgresDialect && db.head.known && len(entries) <= appendRows {
		done, err := db.appendAtHead(ctx, entries)
		if err != nil || done {
			return err
		}
	}
	err := db.withUncachedTx(ctx, func(tx *Tx) error { return db.appendTx(ctx, tx, entries...) })
	if err == nil {
		last := entries[len(entries)-1]
		db.head.seq, db.head.hash, db.head.known = last.Seq, last.Hash, true
	}
	return err
}

// appendAtHead links entries after the head the appender knows and writes
// them, and the new head, in one statement: the rows are inserted only if
// the head is still where it was, which the statement checks with the
// head's row locked. It returns false, having written nothing, if the
// head had moved.
func (db *DB) appendAtHead(ctx context.Context, entries []*jtai.AccessEntry) (bool, error) {
	key, err := db.auditKey(ctx, db)
	if err != nil {
		return false, err
	}
	from := db.head
	seq, hash := from.seq, from.hash
	now := db.clock.Now()
	args := make([]any, 4, 4+10*len(entries))
	for _, e := range entries {
		prepareEntry(e, now)
		auditlog.Link(key, e, seq, hash)
		seq, hash = e.Seq, e.Hash
		args = append(args, e.Seq, e.Time.UnixMicro(), e.ActorID, e.Actor, e.Action, e.Resource, e.Outcome, e.Address, e.PrevHash, e.Hash)
	}
	args[0], args[1], args[2], args[3] = seq, hash, from.seq, from.hash
	res, err := db.w.ExecContext(ctx, db.q(`WITH moved AS (
			UPDATE access_log_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ? RETURNING 1)
		INSERT INTO access_log (seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash)
		SELECT * FROM (VALUES `+strings.Repeat(", (?::bigint, ?::bigint, ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text)", len(entries))[2:]+`) AS v
		WHERE EXISTS (SELECT 1 FROM moved)`), args...)
	if err != nil {
		return false, db.translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(entries)) {
		db.head.known = false
		db.head.moved++
		return false, err
	}
	db.head.seq, db.head.hash = seq, hash
	db.head.atHead++
	db.counts.accessLogEntries.Add(int64(len(entries)))
	return true, nil
}

// prepareEntry fills what the caller left out of an entry: the time, an
// outcome, an actor; and truncates and escapes its text, much of which
// may come from whoever made the request.
func prepareEntry(e *jtai.AccessEntry, now time.Time) {
	if e.Time.IsZero() {
		e.Time = now
	}
	e.Time = e.Time.Truncate(time.Microsecond)
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	if e.Actor == "" {
		e.Actor = "anonymous"
	}
	auditlog.Clean(e)
}

// appendTx adds entries to the access log inside tx, so that a change and
// its log entry land together or not at all. The head row serialises
// appends (locked FOR UPDATE on PostgreSQL until commit; SQLite's writer
// transactions are immediate, so they hold the database); however many
// the entries, the chain's key and head are read once, the rows inserted
// a couple of hundred at a time and the head written once.
func (db *DB) appendTx(ctx context.Context, tx *Tx, entries ...*jtai.AccessEntry) error {
	if len(entries) == 0 {
		return nil
	}
	tx.logged += len(entries)
	key, err := db.auditKey(ctx, tx)
	if err != nil {
		return err
	}
	var seq int64
	var hash string
	// Lock the head: on PostgreSQL a row lock, which writes no new version
	// of the row; SQLite's immediate transaction holds the database already.
	head := `SELECT seq, hash FROM access_log_head WHERE id = 1`
	if db.dialect == postgresDialect {
		head += ` FOR UPDATE`
	}
	if err := tx.queryRow(ctx, head).Scan(&seq, &hash); err != nil {
		return err
	}
	now := db.clock.Now()
	for start := 0; start < len(entries); start += appendRows {
		chunk := entries[start:min(start+appendRows, len(entries))]
		args := make([]any, 0, 10*len(chunk)+2)
		for _, e := range chunk {
			prepareEntry(e, now)
			auditlog.Link(key, e, seq, hash)
			seq, hash = e.Seq, e.Hash
			args = append(args, e.Seq, e.Time.UnixMicro(), e.ActorID, e.Actor, e.Action, e.Resource, e.Outcome, e.Address, e.PrevHash, e.Hash)
		}
		insert := `INSERT INTO access_log (seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash) VALUES ` +
			strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(chunk))[2:]
		if last := start+len(chunk) == len(entries); last && db.dialect == postgresDialect {
			// The last rows and the new head in one round trip: the head
			// row is locked, and every other append waits on it.
			_, err := tx.exec(ctx, `WITH added AS (`+insert+`) UPDATE access_log_head SET seq = ?, hash = ? WHERE id = 1`, append(args, seq, hash)...)
			return err
		}
		if _, err := tx.exec(ctx, insert, args...); err != nil {
			return err
		}
	}
	_, err = tx.exec(ctx, `UPDATE access_log_head SET seq = ?, hash = ? WHERE id = 1`, seq, hash)
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
	if err := rtx.QueryRowContext(ctx, db.q(`SELECT seq, hash FROM access_log_head WHERE id = 1`)).Scan(&headSeq, &headHash); errors.Is(err, sql.ErrNoRows) {
		var n int64
		if err := rtx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM access_log`)).Scan(&n); err != nil {
			return 0, err
		}
		return 0, &auditlog.BrokenError{Seq: 1, Reason: fmt.Sprintf("the log's head row is missing (the log holds %d entries): it was deleted outside jtai", n)}
	} else if err != nil {
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
// chain, and key rotation leaves it unchanged. It is read once and kept:
// it protects no personal data, and it cannot be erased.
func (db *DB) auditKey(ctx context.Context, q rowQuerier) ([]byte, error) {
	if k := db.chainKey.Load(); k != nil {
		return *k, nil
	}
	k, err := db.dataKeyVia(ctx, q, AuditScope)
	if err != nil {
		return nil, fmt.Errorf("access log key: %w", err)
	}
	sub := k.Subkey("jtai access log chain v1")
	db.chainKey.Store(&sub)
	return sub, nil
}
