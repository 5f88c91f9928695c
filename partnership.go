package jtai

import (
	"context"
	"time"
)

// Actions of the partnership's side, for the access log.
const (
	ActDocumentUpload   = "document-upload"   // a version of a strategic document stored
	ActDocumentRead     = "document-read"     // a document's content downloaded
	ActInvite           = "invite"            // a nominated contact invited
	ActInvitationAccept = "invitation-accept" // an invitation used to make an account
	ActInvitationRefuse = "invitation-refuse" // an expired, used, revoked, replaced or unknown link opened
	ActInvitationResend = "invitation-resend" // a contact's invitation sent again with a new link
	ActInvitationRevoke = "invitation-revoke" // a contact's invitation withdrawn: its link stops working
	ActContactAdd       = "contact-add"       // a nominated contact entered before the notification, not sent yet
	ActNotify           = "notify"            // the lead inspector recorded that the partnership was notified
)

// MaxDocumentBytes is the largest strategic document jtai accepts: 50 MiB,
// well above a long strategy with pictures, and small enough to seal in
// memory.
const MaxDocumentBytes = 50 << 20

// Document is one version of a strategic document an agency supplies
// against one of the theme's requested items. Replacing a document adds a
// version; earlier versions stay.
type Document struct {
	ID           int64        `json:"id"`
	InspectionID int64        `json:"inspection_id"`
	AgencyID     int64        `json:"agency_id"`
	Item         string       `json:"item"` // the theme's document id
	Version      int          `json:"version"`
	Name         string       `json:"name"` // the uploaded file's name; sealed at rest
	Kind         DocumentKind `json:"kind"`
	Size         int64        `json:"size"`
	UploadedBy   string       `json:"uploaded_by"`
	UploadedAt   time.Time    `json:"uploaded_at"`
}

// DocumentService stores strategic documents, sealed.
type DocumentService interface {
	// AddDocumentVersion stores content as the next version of d's
	// agency and item, filling d's ID, Version and UploadedAt.
	AddDocumentVersion(ctx context.Context, d *Document, content []byte, actor *AccessEntry) error
	// ListDocuments returns every version of the inspection's documents,
	// newest version first within each agency and item.
	ListDocuments(ctx context.Context, inspectionID int64) ([]*Document, error)
	FindDocument(ctx context.Context, inspectionID, id int64) (*Document, error)
}

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation is a partnership's nominated contact for one agency, and the
// invitation that asks them to make an account. Each agency has at most one
// live (unrevoked) contact per inspection. A contact entered before the
// notification is recorded is not sent yet; recording it sends them all.
// Only the hash of the link's token is stored; the link is in the message
// alone.
type Invitation struct {
	ID           int64      `json:"id"`
	InspectionID int64      `json:"inspection_id"`
	AgencyID     int64      `json:"agency_id"`
	TokenHash    string     `json:"-"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Role         Role       `json:"role"`
	InvitedBy    string     `json:"invited_by"`
	CreatedAt    time.Time  `json:"created_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	AcceptedAt   *time.Time `json:"accepted_at,omitempty"`
	SentAt       *time.Time `json:"sent_at,omitempty"`    // nil: not sent yet, waiting for the notification
	RevokedAt    *time.Time `json:"revoked_at,omitempty"` // the link no longer works
	RevokedBy    string     `json:"revoked_by,omitempty"`

	// Replaced is set by FindInvitation when the token was the contact's
	// earlier link, replaced by sending the invitation again.
	Replaced bool `json:"-"`
}

// Where an invitation stands (Invitation.Status).
const (
	InvitationNotSent  = "not-sent" // entered before the notification was recorded
	InvitationSent     = "sent"     // the link works
	InvitationExpired  = "expired"
	InvitationAccepted = "accepted" // the account is made
	InvitationRevoked  = "revoked"
	InvitationReplaced = "replaced" // only for a replaced link: a newer one was sent
)

// Status says where the invitation stands at now.
func (i *Invitation) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return InvitationAccepted
	case i.RevokedAt != nil:
		return InvitationRevoked
	case i.Replaced:
		return InvitationReplaced
	case i.SentAt == nil:
		return InvitationNotSent
	case !now.Before(i.ExpiresAt):
		return InvitationExpired
	}
	return InvitationSent
}

// Live reports whether the invitation still names its agency's contact:
// anything but revoked.
func (i *Invitation) Live() bool { return i.RevokedAt == nil }

// Notification is the record that the partnership was told of the
// inspection, made by the lead inspector.
type Notification struct {
	InspectionID int64     `json:"inspection_id"`
	At           time.Time `json:"at"`
	By           string    `json:"by"`
	Invited      int       `json:"invited"` // contacts whose invitations went in the outbox with it
}

// NewInvitationLink makes a fresh link for an invitation: the hash of its
// token to store and the message that carries the link.
type NewInvitationLink func(inv *Invitation) (tokenHash string, m *Message)

// Message is an email in the outbox. Its body holds no personal data
// about children: an invitation's message holds only the link.
type Message struct {
	ID           int64      `json:"id"`
	InspectionID int64      `json:"inspection_id,omitempty"`
	To           string     `json:"to"`
	Subject      string     `json:"subject"`
	Body         string     `json:"body,omitempty"` // empty once sent: the link is a credential
	CreatedAt    time.Time  `json:"created_at"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	Attempts     int        `json:"attempts"`
	LastError    string     `json:"last_error,omitempty"`
}

// Sender delivers a message, for example over SMTP.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// InvitationService stores invitations and the outbox.
type InvitationService interface {
	// CreateInvitation stores a nominated contact. When the inspection's
	// notification is recorded it is invited at once: link makes its
	// link, whose message goes in the outbox in the same transaction.
	// Otherwise it is kept, not sent yet. EINVALID (field "agency") when
	// the agency already has a live contact.
	CreateInvitation(ctx context.Context, inv *Invitation, link NewInvitationLink, actor *AccessEntry) error
	ListInvitations(ctx context.Context, inspectionID int64) ([]*Invitation, error)
	// FindInvitation returns the invitation of a token's hash, used or
	// not; a replaced link's invitation has Replaced set.
	FindInvitation(ctx context.Context, tokenHash string) (*Invitation, error)
	// RecordNotification records that the inspection's partnership was
	// notified and puts every contact's invitation not sent yet in the
	// outbox, in one transaction; ECONFLICT when it is already recorded.
	RecordNotification(ctx context.Context, inspectionID int64, link NewInvitationLink, actor *AccessEntry) (*Notification, error)
	// FindNotification returns the inspection's notification, ENOTFOUND
	// while it is not recorded.
	FindNotification(ctx context.Context, inspectionID int64) (*Notification, error)
	// ResendInvitation sends a sent (or expired) invitation again with a
	// new link; the old link stops working. ECONFLICT when it was
	// accepted, revoked or not sent yet.
	ResendInvitation(ctx context.Context, inspectionID, id int64, link NewInvitationLink, actor *AccessEntry) (*Invitation, error)
	// RevokeInvitation withdraws an invitation: its link stops working
	// and the agency may have another contact. ECONFLICT when it was
	// accepted or already revoked.
	RevokeInvitation(ctx context.Context, inspectionID, id int64, actor *AccessEntry) (*Invitation, error)
	// AcceptInvitation creates the invitee's account with passwordHash and
	// marks the invitation used, at once; ECONFLICT when it was used or has
	// expired meanwhile.
	AcceptInvitation(ctx context.Context, tokenHash, passwordHash string, actor *AccessEntry) (*User, *Invitation, error)
	// ListOutbox returns the newest messages first; inspectionIDs narrows
	// them (nil: every message).
	ListOutbox(ctx context.Context, inspectionIDs []int64, limit int) ([]*Message, error)
	// PendingMessages returns unsent messages, oldest first, bodies opened.
	PendingMessages(ctx context.Context, limit int) ([]*Message, error)
}
