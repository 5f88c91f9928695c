package store_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"jtai"
	"jtai/auditlog"
	"jtai/blob"
	"jtai/store/storetest"
)

// What the hash chain alone cannot see, a checkpoint shows: the last
// entries deleted with the head rewritten to match, the log wiped with its
// head reset, and the whole log replaced by a valid chain of other entries.
func TestCheckpointsCatchACutOrReplacedLog(t *testing.T) {
	tampers := []struct {
		name string
		sql  []string
		then int // entries appended afresh afterwards, as a replacement log
		want string
	}{
		{"truncate the tail and rewrite the head", []string{
			`DELETE FROM access_log WHERE seq > 4`,
			`UPDATE access_log_head SET seq = 4, hash = (SELECT hash FROM access_log WHERE seq = 4)`,
		}, 0, "the log ends at entry 4, but reached entry 6"},
		{"wipe the log and reset its head", []string{`DELETE FROM access_log`, `UPDATE access_log_head SET seq = 0, hash = ''`}, 0, "the log is empty, but held 6 entries"},
		{"replace everything", []string{`DELETE FROM access_log`, `UPDATE access_log_head SET seq = 0, hash = ''`}, 7, "entry 6 is not the one its checkpoint"},
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		for _, tt := range tampers {
			t.Run(tt.name, func(t *testing.T) {
				loc, master := storetest.Location(t, dialect), storetest.MasterKey(t)
				db := storetest.OpenAt(t, loc, master)
				docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
				must(t, err)
				db.SetDocumentStore(docs)
				for i := range 6 {
					must(t, db.Append(ctx, &jtai.AccessEntry{ActorID: 1, Actor: "lead@example.org", Action: jtai.ActView, Resource: "inspection/1/child/" + string(rune('a'+i))}))
				}
				c, err := db.WriteCheckpoint(ctx)
				must(t, err)
				latest, err := db.LatestCheckpoint(ctx)
				must(t, err)
				if *latest != *c || c.Seq != 6 {
					t.Fatalf("checkpoint %+v, read back %+v", c, latest)
				}
				must(t, db.VerifyCheckpoint(ctx, latest))

				dropTriggers(t, db, dialect)
				for _, q := range tt.sql {
					if _, err := db.RawExec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				// A fresh store, as the next command would open it: no head
				// remembered in memory.
				db2 := storetest.OpenAt(t, loc, master)
				db2.SetDocumentStore(docs)
				for i := range tt.then {
					must(t, db2.Append(ctx, &jtai.AccessEntry{Actor: "console:someone", Action: jtai.ActView, Resource: "inspection/1/child/" + string(rune('p'+i))}))
				}
				if _, err := db2.Verify(ctx); err != nil {
					t.Fatalf("the chain alone should pass (that is the gap): %v", err)
				}
				err = db2.VerifyCheckpoint(ctx, latest)
				var be *auditlog.BrokenError
				if !errors.As(err, &be) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("after %s: %v, want %q", tt.name, err, tt.want)
				}
			})
		}
	})
}

func TestCheckpointSignatureAndLogEdges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
		must(t, err)
		db.SetDocumentStore(docs)
		_, err = db.LatestCheckpoint(ctx)
		wantKind(t, err, jtai.ENOTFOUND)
		must(t, db.Append(ctx, &jtai.AccessEntry{Actor: "console", Action: jtai.ActView, Resource: "x"}))
		c, err := db.WriteCheckpoint(ctx)
		must(t, err)
		forged := *c
		forged.Seq = 1000
		if err := db.VerifyCheckpoint(ctx, &forged); err == nil || !strings.Contains(err.Error(), "not signed with this database's key") {
			t.Errorf("a checkpoint with its sequence changed: %v", err)
		}
		other := storetest.Open(t, dialect, storetest.MasterKey(t))
		if err := other.VerifyCheckpoint(ctx, c); err == nil || !strings.Contains(err.Error(), "another database's") {
			t.Errorf("another database's checkpoint: %v", err)
		}
		if dialect == "postgres" {
			if _, err := db.RawExec(ctx, `TRUNCATE access_log`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE of the access log: %v", err)
			}
		}
		// No head row: said so, not a bare driver error.
		if _, err := db.RawExec(ctx, `DELETE FROM access_log_head`); err != nil {
			t.Fatal(err)
		}
		var be *auditlog.BrokenError
		if _, err := db.Verify(ctx); !errors.As(err, &be) || !strings.Contains(err.Error(), "head row is missing") {
			t.Errorf("a log with no head: %v", err)
		}
	})
}
