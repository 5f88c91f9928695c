package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jtai"
)

var _ jtai.UserService = (*DB)(nil)

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateUser stores a new user. The password hash is the caller's to make.
func (db *DB) CreateUser(ctx context.Context, u *jtai.User, by *jtai.AccessEntry) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt = db.clock.Now().Truncate(time.Microsecond)
	return db.WithTx(ctx, func(tx *Tx) error { return db.createUserTx(ctx, tx, u, by) })
}

// createUserTx inserts the validated u and logs it when by is not nil.
func (db *DB) createUserTx(ctx context.Context, tx *Tx, u *jtai.User, by *jtai.AccessEntry) error {
	// The references first, each with its own message: past them a
	// conflict can only be the email address.
	if u.AreaID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM areas WHERE id = ?`, u.AreaID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return jtai.Invalid(jtai.FieldError{Field: "area", Message: "Select the user's local area"})
		}
	}
	if u.AgencyID != 0 {
		var area int64
		err := tx.queryRow(ctx, `SELECT area_id FROM agencies WHERE id = ?`, u.AgencyID).Scan(&area)
		if errors.Is(err, sql.ErrNoRows) {
			return jtai.Invalid(jtai.FieldError{Field: "agency", Message: "Select the auditor's agency"})
		}
		if err != nil {
			return err
		}
		if area != u.AreaID {
			return jtai.Invalid(jtai.FieldError{Field: "agency", Message: "The agency is not one of the account's local area: select an agency of that area"})
		}
	}
	id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, inspectorate, area_id, agency_id, password_hash, disabled, requires_second_factor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, u.Role, u.Inspectorate, nullID(u.AreaID), nullID(u.AgencyID), u.PasswordHash, u.Disabled, u.RequiresSecondFactor, u.CreatedAt.UnixMicro())
	if taken(err) {
		return jtai.Invalid(jtai.FieldError{Field: "email", Message: "An account with this email address already exists"})
	}
	if err != nil {
		return err
	}
	u.ID = id
	if by == nil {
		return nil
	}
	return db.appendTx(ctx, tx, logEntry(by, jtai.ActCreate, fmt.Sprintf("user/%d", id), "ok"))
}

const userColumns = `id, email, name, role, inspectorate, area_id, agency_id, password_hash, totp_secret, totp_last_step, disabled, requires_second_factor, created_at`

func (db *DB) scanUser(ctx context.Context, s scanner) (*jtai.User, error) {
	u, secret, err := scanUserRow(s)
	if err != nil {
		return nil, err
	}
	return db.openUser(ctx, u, secret)
}

// scanUserRow reads a row of userColumns, the second factor's secret
// still sealed.
func scanUserRow(s scanner) (*jtai.User, []byte, error) {
	var u jtai.User
	var area, agency sql.NullInt64
	var secret []byte
	var created int64
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Inspectorate, &area, &agency, &u.PasswordHash, &secret, &u.TOTPLastStep, &u.Disabled, &u.RequiresSecondFactor, &created); err != nil {
		return nil, nil, err
	}
	u.AreaID, u.AgencyID = area.Int64, agency.Int64
	u.CreatedAt = time.UnixMicro(created).UTC()
	return &u, secret, nil
}

// openUser opens the user's sealed second factor secret, if any.
func (db *DB) openUser(ctx context.Context, u *jtai.User, secret []byte) (*jtai.User, error) {
	if len(secret) > 0 {
		k, err := db.dataKey(ctx, SystemScope)
		if err != nil {
			return nil, err
		}
		pt, err := k.Open(secret, []byte(fmt.Sprintf("user/%d/totp", u.ID)))
		if err != nil {
			return nil, fmt.Errorf("open second factor of user %d: %w", u.ID, err)
		}
		u.TOTPSecret = string(pt)
	}
	return u, nil
}

// FindUserByID returns one user.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*jtai.User, error) {
	u, err := db.scanUser(ctx, db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "User %d not found", id)
}

// FindUserByEmail returns the user with an email address.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*jtai.User, error) {
	u, err := db.scanUser(ctx, db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, jtai.NormalizeEmail(email)))
	return u, notFound(err, "No account has the email address %s", email)
}

// ListUsers returns users by email.
func (db *DB) ListUsers(ctx context.Context, f jtai.UserFilter) ([]*jtai.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users WHERE (? = 0 OR area_id = ?) AND (? = '' OR role = ?) ORDER BY email`, f.AreaID, f.AreaID, string(f.Role), string(f.Role))
	return collect(rows, err, func(s scanner) (*jtai.User, error) { return db.scanUser(ctx, s) })
}

// SetUserDisabled disables or re-enables an account; disabling ends its
// sessions.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool, by *jtai.AccessEntry) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.update(ctx, "User", `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id); err != nil {
			return err
		}
		action := jtai.ActEnable
		if disabled {
			action = jtai.ActDisable
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		if by == nil {
			return nil
		}
		return db.appendTx(ctx, tx, logEntry(by, action, fmt.Sprintf("user/%d", id), "ok"))
	})
}

// SetUserPassword replaces a user's password hash and ends their sessions.
func (db *DB) SetUserPassword(ctx context.Context, id int64, hash string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.update(ctx, "User", `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

// SetUserTOTP stores a user's second-factor secret, sealed under the system
// data key; an empty secret removes it.
func (db *DB) SetUserTOTP(ctx context.Context, id int64, secret string, lastStep int64) error {
	var sealed []byte
	if secret != "" {
		k, err := db.dataKey(ctx, SystemScope)
		if err != nil {
			return err
		}
		sealed = k.Seal([]byte(secret), []byte(fmt.Sprintf("user/%d/totp", id)))
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		return tx.update(ctx, "User", `UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ?`, sealed, lastStep, id)
	})
}

// AcceptTOTPStep records step as the last accepted one. The condition in the
// UPDATE makes it atomic: two servers given the same code cannot both accept.
func (db *DB) AcceptTOTPStep(ctx context.Context, id int64, step int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		err := tx.update(ctx, "User", `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step)
		if jtai.IsKind(err, jtai.ENOTFOUND) {
			return jtai.Errorf(jtai.ECONFLICT, "That code has already been used. Wait for your app to show a new code")
		}
		return err
	})
}
