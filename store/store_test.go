package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jtai"
	"jtai/auditlog"
	"jtai/authz"
	"jtai/crypt"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
)

var ctx = context.Background()

type fixture struct {
	db         *store.DB
	area       *jtai.Area
	agency     *jtai.Agency
	inspection *jtai.Inspection
	lead       *jtai.User
}

func seed(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db}
	f.area = &jtai.Area{Name: "Stonecross", LACode: "991", ONSCode: "E06000999"}
	must(t, db.CreateArea(ctx, f.area))
	f.agency = &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyPolice, Name: "Stonecross Police"}
	must(t, db.CreateAgency(ctx, f.agency))
	f.lead = &jtai.User{Email: "Lead@Example.org ", Name: "Lead Inspector", Role: jtai.RoleLeadInspector, Inspectorate: jtai.Ofsted}
	must(t, db.CreateUser(ctx, f.lead, nil))
	f.inspection = &jtai.Inspection{AreaID: f.area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 2)}
	must(t, db.CreateInspection(ctx, f.inspection))
	must(t, db.AddTeamMember(ctx, f.inspection.ID, f.lead.ID))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err error, kind string) {
	t.Helper()
	if jtai.ErrorKind(err) != kind {
		t.Errorf("err = %v (kind %q), want kind %q", err, jtai.ErrorKind(err), kind)
	}
}

func TestMigrateTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		m := storetest.MasterKey(t)
		db := storetest.OpenAt(t, loc, m)
		applied, err := db.MigrateReport(ctx)
		must(t, err)
		if len(applied) != 0 {
			t.Errorf("second migration applied %d files", len(applied))
		}
		db.Close()
		storetest.OpenAt(t, loc, m) // opening again is safe
	})
}

func TestAreasUsersInspections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)

		wantKind(t, db.CreateArea(ctx, &jtai.Area{Name: "Again", LACode: "991"}), jtai.ECONFLICT)
		wantKind(t, db.CreateArea(ctx, &jtai.Area{Name: "Bad", LACode: "99"}), jtai.EINVALID)
		got, err := db.FindAreaByLACode(ctx, "991")
		if err != nil || got.ID != f.area.ID {
			t.Fatalf("FindAreaByLACode = %v, %v", got, err)
		}
		_, err = db.FindAreaByLACode(ctx, "123")
		wantKind(t, err, jtai.ENOTFOUND)

		u, err := db.FindUserByEmail(ctx, "LEAD@example.org")
		if err != nil || u.ID != f.lead.ID || u.Email != "lead@example.org" {
			t.Fatalf("FindUserByEmail = %+v, %v", u, err)
		}
		dup := &jtai.User{Email: "lead@example.org", Name: "Someone", Role: jtai.RoleLeadInspector, Inspectorate: jtai.CQC}
		err = db.CreateUser(ctx, dup, nil)
		wantKind(t, err, jtai.EINVALID)
		if fe := jtai.ErrorFields(err); len(fe) != 1 || fe[0].Field != "email" {
			t.Errorf("duplicate email fields = %+v", fe)
		}
		coord := &jtai.User{Email: "coord@example.org", Name: "Coordinator", Role: jtai.RoleCoordinator, AreaID: f.area.ID}
		must(t, db.CreateUser(ctx, coord, nil))
		must(t, db.SetUserDisabled(ctx, coord.ID, true, nil))
		coord2, _ := db.FindUserByID(ctx, coord.ID)
		if !coord2.Disabled {
			t.Error("user not disabled")
		}
		users, err := db.ListUsers(ctx, jtai.UserFilter{AreaID: f.area.ID})
		if err != nil || len(users) != 1 || users[0].ID != coord.ID {
			t.Errorf("ListUsers(area) = %v, %v", users, err)
		}

		other := &jtai.Area{Name: "Glimmerton", LACode: "992"}
		must(t, db.CreateArea(ctx, other))
		must(t, db.CreateInspection(ctx, &jtai.Inspection{AreaID: other.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 9)}))
		all, _ := db.ListInspections(ctx, jtai.InspectionFilter{})
		mine, _ := db.ListInspections(ctx, jtai.InspectionFilter{MemberID: f.lead.ID})
		area, _ := db.ListInspections(ctx, jtai.InspectionFilter{AreaID: f.area.ID})
		if len(all) != 2 || len(mine) != 1 || mine[0].ID != f.inspection.ID || len(area) != 1 || area[0].Area.LACode != "991" {
			t.Errorf("ListInspections: all %d, mine %d, area %d", len(all), len(mine), len(area))
		}
		in, err := db.FindInspectionByID(ctx, f.inspection.ID)
		if err != nil || in.NotifiedOn.String() != "2026-03-02" || in.Status != jtai.StatusNotified {
			t.Errorf("FindInspectionByID = %+v, %v", in, err)
		}
		_, err = db.FindInspectionByID(ctx, 999)
		wantKind(t, err, jtai.ENOTFOUND)
	})
}

func TestTOTPReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		must(t, db.SetUserTOTP(ctx, f.lead.ID, "JBSWY3DPEHPK3PXP", 0))
		u, _ := db.FindUserByID(ctx, f.lead.ID)
		if u.TOTPSecret != "JBSWY3DPEHPK3PXP" {
			t.Fatalf("secret = %q", u.TOTPSecret)
		}
		must(t, db.AcceptTOTPStep(ctx, f.lead.ID, 100))
		wantKind(t, db.AcceptTOTPStep(ctx, f.lead.ID, 100), jtai.ECONFLICT)
		wantKind(t, db.AcceptTOTPStep(ctx, f.lead.ID, 99), jtai.ECONFLICT)
		must(t, db.AcceptTOTPStep(ctx, f.lead.ID, 101))
	})
}

func TestChildrenEncrypted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		db := storetest.OpenAt(t, loc, storetest.MasterKey(t))
		f := seed(t, db)
		kids := synth.New(1).Children(50, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		n, _ := db.CountChildren(ctx, f.inspection.ID)
		if n != 50 {
			t.Fatalf("count = %d", n)
		}
		got, err := db.OpenChildByLAChildID(ctx, storetest.Grant(t, f.inspection.ID, authz.ListChildren), " "+strings.ToLower(kids[7].LAChildID))
		if err != nil || got.ID != kids[7].ID || got.LastName != kids[7].LastName {
			t.Fatalf("FindChildByLAChildID = %+v, %v", got, err)
		}
		if !reflect.DeepEqual(got.Facts, kids[7].Facts) || len(got.Facts.Stages) == 0 {
			t.Errorf("facts after a round trip: %+v, want %+v", got.Facts, kids[7].Facts)
		}
		page, err := db.OpenChildPage(ctx, storetest.Grant(t, f.inspection.ID, authz.ListChildren), 10, 5)
		if err != nil || len(page) != 5 || page[0].ID != kids[10].ID {
			t.Fatalf("ListChildren = %d, %v", len(page), err)
		}
		dupe := []*jtai.Child{{LAChildID: "NEW1"}, {LAChildID: kids[0].LAChildID}}
		wantKind(t, db.CreateChildren(ctx, f.inspection.ID, dupe), jtai.ECONFLICT)
		if n2, _ := db.CountChildren(ctx, f.inspection.ID); n2 != 50 {
			t.Errorf("a failed batch left %d children, want 50: not all or nothing", n2)
		}

		raw := rawDump(t, db, loc)
		for _, c := range kids[:20] {
			secrets := []string{c.LAChildID, c.LastName, c.Postcode}
			if c.DateOfBirth != nil {
				secrets = append(secrets, c.DateOfBirth.String())
			}
			for _, s := range secrets {
				if bytes.Contains(raw, []byte(s)) {
					t.Errorf("%s database holds %q in plaintext", dialect, s)
				}
			}
		}
	})
}

// rawDump returns everything the database holds, read around jtai: the
// SQLite files byte for byte, or every PostgreSQL row as text.
func rawDump(t *testing.T, db *store.DB, loc store.Location) []byte {
	t.Helper()
	var buf bytes.Buffer
	if !loc.Postgres {
		files, _ := filepath.Glob(loc.Path + "*")
		for _, f := range files {
			b, err := os.ReadFile(f)
			must(t, err)
			buf.Write(b)
		}
		if buf.Len() == 0 {
			t.Fatal("no database files read")
		}
		return buf.Bytes()
	}
	for _, table := range []string{"areas", "agencies", "users", "inspections", "data_keys", "children", "sessions", "access_log"} {
		rows, err := db.RawQuery(ctx, "SELECT t::text FROM "+table+" t")
		must(t, err)
		for rows.Next() {
			var s string
			must(t, rows.Scan(&s))
			buf.WriteString(s)
		}
		rows.Close()
	}
	if !bytes.Contains(buf.Bytes(), []byte("Stonecross")) {
		t.Fatal("raw dump misses the area's name: the dump reads nothing")
	}
	return buf.Bytes()
}

func TestDestroyDataKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		m := storetest.MasterKey(t)
		db := storetest.OpenAt(t, loc, m)
		f := seed(t, db)
		kids := synth.New(2).Children(3, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		// Another app server, which has read the child already.
		other := storetest.OpenAt(t, loc, m)
		if _, err := other.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID); err != nil {
			t.Fatal(err)
		}
		// Erasing under a keyring drops the key from it too.
		erasing := crypt.WithKeyring(ctx)
		if _, err := db.OpenChild(erasing, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID); err != nil {
			t.Fatal(err)
		}
		must(t, db.DestroyDataKey(erasing, store.InspectionScope(f.inspection.ID), &jtai.AccessEntry{Actor: "console"}))
		_, err := db.OpenChild(erasing, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID)
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID)
		wantKind(t, err, jtai.ENOTFOUND)
		// The next request on the other server reads the key afresh.
		_, err = other.OpenChild(crypt.WithKeyring(ctx), storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID)
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = other.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID)
		wantKind(t, err, jtai.ENOTFOUND)
		// Also from a fresh process, with no key cached.
		db2 := storetest.OpenAt(t, loc, m)
		if _, err := db2.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[0].ID); err == nil {
			t.Error("child readable after its data key was destroyed")
		}
		if n, _ := db2.CountChildren(ctx, f.inspection.ID); n != 3 {
			t.Errorf("count after erasure = %d, want 3", n)
		}
		if _, err := db2.Verify(ctx); err != nil {
			t.Errorf("access log after erasure: %v", err)
		}
		// The service's own keys cannot be erased.
		for _, scope := range []string{store.AuditScope, store.SystemScope} {
			wantKind(t, db.DestroyDataKey(ctx, scope, &jtai.AccessEntry{Actor: "console"}), jtai.EINVALID)
		}
		must(t, db.Append(ctx, &jtai.AccessEntry{Actor: "console", Action: jtai.ActView, Resource: "after"}))
		if _, err := db2.Verify(ctx); err != nil {
			t.Errorf("access log after refusing to erase its key: %v", err)
		}
	})
}

func TestRotateMasterKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		oldKey, newKey := storetest.MasterKey(t), storetest.MasterKey(t)
		db := storetest.OpenAt(t, loc, oldKey)
		f := seed(t, db)
		kids := synth.New(3).Children(3, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		must(t, db.SetUserTOTP(ctx, f.lead.ID, "JBSWY3DPEHPK3PXP", 0))
		n, err := db.RotateMasterKey(ctx, newKey, &jtai.AccessEntry{Actor: "console"})
		must(t, err)
		if n != 3 {
			t.Errorf("rewrapped %d keys, want 3 (the inspection's, the system's and the access log's)", n)
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Errorf("access log after rotation: %v", err)
		}
		withNew := storetest.OpenAt(t, loc, newKey)
		c, err := withNew.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[1].ID)
		if err != nil || c.LastName != kids[1].LastName {
			t.Fatalf("read with the new key: %v, %v", c, err)
		}
		if u, err := withNew.FindUserByID(ctx, f.lead.ID); err != nil || u.TOTPSecret == "" {
			t.Errorf("second factor with the new key: %v", err)
		}
		// The old key no longer opens the database at all: a server given
		// it refuses to start rather than fail on every case page.
		if withOld, err := store.Open(ctx, loc, oldKey, jtai.SystemClock{}); err == nil || !strings.Contains(err.Error(), "use the key file it was made with") {
			t.Errorf("open with the old key after rotation: err = %v", err)
			if err == nil {
				withOld.Close()
			}
		}
	})
}

func TestAccessLogTampering(t *testing.T) {
	tampers := []struct {
		name    string
		sql     []string
		wantSeq int64
	}{
		{"edit", []string{`UPDATE access_log SET resource = 'inspection/9' WHERE seq = 4`}, 4},
		{"delete", []string{`DELETE FROM access_log WHERE seq = 3`}, 3},
		{"delete last", []string{`DELETE FROM access_log WHERE seq = 6`}, 6},
		{"insert", []string{`INSERT INTO access_log (seq, at, actor_id, actor, action, resource, outcome, address, prev_hash, hash) SELECT 7, at, actor_id, actor, action, resource, outcome, address, hash, hash FROM access_log WHERE seq = 6`}, 7},
		{"reorder", []string{
			`UPDATE access_log SET seq = 100 WHERE seq = 2`,
			`UPDATE access_log SET seq = 2 WHERE seq = 3`,
			`UPDATE access_log SET seq = 3 WHERE seq = 100`,
		}, 2},
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		for _, tt := range tampers {
			t.Run(tt.name, func(t *testing.T) {
				db := storetest.Open(t, dialect, storetest.MasterKey(t))
				for i := 0; i < 6; i++ {
					must(t, db.Append(ctx, &jtai.AccessEntry{ActorID: 1, Actor: "lead@example.org", Action: jtai.ActView, Resource: "inspection/1/child/" + string(rune('a'+i))}))
				}
				if n, err := db.Verify(ctx); err != nil || n != 6 {
					t.Fatalf("untouched log: %d, %v", n, err)
				}
				if _, err := db.RawExec(ctx, `UPDATE access_log SET outcome = 'x'`); err == nil {
					t.Fatal("the append-only trigger let an UPDATE through")
				}
				dropTriggers(t, db, dialect)
				for _, q := range tt.sql {
					if _, err := db.RawExec(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				_, err := db.Verify(ctx)
				var be *auditlog.BrokenError
				if !errors.As(err, &be) {
					t.Fatalf("after %s: err = %v, want a broken chain", tt.name, err)
				}
				if be.Seq != tt.wantSeq {
					t.Errorf("after %s: first bad entry %d (%v), want %d", tt.name, be.Seq, err, tt.wantSeq)
				}
			})
		}
	})
}

func dropTriggers(t *testing.T, db *store.DB, dialect string) {
	t.Helper()
	stmts := []string{`DROP TRIGGER access_log_no_update`, `DROP TRIGGER access_log_no_delete`}
	if dialect == "postgres" {
		stmts = []string{`DROP TRIGGER access_log_no_change ON access_log`}
	}
	for _, s := range stmts {
		if _, err := db.RawExec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		now := db.Clock().Now()
		s := &jtai.Session{TokenHash: "h1", UserID: f.lead.ID, CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(30 * 60e9)}
		must(t, db.CreateSession(ctx, s))
		got, err := db.FindSession(ctx, "h1")
		if err != nil || got.UserID != f.lead.ID || got.SecondFactor {
			t.Fatalf("FindSession = %+v, %v", got, err)
		}
		gotS, gotU, err := db.FindSessionUser(ctx, "h1")
		if err != nil || *gotS != *got || gotU.ID != f.lead.ID || gotU.Email != f.lead.Email || gotU.Role != f.lead.Role || !gotU.CreatedAt.Equal(f.lead.CreatedAt) {
			t.Fatalf("FindSessionUser = %+v, %+v, %v; want the session %+v and user %+v", gotS, gotU, err, got, f.lead)
		}
		_, _, err = db.FindSessionUser(ctx, "unknown")
		wantKind(t, err, jtai.ENOTFOUND)
		must(t, db.SetUserDisabled(ctx, f.lead.ID, true, nil))
		_, err = db.FindSession(ctx, "h1")
		wantKind(t, err, jtai.ENOTFOUND)

	})
}

// A reservation takes an attempt under every limit or none, a window
// ends and a new one starts, a release gives one back, and concurrent
// reservations on any number of connections take no more than the limit.
func TestThrottleReserve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		now := db.Clock().Now()
		const w = 15 * time.Minute
		pair := jtai.Limit{Key: "sign-in:x address:10.0.0.1", Max: 2, Window: w}
		addr := jtai.Limit{Key: "address:10.0.0.1", Max: 3, Window: w}
		reserve := func(at time.Time, limits ...jtai.Limit) string {
			t.Helper()
			refused, err := db.Reserve(ctx, at, limits...)
			must(t, err)
			if refused == nil {
				return ""
			}
			return refused.Key
		}
		for i, want := range []string{"", "", pair.Key} {
			if got := reserve(now, pair, addr); got != want {
				t.Errorf("reservation %d: refused %q, want %q", i+1, got, want)
			}
		}
		// The refused pair took nothing from the address: one is left.
		other := jtai.Limit{Key: "sign-in:y address:10.0.0.1", Max: 2, Window: w}
		if got := reserve(now, other, addr); got != "" {
			t.Errorf("the address's third attempt was refused by %q", got)
		}
		if got := reserve(now, other, addr); got != addr.Key {
			t.Errorf("the address's fourth attempt: refused %q, want the address", got)
		}
		must(t, db.Release(ctx, addr.Key))
		if got := reserve(now, other, addr); got != "" {
			t.Errorf("after a release: refused %q", got)
		}
		if got := reserve(now.Add(w), pair, addr); got != "" {
			t.Errorf("a new window: refused %q", got)
		}
		must(t, db.Clear(ctx, pair.Key))
		if got := reserve(now.Add(w), pair); got != "" {
			t.Errorf("after clear: refused %q", got)
		}

		// 200 at once, on every connection the pool has.
		const limit = 5
		many := jtai.Limit{Key: "sign-in:z address:10.0.0.9", Max: limit, Window: w}
		var wg sync.WaitGroup
		var taken atomic.Int32
		for range 200 {
			wg.Go(func() {
				refused, err := db.Reserve(ctx, now, many, jtai.Limit{Key: "address:10.0.0.9", Max: 1000, Window: w})
				if err != nil {
					t.Error(err)
				}
				if refused == nil {
					taken.Add(1)
				}
			})
		}
		wg.Wait()
		if n := taken.Load(); n != limit {
			t.Errorf("200 concurrent reservations took %d attempts, want %d", n, limit)
		}

		// The sweep forgets windows that have ended.
		must(t, db.SweepThrottle(ctx, now.Add(2*w)))
		if rows := countRows(t, db, "throttle"); rows != 0 {
			t.Errorf("%d throttle rows after the sweep", rows)
		}
	})
}

// A failure repeated in a window is one entry when it happens and one
// with the count when the window has ended, on any number of servers,
// and the chain verifies.
func TestAppendRepeated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		const w = time.Minute
		entry := func() *jtai.AccessEntry {
			return &jtai.AccessEntry{Action: jtai.ActInvitationRefuse, Resource: "invitation (unknown link)", Outcome: "denied", Address: "10.0.0.1"}
		}
		before := logLength(t, db)
		var wg sync.WaitGroup
		for range 300 {
			wg.Go(func() {
				if err := db.AppendRepeated(ctx, "unknown link address:10.0.0.1", w, entry()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := logLength(t, db) - before; n != 1 {
			t.Errorf("300 repeats in a window made %d entries, want 1", n)
		}
		must(t, db.SweepThrottle(ctx, db.Clock().Now().Add(w)))
		tail, err := db.AccessLogTail(ctx, 1)
		must(t, err)
		if got := tail[0].Outcome; !strings.HasPrefix(got, "denied; 299 more times from ") || tail[0].Address != "10.0.0.1" {
			t.Errorf("the repeats' entry: %+v", tail[0])
		}
		// Swept once: a second sweep writes nothing.
		must(t, db.SweepThrottle(ctx, db.Clock().Now().Add(w)))
		if n := logLength(t, db) - before; n != 2 {
			t.Errorf("after two sweeps %d entries, want 2", n)
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

func logLength(t *testing.T, db *store.DB) int { return countRows(t, db, "access_log") }

func TestParseLocation(t *testing.T) {
	for _, tt := range []struct {
		in, wantErr string
		postgres    bool
		path        string
	}{
		{"", "", false, store.DefaultPath},
		{"data/x.db", "", false, "data/x.db"},
		{"sqlite:data/x.db", "", false, "data/x.db"},
		{"postgres://u@localhost:5432/jtai", "", true, ""},
		{"postgres://u@localhost:5432/", "no database name", false, ""},
		{"postgres://u:pw@%zz/jtai", "malformed", false, ""},
		{"mysql://u@h/db", "not supported", false, ""},
		{"sqlite:", "needs a file path", false, ""},
	} {
		loc, err := store.ParseLocation(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("%q: error shows the password: %v", tt.in, err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case loc.Postgres != tt.postgres || (!tt.postgres && loc.Path != tt.path):
			t.Errorf("%q: %+v", tt.in, loc)
		}
	}
}

var _ = crypt.KeySize

// Entries appended at once from many goroutines are all committed, in one
// unbroken chain, on both databases; the entries of one call are
// consecutive, and a batch larger than one INSERT takes is split.
func TestAccessLogConcurrentAppends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		// A second app server appends to the same log at the same time,
		// and so do transactions that log their own change, so each
		// server's appender finds the head moved under it.
		db, other, u := twoServers(t, dialect)
		const n = 300
		errs := make(chan error, n)
		total := 0
		for i := 0; i < n; i++ {
			k := 1 + i%3
			if i%7 == 0 {
				k = 1
			}
			total += k
			go func(i int) {
				on := db
				if i%2 == 1 {
					on = other
				}
				if i%7 == 0 {
					errs <- on.SetUserDisabled(ctx, u.ID, false, &jtai.AccessEntry{Actor: "admin@example.org"})
					return
				}
				var es []*jtai.AccessEntry
				for range k {
					es = append(es, &jtai.AccessEntry{ActorID: int64(i), Actor: "load@example.org", Action: jtai.ActView, Resource: "inspection/1"})
				}
				err := on.Append(ctx, es...)
				for j, e := range es {
					if err == nil && (e.Seq < 1 || e.Hash == "" || e.Seq != es[0].Seq+int64(j)) {
						err = fmt.Errorf("entry %d of %d: seq %d after %d, hash %q", j, k, e.Seq, es[0].Seq, e.Hash)
					}
				}
				errs <- err
			}(i)
		}
		for i := 0; i < n; i++ {
			must(t, <-errs)
		}
		big := make([]*jtai.AccessEntry, 450)
		for i := range big {
			big[i] = &jtai.AccessEntry{Actor: "import@example.org", Action: jtai.ActView, Resource: fmt.Sprintf("inspection/1/child/%d", i)}
		}
		must(t, db.Append(ctx, big...))
		total += len(big)
		if checked, err := db.Verify(ctx); err != nil || checked != int64(total) {
			t.Errorf("after %d entries appended concurrently: %d verified, %v", total, checked, err)
		}
		if got := big[len(big)-1].Seq; got != int64(total) {
			t.Errorf("last entry's seq %d, want %d", got, total)
		}
	})
}

// An account change and its access-log entry land in one transaction: a
// change that fails leaves no entry, and one that lands has its entry.
func TestAccountChangesLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email, Address: "192.0.2.1"}
		count := func() int {
			tail, err := db.AccessLogTail(ctx, 1000)
			must(t, err)
			return len(tail)
		}
		before := count()

		u := &jtai.User{Email: "new@example.org", Name: "New", Role: jtai.RoleCoordinator, AreaID: f.area.ID}
		must(t, db.CreateUser(ctx, u, by))
		must(t, db.SetUserDisabled(ctx, u.ID, true, by))
		must(t, db.SetUserDisabled(ctx, u.ID, false, by))
		tail, err := db.AccessLogTail(ctx, 3)
		must(t, err)
		res := fmt.Sprintf("user/%d", u.ID)
		var got []string
		for _, e := range tail {
			if e.Resource != res || e.Actor != f.lead.Email || e.Address != "192.0.2.1" {
				t.Errorf("entry %+v", e)
			}
			got = append(got, e.Action)
		}
		slices.Sort(got)
		want := []string{jtai.ActCreate, jtai.ActDisable, jtai.ActEnable}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("actions logged %v, want %v", got, want)
		}

		after := count()
		wantKind(t, db.CreateUser(ctx, &jtai.User{Email: "NEW@example.org", Name: "Again", Role: jtai.RoleCoordinator, AreaID: f.area.ID}, by), jtai.EINVALID)
		wantKind(t, db.SetUserDisabled(ctx, u.ID+1000, true, by), jtai.ENOTFOUND)
		if n := count(); n != after || after != before+3 {
			t.Errorf("entries: %d before, %d after the changes, %d after the refused ones", before, after, n)
		}
	})
}

// TestAccessLogAppendsAtHead: on PostgreSQL the appender writes a batch in
// one statement at the head it knows, and goes the locked way when another
// server, or a transaction logging its own change, has moved the head.
func TestAccessLogAppendsAtHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db, other, u := twoServers(t, dialect)
		entry := func(i int) *jtai.AccessEntry {
			return &jtai.AccessEntry{Actor: "load@example.org", Action: jtai.ActView, Resource: fmt.Sprintf("inspection/1/child/%d", i)}
		}
		total := 0
		for i, step := range []func() error{
			func() error { return db.Append(ctx, entry(1)) },                       // learns the head
			func() error { return db.Append(ctx, entry(2), entry(3)) },             // at the head
			func() error { return other.Append(ctx, entry(4)) },                    // another server moves it
			func() error { return db.Append(ctx, entry(5)) },                       // finds it moved
			func() error { return db.Append(ctx, entry(6)) },                       // at the head again
			func() error { return db.SetUserDisabled(ctx, u.ID, false, entry(7)) }, // a change logged in its transaction
			func() error { return db.Append(ctx, entry(8)) },                       // finds it moved
		} {
			if err := step(); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		total += 8
		if checked, err := other.Verify(ctx); err != nil || checked != int64(total) {
			t.Errorf("%d verified, %v; want %d", checked, err, total)
		}
		atHead, moved := db.LogBatches()
		if want := map[string][2]int{"postgres": {2, 2}, "sqlite": {0, 0}}[dialect]; atHead != want[0] || moved != want[1] {
			t.Errorf("batches at the head %d, found moved %d; want %v", atHead, moved, want)
		}
	})
}

// twoServers opens one database twice, as two app servers would, with one
// account in it.
func twoServers(t *testing.T, dialect string) (db, other *store.DB, u *jtai.User) {
	t.Helper()
	loc, m := storetest.Location(t, dialect), storetest.MasterKey(t)
	db, other = storetest.OpenAt(t, loc, m), storetest.OpenAt(t, loc, m)
	u = &jtai.User{Email: "someone@example.org", Name: "Someone", Role: jtai.RoleInspector, Inspectorate: jtai.Ofsted}
	must(t, db.CreateUser(ctx, u, nil))
	return db, other, u
}
