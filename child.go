package jtai

import "context"

// Child is a child on an inspection's lists. Everything but the identifiers
// of the row is personal data: the store seals it under the inspection's
// data key and never writes it in plaintext.
type Child struct {
	ID           int64 `json:"id"`
	InspectionID int64 `json:"inspection_id"`

	// Personal fields (encrypted at rest).
	LAChildID    string `json:"la_child_id"` // the local authority's identifier
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	DateOfBirth  *Date  `json:"date_of_birth,omitempty"`
	ExpectedDate *Date  `json:"expected_date_of_birth,omitempty"` // unborn
	DateOfDeath  *Date  `json:"date_of_death,omitempty"`          // the CIN census's PersonDeathDate
	Gender       string `json:"gender,omitempty"`
	Ethnicity    string `json:"ethnicity,omitempty"`
	Postcode     string `json:"postcode,omitempty"`

	Facts ChildFacts `json:"facts"`

	// OffLists: no list names the child any more. A child is kept so only
	// when it was selected (its selection and joint audit refer to it); its
	// record is as the lists last gave it.
	OffLists bool `json:"off_lists,omitempty"`
}

// Died reports whether the lists give a date of death: such a child is
// never in scope and never selected.
func (c *Child) Died() bool { return c.DateOfDeath != nil }

// Named reports whether the lists gave the child a name; the official
// layouts do not.
func (c *Child) Named() bool { return c.FirstName != "" || c.LastName != "" }

// FullName is the child's name as shown to people allowed to see it. The
// lists in the official layouts carry no names, only the local authority's
// identifier: a child known by it alone is shown by it, so that children
// in a list of them can be told apart.
func (c *Child) FullName() string {
	switch {
	case c.FirstName == "" && c.LastName == "" && c.LAChildID != "":
		return "Child " + c.LAChildID
	case c.FirstName == "" && c.LastName == "":
		return "Unnamed child"
	case c.LastName == "":
		return c.FirstName
	case c.FirstName == "":
		return c.LastName
	}
	return c.FirstName + " " + c.LastName
}

// ChildService stores an inspection's children. It opens none: a child's
// record is read only through the guarded service (package guard), whose
// reads ask the policy and write the access log first.
type ChildService interface {
	CreateChildren(ctx context.Context, inspectionID int64, children []*Child) error
	CountChildren(ctx context.Context, inspectionID int64) (int, error)
}
