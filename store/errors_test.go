package store_test

import (
	"path/filepath"
	"strings"
	"testing"

	"jtai"
	"jtai/store"
	"jtai/store/storetest"
)

// Driver errors become the domain's kinds in one place, the same on both
// databases, and a failure of the database is never "not found".
func TestDriverErrorsTranslated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		for _, tt := range []struct {
			name, sql, kind, says string
		}{
			{"unique", `INSERT INTO areas (name, la_code) VALUES ('Again', '` + f.area.LACode + `')`, jtai.ECONFLICT, "already exists"},
			{"foreign key", `INSERT INTO agencies (area_id, kind, name) VALUES (999999, 'police', 'Nowhere Police')`, jtai.ECONFLICT, "no longer there"},
			{"not null", `INSERT INTO areas (name, la_code) VALUES (NULL, '555')`, jtai.EINTERNAL, ""},
		} {
			_, err := db.RawExec(ctx, tt.sql)
			if err == nil {
				t.Fatalf("%s: the database took it", tt.name)
			}
			got := db.Translate(err)
			if !jtai.IsKind(got, tt.kind) || !strings.Contains(jtai.ErrorMessage(got), tt.says) {
				t.Errorf("%s: %v (kind %s), want %s saying %q", tt.name, got, jtai.ErrorKind(got), tt.kind, tt.says)
			}
		}
		// Through the store's own write: the same kind, not a bare error.
		err := db.CreateArea(ctx, &jtai.Area{Name: "Again", LACode: f.area.LACode})
		if !jtai.IsKind(err, jtai.ECONFLICT) {
			t.Errorf("a second area with the code: %v", err)
		}
	})
}

// A database that cannot be reached is "unavailable" (503), on both.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	loc := store.Location{Postgres: true, URL: "postgres://jtai@127.0.0.1:1/jtai?sslmode=disable&connect_timeout=2"}
	db, err := store.Connect(loc, nil, nil)
	if err == nil {
		err = db.Ping(ctx)
		defer db.Close()
	}
	if err == nil {
		t.Fatal("a database on port 1 answered")
	}
	if got := (&store.DB{}).Translate(err); !jtai.IsKind(got, jtai.EUNAVAILABLE) {
		t.Errorf("PostgreSQL not there: %v (kind %s)", got, jtai.ErrorKind(got))
	}
	_, err = store.Open(ctx, store.Location{Path: filepath.Join(t.TempDir(), "missing", "\x00", "jtai.db")}, nil, nil)
	if err == nil {
		t.Fatal("an SQLite file that cannot be made opened")
	}
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		t.Errorf("SQLite that cannot open: %v is 'not found'", err)
	}
}

// An account refers to an area and an agency that exist, the agency one
// of the area's: each refused by its field, not as "that email exists".
func TestAccountReferencesChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		other := &jtai.Area{Name: "Elsewhere", LACode: "997"}
		must(t, db.CreateArea(ctx, other))
		for _, tt := range []struct {
			name         string
			area, agency int64
			field, says  string
		}{
			{"no such area", 999999, f.agency.ID, "area", "Select the user's local area"},
			{"no such agency", f.area.ID, 999999, "agency", "Select the auditor's agency"},
			{"another area's agency", other.ID, f.agency.ID, "agency", "not one of the account's local area"},
		} {
			u := &jtai.User{Email: "sam@police.example", Name: "Sam", Role: jtai.RoleAgencyAuditor, AreaID: tt.area, AgencyID: tt.agency, PasswordHash: "x"}
			err := db.CreateUser(ctx, u, nil)
			fields := jtai.ErrorFields(err)
			if !jtai.IsKind(err, jtai.EINVALID) || len(fields) != 1 || fields[0].Field != tt.field || !strings.Contains(fields[0].Message, tt.says) {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		u := &jtai.User{Email: "sam@police.example", Name: "Sam", Role: jtai.RoleAgencyAuditor, AreaID: f.area.ID, AgencyID: f.agency.ID, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, u, nil))
	})
}
