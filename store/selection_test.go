package store_test

import (
	"strings"
	"testing"

	"jtai"
	"jtai/ingest"
	"jtai/store/storetest"
	"jtai/synth"
)

func TestLifecycleTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		id := f.inspection.ID
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusOnsite}, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusWithdrawn, Reason: " "}, by)
		wantKind(t, err, jtai.EINVALID)
		tr, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		if tr.From != jtai.StatusNotified || tr.Actor != f.lead.Email {
			t.Errorf("transition %+v", tr)
		}
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusWithdrawn, Reason: "The area's director asked for a delay after a serious incident"}, by)
		must(t, err)
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
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
		moves, refused := 0, []string{}
		for _, e := range entries {
			if e.Action == jtai.ActTransition && e.Actor == f.lead.Email {
				if strings.HasPrefix(e.Outcome, "ok:") {
					moves++
				} else {
					refused = append(refused, e.Outcome)
				}
			}
			if strings.Contains(e.Outcome, "serious") {
				t.Error("a withdrawal reason is in the access log")
			}
		}
		if moves != 2 {
			t.Errorf("%d moves logged, want 2", moves)
		}
		// The refusals are logged, newest first, with what was asked and why not.
		if len(refused) != 3 || !strings.HasPrefix(refused[2], "refused: to onsite: ") || !strings.HasPrefix(refused[1], "refused: to withdrawn: Enter why") {
			t.Errorf("refusals logged: %q", refused)
		}
		_, err = db.Verify(ctx)
		must(t, err)
	})
}

// TestWorkflow: the moves' preconditions hold in the store, whoever calls
// it, and an ended inspection takes no more changes.
func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		id := f.inspection.ID
		kids := synth.New(4).Children(6, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, id, kids))
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		// Children are selected only by publishing a selection.
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusChildrenSelected}, by)
		wantKind(t, err, jtai.ECONFLICT)
		sel := &jtai.Selection{InspectionID: id, Seed: 9, Children: []jtai.SelectedChild{{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "pick"}}}
		parts := []jtai.AuditPartKey{{ChildID: kids[0].ID, PartID: "agency", AgencyID: f.agency.ID}, {ChildID: kids[0].ID, PartID: "partnership-summary"}}
		must(t, db.SaveSelection(ctx, sel, parts, by))
		// Audits returned needs every part in, or a reason.
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusAuditsReturned}, by)
		wantKind(t, err, jtai.EINVALID)
		if fe := jtai.ErrorFields(err); len(fe) == 0 || !strings.Contains(fe[0].Message, "0 of 2 parts") {
			t.Errorf("audits returned without parts: %v", err)
		}
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusAuditsReturned, Reason: "The health part cannot be done in time"}, by)
		must(t, err)
		// Onsite only in the onsite week.
		now := db.Clock().Now()
		today := jtai.NewDate(now.Year(), now.Month(), now.Day())
		later := jtai.NewDate(now.Year(), now.Month(), now.Day()+7)
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusOnsite, OnsiteStart: later, OnsiteLast: later}, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusOnsite, OnsiteStart: today, OnsiteLast: later}, by)
		must(t, err)
		for _, to := range []jtai.Status{jtai.StatusDrafting, jtai.StatusFactualAccuracy} {
			_, err = db.TransitionInspection(ctx, id, jtai.Move{To: to}, by)
			must(t, err)
		}
		// Published only through the letter's publication step.
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusPublished}, by)
		wantKind(t, err, jtai.ECONFLICT)
		for _, m := range []jtai.Move{{To: jtai.StatusPublished, Via: jtai.ViaPublication}, {To: jtai.StatusActionStatementDue}, {To: jtai.StatusClosed}} {
			_, err = db.TransitionInspection(ctx, id, m, by)
			must(t, err)
		}
		// Closed is read-only on every write.
		closed := func(what string, err error) {
			t.Helper()
			if !jtai.IsKind(err, jtai.ECONFLICT) || !strings.Contains(jtai.ErrorMessage(err), "closed: it can be read but no longer changed") {
				t.Errorf("%s on a closed inspection: %v", what, err)
			}
		}
		closed("adding a child", db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[1].ID, Kind: jtai.CaseSample, Reason: "late"}, nil, by))
		closed("removing a child", db.RemoveSelectedChild(ctx, id, kids[0].ID, "gone", by))
		_, err = db.SaveAuditPart(ctx, id, parts[0], map[string]string{"q": "a"}, false, by)
		closed("saving an audit part", err)
		_, err = db.ImportLists(ctx, id, nil, ingest.ImportOptions{})
		closed("importing lists", err)
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
		_, err = db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
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

// Why a child was picked and what it covers are the child's attributes:
// nothing of them is in the database in plaintext, and rows written before
// they were sealed are sealed when the store migrates.
func TestSelectionReasonsAreSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		kids := synth.New(3).Children(3, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, id, kids))
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		must(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 7, Children: []jtai.SelectedChild{
			{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "First pick for age 0-2 with a child protection plan", Covers: []string{"age=0-2", "plan=cp"}},
		}}, nil, by))
		plaintext := func() []string {
			rows, err := db.RawQuery(ctx, `SELECT reason, covers, COALESCE(sealed_reason, ''), COALESCE(sealed_covers, '') FROM selected_children`)
			must(t, err)
			defer rows.Close()
			var found []string
			for rows.Next() {
				var reason, covers string
				var sealedReason, sealedCovers []byte
				must(t, rows.Scan(&reason, &covers, &sealedReason, &sealedCovers))
				for _, s := range []string{reason, covers, string(sealedReason), string(sealedCovers)} {
					if strings.Contains(s, "child protection") || strings.Contains(s, "age=0-2") {
						found = append(found, s)
					}
				}
			}
			return found
		}
		if p := plaintext(); len(p) > 0 {
			t.Errorf("in plaintext in the database: %q", p)
		}
		// As an older jtai wrote it.
		_, err = db.RawExec(ctx, `UPDATE selected_children SET reason = 'First pick for age 0-2 with a child protection plan', covers = 'age=0-2 plan=cp', sealed_reason = NULL, sealed_covers = NULL`)
		must(t, err)
		must(t, db.Migrate(ctx))
		if p := plaintext(); len(p) > 0 {
			t.Errorf("in plaintext after the upgrade: %q", p)
		}
		got, err := db.FindSelection(ctx, id)
		must(t, err)
		if c := got.Children[0]; c.Reason != "First pick for age 0-2 with a child protection plan" || strings.Join(c.Covers, " ") != "age=0-2 plan=cp" {
			t.Errorf("read back after the upgrade: %+v", c)
		}
	})
}
