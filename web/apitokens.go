package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
)

type tokensView struct {
	Account  *jtai.User
	Own      bool   // the viewer's own tokens, which it may issue
	Base     string // the path of the page, before /{token}/revoke
	Tokens   []*jtai.APIToken
	NewToken string // shown once, to its owner, straight after issuing
	Scopes   []jtai.Scope
	Lifetime []tokenLifetime
	Now      time.Time
}

type tokenLifetime struct {
	Days  int
	Label string
}

// tokenLifetimes are the expiries an owner may choose; 90 days unless it
// chooses another.
var tokenLifetimes = []tokenLifetime{{30, "30 days"}, {90, "90 days"}, {180, "180 days"}, {365, "1 year"}}

// tokenAccount is the account whose tokens an administrator lists and
// revokes.
func (s *Server) tokenAccount(c *Context) (*jtai.User, error) {
	if err := s.canManageAccounts(c); err != nil {
		return nil, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.FindUserByID(c.R.Context(), id)
}

func (s *Server) renderTokens(c *Context, status int, u *jtai.User, own bool, newToken string, errs []jtai.FieldError) error {
	tokens, err := s.cfg.Store.ListAPITokens(c.R.Context(), u.ID)
	if err != nil {
		return err
	}
	// The form keeps its values only for them to be corrected: once a
	// token is issued the form is empty again, so the same one is not
	// issued twice by mistake.
	form := url.Values{"expires": {"90"}}
	if errs != nil {
		form = c.R.PostForm
	}
	v := &tokensView{Account: u, Own: own, Base: fmt.Sprintf("/accounts/%d/tokens", u.ID), Tokens: tokens, NewToken: newToken,
		Scopes: jtai.Scopes, Lifetime: tokenLifetimes, Now: s.cfg.Clock.Now()}
	nav := "accounts"
	if own {
		v.Base, nav = "/account/tokens", "tokens"
	}
	return s.render(c, status, "api_tokens", &View{Title: "API tokens", Nav: nav, Errors: errs, Form: form, Data: v})
}

// tokensPage lists an account's tokens for an administrator, who may
// revoke them but never issue one: a token acts as its account.
func (s *Server) tokensPage(c *Context) error {
	u, err := s.tokenAccount(c)
	if err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusOK, u, false, "", nil)
}

// ownTokensPage lists the viewer's own tokens, with the form to issue one.
func (s *Server) ownTokensPage(c *Context) error {
	if err := s.can(c, authz.IssueToken, authz.Resource{}, "account/tokens"); err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusOK, c.User, true, "", nil)
}

// issueToken issues the viewer a token of its own, with the scopes and
// expiry it chose, and shows it once; only its hash is kept. Only an
// account with a second factor has one, and never an administrator's.
func (s *Server) issueToken(c *Context) error {
	if err := s.can(c, authz.IssueToken, authz.Resource{}, "account/tokens"); err != nil {
		return err
	}
	now := s.cfg.Clock.Now()
	f := c.R.PostForm
	t := &jtai.APIToken{UserID: c.User.ID, Name: strings.TrimSpace(f.Get("name")), CreatedBy: c.User.Name, CreatedAt: now}
	for _, sc := range f["scopes"] {
		t.Scopes = append(t.Scopes, jtai.Scope(sc))
	}
	if days, err := strconv.Atoi(f.Get("expires")); err == nil && days > 0 {
		t.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	err := t.Validate(now)
	if err == nil && c.User.TOTPSecret == "" {
		err = jtai.Invalid(jtai.FieldError{Field: "name", Message: "Set up your security codes before you issue a token"})
	}
	if err == nil {
		var token string
		token, t.TokenHash = auth.NewToken()
		if err = s.cfg.Store.CreateAPIToken(c.R.Context(), t); err == nil {
			if err := s.logAccess(c, jtai.ActIssueToken, fmt.Sprintf("user/%d/token/%d", c.User.ID, t.ID), "ok"); err != nil {
				return err
			}
			return s.renderTokens(c, http.StatusOK, c.User, true, token, nil)
		}
	}
	if jtai.IsKind(err, jtai.EINVALID) {
		return s.renderTokens(c, http.StatusUnprocessableEntity, c.User, true, "", jtai.ErrorFields(err))
	}
	return err
}

// revoke revokes a token of u and leads back to back.
func (s *Server) revoke(c *Context, u *jtai.User, back string) error {
	id, err := strconv.ParseInt(c.R.PathValue("token"), 10, 64)
	if err != nil {
		return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	if err := s.cfg.Store.RevokeAPIToken(c.R.Context(), u.ID, id, s.cfg.Clock.Now()); err != nil {
		return err
	}
	if err := s.logAccess(c, jtai.ActRevokeToken, fmt.Sprintf("user/%d/token/%d", u.ID, id), "ok"); err != nil {
		return err
	}
	return redirect(c, back)
}

func (s *Server) revokeToken(c *Context) error {
	u, err := s.tokenAccount(c)
	if err != nil {
		return err
	}
	return s.revoke(c, u, fmt.Sprintf("/accounts/%d/tokens", u.ID))
}

func (s *Server) revokeOwnToken(c *Context) error {
	return s.revoke(c, c.User, "/account/tokens")
}
