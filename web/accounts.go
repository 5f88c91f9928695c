package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"jtai"
	"jtai/authz"
)

func (s *Server) canManageAccounts(c *Context) error {
	return s.can(c, authz.ManageAccounts, authz.Resource{}, "accounts")
}

type accountsView struct {
	Users    []*jtai.User
	Areas    map[int64]*jtai.Area
	Agencies map[int64]*jtai.Agency
}

func (s *Server) accountsPage(c *Context) error {
	if err := s.canManageAccounts(c); err != nil {
		return err
	}
	ctx := c.R.Context()
	users, err := s.cfg.Store.ListUsers(ctx, jtai.UserFilter{})
	if err != nil {
		return err
	}
	areas, err := s.cfg.Store.ListAreas(ctx)
	if err != nil {
		return err
	}
	v := &accountsView{Users: users, Areas: map[int64]*jtai.Area{}, Agencies: map[int64]*jtai.Agency{}}
	for _, a := range areas {
		v.Areas[a.ID] = a
		agencies, err := s.cfg.Store.ListAgencies(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, ag := range agencies {
			v.Agencies[ag.ID] = ag
		}
	}
	return s.render(c, http.StatusOK, "accounts", &View{Title: "Accounts", Nav: "accounts", Data: v})
}

type newAccountView struct {
	Roles         []jtai.Role
	Inspectorates []jtai.Inspectorate
	Areas         []*jtai.Area
	Agencies      []*jtai.Agency
	AreaNames     map[int64]string
}

func (s *Server) newAccountForm(c *Context, status int, errs []jtai.FieldError, form url.Values) error {
	ctx := c.R.Context()
	areas, err := s.cfg.Store.ListAreas(ctx)
	if err != nil {
		return err
	}
	v := &newAccountView{Roles: jtai.Roles, Inspectorates: jtai.Inspectorates, Areas: areas, AreaNames: map[int64]string{}}
	for _, a := range areas {
		v.AreaNames[a.ID] = a.Name
		ags, err := s.cfg.Store.ListAgencies(ctx, a.ID)
		if err != nil {
			return err
		}
		v.Agencies = append(v.Agencies, ags...)
	}
	return s.render(c, status, "account_new", &View{Title: "Create an account", Nav: "accounts", Errors: errs, Form: form, Data: v})
}

func (s *Server) newAccountPage(c *Context) error {
	if err := s.canManageAccounts(c); err != nil {
		return err
	}
	return s.newAccountForm(c, http.StatusOK, nil, url.Values{})
}

func (s *Server) createAccount(c *Context) error {
	if err := s.canManageAccounts(c); err != nil {
		return err
	}
	ctx := c.R.Context()
	f := c.R.PostForm
	u := &jtai.User{Email: f.Get("email"), Name: f.Get("name"), Role: jtai.Role(f.Get("role")),
		Inspectorate: jtai.Inspectorate(f.Get("inspectorate"))}
	if !u.Role.IsInspector() {
		u.Inspectorate = ""
	}
	if u.Role == jtai.RoleCoordinator || u.Role == jtai.RoleAgencyAuditor {
		u.AreaID, _ = strconv.ParseInt(f.Get("area"), 10, 64)
	}
	if u.Role == jtai.RoleAgencyAuditor {
		// The agency decides the area, so the two cannot disagree.
		u.AgencyID, _ = strconv.ParseInt(f.Get("agency"), 10, 64)
		u.AreaID = 0
		if u.AgencyID != 0 {
			if ag := s.findAgency(c, u.AgencyID); ag != nil {
				u.AreaID = ag.AreaID
			} else {
				u.AgencyID = 0
			}
		}
	}
	link, err := s.setupLink(c)
	if err != nil {
		return err
	}
	// No one but the account's holder ever knows its password: they
	// choose it through the set-up link the outbox sends them.
	setup, err := s.cfg.Store.CreateUserWithSetup(ctx, u, link, s.actor(c))
	if err != nil {
		if jtai.IsKind(err, jtai.EINVALID) {
			errs := jtai.ErrorFields(err)
			if u.Role == jtai.RoleAgencyAuditor {
				// The agency decides an auditor's area: one error, not two.
				errs = slices.DeleteFunc(errs, func(e jtai.FieldError) bool { return e.Field == "area" })
			}
			return s.newAccountForm(c, http.StatusUnprocessableEntity, errs, f)
		}
		return err
	}
	return s.render(c, http.StatusOK, "account_created", &View{Title: "Account created", Nav: "accounts", Data: struct {
		User    *jtai.User
		Expires time.Time
	}{u, setup.ExpiresAt}})
}

func (s *Server) findAgency(c *Context, id int64) *jtai.Agency {
	areas, err := s.cfg.Store.ListAreas(c.R.Context())
	if err != nil {
		return nil
	}
	for _, a := range areas {
		ags, err := s.cfg.Store.ListAgencies(c.R.Context(), a.ID)
		if err != nil {
			return nil
		}
		for _, ag := range ags {
			if ag.ID == id {
				return ag
			}
		}
	}
	return nil
}

func (s *Server) setDisabled(c *Context, disabled bool) error {
	if err := s.canManageAccounts(c); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if id == c.User.ID && disabled {
		return jtai.Errorf(jtai.ECONFLICT, "You cannot disable your own account")
	}
	if disabled {
		ok, err := s.confirmed(c, confirmation{
			Question: "Are you sure you want to disable this account?",
			Details: []string{
				"Anyone signed in to the account is signed out at once, and no one can sign in to it.",
				"Its API tokens stop working. You can enable the account again later.",
			},
			Button: "Yes, disable the account",
			Back:   "/accounts",
			Nav:    "accounts",
		})
		if !ok || err != nil {
			return err
		}
	}
	if err := s.cfg.Store.SetUserDisabled(c.R.Context(), id, disabled, s.actor(c)); err != nil {
		return err
	}
	key := "enabled"
	if disabled {
		key = "disabled"
	}
	return s.doneRedirect(c, "/accounts", key)
}

func (s *Server) disableAccount(c *Context) error { return s.setDisabled(c, true) }
func (s *Server) enableAccount(c *Context) error  { return s.setDisabled(c, false) }
