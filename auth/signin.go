package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jtai"
)

// Policy holds the sign-in limits. The defaults follow NCSC and OWASP
// guidance for services holding sensitive data.
type Policy struct {
	IdleTimeout       time.Duration // a session ends after this long unused
	AbsoluteTimeout   time.Duration // and after this long whatever happens
	Window            time.Duration // failures are counted over this window
	MaxAccountFailure int           // failures per account before it is locked for the window
	MaxAddressFailure int           // failures per address before it is locked for the window
}

// DefaultPolicy is the policy jtai runs with.
var DefaultPolicy = Policy{
	IdleTimeout:       30 * time.Minute,
	AbsoluteTimeout:   12 * time.Hour,
	Window:            15 * time.Minute,
	MaxAccountFailure: 5,
	MaxAddressFailure: 20,
}

// Service signs users in and out.
type Service struct {
	Users    jtai.UserService
	Sessions jtai.SessionService
	Throttle jtai.ThrottleService
	Log      jtai.AccessLog
	Clock    jtai.Clock
	Policy   Policy
}

// SignInError is what a failed sign-in tells the person: always the same
// words for an unknown email and a wrong password.
var errSignIn = jtai.Invalid(
	jtai.FieldError{Field: "email", Message: "Enter a correct email address and password"},
)

// ErrSessionExpired is Authenticate's answer for a session past its idle
// or absolute timeout, which the sign-in page explains. (Disabling an
// account deletes its sessions: the sign-in form explains that.)
var ErrSessionExpired = jtai.Errorf(jtai.ENOTFOUND, "Your session has expired")

func (s *Service) throttled(ctx context.Context, key string, max int) error {
	n, err := s.Throttle.Failures(ctx, key, s.Clock.Now(), s.Policy.Window)
	if err != nil {
		return err
	}
	if n >= max {
		return jtai.Errorf(jtai.ETOOMANY, "There have been too many attempts to sign in. Wait %d minutes and try again", int(s.Policy.Window.Minutes()))
	}
	return nil
}

// SignIn checks an email and password from address and starts a session.
// The session has SecondFactor false: for roles that need one, the caller
// asks for a code next (VerifySecondFactor).
func (s *Service) SignIn(ctx context.Context, email, password, address string) (token string, sess *jtai.Session, u *jtai.User, err error) {
	email = jtai.NormalizeEmail(email)
	var fields []jtai.FieldError
	if email == "" {
		fields = append(fields, jtai.FieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		fields = append(fields, jtai.FieldError{Field: "password", Message: "Enter your password"})
	}
	if len(fields) > 0 {
		return "", nil, nil, jtai.Invalid(fields...)
	}
	accountKey, addressKey := "account:"+email, "address:"+address
	entry := &jtai.AccessEntry{Actor: email, Action: jtai.ActSignIn, Resource: "session", Address: address}
	for _, k := range []struct {
		key string
		max int
	}{{accountKey, s.Policy.MaxAccountFailure}, {addressKey, s.Policy.MaxAddressFailure}} {
		if err := s.throttled(ctx, k.key, k.max); err != nil {
			entry.Action, entry.Outcome = jtai.ActLoginThrottled, "denied"
			if lerr := s.Log.Append(ctx, entry); lerr != nil {
				return "", nil, nil, lerr
			}
			return "", nil, nil, err
		}
	}
	u, err = s.Users.FindUserByEmail(ctx, email)
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
		entry.ActorID = u.ID
	} else if !jtai.IsKind(err, jtai.ENOTFOUND) {
		return "", nil, nil, err
	}
	ok, _ := CheckPassword(hash, password)
	if err != nil || !ok || u.Disabled {
		now := s.Clock.Now()
		for _, k := range []string{accountKey, addressKey} {
			if _, ferr := s.Throttle.RecordFailure(ctx, k, now, s.Policy.Window); ferr != nil {
				return "", nil, nil, ferr
			}
		}
		entry.Action, entry.Outcome = jtai.ActSignInFailed, "failed"
		if err == nil && ok {
			// The right password of a disabled account: the log says so,
			// for the administrators; the person learns no more than from
			// a wrong one, as a disabled account may be a compromised one.
			entry.Outcome = "disabled"
		}
		if lerr := s.Log.Append(ctx, entry); lerr != nil {
			return "", nil, nil, lerr
		}
		return "", nil, nil, errSignIn
	}
	if err := s.Throttle.ClearFailures(ctx, accountKey); err != nil {
		return "", nil, nil, err
	}
	token, sess, err = s.newSession(ctx, u, false, address)
	if err != nil {
		return "", nil, nil, err
	}
	if err := s.Log.Append(ctx, entry); err != nil {
		return "", nil, nil, err
	}
	return token, sess, u, nil
}

func (s *Service) newSession(ctx context.Context, u *jtai.User, secondFactor bool, address string) (string, *jtai.Session, error) {
	now := s.Clock.Now()
	token, hash := NewToken()
	csrf, _ := NewToken()
	sess := &jtai.Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, SecondFactor: secondFactor,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Policy.IdleTimeout), Address: address}
	if err := s.Sessions.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// VerifySecondFactor checks a one-time code for the session's user. On
// success the old session is replaced by a new one (a new token, so a token
// seen before the second factor is worth nothing) with SecondFactor set.
// secret is the user's enrolled secret, or a new one being set up.
func (s *Service) VerifySecondFactor(ctx context.Context, sess *jtai.Session, u *jtai.User, secret, code, address string) (string, *jtai.Session, error) {
	entry := &jtai.AccessEntry{ActorID: u.ID, Actor: u.Email, Action: jtai.ActSecondFactor, Resource: "session", Address: address}
	// Wrong codes count under their own key, which only a right code
	// clears: signing in again with the password must not reset them.
	codeKey, addressKey := "code:"+u.Email, "address:"+address
	for _, k := range []struct {
		key string
		max int
	}{{codeKey, s.Policy.MaxAccountFailure}, {addressKey, s.Policy.MaxAddressFailure}} {
		if err := s.throttled(ctx, k.key, k.max); err != nil {
			entry.Action, entry.Outcome = jtai.ActLoginThrottled, "denied"
			if lerr := s.Log.Append(ctx, entry); lerr != nil {
				return "", nil, lerr
			}
			return "", nil, err
		}
	}
	code = strings.Join(strings.Fields(code), "") // "123 456" as apps show it
	if code == "" {
		// No guess was made: nothing to count against the account.
		return "", nil, jtai.Invalid(jtai.FieldError{Field: "code", Message: "Enter the 6-digit security code shown in your authenticator app"})
	}
	step, ok := CheckTOTP(secret, code, s.Clock.Now(), u.TOTPLastStep)
	if !ok {
		for _, k := range []string{codeKey, addressKey} {
			if _, err := s.Throttle.RecordFailure(ctx, k, s.Clock.Now(), s.Policy.Window); err != nil {
				return "", nil, err
			}
		}
		entry.Outcome = "failed"
		if err := s.Log.Append(ctx, entry); err != nil {
			return "", nil, err
		}
		return "", nil, jtai.Invalid(jtai.FieldError{Field: "code", Message: "The security code is not right, or has expired: enter the 6-digit code your authenticator app shows now"})
	}
	if u.TOTPSecret != secret {
		if err := s.Users.SetUserTOTP(ctx, u.ID, secret, step); err != nil {
			return "", nil, err
		}
	} else if err := s.Users.AcceptTOTPStep(ctx, u.ID, step); err != nil {
		return "", nil, err
	}
	if err := s.Throttle.ClearFailures(ctx, codeKey); err != nil {
		return "", nil, err
	}
	if err := s.Sessions.DeleteSession(ctx, sess.TokenHash); err != nil {
		return "", nil, err
	}
	token, next, err := s.newSession(ctx, u, true, address)
	if err != nil {
		return "", nil, err
	}
	return token, next, s.Log.Append(ctx, entry)
}

// Authenticate returns the session and user of a token, or ENOTFOUND when
// the token is unknown, expired or the account is disabled. It moves the
// idle expiry forward.
func (s *Service) Authenticate(ctx context.Context, token string) (*jtai.Session, *jtai.User, error) {
	if token == "" {
		return nil, nil, jtai.Errorf(jtai.ENOTFOUND, "No session")
	}
	sess, u, err := s.Sessions.FindSessionUser(ctx, HashToken(token))
	if err != nil {
		return nil, nil, err
	}
	now := s.Clock.Now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.CreatedAt) > s.Policy.AbsoluteTimeout {
		if err := s.Sessions.DeleteSession(ctx, sess.TokenHash); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrSessionExpired
	}
	if u.Disabled {
		return nil, nil, jtai.Errorf(jtai.ENOTFOUND, "Account disabled")
	}
	// Touch at most once a minute: a page view should not always write.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(s.Policy.IdleTimeout)
		if err := s.Sessions.TouchSession(ctx, sess.TokenHash, now, sess.ExpiresAt); err != nil {
			return nil, nil, err
		}
	}
	return sess, u, nil
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, sess *jtai.Session, u *jtai.User, address string) error {
	if err := s.Sessions.DeleteSession(ctx, sess.TokenHash); err != nil {
		return err
	}
	return s.Log.Append(ctx, &jtai.AccessEntry{ActorID: u.ID, Actor: u.Email, Action: jtai.ActSignOut, Resource: "session", Address: address})
}

// Describe is a one-line account summary for logs and the console.
func Describe(u *jtai.User) string { return fmt.Sprintf("%s (%s)", u.Email, u.Role.Label()) }
