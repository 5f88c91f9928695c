package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"jtai"
	"jtai/auth"
)

// AccountSetupStore is what the set-up links need of storage.
type AccountSetupStore interface {
	jtai.AccountSetupService
}

const setupSubject = "Set up your jtai account"

// SetupLink makes set-up links to jtai at base, like
// https://jtai.example.org: a new token whose hash is stored, and the
// message to the account's holder that carries it.
func SetupLink(base string) jtai.NewSetupLink { return setupLinkSaying(base, "") }

// ResetLink makes the set-up links of an account whose password or second
// factor an administrator has reset: the message tells its holder so.
func ResetLink(base string, what jtai.Reset) jtai.NewSetupLink {
	return setupLinkSaying(base, what)
}

func setupLinkSaying(base string, reset jtai.Reset) jtai.NewSetupLink {
	base = strings.TrimSuffix(base, "/")
	return func(u *jtai.User, expires time.Time) (string, *jtai.Message) {
		token, hash := auth.NewToken()
		m := &jtai.Message{To: u.Email, Subject: setupSubject, Body: setupBody(base+SetupPath(token), u, expires, reset)}
		if reset != "" {
			m.Subject = resetSubject
		}
		return hash, m
	}
}

const resetSubject = "Your jtai account has been reset"

// SetupPath is the path of the set-up page of a link's token.
func SetupPath(token string) string { return "/account-setup/" + token }

// setupBody is the whole message: what the link does and when it stops
// working.
func setupBody(link string, u *jtai.User, expires time.Time, reset jtai.Reset) string {
	next := ""
	if u.NeedsSecondFactor() {
		next = ", then a security code from an authenticator app"
	}
	what := "A jtai account has been set up for you. "
	switch reset {
	case jtai.ResetPassword:
		what = "Your jtai administrator has reset your password: the old one no longer works, and you have been signed out. "
	case jtai.ResetSecondFactor:
		what = "Your jtai administrator has reset your security codes: the authenticator app you used no longer works for jtai, and you have been signed out. "
	}
	return "Hello,\n\n" + what +
		"Use this link to choose your password" + next + ". It works once, until " + expires.Format("15:04 on 2 January 2006") + " (UTC).\n\n" +
		link + "\n\n" +
		"If you were not expecting this message, tell your administrator.\n"
}

// setupLink makes the request's set-up links (SetupLink).
func (s *Server) setupLink(c *Context) (jtai.NewSetupLink, error) {
	base, err := s.baseURL(c)
	if err != nil {
		return nil, err
	}
	return SetupLink(base), nil
}

// openSetup finds the set-up link of the path's token and its account.
// An unknown link is "not found"; a used or expired one gets a page of
// its own with status 410. Either changes nothing and is logged.
func (s *Server) openSetup(c *Context) (*jtai.AccountSetup, *jtai.User, bool, error) {
	a, err := s.cfg.Store.FindAccountSetup(c.R.Context(), auth.HashToken(c.R.PathValue("token")))
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		if ferr := s.failed(c, jtai.ActSetupRefuse, "account setup (unknown link)", "denied"); ferr != nil {
			return nil, nil, false, ferr
		}
		return nil, nil, false, err
	}
	if err != nil {
		return nil, nil, false, err
	}
	u, err := s.cfg.Store.FindUserByID(c.R.Context(), a.UserID)
	if err != nil {
		return nil, nil, false, err
	}
	if !a.Usable(s.cfg.Clock.Now()) || u.Disabled {
		return nil, nil, false, s.setupGone(c, a)
	}
	return a, u, true, nil
}

// setupGone says a set-up link no longer works, and logs the attempt.
func (s *Server) setupGone(c *Context, a *jtai.AccountSetup) error {
	if err := s.failed(c, jtai.ActSetupRefuse, fmt.Sprintf("user/%d/setup (used or expired)", a.UserID), "denied"); err != nil {
		return err
	}
	return s.render(c, http.StatusGone, "setup_gone", &View{Title: "This link no longer works", Data: a.UsedAt != nil})
}

func (s *Server) setupForm(c *Context, u *jtai.User) *setPasswordView {
	return &setPasswordView{Email: u.Email, Role: u.Role, Action: SetupPath(c.R.PathValue("token")),
		Enrol: u.NeedsSecondFactor() && u.TOTPSecret == "", MinLength: auth.MinPasswordLength}
}

func (s *Server) setupPage(c *Context) error {
	_, u, ok, err := s.openSetup(c)
	if !ok {
		return err
	}
	return s.render(c, http.StatusOK, "set_password", &View{Title: "Set up your account", Data: s.setupForm(c, u)})
}

// useSetup sets the account's password through its link, uses the link
// up and signs its holder in by the link, so that they can set up their
// second factor next.
func (s *Server) useSetup(c *Context) error {
	a, u, ok, err := s.openSetup(c)
	if !ok {
		return err
	}
	hash, done, err := s.chosenPassword(c, s.setupForm(c, u))
	if done {
		return err
	}
	u, err = s.cfg.Store.UseAccountSetup(c.R.Context(), a.TokenHash, hash, &jtai.AccessEntry{Address: clientAddress(c.R)})
	if jtai.IsKind(err, jtai.ECONFLICT) {
		// Used a moment ago by another request.
		now := s.cfg.Clock.Now()
		a.UsedAt = &now
		return s.setupGone(c, a)
	}
	if err != nil {
		return err
	}
	token, _, err := s.cfg.Auth.SignInByLink(c.R.Context(), u, clientAddress(c.R))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	if u.NeedsSecondFactor() {
		return redirect(c, "/sign-in/second-factor?next="+url.QueryEscape("/"))
	}
	return redirect(c, "/")
}

// signInHelpPage says how to ask an administrator for a new set-up link.
func (s *Server) signInHelpPage(c *Context) error {
	return s.render(c, http.StatusOK, "signin_help", &View{Title: "If you cannot sign in"})
}

// resetAccount makes an account's password or second factor stop working
// and sends its holder a new set-up link, once the administrator has
// confirmed. An administrator never resets its own account here: it would
// be signed out with no way back but the link.
func (s *Server) resetAccount(c *Context, what jtai.Reset) error {
	if err := s.canManageAccounts(c); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if id == c.User.ID {
		return jtai.Errorf(jtai.ECONFLICT, "You cannot reset your own account: ask another administrator")
	}
	u, err := s.cfg.Store.FindUserByID(c.R.Context(), id)
	if err != nil {
		return err
	}
	cf := confirmation{
		Question: "Are you sure you want to reset the password of " + u.Name + "?",
		Details: []string{
			"Their password and API tokens stop working at once, and anyone signed in to the account is signed out.",
			"We will email " + u.Email + " a link to choose a new password. It works once, for 3 days.",
		},
		Button: "Yes, reset the password",
		Back:   "/accounts",
		Nav:    "accounts",
	}
	if what == jtai.ResetSecondFactor {
		cf.Question = "Are you sure you want to reset the security codes of " + u.Name + "?"
		cf.Details = []string{
			"The authenticator app they use and their API tokens stop working for jtai at once, and anyone signed in to the account is signed out.",
			"We will email " + u.Email + " a link to set up their authenticator app again. It works once, for 3 days.",
		}
		cf.Button = "Yes, reset the security codes"
	}
	if ok, err := s.confirmed(c, cf); !ok || err != nil {
		return err
	}
	base, err := s.baseURL(c)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Store.ResetAccount(c.R.Context(), id, what, ResetLink(base, what), s.actor(c)); err != nil {
		return err
	}
	return s.doneRedirect(c, "/accounts", "reset-"+string(what))
}

func (s *Server) resetPassword(c *Context) error { return s.resetAccount(c, jtai.ResetPassword) }
func (s *Server) resetSecondFactor(c *Context) error {
	return s.resetAccount(c, jtai.ResetSecondFactor)
}
