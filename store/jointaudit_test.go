package store_test

import (
	"bytes"
	"slices"
	"testing"

	"jtai"
	"jtai/selection"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme"
)

func TestJointAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		health := &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyHealth, Name: "Stonecross ICB"}
		must(t, db.CreateAgency(ctx, health))
		kids := synth.New(4).Children(4, f.inspection.NotifiedOn)
		kids[0].Facts.Agencies = []jtai.AgencyKind{jtai.AgencySocialCare, jtai.AgencyPolice, jtai.AgencyHealth}
		kids[1].Facts.Agencies = []jtai.AgencyKind{jtai.AgencyPolice}
		must(t, db.CreateChildren(ctx, id, kids))
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		// Parts come with the selection: one per agency of the area that
		// worked with the child (social care has no agency in this area),
		// and the partnership's summary, made when it is published.
		reg, err := theme.Builtin()
		must(t, err)
		th, err := reg.Get(f.inspection.ThemeID)
		must(t, err)
		agencies, err := db.ListAgencies(ctx, f.area.ID)
		must(t, err)
		picks := []jtai.SelectedChild{
			{ChildID: kids[0].ID, Kind: jtai.CaseTracking, Reason: "First pick"},
			{ChildID: kids[1].ID, Kind: jtai.CaseTracking, Reason: "Second pick"},
			{ChildID: kids[3].ID, Kind: jtai.CaseSample, Reason: "Sampled"},
		}
		byID := map[int64]*jtai.Child{kids[0].ID: kids[0], kids[1].ID: kids[1], kids[3].ID: kids[3]}
		keys := selection.Audits(th, picks, byID, agencies)
		// A part for a child not tracked is refused, and nothing is kept.
		bad := append(slices.Clone(keys), jtai.AuditPartKey{ChildID: kids[3].ID, PartID: "agency", AgencyID: f.agency.ID})
		wantKind(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 9, Children: picks}, bad, by), jtai.EINVALID)
		_, err = db.FindSelection(ctx, id)
		wantKind(t, err, jtai.ENOTFOUND)

		must(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 9, Children: picks}, keys, by))
		_, parts, err := db.AuditProgress(ctx, id)
		must(t, err)
		if len(parts) != 5 {
			t.Errorf("%d parts made, want 5 (police and health for the first child, police for the second, two summaries)", len(parts))
		}
		if n, err := db.CreateAuditParts(ctx, id, keys, by); err != nil || n != 0 {
			t.Errorf("second planning: %d parts, %v; want none", n, err)
		}
		_, err = db.CreateAuditParts(ctx, id, []jtai.AuditPartKey{{ChildID: kids[2].ID, PartID: "agency", AgencyID: f.agency.ID}}, by)
		wantKind(t, err, jtai.EINVALID)
		// A child added by hand brings its own parts, and only its own.
		wrong := selection.Audits(th, []jtai.SelectedChild{{ChildID: kids[1].ID, Kind: jtai.CaseTracking}}, byID, agencies)
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: kids[2].ID, Kind: jtai.CaseTracking, Reason: "Sibling"}, wrong, by), jtai.EINVALID)
		got, err := db.AuditAgencies(ctx, id, kids[0].ID)
		must(t, err)
		if !slices.Equal(got, []int64{f.agency.ID, health.ID}) {
			t.Errorf("agencies of the first child: %v", got)
		}
		if got, _ := db.AuditAgencies(ctx, id, kids[2].ID); len(got) != 0 {
			t.Errorf("a child not selected has audit agencies %v", got)
		}

		police := jtai.AuditPartKey{ChildID: kids[0].ID, PartID: "agency", AgencyID: f.agency.ID}
		summary := jtai.AuditPartKey{ChildID: kids[0].ID, PartID: "partnership-summary"}
		// Draft, then read back; the answer is sealed at rest.
		p, err := db.SaveAuditPart(ctx, id, police, map[string]string{"lived-experience": "Seen at home by PC Marlow twice"}, false, by)
		must(t, err)
		if p.Status != jtai.AuditDraft || p.Answers != nil {
			t.Errorf("draft saved, returned without its answers: %+v", p)
		}
		if p, err = storetest.AuditPart(t, db, ctx, id, police); err != nil || p.Answers["lived-experience"] != "Seen at home by PC Marlow twice" {
			t.Errorf("draft read back: %+v, %v", p, err)
		}
		rows, err := db.RawQuery(ctx, `SELECT answers FROM audit_parts WHERE answers IS NOT NULL`)
		must(t, err)
		for rows.Next() {
			var b []byte
			must(t, rows.Scan(&b))
			if bytes.Contains(b, []byte("Marlow")) {
				t.Error("an audit answer is stored in plaintext")
			}
		}
		rows.Close()
		// The summary waits for every agency.
		_, err = db.SaveAuditPart(ctx, id, summary, map[string]string{"overall-summary": "x"}, true, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.SaveAuditPart(ctx, id, police, map[string]string{"lived-experience": "Final answer"}, true, by)
		must(t, err)
		// Submitting twice, or saving after, changes nothing.
		_, err = db.SaveAuditPart(ctx, id, police, map[string]string{"lived-experience": "Changed"}, true, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.SaveAuditPart(ctx, id, police, map[string]string{"lived-experience": "Changed"}, false, by)
		wantKind(t, err, jtai.ECONFLICT)
		p, err = storetest.AuditPart(t, db, ctx, id, police)
		must(t, err)
		if p.Status != jtai.AuditSubmitted || p.Answers["lived-experience"] != "Final answer" || p.SubmittedBy != f.lead.Email {
			t.Errorf("submitted part: %+v", p)
		}
		// A part that does not exist, or of a child not selected.
		_, err = storetest.AuditPart(t, db, ctx, id, jtai.AuditPartKey{ChildID: kids[1].ID, PartID: "agency", AgencyID: health.ID})
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.SaveAuditPart(ctx, id, jtai.AuditPartKey{ChildID: kids[2].ID, PartID: "agency", AgencyID: f.agency.ID}, nil, false, by)
		wantKind(t, err, jtai.ENOTFOUND)

		// Everything submitted: the audits are returned.
		for _, k := range []jtai.AuditPartKey{
			{ChildID: kids[0].ID, PartID: "agency", AgencyID: health.ID},
			summary,
			{ChildID: kids[1].ID, PartID: "agency", AgencyID: f.agency.ID},
		} {
			_, err := db.SaveAuditPart(ctx, id, k, map[string]string{"q": "a"}, true, by)
			must(t, err)
		}
		in, _ := db.FindInspectionByID(ctx, id)
		if in.Status != jtai.StatusChildrenSelected {
			t.Errorf("status %s before the last summary", in.Status)
		}
		_, err = db.SaveAuditPart(ctx, id, jtai.AuditPartKey{ChildID: kids[1].ID, PartID: "partnership-summary"}, map[string]string{"q": "a"}, true, by)
		must(t, err)
		in, _ = db.FindInspectionByID(ctx, id)
		if in.Status != jtai.StatusAuditsReturned {
			t.Errorf("status %s after every part, want audits-returned", in.Status)
		}
		parts, err = db.ListAuditParts(ctx, id)
		must(t, err)
		if len(parts) != 5 || parts[0].Answers != nil {
			t.Errorf("parts listed: %d, first %+v", len(parts), parts[0])
		}
		// Removing a child takes its audit away.
		must(t, db.RemoveSelectedChild(ctx, id, kids[1].ID, "Moved away", by))
		if got, _ := db.AuditAgencies(ctx, id, kids[1].ID); len(got) != 0 {
			t.Errorf("a removed child still has audit agencies %v", got)
		}
		entries, _ := db.AccessLogTail(ctx, 30)
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
		}
		if actions[jtai.ActAuditPlan] != 1 || actions[jtai.ActAuditSubmit] != 5 || actions[jtai.ActAuditSave] != 1 {
			t.Errorf("logged actions %v", actions)
		}
		_, err = db.Verify(ctx)
		must(t, err)
	})
}
