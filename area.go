package jtai

import (
	"context"
	"regexp"
)

// Area is a local area: a local authority, known by its three-digit DfE LA
// code and its ONS code, and the partnership of agencies around it.
type Area struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	LACode  string `json:"la_code"`  // DfE code, e.g. "380" for Bradford
	ONSCode string `json:"ons_code"` // e.g. "E08000032"
}

var (
	laCodePattern  = regexp.MustCompile(`^[0-9]{3}$`)
	onsCodePattern = regexp.MustCompile(`^[EW][0-9]{8}$`)
)

// Validate checks an area's codes.
func (a *Area) Validate() error {
	var fields []FieldError
	if a.Name == "" {
		fields = append(fields, FieldError{"name", "Enter the area's name"})
	}
	if !laCodePattern.MatchString(a.LACode) {
		fields = append(fields, FieldError{"la_code", "Enter the DfE local authority code as three digits, like 380"})
	}
	if a.ONSCode != "" && !onsCodePattern.MatchString(a.ONSCode) {
		fields = append(fields, FieldError{"ons_code", "Enter the ONS code as a letter and eight digits, like E08000032"})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

// AgencyKind is the kind of partner agency.
type AgencyKind string

// The partner agencies of a local area.
const (
	AgencySocialCare AgencyKind = "childrens-social-care"
	AgencyPolice     AgencyKind = "police"
	AgencyHealth     AgencyKind = "health"
	AgencyProbation  AgencyKind = "probation"
	AgencyEducation  AgencyKind = "education"
)

// AgencyKinds lists every kind, in display order.
var AgencyKinds = []AgencyKind{AgencySocialCare, AgencyPolice, AgencyHealth, AgencyProbation, AgencyEducation}

// Label is the kind's name for people.
func (k AgencyKind) Label() string {
	switch k {
	case AgencySocialCare:
		return "Children's social care"
	case AgencyPolice:
		return "Police"
	case AgencyHealth:
		return "Health"
	case AgencyProbation:
		return "Probation"
	case AgencyEducation:
		return "Education"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k AgencyKind) Valid() bool {
	for _, x := range AgencyKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Agency is one partner in an area's partnership.
type Agency struct {
	ID     int64      `json:"id"`
	AreaID int64      `json:"area_id"`
	Kind   AgencyKind `json:"kind"`
	Name   string     `json:"name"`
}

// Inspectorate is one of the four inspectorates that carry out JTAIs.
type Inspectorate string

// The inspectorates.
const (
	Ofsted  Inspectorate = "ofsted"
	CQC     Inspectorate = "cqc"
	HMICFRS Inspectorate = "hmicfrs"
	HMIP    Inspectorate = "hmip"
)

// Inspectorates lists them, lead first.
var Inspectorates = []Inspectorate{Ofsted, CQC, HMICFRS, HMIP}

// Label is the inspectorate's name.
func (i Inspectorate) Label() string {
	switch i {
	case Ofsted:
		return "Ofsted"
	case CQC:
		return "Care Quality Commission"
	case HMICFRS:
		return "HM Inspectorate of Constabulary and Fire & Rescue Services"
	case HMIP:
		return "HM Inspectorate of Probation"
	}
	return string(i)
}

// Valid reports whether i is one of the four.
func (i Inspectorate) Valid() bool {
	for _, x := range Inspectorates {
		if x == i {
			return true
		}
	}
	return false
}

// AreaService stores areas and their agencies.
type AreaService interface {
	CreateArea(ctx context.Context, a *Area) error
	FindAreaByID(ctx context.Context, id int64) (*Area, error)
	FindAreaByLACode(ctx context.Context, code string) (*Area, error)
	ListAreas(ctx context.Context) ([]*Area, error)
	CreateAgency(ctx context.Context, a *Agency) error
	ListAgencies(ctx context.Context, areaID int64) ([]*Agency, error)
}
