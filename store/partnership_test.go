package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"jtai"
	"jtai/authz"
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
		got, err := db.OpenDocument(ctx, storetest.Grant(t, list[1].InspectionID, authz.ViewDocument), list[1])
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

// links makes invitation links whose token hashes are h1, h2... and
// remembers each invitee's latest.
type links struct {
	mu     sync.Mutex
	n      int
	latest map[string]string
}

func (l *links) make(inv *jtai.Invitation) (string, *jtai.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	hash := fmt.Sprintf("h%d", l.n)
	if l.latest == nil {
		l.latest = map[string]string{}
	}
	l.latest[inv.Email] = hash
	return hash, &jtai.Message{To: inv.Email, Subject: "Invitation", Body: "https://jtai.example/invitations/token-" + hash}
}

func (l *links) of(email string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.latest[email]
}

func TestInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		health := &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyHealth, Name: "Stonecross ICB"}
		must(t, db.CreateAgency(ctx, health))
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		l := &links{}
		contact := func(agency *jtai.Agency, email string) (*jtai.Invitation, error) {
			inv := &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: agency.ID, Name: "Pat Contact", Email: email, Role: jtai.RoleAgencyAuditor, InvitedBy: by.Actor}
			return inv, db.CreateInvitation(ctx, inv, l.make, by)
		}
		pending := func() []*jtai.Message {
			msgs, err := db.PendingMessages(ctx, 50)
			must(t, err)
			return msgs
		}

		// Before the notification: saved, not sent.
		pat, err := contact(f.agency, "pat@police.example")
		must(t, err)
		if pat.SentAt != nil || pat.Status(time.Now()) != jtai.InvitationNotSent || len(pending()) != 0 {
			t.Fatalf("a contact entered before the notification was sent: %+v", pat)
		}
		_, err = contact(f.agency, "second@police.example")
		wantKind(t, err, jtai.EINVALID)
		if fe := jtai.ErrorFields(err); len(fe) != 1 || fe[0].Field != "agency" || !strings.Contains(fe[0].Message, "Stonecross Police already has a nominated contact") {
			t.Errorf("a second contact for the agency: %v", fe)
		}
		_, err = db.FindNotification(ctx, f.inspection.ID)
		wantKind(t, err, jtai.ENOTFOUND)

		// Recording the notification sends it.
		n, err := db.RecordNotification(ctx, f.inspection.ID, l.make, by)
		must(t, err)
		if n.Invited != 1 {
			t.Errorf("notification invited %d, want 1", n.Invited)
		}
		if msgs := pending(); len(msgs) != 1 || msgs[0].Body != "https://jtai.example/invitations/token-"+l.of("pat@police.example") || msgs[0].To != "pat@police.example" {
			t.Fatalf("outbox after the notification: %+v", msgs)
		}
		if got, err := db.FindNotification(ctx, f.inspection.ID); err != nil || got.By != f.lead.Email {
			t.Errorf("notification = %+v, %v", got, err)
		}
		_, err = db.RecordNotification(ctx, f.inspection.ID, l.make, by)
		wantKind(t, err, jtai.ECONFLICT)

		// After it: sent at once.
		sam, err := contact(health, "sam@health.example")
		must(t, err)
		if sam.SentAt == nil || len(pending()) != 2 {
			t.Fatalf("a contact entered after the notification was not sent: %+v", sam)
		}

		must(t, db.MarkClaimedSent(ctx, pending()[0].ID, time.Now()))
		out, err := db.ListOutbox(ctx, []int64{f.inspection.ID}, 10)
		must(t, err)
		if len(out) != 2 || out[1].SentAt == nil || out[1].Body != "" {
			t.Fatalf("a sent message keeps its body or has no time: %+v", out[1])
		}

		patLink := l.of("pat@police.example")
		u, inv, err := db.AcceptInvitation(ctx, patLink, "hash", &jtai.AccessEntry{})
		must(t, err)
		if u.Role != jtai.RoleAgencyAuditor || u.AgencyID != f.agency.ID || u.AreaID != f.area.ID || inv.AcceptedAt == nil {
			t.Fatalf("account made = %+v", u)
		}
		if u, _ := db.FindUserByEmail(ctx, "pat@police.example"); !u.RequiresSecondFactor || !u.NeedsSecondFactor() {
			t.Error("an account made through an invitation does not need a second factor")
		}
		_, _, err = db.AcceptInvitation(ctx, patLink, "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		_, _, err = db.AcceptInvitation(ctx, "nope", "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.ResendInvitation(ctx, f.inspection.ID, pat.ID, l.make, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.RevokeInvitation(ctx, f.inspection.ID, pat.ID, by)
		wantKind(t, err, jtai.ECONFLICT)

		// Sending again: a new link, the old one replaced.
		old := l.of("sam@health.example")
		again, err := db.ResendInvitation(ctx, f.inspection.ID, sam.ID, l.make, by)
		must(t, err)
		if l.of("sam@health.example") == old || again.TokenHash != l.of("sam@health.example") || len(pending()) != 2 {
			t.Fatalf("send again: %+v, %d pending", again, len(pending()))
		}
		found, err := db.FindInvitation(ctx, old)
		must(t, err)
		if found.ID != sam.ID || found.Status(time.Now()) != jtai.InvitationReplaced {
			t.Errorf("the replaced link: %+v %s", found, found.Status(time.Now()))
		}
		_, _, err = db.AcceptInvitation(ctx, old, "hash", &jtai.AccessEntry{})
		if err == nil {
			t.Fatal("a replaced link made an account")
		}
		_, err = db.ResendInvitation(ctx, f.inspection.ID+1000, sam.ID, l.make, by)
		wantKind(t, err, jtai.ENOTFOUND)

		// Revoking: the link stops working and the agency may have another.
		_, err = db.RevokeInvitation(ctx, f.inspection.ID, sam.ID, by)
		must(t, err)
		found, err = db.FindInvitation(ctx, l.of("sam@health.example"))
		must(t, err)
		if found.Status(time.Now()) != jtai.InvitationRevoked || found.RevokedBy != f.lead.Email {
			t.Errorf("revoked: %+v", found)
		}
		_, _, err = db.AcceptInvitation(ctx, l.of("sam@health.example"), "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.RevokeInvitation(ctx, f.inspection.ID, sam.ID, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.ResendInvitation(ctx, f.inspection.ID, sam.ID, l.make, by)
		wantKind(t, err, jtai.ECONFLICT)
		if _, err := db.FindUserByEmail(ctx, "sam@health.example"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("a revoked invitation made an account: %v", err)
		}

		// An expired link makes no account.
		late, err := contact(health, "late@health.example")
		must(t, err)
		_, err = db.RawExec(ctx, fmt.Sprintf(`UPDATE invitations SET expires_at = 1 WHERE id = %d`, late.ID))
		must(t, err)
		_, _, err = db.AcceptInvitation(ctx, l.of("late@health.example"), "hash", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		if _, err := db.FindUserByEmail(ctx, "late@health.example"); !jtai.IsKind(err, jtai.ENOTFOUND) {
			t.Errorf("an expired invitation made an account: %v", err)
		}
		// An expired invitation is still its agency's contact, and can be sent again.
		_, err = contact(health, "fourth@health.example")
		wantKind(t, err, jtai.EINVALID)
		_, err = db.ResendInvitation(ctx, f.inspection.ID, late.ID, l.make, by)
		must(t, err)

		_, err = contact(f.agency, "pat@police.example")
		wantKind(t, err, jtai.EINVALID) // the account exists

		entries, err := db.AccessLogTail(ctx, 50)
		must(t, err)
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
		}
		for _, a := range []string{jtai.ActContactAdd, jtai.ActNotify, jtai.ActInvite, jtai.ActInvitationResend, jtai.ActInvitationRevoke, jtai.ActInvitationAccept} {
			if seen[a] == 0 {
				t.Errorf("no %s in the access log: %v", a, seen)
			}
		}
	})
}

// Contacts entered while the notification is being recorded are each sent
// exactly once, and of contacts entered at once for one agency only one
// is kept.
func TestInvitationRaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
		l := &links{}
		var agencies []*jtai.Agency
		for i := range 8 {
			a := &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyHealth, Name: fmt.Sprintf("Agency %d", i)}
			must(t, db.CreateAgency(ctx, a))
			agencies = append(agencies, a)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i, a := range agencies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inv := &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: a.ID, Name: "Contact", Email: fmt.Sprintf("c%d@example.org", i), Role: jtai.RoleAgencyAuditor, InvitedBy: by.Actor}
				errs <- db.CreateInvitation(ctx, inv, l.make, by)
			}()
			if i == 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := db.RecordNotification(ctx, f.inspection.ID, l.make, by)
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		invs, err := db.ListInvitations(ctx, f.inspection.ID)
		must(t, err)
		msgs, err := db.PendingMessages(ctx, 50)
		must(t, err)
		if len(invs) != 8 || len(msgs) != 8 {
			t.Fatalf("%d contacts, %d messages; want 8 of each", len(invs), len(msgs))
		}
		for _, inv := range invs {
			if inv.SentAt == nil {
				t.Errorf("%s was left unsent after the notification", inv.Email)
			}
		}

		var ok, refused int
		var mu sync.Mutex
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inv := &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: f.agency.ID, Name: "Same agency", Email: fmt.Sprintf("same%d@police.example", i), Role: jtai.RoleAgencyAuditor, InvitedBy: by.Actor}
				err := db.CreateInvitation(ctx, inv, l.make, by)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case jtai.IsKind(err, jtai.EINVALID):
					refused++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || refused != 7 {
			t.Errorf("8 contacts at once for one agency: %d kept, %d refused; want 1 and 7", ok, refused)
		}
	})
}
