package store_test

import (
	"fmt"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/ingest"
	"jtai/store"
	"jtai/store/storetest"
)

// census is a CIN census file in the DfE's shape: the Header with the LEA
// and reference date, then the children.
func census(lea, ref string, children ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>` + ref[:4] + `</Year><ReferenceDate>` + ref + `</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>` + lea + `</LEA><SoftwareCode>TEST</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>` + ref + `T09:00:00</DateTime></Source>
  </Header>
  <Children>
` + strings.Join(children, "") + `  </Children>
</Message>
`
}

// censusChild is one child with one episode referred by the police;
// death is the PersonDeathDate, or "".
func censusChild(id, dob, referral, death string) string {
	dod := ""
	if death != "" {
		dod = "<PersonDeathDate>" + death + "</PersonDeathDate>"
	}
	return `    <Child>
      <ChildIdentifiers><LAchildID>` + id + `</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>` + dob + `</PersonBirthDate>` + dod + `<Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>` + referral + `</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>` + referral + `</AssessmentActualStartDate><AssessmentAuthorisationDate>` + referral + `</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
      </CINdetails>
    </Child>
`
}

// eachSeeded runs a test on each database, holding one inspection.
func eachSeeded(t *testing.T, test func(t *testing.T, db *store.DB, f *fixture)) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		test(t, db, seed(t, db))
	})
}

func problemsOf(res *ingest.Result, rule string) []ingest.Problem {
	var out []ingest.Problem
	for _, p := range res.Summary.Problems {
		if p.Rule == rule {
			out = append(out, p)
		}
	}
	return out
}

func TestAnotherAreasCensusIsRefused(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *store.DB, f *fixture) {
		lists := textFile("List 3.csv", referrals("R1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam"))
		other := textFile("census.xml", census("380", "2025-03-31", censusChild("C1", "2021-04-01", "2025-01-10", "")))
		res, err := db.ImportLists(ctx, f.inspection.ID, []ingest.File{lists, other}, ingest.ImportOptions{})
		wantKind(t, err, jtai.EINVALID)
		ps := problemsOf(res, ingest.RuleOtherArea)
		want := "The census is local authority 380's, not Stonecross's (991): it is another area's children, so it cannot be imported into this inspection"
		if res.Landed || len(ps) != 1 || ps[0].Severity != ingest.Error || ps[0].Message != want || ps[0].File != "census.xml" || ps[0].Column != "Message/Header/Source/LEA" {
			t.Fatalf("landed %v, problems %+v", res.Landed, res.Summary.Problems)
		}
		for _, table := range []string{"imports", "import_rows", "children"} {
			if n := countRows(t, db, table); n != 0 {
				t.Errorf("%s holds %d rows after another area's census was refused", table, n)
			}
		}
		// The area's own census lands, its reference date kept and shown.
		res = importFiles(t, db, f.inspection.ID, lists, textFile("census.xml", census("991", "2025-03-31", censusChild("C1", "2021-04-01", "2025-01-10", ""))))
		if len(problemsOf(res, ingest.RuleOtherArea)) != 0 || len(problemsOf(res, ingest.RuleCensusOld)) != 0 {
			t.Errorf("the area's own recent census: %+v", res.Summary.Problems)
		}
		got := map[string]string{}
		for _, l := range res.Lists {
			got[l.List] = l.ReferenceDate.String()
		}
		if got[ingest.ListCINCensus] != "2025-03-31" || !res.Lists[0].ReferenceDate.IsZero() {
			t.Errorf("reference dates in the result: %v", got)
		}
		landed, err := db.ListImports(ctx, f.inspection.ID)
		must(t, err)
		for _, l := range landed {
			want := ""
			if l.List == ingest.ListCINCensus {
				want = "2025-03-31"
			}
			if d := l.ReferenceDate; (want == "" && !d.IsZero()) || (want != "" && d.String() != want) {
				t.Errorf("%s stored with reference date %v, want %q", l.List, d, want)
			}
		}
		// A census without an LEA cannot be checked: it lands, with a warning.
		noLEA := strings.Replace(census("991", "2025-03-31", censusChild("C1", "2021-04-01", "2025-01-10", "")), "<LEA>991</LEA>", "", 1)
		res = importFiles(t, db, f.inspection.ID, textFile("census.xml", noLEA))
		ps = problemsOf(res, ingest.RuleOtherArea)
		if len(ps) != 1 || ps[0].Severity != ingest.Warning || !strings.HasPrefix(ps[0].Message, "The census gives no LEA in its Header, so jtai cannot check that it is Stonecross's (991)") {
			t.Errorf("a census without an LEA: %+v", res.Summary.Problems)
		}
	})
}

func TestOldCensusIsAWarning(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *store.DB, f *fixture) { // notified 2 March 2026
		for _, c := range []struct {
			ref  string
			warn bool
		}{{"2023-03-31", true}, {"2025-02-01", true}, {"2025-02-02", false}, {"2025-03-31", false}} {
			// Each later than the one before: an earlier census is refused.
			res := replaceFiles(t, db, f.inspection.ID, textFile("census.xml", census("991", c.ref, censusChild("C1", "2021-04-01", "2023-01-10", ""))))
			ps := problemsOf(res, ingest.RuleCensusOld)
			if c.warn != (len(ps) == 1) {
				t.Errorf("census of %s: %+v", c.ref, ps)
				continue
			}
			if c.warn && (ps[0].Severity != ingest.Warning || !strings.Contains(ps[0].Message, "is more than 13 months before the notification (2 March 2026)")) {
				t.Errorf("census of %s: %+v", c.ref, ps[0])
			}
		}
	})
}

func TestTwoCensusesTheLaterWins(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *store.DB, f *fixture) {
		id := f.inspection.ID
		earlier := textFile("census-2024.xml", census("991", "2024-03-31",
			censusChild("A1", "2020-04-01", "2023-06-01", ""), censusChild("B1", "2020-05-01", "2023-07-01", ""), censusChild("D1", "2020-06-01", "2023-08-01", "")))
		later := textFile("census-2025.xml", census("991", "2025-03-31",
			censusChild("A1", "2020-04-01", "2024-09-01", ""), censusChild("C1", "2021-01-01", "2024-10-01", "")))
		res := importFiles(t, db, id, earlier, later)
		ps := problemsOf(res, ingest.RuleCensusReplaced)
		want := "This census (reference date 31 March 2024) is earlier than census-2025.xml (31 March 2025), so only the later census was imported; 2 children of this census are not in the later one, so they are not on the census list"
		if len(ps) != 1 || ps[0].File != "census-2024.xml" || ps[0].Message != want || ps[0].Severity != ingest.Warning {
			t.Fatalf("problems %+v", res.Summary.Problems)
		}
		if len(res.Lists) != 1 || res.Rows != 2 || fmt.Sprint(res.Lists[0].Files) != "[census-2025.xml]" || res.Lists[0].ReferenceDate.String() != "2025-03-31" {
			t.Errorf("lists %+v, %d rows", res.Lists, res.Rows)
		}
		if n, _ := db.CountChildren(ctx, id); n != 2 {
			t.Errorf("%d children, want A1 and C1 of the later census", n)
		}
		if _, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, id, authz.ListChildren), "B1"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("B1, only in the earlier census: %v", err)
		}

		// An earlier census after the later one is refused: the later is kept.
		res, err := db.ImportLists(ctx, id, []ingest.File{earlier}, ingest.ImportOptions{Replace: true})
		wantKind(t, err, jtai.EINVALID)
		ps = problemsOf(res, ingest.RuleCensusReplaced)
		want = "This census (reference date 31 March 2024) is earlier than the census already imported (31 March 2025, from census-2025.xml): the later census is kept, so this one cannot replace it"
		if res.Landed || len(ps) != 1 || ps[0].Severity != ingest.Error || ps[0].Message != want {
			t.Fatalf("an earlier census after the later: landed %v, %+v", res.Landed, res.Summary.Problems)
		}
		landed, err := db.ListImports(ctx, id)
		must(t, err)
		if len(landed) != 1 || landed[0].ReferenceDate.String() != "2025-03-31" {
			t.Errorf("lists after the refusal: %+v", landed)
		}
	})
}

func TestDeceasedChildIsNeverSelected(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *store.DB, f *fixture) {
		id := f.inspection.ID
		importFiles(t, db, id, textFile("census.xml", census("991", "2025-03-31",
			censusChild("A1", "2021-04-01", "2025-01-10", ""), censusChild("D1", "2021-05-01", "2025-01-11", "2025-02-14"))))
		dead := openByID(t, db, id, "D1")
		if dead.DateOfDeath == nil || dead.DateOfDeath.String() != "2025-02-14" {
			t.Fatalf("D1's date of death: %v", dead.DateOfDeath)
		}
		alive := openByID(t, db, id, "A1")
		if alive.Died() {
			t.Fatalf("A1 has a date of death: %v", alive.DateOfDeath)
		}
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		_, err := db.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusInformationRequested}, by)
		must(t, err)
		sel := &jtai.Selection{InspectionID: id, Seed: 1, Children: []jtai.SelectedChild{
			{ChildID: alive.ID, Kind: jtai.CaseTracking, Reason: "stage"}, {ChildID: dead.ID, Kind: jtai.CaseSample, Reason: "stage"}}}
		err = db.SaveSelection(ctx, sel, nil, by)
		wantKind(t, err, jtai.EINVALID)
		if msg := jtai.ErrorMessage(err); msg != "That child has died (the CIN census gives a date of death), so cannot be selected" {
			t.Errorf("message %q", msg)
		}
		if _, err := db.FindSelection(ctx, id); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("a selection with a child who died was kept: %v", err)
		}
		sel.Children = sel.Children[:1]
		must(t, db.SaveSelection(ctx, sel, nil, by))
		wantKind(t, db.AddSelectedChild(ctx, id, jtai.SelectedChild{ChildID: dead.ID, Kind: jtai.CaseSample, Reason: "by hand"}, nil, by), jtai.EINVALID)
		got, err := db.FindSelection(ctx, id)
		must(t, err)
		if got.Has(dead.ID) {
			t.Error("the child who died was added by hand")
		}
	})
}

func openByID(t *testing.T, db *store.DB, inspectionID int64, laChildID string) *jtai.Child {
	t.Helper()
	c, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, inspectionID, authz.ListChildren), laChildID)
	must(t, err)
	return c
}

// An end before its start is a warning with the DfE's rule number: the
// census lands, where before the episode was refused.
func TestImplausibleCensusLands(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *store.DB, f *fixture) {
		closedEarly := strings.Replace(censusChild("C1", "2021-04-01", "2025-01-10", ""), "<ReferralSource>", "<CINclosureDate>2024-12-01</CINclosureDate><ReferralSource>", 1)
		res := importFiles(t, db, f.inspection.ID, textFile("census.xml", census("991", "2025-03-31", closedEarly)))
		ps := problemsOf(res, ingest.RuleImplausible)
		if !res.Landed || res.Rows != 1 || len(ps) != 1 || ps[0].DfERule != "8630" || ps[0].Severity != ingest.Warning {
			t.Fatalf("landed %v, %d rows, problems %+v", res.Landed, res.Rows, res.Summary.Problems)
		}
	})
}
