package store_test

import (
	"database/sql"
	"testing"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
)

// cacheDelta counts the read cache's hits and misses of fn.
func cacheDelta(db *store.DB, fn func()) (hits, misses int64) {
	before := db.Counts()
	fn()
	after := db.Counts()
	return after.CacheHits - before.CacheHits, after.CacheMisses - before.CacheMisses
}

func TestReadCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f, _, again := seedShared(t, dialect)
		db, id := f.db, f.inspection.ID

		// Outside a request nothing is cached.
		if h, miss := cacheDelta(db, func() {
			for range 2 {
				if _, err := db.FindInspectionByID(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		}); h != 0 || miss != 0 {
			t.Errorf("outside a request: %d hits, %d misses; want none", h, miss)
		}

		// A request's second read is answered from the cache, and so is the
		// next request's, while nothing is written.
		first := db.WithRequest(ctx)
		h, miss := cacheDelta(db, func() {
			for range 2 {
				if _, err := db.ListAgencies(first, f.area.ID); err != nil {
					t.Fatal(err)
				}
			}
		})
		if h != 1 || miss != 1 {
			t.Errorf("one request reading twice: %d hits, %d misses; want 1 and 1", h, miss)
		}
		got, err := db.ListAgencies(first, f.area.ID)
		if err != nil || len(got) != 1 || got[0].Name != "Stonecross Police" {
			t.Fatalf("agencies = %v, %v", got, err)
		}
		// What a caller changes is its own.
		got[0].Name = "changed by a caller"
		in, err := db.FindInspectionByID(first, id)
		must(t, err)
		in.Area.Name = "changed by a caller"
		second := db.WithRequest(ctx)
		if h, _ := cacheDelta(db, func() {
			got, err = db.ListAgencies(second, f.area.ID)
			must(t, err)
			in, err = db.FindInspectionByID(second, id)
			must(t, err)
		}); h != 2 {
			t.Errorf("the next request: %d hits, want 2", h)
		}
		if got[0].Name != "Stonecross Police" || in.Area.Name != "Stonecross" {
			t.Errorf("a caller's change reached the cache: %q, %q", got[0].Name, in.Area.Name)
		}

		// Writes that touch nothing cached leave it warm: the access log,
		// sessions, the throttle.
		now := db.Clock().Now()
		must(t, db.Append(ctx, &jtai.AccessEntry{Actor: "console", Action: jtai.ActView, Resource: "cache"}))
		must(t, db.CreateSession(ctx, &jtai.Session{TokenHash: "h", UserID: f.lead.ID, CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
		must(t, db.TouchSession(ctx, "h", now, now.Add(time.Hour)))
		if _, err := db.Reserve(ctx, now, jtai.Limit{Key: "address:x", Max: 5, Window: time.Minute}); err != nil {
			t.Fatal(err)
		}
		third := db.WithRequest(ctx)
		if _, _, err := db.FindSessionUser(third, "h"); err != nil {
			t.Fatal(err)
		}
		if h, miss := cacheDelta(db, func() { _, err = db.ListAgencies(third, f.area.ID) }); h != 1 || miss != 0 || err != nil {
			t.Errorf("after writes to uncached tables: %d hits, %d misses, %v; want a hit", h, miss, err)
		}

		// Any other write moves the generation on: the next request reads
		// afresh and sees it.
		must(t, db.CreateAgency(ctx, &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyHealth, Name: "Stonecross Health"}))
		fourth := db.WithRequest(ctx)
		h, miss = cacheDelta(db, func() { got, err = db.ListAgencies(fourth, f.area.ID) })
		if err != nil || len(got) != 2 || miss != 1 || h != 0 {
			t.Errorf("after a new agency: %d agencies (%v), %d hits, %d misses; want 2 read afresh", len(got), err, h, miss)
		}

		// A request that writes reads its own write.
		if in, err := db.FindInspectionByID(fourth, id); err != nil || in.Status != jtai.StatusNotified {
			t.Fatalf("inspection = %+v, %v", in, err)
		}
		if _, err := db.TransitionInspection(fourth, id, jtai.Move{To: jtai.StatusInformationRequested}, &jtai.AccessEntry{Actor: "lead"}); err != nil {
			t.Fatal(err)
		}
		if in, err := db.FindInspectionByID(fourth, id); err != nil || in.Status != jtai.StatusInformationRequested {
			t.Errorf("after its own transition the request reads %+v, %v", in, err)
		}

		// Another process's write (a second app server, or a console
		// command) is seen by the next request here.
		other := again()
		if _, err := other.TransitionInspection(ctx, id, jtai.Move{To: jtai.StatusWithdrawn, Reason: "The area asked for a delay"}, &jtai.AccessEntry{Actor: "lead"}); err != nil {
			t.Fatal(err)
		}
		if in, err := db.FindInspectionByID(db.WithRequest(ctx), id); err != nil || in.Status != jtai.StatusWithdrawn {
			t.Errorf("after another process's transition: %+v, %v", in, err)
		}
		// So is an operator's repair.
		if _, err := other.RawExec(ctx, `UPDATE agencies SET name = 'Repaired' WHERE kind = 'health'`); err != nil {
			t.Fatal(err)
		}
		got, err = db.ListAgencies(db.WithRequest(ctx), f.area.ID)
		if err != nil || len(got) != 2 || got[1].Name != "Repaired" {
			t.Errorf("after a repair: %v, %v", got, err)
		}
	})
}

// TestReadCacheErasure: children's records are cached sealed, and their
// key is gone for the next request once another process erases it.
func TestReadCacheErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f, _, again := seedShared(t, dialect)
		db := f.db
		kids := synth.New(3).Children(4, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		ids := []int64{kids[2].ID, kids[0].ID}
		want := []string{kids[2].FullName(), kids[0].FullName()}
		for i := range 2 {
			names, err := db.OpenChildNames(db.WithRequest(ctx), storetest.Grant(t, f.inspection.ID, authz.ListChildren), ids)
			if err != nil || len(names) != 2 || names[0] != want[0] || names[1] != want[1] {
				t.Fatalf("request %d: names = %q, %v; want %q", i, names, err, want)
			}
		}
		// One child cached, one not: both come back, in order.
		ids = []int64{kids[3].ID, kids[2].ID}
		names, err := db.OpenChildNames(db.WithRequest(ctx), storetest.Grant(t, f.inspection.ID, authz.ListChildren), ids)
		if err != nil || names[0] != kids[3].FullName() || names[1] != kids[2].FullName() {
			t.Fatalf("names = %q, %v", names, err)
		}
		// A child of another inspection is not found, cached or not.
		other := &jtai.Inspection{AreaID: f.area.ID, ThemeID: f.inspection.ThemeID, NotifiedOn: f.inspection.NotifiedOn}
		must(t, db.CreateInspection(ctx, other))
		_, err = db.OpenChildNames(db.WithRequest(ctx), storetest.Grant(t, other.ID, authz.ListChildren), ids)
		wantKind(t, err, jtai.ENOTFOUND)

		eraser := again()
		must(t, eraser.DestroyDataKey(ctx, store.InspectionScope(f.inspection.ID), &jtai.AccessEntry{Actor: "console"}))
		_, err = db.OpenChildNames(db.WithRequest(ctx), storetest.Grant(t, f.inspection.ID, authz.ListChildren), ids)
		wantKind(t, err, jtai.ENOTFOUND)
	})
}

// TestReadCacheOutOfBand: a change made outside jtai, which moves no
// generation on, is seen once the cache has aged, or at once when whoever
// made it moves the generation on by hand; and the service goes on if the
// generation's row is lost.
func TestReadCacheOutOfBand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		f, loc, _ := seedShared(t, dialect)
		db := f.db
		driver, source := "sqlite", loc.Path
		if loc.Postgres {
			driver, source = "pgx", loc.URL
		}
		psql, err := sql.Open(driver, source)
		must(t, err)
		defer psql.Close()
		edit := func(query string) {
			t.Helper()
			if _, err := psql.ExecContext(ctx, query); err != nil {
				t.Fatal(err)
			}
		}
		name := func() string {
			t.Helper()
			got, err := db.ListAgencies(db.WithRequest(ctx), f.area.ID)
			if err != nil || len(got) != 1 {
				t.Fatalf("agencies = %v, %v", got, err)
			}
			return got[0].Name
		}

		name() // cached
		edit(`UPDATE agencies SET name = 'Edited' WHERE id = 1`)
		if got := name(); got != "Stonecross Police" {
			t.Fatalf("an edit by hand was seen before the cache aged: %q (the test means nothing)", got)
		}
		edit(`UPDATE generation SET n = n + 1`)
		if got := name(); got != "Edited" {
			t.Errorf("after moving the generation on by hand: %q, want Edited", got)
		}

		defer store.SetCacheAge(50 * time.Millisecond)()
		edit(`UPDATE agencies SET name = 'Edited again' WHERE id = 1`)
		time.Sleep(100 * time.Millisecond)
		if got := name(); got != "Edited again" {
			t.Errorf("after the cache aged: %q, want Edited again", got)
		}

		// The generation's row lost: sessions and reads go on, uncached,
		// and the next write makes the row again.
		now := db.Clock().Now()
		must(t, db.CreateSession(ctx, &jtai.Session{TokenHash: "h", UserID: f.lead.ID, CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
		edit(`DELETE FROM generation`)
		req := db.WithRequest(ctx)
		if _, _, err := db.FindSessionUser(req, "h"); err != nil {
			t.Fatalf("session without a generation: %v", err)
		}
		if h, _ := cacheDelta(db, func() {
			for range 2 {
				if _, err := db.ListAgencies(req, f.area.ID); err != nil {
					t.Fatal(err)
				}
			}
		}); h != 0 {
			t.Errorf("%d cache hits without a generation, want none", h)
		}
		must(t, db.CreateAgency(ctx, &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyHealth, Name: "Stonecross Health"}))
		var n int64
		if err := psql.QueryRowContext(ctx, `SELECT n FROM generation WHERE id = 1`).Scan(&n); err != nil || n != 1 {
			t.Errorf("generation after a write = %d, %v; want the row made again at 1", n, err)
		}
	})
}

// seedShared seeds a fresh database and returns, with the fixture, where
// it is and a function that opens it again, as another process would.
func seedShared(t *testing.T, dialect string) (*fixture, store.Location, func() *store.DB) {
	t.Helper()
	loc, m := storetest.Location(t, dialect), storetest.MasterKey(t)
	f := seed(t, storetest.OpenAt(t, loc, m))
	return f, loc, func() *store.DB { return storetest.OpenAt(t, loc, m) }
}
