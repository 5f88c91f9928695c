package jtai

import (
	"context"
	"slices"
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
	ExpiresAt  time.Time // it stops working then; zero (issued before expiries): stopped
	Scopes     []Scope   // the actions it may take
}

// Revoked reports whether the token has been revoked.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// Usable reports whether the token works at now: not revoked, not expired.
func (t *APIToken) Usable(now time.Time) bool { return !t.Revoked() && now.Before(t.ExpiresAt) }

// Allows reports whether the token may take the actions of scope.
func (t *APIToken) Allows(scope Scope) bool { return slices.Contains(t.Scopes, scope) }

// Scope is a set of API actions a token may take.
type Scope string

// The scopes.
const (
	ScopeRead            Scope = "read"             // read inspections and their progress
	ScopeUploadLists     Scope = "upload-lists"     // upload children's lists
	ScopeUploadDocuments Scope = "upload-documents" // upload the partnership's documents
)

// Scopes lists every scope.
var Scopes = []Scope{ScopeRead, ScopeUploadLists, ScopeUploadDocuments}

// Label is the scope's name for people.
func (s Scope) Label() string {
	switch s {
	case ScopeRead:
		return "Read inspections and their progress"
	case ScopeUploadLists:
		return "Upload children's lists"
	case ScopeUploadDocuments:
		return "Upload documents"
	}
	return string(s)
}

// How long a token works: 90 days unless its owner chooses, at most a year.
const (
	TokenLifetime    = 90 * 24 * time.Hour
	TokenMaxLifetime = 365 * 24 * time.Hour
)

// Validate checks a token about to be issued at now: a name, at least one
// known scope and an expiry within a year.
func (t *APIToken) Validate(now time.Time) error {
	var fields []FieldError
	if t.Name == "" {
		fields = append(fields, FieldError{"name", "Enter a name for the token, like the system that will use it"})
	} else if fe := CheckText("name", "The name", t.Name, 100, false); fe != nil {
		fields = append(fields, *fe)
	}
	if len(t.Scopes) == 0 {
		fields = append(fields, FieldError{"scopes", "Select what the token may do"})
	}
	for _, s := range t.Scopes {
		if !slices.Contains(Scopes, s) {
			fields = append(fields, FieldError{"scopes", "Select what the token may do from the list"})
			break
		}
	}
	if !t.ExpiresAt.After(now) || t.ExpiresAt.Sub(now) > TokenMaxLifetime {
		fields = append(fields, FieldError{"expires", "Choose when the token stops working: at most a year from today"})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

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
