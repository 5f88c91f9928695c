package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/store"
	"jtai/store/storetest"
)

var ctx = context.Background()

func TestPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		if ok, err := auth.CheckPassword(h, pw); ok != want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v", pw, ok, err)
		}
	}
	if _, err := auth.CheckPassword("plaintext", "plaintext"); err == nil {
		t.Error("a non-argon2id hash was accepted")
	}
}

func TestTOTPOnce(t *testing.T) {
	secret, url, err := auth.NewTOTPKey("lead@example.org")
	if err != nil || !strings.HasPrefix(url, "otpauth://totp/jtai:lead@example.org") {
		t.Fatalf("NewTOTPKey: %q %v", url, err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)
	code, _ := auth.TOTPCode(secret, now)
	step, ok := auth.CheckTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("current code refused")
	}
	if _, ok := auth.CheckTOTP(secret, code, now, step); ok {
		t.Error("the same code was accepted twice")
	}
	if _, ok := auth.CheckTOTP(secret, code, now.Add(29*time.Second), 0); !ok {
		t.Error("code refused within the next step (clock drift)")
	}
	if _, ok := auth.CheckTOTP(secret, code, now.Add(5*time.Minute), 0); ok {
		t.Error("a five-minute-old code was accepted")
	}
	if _, ok := auth.CheckTOTP(secret, "12345", now, 0); ok {
		t.Error("a five-digit code was accepted")
	}
	// The demo shows a code that works: after the current one is used, the
	// next, twice in one half minute.
	last := int64(0)
	for i := range 2 {
		shown, err := auth.UnusedCode(secret, now, last)
		if err != nil {
			t.Fatal(err)
		}
		if last, ok = auth.CheckTOTP(secret, shown, now, last); !ok {
			t.Fatalf("sign-in %d: the code shown was refused", i+1)
		}
	}
	// A third in the same half minute has no code to use yet.
	if shown, err := auth.UnusedCode(secret, now, last); err == nil {
		t.Errorf("a third code %q offered where none works", shown)
	}
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newService(t *testing.T, dialect string) (*auth.Service, *store.DB, *clock) {
	db := storetest.Open(t, dialect, storetest.MasterKey(t))
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return &auth.Service{Users: db, Sessions: db, Throttle: db, Log: db, Clock: c, Policy: auth.DefaultPolicy}, db, c
}

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s, db, c := newService(t, dialect)
		h, _ := auth.HashPassword("a long demo password")
		u := &jtai.User{Email: "insp@example.org", Name: "Insp", Role: jtai.RoleInspector, Inspectorate: jtai.CQC, PasswordHash: h}
		if err := db.CreateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.SignIn(ctx, "insp@example.org", "wrong", "10.0.0.1"); jtai.ErrorKind(err) != jtai.EINVALID {
			t.Errorf("wrong password: %v", err)
		}
		_, _, _, errUnknown := s.SignIn(ctx, "nobody@example.org", "wrong", "10.0.0.1")
		_, _, _, errWrong := s.SignIn(ctx, "insp@example.org", "wrong", "10.0.0.1")
		if errUnknown.Error() != errWrong.Error() {
			t.Errorf("unknown user and wrong password differ: %q vs %q", errUnknown, errWrong)
		}
		token, sess, got, err := s.SignIn(ctx, " INSP@example.org", "a long demo password", "10.0.0.1")
		if err != nil || got.ID != u.ID || sess.SecondFactor {
			t.Fatalf("good sign-in: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, token); err != nil {
			t.Fatalf("Authenticate: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, token+"x"); jtai.ErrorKind(err) != jtai.ENOTFOUND {
			t.Errorf("forged token: %v", err)
		}

		// Second factor: set up, then the same code again is refused. An
		// empty code and a wrong one get different messages.
		secret, _, _ := auth.NewTOTPKey(u.Email)
		code, _ := auth.TOTPCode(secret, c.t)
		for in, want := range map[string]string{" ": "Enter the 6-digit security code", "000000": "The security code is not right"} {
			_, _, err := s.VerifySecondFactor(ctx, sess, got, secret, in, "10.0.0.1")
			if fe := jtai.ErrorFields(err); len(fe) != 1 || !strings.HasPrefix(fe[0].Message, want) {
				t.Errorf("code %q: %v, want %q", in, err, want)
			}
		}
		token2, sess2, err := s.VerifySecondFactor(ctx, sess, got, secret, code, "10.0.0.1")
		if err != nil || !sess2.SecondFactor {
			t.Fatalf("VerifySecondFactor: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, token); err == nil {
			t.Error("the pre-second-factor token still works")
		}
		u2, _ := db.FindUserByID(ctx, u.ID)
		if _, _, err := s.VerifySecondFactor(ctx, sess2, u2, secret, code, "10.0.0.1"); err == nil {
			t.Error("a code was accepted twice")
		}

		// Idle timeout.
		c.t = c.t.Add(31 * time.Minute)
		if _, _, err := s.Authenticate(ctx, token2); jtai.ErrorKind(err) != jtai.ENOTFOUND {
			t.Errorf("idle session: %v", err)
		}

		// A disabled account, which may be a compromised one: even the
		// right password learns no more than a wrong one, but the log
		// tells the administrators.
		if err := db.SetUserDisabled(ctx, u.ID, true, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.SignIn(ctx, "insp@example.org", "a long demo password", "10.0.0.2"); err == nil || err.Error() != errUnknown.Error() {
			t.Errorf("a disabled account's right password: %v, want %v", err, errUnknown)
		}
		entries, err := db.AccessLogTail(ctx, 1)
		if err != nil || len(entries) != 1 {
			t.Fatalf("access log tail: %v", err)
		}
		if last := entries[0]; last.Action != jtai.ActSignInFailed || last.Outcome != "disabled" || last.ActorID != u.ID {
			t.Errorf("the log of a disabled account's sign-in: %+v", last)
		}

		n, err := db.Verify(ctx)
		if err != nil || n < 5 {
			t.Errorf("access log after sign-ins: %d entries, %v", n, err)
		}
	})
}

func TestThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s, db, c := newService(t, dialect)
		h, _ := auth.HashPassword("a long demo password")
		db.CreateUser(ctx, &jtai.User{Email: "coord@example.org", Name: "C", Role: jtai.RoleAdministrator, PasswordHash: h}, nil)
		for i := 0; i < 5; i++ {
			s.SignIn(ctx, "coord@example.org", "wrong", "10.0.0.2")
		}
		_, _, _, err := s.SignIn(ctx, "coord@example.org", "a long demo password", "10.0.0.2")
		if jtai.ErrorKind(err) != jtai.ETOOMANY {
			t.Fatalf("sixth attempt with the right password: %v, want throttled", err)
		}
		// Per address: many accounts from one address.
		for i := 0; i < 20; i++ {
			s.SignIn(ctx, "x"+string(rune('a'+i))+"@example.org", "wrong", "10.0.0.3")
		}
		if _, _, _, err := s.SignIn(ctx, "other@example.org", "wrong", "10.0.0.3"); jtai.ErrorKind(err) != jtai.ETOOMANY {
			t.Errorf("address not throttled: %v", err)
		}
		c.t = c.t.Add(16 * time.Minute)
		if _, _, _, err := s.SignIn(ctx, "coord@example.org", "a long demo password", "10.0.0.2"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

// Wrong codes are not forgotten when the password is given again: the
// second factor cannot be guessed four codes at a time for ever.
func TestSecondFactorThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s, db, c := newService(t, dialect)
		u, secret := leadWithSecondFactor(t, db)
		var last error
		for round := 0; round < 3; round++ {
			_, sess, got, err := s.SignIn(ctx, u.Email, "a long demo password", "10.0.0.9")
			if err != nil {
				t.Fatalf("round %d: password refused: %v", round, err)
			}
			for i := 0; i < 2; i++ {
				_, _, last = s.VerifySecondFactor(ctx, sess, got, secret, "000000", "10.0.0.9")
			}
		}
		if jtai.ErrorKind(last) != jtai.ETOOMANY {
			t.Errorf("six wrong codes over three sign-ins: %v, want throttled", last)
		}
		_, sess, got, _ := s.SignIn(ctx, u.Email, "a long demo password", "10.0.0.9")
		code, _ := auth.TOTPCode(secret, c.t)
		if _, _, err := s.VerifySecondFactor(ctx, sess, got, secret, code, "10.0.0.9"); jtai.ErrorKind(err) != jtai.ETOOMANY {
			t.Errorf("right code while throttled: %v, want throttled", err)
		}
	})
}

// guesses makes n sign-ins at once and returns how many passwords were
// checked, through the service's PasswordCheck.
func guesses(t *testing.T, s *auth.Service, n int, email func(i int) string, address string) int {
	t.Helper()
	var checked atomic.Int32
	s.PasswordCheck = func(hash, pw string) (bool, error) {
		checked.Add(1)
		return auth.CheckPassword(hash, pw)
	}
	defer func() { s.PasswordCheck = nil }()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, _, _, err := s.SignIn(ctx, email(i), fmt.Sprintf("guess %d", i), address)
			if k := jtai.ErrorKind(err); k != jtai.EINVALID && k != jtai.ETOOMANY {
				t.Errorf("guess %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	return int(checked.Load())
}

// 200 guesses at once at the administrator's password from one address
// try no more than the limit, and log no more than one entry each for
// those tried and one for those refused; the administrator still signs
// in from elsewhere. 200 guesses at once at 200 accounts from one address
// try no more than the address's limit.
func TestThrottleConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s, db, _ := newService(t, dialect)
		h, _ := auth.HashPassword("a long demo password")
		admin := &jtai.User{Email: "admin@example.org", Name: "A", Role: jtai.RoleAdministrator, PasswordHash: h}
		must(t, db.CreateUser(ctx, admin, nil))
		before, err := db.Verify(ctx)
		must(t, err)
		if n := guesses(t, s, 200, func(int) string { return admin.Email }, "203.0.113.7"); n != auth.DefaultPolicy.MaxAccountFailure {
			t.Errorf("200 concurrent guesses at one account: %d passwords checked, want %d", n, auth.DefaultPolicy.MaxAccountFailure)
		}
		after, err := db.Verify(ctx)
		must(t, err)
		if n := after - before; n > int64(auth.DefaultPolicy.MaxAccountFailure)+1 {
			t.Errorf("200 guesses made %d log entries, want at most %d", n, auth.DefaultPolicy.MaxAccountFailure+1)
		}
		if _, _, _, err := s.SignIn(ctx, admin.Email, "a long demo password", "203.0.113.7"); jtai.ErrorKind(err) != jtai.ETOOMANY {
			t.Errorf("the right password from the guessing address: %v, want throttled", err)
		}
		if _, _, _, err := s.SignIn(ctx, admin.Email, "a long demo password", "198.51.100.1"); err != nil {
			t.Errorf("the administrator from another address: %v, want signed in", err)
		}

		account := func(i int) string { return fmt.Sprintf("user%d@example.org", i) }
		if n := guesses(t, s, 200, account, "2001:db8:1:2::1"); n != auth.DefaultPolicy.MaxAddressFailure {
			t.Errorf("200 concurrent guesses at 200 accounts from one address: %d checked, want %d", n, auth.DefaultPolicy.MaxAddressFailure)
		}
		// An IPv6 subscriber has a /64: its other addresses are the same one.
		if _, _, _, err := s.SignIn(ctx, "other@example.org", "guess", "2001:db8:1:2:ffff::9"); jtai.ErrorKind(err) != jtai.ETOOMANY {
			t.Errorf("another address of the same /64: %v, want throttled", err)
		}
	})
}

// 200 codes at once from someone who has the password try no more than
// the limit.
func TestSecondFactorConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s, db, _ := newService(t, dialect)
		u, secret := leadWithSecondFactor(t, db)
		_, sess, got, err := s.SignIn(ctx, u.Email, "a long demo password", "10.0.0.9")
		must(t, err)
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Go(func() { s.VerifySecondFactor(ctx, sess, got, secret, fmt.Sprintf("%06d", i), "10.0.0.9") })
		}
		wg.Wait()
		entries, err := db.AccessLogTail(ctx, 1000)
		must(t, err)
		tried := 0
		for _, e := range entries {
			if e.Action == jtai.ActSecondFactor && e.Outcome == "failed" {
				tried++
			}
		}
		if tried > auth.DefaultPolicy.MaxAccountFailure {
			t.Errorf("200 concurrent codes: %d tried, want at most %d", tried, auth.DefaultPolicy.MaxAccountFailure)
		}
	})
}

// leadWithSecondFactor makes a lead inspector whose password is "a long
// demo password", with a second factor set up; it returns the secret.
func leadWithSecondFactor(t *testing.T, db *store.DB) (*jtai.User, string) {
	t.Helper()
	h, _ := auth.HashPassword("a long demo password")
	u := &jtai.User{Email: "lead@example.org", Name: "L", Role: jtai.RoleLeadInspector, Inspectorate: jtai.Ofsted, PasswordHash: h}
	must(t, db.CreateUser(ctx, u, nil))
	secret, _, _ := auth.NewTOTPKey(u.Email)
	must(t, db.SetUserTOTP(ctx, u.ID, secret, 0))
	return u, secret
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSignInHash(b *testing.B) {
	h, _ := auth.HashPassword("a long demo password")
	for b.Loop() {
		if ok, _ := auth.CheckPassword(h, "a long demo password"); !ok {
			b.Fatal("refused")
		}
	}
}
