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
//	         child.select audit.view audit.edit audit.submit document.upload
//	         document.view invitation.send invitation.revoke inspection.notify
var matrix = []struct {
	role       jtai.Role
	own, other string
}{
	{jtai.RoleAdministrator, "Y F F N N N N N N N  N N N N N N N N", "Y F F N N N N N N N  N N N N N N N N"},
	{jtai.RoleLeadInspector, "F Y Y Y Y Y Y Y Y Y  Y F F F Y Y Y Y", "F Y Y N N N N N N N  N N N N N N N N"},
	{jtai.RoleInspector, "F Y F Y F Y Y Y Y Y  Y F F F Y F F F", "F Y F N N N N N N N  N N N N N N N N"},
	{jtai.RoleCoordinator, "F Y F Y F Y Y Y F F  Y F Y Y Y F F F", "F Y F N N N N N N N  N N N N N N N N"},
	{jtai.RoleAgencyAuditor, "F Y F Y F F Y F F F  Y Y F Y Y F F F", "F Y F N N N N N N N  N N N N N N N N"},
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
