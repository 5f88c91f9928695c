package store_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/ingest"
	"jtai/ingest/listfile"
	"jtai/store"
	"jtai/store/storetest"
)

// textFile is a file to import, held in memory.
func textFile(name, body string) ingest.File {
	return ingest.File{Name: name, Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
		return listfile.Read(strings.NewReader(body), int64(len(body)), name, ingest.Limits{}, emit)
	}}
}

const referralsHead = "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source,Referral NFA?,Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker\n"

func referrals(rows ...string) string { return referralsHead + strings.Join(rows, "\n") + "\n" }

func notifications(rows ...string) string {
	head := "Child Unique ID,Date of Birth,Expected Date of Birth,Gender,Police Reference,Date of Incident,Child Present (Y/N),Child's Relationship to Victim,Child's Relationship to Perpetrator,Victim and Perpetrator Personally Connected (Y/N),Risk Level (Standard/Medium/High),Notified to Children's Social Care,Notified to School or Early Years (Operation Encompass),MARAC Case (Y/N),MARAC Date,\"Abuse Type (child-to-parent, teenage relationship, adult)\"\n"
	return head + strings.Join(rows, "\n") + "\n"
}

func importFiles(t *testing.T, db *store.DB, inspectionID int64, files ...ingest.File) *ingest.Result {
	t.Helper()
	res, err := db.ImportLists(ctx, inspectionID, files, ingest.ImportOptions{Actor: &jtai.AccessEntry{Actor: "console:test"}})
	if err != nil {
		for _, p := range res.Summary.Problems {
			t.Log(p)
		}
		t.Fatal(err)
	}
	return res
}

// replaceFiles imports files, confirming that children may leave lists.
func replaceFiles(t *testing.T, db *store.DB, inspectionID int64, files ...ingest.File) *ingest.Result {
	t.Helper()
	res, err := db.ImportLists(ctx, inspectionID, files, ingest.ImportOptions{Actor: &jtai.AccessEntry{Actor: "console:test"}, Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	rows, err := db.RawQuery(ctx, "SELECT COUNT(*) FROM "+table)
	must(t, err)
	defer rows.Close()
	rows.Next()
	must(t, rows.Scan(&n))
	return n
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		good := textFile("List 3.csv", referrals("R1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam Worker", "R2,Female,WBRI,05/06/2021,4,04/01/2026,3A,No,1,Front door,Sam Worker"))
		bad := textFile("da.csv", notifications("R1,01/02/2020,,Male,P1,31/02/2026,Y,Son,Son,Y,High,Y,Y,N,,adult"))
		res, err := db.ImportLists(ctx, f.inspection.ID, []ingest.File{good, bad}, ingest.ImportOptions{})
		wantKind(t, err, jtai.EINVALID)
		if res.Landed || res.Summary.Errors != 1 || res.Summary.ByRule[ingest.RuleDateInvalid] != 1 {
			t.Fatalf("landed %v, %d errors %v", res.Landed, res.Summary.Errors, res.Summary.ByRule)
		}
		p := res.Summary.Problems[0]
		if p.File != "da.csv" || p.Row != 2 || p.Column != "Date of Incident" {
			t.Errorf("problem at %+v", p.Source)
		}
		for _, table := range []string{"imports", "import_rows", "children"} {
			if n := countRows(t, db, table); n != 0 {
				t.Errorf("%s holds %d rows after a refused import", table, n)
			}
		}
		// The same files, corrected, land.
		fixed := textFile("da.csv", notifications("R1,01/02/2020,,Male,P1,28/02/2026,Y,Son,Son,Y,High,Y,Y,N,,adult"))
		res = importFiles(t, db, f.inspection.ID, good, fixed)
		if !res.Landed || res.Rows != 3 || res.Children != 2 || len(res.Lists) != 2 {
			t.Errorf("corrected import: %+v", res)
		}
	})
}

func TestImportReplacesTheList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		importFiles(t, db, id, textFile("List 3.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam", "B1,Female,WBRI,05/06/2021,4,04/01/2026,8,No,1,Front door,Sam")))
		importFiles(t, db, id, textFile("da.csv", notifications("A1,01/02/2020,,Male,P1,20/02/2026,Y,Son,Son,Y,High,Y,Y,Y,21/02/2026,adult")))
		corrected := textFile("List 3 corrected.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,3A,No,1,Front door,Sam", "C1,Female,WBRI,07/07/2022,3,04/01/2026,6,No,1,Front door,Sam"))
		// B1 leaves: half the list, so the import asks to be confirmed.
		res, err := db.ImportLists(ctx, id, []ingest.File{corrected}, ingest.ImportOptions{Actor: &jtai.AccessEntry{Actor: "console:test"}})
		if !jtai.IsKind(err, jtai.ECONFLICT) || res.Landed || fmt.Sprint(res.Leaving) != fmt.Sprint([]ingest.Leaving{{List: ingest.ListAnnexA3, Left: 1, Was: 2}}) {
			t.Fatalf("half of list 3 leaving, unconfirmed: landed %v, leaving %+v, %v", res.Landed, res.Leaving, err)
		}
		if n, _ := db.CountChildren(ctx, id); n != 2 {
			t.Errorf("%d children after the refused import, want A1 and B1 still", n)
		}
		res = replaceFiles(t, db, id, corrected)
		if len(res.Lists) != 1 || !res.Lists[0].Replaced || res.Lists[0].ReplacedRows != 2 || res.Lists[0].Left != 1 || res.RemovedChildren != 1 || res.NewChildren != 1 || res.NoChanges {
			t.Errorf("replacing list 3: %+v", res)
		}
		if n, _ := db.CountChildren(ctx, id); n != 2 {
			t.Errorf("%d children, want A1 and C1", n)
		}
		if _, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, id, authz.ListChildren), "B1"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("B1, on no list any more: %v", err)
		}
		a, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, id, authz.ListChildren), "A1")
		must(t, err)
		// Source 6 (police) came only from the replaced list; the DA list's
		// facts stay. Each signal is dated by its referral or its
		// notification (the later of the incident and the MARAC), for
		// screening to tell the current from history.
		want := jtai.ChildFacts{ReferralSources: []string{"3A"}, PoliceNotifications: 1, PoliceChildPresent: true, MARAC: true, AbuseTypes: []string{"adult"},
			Stages:   []jtai.Stage{jtai.StageContact, jtai.StageReferral},
			Agencies: []jtai.AgencyKind{jtai.AgencySocialCare, jtai.AgencyPolice, jtai.AgencyHealth, jtai.AgencyProbation, jtai.AgencyEducation},
			Lists:    []string{ingest.ListAnnexA3, ingest.ListDANotifications},
			Ended: map[string]jtai.Date{jtai.SignalReferralSource("3A"): jtai.NewDate(2026, 1, 3), jtai.SignalPoliceNotification: jtai.NewDate(2026, 2, 21),
				jtai.SignalPoliceChildPresent: jtai.NewDate(2026, 2, 21), jtai.SignalMARAC: jtai.NewDate(2026, 2, 21)}}
		if fmt.Sprint(a.Facts) != fmt.Sprint(want) {
			t.Errorf("A1 facts\n got %+v\nwant %+v", a.Facts, want)
		}
		imports, err := db.ListImports(ctx, id)
		must(t, err)
		if len(imports) != 2 || imports[1].List != ingest.ListAnnexA3 || imports[1].Files[0] != "List 3 corrected.csv" || imports[1].Rows != 2 {
			t.Errorf("imports: %+v", imports)
		}
		if n := countRows(t, db, "import_rows"); n != 3 {
			t.Errorf("%d import rows, want 3", n)
		}
		// The import's entry, then the two reads above, newest first.
		entries, err := db.AccessLogTail(ctx, 3)
		must(t, err)
		if entries[2].Action != jtai.ActUpdate || entries[2].Resource != fmt.Sprintf("inspection/%d/list/%s", id, ingest.ListAnnexA3) || entries[2].Actor != "console:test" {
			t.Errorf("the import's log entry: %+v", entries[2])
		}
		if entries[0].Action != "test-read" || entries[1].Outcome != "failed: "+jtai.ENOTFOUND {
			t.Errorf("the reads' log entries: %+v, %+v", entries[1], entries[0])
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestImportLinksChildrenAcrossLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		res := importFiles(t, db, id,
			textFile("List 3.csv", referrals("ab12,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam")),
			textFile("domestic abuse.csv", notifications(" AB12 ,02/02/2020,,Male,P1,20/02/2026,Y,Son,Son,Y,High,Y,N,N,,adult")))
		if res.Children != 1 || res.NewChildren != 1 {
			t.Errorf("%d children (%d new), want one", res.Children, res.NewChildren)
		}
		if n, _ := db.CountChildren(ctx, id); n != 1 {
			t.Fatalf("%d children, want one linked child", n)
		}
		var warning *ingest.Problem
		for i, p := range res.Summary.Problems {
			if p.Rule == ingest.RuleInconsistent {
				warning = &res.Summary.Problems[i]
			}
		}
		if warning == nil || warning.Severity != ingest.Warning || !strings.Contains(warning.Message, "List 3.csv, row 2") || !strings.Contains(warning.Message, "domestic abuse.csv, row 2") {
			t.Fatalf("no warning naming both dates of birth' places: %+v", res.Summary.Problems)
		}
		if strings.Contains(warning.Message, "2020") {
			t.Errorf("the warning shows a date of birth: %s", warning.Message)
		}
		c, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, id, authz.ListChildren), "AB12")
		must(t, err)
		if c.DateOfBirth == nil || *c.DateOfBirth != jtai.NewDate(2020, 2, 1) {
			t.Errorf("date of birth %v, want the first list's", c.DateOfBirth)
		}
		if len(c.Facts.Lists) != 2 || c.Facts.PoliceNotifications != 1 || c.Facts.ReferralSources[0] != "6" {
			t.Errorf("facts %+v", c.Facts)
		}
	})
}

func TestImportKeepsNoPlaintext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		db := storetest.OpenAt(t, loc, storetest.MasterKey(t))
		f := seed(t, db)
		body := "Child Unique ID,First Name,Last Name,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source\n" +
			"QX7731,Wrenna,Halloway-Skye,Female,WBRI,17/09/2019,6,03/01/2026,6\n"
		importFiles(t, db, f.inspection.ID, textFile("List 3.csv", body),
			textFile("da.csv", notifications("QX7731,17/09/2019,,Female,PR-99812,20/02/2026,Y,Daughter,Daughter,Y,High,Y,N,N,,adult")))
		raw := rawDump(t, db, loc)
		if loc.Postgres {
			for _, table := range []string{"imports", "import_rows"} {
				rows, err := db.RawQuery(ctx, "SELECT t::text FROM "+table+" t")
				must(t, err)
				for rows.Next() {
					var s string
					must(t, rows.Scan(&s))
					raw = append(raw, s...)
				}
				rows.Close()
			}
		}
		if !bytes.Contains(raw, []byte("List 3.csv")) {
			t.Fatal("the dump misses the import's file name: it reads nothing of the imports")
		}
		for _, s := range []string{"QX7731", "qx7731", "Wrenna", "Halloway-Skye", "2019-09-17", "17/09/2019", "PR-99812"} {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s database holds %q in plaintext", dialect, s)
			}
		}
		c, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, f.inspection.ID, authz.ListChildren), "qx7731")
		must(t, err)
		if c.FirstName != "Wrenna" || c.LastName != "Halloway-Skye" {
			t.Errorf("child read back as %q %q", c.FirstName, c.LastName)
		}
	})
}

// A list corrected after the selection was published lands, and never
// breaks the selection: a selected child no list names any more is kept,
// selected and off the lists; a selected child whose record changed stays
// selected; both are logged. Before, the import failed on the foreign key.
func TestImportAfterSelection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		importFiles(t, db, id, textFile("List 3.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam",
			"B1,Female,WBRI,05/06/2021,4,04/01/2026,8,No,1,Front door,Sam", "C1,Female,WBRI,07/07/2022,3,04/01/2026,6,No,1,Front door,Sam")))
		g := storetest.Grant(t, id, authz.ListChildren)
		kid := func(la string) *jtai.Child {
			t.Helper()
			c, err := db.OpenChildByLAChildID(ctx, g, la)
			must(t, err)
			return c
		}
		a, b := kid("A1"), kid("B1")
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		must(t, db.SaveSelection(ctx, &jtai.Selection{InspectionID: id, Seed: 1, Children: []jtai.SelectedChild{
			{ChildID: a.ID, Kind: jtai.CaseTracking, Reason: "First pick", Screened: "in-scope:police"},
			{ChildID: b.ID, Kind: jtai.CaseSample, Reason: "First pick", Screened: "needs-review:no-evidence"},
		}}, []jtai.AuditPartKey{{ChildID: a.ID, AgencyID: f.agency.ID, PartID: "social-care"}}, by))

		// The corrected list drops B1 (selected) and C1 (not), and changes A1.
		res := replaceFiles(t, db, id, textFile("List 3 corrected.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,3A,No,1,Front door,Sam")))
		if res.RemovedChildren != 2 || res.SelectedChanged != 2 {
			t.Errorf("the corrected list: %d no longer on any list, %d selected changed; want 2 and 2", res.RemovedChildren, res.SelectedChanged)
		}
		if n, _ := db.CountChildren(ctx, id); n != 1 {
			t.Errorf("%d children on the lists, want A1 alone", n)
		}
		sel, err := db.FindSelection(ctx, id)
		must(t, err)
		if len(sel.Children) != 2 || !sel.Has(a.ID) || !sel.Has(b.ID) || sel.Children[0].Screened != "in-scope:police" {
			t.Errorf("the selection after the corrected list: %+v", sel.Children)
		}
		kept, err := db.OpenChildren(ctx, g, []int64{a.ID, b.ID})
		must(t, err)
		if kept[0].OffLists || !kept[1].OffLists || kept[1].LAChildID != "B1" || kept[0].Facts.ReferralSources[0] != "3A" {
			t.Errorf("A1 off the lists %v (sources %v), B1 off the lists %v", kept[0].OffLists, kept[0].Facts.ReferralSources, kept[1].OffLists)
		}
		if _, err := db.OpenChildByLAChildID(ctx, g, "C1"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("C1, never selected and on no list: %v", err)
		}
		all, err := db.OpenAllChildren(ctx, storetest.Grant(t, id, authz.ScreenChildren))
		must(t, err)
		if len(all) != 1 || all[0].ID != a.ID {
			t.Errorf("screening reads %d children, want A1 alone", len(all))
		}
		// B1 cannot be selected again while off the lists.
		must(t, db.RemoveSelectedChild(ctx, id, b.ID, "Not on the corrected lists", by))
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: b.ID, Kind: jtai.CaseSample, Reason: "again"}, nil, by), jtai.ENOTFOUND)

		entries, err := db.AccessLogTail(ctx, 30)
		must(t, err)
		logged := map[string]string{}
		for _, e := range entries {
			if strings.Contains(e.Resource, "/selection/child/") {
				logged[e.Resource] = e.Outcome
			}
		}
		if o := logged[fmt.Sprintf("inspection/%d/selection/child/%d", id, b.ID)]; !strings.Contains(o, "no longer on any list") {
			t.Errorf("B1's change logged as %q", o)
		}
		if o := logged[fmt.Sprintf("inspection/%d/selection/child/%d", id, a.ID)]; !strings.Contains(o, "record changed") {
			t.Errorf("A1's change logged as %q", o)
		}

		// Back on the lists: the same child, the same id.
		res = importFiles(t, db, id, textFile("List 3 again.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,3A,No,1,Front door,Sam",
			"B1,Female,WBRI,05/06/2021,4,04/01/2026,8,No,1,Front door,Sam")))
		if res.NewChildren != 0 || res.SelectedChanged != 1 {
			t.Errorf("B1 back: %d new, %d selected changed; want 0 and 1", res.NewChildren, res.SelectedChanged)
		}
		if back := kid("B1"); back.ID != b.ID || back.OffLists {
			t.Errorf("B1 back on the lists: id %d (was %d), off the lists %v", back.ID, b.ID, back.OffLists)
		}
		_, err = db.Verify(ctx)
		must(t, err)
	})
}

// A list with no rows never empties the list imported before; lists with no
// rows at all are refused; an identical file again is "no changes".
func TestImportNoSilentRemoval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		list3 := textFile("List 3.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam", "B1,Female,WBRI,05/06/2021,4,04/01/2026,8,No,1,Front door,Sam"))
		importFiles(t, db, id, list3)

		// The empty template: refused, nothing changes.
		res, err := db.ImportLists(ctx, id, []ingest.File{textFile("List 3 template.csv", referrals()), textFile("da.csv", notifications())}, ingest.ImportOptions{Actor: &jtai.AccessEntry{Actor: "console:test"}})
		if !jtai.IsKind(err, jtai.EINVALID) || res.Landed || res.Summary.ByRule[ingest.RuleListEmpty] != 1 {
			t.Errorf("an empty template: landed %v, %v, problems %+v", res.Landed, err, res.Summary.Problems)
		}
		// An empty list 3 beside a list with rows: list 3 is kept, and said so.
		res = importFiles(t, db, id, textFile("List 3 template.csv", referrals()), textFile("da.csv", notifications("A1,01/02/2020,,Male,P1,20/02/2026,Y,Son,Son,Y,High,Y,Y,Y,21/02/2026,adult")))
		var warned []string
		for _, p := range res.Summary.Problems {
			if p.Rule == ingest.RuleListEmpty {
				warned = append(warned, p.Message)
			}
		}
		if fmt.Sprint(warned) != "[Annex A list 3 (referrals) has no rows: the children already imported from it are kept]" || len(res.Lists) != 2 || res.Lists[0].List != ingest.ListDANotifications {
			t.Errorf("an empty list 3: warned %q, landed %+v", warned, res.Lists)
		}
		// Every list the files held is in the summary, the empty one too.
		if l := res.Lists[len(res.Lists)-1]; l.List != ingest.ListAnnexA3 || !l.Empty || l.KeptRows != 2 || l.Rows != 0 || l.Replaced || fmt.Sprint(l.Files) != "[List 3 template.csv]" {
			t.Errorf("the empty list 3 in the summary: %+v, want empty with the 2 rows before kept", l)
		}
		if n, _ := db.CountChildren(ctx, id); n != 2 {
			t.Errorf("%d children, want A1 and B1 still", n)
		}
		if res.NoChanges {
			t.Error("a new list is a change")
		}
		// The same list 3 again.
		if res = importFiles(t, db, id, list3); !res.NoChanges || res.Lists[0].Left != 0 {
			t.Errorf("the same list again: no changes %v, %+v", res.NoChanges, res.Lists)
		}
	})
}
