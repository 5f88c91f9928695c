package jtai

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ActTransition is the access-log action of a move from one lifecycle state
// to another.
const ActTransition = "transition"

// lifecycle is the forward order of the states (DOMAIN.md, "Timetable").
// Withdrawn stands apart: it ends an inspection before onsite.
var lifecycle = []Status{
	StatusNotified, StatusInformationRequested, StatusChildrenSelected, StatusAuditsReturned,
	StatusOnsite, StatusDrafting, StatusFactualAccuracy, StatusPublished,
	StatusActionStatementDue, StatusClosed,
}

// Statuses lists every state, the lifecycle in order then withdrawn.
var Statuses = append(slices.Clone(lifecycle), StatusWithdrawn)

// Valid reports whether s is a known state.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// step is s's place in the forward order, -1 for withdrawn or unknown.
func (s Status) step() int { return slices.Index(lifecycle, s) }

// Reached reports whether an inspection now in state s has passed through
// state t. A withdrawn inspection reached only its notification for sure.
func (s Status) Reached(t Status) bool {
	if s == StatusWithdrawn {
		return t == StatusNotified || t == StatusWithdrawn
	}
	return s.step() >= 0 && t.step() >= 0 && s.step() >= t.step()
}

// Next lists the states an inspection in state s may move to: the next
// one, withdrawn before onsite, and drafting again from factual accuracy.
func (s Status) Next() []Status {
	i := s.step()
	if i < 0 || s == StatusClosed {
		return nil
	}
	next := []Status{lifecycle[i+1]}
	if s == StatusFactualAccuracy {
		next = append(next, StatusDrafting)
	}
	if i < StatusOnsite.step() {
		next = append(next, StatusWithdrawn)
	}
	return next
}

// CheckTransition returns nil when an inspection may move from one state to
// the other with the given reason: an ECONFLICT error when the move is not
// allowed, EINVALID when a withdrawal gives no reason.
func CheckTransition(from, to Status, reason string) error {
	if !to.Valid() {
		return Invalid(FieldError{Field: "status", Message: "Select the inspection's new status"})
	}
	if !slices.Contains(from.Next(), to) {
		return Errorf(ECONFLICT, "An inspection that is %s cannot become %s%s", strings.ToLower(from.Label()), strings.ToLower(to.Label()), allowedAfter(from))
	}
	if to == StatusWithdrawn && strings.TrimSpace(reason) == "" {
		return Invalid(FieldError{Field: "reason", Message: "Enter why the inspection is withdrawn"})
	}
	return nil
}

func allowedAfter(from Status) string {
	next := from.Next()
	if len(next) == 0 {
		return ": it is " + strings.ToLower(from.Label()) + " for good"
	}
	names := make([]string, len(next))
	for i, s := range next {
		names[i] = strings.ToLower(s.Label())
	}
	return fmt.Sprintf(": it may become %s", strings.Join(names, " or "))
}

// Transition is one recorded move of an inspection between states.
type Transition struct {
	ID           int64     `json:"id"`
	InspectionID int64     `json:"inspection_id"`
	From         Status    `json:"from"`
	To           Status    `json:"to"`
	Reason       string    `json:"reason,omitempty"`
	ActorID      int64     `json:"actor_id,omitempty"`
	Actor        string    `json:"actor"`
	At           time.Time `json:"at"`
}

// LifecycleService moves inspections between states. Each move is kept
// and written to the access log in the same transaction.
type LifecycleService interface {
	// TransitionInspection moves the inspection to state to, checked by
	// CheckTransition against its current state; by names the actor.
	TransitionInspection(ctx context.Context, inspectionID int64, to Status, reason string, by *AccessEntry) (*Transition, error)
	// ListTransitions returns an inspection's moves, oldest first.
	ListTransitions(ctx context.Context, inspectionID int64) ([]*Transition, error)
}
