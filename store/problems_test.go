package store_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/ingest"
	"jtai/store"
	"jtai/store/storetest"
)

// The problems of an upload are kept sealed in the database for an hour,
// readable by their uploader from any app server, each read logged.
func TestImportProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		m := storetest.MasterKey(t)
		clock := &jtai.FixedClock{T: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}
		open := func() *store.DB {
			db, err := store.Open(ctx, loc, m, clock)
			must(t, err)
			t.Cleanup(func() { db.Close() })
			return db
		}
		db := open()
		f := seed(t, db)
		other := &jtai.User{Email: "other@example.org", Name: "Other Inspector", Role: jtai.RoleInspector, Inspectorate: jtai.CQC}
		must(t, db.CreateUser(ctx, other, nil))
		problems := []ingest.Problem{
			{Source: ingest.Source{File: "List 3.csv", Row: 2, Column: "Date of Birth"}, Value: "3*/**/****", Rule: ingest.RuleDateInvalid, Severity: ingest.Error, Message: "Row 2, 'Date of Birth': this is not a date"},
			{Source: ingest.Source{File: "annex-a.xlsx", Sheet: "List 1", Column: "Shoe size"}, Rule: ingest.RuleColumnUnknown, Severity: ingest.Warning, Message: "a column the layout does not know"},
		}
		lead := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		report, err := db.SaveImportProblems(ctx, f.inspection.ID, f.lead.ID, problems)
		must(t, err)

		// Another app server, or this one after a restart, reads them.
		second := open()
		got, err := second.ImportProblems(ctx, f.inspection.ID, report, lead)
		must(t, err)
		if !reflect.DeepEqual(got, problems) {
			t.Errorf("problems read back\n got %+v\nwant %+v", got, problems)
		}
		tail, err := db.AccessLogTail(ctx, 1)
		must(t, err)
		if e := tail[0]; e.Action != jtai.ActView || e.ActorID != f.lead.ID || e.Outcome != "ok" ||
			!strings.HasPrefix(e.Resource, fmt.Sprintf("inspection/%d/lists/problems/", f.inspection.ID)) {
			t.Errorf("the read was logged as %+v", e)
		}

		// Sealed: neither the value nor the message is in the row.
		var sealed []byte
		rows, err := db.RawQuery(ctx, "SELECT sealed FROM import_problems")
		must(t, err)
		for rows.Next() {
			must(t, rows.Scan(&sealed))
		}
		rows.Close()
		if len(sealed) == 0 || bytes.Contains(sealed, []byte("3*/**/****")) || bytes.Contains(sealed, []byte("Date of Birth")) {
			t.Errorf("the problems are stored readable: %.80q", sealed)
		}

		// Not another user's, nor under another inspection, nor an unknown
		// report; asking for another's is logged as a refusal.
		_, err = db.ImportProblems(ctx, f.inspection.ID, report, &jtai.AccessEntry{ActorID: other.ID, Actor: other.Email})
		wantKind(t, err, jtai.ENOTFOUND)
		tail, err = db.AccessLogTail(ctx, 1)
		must(t, err)
		if e := tail[0]; e.Action != jtai.ActDenied || e.ActorID != other.ID || e.Outcome != "denied" {
			t.Errorf("another user's attempt was logged as %+v", e)
		}
		_, err = db.ImportProblems(ctx, f.inspection.ID+1, report, lead)
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.ImportProblems(ctx, f.inspection.ID, "0123456789abcdef0123456789abcdef", lead)
		wantKind(t, err, jtai.ENOTFOUND)

		// An hour on they have expired, and the next upload's write removes
		// them.
		clock.T = clock.T.Add(store.ProblemsLifetime - time.Second)
		_, err = db.ImportProblems(ctx, f.inspection.ID, report, lead)
		must(t, err)
		clock.T = clock.T.Add(time.Second)
		_, err = db.ImportProblems(ctx, f.inspection.ID, report, lead)
		wantKind(t, err, jtai.ENOTFOUND)
		if n := countRows(t, db, "import_problems"); n != 1 {
			t.Fatalf("%d rows before the next upload, want the expired one still there", n)
		}
		next, err := db.SaveImportProblems(ctx, f.inspection.ID, f.lead.ID, problems[:1])
		must(t, err)
		if n := countRows(t, db, "import_problems"); n != 1 {
			t.Errorf("%d rows after the next upload, want only its own", n)
		}
		got, err = db.ImportProblems(ctx, f.inspection.ID, next, lead)
		must(t, err)
		if len(got) != 1 {
			t.Errorf("the next upload's problems: %+v", got)
		}

		// Erasing the inspection's personal data erases its problems too.
		must(t, db.DestroyDataKey(ctx, store.InspectionScope(f.inspection.ID), &jtai.AccessEntry{Actor: "console"}))
		_, err = db.ImportProblems(ctx, f.inspection.ID, next, lead)
		wantKind(t, err, jtai.ENOTFOUND)
		if _, err := db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}
