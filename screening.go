package jtai

import (
	"context"
	"time"
)

// ScreeningDecision is an inspector's decision on a child that screening
// put in needs review: in scope or out, with the inspector's reason. It is
// the inspection team's: the store seals it like other free text.
type ScreeningDecision struct {
	ChildID int64     `json:"child_id"`
	In      bool      `json:"in"`
	Reason  string    `json:"reason"`
	By      string    `json:"by,omitempty"` // who decided, by name
	At      time.Time `json:"at,omitzero"`
}

// Screener screens an inspection's children under its theme, applying the
// inspectors' decisions, for the store to keep. The store calls it when
// the lists or the decisions change, so that pages read the kept result
// instead of screening every child on every view.
type Screener interface {
	// Basis names what an inspection is screened under (its theme's scope
	// rules): a kept result on another basis is out of date.
	Basis(in *Inspection) (string, error)
	// Screen returns the result, encoded, for the store to seal.
	Screen(in *Inspection, children []*Child, decisions map[int64]*ScreeningDecision) ([]byte, error)
}

// StoredScreening is an inspection's kept screening, opened: its basis,
// when it was worked out and the encoded result.
type StoredScreening struct {
	Basis  string
	At     time.Time
	Result []byte
}

// ScreeningService keeps the inspectors' decisions; each change screens
// the inspection again and keeps the result. The result is opened only
// through the guarded service.
type ScreeningService interface {
	DecideScreening(ctx context.Context, inspectionID int64, decisions []ScreeningDecision, by *AccessEntry) error
	Rescreen(ctx context.Context, inspectionID int64, by *AccessEntry) error
}
