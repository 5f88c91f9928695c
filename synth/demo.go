package synth

import (
	"context"
	"fmt"
	"strings"

	"jtai"
	"jtai/calendar"
)

// DemoStore is what seeding a demo needs of storage.
type DemoStore interface {
	jtai.AreaService
	jtai.UserService
	jtai.InspectionService
	jtai.ChildService
	DemoInvitations
	DemoLists
}

// DemoInvitations is what the demo's nominated contacts need of storage.
type DemoInvitations interface {
	CreateInvitation(ctx context.Context, inv *jtai.Invitation, link jtai.NewInvitationLink, actor *jtai.AccessEntry) error
	ListInvitations(ctx context.Context, inspectionID int64) ([]*jtai.Invitation, error)
	RecordNotification(ctx context.Context, inspectionID int64, link jtai.NewInvitationLink, actor *jtai.AccessEntry) (*jtai.Notification, error)
	FindNotification(ctx context.Context, inspectionID int64) (*jtai.Notification, error)
}

// Demo is what SeedDemo made: an invented area with its partnership, a
// second area to show that each sees only its own, one account per role and
// an inspection under the domestic-abuse theme.
type Demo struct {
	Area, OtherArea             *jtai.Area
	Agencies                    []*jtai.Agency
	Inspection, OtherInspection *jtai.Inspection
	Users                       []*jtai.User      // one per role, in jtai.Roles order
	Passwords                   map[string]string // email -> password, set afresh on every run
}

// User returns the demo account of a role.
func (d *Demo) User(r jtai.Role) *jtai.User {
	for _, u := range d.Users {
		if u.Role == r {
			return u
		}
	}
	return nil
}

// DemoTheme is the theme of the demo's inspections.
const DemoTheme = "domestic-abuse-2024"

// DemoOptions sizes the demo.
type DemoOptions struct {
	Children   int                          // children on the demo inspection's lists
	NotifiedOn jtai.Date                    // the notification Monday
	Hash       func(string) (string, error) // password hashing
	Password   func() string                // new passwords
}

type demoAccount struct {
	email, name  string
	role         jtai.Role
	inspectorate jtai.Inspectorate
	agency       int // index into the agencies, -1 for none
	other        bool
}

// The invented area. LA code 990 and this ONS code belong to no real
// authority.
var (
	demoArea  = jtai.Area{Name: "Eastmere", LACode: DemoLACode, ONSCode: "E06000990"}
	otherArea = jtai.Area{Name: "Westholm", LACode: "989", ONSCode: "E06000989"}
	agencies  = []struct {
		kind jtai.AgencyKind
		name string
	}{
		{jtai.AgencySocialCare, "Eastmere Council children's social care"},
		{jtai.AgencyPolice, "Eastmere Police"},
		{jtai.AgencyHealth, "Eastmere Integrated Care Board"},
		{jtai.AgencyProbation, "Eastmere Probation Delivery Unit"},
		{jtai.AgencyEducation, "Eastmere schools and early years"},
	}
	accounts = []demoAccount{
		{"admin@example.org", "Ada Quillfeather", jtai.RoleAdministrator, "", -1, false},
		{"lead@example.org", "Lena Ambervale", jtai.RoleLeadInspector, jtai.Ofsted, -1, false},
		{"inspector@example.org", "Ivo Brackenmoor", jtai.RoleInspector, jtai.CQC, -1, false},
		{"coordinator@example.org", "Cora Dunhollow", jtai.RoleCoordinator, "", -1, false},
		{"auditor@example.org", "Abe Eastwhistle", jtai.RoleAgencyAuditor, "", 1, false},
	}
)

// isDemoAccount reports whether email is one of the accounts the demo makes.
func isDemoAccount(email string) bool {
	for _, a := range accounts {
		if a.email == email {
			return true
		}
	}
	return false
}

// OnlyDemo checks that st holds nothing the demo did not make: no area but
// its two, and no account but its own and those made by accepting its
// invitations. The demo prints passwords and shows one-time codes and
// invitation links, so it must never run on a database with real data.
func OnlyDemo(ctx context.Context, st DemoStore) error {
	refuse := func(what string) error {
		return jtai.Errorf(jtai.ECONFLICT, "This database holds %s the demo did not make, so the demo will not run on it. Give the demo a database of its own with --db", what)
	}
	areas, err := st.ListAreas(ctx)
	if err != nil {
		return err
	}
	invited := map[string]bool{}
	for _, a := range areas {
		if a.LACode != demoArea.LACode && a.LACode != otherArea.LACode {
			return refuse(fmt.Sprintf("an area (%s, LA code %s)", a.Name, a.LACode))
		}
		inspections, err := st.ListInspections(ctx, jtai.InspectionFilter{AreaID: a.ID})
		if err != nil {
			return err
		}
		for _, in := range inspections {
			invs, err := st.ListInvitations(ctx, in.ID)
			if err != nil {
				return err
			}
			for _, inv := range invs {
				if inv.AcceptedAt != nil {
					invited[strings.ToLower(inv.Email)] = true
				}
			}
		}
	}
	users, err := st.ListUsers(ctx, jtai.UserFilter{})
	if err != nil {
		return err
	}
	// A database that holds the demo's own accounts, and no area but its
	// own, is the demo's: an account made in it since (on the accounts
	// page, say) is the demo user's, and running again leaves it alone.
	// Accounts without the demo's are someone's real data.
	for _, u := range users {
		if isDemoAccount(u.Email) {
			return nil
		}
	}
	for _, u := range users {
		if !invited[strings.ToLower(u.Email)] {
			return refuse(fmt.Sprintf("accounts (%s, and perhaps others)", u.Email))
		}
	}
	return nil
}

// SeedDemo creates the demo, or refreshes it when it exists: running it
// twice is safe, and every run sets new passwords and prints them.
func SeedDemo(ctx context.Context, st DemoStore, opt DemoOptions) (*Demo, error) {
	d := &Demo{Passwords: map[string]string{}}
	var err error
	if d.Area, err = ensureArea(ctx, st, demoArea); err != nil {
		return nil, err
	}
	if d.OtherArea, err = ensureArea(ctx, st, otherArea); err != nil {
		return nil, err
	}
	if d.Agencies, err = st.ListAgencies(ctx, d.Area.ID); err != nil {
		return nil, err
	}
	if len(d.Agencies) == 0 {
		for _, a := range agencies {
			ag := &jtai.Agency{AreaID: d.Area.ID, Kind: a.kind, Name: a.name}
			if err := st.CreateAgency(ctx, ag); err != nil {
				return nil, err
			}
			d.Agencies = append(d.Agencies, ag)
		}
	}
	for _, a := range accounts {
		u, err := ensureUser(ctx, st, d, a, opt)
		if err != nil {
			return nil, err
		}
		d.Users = append(d.Users, u)
	}
	if d.Inspection, err = ensureInspection(ctx, st, d.Area.ID, opt.NotifiedOn); err != nil {
		return nil, err
	}
	if d.OtherInspection, err = ensureInspection(ctx, st, d.OtherArea.ID, mondayBefore(opt.NotifiedOn)); err != nil {
		return nil, err
	}
	for _, r := range []jtai.Role{jtai.RoleLeadInspector, jtai.RoleInspector} {
		if err := st.AddTeamMember(ctx, d.Inspection.ID, d.User(r).ID); err != nil && !jtai.IsKind(err, jtai.ECONFLICT) {
			return nil, err
		}
	}
	if err := seedContacts(ctx, st, d); err != nil {
		return nil, fmt.Errorf("demo contacts: %w", err)
	}
	n, err := st.CountChildren(ctx, d.Inspection.ID)
	if err != nil {
		return nil, err
	}
	if n == 0 && opt.Children > 0 {
		if err := importDemoLists(ctx, st, d, opt.Children, opt.NotifiedOn); err != nil {
			return nil, fmt.Errorf("demo lists: %w", err)
		}
	}
	return d, nil
}

func ensureArea(ctx context.Context, st DemoStore, a jtai.Area) (*jtai.Area, error) {
	got, err := st.FindAreaByLACode(ctx, a.LACode)
	if err == nil {
		return got, nil
	}
	if !jtai.IsKind(err, jtai.ENOTFOUND) {
		return nil, err
	}
	return &a, st.CreateArea(ctx, &a)
}

func ensureUser(ctx context.Context, st DemoStore, d *Demo, a demoAccount, opt DemoOptions) (*jtai.User, error) {
	pw := opt.Password()
	hash, err := opt.Hash(pw)
	if err != nil {
		return nil, err
	}
	d.Passwords[a.email] = pw
	u, err := st.FindUserByEmail(ctx, a.email)
	if err == nil {
		if err := st.SetUserPassword(ctx, u.ID, hash); err != nil {
			return nil, err
		}
		if u.Disabled {
			if err := st.SetUserDisabled(ctx, u.ID, false, nil); err != nil {
				return nil, err
			}
		}
		return u, nil
	}
	if !jtai.IsKind(err, jtai.ENOTFOUND) {
		return nil, err
	}
	u = &jtai.User{Email: a.email, Name: a.name, Role: a.role, Inspectorate: a.inspectorate, PasswordHash: hash}
	if a.role == jtai.RoleCoordinator || a.role == jtai.RoleAgencyAuditor {
		u.AreaID = d.Area.ID
	}
	if a.agency >= 0 {
		u.AgencyID = d.Agencies[a.agency].ID
	}
	return u, st.CreateUser(ctx, u, nil)
}

// mondayBefore is the working Monday a week or more before d: the other
// area's inspection is notified then, never on a bank holiday.
func mondayBefore(d jtai.Date) jtai.Date {
	d = jtai.Date{Time: d.AddDate(0, 0, -7)}
	for !calendar.IsWorkingDay(d) {
		d = jtai.Date{Time: d.AddDate(0, 0, -7)}
	}
	return d
}

func ensureInspection(ctx context.Context, st DemoStore, areaID int64, notified jtai.Date) (*jtai.Inspection, error) {
	list, err := st.ListInspections(ctx, jtai.InspectionFilter{AreaID: areaID})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	in := &jtai.Inspection{AreaID: areaID, ThemeID: DemoTheme, NotifiedOn: notified, Status: jtai.StatusInformationRequested}
	return in, st.CreateInspection(ctx, in)
}

// demoContactAgencies are the agencies whose nominated contacts the demo
// enters: the agencies with no demo account, so that the invitations page
// has something to show and the coordinator's and police's contacts are
// left for people trying the demo to enter.
var demoContactAgencies = []jtai.AgencyKind{jtai.AgencyHealth, jtai.AgencyProbation}

// seedContacts enters a nominated contact for each of
// demoContactAgencies on the demo inspection, invented by the synthetic
// generator and at example domains, unless the inspection has contacts
// already. Before the notification is recorded they are not sent yet.
func seedContacts(ctx context.Context, st DemoStore, d *Demo) error {
	have, err := st.ListInvitations(ctx, d.Inspection.ID)
	if err != nil || len(have) > 0 {
		return err
	}
	if _, err := st.FindNotification(ctx, d.Inspection.ID); !jtai.IsKind(err, jtai.ENOTFOUND) {
		return err // recorded already: contacts entered now would go at once
	}
	g := New(uint64(d.Inspection.ID) + 7)
	lead := d.User(jtai.RoleLeadInspector)
	by := &jtai.AccessEntry{ActorID: lead.ID, Actor: lead.Email, ActorName: lead.Name}
	for _, kind := range demoContactAgencies {
		for _, a := range d.Agencies {
			if a.Kind != kind {
				continue
			}
			given, family := g.GivenName(), g.FamilyName()
			inv := &jtai.Invitation{InspectionID: d.Inspection.ID, AgencyID: a.ID, Name: given + " " + family, Role: jtai.RoleAgencyAuditor, InvitedBy: lead.Email,
				Email: strings.ToLower(given+"."+family) + "@" + string(kind) + ".example"}
			if err := st.CreateInvitation(ctx, inv, nil, by); err != nil {
				return err
			}
		}
	}
	return nil
}

// NotifyDemo records the demo inspection's notification, unless it is
// recorded already, so that the demo's contacts' invitations wait in the
// outbox; link makes their links to the running demo.
func NotifyDemo(ctx context.Context, st DemoStore, d *Demo, link jtai.NewInvitationLink) error {
	lead := d.User(jtai.RoleLeadInspector)
	_, err := st.RecordNotification(ctx, d.Inspection.ID, link, &jtai.AccessEntry{ActorID: lead.ID, Actor: lead.Email, ActorName: lead.Name})
	if jtai.IsKind(err, jtai.ECONFLICT) {
		return nil
	}
	return err
}
