// Package authz is jtai's one authorization policy. Every page and API
// handler asks Can before it reads or changes anything, and the listing of
// inspections is narrowed by Filter. The policy is a pure function of who
// asks, what they want to do, and where the resource sits (area,
// inspection, agency); it does no I/O and never looks at personal data.
//
// What a subject may not even know exists is "not found" to them, never
// "forbidden" (see STYLE.md): another area's inspection, a child not
// selected for an auditor's agency.
package authz

import (
	"slices"

	"jtai"
)

// Action is something a subject wants to do.
type Action string

// The actions. New capabilities add actions here and rows to the matrix test.
const (
	ManageAccounts     Action = "account.manage"    // create, list, disable accounts
	ListInspections    Action = "inspection.list"   // see a list of inspections
	CreateInspection   Action = "inspection.create" // record a notification
	ViewInspection     Action = "inspection.view"   // an inspection's page, its timetable and counts
	UpdateInspection   Action = "inspection.update" // status, team
	ListChildren       Action = "child.list"        // the children of an inspection, with names
	ViewChild          Action = "child.view"        // one child's record
	ImportLists        Action = "list.import"       // upload children's lists
	ScreenChildren     Action = "child.screen"      // run scope screening, see its results
	SelectChildren     Action = "child.select"      // choose children for case tracking and sampling, add or remove one
	ViewAudit          Action = "audit.view"        // read a selected child's joint audit (an auditor: through its own agency only)
	ReadAuditAnswers   Action = "audit.read"        // read one part's answers (Resource.Part says which)
	EditAuditPart      Action = "audit.edit"        // answer one agency's part of a joint audit
	SubmitAudit        Action = "audit.submit"      // the partnership's summary, and submitting the audits to the inspectors
	UploadDocument     Action = "document.upload"   // upload a strategic document
	ViewDocument       Action = "document.view"     // read the area's strategic documents
	SendInvitations    Action = "invitation.send"   // enter the partnership's nominated contacts, invite them, send an invitation again
	RevokeInvitation   Action = "invitation.revoke" // withdraw an invitation: its link stops working
	RecordNotification Action = "inspection.notify" // record that the partnership was notified, sending the invitations
	DecideScreening    Action = "screening.decide"  // decide whether a child screening put in needs review is in scope or out, with a reason
	IssueToken         Action = "token.issue"       // issue oneself an API token: never an administrator, nor for another account
	ViewEvidence       Action = "evidence.view"     // read the inspection's evidence records (the inspection team only)
	RecordEvidence     Action = "evidence.record"   // write an evidence record (the inspection team only)
)

// Actions lists every action, for the matrix test.
var Actions = []Action{ManageAccounts, ListInspections, CreateInspection, ViewInspection, UpdateInspection, ListChildren, ViewChild, ImportLists, ScreenChildren, SelectChildren,
	ViewAudit, ReadAuditAnswers, EditAuditPart, SubmitAudit, UploadDocument, ViewDocument, SendInvitations, RevokeInvitation, RecordNotification, DecideScreening, IssueToken,
	ViewEvidence, RecordEvidence}

// Subject is who asks: a signed-in user and the inspections they are on.
type Subject struct {
	UserID       int64
	Email        string
	Role         jtai.Role
	Inspectorate jtai.Inspectorate
	AreaID       int64
	AgencyID     int64
	Team         []int64 // inspections the user is on the team of (inspectors only)
	// Address is where the request came from, for the access log.
	Address string
	// console names the operator of a console command; see Console.
	console string
}

// roleConsole is the role of the console's operator, who holds the master
// key and the database already: no signed-in user has it.
const roleConsole jtai.Role = "console"

// consoleActions are what console commands do with personal data: read the
// lists to screen and sample them, and publish a selection.
var consoleActions = []Action{ViewInspection, ListChildren, ScreenChildren, SelectChildren, UpdateInspection}

// Console is the subject of a console command run by the named operator
// (the system's user name). The access log names it "console:" + user.
// Only cmd/jtai makes one (the bypass test holds it to that).
func Console(user string) *Subject {
	if user == "" {
		user = "unknown"
	}
	return &Subject{Role: roleConsole, console: user}
}

// NewSubject makes the subject for u, on the teams of the given inspections.
func NewSubject(u *jtai.User, team []int64) *Subject {
	return &Subject{UserID: u.ID, Email: u.Email, Role: u.Role, Inspectorate: u.Inspectorate, AreaID: u.AreaID, AgencyID: u.AgencyID, Team: team}
}

// Resource is where the thing acted on sits. Zero fields are "not
// applicable": an account action has no area.
type Resource struct {
	AreaID       int64
	InspectionID int64
	// AuditAgencies are the agencies whose part of a joint audit covers the
	// child; an agency auditor sees a child only through one of them.
	AuditAgencies []int64
	// Part is the one part of a child's joint audit acted on, for reading
	// its answers or editing it; nil for the audit as a whole.
	Part *Part
	// Document is the one document acted on; nil for the documents as a
	// whole.
	Document *Document
}

// Document is who supplied one strategic document.
type Document struct {
	AgencyID int64 // 0: the partnership's own
}

// Part is where one part of a child's joint audit stands.
type Part struct {
	AgencyID int64 // the agency answering it; 0 for the partnership's own part
	// Submitted: this part is submitted. AuditSubmitted: every part of the
	// child's audit is, so the inspectors may read it.
	Submitted, AuditSubmitted bool
}

func notFound() error { return jtai.Errorf(jtai.ENOTFOUND, "Page not found") }

func forbidden() error {
	return jtai.Errorf(jtai.EFORBIDDEN, "You do not have permission to do this.")
}

// allowed are the actions each role may take on what it sees.
var allowed = map[jtai.Role][]Action{
	jtai.RoleLeadInspector: {ViewInspection, UpdateInspection, ListChildren, ViewChild, ImportLists, ScreenChildren, SelectChildren, ViewAudit, ViewDocument, SendInvitations, RevokeInvitation, RecordNotification, DecideScreening, IssueToken, ViewEvidence, RecordEvidence},
	jtai.RoleInspector:     {ViewInspection, ListChildren, ViewChild, ImportLists, ScreenChildren, SelectChildren, ViewAudit, ViewDocument, DecideScreening, ViewEvidence, RecordEvidence},
	jtai.RoleCoordinator:   {ViewInspection, ListChildren, ViewChild, ImportLists, ViewAudit, SubmitAudit, UploadDocument, ViewDocument},
	jtai.RoleAgencyAuditor: {ViewInspection, UploadDocument, ViewDocument},
}

// Can returns nil when s may do a to r, and otherwise an error of kind
// ENOTFOUND (s may not know r exists) or EFORBIDDEN.
func Can(s *Subject, a Action, r Resource) error {
	if s == nil {
		return jtai.Errorf(jtai.EUNAUTHORIZED, "Sign in to continue")
	}
	if s.Role == roleConsole {
		if slices.Contains(consoleActions, a) {
			return nil
		}
		return forbidden()
	}
	if s.Role == jtai.RoleAdministrator {
		// Accounts only: an administrator never sees case data, not even
		// that an inspection exists.
		switch a {
		case ManageAccounts:
			return nil
		case ListInspections, CreateInspection, IssueToken:
			return forbidden()
		}
		return notFound()
	}
	if a == ManageAccounts {
		return forbidden()
	}
	if a == IssueToken {
		return nil // the subject's own token, for its own account only
	}
	if a == ListInspections {
		return nil // narrowed by Filter
	}
	if a == CreateInspection {
		if s.Role == jtai.RoleLeadInspector {
			return nil
		}
		return forbidden()
	}
	if !sees(s, r) {
		return notFound()
	}
	switch a {
	case ReadAuditAnswers:
		return readsPart(s, r)
	case EditAuditPart:
		return editsPart(s, r)
	case SubmitAudit:
		if r.Part != nil && r.Part.AgencyID != 0 {
			return forbidden() // an agency's part is submitted by its auditor, not as the partnership's
		}
	case ViewEvidence, RecordEvidence:
		if !s.Role.IsInspector() {
			return notFound() // the inspectors' evidence does not exist for the partnership or an agency
		}
	case ViewDocument, UploadDocument:
		if s.Role == jtai.RoleAgencyAuditor && r.Document != nil && r.Document.AgencyID != s.AgencyID {
			return notFound() // another agency's documents do not exist for an auditor
		}
	}
	if slices.Contains(allowed[s.Role], a) {
		return nil
	}
	if s.Role == jtai.RoleAgencyAuditor && (a == ViewChild || a == ViewAudit) {
		if slices.Contains(r.AuditAgencies, s.AgencyID) {
			return nil
		}
		return notFound() // a child not selected for this agency does not exist for it
	}
	return forbidden()
}

// readsPart decides who reads one part's answers: an auditor its own
// agency's, the coordinator the partnership's parts, its own agency's and
// any submitted part, inspectors a child's audit once all of it is
// submitted to them.
func readsPart(s *Subject, r Resource) error {
	if s.Role == jtai.RoleAgencyAuditor && !slices.Contains(r.AuditAgencies, s.AgencyID) {
		return notFound()
	}
	p := r.Part
	if p == nil {
		return forbidden()
	}
	switch s.Role {
	case jtai.RoleAgencyAuditor:
		if p.AgencyID == s.AgencyID {
			return nil
		}
		return notFound() // another agency's part does not exist for an auditor
	case jtai.RoleCoordinator:
		if p.AgencyID == 0 || p.Submitted || (s.AgencyID != 0 && p.AgencyID == s.AgencyID) {
			return nil
		}
	case jtai.RoleLeadInspector, jtai.RoleInspector:
		if p.AuditSubmitted {
			return nil
		}
	}
	return forbidden()
}

// editsPart decides who answers an agency's part: that agency's auditor,
// or the coordinator when it is the coordinator's own agency. Without a
// Part it is whether s answers any part of the child's audit.
func editsPart(s *Subject, r Resource) error {
	switch s.Role {
	case jtai.RoleAgencyAuditor:
		if !slices.Contains(r.AuditAgencies, s.AgencyID) {
			return notFound() // a child not selected for this agency does not exist for it
		}
	case jtai.RoleCoordinator:
		// The coordinator is also their own agency's nominated contact,
		// and answers that agency's part.
		if s.AgencyID == 0 || !slices.Contains(r.AuditAgencies, s.AgencyID) {
			return forbidden()
		}
	default:
		return forbidden()
	}
	if r.Part != nil && (r.Part.AgencyID == 0 || r.Part.AgencyID != s.AgencyID) {
		if s.Role == jtai.RoleAgencyAuditor {
			return notFound()
		}
		return forbidden()
	}
	return nil
}

// sees reports whether s may know that the inspection in r exists.
func sees(s *Subject, r Resource) bool {
	switch s.Role {
	case jtai.RoleLeadInspector, jtai.RoleInspector:
		return r.InspectionID != 0 && slices.Contains(s.Team, r.InspectionID)
	case jtai.RoleCoordinator, jtai.RoleAgencyAuditor:
		return r.AreaID != 0 && r.AreaID == s.AreaID
	}
	return false
}

// Filter narrows an inspection listing to what s may see.
func Filter(s *Subject) (jtai.InspectionFilter, error) {
	if err := Can(s, ListInspections, Resource{}); err != nil {
		return jtai.InspectionFilter{}, err
	}
	if s.Role.IsInspector() {
		return jtai.InspectionFilter{MemberID: s.UserID}, nil
	}
	if s.AreaID == 0 {
		// A zero area filters nothing: never let that mean "every area".
		return jtai.InspectionFilter{}, jtai.Errorf(jtai.EFORBIDDEN, "Your account has no local area. Ask your administrator to set it")
	}
	return jtai.InspectionFilter{AreaID: s.AreaID}, nil
}
