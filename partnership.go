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
	ActInvitationRefuse = "invitation-refuse" // an expired, used or unknown link opened
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
	// ReadDocument returns a version's content, opened, logging the read.
	ReadDocument(ctx context.Context, d *Document, actor *AccessEntry) ([]byte, error)
}

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation asks a partnership's nominated contact to make an account.
// Only the hash of its token is stored; the link is in the message alone.
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
}

// Status says where the invitation stands at now.
func (i *Invitation) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return "accepted"
	case !now.Before(i.ExpiresAt):
		return "expired"
	}
	return "sent"
}

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
	// CreateInvitation stores inv and its message in the outbox together.
	CreateInvitation(ctx context.Context, inv *Invitation, m *Message, actor *AccessEntry) error
	ListInvitations(ctx context.Context, inspectionID int64) ([]*Invitation, error)
	// FindInvitation returns the invitation of a token's hash, used or not.
	FindInvitation(ctx context.Context, tokenHash string) (*Invitation, error)
	// AcceptInvitation creates the invitee's account with passwordHash and
	// marks the invitation used, at once; ECONFLICT when it was used or has
	// expired meanwhile.
	AcceptInvitation(ctx context.Context, tokenHash, passwordHash string, actor *AccessEntry) (*User, *Invitation, error)
	// ListOutbox returns the newest messages first; inspectionIDs narrows
	// them (nil: every message).
	ListOutbox(ctx context.Context, inspectionIDs []int64, limit int) ([]*Message, error)
	// PendingMessages returns unsent messages, oldest first, bodies opened.
	PendingMessages(ctx context.Context, limit int) ([]*Message, error)
	// MarkMessageSent records delivery and drops the body.
	MarkMessageSent(ctx context.Context, id int64, at time.Time) error
	// MarkMessageFailed records a failed attempt.
	MarkMessageFailed(ctx context.Context, id int64, reason string) error
}
