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
	if fe := CheckText("reason", "The reason", reason, MaxReason, true); fe != nil {
		return Invalid(*fe)
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

// Via is what makes a move: some states are reached only as the result of
// a piece of work, never chosen from the status page or the console.
type Via int

// The ways a move is made.
const (
	// ViaStatus is a move chosen by the lead inspector (the status page or
	// 'jtai inspection status').
	ViaStatus Via = iota
	// ViaSelection is publishing the selection of children.
	ViaSelection
	// ViaAudits is the last part of the last tracked child's joint audit
	// being submitted.
	ViaAudits
	// ViaPublication is the letter's publication step.
	ViaPublication
)

// Move is a move asked for: the new state, the reason given (if any), what
// makes it, and the onsite week from the inspection's timetable (zero when
// not known).
type Move struct {
	To          Status
	Reason      string
	Via         Via
	OnsiteStart Date
	OnsiteLast  Date
}

// Standing is what an inspection holds when a move is asked for, as far as
// the moves' preconditions need to know.
type Standing struct {
	Selected bool // a selection of children is published
	Parts    int  // parts of the tracked children's joint audits
	PartsIn  int  // of those, submitted
	Today    Date
}

// CheckMove returns nil when an inspection in state from may make move m,
// standing as st; otherwise an error that says what is missing: ECONFLICT
// for a move the workflow does not allow now, EINVALID for a missing
// reason. The state machine itself is CheckTransition's.
func CheckMove(from Status, m Move, st Standing) error {
	if err := CheckTransition(from, m.To, m.Reason); err != nil {
		return err
	}
	reason := strings.TrimSpace(m.Reason)
	switch m.To {
	case StatusChildrenSelected:
		if m.Via != ViaSelection {
			return Errorf(ECONFLICT, "Children are selected by publishing a selection: screen the lists, then choose and publish the children on the selection page")
		}
	case StatusAuditsReturned:
		if m.Via == ViaAudits || st.Parts > 0 && st.PartsIn == st.Parts {
			break
		}
		if !st.Selected {
			return Errorf(ECONFLICT, "No children are selected yet, so there are no joint audits to return")
		}
		if reason == "" {
			return Invalid(FieldError{Field: "reason", Message: fmt.Sprintf("%d of %d %s of the joint audits %s in: enter why the inspection goes ahead without the rest",
				st.PartsIn, st.Parts, plural(st.Parts, "part", "parts"), plural(st.PartsIn, "is", "are"))})
		}
	case StatusOnsite:
		if m.OnsiteStart.IsZero() {
			return Errorf(ECONFLICT, "The inspection's timetable has no onsite week, so onsite cannot start")
		}
		if st.Today.Before(m.OnsiteStart.Time) || !m.OnsiteLast.IsZero() && st.Today.After(m.OnsiteLast.Time) {
			return Errorf(ECONFLICT, "Onsite fieldwork is in the week of %s to %s: the inspection can move to onsite only then", m.OnsiteStart.Long(), m.OnsiteLast.Long())
		}
	case StatusPublished:
		if m.Via != ViaPublication {
			return Errorf(ECONFLICT, "The letter is published through its publication step, once it has passed the publication checks, not from the status page")
		}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Ended reports whether an inspection in state s is over: closed or
// withdrawn. An ended inspection is read-only.
func (s Status) Ended() bool { return s == StatusClosed || s == StatusWithdrawn }

// CheckWritable returns nil when an inspection in state s may still be
// changed, and an ECONFLICT error that says why not when it has ended.
func CheckWritable(s Status) error {
	if s.Ended() {
		return Errorf(ECONFLICT, "This inspection is %s: it can be read but no longer changed", strings.ToLower(s.Label()))
	}
	return nil
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
	// TransitionInspection makes move m, checked by CheckMove against the
	// inspection's current state and standing; by names the actor. A
	// refused move is logged too.
	TransitionInspection(ctx context.Context, inspectionID int64, m Move, by *AccessEntry) (*Transition, error)
	// ListTransitions returns an inspection's moves, oldest first.
	ListTransitions(ctx context.Context, inspectionID int64) ([]*Transition, error)
}
