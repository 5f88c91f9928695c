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
	// Enrol lets the session set up the account's second factor: only a
	// session started by a single-use link (set-up or invitation) has it.
	Enrol      bool
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Address    string
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

// Limit allows at most Max attempts under Key in each Window, a window
// starting at the first attempt after the last one ended.
type Limit struct {
	Key    string
	Max    int
	Window time.Duration
}

// ThrottleService limits attempts (sign-ins, second-factor codes, links)
// per key: an account at an address, an address. An attempt is reserved
// before it is made, in one statement per key, so that concurrent attempts
// on any number of servers cannot all pass one check; a reserved attempt
// counts until it is released or its window ends.
type ThrottleService interface {
	// Reserve takes one attempt under every limit, all or none. It returns
	// the limit that had none left in its window, having taken nothing, or
	// nil when every one was taken.
	Reserve(ctx context.Context, now time.Time, limits ...Limit) (*Limit, error)
	// Release gives back an attempt reserved under key that was not a
	// failure.
	Release(ctx context.Context, key string) error
	// Clear forgets every attempt under key.
	Clear(ctx context.Context, key string) error
}
