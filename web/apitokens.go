package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"jtai"
	"jtai/auth"
)

type tokensView struct {
	Account  *jtai.User
	Tokens   []*jtai.APIToken
	NewToken string // shown once, straight after issuing
}

// tokenAccount is the account whose tokens an administrator manages.
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

func (s *Server) renderTokens(c *Context, status int, u *jtai.User, newToken string, errs []jtai.FieldError) error {
	tokens, err := s.cfg.Store.ListAPITokens(c.R.Context(), u.ID)
	if err != nil {
		return err
	}
	// The form keeps a name only for it to be corrected: once a token is
	// issued the field is empty again, so the same one is not issued twice
	// by mistake.
	var form url.Values
	if errs != nil {
		form = c.R.PostForm
	}
	return s.render(c, status, "api_tokens", &View{Title: "API tokens", Nav: "accounts", Errors: errs, Form: form,
		Data: &tokensView{Account: u, Tokens: tokens, NewToken: newToken}})
}

func (s *Server) tokensPage(c *Context) error {
	u, err := s.tokenAccount(c)
	if err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusOK, u, "", nil)
}

// issueToken issues a token for an account and shows it once; only its
// hash is kept. Administrators' accounts get none.
func (s *Server) issueToken(c *Context) error {
	u, err := s.tokenAccount(c)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.R.PostFormValue("name"))
	var errs []jtai.FieldError
	switch {
	case u.Role == jtai.RoleAdministrator:
		errs = append(errs, jtai.FieldError{Field: "name", Message: "An administrator's account cannot have an API token"})
	case u.Disabled:
		errs = append(errs, jtai.FieldError{Field: "name", Message: "Enable the account before issuing it a token"})
	case name == "":
		errs = append(errs, jtai.FieldError{Field: "name", Message: "Enter a name for the token, like the system that will use it"})
	default:
		if fe := jtai.CheckText("name", "The name", name, 100, false); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if errs != nil {
		return s.renderTokens(c, http.StatusUnprocessableEntity, u, "", errs)
	}
	token, hash := auth.NewToken()
	t := &jtai.APIToken{UserID: u.ID, Name: name, TokenHash: hash, CreatedBy: c.User.Name, CreatedAt: s.cfg.Clock.Now()}
	if err := s.cfg.Store.CreateAPIToken(c.R.Context(), t); err != nil {
		return err
	}
	if err := s.logAccess(c, jtai.ActIssueToken, fmt.Sprintf("user/%d/token/%d", u.ID, t.ID), "ok"); err != nil {
		return err
	}
	return s.renderTokens(c, http.StatusOK, u, token, nil)
}

func (s *Server) revokeToken(c *Context) error {
	u, err := s.tokenAccount(c)
	if err != nil {
		return err
	}
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
	return redirect(c, fmt.Sprintf("/accounts/%d/tokens", u.ID))
}
