package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"time"

	"github.com/pquerna/otp"

	"jtai"
	"jtai/auth"
)

// sessionEnded explains, when the redirect to the sign-in page left the
// flash ended=expired, why the session is over.
func (s *Server) sessionEnded(ended string) string {
	if ended != "expired" {
		return ""
	}
	p := s.cfg.Auth.Policy
	return fmt.Sprintf("You were signed out because you had not used jtai for %s, or had been signed in for %s. Sign in again to continue.",
		inWords(p.IdleTimeout), inWords(p.AbsoluteTimeout))
}

// inWords writes a whole number of hours or minutes: "12 hours".
func inWords(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		n := int(d / time.Hour)
		return fmt.Sprintf("%d %s", n, plural(n, "hour", "hours"))
	}
	n := int(d / time.Minute)
	return fmt.Sprintf("%d %s", n, plural(n, "minute", "minutes"))
}

func (s *Server) signInPage(c *Context) error {
	if c.Subject != nil {
		return redirect(c, "/")
	}
	q := c.R.URL.Query()
	return s.render(c, http.StatusOK, "signin", &View{Title: "Sign in", Form: url.Values{"next": {q.Get("next")}}, Data: s.sessionEnded(c.flash().Get("ended"))})
}

func (s *Server) signIn(c *Context) error {
	c.R.Body = http.MaxBytesReader(c.W, c.R.Body, 64<<10)
	if err := c.R.ParseForm(); err != nil {
		return jtai.Errorf(jtai.EINVALID, "The form could not be read")
	}
	form := url.Values{"email": {c.R.PostFormValue("email")}, "next": {c.R.PostFormValue("next")}}
	token, sess, u, err := s.cfg.Auth.SignIn(c.R.Context(), c.R.PostFormValue("email"), c.R.PostFormValue("password"), clientAddress(c.R))
	if err != nil {
		switch jtai.ErrorKind(err) {
		case jtai.EINVALID, jtai.ETOOMANY:
			s.countFailure(c)
		}
		switch jtai.ErrorKind(err) {
		case jtai.EINVALID:
			return s.render(c, http.StatusUnauthorized, "signin", &View{Title: "Sign in", Errors: jtai.ErrorFields(err), Form: form})
		case jtai.ETOOMANY:
			return s.render(c, http.StatusTooManyRequests, "signin", &View{Title: "Sign in",
				Errors: []jtai.FieldError{{Field: "email", Message: jtai.ErrorMessage(err)}}, Form: form})
		}
		return err
	}
	if c.Session != nil {
		s.cfg.Auth.Sessions.DeleteSession(c.R.Context(), c.Session.TokenHash)
	}
	s.setSessionCookie(c, token)
	c.Session, c.User = sess, u
	if u.NeedsSecondFactor() {
		return redirect(c, "/sign-in/second-factor?next="+url.QueryEscape(safeNext(form.Get("next"))))
	}
	return redirect(c, safeNext(form.Get("next")))
}

type secondFactorView struct {
	Setup    bool
	NotSetUp bool // no second factor, and this session may not set one up
	Secret   string
	QR       template.URL // data: URL of the QR code image, made here
	DemoCode string
	DemoWait bool // the demo has no unused code to show until the next half minute
	Next     string
}

// pendingSecret is the secret offered to a user setting up a second factor.
// It is derived from the session's token, so it survives the round trip
// between the page and the form without being stored or chosen by the
// browser. The token itself, not its hash: the database holds the hash,
// and whoever could read it must not be able to work out the secret.
func pendingSecret(c *Context) string {
	m := hmac.New(sha256.New, []byte(c.token))
	m.Write([]byte("jtai second factor set-up"))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil)[:20])
}

// mayEnrol reports whether the session may set up the account's second
// factor: only a session started by a single-use link (set-up or
// invitation) may, never one that gave the password alone, or whoever
// learnt the password first would own the account. The demo's accounts,
// all invented, are set up at their first sign-in, their codes shown.
func (s *Server) mayEnrol(c *Context) bool {
	return c.Session.Enrol || s.cfg.Demo
}

func (s *Server) secondFactorView(c *Context) (*secondFactorView, error) {
	v := &secondFactorView{Next: safeNext(c.R.URL.Query().Get("next"))}
	secret := c.User.TOTPSecret
	if secret == "" && !s.mayEnrol(c) {
		v.NotSetUp = true
		return v, nil
	}
	if secret == "" {
		v.Setup = true
		v.Secret = pendingSecret(c)
		secret = v.Secret
		key, err := otp.NewKeyFromURL("otpauth://totp/" + url.PathEscape(auth.Issuer+":"+c.User.Email) + "?secret=" + v.Secret + "&issuer=" + auth.Issuer)
		if err != nil {
			return nil, err
		}
		img, err := key.Image(200, 200)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	}
	if s.cfg.Demo {
		// A second sign-in in the same half minute needs the next code; a
		// third has none until the next half minute.
		var err error
		v.DemoCode, err = auth.UnusedCode(secret, s.cfg.Clock.Now(), c.User.TOTPLastStep)
		v.DemoWait = err != nil
	}
	return v, nil
}

func (s *Server) secondFactorPage(c *Context) error {
	if c.Subject != nil {
		return redirect(c, "/")
	}
	v, err := s.secondFactorView(c)
	if err != nil {
		return err
	}
	if v.NotSetUp {
		return s.notSetUp(c, v)
	}
	title := "Enter your security code"
	if v.Setup {
		title = "Set up your authenticator app"
	}
	return s.render(c, http.StatusOK, "second_factor", &View{Title: title, Data: v})
}

// notSetUp says the account has no second factor and how to get one:
// through a set-up link from the administrator. The attempt is logged.
func (s *Server) notSetUp(c *Context, v *secondFactorView) error {
	if err := s.logAccess(c, jtai.ActSecondFactor, "session (no second factor set up)", "denied"); err != nil {
		return err
	}
	return s.render(c, http.StatusForbidden, "second_factor", &View{Title: "Your security codes are not set up", Data: v})
}

func (s *Server) secondFactor(c *Context) error {
	if c.Subject != nil {
		return redirect(c, "/")
	}
	if c.User.TOTPSecret == "" && !s.mayEnrol(c) {
		return s.notSetUp(c, &secondFactorView{NotSetUp: true})
	}
	secret := c.User.TOTPSecret
	if secret == "" {
		secret = pendingSecret(c)
	}
	token, _, err := s.cfg.Auth.VerifySecondFactor(c.R.Context(), c.Session, c.User, secret, c.R.PostFormValue("code"), clientAddress(c.R))
	if err != nil {
		if k := jtai.ErrorKind(err); k == jtai.EINVALID || k == jtai.ECONFLICT || k == jtai.ETOOMANY {
			v, verr := s.secondFactorView(c)
			if verr != nil {
				return verr
			}
			errs := jtai.ErrorFields(err)
			if k != jtai.EINVALID {
				errs = []jtai.FieldError{{Field: "code", Message: jtai.ErrorMessage(err)}}
			}
			return s.render(c, status(err), "second_factor", &View{Title: "Enter your security code", Errors: errs, Data: v})
		}
		return err
	}
	s.setSessionCookie(c, token)
	return redirect(c, safeNext(c.R.URL.Query().Get("next")))
}

func (s *Server) signOutPage(c *Context) error {
	return s.render(c, http.StatusOK, "signout", &View{Title: "Sign out"})
}

func (s *Server) signOut(c *Context) error {
	if err := s.cfg.Auth.SignOut(c.R.Context(), c.Session, c.User, clientAddress(c.R)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return redirect(c, "/signed-out")
}

func (s *Server) signedOutPage(c *Context) error {
	return s.render(c, http.StatusOK, "signedout", &View{Title: "You have signed out"})
}
