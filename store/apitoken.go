package store

import (
	"context"
	"strings"
	"time"

	"jtai"
)

var _ jtai.APITokenService = (*DB)(nil)

func fromMicros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// CreateAPIToken stores a token's hash, setting its ID, once the token
// is valid (jtai.APIToken.Validate).
func (db *DB) CreateAPIToken(ctx context.Context, t *jtai.APIToken) error {
	if err := t.Validate(t.CreatedAt); err != nil {
		return err
	}
	scopes := make([]string, len(t.Scopes))
	for i, s := range t.Scopes {
		scopes[i] = string(s)
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_by, created_at, expires_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.UserID, t.Name, t.TokenHash, t.CreatedBy, t.CreatedAt.UnixMicro(), t.ExpiresAt.UnixMicro(), strings.Join(scopes, " "))
		if err != nil {
			return db.translate(err)
		}
		t.ID = id
		return nil
	})
}

const apiTokenColumns = `id, user_id, name, token_hash, created_by, created_at, last_used_at, revoked_at, expires_at, scopes`

func scanAPIToken(s scanner) (*jtai.APIToken, error) {
	var t jtai.APIToken
	var created, used, revoked, expires int64
	var scopes string
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &t.CreatedBy, &created, &used, &revoked, &expires, &scopes); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt, t.ExpiresAt = fromMicros(created), fromMicros(used), fromMicros(revoked), fromMicros(expires)
	for _, sc := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, jtai.Scope(sc))
	}
	return &t, nil
}

// FindAPIToken returns the token with a hash, revoked or not.
func (db *DB) FindAPIToken(ctx context.Context, tokenHash string) (*jtai.APIToken, error) {
	t, err := scanAPIToken(db.queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, notFound(err, "Token not found")
	}
	return t, nil
}

// ListAPITokens lists a user's tokens, newest first.
func (db *DB) ListAPITokens(ctx context.Context, userID int64) ([]*jtai.APIToken, error) {
	rows, err := db.query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	return collect(rows, err, scanAPIToken)
}

// RevokeAPIToken revokes one of a user's tokens. Revoking twice keeps the
// first time.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN ? ELSE revoked_at END WHERE id = ? AND user_id = ?`, at.UnixMicro(), id, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return jtai.Errorf(jtai.ENOTFOUND, "Token not found")
		}
		return nil
	})
}

// TouchAPIToken records that a token was used.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at.UnixMicro(), id)
		return err
	})
}
