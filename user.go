package jtai

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Role is what a user does in jtai. The authorization policy (package authz)
// decides what each role may do.
type Role string

// The roles.
const (
	RoleAdministrator Role = "administrator"           // accounts only, never case data
	RoleLeadInspector Role = "lead-inspector"          // leads an inspection
	RoleInspector     Role = "inspector"               // one inspectorate's inspector
	RoleCoordinator   Role = "partnership-coordinator" // the area's coordinator
	RoleAgencyAuditor Role = "agency-auditor"          // answers one agency's part of joint audits
)

// Roles lists every role.
var Roles = []Role{RoleAdministrator, RoleLeadInspector, RoleInspector, RoleCoordinator, RoleAgencyAuditor}

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleAdministrator:
		return "Administrator"
	case RoleLeadInspector:
		return "Lead inspector"
	case RoleInspector:
		return "Inspector"
	case RoleCoordinator:
		return "Partnership coordinator"
	case RoleAgencyAuditor:
		return "Agency auditor"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// NeedsSecondFactor reports whether users of this role must sign in with a
// one-time code as well as a password: every role that can see a child's
// record (the partnership's included) and the administrator, who manages
// the accounts that can.
func (r Role) NeedsSecondFactor() bool {
	return r.Valid()
}

// NeedsSecondFactor reports whether u must give a one-time code at sign-in:
// when the role needs one, when the account was made through an invitation
// (which sets one up), and whenever the account has one set up.
func (u *User) NeedsSecondFactor() bool {
	return u.Role.NeedsSecondFactor() || u.RequiresSecondFactor || u.TOTPSecret != ""
}

// IsInspector reports whether the role belongs to an inspectorate.
func (r Role) IsInspector() bool { return r == RoleLeadInspector || r == RoleInspector }

// User is a person who signs in.
type User struct {
	ID           int64        `json:"id"`
	Email        string       `json:"email"`
	Name         string       `json:"name"`
	Role         Role         `json:"role"`
	Inspectorate Inspectorate `json:"inspectorate,omitempty"` // inspectors only
	AreaID       int64        `json:"area_id,omitempty"`      // partnership users only
	AgencyID     int64        `json:"agency_id,omitempty"`    // agency auditors only
	Disabled     bool         `json:"disabled"`
	CreatedAt    time.Time    `json:"created_at"`

	PasswordHash string `json:"-"`
	TOTPSecret   string `json:"-"` // empty until the user sets up a second factor
	TOTPLastStep int64  `json:"-"` // last accepted time step, so a code is never accepted twice
	// RequiresSecondFactor asks for a one-time code at sign-in whatever the
	// role: set on accounts made through an invitation.
	RequiresSecondFactor bool `json:"requires_second_factor,omitempty"`
}

// Validate checks the user's fields for their role.
func (u *User) Validate() error {
	var fields []FieldError
	u.Email = NormalizeEmail(u.Email)
	if fe := checkEmail(u.Email); fe != nil {
		fields = append(fields, *fe)
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		fields = append(fields, FieldError{"email", "Enter an email address in the correct format, like name@example.org"})
	}
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		fields = append(fields, FieldError{"name", "Enter the person's full name"})
	} else if fe := CheckText("name", "Full name", u.Name, MaxName, false); fe != nil {
		fields = append(fields, *fe)
	}
	if !u.Role.Valid() {
		fields = append(fields, FieldError{"role", "Select a role"})
	}
	if u.Role.IsInspector() && !u.Inspectorate.Valid() {
		fields = append(fields, FieldError{"inspectorate", "Select the inspector's inspectorate"})
	}
	if !u.Role.IsInspector() && u.Inspectorate != "" {
		fields = append(fields, FieldError{"inspectorate", "Only inspectors belong to an inspectorate"})
	}
	if (u.Role == RoleCoordinator || u.Role == RoleAgencyAuditor) && u.AreaID == 0 {
		fields = append(fields, FieldError{"area", "Select the user's local area"})
	}
	if u.Role == RoleAgencyAuditor && u.AgencyID == 0 {
		fields = append(fields, FieldError{"agency", "Select the auditor's agency"})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

// UserFilter narrows a user listing.
type UserFilter struct {
	AreaID int64
	Role   Role
}

// UserService stores users.
type UserService interface {
	// CreateUser adds an account and, when by is not nil, its entry in the
	// access log, in one transaction.
	CreateUser(ctx context.Context, u *User, by *AccessEntry) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	ListUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// SetUserDisabled disables an account, ending its sessions, or enables
	// it; when by is not nil its access-log entry lands in the same
	// transaction.
	SetUserDisabled(ctx context.Context, id int64, disabled bool, by *AccessEntry) error
	SetUserPassword(ctx context.Context, id int64, hash string) error
	SetUserTOTP(ctx context.Context, id int64, secret string, lastStep int64) error
	// AcceptTOTPStep records step as used, failing with ECONFLICT when a
	// step at or after it was already accepted (a replayed code).
	AcceptTOTPStep(ctx context.Context, id int64, step int64) error
}
