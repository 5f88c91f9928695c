package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/blob"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
)

// Six months after an inspection closes its personal data is erased: the
// team's lead inspector and the administrators are told 20 working days
// before, once; a dry run lists what is due and changes nothing; the run
// destroys the data key and deletes the documents, and the inspection, its
// counts and the access log stay. An inspection not ended is never due.
func TestRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		clock := &steppedClock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
		db, err := store.Open(ctx, storetest.Location(t, dialect), storetest.MasterKey(t), clock)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
		must(t, err)
		db.SetDocumentStore(docs)
		f := seed(t, db)
		by := &jtai.AccessEntry{Actor: "console:retention"}
		kids := synth.New(4).Children(5, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		admin := &jtai.User{Email: "admin@example.org", Name: "Admin", Role: jtai.RoleAdministrator, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, admin, nil))
		doc := &jtai.Document{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, Item: "domestic-abuse-strategy", Name: "strategy.txt", Kind: jtai.DocText, UploadedBy: "x"}
		must(t, db.AddDocumentVersion(ctx, doc, []byte("The strategy"), by))
		still := &jtai.Inspection{AreaID: f.area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 1, 12)}
		must(t, db.CreateInspection(ctx, still))

		// Closed on 3 February 2026: erased on 3 August, warned 20 working
		// days before, on 6 July.
		closed := time.Date(2026, 2, 3, 15, 0, 0, 0, time.UTC)
		for _, q := range []string{
			fmt.Sprintf(`UPDATE inspections SET status = 'closed' WHERE id = %d`, f.inspection.ID),
			fmt.Sprintf(`INSERT INTO inspection_transitions (inspection_id, from_status, to_status, actor, at) VALUES (%d, 'published', 'closed', 'lead', %d)`, f.inspection.ID, closed.UnixMicro()),
		} {
			_, err := db.RawExec(ctx, q)
			must(t, err)
		}
		sched, err := db.RetentionSchedule(ctx, 0)
		must(t, err)
		if len(sched) != 1 || sched[0].EraseOn.String() != "2026-08-03" || sched[0].WarnOn.String() != "2026-07-06" || sched[0].Documents != 1 {
			t.Fatalf("schedule %+v", sched)
		}
		run := func(dry bool) *store.RetentionReport {
			t.Helper()
			rep, err := db.RunRetention(ctx, 0, dry, by)
			must(t, err)
			return rep
		}
		clock.t = time.Date(2026, 7, 3, 9, 0, 0, 0, time.UTC)
		if rep := run(false); len(rep.Warned)+len(rep.Erased) != 0 || len(rep.Later) != 1 {
			t.Errorf("a day before the warning: %+v", rep)
		}
		clock.t = time.Date(2026, 7, 6, 9, 0, 0, 0, time.UTC)
		if rep := run(true); len(rep.Warned) != 1 {
			t.Errorf("dry run on the day of the warning: %+v", rep)
		}
		if msgs, _ := db.PendingMessages(ctx, 10); len(msgs) != 0 {
			t.Errorf("a dry run sent %d messages", len(msgs))
		}
		if rep := run(false); len(rep.Warned) != 1 {
			t.Errorf("the warning: %+v", rep)
		}
		if rep := run(false); len(rep.Warned) != 0 {
			t.Errorf("warned twice: %+v", rep)
		}
		msgs, err := db.PendingMessages(ctx, 10)
		must(t, err)
		var to []string
		for _, m := range msgs {
			to = append(to, m.To)
			if !strings.Contains(m.Body, "will be erased on 3 August 2026") {
				t.Errorf("warning %q", m.Body)
			}
		}
		if strings.Join(to, " ") != f.lead.Email+" admin@example.org" && strings.Join(to, " ") != "admin@example.org "+f.lead.Email {
			t.Errorf("warned %v, want the lead inspector and the administrator", to)
		}

		clock.t = time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)
		if rep := run(true); len(rep.Erased) != 1 {
			t.Errorf("dry run on the day: %+v", rep)
		}
		if _, err := db.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID); err != nil {
			t.Fatalf("a dry run erased: %v", err)
		}
		if rep := run(false); len(rep.Erased) != 1 || rep.Erased[0].InspectionID != f.inspection.ID {
			t.Fatalf("the erasure: %+v", rep)
		}
		if _, err := db.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID); !jtai.IsKind(err, jtai.ENOTFOUND) || !strings.Contains(err.Error(), "erased") {
			t.Errorf("a child after the erasure: %v", err)
		}
		if _, err := docs.Get(ctx, storeKeyOf(t, db, f.inspection.ID)); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("the document's bytes after the erasure: %v", err)
		}
		if n, err := db.CountChildren(ctx, f.inspection.ID); err != nil || n != 5 {
			t.Errorf("counts after the erasure: %d %v", n, err)
		}
		if at, _ := db.ErasedAt(ctx, f.inspection.ID); at.IsZero() {
			t.Error("the erasure is not recorded")
		}
		if rep := run(false); len(rep.Erased) != 0 {
			t.Errorf("erased twice: %+v", rep)
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Errorf("access log: %v", err)
		}
		tail, _ := db.AccessLogTail(ctx, 10)
		actions := map[string]bool{}
		for _, e := range tail {
			actions[e.Action] = true
		}
		if !actions[jtai.ActErase] || !actions[jtai.ActKeyDestroy] || !actions[jtai.ActRetentionWarn] {
			t.Errorf("logged %v", actions)
		}
		// The inspection still running keeps its data.
		if sched, _ := db.RetentionSchedule(ctx, 0); len(sched) != 1 {
			t.Errorf("schedule after: %+v", sched)
		}
	})
}

// One server at a time takes a lease, and no one again until it runs out.
func TestLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
		for _, tt := range []struct {
			holder string
			at     time.Time
			want   bool
		}{
			{"a", now, true},
			{"b", now.Add(time.Hour), false},
			{"a", now.Add(time.Hour), false},
			{"b", now.Add(25 * time.Hour), true},
			{"a", now.Add(25 * time.Hour), false},
		} {
			got, err := db.TakeLease(ctx, "retention", tt.holder, tt.at, tt.at.Add(23*time.Hour))
			must(t, err)
			if got != tt.want {
				t.Errorf("%s at %s: %v, want %v", tt.holder, tt.at, got, tt.want)
			}
		}
	})
}

func storeKeyOf(t *testing.T, db *store.DB, inspectionID int64) string {
	t.Helper()
	rows, err := db.RawQuery(ctx, fmt.Sprintf(`SELECT blob_key FROM document_versions WHERE inspection_id = %d`, inspectionID))
	must(t, err)
	defer rows.Close()
	var k string
	for rows.Next() {
		must(t, rows.Scan(&k))
	}
	return k
}
