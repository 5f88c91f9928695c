package store_test

import (
	"testing"
	"time"

	"jtai"
	"jtai/ingest"
	"jtai/store"
	"jtai/store/storetest"
)

// The counts for metrics follow what was committed: the access log's
// entries, whether written alone (group commit) or with a change, as many
// as the table gained; imports that landed and those refused; outbox
// messages sent and failed.
func TestCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		start, logged := db.Counts(), countRows(t, db, "access_log")
		checkLogged := func(when string) {
			t.Helper()
			got := db.Counts().AccessLogEntries - start.AccessLogEntries
			if want := int64(countRows(t, db, "access_log") - logged); got != want || want == 0 {
				t.Errorf("%s: %d access log entries counted, the table gained %d", when, got, want)
			}
		}
		must(t, db.Append(ctx, &jtai.AccessEntry{Actor: "console:test", Action: jtai.ActView, Resource: "inspection/1"},
			&jtai.AccessEntry{Actor: "console:test", Action: jtai.ActView, Resource: "inspection/1/children"}))
		checkLogged("after an append")

		good := textFile("List 3.csv", referrals("R1,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam Worker"))
		bad := textFile("da.csv", notifications("R1,01/02/2020,,Male,P1,31/02/2026,Y,Son,Son,Y,High,Y,Y,N,,adult"))
		_, err := db.ImportLists(ctx, f.inspection.ID, []ingest.File{good, bad}, ingest.ImportOptions{})
		wantKind(t, err, jtai.EINVALID)
		importFiles(t, db, f.inspection.ID, good)
		checkLogged("after an import")

		ids := queueInvitations(t, db, f, 3)
		msgs, err := db.ClaimMessages(ctx, "sender", time.Hour, 3, 10)
		must(t, err)
		if len(msgs) != len(ids) {
			t.Fatalf("claimed %d messages, want %d", len(msgs), len(ids))
		}
		must(t, db.MarkClaimedSent(ctx, msgs[0].ID, time.Now()))
		must(t, db.MarkClaimedSent(ctx, msgs[1].ID, time.Now()))
		must(t, db.MarkClaimedFailed(ctx, msgs[2].ID, "sender", "connection refused"))
		// A second report of a sent message, and a failure reported by a
		// sender whose claim is over, change nothing and are not counted.
		must(t, db.MarkClaimedSent(ctx, msgs[0].ID, time.Now()))
		must(t, db.MarkClaimedFailed(ctx, msgs[2].ID, "sender", "late report"))
		checkLogged("after the invitations")

		got := db.Counts()
		got.AccessLogEntries = start.AccessLogEntries
		if want := (store.Counts{AccessLogEntries: start.AccessLogEntries, ImportsAccepted: 1, ImportsRejected: 1, MessagesSent: 2, MessagesFailed: 1}); got != want {
			t.Errorf("counts %+v, want %+v", got, want)
		}
	})
}
