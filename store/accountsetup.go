package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"jtai"
)

var _ jtai.AccountSetupService = (*DB)(nil)

const setupColumns = `id, user_id, token_hash, created_by, created_at, expires_at, used_at`

func scanSetup(s scanner) (*jtai.AccountSetup, error) {
	var a jtai.AccountSetup
	var created, expires int64
	var used sql.NullInt64
	if err := s.Scan(&a.ID, &a.UserID, &a.TokenHash, &a.CreatedBy, &created, &expires, &used); err != nil {
		return nil, err
	}
	a.CreatedAt, a.ExpiresAt, a.UsedAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC(), optTime(used)
	return &a, nil
}

func setupResource(userID int64) string { return fmt.Sprintf("user/%d/setup", userID) }

// CreateUserWithSetup adds an account that has no usable password, with a
// set-up link for its holder in the outbox.
func (db *DB) CreateUserWithSetup(ctx context.Context, u *jtai.User, link jtai.NewSetupLink, by *jtai.AccessEntry) (*jtai.AccountSetup, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	u.CreatedAt, u.PasswordHash = now, ""
	var a *jtai.AccountSetup
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := db.createUserTx(ctx, tx, u, by); err != nil {
			return err
		}
		var err error
		a, err = db.sendSetupTx(ctx, tx, u, link, by, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create user with set-up link: %w", err)
	}
	return a, nil
}

// sendSetupTx makes u a new set-up link, the links made before it void,
// puts its message in the outbox and logs it.
func (db *DB) sendSetupTx(ctx context.Context, tx *Tx, u *jtai.User, link jtai.NewSetupLink, by *jtai.AccessEntry, now time.Time) (*jtai.AccountSetup, error) {
	if link == nil {
		return nil, fmt.Errorf("user %d: no way to make a set-up link", u.ID)
	}
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE account_setups SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`, now.UnixMicro(), u.ID, now.UnixMicro()); err != nil {
		return nil, err
	}
	a := &jtai.AccountSetup{UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(jtai.AccountSetupLifetime)}
	if by != nil {
		a.CreatedBy = by.ActorID
	}
	hash, m := link(u, a.ExpiresAt)
	a.TokenHash = hash
	if a.ID, err = tx.insert(ctx, `INSERT INTO account_setups (user_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		a.UserID, a.TokenHash, a.CreatedBy, now.UnixMicro(), a.ExpiresAt.UnixMicro()); err != nil {
		return nil, err
	}
	if err := queueMessageTx(ctx, tx, k, m, now); err != nil {
		return nil, err
	}
	return a, db.appendTx(ctx, tx, logEntry(by, jtai.ActSetupSend, setupResource(u.ID), "ok"))
}

// FindAccountSetup returns the set-up link of a token's hash.
func (db *DB) FindAccountSetup(ctx context.Context, tokenHash string) (*jtai.AccountSetup, error) {
	a, err := scanSetup(db.queryRow(ctx, `SELECT `+setupColumns+` FROM account_setups WHERE token_hash = ?`, tokenHash))
	return a, notFound(err, "This set-up link is not valid")
}

// UseAccountSetup sets the password of the link's account and uses the
// link up. The conditional update makes a second use fail even when two
// arrive at once.
func (db *DB) UseAccountSetup(ctx context.Context, tokenHash, passwordHash string, actor *jtai.AccessEntry) (*jtai.User, error) {
	now := db.clock.Now().Truncate(time.Microsecond)
	var u *jtai.User
	err := db.WithTx(ctx, func(tx *Tx) error {
		a, err := scanSetup(tx.queryRow(ctx, `SELECT `+setupColumns+` FROM account_setups WHERE token_hash = ?`, tokenHash))
		if err != nil {
			return notFound(err, "This set-up link is not valid")
		}
		used := jtai.Errorf(jtai.ECONFLICT, "This set-up link has been used or has expired")
		if !a.Usable(now) {
			return used
		}
		if err := tx.update(ctx, "Set-up link", `UPDATE account_setups SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?`, now.UnixMicro(), a.ID, now.UnixMicro()); err != nil {
			return used
		}
		if err := tx.update(ctx, "User", `UPDATE users SET password_hash = ? WHERE id = ? AND NOT disabled`, passwordHash, a.UserID); err != nil {
			return jtai.Errorf(jtai.ECONFLICT, "This account has been disabled")
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, a.UserID); err != nil {
			return err
		}
		if u, err = db.scanUser(ctx, tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, a.UserID)); err != nil {
			return err
		}
		e := *actor
		e.ActorID, e.Actor = u.ID, u.Email
		e.Action, e.Resource, e.Outcome = jtai.ActSetupUse, setupResource(u.ID), "ok"
		return db.appendTx(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ResetAccount makes what of the account stop working, revokes its API
// tokens and sends its holder a new set-up link. A disabled account is not reset: enabling it
// comes first.
func (db *DB) ResetAccount(ctx context.Context, userID int64, what jtai.Reset, link jtai.NewSetupLink, by *jtai.AccessEntry) (*jtai.AccountSetup, error) {
	if !what.Valid() {
		return nil, jtai.Invalid(jtai.FieldError{Field: "reset", Message: "Choose to reset the password or the security codes"})
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	var a *jtai.AccountSetup
	err := db.WithTx(ctx, func(tx *Tx) error {
		u, err := db.scanUser(ctx, tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return notFound(err, "User %d not found", userID)
		}
		if u.Disabled {
			return jtai.Errorf(jtai.ECONFLICT, "This account is disabled: enable it before you reset it")
		}
		q := `UPDATE users SET password_hash = '' WHERE id = ?`
		if what == jtai.ResetSecondFactor {
			q = `UPDATE users SET totp_secret = NULL, totp_last_step = 0 WHERE id = ?`
		}
		if err := tx.update(ctx, "User", q, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		// A reset may follow a lost phone or a leaked password: the
		// account's API tokens stop working too.
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0`, now.UnixMicro(), userID); err != nil {
			return err
		}
		if err := db.appendTx(ctx, tx, logEntry(by, jtai.ActReset, fmt.Sprintf("user/%d (%s)", userID, what), "ok")); err != nil {
			return err
		}
		a, err = db.sendSetupTx(ctx, tx, u, link, by, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reset %s of user %d: %w", what, userID, err)
	}
	return a, nil
}
