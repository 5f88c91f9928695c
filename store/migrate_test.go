package store_test

import (
	"strconv"
	"testing"
	"time"

	"jtai"
	"jtai/store"
	"jtai/store/storetest"
)

// Invitations made before the notification was recorded (migration 0007)
// went out at once: upgrading keeps every one, marks them sent, records
// the inspection's partnership as notified by the first of them, and has
// the accounts made through them give a second factor. Nothing written in
// the older schema is lost.
func TestUpgradeKeepsInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		m := storetest.MasterKey(t)
		db, err := store.Connect(loc, m, jtai.SystemClock{})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.MigrateUpTo(ctx, 6))

		first := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC).UnixMicro()
		later := first + int64(2*time.Hour/time.Microsecond)
		expires := first + int64(72*time.Hour/time.Microsecond)
		for _, q := range []string{
			`INSERT INTO areas (name, la_code) VALUES ('Eastmere', '990')`,
			`INSERT INTO agencies (area_id, kind, name) SELECT id, 'police', 'Eastmere Police' FROM areas WHERE la_code = '990'`,
			`INSERT INTO agencies (area_id, kind, name) SELECT id, 'health', 'Eastmere Health' FROM areas WHERE la_code = '990'`,
			`INSERT INTO inspections (area_id, theme_id, notified_on, status, created_at) SELECT id, 'domestic-abuse-2024', '2026-03-02', 'notified', 1 FROM areas WHERE la_code = '990'`,
			`INSERT INTO inspections (area_id, theme_id, notified_on, status, created_at) SELECT id, 'domestic-abuse-2024', '2026-06-01', 'notified', 2 FROM areas WHERE la_code = '990'`,
			`INSERT INTO users (email, name, role, area_id, agency_id, password_hash, created_at)
				SELECT 'sam@police.example', 'Sam', 'agency-auditor', a.area_id, a.id, 'x', 3 FROM agencies a WHERE a.name = 'Eastmere Police'`,
			`INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('old@inspectorate.example', 'Old', 'inspector', 'x', 4)`,
			`INSERT INTO invitations (inspection_id, agency_id, token_hash, name, email, role, invited_by, created_at, expires_at, accepted_at, user_id)
				SELECT i.id, a.id, 'hash-1', 'Sam', 'sam@police.example', 'agency-auditor', 'lead@inspectorate.example', ` + itoa(first) + `, ` + itoa(expires) + `, ` + itoa(later) + `, u.id
				FROM inspections i, agencies a, users u WHERE i.notified_on = '2026-03-02' AND a.name = 'Eastmere Police' AND u.email = 'sam@police.example'`,
			`INSERT INTO invitations (inspection_id, agency_id, token_hash, name, email, role, invited_by, created_at, expires_at)
				SELECT i.id, a.id, 'hash-2', 'Kim', 'kim@health.example', 'agency-auditor', 'other@inspectorate.example', ` + itoa(later) + `, ` + itoa(expires) + `
				FROM inspections i, agencies a WHERE i.notified_on = '2026-03-02' AND a.name = 'Eastmere Health'`,
		} {
			if _, err := db.RawExec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}

		applied, err := db.MigrateReport(ctx)
		must(t, err)
		if len(applied) == 0 || applied[0].Version != 7 {
			t.Fatalf("applied %+v, want from 0007 on", applied)
		}

		list, err := db.ListInspections(ctx, jtai.InspectionFilter{})
		must(t, err)
		var notified, planned int64
		for _, in := range list {
			switch in.NotifiedOn.String() {
			case "2026-03-02":
				notified = in.ID
			case "2026-06-01":
				planned = in.ID
			}
		}
		if notified == 0 || planned == 0 {
			t.Fatalf("inspections after the upgrade: %+v", list)
		}
		n, err := db.FindNotification(ctx, notified)
		must(t, err)
		if n.At.UnixMicro() != first || n.By != "lead@inspectorate.example" {
			t.Errorf("notification %+v, want at the first invitation, by its sender", n)
		}
		_, err = db.FindNotification(ctx, planned)
		wantKind(t, err, jtai.ENOTFOUND)

		invs, err := db.ListInvitations(ctx, notified)
		must(t, err)
		if len(invs) != 2 {
			t.Fatalf("invitations after the upgrade: %d, want 2", len(invs))
		}
		at := time.UnixMicro(first + 1).UTC()
		for _, inv := range invs {
			if inv.SentAt == nil || inv.SentAt.UnixMicro() != inv.CreatedAt.UnixMicro() || inv.RevokedAt != nil {
				t.Errorf("%s: sent %v, revoked %v", inv.Email, inv.SentAt, inv.RevokedAt)
			}
			want := jtai.InvitationSent
			if inv.Email == "sam@police.example" {
				want = jtai.InvitationAccepted
			}
			if got := inv.Status(at); got != want {
				t.Errorf("%s: %s, want %s", inv.Email, got, want)
			}
		}
		sam, err := db.FindUserByEmail(ctx, "sam@police.example")
		must(t, err)
		old, err := db.FindUserByEmail(ctx, "old@inspectorate.example")
		must(t, err)
		if !sam.RequiresSecondFactor || old.RequiresSecondFactor {
			t.Errorf("second factor required: invited %v, other %v", sam.RequiresSecondFactor, old.RequiresSecondFactor)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
