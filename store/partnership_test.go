package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"jtai"
	"jtai/blob"
	"jtai/store"
	"jtai/store/storetest"
)

func TestDocumentVersionsSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		db := storetest.OpenAt(t, loc, storetest.MasterKey(t))
		dir := filepath.Join(t.TempDir(), "documents")
		docs, err := blob.OpenLocal(dir)
		must(t, err)
		db.SetDocumentStore(docs)
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		secret := []byte("Strategy naming Zephyrine Quillfeather, our safeguarding lead")
		for i, content := range [][]byte{secret, []byte("second draft")} {
			d := &jtai.Document{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, Item: "domestic-abuse-strategy", Name: "Quillfeather strategy.txt", Kind: jtai.DocText, UploadedBy: by.Actor}
			must(t, db.AddDocumentVersion(ctx, d, content, by))
			if d.Version != i+1 {
				t.Fatalf("upload %d got version %d", i+1, d.Version)
			}
		}
		list, err := db.ListDocuments(ctx, f.inspection.ID)
		must(t, err)
		if len(list) != 2 || list[0].Version != 2 || list[1].Version != 1 || list[1].Name != "Quillfeather strategy.txt" {
			t.Fatalf("versions = %+v, want 2 then 1", list)
		}
		got, err := db.ReadDocument(ctx, list[1], by)
		must(t, err)
		if !bytes.Equal(got, secret) {
			t.Fatalf("first version reads %q", got)
		}
		_, err = db.FindDocument(ctx, f.inspection.ID+1000, list[0].ID)
		wantKind(t, err, jtai.ENOTFOUND)

		raw := rawDump(t, db, loc)
		if loc.Postgres {
			raw = append(raw, dumpTables(t, db, "document_versions", "outbox", "invitations")...)
		}
		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				b, _ := os.ReadFile(p)
				raw = append(raw, b...)
			}
			return nil
		})
		for _, plain := range []string{"Zephyrine", "Quillfeather", "second draft"} {
			if bytes.Contains(raw, []byte(plain)) {
				t.Errorf("%q is in the raw database or document directory", plain)
			}
		}
	})
}

// Uploads of the same item at once each get a version of their own.
func TestDocumentVersionsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
		must(t, err)
		db.SetDocumentStore(docs)
		f := seed(t, db)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				d := &jtai.Document{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, Item: "self-evaluation", Name: "s.txt", Kind: jtai.DocText, UploadedBy: "x"}
				errs <- db.AddDocumentVersion(ctx, d, []byte("text"), &jtai.AccessEntry{Actor: "x"})
			}()
		}
		for range 4 {
			must(t, <-errs)
		}
		list, err := db.ListDocuments(ctx, f.inspection.ID)
		must(t, err)
		if len(list) != 4 || list[0].Version != 4 || list[3].Version != 1 {
			t.Fatalf("versions = %d, newest %d", len(list), list[0].Version)
		}
	})
}

// dumpTables reads every row of the tables as PostgreSQL prints them.
func dumpTables(t *testing.T, db *store.DB, tables ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, table := range tables {
		rows, err := db.RawQuery(ctx, "SELECT t::text FROM "+table+" t")
		must(t, err)
		for rows.Next() {
			var s string
			must(t, rows.Scan(&s))
			buf.WriteString(s)
		}
		rows.Close()
	}
	return buf.Bytes()
}

func TestInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		invite := func(email, hash string, expires time.Time) *jtai.Invitation {
			inv := &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, TokenHash: hash, Name: "Pat Contact", Email: email,
				Role: jtai.RoleAgencyAuditor, InvitedBy: by.Actor, ExpiresAt: expires}
			m := &jtai.Message{InspectionID: f.inspection.ID, To: email, Subject: "Invitation", Body: "https://jtai.example/invitations/token-" + hash}
			must(t, db.CreateInvitation(ctx, inv, m, by))
			return inv
		}
		invite("pat@police.example", "h1", time.Now().Add(time.Hour))
		invite("old@police.example", "h2", time.Now().Add(-time.Minute))

		pending, err := db.PendingMessages(ctx, 10)
		must(t, err)
		if len(pending) != 2 || pending[0].Body != "https://jtai.example/invitations/token-h1" {
			t.Fatalf("pending = %+v", pending)
		}
		must(t, db.MarkMessageSent(ctx, pending[0].ID, time.Now()))
		out, err := db.ListOutbox(ctx, []int64{f.inspection.ID}, 10)
		must(t, err)
		if len(out) != 2 || out[1].SentAt == nil || out[1].Body != "" {
			t.Fatalf("a sent message keeps its body or has no time: %+v", out[1])
		}

		u, inv, err := db.AcceptInvitation(ctx, "h1", "hash", &jtai.AccessEntry{})
		must(t, err)
		if u.Role != jtai.RoleAgencyAuditor || u.AgencyID != f.agency.ID || u.AreaID != f.area.ID || inv.AcceptedAt == nil {
			t.Fatalf("account made = %+v", u)
		}
		_, _, err = db.AcceptInvitation(ctx, "h1", "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		_, _, err = db.AcceptInvitation(ctx, "h2", "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		_, _, err = db.AcceptInvitation(ctx, "nope", "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ENOTFOUND)
		if _, err := db.FindUserByEmail(ctx, "old@police.example"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("an expired invitation made an account: %v", err)
		}
		err = db.CreateInvitation(ctx, &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, TokenHash: "h3", Name: "Again", Email: "pat@police.example",
			Role: jtai.RoleAgencyAuditor, ExpiresAt: time.Now().Add(time.Hour)}, &jtai.Message{To: "pat@police.example"}, by)
		wantKind(t, err, jtai.EINVALID)
	})
}
