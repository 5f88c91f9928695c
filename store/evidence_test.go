package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme"
)

// evidenceFixture is an inspection with one tracked child and one child
// on the lists but not selected.
type evidenceFixture struct {
	*fixture
	by                *jtai.AccessEntry
	tracked, unpicked int64
	outsider          *jtai.User // an inspector on no team
	otherAreaAgency   int64
	known             func(string) bool
}

func seedEvidence(t *testing.T, db *store.DB) *evidenceFixture {
	t.Helper()
	f := &evidenceFixture{fixture: seed(t, db)}
	id := f.inspection.ID
	f.by = &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email, ActorName: f.lead.Name}
	kids := synth.New(5).Children(2, f.inspection.NotifiedOn)
	must(t, db.CreateChildren(ctx, id, kids))
	_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, f.by)
	must(t, err)
	must(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 5, Children: []jtai.SelectedChild{
		{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "First pick"},
	}}, nil, f.by))
	f.tracked, f.unpicked = kids[0].ID, kids[1].ID
	f.outsider = &jtai.User{Email: "outsider@example.org", Name: "Not On The Team", Role: jtai.RoleInspector, Inspectorate: jtai.CQC}
	must(t, db.CreateUser(ctx, f.outsider, nil))
	other := &jtai.Area{Name: "Elsewhere", LACode: "992", ONSCode: "E06000998"}
	must(t, db.CreateArea(ctx, other))
	a := &jtai.Agency{AreaID: other.ID, Kind: jtai.AgencyPolice, Name: "Elsewhere Police"}
	must(t, db.CreateAgency(ctx, a))
	f.otherAreaAgency = a.ID
	reg, err := theme.Builtin()
	must(t, err)
	th, err := reg.Get(f.inspection.ThemeID)
	must(t, err)
	f.known = th.HasLine
	return f
}

// noPlaintext fails when a column query selects holds any of words.
func noPlaintext(t *testing.T, db *store.DB, query string, words ...string) {
	t.Helper()
	rows, err := db.RawQuery(ctx, query)
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		var b []byte
		must(t, rows.Scan(&b))
		for _, w := range words {
			if strings.Contains(string(b), w) {
				t.Errorf("%q is in the database in plaintext (%s)", w, query)
			}
		}
	}
	must(t, rows.Err())
}

func (f *evidenceFixture) record() *jtai.Evidence {
	return &jtai.Evidence{
		InspectionID: f.inspection.ID, Kind: jtai.EvidenceCaseTracking, On: time.Date(2026, 4, 14, 0, 0, 0, 0, time.UTC),
		InspectorID: f.lead.ID, AgencyIDs: []int64{f.agency.ID}, ChildID: f.tracked,
		Criteria: []string{"voice-of-the-child", "identification"}, Polarity: jtai.Strength,
		Note: "The police officer spoke with the child alone and wrote down the child's own words",
	}
}

// An evidence record is kept with its note sealed, read back only under a
// grant, and both the change and the read are logged.
func TestEvidenceRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seedEvidence(t, db)
		before := countRows(t, db, "access_log")
		e := f.record()
		must(t, db.RecordEvidence(ctx, e, f.known, f.by))
		if e.ID == 0 || e.Inspectorate != jtai.Ofsted || e.RecordedBy != f.lead.Name {
			t.Errorf("recorded: %+v", e)
		}
		review := f.record()
		review.Kind, review.Agreement, review.Polarity, review.Note = jtai.EvidenceAuditReview, jtai.AgreeInPart, jtai.Improvement, "The audit missed the school's concerns"
		review.On = review.On.AddDate(0, 0, -1)
		must(t, db.RecordEvidence(ctx, review, f.known, f.by))
		context := f.record()
		context.Kind, context.ChildID, context.Polarity, context.Note = jtai.EvidenceMeeting, 0, jtai.Context, "MARAC observed: the chair kept to time"
		context.On = context.On.AddDate(0, 0, 1)
		must(t, db.RecordEvidence(ctx, context, f.known, f.by))
		if n := countRows(t, db, "access_log"); n != before+3 {
			t.Errorf("access log grew by %d on three records, want 3", n-before)
		}

		noPlaintext(t, db, `SELECT sealed_note FROM evidence`, "police officer", "MARAC")

		all, err := db.OpenEvidence(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewEvidence))
		must(t, err)
		if len(all) != 3 || all[0].ID != context.ID || all[1].ID != e.ID || all[2].ID != review.ID {
			t.Fatalf("all evidence: %+v, want the meeting, the tracking, then the audit evaluated", all)
		}
		if r := all[2]; r.Agreement != jtai.AgreeInPart || r.Note != review.Note || r.ChildID != f.tracked {
			t.Errorf("the audit evaluated, read back: %+v", r)
		}
		got := all[1]
		if got.Note != e.Note || got.ChildID != f.tracked || !slices.Equal(got.Criteria, e.Criteria) || !slices.Equal(got.AgencyIDs, e.AgencyIDs) ||
			got.Polarity != jtai.Strength || got.Inspector != f.lead.Name || got.Inspectorate != jtai.Ofsted || !got.On.Equal(e.On) {
			t.Errorf("read back: %+v, want %+v", got, e)
		}
		mine, err := db.OpenChildEvidence(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewEvidence), f.tracked)
		must(t, err)
		if len(mine) != 2 || mine[0].ID != e.ID || mine[1].ID != review.ID {
			t.Errorf("the child's evidence: %+v", mine)
		}
		tags, err := db.OpenEvidenceTags(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewEvidence))
		must(t, err)
		if len(tags) != 3 || tags[1].Note != "" || !slices.Equal(tags[1].Criteria, e.Criteria) || tags[1].Polarity != jtai.Strength {
			t.Errorf("the tags: %+v, want what each bears on and no note", tags)
		}
		if n := countRows(t, db, "access_log"); n != before+6 {
			t.Errorf("access log grew by %d after three reads, want 5", n-before)
		}
		if _, err := db.OpenEvidence(ctx, authz.Grant{}); !jtai.IsKind(err, jtai.EFORBIDDEN) {
			t.Errorf("evidence without a grant: %v", err)
		}
	})
}

// Bad input is refused by the field it is in, and nothing is kept.
func TestEvidenceRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seedEvidence(t, db)
		for _, tc := range []struct {
			name, field, says string
			change            func(e *jtai.Evidence)
		}{
			{"child not selected", "child", "selection", func(e *jtai.Evidence) { e.ChildID = f.unpicked }},
			{"child missing for tracking", "child", "Select the child", func(e *jtai.Evidence) { e.ChildID = 0 }},
			{"criterion the theme does not have", "criteria", `"made-up"`, func(e *jtai.Evidence) { e.Criteria = []string{"voice-of-the-child", "made-up"} }},
			{"no criterion", "criteria", "at least one", func(e *jtai.Evidence) { e.Criteria = nil }},
			{"inspector not on the team", "inspector", "team", func(e *jtai.Evidence) { e.InspectorID = f.outsider.ID }},
			{"another area's agency", "agencies", "area", func(e *jtai.Evidence) { e.AgencyIDs = []int64{f.otherAreaAgency} }},
			{"no agency", "agencies", "at least one", func(e *jtai.Evidence) { e.AgencyIDs = nil }},
			{"unknown kind", "kind", "kind", func(e *jtai.Evidence) { e.Kind = "gossip" }},
			{"unknown polarity", "polarity", "strength", func(e *jtai.Evidence) { e.Polarity = "" }},
			{"empty note", "note", "Enter", func(e *jtai.Evidence) { e.Note = "  " }},
			{"note too long", "note", "20,000 characters", func(e *jtai.Evidence) { e.Note = strings.Repeat("a", jtai.MaxEvidenceNote+1) }},
			{"no date", "on", "date", func(e *jtai.Evidence) { e.On = time.Time{} }},
			{"an audit evaluated without saying whether the team agrees", "agreement", "agree", func(e *jtai.Evidence) { e.Kind = jtai.EvidenceAuditReview }},
			{"an audit evaluated about no child", "child", "Select the child", func(e *jtai.Evidence) { e.Kind, e.Agreement, e.ChildID = jtai.EvidenceAuditReview, jtai.Agree, 0 }},
			{"agreement on a meeting", "agreement", "only on an evaluation", func(e *jtai.Evidence) { e.Kind, e.ChildID, e.Agreement = jtai.EvidenceMeeting, 0, jtai.Agree }},
		} {
			e := f.record()
			tc.change(e)
			err := db.RecordEvidence(ctx, e, f.known, f.by)
			fe := jtai.ErrorFields(err)
			if !jtai.IsKind(err, jtai.EINVALID) || len(fe) == 0 || fe[0].Field != tc.field || !strings.Contains(fe[0].Message, tc.says) {
				t.Errorf("%s: %v %+v, want a problem with %s saying %q", tc.name, err, fe, tc.field, tc.says)
			}
		}
		if n := countRows(t, db, "evidence"); n != 0 {
			t.Errorf("%d records kept from bad input", n)
		}
	})
}

// A draft is kept sealed for its inspector on the team, replaced by the
// next, and gone once the record is kept; each save is logged.
func TestEvidenceDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seedEvidence(t, db)
		if f.lead.ID != 1 {
			t.Fatalf("the lead is user %d: the tests' grant reads as user 1", f.lead.ID)
		}
		id := f.inspection.ID
		read := func() string {
			t.Helper()
			d, _, err := db.OpenEvidenceDraft(ctx, storetest.Grant(t, id, authz.RecordEvidence))
			must(t, err)
			return d
		}
		if d := read(); d != "" {
			t.Errorf("a draft before any was saved: %q", d)
		}
		before := countRows(t, db, "access_log")
		_, err := db.SaveEvidenceDraft(ctx, id, f.lead.ID, "kind=visit&note=Refuge+visit+first+thoughts", f.by)
		must(t, err)
		_, err = db.SaveEvidenceDraft(ctx, id, f.lead.ID, "kind=visit&note=Refuge+visit+second+thoughts", f.by)
		must(t, err)
		if d := read(); d != "kind=visit&note=Refuge+visit+second+thoughts" {
			t.Errorf("the draft: %q, want the second", d)
		}
		if n := countRows(t, db, "access_log"); n != before+3 {
			t.Errorf("the log grew by %d on two saves and a read, want 3", n-before)
		}
		noPlaintext(t, db, `SELECT sealed FROM evidence_drafts`, "Refuge")
		_, err = db.SaveEvidenceDraft(ctx, id, f.outsider.ID, "note=x", f.by)
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.SaveEvidenceDraft(ctx, id, f.lead.ID, strings.Repeat("x", store.MaxEvidenceDraft+1), f.by)
		if fe := jtai.ErrorFields(err); len(fe) != 1 || fe[0].Field != "note" {
			t.Errorf("a draft too long: %v", err)
		}
		must(t, db.RecordEvidence(ctx, f.record(), f.known, f.by))
		if d := read(); d != "" {
			t.Errorf("the draft after the record was kept: %q", d)
		}
	})
}
