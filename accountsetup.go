package jtai

import (
	"context"
	"time"
)

// Actions of account set-up links in the access log.
const (
	ActSetupSend   = "account-setup-send"   // a set-up link made and put in the outbox
	ActSetupUse    = "account-setup-use"    // a set-up link used to set a password
	ActSetupRefuse = "account-setup-refuse" // an unknown, used or expired link tried
	ActReset       = "account-reset"        // an administrator reset an account's password or second factor
)

// Reset is what an administrator resets of an account.
type Reset string

// The resets.
const (
	ResetPassword     Reset = "password"      // the password stops working
	ResetSecondFactor Reset = "second-factor" // the second factor is removed, to be set up again
)

// Valid reports whether r is a known reset.
func (r Reset) Valid() bool { return r == ResetPassword || r == ResetSecondFactor }

// AccountSetupLifetime is how long a set-up link works.
const AccountSetupLifetime = 3 * 24 * time.Hour

// AccountSetup is a single-use link by which the holder of an account sets
// its password and, when it has none, enrols its second factor. No one
// else ever sees the password: an administrator makes the account, its
// holder sets it up. Only the hash of the link's token is stored.
type AccountSetup struct {
	ID        int64
	UserID    int64
	TokenHash string
	CreatedBy int64 // the administrator who made the link; 0 for the console
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Usable reports whether the link can still be used at now.
func (a *AccountSetup) Usable(now time.Time) bool {
	return a.UsedAt == nil && now.Before(a.ExpiresAt)
}

// NewSetupLink makes a fresh set-up link for an account: the hash of its
// token to store and the message to the account's holder that carries it.
type NewSetupLink func(u *User, expires time.Time) (tokenHash string, m *Message)

// AccountSetupService stores set-up links.
type AccountSetupService interface {
	// CreateUserWithSetup adds an account with no usable password and a
	// set-up link for it, the link's message in the outbox, and the
	// access-log entries, all in one transaction.
	CreateUserWithSetup(ctx context.Context, u *User, link NewSetupLink, by *AccessEntry) (*AccountSetup, error)
	// FindAccountSetup returns the link of a token's hash, used or not.
	FindAccountSetup(ctx context.Context, tokenHash string) (*AccountSetup, error)
	// UseAccountSetup sets the account's password through its link and
	// uses the link up, ending the account's sessions, in one
	// transaction; ECONFLICT when the link was used or has expired, even
	// when two arrive at once.
	UseAccountSetup(ctx context.Context, tokenHash, passwordHash string, actor *AccessEntry) (*User, error)
	// ResetAccount makes the account's password, or its second factor,
	// stop working, ends its sessions and sends its holder a new set-up
	// link (earlier links stop working), logged, in one transaction.
	ResetAccount(ctx context.Context, userID int64, what Reset, link NewSetupLink, by *AccessEntry) (*AccountSetup, error)
}
