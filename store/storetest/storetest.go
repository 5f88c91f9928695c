// Package storetest opens real databases for tests: an SQLite file in a
// temporary directory, and a fresh PostgreSQL database on the server named by
// JTAI_TEST_POSTGRES, dropped when the test ends. Under CI=true a missing
// PostgreSQL server fails the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/crypt"
	"jtai/store"
)

// Dialects are the databases every store test runs on.
var Dialects = []string{"sqlite", "postgres"}

// MasterKey returns a fresh master key for a test.
func MasterKey(tb testing.TB) *crypt.MasterKey {
	tb.Helper()
	m, err := crypt.NewMasterKey(crypt.NewDataKeyBytes())
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Required reports whether suites that need outside services must run
// (CI=true) rather than skip.
func Required() bool { return os.Getenv("CI") == "true" }

// PostgresURL returns the server to test against, skipping the test when
// there is none, or failing it under CI=true.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("JTAI_TEST_POSTGRES")
	if u == "" {
		if Required() {
			tb.Fatal("CI=true but JTAI_TEST_POSTGRES is not set: the PostgreSQL suite is required")
		}
		tb.Skip("JTAI_TEST_POSTGRES not set: skipping the PostgreSQL suite")
	}
	return u
}

// Location returns a fresh, empty database location of the given dialect.
func Location(tb testing.TB, dialect string) store.Location {
	tb.Helper()
	if dialect == "sqlite" {
		return store.Location{Path: filepath.Join(tb.TempDir(), "jtai.db")}
	}
	admin := PostgresURL(tb)
	b := make([]byte, 6)
	rand.Read(b)
	name := "jtai_test_" + hex.EncodeToString(b)
	a, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Exec("CREATE DATABASE " + name); err != nil {
		a.Close()
		if Required() {
			tb.Fatalf("create test database on %s: %v", redact(admin), err)
		}
		tb.Skipf("PostgreSQL at %s unusable: %v", redact(admin), err)
	}
	tb.Cleanup(func() {
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		a.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return store.Location{Postgres: true, URL: u.String()}
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Open opens a fresh, migrated database of the given dialect with master,
// closed when the test ends.
func Open(tb testing.TB, dialect string, master *crypt.MasterKey) *store.DB {
	tb.Helper()
	return OpenAt(tb, Location(tb, dialect), master)
}

// OpenAt opens the database at loc, closed when the test ends.
func OpenAt(tb testing.TB, loc store.Location, master *crypt.MasterKey) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), loc, master, jtai.SystemClock{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as a subtest on each dialect.
func Each(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// Grant is the policy's grant to a test lead inspector on the team of the
// inspection, to do a to its personal data: for tests that read back what
// the store keeps through its opening reads, as the guarded service does.
func Grant(tb testing.TB, inspectionID int64, a authz.Action) authz.Grant {
	tb.Helper()
	s := &authz.Subject{UserID: 1, Email: "test-reader@example.org", Role: jtai.RoleLeadInspector, Team: []int64{inspectionID}}
	r := authz.Resource{InspectionID: inspectionID, Part: &authz.Part{AuditSubmitted: true}}
	g, err := authz.Permit(s, a, r, "test-read", fmt.Sprintf("inspection/%d (test)", inspectionID))
	if err != nil {
		tb.Fatalf("grant %s on inspection %d: %v", a, inspectionID, err)
	}
	return g
}

// AuditPart opens one part of a child's joint audit with its answers.
func AuditPart(tb testing.TB, db *store.DB, ctx context.Context, inspectionID int64, key jtai.AuditPartKey) (*jtai.AuditPart, error) {
	tb.Helper()
	parts, err := db.OpenAuditParts(ctx, Grant(tb, inspectionID, authz.ReadAuditAnswers), []jtai.AuditPartKey{key})
	if err != nil {
		return nil, err
	}
	return parts[0], nil
}

// Children opens every child of an inspection.
func Children(tb testing.TB, db *store.DB, ctx context.Context, inspectionID int64) ([]*jtai.Child, error) {
	tb.Helper()
	return db.OpenAllChildren(ctx, Grant(tb, inspectionID, authz.ListChildren))
}
