package authz

import (
	"strings"
	"testing"

	"jtai"
)

// The matrix: for each role (row) and action (column), the outcome on a
// resource of the subject's own area/inspection/agency and on another's.
// Y = allowed, F = forbidden, N = not found. Written out by hand, not derived
// from the policy, so that a change to the policy must change this table.
//
//	columns: account.manage inspection.list inspection.create inspection.view
//	         inspection.update child.list child.view list.import child.screen
//	         child.select audit.view audit.read audit.edit audit.submit document.upload
//	         document.view invitation.send invitation.revoke inspection.notify
//	         screening.decide
//	         token.issue
//	         evidence.view evidence.record
var matrix = []struct {
	role       jtai.Role
	own, other string
}{
	{jtai.RoleAdministrator, "Y F F N N N N N N N  N N N N N N N N N  N F N N", "Y F F N N N N N N N  N N N N N N N N N  N F N N"},
	{jtai.RoleLeadInspector, "F Y Y Y Y Y Y Y Y Y  Y F F F F Y Y Y Y  Y Y Y Y", "F Y Y N N N N N N N  N N N N N N N N N  N Y N N"},
	{jtai.RoleInspector, "F Y F Y F Y Y Y Y Y  Y F F F F Y F F F  Y Y Y Y", "F Y F N N N N N N N  N N N N N N N N N  N Y N N"},
	{jtai.RoleCoordinator, "F Y F Y F Y Y Y F F  Y F F Y Y Y F F F  F Y N N", "F Y F N N N N N N N  N N N N N N N N N  N Y N N"},
	{jtai.RoleAgencyAuditor, "F Y F Y F F Y F F F  Y F Y F Y Y F F F  F Y N N", "F Y F N N N N N N N  N N N N N N N N N  N Y N N"},
}

const (
	ownArea, otherArea             = 10, 20
	ownInspection, otherInspection = 1, 2
	ownAgency, otherAgency         = 100, 200
)

func TestMatrix(t *testing.T) {
	for _, row := range matrix {
		s := &Subject{UserID: 7, Role: row.role, Team: []int64{ownInspection}}
		if row.role.IsInspector() {
			s.Inspectorate = jtai.Ofsted
		}
		if row.role == jtai.RoleCoordinator || row.role == jtai.RoleAgencyAuditor {
			s.AreaID = ownArea
		}
		if row.role == jtai.RoleAgencyAuditor {
			s.AgencyID = ownAgency
		}
		for _, side := range []struct {
			name string
			want string
			res  Resource
		}{
			{"own", row.own, Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: []int64{ownAgency}}},
			{"other", row.other, Resource{AreaID: otherArea, InspectionID: otherInspection, AuditAgencies: []int64{otherAgency}}},
		} {
			want := strings.Fields(side.want)
			if len(want) != len(Actions) {
				t.Fatalf("%s %s: %d outcomes for %d actions", row.role, side.name, len(want), len(Actions))
			}
			for i, a := range Actions {
				got := outcome(Can(s, a, side.res))
				if got != want[i] {
					t.Errorf("%s on %s %s: got %s, want %s", row.role, side.name, a, got, want[i])
				}
			}
		}
	}
}

// An auditor of the own area sees a child, and its audit, only when the
// child is selected for the auditor's own agency.
func TestAuditorSeesOnlyOwnAgencyChildren(t *testing.T) {
	s := &Subject{UserID: 7, Role: jtai.RoleAgencyAuditor, AreaID: ownArea, AgencyID: ownAgency}
	for _, a := range []Action{ViewChild, ViewAudit, EditAuditPart} {
		for _, tt := range []struct {
			agencies []int64
			want     string
		}{
			{[]int64{ownAgency}, "Y"},
			{[]int64{otherAgency, ownAgency}, "Y"},
			{[]int64{otherAgency}, "N"},
			{nil, "N"},
		} {
			got := outcome(Can(s, a, Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: tt.agencies}))
			if got != tt.want {
				t.Errorf("%s with agencies %v: got %s, want %s", a, tt.agencies, got, tt.want)
			}
		}
	}
}

func TestNoSubject(t *testing.T) {
	for _, a := range Actions {
		if k := jtai.ErrorKind(Can(nil, a, Resource{AreaID: ownArea})); k != jtai.EUNAUTHORIZED {
			t.Errorf("%s without subject: kind %q", a, k)
		}
	}
}

func TestFilter(t *testing.T) {
	if _, err := Filter(&Subject{Role: jtai.RoleAdministrator}); jtai.ErrorKind(err) != jtai.EFORBIDDEN {
		t.Errorf("administrator listing inspections: %v", err)
	}
	if f, _ := Filter(&Subject{UserID: 3, Role: jtai.RoleInspector}); f.MemberID != 3 || f.AreaID != 0 {
		t.Errorf("inspector filter %+v", f)
	}
	if f, _ := Filter(&Subject{UserID: 3, Role: jtai.RoleCoordinator, AreaID: ownArea}); f.AreaID != ownArea || f.MemberID != 0 {
		t.Errorf("coordinator filter %+v", f)
	}
	if _, err := Filter(&Subject{UserID: 3, Role: jtai.RoleAgencyAuditor}); err == nil {
		t.Error("an auditor with no area was given a filter, which would show every area")
	}
}

func outcome(err error) string {
	switch jtai.ErrorKind(err) {
	case "":
		return "Y"
	case jtai.EFORBIDDEN:
		return "F"
	case jtai.ENOTFOUND:
		return "N"
	}
	return "?" + err.Error()
}

// A coordinator who is their own agency's contact answers that agency's
// part, and no other agency's; a coordinator of no agency answers none.
func TestCoordinatorAnswersOwnAgencyPart(t *testing.T) {
	s := &Subject{UserID: 7, Role: jtai.RoleCoordinator, AreaID: ownArea, AgencyID: ownAgency}
	for _, tt := range []struct {
		agency   int64
		agencies []int64
		want     string
	}{
		{ownAgency, []int64{ownAgency}, "Y"},
		{ownAgency, []int64{otherAgency, ownAgency}, "Y"},
		{ownAgency, []int64{otherAgency}, "F"},
		{0, []int64{ownAgency}, "F"},
	} {
		s.AgencyID = tt.agency
		if got := outcome(Can(s, EditAuditPart, Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: tt.agencies})); got != tt.want {
			t.Errorf("coordinator of agency %d on parts of %v: %s, want %s", tt.agency, tt.agencies, got, tt.want)
		}
	}
	s.AgencyID = ownAgency
	if got := outcome(Can(s, EditAuditPart, Resource{AreaID: otherArea, InspectionID: otherInspection, AuditAgencies: []int64{ownAgency}})); got != "N" {
		t.Errorf("coordinator on another area's audit: %s, want N", got)
	}
}

// Who reads the answers of which part of a child's joint audit, as the
// part stands: written out by hand, like the matrix.
func TestWhoReadsWhichPart(t *testing.T) {
	auditor := &Subject{UserID: 7, Role: jtai.RoleAgencyAuditor, AreaID: ownArea, AgencyID: ownAgency}
	coordinator := &Subject{UserID: 8, Role: jtai.RoleCoordinator, AreaID: ownArea}
	agencyCoordinator := &Subject{UserID: 9, Role: jtai.RoleCoordinator, AreaID: ownArea, AgencyID: ownAgency}
	inspector := &Subject{UserID: 10, Role: jtai.RoleInspector, Team: []int64{ownInspection}}
	for _, tt := range []struct {
		name string
		s    *Subject
		part Part
		want string
	}{
		{"auditor, own agency's draft", auditor, Part{AgencyID: ownAgency}, "Y"},
		{"auditor, own agency's submitted", auditor, Part{AgencyID: ownAgency, Submitted: true}, "Y"},
		{"auditor, another agency's submitted", auditor, Part{AgencyID: otherAgency, Submitted: true}, "N"},
		{"auditor, the partnership's summary", auditor, Part{AgencyID: 0, Submitted: true, AuditSubmitted: true}, "N"},
		{"coordinator, an agency's draft", coordinator, Part{AgencyID: otherAgency}, "F"},
		{"coordinator, an agency's submitted", coordinator, Part{AgencyID: otherAgency, Submitted: true}, "Y"},
		{"coordinator, the summary draft", coordinator, Part{AgencyID: 0}, "Y"},
		{"coordinator, own agency's draft", agencyCoordinator, Part{AgencyID: ownAgency}, "Y"},
		{"inspector, a submitted part of an open audit", inspector, Part{AgencyID: ownAgency, Submitted: true}, "F"},
		{"inspector, a part of a submitted audit", inspector, Part{AgencyID: ownAgency, Submitted: true, AuditSubmitted: true}, "Y"},
	} {
		p := tt.part
		res := Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: []int64{ownAgency, otherAgency}, Part: &p}
		if got := outcome(Can(tt.s, ReadAuditAnswers, res)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	// A child not selected for the auditor's agency: nothing of its audit exists.
	p := Part{AgencyID: ownAgency}
	if got := outcome(Can(auditor, ReadAuditAnswers, Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: []int64{otherAgency}, Part: &p})); got != "N" {
		t.Errorf("auditor on a child of another agency: %s, want N", got)
	}
}

// Who edits which part, and who submits the partnership's summary.
func TestWhoEditsWhichPart(t *testing.T) {
	auditor := &Subject{UserID: 7, Role: jtai.RoleAgencyAuditor, AreaID: ownArea, AgencyID: ownAgency}
	coordinator := &Subject{UserID: 9, Role: jtai.RoleCoordinator, AreaID: ownArea, AgencyID: ownAgency}
	res := func(agency int64) Resource {
		return Resource{AreaID: ownArea, InspectionID: ownInspection, AuditAgencies: []int64{ownAgency, otherAgency}, Part: &Part{AgencyID: agency}}
	}
	for _, tt := range []struct {
		name string
		s    *Subject
		a    Action
		r    Resource
		want string
	}{
		{"auditor edits own agency's part", auditor, EditAuditPart, res(ownAgency), "Y"},
		{"auditor edits another agency's part", auditor, EditAuditPart, res(otherAgency), "N"},
		{"auditor edits the summary", auditor, EditAuditPart, res(0), "N"},
		{"coordinator edits own agency's part", coordinator, EditAuditPart, res(ownAgency), "Y"},
		{"coordinator edits another agency's part", coordinator, EditAuditPart, res(otherAgency), "F"},
		{"coordinator submits the summary", coordinator, SubmitAudit, res(0), "Y"},
		{"coordinator submits an agency's part as the summary", coordinator, SubmitAudit, res(otherAgency), "F"},
		{"auditor submits the summary", auditor, SubmitAudit, res(0), "F"},
	} {
		if got := outcome(Can(tt.s, tt.a, tt.r)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// An agency auditor sees its own agency's documents only; the others see
// every document of their area.
func TestWhoSeesWhichDocument(t *testing.T) {
	auditor := &Subject{UserID: 7, Role: jtai.RoleAgencyAuditor, AreaID: ownArea, AgencyID: ownAgency}
	coordinator := &Subject{UserID: 9, Role: jtai.RoleCoordinator, AreaID: ownArea}
	doc := func(agency int64) Resource {
		return Resource{AreaID: ownArea, InspectionID: ownInspection, Document: &Document{AgencyID: agency}}
	}
	for _, tt := range []struct {
		name string
		s    *Subject
		r    Resource
		want string
	}{
		{"auditor, own agency's", auditor, doc(ownAgency), "Y"},
		{"auditor, another agency's", auditor, doc(otherAgency), "N"},
		{"auditor, the partnership's", auditor, doc(0), "N"},
		{"coordinator, an agency's", coordinator, doc(otherAgency), "Y"},
	} {
		for _, a := range []Action{ViewDocument, UploadDocument} {
			if got := outcome(Can(tt.s, a, tt.r)); got != tt.want {
				t.Errorf("%s %s: %s, want %s", a, tt.name, got, tt.want)
			}
		}
	}
}

// Only the policy makes a grant that opens anything; a grant carries the
// log entry of who read what, and grants join only for one subject and
// inspection.
func TestGrant(t *testing.T) {
	if (Grant{}).Valid() {
		t.Fatal("the zero grant is valid")
	}
	s := &Subject{UserID: 10, Email: "i@example.org", Role: jtai.RoleInspector, Team: []int64{ownInspection}, Address: "192.0.2.1"}
	res := Resource{AreaID: ownArea, InspectionID: ownInspection}
	g, err := Permit(s, ViewChild, res, jtai.ActView, "inspection/1/child/5")
	if err != nil || !g.Valid() || g.InspectionID() != ownInspection {
		t.Fatalf("Permit = %+v, %v", g, err)
	}
	e := g.Entries()
	if len(e) != 1 || e[0].Actor != "i@example.org" || e[0].ActorID != 10 || e[0].Resource != "inspection/1/child/5" || e[0].Action != jtai.ActView || e[0].Address != "192.0.2.1" {
		t.Errorf("entry %+v", e[0])
	}
	e[0].Outcome = "changed"
	if g.Entries()[0].Outcome != "ok" {
		t.Error("a grant's entries changed through a copy")
	}
	if _, err := Permit(s, ViewChild, Resource{AreaID: otherArea, InspectionID: otherInspection}, jtai.ActView, "x"); !jtai.IsKind(err, jtai.ENOTFOUND) {
		t.Errorf("Permit on another inspection: %v", err)
	}
	h, _ := Permit(s, ListChildren, res, jtai.ActList, "inspection/1/children")
	if j := g.With(h); !j.Valid() || len(j.Entries()) != 2 {
		t.Errorf("joined grant %+v", j)
	}
	other := &Subject{UserID: 11, Role: jtai.RoleInspector, Team: []int64{ownInspection}}
	o, _ := Permit(other, ListChildren, res, jtai.ActList, "inspection/1/children")
	if g.With(o).Valid() {
		t.Error("grants of two subjects joined")
	}
	c, err := Permit(Console("ops"), ListChildren, res, jtai.ActList, "inspection/1/children")
	if err != nil || c.Entries()[0].Actor != "console:ops" {
		t.Errorf("console grant %+v, %v", c, err)
	}
	if _, err := Permit(Console("ops"), ViewAudit, res, jtai.ActAuditRead, "x"); err == nil {
		t.Error("the console read an audit")
	}
}
