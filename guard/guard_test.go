package guard_test

import (
	"context"
	"fmt"
	"testing"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/guard"
	"jtai/screen"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme"
)

var ctx = context.Background()

func seed(t *testing.T, dialect string) (*store.DB, *synth.Demo) {
	t.Helper()
	db := storetest.Open(t, dialect, storetest.MasterKey(t))
	d, err := synth.SeedDemo(ctx, db, synth.DemoOptions{Children: 40, NotifiedOn: jtai.NewDate(2026, 3, 2), Hash: auth.HashPassword, Password: auth.NewPassword})
	if err != nil {
		t.Fatal(err)
	}
	return db, d
}

func subject(t *testing.T, db *store.DB, u *jtai.User) *authz.Subject {
	t.Helper()
	team, err := db.TeamInspectionIDs(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := authz.NewSubject(u, team)
	s.Address = "192.0.2.7"
	return s
}

// lastEntry is the newest entry of the access log.
func lastEntry(t *testing.T, db *store.DB) *jtai.AccessEntry {
	t.Helper()
	e, err := db.AccessLogTail(ctx, 1)
	if err != nil || len(e) != 1 {
		t.Fatalf("access log tail: %v, %v", e, err)
	}
	return e[0]
}

// Every read through the guarded service is logged with who, what and
// whether it was there; a refusal is logged and is "not found" whatever
// the truth.
func TestReadsAreLoggedAndRefusalsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db, d := seed(t, dialect)
		g := guard.New(db)
		in := d.Inspection
		kids, err := storetest.Children(t, db, ctx, in.ID)
		if err != nil || len(kids) == 0 {
			t.Fatalf("children: %d, %v", len(kids), err)
		}
		child := kids[0]
		lead := subject(t, db, d.User(jtai.RoleLeadInspector))

		got, err := g.Child(ctx, lead, in, child.ID)
		if err != nil || got.LAChildID != child.LAChildID {
			t.Fatalf("lead inspector reading a child: %v, %v", got, err)
		}
		e := lastEntry(t, db)
		if e.Action != jtai.ActView || e.Resource != fmt.Sprintf("inspection/%d/child/%d", in.ID, child.ID) || e.Outcome != "ok" || e.Actor != lead.Email || e.Address != "192.0.2.7" {
			t.Errorf("entry of the read: %+v", e)
		}

		if _, err := g.Child(ctx, lead, in, 1<<40); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("a child that does not exist: %v", err)
		}
		if e := lastEntry(t, db); e.Outcome != "failed: "+jtai.ENOTFOUND {
			t.Errorf("entry of a read of nothing: %+v", e)
		}

		// Another area's inspection: the same child id is not found, and
		// the attempt is in the log.
		if _, err := g.Child(ctx, lead, d.OtherInspection, child.ID); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("lead inspector on another inspection: %v", err)
		}
		if e := lastEntry(t, db); e.Action != jtai.ActDenied || e.Outcome != "denied" || e.Actor != lead.Email {
			t.Errorf("entry of a refusal: %+v", e)
		}

		// An agency auditor: the lists are not theirs, and a child not
		// selected for their agency does not exist for them.
		auditor := subject(t, db, d.User(jtai.RoleAgencyAuditor))
		if _, err := g.ChildrenPage(ctx, auditor, in, 1, 50); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("auditor listing children: %v", err)
		}
		if _, err := g.AllChildren(ctx, auditor, in, authz.ScreenChildren, "screening"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("auditor screening: %v", err)
		}
		if _, err := g.Child(ctx, auditor, in, child.ID); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("auditor reading a child not selected for its agency: %v", err)
		}
		if e := lastEntry(t, db); e.Action != jtai.ActDenied || e.Actor != auditor.Email {
			t.Errorf("entry of the auditor's refusal: %+v", e)
		}

		// The administrator sees no case data at all.
		admin := subject(t, db, d.User(jtai.RoleAdministrator))
		if _, err := g.Child(ctx, admin, in, child.ID); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("administrator reading a child: %v", err)
		}

		// The console reads the lists to screen them, named as the console.
		all, err := g.AllChildren(ctx, authz.Console("ops"), in, authz.ScreenChildren, "children (screen)")
		if err != nil || len(all) != len(kids) {
			t.Errorf("console screening: %d children, %v", len(all), err)
		}
		if e := lastEntry(t, db); e.Actor != "console:ops" || e.Resource != fmt.Sprintf("inspection/%d/children (screen)", in.ID) {
			t.Errorf("entry of the console's read: %+v", e)
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

// The store's opening reads refuse what the policy did not grant: the zero
// grant, and a grant used on another inspection than its own.
func TestOpeningReadsNeedTheirGrant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db, d := seed(t, dialect)
		kids, err := storetest.Children(t, db, ctx, d.Inspection.ID)
		if err != nil {
			t.Fatal(err)
		}
		before := lastEntry(t, db).Seq
		if _, err := db.OpenChild(ctx, authz.Grant{}, kids[0].ID); !jtai.IsKind(err, jtai.EFORBIDDEN) {
			t.Errorf("the zero grant opened a child: %v", err)
		}
		if _, err := db.OpenAllChildren(ctx, authz.Grant{}); !jtai.IsKind(err, jtai.EFORBIDDEN) {
			t.Errorf("the zero grant opened the lists: %v", err)
		}
		if lastEntry(t, db).Seq != before {
			t.Error("a refused opening wrote to the log")
		}
		// A grant on the other inspection reads that inspection only: the
		// child of this one is not found there.
		other := storetest.Grant(t, d.OtherInspection.ID, authz.ViewChild)
		if _, err := db.OpenChild(ctx, other, kids[0].ID); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("a grant on inspection %d opened a child of inspection %d: %v", d.OtherInspection.ID, d.Inspection.ID, err)
		}
	})
}

// The kept screening is read through the policy like the children it
// is about: an auditor and the partnership's coordinator are refused (not
// found, logged), an inspector on the team reads it, logged.
func TestScreeningThroughThePolicy(t *testing.T) {
	reg, err := theme.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		db.SetScreener(screen.Themes{Registry: reg})
		d, err := synth.SeedDemo(ctx, db, synth.DemoOptions{Children: 40, NotifiedOn: jtai.NewDate(2026, 3, 2), Hash: auth.HashPassword, Password: auth.NewPassword})
		if err != nil {
			t.Fatal(err)
		}
		g, in := guard.New(db), d.Inspection
		for _, role := range []jtai.Role{jtai.RoleAgencyAuditor, jtai.RoleCoordinator, jtai.RoleAdministrator} {
			sub := subject(t, db, d.User(role))
			if _, err := g.Screening(ctx, sub, in, authz.ScreenChildren, "screening"); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Errorf("%s reading the screening: %v", role, err)
			}
			if e := lastEntry(t, db); role != jtai.RoleAdministrator && (e.Action != jtai.ActDenied || e.Actor != sub.Email) {
				t.Errorf("%s's refusal: %+v", role, e)
			}
		}
		lead := subject(t, db, d.User(jtai.RoleLeadInspector))
		s, err := g.Screening(ctx, lead, in, authz.ScreenChildren, "screening")
		if err != nil || len(s.Result) == 0 {
			t.Fatalf("lead inspector reading the screening: %v", err)
		}
		if e := lastEntry(t, db); e.Action != jtai.ActList || e.Resource != fmt.Sprintf("inspection/%d/screening", in.ID) || e.Outcome != "ok" || e.Actor != lead.Email {
			t.Errorf("entry of the read: %+v", e)
		}
		if _, err := g.Screening(ctx, lead, in, authz.ListChildren, "screening"); err == nil {
			t.Error("the screening read for listing children")
		}
	})
}
