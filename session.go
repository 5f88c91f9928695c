package jtai

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only the hash of its token is stored, so
// a copy of the database cannot be used to take over a session.
type Session struct {
	TokenHash    string
	UserID       int64
	CSRFToken    string
	SecondFactor bool // the user has given a one-time code in this session
	CreatedAt    time.Time
	LastSeenAt   time.Time
	ExpiresAt    time.Time
	Address      string
}

// SessionService stores sessions in the database, so that any number of app
// servers can share them.
type SessionService interface {
	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	// FindSessionUser returns the session with a token hash and its user,
	// in one read: every signed-in request asks it.
	FindSessionUser(ctx context.Context, tokenHash string) (*Session, *User, error)
	TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
}

// ThrottleService counts failed sign-ins per key (an account or an address)
// within a window.
type ThrottleService interface {
	// RecordFailure adds a failure for key and returns the count in the
	// current window, starting a new window when the old one has ended.
	RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
	// Failures returns the count in the current window.
	Failures(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
	ClearFailures(ctx context.Context, key string) error
}
