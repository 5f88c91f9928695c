package store_test

import (
	"reflect"
	"slices"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/store/storetest"
	"jtai/synth"
)

// The pages read tracked children, their names and their audit answers in
// one query each; these reads must agree with the one-at-a-time ones.
func TestBatchReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		kids := synth.New(5).Children(5, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, id, kids))

		_, _, err := db.AuditProgress(ctx, id)
		wantKind(t, err, jtai.ENOTFOUND)

		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		must(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 1, Children: []jtai.SelectedChild{
			{ChildID: kids[3].ID, Kind: jtai.CaseTracking, Reason: "First pick"},
			{ChildID: kids[0].ID, Kind: jtai.CaseSample, Reason: "Sampled"},
			{ChildID: kids[1].ID, Kind: jtai.CaseTracking, Reason: "Second pick"},
		}}, nil, by))
		must(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[4].ID, Kind: jtai.CaseTracking, Reason: "Added by hand"}, nil, by))
		must(t, db.RemoveSelectedChild(ctx, id, kids[1].ID, "Moved away", by))
		tracked, parts, err := db.AuditProgress(ctx, id)
		must(t, err)
		if want := []int64{kids[3].ID, kids[4].ID}; !slices.Equal(tracked, want) || len(parts) != 0 {
			t.Errorf("tracked %v with %d parts, want %v (selection order, sample and removed left out) and no parts yet", tracked, len(parts), want)
		}

		got, err := db.OpenChildren(ctx, storetest.Grant(t, id, authz.ListChildren), []int64{kids[4].ID, kids[2].ID, kids[3].ID})
		must(t, err)
		for i, want := range []*jtai.Child{kids[4], kids[2], kids[3]} {
			one, err := db.OpenChild(ctx, storetest.Grant(t, id, authz.ViewChild), want.ID)
			must(t, err)
			if got[i].ID != want.ID || got[i].FullName() != one.FullName() || got[i].LAChildID != one.LAChildID {
				t.Errorf("child %d: %+v, want %+v", i, got[i], one)
			}
		}
		_, err = db.OpenChildren(ctx, storetest.Grant(t, id, authz.ListChildren), []int64{kids[0].ID, 1 << 40})
		wantKind(t, err, jtai.ENOTFOUND)

		names, err := db.OpenChildNames(ctx, storetest.Grant(t, id, authz.ListChildren), []int64{kids[4].ID, kids[2].ID, kids[3].ID})
		must(t, err)
		if len(names) != 3 {
			t.Fatalf("names %q, want 3", names)
		}
		for i := range names {
			if names[i] != got[i].FullName() || names[i] == "" {
				t.Errorf("name %d: %q, want %q", i, names[i], got[i].FullName())
			}
		}
		_, err = db.OpenChildNames(ctx, storetest.Grant(t, id, authz.ListChildren), []int64{kids[0].ID, 1 << 40})
		wantKind(t, err, jtai.ENOTFOUND)

		police := jtai.AuditPartKey{ChildID: kids[3].ID, PartID: "agency", AgencyID: f.agency.ID}
		summary := jtai.AuditPartKey{ChildID: kids[3].ID, PartID: "partnership-summary"}
		other := jtai.AuditPartKey{ChildID: kids[4].ID, PartID: "agency", AgencyID: f.agency.ID}
		_, err = db.CreateAuditParts(ctx, id, []jtai.AuditPartKey{police, summary, other}, by)
		must(t, err)
		tracked, parts, err = db.AuditProgress(ctx, id)
		must(t, err)
		listed, err := db.ListAuditParts(ctx, id)
		must(t, err)
		if len(tracked) != 2 || len(parts) != 3 || len(listed) != 3 {
			t.Fatalf("progress: %v tracked, %d parts; %d listed", tracked, len(parts), len(listed))
		}
		for i := range parts {
			if !reflect.DeepEqual(parts[i], listed[i]) {
				t.Errorf("part %d: progress %+v, listed %+v", i, parts[i], listed[i])
			}
		}
		// One child's progress is its share of the whole; a child sampled,
		// removed or never selected is not tracked.
		one, mine, err := db.ChildAuditProgress(ctx, id, kids[3].ID)
		must(t, err)
		if !one || len(mine) != 2 || !reflect.DeepEqual(mine, parts[:2]) {
			t.Errorf("child %d: tracked %v, parts %+v, want %+v", kids[3].ID, one, mine, parts[:2])
		}
		for _, k := range []*jtai.Child{kids[0], kids[1], kids[2]} {
			if one, mine, err := db.ChildAuditProgress(ctx, id, k.ID); err != nil || one || len(mine) != 0 {
				t.Errorf("child %d: tracked %v with %d parts (%v), want not tracked", k.ID, one, len(mine), err)
			}
		}
		_, err = db.SaveAuditPart(ctx, id, police, map[string]string{"lived-experience": "Seen at school"}, false, by)
		must(t, err)
		_, err = db.SaveAuditPart(ctx, id, other, map[string]string{"lived-experience": "Seen at nursery"}, false, by)
		must(t, err)
		parts, err = db.OpenAuditParts(ctx, storetest.Grant(t, id, authz.ReadAuditAnswers), []jtai.AuditPartKey{other, summary, police})
		must(t, err)
		if len(parts) != 3 || parts[0].AuditPartKey != other || parts[1].AuditPartKey != summary || parts[2].AuditPartKey != police {
			t.Fatalf("parts out of order: %+v", parts)
		}
		if parts[0].Answers["lived-experience"] != "Seen at nursery" || len(parts[1].Answers) != 0 || parts[2].Answers["lived-experience"] != "Seen at school" {
			t.Errorf("answers: %v / %v / %v", parts[0].Answers, parts[1].Answers, parts[2].Answers)
		}
		_, err = db.OpenAuditParts(ctx, storetest.Grant(t, id, authz.ReadAuditAnswers), []jtai.AuditPartKey{police, {ChildID: kids[3].ID, PartID: "agency", AgencyID: 1 << 40}})
		wantKind(t, err, jtai.ENOTFOUND)
	})
}
