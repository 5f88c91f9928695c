package jtai

import (
	"context"
	"time"
)

// Access-log actions of the joint audit.
const (
	ActAuditPlan   = "audit-plan"   // parts made for the selected children
	ActAuditSave   = "audit-save"   // a part's answers saved as a draft
	ActAuditSubmit = "audit-submit" // a part submitted
	ActAuditRead   = "audit-read"   // a part's answers read
)

// AuditPartStatus is where one part of a joint audit stands.
type AuditPartStatus string

// The states of a part. A submitted part is read-only.
const (
	AuditNotStarted AuditPartStatus = "not-started"
	AuditDraft      AuditPartStatus = "draft"
	AuditSubmitted  AuditPartStatus = "submitted"
)

// Label is the state for people.
func (s AuditPartStatus) Label() string {
	switch s {
	case AuditNotStarted:
		return "Not started"
	case AuditDraft:
		return "In progress"
	case AuditSubmitted:
		return "Submitted"
	}
	return string(s)
}

// AuditPartKey names one part of one child's joint audit: the theme's part
// and the agency answering it, or no agency (0) for the partnership's own
// part, such as the overall summary.
type AuditPartKey struct {
	ChildID  int64  `json:"child_id"`
	PartID   string `json:"part_id"`
	AgencyID int64  `json:"agency_id,omitempty"`
}

// AuditPart is one part of a selected child's joint audit. Answers, keyed
// by the theme's question ids, are free text about the child and are
// sealed at rest. Audit answers describe practice; they grade nothing.
type AuditPart struct {
	AuditPartKey
	InspectionID int64             `json:"inspection_id"`
	Status       AuditPartStatus   `json:"status"`
	Answers      map[string]string `json:"answers,omitempty"` // filled only when opened through the guarded service
	UpdatedBy    string            `json:"updated_by,omitempty"`
	UpdatedAt    time.Time         `json:"updated_at,omitzero"`
	SubmittedBy  string            `json:"submitted_by,omitempty"`
	SubmittedAt  time.Time         `json:"submitted_at,omitzero"`
}

// JointAuditService keeps the joint audits of an inspection's selected
// children. Parts are read for progress without their answers; the answers
// are opened only through the guarded service (package guard).
type JointAuditService interface {
	// ListAuditParts returns the parts of the children selected now, by
	// child then part, without answers.
	ListAuditParts(ctx context.Context, inspectionID int64) ([]*AuditPart, error)
	// AuditProgress returns the children selected now for case tracking,
	// in selection order, and their parts without answers, opening
	// nothing sealed; ENOTFOUND when children have not been selected yet.
	AuditProgress(ctx context.Context, inspectionID int64) (tracked []int64, parts []*AuditPart, err error)
	// ChildAuditProgress is AuditProgress for one child: whether it is
	// selected now for case tracking, and its parts without answers.
	ChildAuditProgress(ctx context.Context, inspectionID, childID int64) (tracked bool, parts []*AuditPart, err error)
	// SaveAuditPart stores the answers as a draft or, with submit, submits
	// the part. A submitted part cannot change (ECONFLICT); the partnership's
	// part (no agency) is submitted only after every agency's part of the
	// child. When every part of every selected child is submitted, an
	// inspection at children-selected moves to audits-returned in the same
	// transaction.
	SaveAuditPart(ctx context.Context, inspectionID int64, key AuditPartKey, answers map[string]string, submit bool, by *AccessEntry) (*AuditPart, error)
	// AuditAgencies lists the agencies with a part in the child's audit,
	// for the policy; none when the child is not selected.
	AuditAgencies(ctx context.Context, inspectionID, childID int64) ([]int64, error)
}
