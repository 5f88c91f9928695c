package jtai

import (
	"context"
	"time"
)

// Access-log actions of the selection of children.
const (
	ActSelect          = "select"           // a selection made and published
	ActSelectionAdd    = "selection-add"    // a child added by hand
	ActSelectionRemove = "selection-remove" // a child removed by hand
)

// SelectionKind is what a child is selected for.
type SelectionKind string

// The kinds of selection (DOMAIN.md, "Selection").
const (
	// CaseTracking children are tracked in depth and jointly audited.
	CaseTracking SelectionKind = "case-tracking"
	// CaseSample children make up the wider case sample.
	CaseSample SelectionKind = "case-sample"
)

// Label is the kind for people.
func (k SelectionKind) Label() string {
	switch k {
	case CaseTracking:
		return "Case tracking"
	case CaseSample:
		return "Wider case sample"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k SelectionKind) Valid() bool { return k == CaseTracking || k == CaseSample }

// SelectedChild is one child picked for case tracking or the sample, and
// why. Reason holds no personal data when Manual is false: it names strata,
// never the child.
type SelectedChild struct {
	ChildID int64         `json:"child_id"`
	Kind    SelectionKind `json:"kind"`
	Reason  string        `json:"reason"`
	// Covers are the strata values the pick brought in, e.g. "stage=child-protection".
	Covers []string `json:"covers,omitempty"`
	// Manual marks a child an inspector added by hand with a written reason.
	Manual  bool      `json:"manual,omitempty"`
	AddedBy string    `json:"added_by,omitempty"`
	AddedAt time.Time `json:"added_at,omitzero"`
	// Screened is what screening said of the child when it was selected
	// (screen.Fingerprint), to show a change since; sealed at rest, since
	// its reasons are the child's attributes. Empty for a selection made
	// before it was kept.
	Screened string `json:"-"`
}

// Selection is the children chosen for an inspection, made from a seed so
// that it can be made again.
type Selection struct {
	InspectionID int64           `json:"inspection_id"`
	Seed         uint64          `json:"seed"`
	Children     []SelectedChild `json:"children"`
	CreatedAt    time.Time       `json:"created_at,omitzero"`
	CreatedBy    string          `json:"created_by,omitempty"`
}

// Count returns how many children are selected for kind.
func (s *Selection) Count(kind SelectionKind) int {
	n := 0
	for _, c := range s.Children {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// Has reports whether the child is selected.
func (s *Selection) Has(childID int64) bool {
	for _, c := range s.Children {
		if c.ChildID == childID {
			return true
		}
	}
	return false
}

// SelectionService keeps selections. Saving a selection publishes it to the
// partnership: the inspection moves to children-selected, and the parts of
// the tracked children's joint audits are made, in the same transaction.
type SelectionService interface {
	// SaveSelection keeps and publishes a selection with the parts of its
	// joint audits (see selection.Audits), each for a child it tracks.
	SaveSelection(ctx context.Context, s *Selection, audits []AuditPartKey, by *AccessEntry) error
	// FindSelection returns the current selection; ENOTFOUND when none.
	FindSelection(ctx context.Context, inspectionID int64) (*Selection, error)
	// AddSelectedChild adds a child by hand, with the parts of its joint
	// audit when it is tracked; c.Reason is required.
	AddSelectedChild(ctx context.Context, inspectionID int64, c SelectedChild, audits []AuditPartKey, by *AccessEntry) error
	// RemoveSelectedChild takes a child out, with a written reason.
	RemoveSelectedChild(ctx context.Context, inspectionID, childID int64, reason string, by *AccessEntry) error
}
