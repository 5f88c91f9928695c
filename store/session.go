package store

import (
	"context"
	"database/sql"
	"errors"
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
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, second_factor, enrol, created_at, last_seen_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, s.CSRFToken, s.SecondFactor, s.Enrol, s.CreatedAt.UnixMicro(), s.LastSeenAt.UnixMicro(), s.ExpiresAt.UnixMicro(), s.Address)
		return db.translate(err)
	})
}

const sessionColumns = `s.token_hash, s.user_id, s.csrf_token, s.second_factor, s.enrol, s.created_at, s.last_seen_at, s.expires_at, s.address`

// sessionRow receives a row of sessionColumns.
type sessionRow struct {
	s                      jtai.Session
	created, seen, expires int64
}

func (r *sessionRow) dest() []any {
	return []any{&r.s.TokenHash, &r.s.UserID, &r.s.CSRFToken, &r.s.SecondFactor, &r.s.Enrol, &r.created, &r.seen, &r.expires, &r.s.Address}
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

// errRefused rolls back a reservation that a limit refused.
var errRefused = errors.New("throttle: limit reached")

// Reserve takes an attempt under every limit in one transaction, or none.
// Each key is one statement that counts the attempt only if its window
// has room (or has ended, starting a new one), with the key's row locked
// by the statement on PostgreSQL and the database held by the immediate
// transaction on SQLite: concurrent attempts queue on the row, and each
// sees the count the one before it left. The keys are taken in order, so
// two reservations sharing keys never wait on each other in a cycle.
func (db *DB) Reserve(ctx context.Context, now time.Time, limits ...jtai.Limit) (*jtai.Limit, error) {
	order := make([]int, len(limits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(limits[a].Key, limits[b].Key) })
	var refused *jtai.Limit
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		at := now.UnixMicro()
		for _, i := range order {
			l := &limits[i]
			var n int
			err := tx.queryRow(ctx, `INSERT INTO throttle (key, attempts, window_end) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET
					attempts = CASE WHEN throttle.window_end <= ? THEN 1 ELSE throttle.attempts + 1 END,
					window_end = CASE WHEN throttle.window_end <= ? THEN excluded.window_end ELSE throttle.window_end END
				WHERE throttle.window_end <= ? OR throttle.attempts < ?
				RETURNING attempts`, l.Key, now.Add(l.Window).UnixMicro(), at, at, at, l.Max).Scan(&n)
			if errors.Is(err, sql.ErrNoRows) {
				refused = l
				return errRefused
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		return refused, nil
	}
	return nil, err
}

// Release gives back an attempt reserved under key.
func (db *DB) Release(ctx context.Context, key string) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE throttle SET attempts = attempts - 1 WHERE key = ? AND attempts > 0`, key)
		return err
	})
}

// Clear forgets the attempts under key.
func (db *DB) Clear(ctx context.Context, key string) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM throttle WHERE key = ?`, key)
		return err
	})
}
