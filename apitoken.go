package jtai

import (
	"context"
	"time"
)

// ActIssueToken and ActRevokeToken are the access log's actions on API tokens.
const (
	ActIssueToken  = "issue-token"
	ActRevokeToken = "revoke-token"
)

// APIToken is a personal access token for the JSON API. The token itself is
// shown once when issued; only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time // zero: still valid
}

// Revoked reports whether the token has been revoked.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// APITokenService stores API tokens.
type APITokenService interface {
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// FindAPIToken returns the token with a hash, revoked or not, or ENOTFOUND.
	FindAPIToken(ctx context.Context, tokenHash string) (*APIToken, error)
	ListAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// RevokeAPIToken revokes a token of a user; ENOTFOUND when there is none.
	RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
}
