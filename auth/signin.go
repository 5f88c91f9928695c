package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"jtai"
)

// Policy holds the sign-in limits. The defaults follow NCSC and OWASP
// guidance for services holding sensitive data.
type Policy struct {
	IdleTimeout       time.Duration // a session ends after this long unused
	AbsoluteTimeout   time.Duration // and after this long whatever happens
	Window            time.Duration // attempts are counted over this window
	MaxAccountFailure int           // failures per account from one address before that address is locked out of it for the window
	MaxAddressFailure int           // failures per address, at any account or link, before the address is locked out for the window
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
	// PasswordCheck checks a password against its hash; nil is
	// CheckPassword. Tests count the guesses that are tried through it.
	PasswordCheck func(hash, password string) (bool, error)
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

// AddressKey is the throttling key of an address: an IPv4 address, or the
// /64 network of an IPv6 address, which one subscriber holds whole.
func AddressKey(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return "address:" + address
	}
	if ip = ip.Unmap().WithZone(""); ip.Is6() {
		p, _ := ip.Prefix(64)
		return "address:" + p.String()
	}
	return "address:" + ip.String()
}

// accountKey is the throttling key of an account's attempts of kind from
// one address. The email is hashed: the throttle holds no personal data,
// and a key stays short whatever was typed.
func accountKey(kind, email, addressKey string) string {
	h := sha256.Sum256([]byte(email))
	return kind + ":" + hex.EncodeToString(h[:12]) + " " + addressKey
}

// addressLimit is the limit of failures from an address whose key is
// addressKey (AddressKey).
func (s *Service) addressLimit(addressKey string) jtai.Limit {
	return jtai.Limit{Key: addressKey, Max: s.Policy.MaxAddressFailure, Window: s.Policy.Window}
}

// reserve takes an attempt under the account's limit and the address's
// before the attempt is made. When one has none left, the refusal is
// logged and the person told to wait.
func (s *Service) reserve(ctx context.Context, e *jtai.AccessEntry, account, addressKey string) error {
	refused, err := s.Throttle.Reserve(ctx, s.Clock.Now(),
		jtai.Limit{Key: account, Max: s.Policy.MaxAccountFailure, Window: s.Policy.Window}, s.addressLimit(addressKey))
	if err != nil || refused == nil {
		return err
	}
	denied := *e
	denied.Action, denied.Outcome = jtai.ActLoginThrottled, "denied"
	return s.refused(ctx, refused, &denied, "There have been too many attempts to sign in")
}

// refused logs an attempt that limit refused, one entry a window for the
// limit and the attempt's action and resource however often it is
// repeated, and returns the error that tells the person to wait. A
// refusal by an address's limit is logged without the account named, as
// its repeats may name any.
func (s *Service) refused(ctx context.Context, limit *jtai.Limit, e *jtai.AccessEntry, why string) error {
	if strings.HasPrefix(limit.Key, "address:") {
		e.ActorID, e.Actor = 0, ""
	}
	if err := s.Log.AppendRepeated(ctx, "refused "+e.Action+" "+e.Resource+" "+limit.Key, limit.Window, e); err != nil {
		return err
	}
	return jtai.Errorf(jtai.ETOOMANY, "%s. Wait %d minutes and try again", why, int(limit.Window.Minutes()))
}

// Failed counts a failure from e.Address that guessed at no password or
// code, such as an unknown invitation link or API token, under the
// address's limit, and logs it. A link's token cannot be guessed, so the
// limit is there to keep such failures from filling the log, and is taken
// after the fact: past it, the failure is refused (ETOOMANY) and logged
// once a window with the count of its repeats, for each action and
// resource: so a resource must be one of few, never text from the request.
func (s *Service) Failed(ctx context.Context, e *jtai.AccessEntry) error {
	limit := s.addressLimit(AddressKey(e.Address))
	refused, err := s.Throttle.Reserve(ctx, s.Clock.Now(), limit)
	if err != nil {
		return err
	}
	if refused != nil {
		e.Outcome = "throttled"
		return s.refused(ctx, refused, e, "There have been too many failed attempts from your network")
	}
	return s.Log.Append(ctx, e)
}

// succeeded gives back what a good attempt reserved: its account's
// failures are forgotten, and its attempt does not count against the
// address.
func (s *Service) succeeded(ctx context.Context, account, address string) error {
	if err := s.Throttle.Clear(ctx, account); err != nil {
		return err
	}
	return s.Throttle.Release(ctx, address)
}

func (s *Service) checkPassword(hash, password string) (bool, error) {
	if s.PasswordCheck != nil {
		return s.PasswordCheck(hash, password)
	}
	return CheckPassword(hash, password)
}

// SignIn checks an email and password from address and starts a session.
// The session has SecondFactor false: for roles that need one, the caller
// asks for a code next (VerifySecondFactor).
//
// An attempt is reserved before the password is checked, under the
// account at this address and under the address, so that however many
// guesses arrive at once no more than the limits are tried. Locking out
// the account at an address, not everywhere, leaves an account that is
// being guessed at open to its owner elsewhere.
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
	addressKey := AddressKey(address)
	accountKey := accountKey("sign-in", email, addressKey)
	entry := &jtai.AccessEntry{Actor: email, Action: jtai.ActSignIn, Resource: "session", Address: address}
	if err := s.reserve(ctx, entry, accountKey, addressKey); err != nil {
		return "", nil, nil, err
	}
	u, err = s.Users.FindUserByEmail(ctx, email)
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
		entry.ActorID = u.ID
	} else if !jtai.IsKind(err, jtai.ENOTFOUND) {
		return "", nil, nil, err
	}
	ok, _ := s.checkPassword(hash, password)
	if err != nil || !ok || u.Disabled {
		// The attempt reserved stays counted.
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
	if err := s.succeeded(ctx, accountKey, addressKey); err != nil {
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

// SignInByLink starts a session for u, who has just used a single-use
// link (a set-up link or an invitation) to choose a password: the one
// session that may enrol the account's second factor (Session.Enrol). A
// second factor is still asked for next, as at any sign-in.
func (s *Service) SignInByLink(ctx context.Context, u *jtai.User, address string) (string, *jtai.Session, error) {
	token, sess, err := s.startSession(ctx, &jtai.Session{UserID: u.ID, Enrol: true, Address: address})
	if err != nil {
		return "", nil, err
	}
	return token, sess, s.Log.Append(ctx, &jtai.AccessEntry{ActorID: u.ID, Actor: u.Email, Action: jtai.ActSignIn, Resource: "session (set-up link)", Address: address})
}

func (s *Service) newSession(ctx context.Context, u *jtai.User, secondFactor bool, address string) (string, *jtai.Session, error) {
	return s.startSession(ctx, &jtai.Session{UserID: u.ID, SecondFactor: secondFactor, Address: address})
}

// startSession gives sess a new token and its times, and stores it.
func (s *Service) startSession(ctx context.Context, sess *jtai.Session) (string, *jtai.Session, error) {
	now := s.Clock.Now()
	token, hash := NewToken()
	csrf, _ := NewToken()
	sess.TokenHash, sess.CSRFToken = hash, csrf
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = now, now, now.Add(s.Policy.IdleTimeout)
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
	code = strings.Join(strings.Fields(code), "") // "123 456" as apps show it
	if code == "" {
		// No guess was made: nothing to count against the account.
		return "", nil, jtai.Invalid(jtai.FieldError{Field: "code", Message: "Enter the 6-digit security code shown in your authenticator app"})
	}
	// Wrong codes count under the account, from any address: whoever is
	// here has its password. Only a right code clears them: signing in
	// again with the password must not reset them.
	entry := &jtai.AccessEntry{ActorID: u.ID, Actor: u.Email, Action: jtai.ActSecondFactor, Resource: "session", Address: address}
	addressKey := AddressKey(address)
	codeKey := fmt.Sprintf("code:user/%d", u.ID)
	if err := s.reserve(ctx, entry, codeKey, addressKey); err != nil {
		return "", nil, err
	}
	step, ok := CheckTOTP(secret, code, s.Clock.Now(), u.TOTPLastStep)
	if !ok {
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
	if err := s.succeeded(ctx, codeKey, addressKey); err != nil {
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
