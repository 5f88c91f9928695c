package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"jtai"
)

var (
	_ jtai.SessionService  = (*DB)(nil)
	_ jtai.ThrottleService = (*DB)(nil)
)

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s *jtai.Session) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, second_factor, created_at, last_seen_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, s.CSRFToken, s.SecondFactor, s.CreatedAt.UnixMicro(), s.LastSeenAt.UnixMicro(), s.ExpiresAt.UnixMicro(), s.Address)
		return db.translate(err)
	})
}

const sessionColumns = `s.token_hash, s.user_id, s.csrf_token, s.second_factor, s.created_at, s.last_seen_at, s.expires_at, s.address`

// sessionRow receives a row of sessionColumns.
type sessionRow struct {
	s                      jtai.Session
	created, seen, expires int64
}

func (r *sessionRow) dest() []any {
	return []any{&r.s.TokenHash, &r.s.UserID, &r.s.CSRFToken, &r.s.SecondFactor, &r.created, &r.seen, &r.expires, &r.s.Address}
}

func (r *sessionRow) session() *jtai.Session {
	r.s.CreatedAt, r.s.LastSeenAt, r.s.ExpiresAt = time.UnixMicro(r.created).UTC(), time.UnixMicro(r.seen).UTC(), time.UnixMicro(r.expires).UTC()
	return &r.s
}

// FindSession returns the session with a token hash.
func (db *DB) FindSession(ctx context.Context, tokenHash string) (*jtai.Session, error) {
	var r sessionRow
	if err := db.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.token_hash = ?`, tokenHash).Scan(r.dest()...); err != nil {
		return nil, notFound(err, "Session not found")
	}
	return r.session(), nil
}

// userColumnsOfU are userColumns of a table named u.
var userColumnsOfU = "u." + strings.ReplaceAll(userColumns, ", ", ", u.")

// FindSessionUser returns the session with a token hash and its user in
// one query, which also reads the generation for the request's cached
// reads (cache.go).
func (db *DB) FindSessionUser(ctx context.Context, tokenHash string) (*jtai.Session, *jtai.User, error) {
	var r sessionRow
	var gen sql.NullInt64
	row := db.queryRow(ctx, `SELECT g.n, `+sessionColumns+`, `+userColumnsOfU+` FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN generation g ON g.id = 1 WHERE s.token_hash = ?`, tokenHash)
	u, secret, err := scanUserRow(scanAfter{row, append([]any{&gen}, r.dest()...)})
	if err != nil {
		return nil, nil, notFound(err, "Session not found")
	}
	// The request reads at the generation it read with its session, from
	// the system key on.
	if gen.Valid {
		requestFrom(ctx).see(gen.Int64)
	}
	if u, err = db.openUser(ctx, u, secret); err != nil {
		return nil, nil, err
	}
	return r.session(), u, nil
}

// scanAfter scans a row whose first columns go to first.
type scanAfter struct {
	scanner
	first []any
}

func (s scanAfter) Scan(dest ...any) error {
	return s.scanner.Scan(append(slices.Clip(s.first), dest...)...)
}

// TouchSession records activity and moves the idle expiry.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`, seen.UnixMicro(), expires.UnixMicro(), tokenHash)
		return err
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// DeleteExpiredSessions removes sessions that expired before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, now.UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// RecordFailure counts a failed sign-in for key, starting a new window
// when the old one has ended. One statement does it, so concurrent failures
// on any number of servers are all counted.
func (db *DB) RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration) (int, error) {
	var count int
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		cutoff := now.Add(-window).UnixMicro()
		return tx.queryRow(ctx, `INSERT INTO login_failures (key, count, window_start) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET
				count = CASE WHEN login_failures.window_start < ? THEN 1 ELSE login_failures.count + 1 END,
				window_start = CASE WHEN login_failures.window_start < ? THEN excluded.window_start ELSE login_failures.window_start END
			RETURNING count`, key, now.UnixMicro(), cutoff, cutoff).Scan(&count)
	})
	return count, err
}

// Failures returns the failed sign-ins for key in the current window.
func (db *DB) Failures(ctx context.Context, key string, now time.Time, window time.Duration) (int, error) {
	var count int
	var start int64
	err := db.queryRow(ctx, `SELECT count, window_start FROM login_failures WHERE key = ?`, key).Scan(&count, &start)
	if err != nil {
		if jtai.IsKind(db.translate(err), jtai.ENOTFOUND) {
			return 0, nil
		}
		return 0, err
	}
	if now.Sub(time.UnixMicro(start)) > window {
		return 0, nil
	}
	return count, nil
}

// ClearFailures forgets the failures of key after a good sign-in.
func (db *DB) ClearFailures(ctx context.Context, key string) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}
