package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jtai"
	"jtai/crypt"
)

// lockInspection takes the inspection's row for the rest of the
// transaction, so that entering a contact and recording the notification
// happen one after the other: a contact is either sent with the
// notification or sees it recorded and is sent at once, never neither.
func lockInspection(ctx context.Context, tx *Tx, inspectionID int64) (status jtai.Status, notified bool, err error) {
	if err := tx.update(ctx, "Inspection", `UPDATE inspections SET status = status WHERE id = ?`, inspectionID); err != nil {
		return "", false, err
	}
	var at sql.NullInt64
	if err := tx.queryRow(ctx, `SELECT status, partnership_notified_at FROM inspections WHERE id = ?`, inspectionID).Scan(&status, &at); err != nil {
		return "", false, err
	}
	return status, at.Valid, nil
}

// unsentToken stands in the token column of a contact not sent yet: the
// hash of nothing anyone was given, so no link opens it.
func unsentToken() string { return "unsent:" + rand.Text() }

// CreateInvitation stores a nominated contact, one live contact per agency
// and inspection. Once the inspection's notification is recorded the
// contact is invited in the same transaction; before, the contact waits,
// not sent yet, and the entry is logged.
func (db *DB) CreateInvitation(ctx context.Context, inv *jtai.Invitation, link jtai.NewInvitationLink, actor *jtai.AccessEntry) error {
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	return db.WithTx(ctx, func(tx *Tx) error {
		status, notified, err := lockInspection(ctx, tx, inv.InspectionID)
		if err != nil {
			return err
		}
		if status == jtai.StatusWithdrawn || status == jtai.StatusClosed {
			return jtai.Errorf(jtai.ECONFLICT, "This inspection is %s: nobody new can be invited", status.Label())
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, inv.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return jtai.Invalid(jtai.FieldError{Field: "email", Message: "An account with this email address already exists"})
		}
		var agency string
		err = tx.queryRow(ctx, `SELECT a.name FROM invitations i JOIN agencies a ON a.id = i.agency_id WHERE i.inspection_id = ? AND i.agency_id = ? AND i.revoked_at IS NULL`, inv.InspectionID, inv.AgencyID).Scan(&agency)
		if err == nil {
			return jtai.Invalid(jtai.FieldError{Field: "agency", Message: agency + " already has a nominated contact. Revoke their invitation before you enter someone else"})
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM invitations WHERE inspection_id = ? AND email = ? AND revoked_at IS NULL`, inv.InspectionID, inv.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return jtai.Invalid(jtai.FieldError{Field: "email", Message: "This person is already a nominated contact for this inspection"})
		}
		inv.CreatedAt, inv.ExpiresAt, inv.SentAt, inv.TokenHash = now, now, nil, unsentToken()
		inv.ID, err = tx.insert(ctx, `INSERT INTO invitations (inspection_id, agency_id, token_hash, name, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.InspectionID, inv.AgencyID, inv.TokenHash, inv.Name, inv.Email, inv.Role, inv.InvitedBy, now.UnixMicro(), now.UnixMicro())
		if err != nil {
			return err
		}
		action := jtai.ActContactAdd
		if notified {
			if err := sendInvitationTx(ctx, tx, k, inv, link, now); err != nil {
				return err
			}
			action = jtai.ActInvite
		}
		return db.appendTx(ctx, tx, logEntry(actor, action, invitationResource(inv), ""))
	})
}

func invitationResource(inv *jtai.Invitation) string {
	return fmt.Sprintf("inspection/%d/invitations/%d", inv.InspectionID, inv.ID)
}

// sendInvitationTx gives inv a new link that works for
// jtai.InvitationLifetime from now and puts its message in the outbox,
// the body sealed under the system's data key since the link in it is a
// credential.
func sendInvitationTx(ctx context.Context, tx *Tx, k *crypt.DataKey, inv *jtai.Invitation, link jtai.NewInvitationLink, now time.Time) error {
	if link == nil {
		return fmt.Errorf("invitation %d: no way to make its link", inv.ID)
	}
	inv.ExpiresAt, inv.SentAt = now.Add(jtai.InvitationLifetime), &now
	hash, m := link(inv)
	inv.TokenHash = hash
	if err := tx.update(ctx, "Invitation", `UPDATE invitations SET token_hash = ?, sent_at = ?, expires_at = ? WHERE id = ?`,
		hash, now.UnixMicro(), inv.ExpiresAt.UnixMicro(), inv.ID); err != nil {
		return err
	}
	m.InspectionID = inv.InspectionID
	return queueMessageTx(ctx, tx, k, m, now)
}

// queueMessageTx puts m in the outbox, its body sealed under the system's
// data key k: the links messages carry are credentials.
func queueMessageTx(ctx context.Context, tx *Tx, k *crypt.DataKey, m *jtai.Message, now time.Time) error {
	m.CreatedAt = now
	var err error
	m.ID, err = tx.insert(ctx, `INSERT INTO outbox (inspection_id, recipient, subject, created_at) VALUES (?, ?, ?, ?)`,
		nullID(m.InspectionID), m.To, m.Subject, m.CreatedAt.UnixMicro())
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE outbox SET sealed_body = ? WHERE id = ?`, k.Seal([]byte(m.Body), outboxAAD(m.ID)), m.ID)
	return err
}

// RecordNotification records that the partnership was notified, and puts
// the invitation of every live contact not sent yet in the outbox, all in
// one transaction with its log entries.
func (db *DB) RecordNotification(ctx context.Context, inspectionID int64, link jtai.NewInvitationLink, actor *jtai.AccessEntry) (*jtai.Notification, error) {
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	n := &jtai.Notification{InspectionID: inspectionID, At: now, By: shownAs(actor)}
	err = db.WithTx(ctx, func(tx *Tx) error {
		status, notified, err := lockInspection(ctx, tx, inspectionID)
		if err != nil {
			return err
		}
		if notified {
			return jtai.Errorf(jtai.ECONFLICT, "The notification has already been recorded")
		}
		if status == jtai.StatusWithdrawn || status == jtai.StatusClosed {
			return jtai.Errorf(jtai.ECONFLICT, "This inspection is %s: its partnership is not notified now", status.Label())
		}
		if _, err := tx.exec(ctx, `UPDATE inspections SET partnership_notified_at = ?, partnership_notified_by = ? WHERE id = ?`, now.UnixMicro(), n.By, inspectionID); err != nil {
			return err
		}
		entries := []*jtai.AccessEntry{logEntry(actor, jtai.ActNotify, fmt.Sprintf("inspection/%d/notification", inspectionID), "")}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+invitationColumns+` FROM invitations WHERE inspection_id = ? AND sent_at IS NULL AND revoked_at IS NULL AND accepted_at IS NULL ORDER BY id`), inspectionID)
		invs, err := collect(rows, err, scanInvitation)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			if err := sendInvitationTx(ctx, tx, k, inv, link, now); err != nil {
				return err
			}
			entries = append(entries, logEntry(actor, jtai.ActInvite, invitationResource(inv), ""))
		}
		n.Invited = len(invs)
		return db.appendTx(ctx, tx, entries...)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// FindNotification returns the recorded notification of an inspection.
func (db *DB) FindNotification(ctx context.Context, inspectionID int64) (*jtai.Notification, error) {
	var at sql.NullInt64
	n := &jtai.Notification{InspectionID: inspectionID}
	if err := db.queryRow(ctx, `SELECT partnership_notified_at, partnership_notified_by FROM inspections WHERE id = ?`, inspectionID).Scan(&at, &n.By); err != nil {
		return nil, notFound(err, "Inspection %d not found", inspectionID)
	}
	if !at.Valid {
		return nil, jtai.Errorf(jtai.ENOTFOUND, "The notification has not been recorded")
	}
	n.At = time.UnixMicro(at.Int64).UTC()
	return n, nil
}

// lockInvitationTx locks the inspection, as every change to its contacts
// does, and reads one of its invitations.
func lockInvitationTx(ctx context.Context, tx *Tx, inspectionID, id int64) (*jtai.Invitation, error) {
	if _, _, err := lockInspection(ctx, tx, inspectionID); err != nil {
		return nil, err
	}
	inv, err := scanInvitation(tx.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = ? AND inspection_id = ?`, id, inspectionID))
	return inv, notFound(err, "Invitation %d not found", id)
}

// ResendInvitation gives a sent or expired invitation a new link and puts
// a new message in the outbox; the old link is kept, replaced, so that it
// stops working with a page that says so.
func (db *DB) ResendInvitation(ctx context.Context, inspectionID, id int64, link jtai.NewInvitationLink, actor *jtai.AccessEntry) (*jtai.Invitation, error) {
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	var inv *jtai.Invitation
	err = db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		var err error
		if inv, err = lockInvitationTx(ctx, tx, inspectionID, id); err != nil {
			return err
		}
		switch inv.Status(now) {
		case jtai.InvitationAccepted:
			return jtai.Errorf(jtai.ECONFLICT, "%s has already used the invitation to set up an account", inv.Name)
		case jtai.InvitationRevoked:
			return jtai.Errorf(jtai.ECONFLICT, "The invitation to %s was revoked: enter the contact again to invite them", inv.Name)
		case jtai.InvitationNotSent:
			return jtai.Errorf(jtai.ECONFLICT, "The invitation to %s has not been sent yet: it is sent when you record the notification", inv.Name)
		}
		if _, err := tx.exec(ctx, `INSERT INTO invitation_replaced_links (token_hash, invitation_id, replaced_at) VALUES (?, ?, ?)`, inv.TokenHash, inv.ID, now.UnixMicro()); err != nil {
			return err
		}
		if err := sendInvitationTx(ctx, tx, k, inv, link, now); err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(actor, jtai.ActInvitationResend, invitationResource(inv), ""))
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// RevokeInvitation withdraws an invitation that has not been used: its
// link stops working, and its agency may have another contact.
func (db *DB) RevokeInvitation(ctx context.Context, inspectionID, id int64, actor *jtai.AccessEntry) (*jtai.Invitation, error) {
	now := db.clock.Now().Truncate(time.Microsecond)
	var inv *jtai.Invitation
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, inspectionID); err != nil {
			return err
		}
		var err error
		if inv, err = lockInvitationTx(ctx, tx, inspectionID, id); err != nil {
			return err
		}
		switch inv.Status(now) {
		case jtai.InvitationAccepted:
			return jtai.Errorf(jtai.ECONFLICT, "%s has already used the invitation to set up an account: ask an administrator to disable the account instead", inv.Name)
		case jtai.InvitationRevoked:
			return jtai.Errorf(jtai.ECONFLICT, "The invitation to %s has already been revoked", inv.Name)
		}
		if err := tx.update(ctx, "Invitation", `UPDATE invitations SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL AND accepted_at IS NULL`, now.UnixMicro(), shownAs(actor), inv.ID); err != nil {
			return err
		}
		inv.RevokedAt, inv.RevokedBy = &now, shownAs(actor)
		return db.appendTx(ctx, tx, logEntry(actor, jtai.ActInvitationRevoke, invitationResource(inv), ""))
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}
