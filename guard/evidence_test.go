package guard_test

import (
	"fmt"
	"testing"

	"jtai"
	"jtai/guard"
	"jtai/store/storetest"
)

// Evidence is the inspection team's: the team reads it, logged; the
// partnership and an agency auditor are told "not found", logged too.
func TestEvidenceIsTheTeams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db, d := seed(t, dialect)
		g := guard.New(db)
		in := d.Inspection
		for _, r := range []jtai.Role{jtai.RoleLeadInspector, jtai.RoleInspector} {
			sub := subject(t, db, d.User(r))
			got, err := g.Evidence(ctx, sub, in)
			if err != nil || got == nil {
				t.Fatalf("%s reading the evidence: %v, %v", r, got, err)
			}
			if e := lastEntry(t, db); e.Action != jtai.ActEvidenceRead || e.Resource != fmt.Sprintf("inspection/%d/evidence", in.ID) || e.Actor != sub.Email || e.Outcome != "ok" {
				t.Errorf("%s: entry of the read: %+v", r, e)
			}
			if _, err := g.ChildEvidence(ctx, sub, in, 7); err != nil {
				t.Errorf("%s reading a child's evidence: %v", r, err)
			}
			if e := lastEntry(t, db); e.Resource != fmt.Sprintf("inspection/%d/evidence/child/7", in.ID) || e.Actor != sub.Email {
				t.Errorf("%s: entry of the child's read: %+v", r, e)
			}
			if _, err := db.SaveEvidenceDraft(ctx, in.ID, sub.UserID, "note="+string(r), &jtai.AccessEntry{ActorID: sub.UserID, Actor: sub.Email}); err != nil {
				t.Fatal(err)
			}
			if d, _, err := g.EvidenceDraft(ctx, sub, in); err != nil || d != "note="+string(r) {
				t.Errorf("%s reading their draft: %q, %v, want their own", r, d, err)
			}
			if _, err := g.EvidenceTags(ctx, sub, in); err != nil {
				t.Errorf("%s reading the evidence picture: %v", r, err)
			}
			if e := lastEntry(t, db); e.Resource != fmt.Sprintf("inspection/%d/evidence/picture", in.ID) || e.Actor != sub.Email || e.Action != jtai.ActEvidenceRead {
				t.Errorf("%s: entry of the picture's read: %+v", r, e)
			}
		}
		for _, r := range []jtai.Role{jtai.RoleCoordinator, jtai.RoleAgencyAuditor, jtai.RoleAdministrator} {
			sub := subject(t, db, d.User(r))
			if _, err := g.Evidence(ctx, sub, in); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Errorf("%s reading the evidence: %v, want not found", r, err)
			}
			if e := lastEntry(t, db); e.Action != jtai.ActDenied || e.Actor != sub.Email {
				t.Errorf("%s: the refusal is not logged: %+v", r, e)
			}
			if _, err := g.ChildEvidence(ctx, sub, in, 7); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Errorf("%s reading a child's evidence: %v, want not found", r, err)
			}
			if _, err := g.EvidenceTags(ctx, sub, in); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Errorf("%s reading the evidence picture: %v, want not found", r, err)
			}
			if _, _, err := g.EvidenceDraft(ctx, sub, in); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Errorf("%s reading a draft: %v, want not found", r, err)
			}
		}
		lead := subject(t, db, d.User(jtai.RoleLeadInspector))
		if _, err := g.Evidence(ctx, lead, d.OtherInspection); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("another area's evidence: %v, want not found", err)
		}
	})
}
