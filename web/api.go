package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/calendar"
	"jtai/ingest"
	"jtai/web/upload"
)

//go:embed api/openapi.json
var openAPIDocument []byte

// registerAPI registers the JSON API under /api/v1, and the accounts pages
// where an administrator issues and revokes its tokens.
func (s *Server) registerAPI() {
	s.muxHandle("GET /api/v1/openapi.json", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPIDocument)
	}))
	s.handle("GET", "/api/v1/inspections", API, s.apiInspections)
	s.handle("GET", "/api/v1/inspections/{id}", API, s.apiInspection)
	s.handle("POST", "/api/v1/inspections/{id}/lists", API, s.apiImportLists)
	s.handle("POST", "/api/v1/inspections/{id}/documents/{document}", API, s.apiUploadDocument)

	s.handle("GET", "/accounts/{id}/tokens", SignedIn, s.tokensPage)
	s.handle("POST", "/accounts/{id}/tokens/{token}/revoke", SignedIn, s.revokeToken)
	s.handle("GET", "/account/tokens", SignedIn, s.ownTokensPage)
	s.handle("POST", "/account/tokens", SignedIn, s.issueToken)
	s.handle("POST", "/account/tokens/{token}/revoke", SignedIn, s.revokeOwnToken)
}

var errBadToken = jtai.Errorf(jtai.EUNAUTHORIZED, "Give a valid API token in the Authorization header: Bearer TOKEN")

// badToken counts and logs a refused token, under the route's pattern
// rather than the path the caller chose, and refuses it.
func (s *Server) badToken(c *Context) error {
	if err := s.failed(c, jtai.ActDenied, "api "+c.R.Pattern, "bad token"); err != nil {
		return err
	}
	return errBadToken
}

// authenticateToken makes the bearer token's account the request's
// subject. An unknown, revoked or disabled account's token is refused and
// the refusal logged.
func (s *Server) authenticateToken(c *Context) error {
	if err := s.mayFail(c); err != nil {
		return err
	}
	h := c.R.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errBadToken
	}
	ctx := c.R.Context()
	t, err := s.cfg.Store.FindAPIToken(ctx, auth.HashToken(strings.TrimSpace(token)))
	if jtai.IsKind(err, jtai.ENOTFOUND) || (err == nil && !t.Usable(s.cfg.Clock.Now())) {
		return s.badToken(c)
	}
	if err != nil {
		return err
	}
	u, err := s.cfg.Store.FindUserByID(ctx, t.UserID)
	if err != nil {
		return err
	}
	c.User, c.tokenScopes = u, t.Scopes
	// A token belongs to an account with a second factor: one whose
	// second factor was reset has none until its holder sets it up again.
	if u.Disabled || u.Role == jtai.RoleAdministrator || u.TOTPSecret == "" {
		return s.badToken(c)
	}
	team, err := s.cfg.Store.TeamInspectionIDs(ctx, u.ID)
	if err != nil {
		return err
	}
	c.Subject = authz.NewSubject(u, team)
	c.Subject.Address = clientAddress(c.R)
	now := s.cfg.Clock.Now()
	if now.Sub(t.LastUsedAt) > time.Minute {
		return s.cfg.Store.TouchAPIToken(ctx, t.ID, now)
	}
	return nil
}

// apiErrorBody is every API error: {"error": {"kind", "message", "fields"}}.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Kind     string            `json:"kind"`
	Message  string            `json:"message"`
	Fields   []jtai.FieldError `json:"fields"`
	Problems []ingest.Problem  `json:"problems,omitempty"`
}

// apiError is renderError for the API: JSON, never a page or a redirect.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, c *Context, err error) {
	code := status(err)
	if code == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	d := apiErrorDetail{Kind: jtai.ErrorKind(err), Message: jtai.ErrorMessage(err), Fields: []jtai.FieldError{}}
	var ae *apiProblems
	if errors.As(err, &ae) {
		d.Fields, d.Problems = ae.fields, ae.problems
	}
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="jtai"`)
	}
	writeJSON(w, code, apiErrorBody{d})
}

// apiProblems is an EINVALID error carrying the fields and the problems of
// a refused upload.
type apiProblems struct {
	err      *jtai.Error
	fields   []jtai.FieldError
	problems []ingest.Problem
}

func (e *apiProblems) Error() string { return e.err.Error() }
func (e *apiProblems) Unwrap() error { return e.err }

func writeJSON(w http.ResponseWriter, code int, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	return json.NewEncoder(w).Encode(v)
}

type apiInspection struct {
	ID         int64     `json:"id"`
	AreaID     int64     `json:"area_id"`
	Area       string    `json:"area"`
	ThemeID    string    `json:"theme_id"`
	NotifiedOn jtai.Date `json:"notified_on"`
	Status     string    `json:"status"`
}

func toAPIInspection(in *jtai.Inspection) apiInspection {
	a := apiInspection{ID: in.ID, AreaID: in.AreaID, ThemeID: in.ThemeID, NotifiedOn: in.NotifiedOn, Status: string(in.Status)}
	if in.Area != nil {
		a.Area = in.Area.Name
	}
	return a
}

func (s *Server) apiInspections(c *Context) error {
	if err := s.needScope(c, jtai.ScopeRead); err != nil {
		return err
	}
	f, err := authz.Filter(c.Subject)
	if err != nil {
		s.logAccess(c, jtai.ActDenied, "inspections", "denied")
		return err
	}
	list, err := s.cfg.Store.ListInspections(c.R.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Inspections []apiInspection `json:"inspections"`
	}{[]apiInspection{}}
	for _, in := range list {
		out.Inspections = append(out.Inspections, toAPIInspection(in))
	}
	if err := s.logAccess(c, jtai.ActList, "api inspections", "ok"); err != nil {
		return err
	}
	return writeJSON(c.W, http.StatusOK, out)
}

type apiDeadline struct {
	Step     string             `json:"step"`
	Label    string             `json:"label"`
	Date     jtai.Date          `json:"date"`
	State    string             `json:"state"`
	Holidays []calendar.Holiday `json:"holidays,omitempty"` // those that shorten a step's week
}

func (s *Server) apiInspection(c *Context) error {
	if err := s.needScope(c, jtai.ScopeRead); err != nil {
		return err
	}
	in, err := s.inspection(c, authz.ViewInspection)
	if err != nil {
		return err
	}
	out := struct {
		apiInspection
		Timetable []apiDeadline   `json:"timetable"`
		Lists     []ingest.Landed `json:"lists"`
	}{apiInspection: toAPIInspection(in), Timetable: []apiDeadline{}, Lists: []ingest.Landed{}}
	tt, err := s.deliveredTimetable(c, in)
	if err != nil {
		return err
	}
	for _, p := range tt {
		out.Timetable = append(out.Timetable, apiDeadline{Step: p.ID, Label: p.Label, Date: p.Date, State: string(p.State), Holidays: p.Holidays})
	}
	if authz.Can(c.Subject, authz.ImportLists, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil {
		lists, err := s.cfg.Store.ListImports(c.R.Context(), in.ID)
		if err != nil {
			return err
		}
		out.Lists = append(out.Lists, lists...)
	}
	if err := s.logAccess(c, jtai.ActView, fmt.Sprintf("api inspection/%d", in.ID), "ok"); err != nil {
		return err
	}
	return writeJSON(c.W, http.StatusOK, out)
}

// apiImportLists runs the same import as the lists page: 201 with what
// landed, or 422 with every problem (file, sheet, row, column).
func (s *Server) apiImportLists(c *Context) error {
	if err := s.needScope(c, jtai.ScopeUploadLists); err != nil {
		return err
	}
	in, err := s.inspection(c, authz.ImportLists)
	if err != nil {
		return err
	}
	var uploads []*upload.File
	replace := false
	if isMultipart(c.R) {
		f, err := c.multipart(maxUploadBytes, fmt.Sprintf("The upload could not be read; the files together may be larger than %d MB", maxUploadBytes>>20))
		if err != nil {
			return err
		}
		uploads = f.File["files"]
		if v := f.Value["replace"]; len(v) > 0 {
			replace = v[0] == "true" || v[0] == "yes"
		}
	}
	if len(uploads) == 0 {
		return &apiProblems{err: &jtai.Error{Kind: jtai.EINVALID, Message: "Send one or more files of children's lists as multipart/form-data parts named files"},
			fields: []jtai.FieldError{{Field: "files", Message: "Select one or more files of children's lists"}}}
	}
	files := make([]ingest.File, len(uploads))
	for i, fh := range uploads {
		files[i] = uploadedFile(fh)
	}
	res, err := s.cfg.Store.ImportLists(c.R.Context(), in.ID, files, ingest.ImportOptions{Actor: s.actor(c), Replace: replace})
	if err != nil && !jtai.IsKind(err, jtai.EINVALID) {
		if len(res.Leaving) > 0 {
			if lerr := s.logAccess(c, jtai.ActCreate, fmt.Sprintf("inspection/%d/lists", in.ID), "rejected: unconfirmed"); lerr != nil {
				return lerr
			}
		}
		return err // 409 when children would leave: send replace=true to confirm
	}
	if res == nil {
		return err
	}
	if !res.Landed {
		if err := s.logAccess(c, jtai.ActCreate, fmt.Sprintf("inspection/%d/lists", in.ID), "rejected"); err != nil {
			return err
		}
		return &apiProblems{err: &jtai.Error{Kind: jtai.EINVALID, Message: fmt.Sprintf("The files have %d %s, so nothing was imported", res.Summary.Errors, plural(res.Summary.Errors, "error", "errors"))},
			fields: byRule(res.Summary), problems: res.Summary.Problems}
	}
	problems := []ingest.Problem{}
	if res.Summary != nil {
		problems = append(problems, res.Summary.Problems...)
	}
	return writeJSON(c.W, http.StatusCreated, struct {
		Lists     []ingest.Landed  `json:"lists"`
		Rows      int              `json:"rows"`
		Children  int              `json:"children"`
		NoChanges bool             `json:"no_changes"`
		Warnings  []ingest.Problem `json:"warnings"`
	}{res.Lists, res.Rows, res.Children, res.NoChanges, problems})
}

// needScope refuses an API call its token's scopes do not allow.
func (s *Server) needScope(c *Context, scope jtai.Scope) error {
	if c.tokenScopes != nil && slices.Contains(c.tokenScopes, scope) {
		return nil
	}
	if err := s.logAccess(c, jtai.ActDenied, "api (scope "+string(scope)+")", "denied"); err != nil {
		return err
	}
	return jtai.Errorf(jtai.EFORBIDDEN, "This token may not %s: issue one with that scope", strings.ToLower(scope.Label()))
}
