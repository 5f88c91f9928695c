package store_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/screen"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/theme"
)

// keptScreening opens the inspection's kept screening.
func keptScreening(t *testing.T, db *store.DB, inspectionID int64) (*jtai.StoredScreening, *screen.Kept) {
	t.Helper()
	s, err := db.OpenScreening(ctx, storetest.Grant(t, inspectionID, authz.ScreenChildren))
	must(t, err)
	k, err := screen.Open(s.Result)
	must(t, err)
	return s, k
}

func resultOf(t *testing.T, k *screen.Kept, laChildID string) screen.Result {
	t.Helper()
	for _, r := range k.Results {
		if r.LAChildID == laChildID {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", laChildID, k.Results)
	return screen.Result{}
}

func TestScreeningIsKept(t *testing.T) {
	reg, err := theme.Builtin()
	must(t, err)
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		id := f.inspection.ID
		// Without a screener nothing is kept, and pages screen for themselves.
		importFiles(t, db, id, textFile("List 3.csv", referrals("A1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam")))
		if _, err := db.OpenScreening(ctx, storetest.Grant(t, id, authz.ScreenChildren)); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Fatalf("kept screening with no screener: %v", err)
		}

		db.SetScreener(screen.Themes{Registry: reg})
		importFiles(t, db, id, textFile("List 3.csv", referrals(
			"A1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam",
			"B1,Female,WBRI,05/06/2021,4,04/01/2026,6,No,1,Front door,Sam",
			"C1,Female,WBRI,07/07/2022,3,04/01/2026,8,No,1,Front door,Sam")))
		s, k := keptScreening(t, db, id)
		th, _ := reg.Get("domestic-abuse-2024")
		if s.Basis != screen.Basis(th) || len(k.Results) != 3 || k.Count(screen.NeedsReview) != 2 || k.Count(screen.OutOfScope) != 1 {
			t.Fatalf("kept after the import: basis %q, %+v", s.Basis, k.Results)
		}

		// A decision without a reason is refused, and nothing is written.
		a := resultOf(t, k, "A1")
		err := db.DecideScreening(ctx, id, []jtai.ScreeningDecision{{ChildID: a.ChildID, In: true, Reason: "  "}}, &jtai.AccessEntry{Actor: "lead@example.org", ActorName: "Lead Inspector"})
		if !jtai.IsKind(err, jtai.EINVALID) {
			t.Fatalf("a decision with no reason: %v", err)
		}
		b := resultOf(t, k, "B1")
		reasonA, reasonB := "Referred after the incident at the flat", "The referral was about a school place"
		must(t, db.DecideScreening(ctx, id, []jtai.ScreeningDecision{{ChildID: a.ChildID, In: true, Reason: reasonA}, {ChildID: b.ChildID, Reason: reasonB}},
			&jtai.AccessEntry{Actor: "lead@example.org", ActorName: "Lead Inspector"}))
		s2, k := keptScreening(t, db, id)
		if a, b := resultOf(t, k, "A1"), resultOf(t, k, "B1"); a.Outcome != screen.InScope || !a.Decided || b.Outcome != screen.OutOfScope || b.Reasons[0] != screen.ReasonDecidedOut {
			t.Errorf("after the decisions: A1 %+v, B1 %+v", a, b)
		}
		if d := k.Decisions[a.ChildID]; d == nil || d.Reason != reasonA || !d.In || d.By != "Lead Inspector" || d.At.IsZero() {
			t.Errorf("A1's decision as kept: %+v", d)
		}
		if !s2.At.After(s.At) && !s2.At.Equal(s.At) {
			t.Errorf("kept at %v, then %v", s.At, s2.At)
		}
		tail, err := db.AccessLogTail(ctx, 10)
		must(t, err)
		decided := 0
		for _, e := range tail {
			if e.Action == jtai.ActDecide && strings.HasPrefix(e.Resource, "inspection/") && strings.HasPrefix(e.Outcome, "ok") && e.Actor == "lead@example.org" {
				decided++
			}
		}
		if decided != 2 {
			t.Errorf("%d decisions logged, want 2: %+v", decided, tail)
		}

		// Sealed: neither the reasons nor the children's results are in
		// the database in plaintext.
		for _, q := range []string{"SELECT sealed FROM screening_decisions", "SELECT sealed FROM screenings"} {
			rows, err := db.RawQuery(ctx, q)
			must(t, err)
			for rows.Next() {
				var b []byte
				must(t, rows.Scan(&b))
				for _, plain := range []string{reasonA, reasonB, "referral-source", "la_child_id"} {
					if bytes.Contains(b, []byte(plain)) {
						t.Errorf("%s holds %q in plaintext", q, plain)
					}
				}
			}
			must(t, rows.Err())
			rows.Close()
		}

		// Corrected lists are screened again as they land, and the decisions
		// still count: A1's referral is now from a school, so the lists
		// alone would put it out; B1 is unchanged and stays decided out.
		replaceFiles(t, db, id, textFile("List 3.csv", referrals(
			"A1,Male,WBRI,01/02/2020,6,03/01/2026,2A,No,1,Front door,Sam",
			"B1,Female,WBRI,05/06/2021,4,04/01/2026,6,No,1,Front door,Sam",
			"D1,Female,WBRI,07/07/2022,3,04/01/2026,6,No,1,Front door,Sam")))
		_, k = keptScreening(t, db, id)
		if len(k.Results) != 3 || resultOf(t, k, "A1").Outcome != screen.OutOfScope || resultOf(t, k, "A1").Decided ||
			resultOf(t, k, "B1").Outcome != screen.OutOfScope || !resultOf(t, k, "B1").Decided || resultOf(t, k, "D1").Outcome != screen.NeedsReview {
			t.Errorf("kept after the corrected list: %+v", k.Results)
		}

		// A child not on the inspection's lists cannot be decided on.
		if err := db.DecideScreening(ctx, id, []jtai.ScreeningDecision{{ChildID: 999999, In: true, Reason: "x"}}, nil); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("a decision on no child: %v", err)
		}
		// The kept screening is opened only with the policy's grant.
		if _, err := db.OpenScreening(ctx, authz.Grant{}); !jtai.IsKind(err, jtai.EFORBIDDEN) {
			t.Errorf("opened with no grant: %v", err)
		}
	})
}

// The importer gives screening what it weighs beyond the codes: a police
// contact, an assessment still open, and when each signal's contact or
// referral was, so that the old ones count as history.
func TestImportDatesSignals(t *testing.T) {
	reg, err := theme.Builtin()
	must(t, err)
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		db.SetScreener(screen.Themes{Registry: reg})
		f := seed(t, db)
		id := f.inspection.ID
		contacts := "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Contact,Contact Source\n" +
			"P1,Male,WBRI,01/02/2021,5,10/02/2026,6\n" + // a police contact a month before the notification
			"P2,Male,WBRI,01/02/2021,5,10/02/2024,6\n" // and one two years before
		assessments := "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Does the Child have a Disability,Continuous Assessment Start Date,Child Seen During Continuous Assessment,Continuous Assessment Date of Authorisation,Was the child assessed as requiring LA children's social care support?,Allocated Team,Allocated Worker\n" +
			"Q1,Female,WBRI,01/02/2022,4,No,05/02/2026,Yes,,Yes,Front door,Sam\n" + // still open
			"Q2,Female,WBRI,01/02/2022,4,No,05/02/2025,Yes,01/03/2025,Yes,Front door,Sam\n" // authorised
		importFiles(t, db, id, textFile("List 1.csv", contacts), textFile("List 4.csv", assessments),
			textFile("List 3.csv", referrals("R1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam", "R2,Male,WBRI,01/02/2020,6,03/01/2024,6,No,1,Front door,Sam")))
		p1, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, id, authz.ListChildren), "P1")
		must(t, err)
		if !slices.Equal(p1.Facts.ContactSources, []string{"6"}) || !p1.Facts.Ended[jtai.SignalContactSource("6")].Equal(jtai.NewDate(2026, 2, 10).Time) {
			t.Errorf("P1's facts: %+v", p1.Facts)
		}
		_, k := keptScreening(t, db, id)
		for _, c := range []struct {
			child   string
			outcome screen.Outcome
			reason  string
		}{
			{"P1", screen.NeedsReview, "review:contact-source-police"},
			{"P2", screen.OutOfScope, screen.ReasonHistoryOnly},
			{"Q1", screen.NeedsReview, "review:open-assessment-no-factors"},
			{"Q2", screen.OutOfScope, screen.ReasonNoSignal},
			{"R1", screen.NeedsReview, "review:referral-source-police"},
			{"R2", screen.OutOfScope, screen.ReasonHistoryOnly},
		} {
			if r := resultOf(t, k, c.child); r.Outcome != c.outcome || r.Reasons[0] != c.reason {
				t.Errorf("%s: %s %v, want %s %s", c.child, r.Outcome, r.Reasons, c.outcome, c.reason)
			}
		}
	})
}
