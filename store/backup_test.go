package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/blob"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
)

// A backup taken while an import and other writes go on restores
// elsewhere with everything acknowledged before it began: the children,
// accounts, a document's bytes, and an access log that verifies.
func TestBackupRestoresEverythingAcknowledged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		master := storetest.MasterKey(t)
		db := storetest.OpenAt(t, storetest.Location(t, dialect), master)
		docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "documents"))
		must(t, err)
		db.SetDocumentStore(docs)
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		kids := synth.New(9).Children(40, f.inspection.NotifiedOn)
		must(t, db.CreateChildren(ctx, f.inspection.ID, kids))
		doc := &jtai.Document{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, Item: "domestic-abuse-strategy", Name: "strategy.txt", Kind: jtai.DocText, UploadedBy: by.Actor}
		must(t, db.AddDocumentVersion(ctx, doc, []byte("Our strategy, second year"), by))

		// Writes go on while the backup runs: accounts one after another,
		// and an import of 300 referrals.
		var mu sync.Mutex
		var acked []string
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := &jtai.User{Email: fmt.Sprintf("writer%d@example.org", i), Name: "Writer", Role: jtai.RoleAdministrator, PasswordHash: "x"}
				if err := db.CreateUser(ctx, u, by); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked = append(acked, u.Email)
				mu.Unlock()
			}
		}()
		var rows []string
		for i := range 300 {
			rows = append(rows, fmt.Sprintf("B%04d,Male,WBRI,01/02/2020,6,03/01/2026,6,No,1,Front door,Sam Worker", i))
		}
		go func() {
			defer wg.Done()
			importFiles(t, db, f.inspection.ID, textFile("List 3.csv", referrals(rows...)))
		}()
		for {
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= 5 {
				break
			}
		}
		mu.Lock()
		before := append([]string(nil), acked...)
		mu.Unlock()
		var archive bytes.Buffer
		man, err := db.Backup(ctx, &archive, t.TempDir())
		close(stop)
		wg.Wait()
		must(t, err)
		if man.Documents != 1 || man.LogSeq == 0 || man.Database != dialect {
			t.Errorf("manifest %+v", man)
		}

		dir := t.TempDir()
		got, err := store.ReadBackup(bytes.NewReader(archive.Bytes()), dir, master)
		must(t, err)
		target := storetest.Location(t, dialect)
		restoredDocs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "restored-documents"))
		must(t, err)
		r, err := store.Restore(ctx, dir, got, target, master, restoredDocs, nil, &jtai.AccessEntry{Actor: "console:test"})
		must(t, err)
		defer r.Close()
		for _, email := range before {
			if _, err := r.FindUserByEmail(ctx, email); err != nil {
				t.Errorf("%s, acknowledged before the backup began, is not restored: %v", email, err)
			}
		}
		c, err := r.OpenChild(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewChild), kids[3].ID)
		if err != nil || c.LastName != kids[3].LastName {
			t.Errorf("child after restore: %v %v", c, err)
		}
		// The import landed whole or not at all in the backup.
		if n, err := r.CountChildren(ctx, f.inspection.ID); err != nil || (n != 40 && n != 340) {
			t.Errorf("%d children restored (%v), want 40 or 340", n, err)
		}
		list, err := r.ListDocuments(ctx, f.inspection.ID)
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("documents restored: %d", len(list))
		}
		content, err := r.OpenDocument(ctx, storetest.Grant(t, f.inspection.ID, authz.ViewDocument), list[0])
		if err != nil || string(content) != "Our strategy, second year" {
			t.Errorf("document after restore: %q %v", content, err)
		}
		if _, err := r.Verify(ctx); err != nil {
			t.Errorf("access log after restore: %v", err)
		}
		tail, _ := r.AccessLogTail(ctx, 3) // newest first: the two reads, then the restore
		if len(tail) != 3 || tail[2].Action != jtai.ActRestore || tail[2].Actor != "console:test" {
			t.Errorf("the restore is not logged before the reads: %+v", tail)
		}

		// A second restore into the same database is refused, as is one
		// into a store holding the documents.
		_, err = store.Restore(ctx, dir, got, target, master, restoredDocs, nil, &jtai.AccessEntry{Actor: "console:test"})
		if err == nil || !strings.Contains(err.Error(), "not empty") && !strings.Contains(err.Error(), "exists") {
			t.Errorf("restore over a restored database: %v", err)
		}
	})
}

// A backup that is cut short, altered, or opened with another key is
// refused whole, with what is wrong.
func TestDamagedBackupsAreRefused(t *testing.T) {
	master := storetest.MasterKey(t)
	db := storetest.OpenAt(t, storetest.Location(t, "sqlite"), master)
	f := seed(t, db)
	must(t, db.CreateChildren(ctx, f.inspection.ID, synth.New(2).Children(5, f.inspection.NotifiedOn)))
	var archive bytes.Buffer
	_, err := db.Backup(ctx, &archive, t.TempDir())
	must(t, err)
	good := archive.Bytes()
	flipped := bytes.Clone(good)
	flipped[len(flipped)/3] ^= 0x40
	manifest := bytes.Index(good, []byte(`"access_log_seq": `))
	forged := bytes.Clone(good)
	forged[manifest+len(`"access_log_seq": `)] = '9'
	for _, tt := range []struct {
		name    string
		archive []byte
		key     bool
		want    string
	}{
		{"cut short", good[:len(good)/2], true, "cut short"},
		{"a byte changed in the database", flipped, true, "does not match its manifest"},
		{"the manifest changed", forged, true, "has been altered"},
		{"another key", good, false, "give the key file the backed-up database used"},
		{"not a backup", []byte("hello"), true, "cut short"},
	} {
		key := master
		if !tt.key {
			key = storetest.MasterKey(t)
		}
		dir := t.TempDir()
		_, err := store.ReadBackup(bytes.NewReader(tt.archive), dir, key)
		if !jtai.IsKind(err, jtai.EINVALID) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "othing was restored") {
			t.Errorf("%s: %v, want it to say %q", tt.name, err, tt.want)
		}
	}
	// Over a database that has data: refused, the database untouched.
	dir := t.TempDir()
	man, err := store.ReadBackup(bytes.NewReader(good), dir, master)
	must(t, err)
	docs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "docs"))
	must(t, err)
	existing := filepath.Join(t.TempDir(), "jtai.db")
	must(t, os.WriteFile(existing, []byte("not empty"), 0o600))
	_, err = store.Restore(ctx, dir, man, store.Location{Path: existing}, master, docs, nil, &jtai.AccessEntry{Actor: "console:test"})
	if !jtai.IsKind(err, jtai.EINVALID) || !strings.Contains(err.Error(), "exists") {
		t.Errorf("restore over a file: %v", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "not empty" {
		t.Error("a refused restore changed the database")
	}
}
