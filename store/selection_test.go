package store_test

import (
	"strings"
	"testing"

	"jtai"
	"jtai/store/storetest"
	"jtai/synth"
)

func TestLifecycleTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		id := f.inspection.ID
		_, err := db.TransitionInspection(ctx, id, jtai.StatusOnsite, "", by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.TransitionInspection(ctx, id, jtai.StatusWithdrawn, " ", by)
		wantKind(t, err, jtai.EINVALID)
		tr, err := db.TransitionInspection(ctx, id, jtai.StatusInformationRequested, "", by)
		must(t, err)
		if tr.From != jtai.StatusNotified || tr.Actor != f.lead.Email {
			t.Errorf("transition %+v", tr)
		}
		_, err = db.TransitionInspection(ctx, id, jtai.StatusWithdrawn, "The area's director asked for a delay after a serious incident", by)
		must(t, err)
		_, err = db.TransitionInspection(ctx, id, jtai.StatusInformationRequested, "", by)
		wantKind(t, err, jtai.ECONFLICT)
		in, err := db.FindInspectionByID(ctx, id)
		must(t, err)
		if in.Status != jtai.StatusWithdrawn {
			t.Errorf("status %s, want withdrawn", in.Status)
		}
		list, err := db.ListTransitions(ctx, id)
		must(t, err)
		if len(list) != 2 || list[1].To != jtai.StatusWithdrawn || !strings.Contains(list[1].Reason, "serious incident") {
			t.Errorf("transitions %+v", list)
		}
		// Each move is in the access log; the withdrawal's reason, which
		// may name people, is not, and is sealed in the table.
		entries, err := db.AccessLogTail(ctx, 10)
		must(t, err)
		moves := 0
		for _, e := range entries {
			if e.Action == jtai.ActTransition && e.Actor == f.lead.Email {
				moves++
			}
			if strings.Contains(e.Outcome, "serious") {
				t.Error("a withdrawal reason is in the access log")
			}
		}
		if moves != 2 {
			t.Errorf("%d moves logged, want 2", moves)
		}
		_, err = db.Verify(ctx)
		must(t, err)
	})
}

func TestSelection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		kids := synth.New(3).Children(10, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, id, kids))
		_, err := db.FindSelection(ctx, id)
		wantKind(t, err, jtai.ENOTFOUND)
		sel := &jtai.Selection{InspectionID: id, Seed: 1<<63 + 5, Children: []jtai.SelectedChild{
			{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "First pick for stage assessment", Covers: []string{"stage=assessment"}},
			{ChildID: kids[1].ID, Kind: jtai.CaseSample, Reason: "First pick for stage child-in-need"},
		}}
		// Not yet: the lists have not been requested.
		wantKind(t, db.SaveSelection(ctx, sel, nil, by), jtai.ECONFLICT)
		_, err = db.TransitionInspection(ctx, id, jtai.StatusInformationRequested, "", by)
		must(t, err)
		must(t, db.SaveSelection(ctx, sel, nil, by))
		wantKind(t, db.SaveSelection(ctx, sel, nil, by), jtai.ECONFLICT)
		in, _ := db.FindInspectionByID(ctx, id)
		if in.Status != jtai.StatusChildrenSelected {
			t.Errorf("status after selecting: %s", in.Status)
		}
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[2].ID, Kind: jtai.CaseTracking}, nil, by), jtai.EINVALID)
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "again"}, nil, by), jtai.ECONFLICT)
		must(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[2].ID, Kind: jtai.CaseTracking, Reason: "Sibling of a tracked child, seen by the same team"}, nil, by))
		wantKind(t, db.RemoveSelectedChild(ctx, id, kids[1].ID, "", by), jtai.EINVALID)
		must(t, db.RemoveSelectedChild(ctx, id, kids[1].ID, "Moved out of the area last week", by))
		wantKind(t, db.RemoveSelectedChild(ctx, id, kids[1].ID, "twice", by), jtai.ENOTFOUND)
		got, err := db.FindSelection(ctx, id)
		must(t, err)
		if got.Seed != sel.Seed || len(got.Children) != 2 || got.Children[0].Covers[0] != "stage=assessment" ||
			!got.Children[1].Manual || !strings.Contains(got.Children[1].Reason, "Sibling") || got.Has(kids[1].ID) {
			t.Errorf("selection read back: %+v", got)
		}
		// Another inspection's child cannot be added.
		other := &jtai.Inspection{AreaID: f.area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 9)}
		must(t, db.CreateInspection(ctx, other))
		wantKind(t, db.AddSelectedChild(ctx, other.ID, jtai.SelectedChild{ChildID: kids[3].ID, Kind: jtai.CaseTracking, Reason: "x"}, nil, by), jtai.ECONFLICT)
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: 999999, Kind: jtai.CaseTracking, Reason: "x"}, nil, by), jtai.ENOTFOUND)
		entries, _ := db.AccessLogTail(ctx, 20)
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
			if strings.Contains(e.Outcome, "Sibling") || strings.Contains(e.Outcome, "Moved out") {
				t.Error("a written reason is in the access log")
			}
		}
		if actions[jtai.ActSelect] != 1 || actions[jtai.ActSelectionAdd] != 1 || actions[jtai.ActSelectionRemove] != 1 {
			t.Errorf("logged actions %v", actions)
		}
		_, err = db.Verify(ctx)
		must(t, err)
	})
}
