package jtai

import (
	"context"
	"fmt"
	"time"
)

// Status is where an inspection is in its lifecycle (DOMAIN.md, "Timetable").
type Status string

// The lifecycle states, in order.
const (
	StatusNotified             Status = "notified"
	StatusInformationRequested Status = "information-requested"
	StatusChildrenSelected     Status = "children-selected"
	StatusAuditsReturned       Status = "audits-returned"
	StatusOnsite               Status = "onsite"
	StatusDrafting             Status = "drafting"
	StatusFactualAccuracy      Status = "factual-accuracy"
	StatusPublished            Status = "published"
	StatusActionStatementDue   Status = "action-statement-due"
	StatusClosed               Status = "closed"
	StatusWithdrawn            Status = "withdrawn"
)

// Label is the status for people.
func (s Status) Label() string {
	switch s {
	case StatusNotified:
		return "Notified"
	case StatusInformationRequested:
		return "Information requested"
	case StatusChildrenSelected:
		return "Children selected"
	case StatusAuditsReturned:
		return "Audits returned"
	case StatusOnsite:
		return "Onsite"
	case StatusDrafting:
		return "Drafting"
	case StatusFactualAccuracy:
		return "Factual accuracy check"
	case StatusPublished:
		return "Published"
	case StatusActionStatementDue:
		return "Action statement due"
	case StatusClosed:
		return "Closed"
	case StatusWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// Date is a calendar date with no time of day, as inspections count them.
type Date struct{ time.Time }

// DateLayout is how dates are written in the CLI, the API and the database.
const DateLayout = "2006-01-02"

// ParseDate reads a date in DateLayout.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// NewDate returns the date of y, m, d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

func (d Date) String() string { return d.Format(DateLayout) }

// Long is the date as GOV.UK writes it: 4 March 2024.
func (d Date) Long() string { return d.Format("2 January 2006") }

// MarshalText writes the date in DateLayout.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MarshalJSON writes the date as a JSON string in DateLayout. Without it
// the embedded time.Time's method would write a timestamp.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads a JSON string in DateLayout.
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date %s: want a string like \"2026-03-02\"", b)
	}
	return d.UnmarshalText(b[1 : len(b)-1])
}

// UnmarshalText reads a date in DateLayout.
func (d *Date) UnmarshalText(b []byte) error {
	x, err := ParseDate(string(b))
	*d = x
	return err
}

// Inspection is one JTAI of one area under one theme.
type Inspection struct {
	ID         int64     `json:"id"`
	AreaID     int64     `json:"area_id"`
	ThemeID    string    `json:"theme_id"`
	NotifiedOn Date      `json:"notified_on"`
	Status     Status    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`

	Area *Area `json:"area,omitempty"` // filled by the store on reads
}

// InspectionFilter narrows an inspection listing. Zero fields do not filter.
type InspectionFilter struct {
	AreaID   int64
	MemberID int64 // inspections this user is on the team of
}

// InspectionService stores inspections and their teams.
type InspectionService interface {
	CreateInspection(ctx context.Context, in *Inspection) error
	FindInspectionByID(ctx context.Context, id int64) (*Inspection, error)
	ListInspections(ctx context.Context, f InspectionFilter) ([]*Inspection, error)
	AddTeamMember(ctx context.Context, inspectionID, userID int64) error
	ListTeam(ctx context.Context, inspectionID int64) ([]*User, error)
	// TeamInspectionIDs lists the inspections a user is on the team of.
	TeamInspectionIDs(ctx context.Context, userID int64) ([]int64, error)
}
