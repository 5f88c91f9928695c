package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"jtai"
	"jtai/store"
	"jtai/store/storetest"
)

// setupLinks makes set-up links whose hashes a test can tell apart.
type setupLinks struct {
	mu sync.Mutex
	n  int
}

func (l *setupLinks) make(u *jtai.User, expires time.Time) (string, *jtai.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	hash := fmt.Sprintf("setup-%d", l.n)
	return hash, &jtai.Message{To: u.Email, Subject: "Set up your account", Body: "https://jtai.example/account-setup/token-" + hash}
}

// An account made with a set-up link has no password anyone knows; its
// link goes in the outbox, works once and not after it expires, and the
// link's use is logged as the account's holder.
func TestAccountSetup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		clock := &steppedClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		db, err := store.Open(ctx, storetest.Location(t, dialect), storetest.MasterKey(t), clock)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		f := seed(t, db)
		admin := &jtai.User{Email: "admin@example.org", Name: "Ada Admin", Role: jtai.RoleAdministrator, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, admin, nil))
		by := &jtai.AccessEntry{ActorID: admin.ID, Actor: admin.Email}
		l := &setupLinks{}

		// Bad input: nothing is written, no message queued.
		_, err = db.CreateUserWithSetup(ctx, &jtai.User{Email: "not an email", Name: "Pat", Role: jtai.RoleCoordinator, AreaID: f.area.ID}, l.make, by)
		wantKind(t, err, jtai.EINVALID)
		if msgs, _ := db.PendingMessages(ctx, 10); len(msgs) != 0 {
			t.Fatalf("a refused account queued %d messages", len(msgs))
		}

		u := &jtai.User{Email: "pat@example.org", Name: "Pat Oakhurne", Role: jtai.RoleCoordinator, AreaID: f.area.ID, PasswordHash: "chosen by the caller"}
		a, err := db.CreateUserWithSetup(ctx, u, l.make, by)
		must(t, err)
		stored, err := db.FindUserByID(ctx, u.ID)
		must(t, err)
		if stored.PasswordHash != "" {
			t.Errorf("a new account has password hash %q, want none", stored.PasswordHash)
		}
		msgs, err := db.PendingMessages(ctx, 10)
		must(t, err)
		if len(msgs) != 1 || msgs[0].To != u.Email || !strings.Contains(msgs[0].Body, "token-"+a.TokenHash) {
			t.Fatalf("outbox after creating the account: %+v", msgs)
		}
		if got := a.ExpiresAt.Sub(clock.Now()); got != jtai.AccountSetupLifetime {
			t.Errorf("link works for %v, want %v", got, jtai.AccountSetupLifetime)
		}

		// A session the account had before ends when the link is used.
		must(t, db.CreateSession(ctx, &jtai.Session{TokenHash: "old", UserID: u.ID, CSRFToken: "c", CreatedAt: clock.Now(), LastSeenAt: clock.Now(), ExpiresAt: clock.Now().Add(time.Hour)}))
		_, err = db.UseAccountSetup(ctx, "no such hash", "h1", &jtai.AccessEntry{Address: "192.0.2.1"})
		wantKind(t, err, jtai.ENOTFOUND)
		got, err := db.UseAccountSetup(ctx, a.TokenHash, "h1", &jtai.AccessEntry{Address: "192.0.2.1"})
		must(t, err)
		if got.ID != u.ID || got.PasswordHash != "h1" {
			t.Errorf("used link: user %d hash %q", got.ID, got.PasswordHash)
		}
		_, err = db.FindSession(ctx, "old")
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.UseAccountSetup(ctx, a.TokenHash, "h2", &jtai.AccessEntry{Address: "192.0.2.1"})
		wantKind(t, err, jtai.ECONFLICT)
		if stored, _ := db.FindUserByID(ctx, u.ID); stored.PasswordHash != "h1" {
			t.Errorf("a used link changed the password again: %q", stored.PasswordHash)
		}
		if found, err := db.FindAccountSetup(ctx, a.TokenHash); err != nil || found.UsedAt == nil {
			t.Errorf("the used link: %+v, %v", found, err)
		}
		entries, err := db.AccessLogTail(ctx, 50)
		must(t, err)
		var uses, sends int
		for _, e := range entries {
			switch {
			case e.Action == jtai.ActSetupUse && e.ActorID == u.ID && e.Resource == fmt.Sprintf("user/%d/setup", u.ID):
				uses++
			case e.Action == jtai.ActSetupSend && e.ActorID == admin.ID:
				sends++
			}
		}
		if uses != 1 || sends != 1 {
			t.Errorf("log has %d uses and %d sends of the link, want 1 and 1", uses, sends)
		}

		// An expired link does nothing.
		v := &jtai.User{Email: "sam@example.org", Name: "Sam Ferrow", Role: jtai.RoleCoordinator, AreaID: f.area.ID}
		b, err := db.CreateUserWithSetup(ctx, v, l.make, by)
		must(t, err)
		clock.advance(jtai.AccountSetupLifetime)
		_, err = db.UseAccountSetup(ctx, b.TokenHash, "h3", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		if stored, _ := db.FindUserByID(ctx, v.ID); stored.PasswordHash != "" {
			t.Errorf("an expired link set the password: %q", stored.PasswordHash)
		}
	})
}

// Two uses of one link at once: exactly one sets the password.
func TestAccountSetupRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		u := &jtai.User{Email: "pat@example.org", Name: "Pat Oakhurne", Role: jtai.RoleCoordinator, AreaID: f.area.ID}
		a, err := db.CreateUserWithSetup(ctx, u, (&setupLinks{}).make, nil)
		must(t, err)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.UseAccountSetup(ctx, a.TokenHash, fmt.Sprintf("h%d", i), &jtai.AccessEntry{})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
				} else if !jtai.IsKind(err, jtai.ECONFLICT) {
					t.Errorf("use %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of 8 uses of one link succeeded, want 1", ok)
		}
	})
}

// A reset makes the password, or the second factor, stop working, ends
// the account's sessions and sends a new link, the older ones void; a
// disabled account is not reset.
func TestResetAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		by := &jtai.AccessEntry{ActorID: 99, Actor: "admin@example.org"}
		l := &setupLinks{}
		u := &jtai.User{Email: "pat@example.org", Name: "Pat Oakhurne", Role: jtai.RoleCoordinator, AreaID: f.area.ID}
		first, err := db.CreateUserWithSetup(ctx, u, l.make, by)
		must(t, err)
		_, err = db.UseAccountSetup(ctx, first.TokenHash, "h1", &jtai.AccessEntry{})
		must(t, err)
		must(t, db.SetUserTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP", 7))
		session := func() {
			now := time.Now()
			must(t, db.CreateSession(ctx, &jtai.Session{TokenHash: "s", UserID: u.ID, CSRFToken: "c", SecondFactor: true, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
		}

		session()
		must(t, db.CreateAPIToken(ctx, &jtai.APIToken{UserID: u.ID, Name: "records", TokenHash: "tok", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(jtai.TokenLifetime), Scopes: jtai.Scopes}))
		pw, err := db.ResetAccount(ctx, u.ID, jtai.ResetPassword, l.make, by)
		must(t, err)
		if tok, err := db.FindAPIToken(ctx, "tok"); err != nil || !tok.Revoked() {
			t.Errorf("the account's token after a reset: %+v, %v; want it revoked", tok, err)
		}
		stored, _ := db.FindUserByID(ctx, u.ID)
		if stored.PasswordHash != "" || stored.TOTPSecret == "" {
			t.Errorf("after a password reset: hash %q, second factor kept %v", stored.PasswordHash, stored.TOTPSecret != "")
		}
		_, err = db.FindSession(ctx, "s")
		wantKind(t, err, jtai.ENOTFOUND)

		// A second reset voids the link of the first.
		session()
		sf, err := db.ResetAccount(ctx, u.ID, jtai.ResetSecondFactor, l.make, by)
		must(t, err)
		stored, _ = db.FindUserByID(ctx, u.ID)
		if stored.TOTPSecret != "" || stored.TOTPLastStep != 0 {
			t.Errorf("after a second factor reset: secret kept %v, last step %d", stored.TOTPSecret != "", stored.TOTPLastStep)
		}
		_, err = db.FindSession(ctx, "s")
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.UseAccountSetup(ctx, pw.TokenHash, "h2", &jtai.AccessEntry{})
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.UseAccountSetup(ctx, sf.TokenHash, "h3", &jtai.AccessEntry{})
		must(t, err)

		msgs, err := db.PendingMessages(ctx, 10)
		must(t, err)
		if len(msgs) != 3 {
			t.Errorf("%d messages in the outbox, want the set-up link and one for each reset", len(msgs))
		}
		entries, err := db.AccessLogTail(ctx, 50)
		must(t, err)
		resets := map[string]bool{}
		for _, e := range entries {
			if e.Action == jtai.ActReset && e.ActorID == by.ActorID {
				resets[e.Resource] = true
			}
		}
		if !resets[fmt.Sprintf("user/%d (password)", u.ID)] || !resets[fmt.Sprintf("user/%d (second-factor)", u.ID)] {
			t.Errorf("the resets logged: %v", resets)
		}

		must(t, db.SetUserDisabled(ctx, u.ID, true, nil))
		_, err = db.ResetAccount(ctx, u.ID, jtai.ResetPassword, l.make, by)
		wantKind(t, err, jtai.ECONFLICT)
		_, err = db.ResetAccount(ctx, u.ID+1000, jtai.ResetPassword, l.make, by)
		wantKind(t, err, jtai.ENOTFOUND)
		_, err = db.ResetAccount(ctx, u.ID, "everything", l.make, by)
		wantKind(t, err, jtai.EINVALID)
	})
}
