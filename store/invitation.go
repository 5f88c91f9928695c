package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"jtai"
)

var _ jtai.InvitationService = (*DB)(nil)

func outboxAAD(id int64) []byte { return fmt.Appendf(nil, "outbox/%d", id) }

const invitationColumns = `id, inspection_id, agency_id, token_hash, name, email, role, invited_by, created_at, expires_at, accepted_at, sent_at, revoked_at, revoked_by`

func scanInvitation(s scanner) (*jtai.Invitation, error) {
	var inv jtai.Invitation
	var created, expires int64
	var accepted, sent, revoked sql.NullInt64
	if err := s.Scan(&inv.ID, &inv.InspectionID, &inv.AgencyID, &inv.TokenHash, &inv.Name, &inv.Email, &inv.Role, &inv.InvitedBy, &created, &expires, &accepted, &sent, &revoked, &inv.RevokedBy); err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	inv.AcceptedAt, inv.SentAt, inv.RevokedAt = optTime(accepted), optTime(sent), optTime(revoked)
	return &inv, nil
}

func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMicro(v.Int64).UTC()
	return &t
}

// ListInvitations returns the inspection's invitations, oldest first.
func (db *DB) ListInvitations(ctx context.Context, inspectionID int64) ([]*jtai.Invitation, error) {
	rows, err := db.query(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE inspection_id = ? ORDER BY id`, inspectionID)
	return collect(rows, err, scanInvitation)
}

// FindInvitation returns the invitation of a token's hash: its current
// link, or one that sending it again replaced (Replaced set).
func (db *DB) FindInvitation(ctx context.Context, tokenHash string) (*jtai.Invitation, error) {
	inv, err := scanInvitation(db.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		inv, err = scanInvitation(db.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = (SELECT invitation_id FROM invitation_replaced_links WHERE token_hash = ?)`, tokenHash))
		if err == nil {
			inv.Replaced = true
		}
	}
	return inv, notFound(err, "This invitation link is not valid")
}

// AcceptInvitation makes the invitee's account and uses the invitation up
// in one transaction; the conditional update makes a second use fail even
// when two arrive at once.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash, passwordHash string, actor *jtai.AccessEntry) (*jtai.User, *jtai.Invitation, error) {
	var u *jtai.User
	var inv *jtai.Invitation
	now := db.clock.Now().Truncate(time.Microsecond)
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		inv, err = scanInvitation(tx.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
		if err != nil {
			return notFound(err, "This invitation link is not valid")
		}
		if inv.Status(now) != jtai.InvitationSent {
			return jtai.Errorf(jtai.ECONFLICT, "This invitation link has been used or has expired")
		}
		if err := writable(ctx, tx, inv.InspectionID); err != nil {
			return err
		}
		var areaID int64
		if err := tx.queryRow(ctx, `SELECT area_id FROM inspections WHERE id = ?`, inv.InspectionID).Scan(&areaID); err != nil {
			return err
		}
		// The account gives a second factor at every sign-in: the invitee
		// sets it up next, before reaching the inspection.
		u = &jtai.User{Email: inv.Email, Name: inv.Name, Role: inv.Role, AreaID: areaID, PasswordHash: passwordHash, CreatedAt: now, RequiresSecondFactor: true}
		// The account belongs to the agency it was the contact for: an
		// auditor answers that agency's part of the joint audits, and so
		// does a coordinator who is their own agency's contact.
		u.AgencyID = inv.AgencyID
		if err := u.Validate(); err != nil {
			return err
		}
		u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, role, inspectorate, area_id, agency_id, password_hash, disabled, requires_second_factor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, u.Role, u.Inspectorate, nullID(u.AreaID), nullID(u.AgencyID), u.PasswordHash, false, true, now.UnixMicro())
		if taken(err) {
			return jtai.Errorf(jtai.ECONFLICT, "An account with this email address already exists: sign in instead")
		}
		if err != nil {
			return err
		}
		if err := tx.update(ctx, "Invitation", `UPDATE invitations SET accepted_at = ?, user_id = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND token_hash = ?`, now.UnixMicro(), u.ID, inv.ID, tokenHash); err != nil {
			return jtai.Errorf(jtai.ECONFLICT, "This invitation link has been used or has expired")
		}
		if err := writable(ctx, tx, inv.InspectionID); err != nil {
			return err
		}
		inv.AcceptedAt = &now
		e := *actor
		e.ActorID, e.Actor = u.ID, u.Email
		e.Action, e.Resource = jtai.ActInvitationAccept, fmt.Sprintf("inspection/%d/invitations/%d", inv.InspectionID, inv.ID)
		return db.appendTx(ctx, tx, &e)
	})
	if err != nil {
		return nil, nil, err
	}
	return u, inv, nil
}

// ListOutbox returns the newest messages first, bodies opened while unsent.
func (db *DB) ListOutbox(ctx context.Context, inspectionIDs []int64, limit int) ([]*jtai.Message, error) {
	where, args := "", []any{}
	if inspectionIDs != nil {
		if len(inspectionIDs) == 0 {
			return nil, nil
		}
		where = "WHERE inspection_id IN (?" + strings.Repeat(", ?", len(inspectionIDs)-1) + ")"
		for _, id := range inspectionIDs {
			args = append(args, id)
		}
	}
	return db.messages(ctx, `SELECT `+messageColumns+` FROM outbox `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
}

// PendingMessages returns unsent messages, oldest first.
func (db *DB) PendingMessages(ctx context.Context, limit int) ([]*jtai.Message, error) {
	return db.messages(ctx, `SELECT `+messageColumns+` FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`, limit)
}

const messageColumns = `id, inspection_id, recipient, subject, sealed_body, created_at, sent_at, attempts, last_error`

func (db *DB) messages(ctx context.Context, query string, args ...any) ([]*jtai.Message, error) {
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, query, args...)
	return collect(rows, err, func(s scanner) (*jtai.Message, error) {
		var m jtai.Message
		var inspection, sent sql.NullInt64
		var body []byte
		var created int64
		if err := s.Scan(&m.ID, &inspection, &m.To, &m.Subject, &body, &created, &sent, &m.Attempts, &m.LastError); err != nil {
			return nil, err
		}
		m.InspectionID, m.CreatedAt = inspection.Int64, time.UnixMicro(created).UTC()
		if sent.Valid {
			t := time.UnixMicro(sent.Int64).UTC()
			m.SentAt = &t
		}
		if len(body) > 0 {
			b, err := k.Open(body, outboxAAD(m.ID))
			if err != nil {
				return nil, err
			}
			m.Body = string(b)
		}
		return &m, nil
	})
}
