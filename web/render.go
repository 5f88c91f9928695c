package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/ingest"
	"jtai/theme"
)

// pages holds one parsed template set per page: the layout plus the page.
type pages struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"fieldError": func(errs []jtai.FieldError, field string) string {
		for _, e := range errs {
			if e.Field == field {
				return e.Message
			}
		}
		return ""
	},
	"date": func(d jtai.Date) string { return d.Long() },
	// plural is the word for n of a thing: plural 3 "child" "children".
	"plural": plural,
	"lower":  strings.ToLower,
	// ethnicity is the census's code for people: "White British".
	"ethnicity": ingest.EthnicitiesGrouped.Label,
	"listID":    listID,
	"codesID":   codesID,
	"sentence":  sentence,
	// inc numbers from one what range numbers from zero.
	"inc": func(i int) int { return i + 1 },
	// count writes a number as GOV.UK does: 2,000.
	"count": func(n int) string {
		s := strconv.Itoa(n)
		for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
		return s
	},
	// waited says how long something waited: "12 seconds", "3 minutes".
	"waited": func(d time.Duration) string {
		n, unit := int(d.Seconds()), "second"
		if d >= 2*time.Minute {
			n, unit = int(d.Minutes()), "minute"
		}
		return fmt.Sprintf("%d %s", n, plural(n, unit, unit+"s"))
	},
	"optDate": func(d *jtai.Date) string {
		if d == nil {
			return ""
		}
		return d.Long()
	},
}

// themeTitle names a theme for people; an unknown id is shown as it is.
func themeTitle(themes *theme.Registry) func(id string) string {
	return func(id string) string {
		if t, err := themes.Get(id); err == nil {
			return t.Title
		}
		return id
	}
}

// parsePages parses every page; themes name the inspections' themes.
func parsePages(themes *theme.Registry) (*pages, error) {
	layout, err := fs.ReadFile(files, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		b, err := fs.ReadFile(files, n)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Funcs(template.FuncMap{"themeTitle": themeTitle(themes)}).Parse(string(layout))
		if err == nil {
			_, err = t.Parse(string(b))
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// View is what every page template receives.
type View struct {
	Title  string
	Ctx    *Context
	Demo   bool
	Errors []jtai.FieldError
	Form   url.Values
	Nav    string
	Data   any
}

// Ended is the inspection the page is about when it is closed or
// withdrawn, for the banner that says it is read-only; nil otherwise.
func (v *View) Ended() *jtai.Inspection {
	if v.Ctx != nil && v.Ctx.inspection != nil && v.Ctx.inspection.Status.Ended() {
		return v.Ctx.inspection
	}
	return nil
}

// SignedIn reports whether the header should show the signed-in links.
func (v *View) SignedIn() bool { return v.Ctx != nil && v.Ctx.Subject != nil }

// done are the confirmations a page shows after a change, by the key its
// redirect leaves in the flash (doneRedirect), each on the one page it is
// for; only these texts can be shown.
var done = map[string]struct{ page, text string }{
	"status":              {"GET /inspections/{id}", "The inspection's status has been changed."},
	"published":           {"GET /inspections/{id}/selection", "The selection has been published to the partnership."},
	"child-added":         {"GET /inspections/{id}/selection", "The child has been added to the selection."},
	"child-removed":       {"GET /inspections/{id}/selection", "The child has been removed from the selection."},
	"decided":             {"GET /inspections/{id}/screening", "Your decision has been recorded: screening now follows it."},
	"screened":            {"GET /inspections/{id}/screening", "The lists have been screened again."},
	"evidence-recorded":   {"GET /inspections/{id}/evidence", "The evidence has been recorded."},
	"disabled":            {"GET /accounts", "The account has been disabled, and anyone signed in to it has been signed out."},
	"enabled":             {"GET /accounts", "The account has been enabled."},
	"reset-password":      {"GET /accounts", "The password has been reset: its holder has been signed out and sent a link to choose a new one."},
	"reset-second-factor": {"GET /accounts", "The security codes have been reset: their holder has been signed out and sent a link to set up their authenticator app again."},
}

// Done is the confirmation of the change that led to this page, if any.
func (v *View) Done() string {
	if v.Ctx == nil || v.Ctx.R == nil {
		return ""
	}
	d, ok := done[v.Ctx.flash().Get("done")]
	if !ok || d.page != v.Ctx.R.Pattern {
		return ""
	}
	return d.text
}

// IsAdmin reports whether the viewer manages accounts.
func (v *View) IsAdmin() bool { return v.SignedIn() && v.Ctx.User.Role == jtai.RoleAdministrator }

// PageTitle is the <title>, prefixed "Error: " when the page shows errors,
// as GOV.UK asks.
func (v *View) PageTitle() string {
	t := v.Title + " - jtai - GOV.UK"
	if len(v.Errors) > 0 {
		t = "Error: " + t
	}
	return t
}

// Value returns a submitted form value, to refill a form after an error.
func (v *View) Value(field string) string { return v.Form.Get(field) }

func (s *Server) render(c *Context, status int, name string, v *View) error {
	t, ok := s.pages.sets[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	v.Ctx, v.Demo = c, s.cfg.Demo
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	// The error summary lists the problems in the order their fields come
	// on the page, whatever order they were found in: rendered once more
	// when that differs.
	if inPageOrder(buf.Bytes(), v.Errors) {
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
	}
	s.clearFlash(c)
	h := c.W.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.W.WriteHeader(status)
	_, err := c.W.Write(buf.Bytes())
	return err
}

// inPageOrder sorts errs by where each field's element (id="field") comes
// in page, a field not on it last, and reports whether the order changed.
func inPageOrder(page []byte, errs []jtai.FieldError) bool {
	if len(errs) < 2 {
		return false
	}
	at := make(map[string]int, len(errs))
	for _, e := range errs {
		i := bytes.Index(page, []byte(`id="`+e.Field+`"`))
		if i < 0 {
			i = len(page)
		}
		at[e.Field] = i
	}
	if slices.IsSortedFunc(errs, func(a, b jtai.FieldError) int { return at[a.Field] - at[b.Field] }) {
		return false
	}
	slices.SortStableFunc(errs, func(a, b jtai.FieldError) int { return at[a.Field] - at[b.Field] })
	return true
}

// renderError is the one place errors become responses.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, c *Context, err error) {
	if c == nil {
		c = &Context{W: w, R: r}
	}
	switch {
	case err == errSecondFactorNeeded:
		http.Redirect(w, r, "/sign-in/second-factor", http.StatusSeeOther)
		return
	case jtai.IsKind(err, jtai.EUNAUTHORIZED):
		q := url.Values{}
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			q.Set("next", r.URL.RequestURI())
		}
		to := "/sign-in"
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		if c.expired {
			s.flashRedirect(c, to, url.Values{"ended": {"expired"}})
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	code := status(err)
	if code == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	title := map[int]string{
		http.StatusNotFound:            "Page not found",
		http.StatusForbidden:           "You cannot do this",
		http.StatusConflict:            "This could not be done",
		http.StatusTooManyRequests:     "Too many attempts",
		http.StatusUnprocessableEntity: "There is a problem",
	}[code]
	if title == "" {
		title = "Sorry, there is a problem with the service"
	}
	v := &View{Title: title, Data: errorView{Status: code, Message: jtai.ErrorMessage(err)}}
	if rerr := s.render(c, code, "error", v); rerr != nil {
		s.cfg.Logger.Error("render error page", "err", rerr)
		http.Error(w, title, code)
	}
}

type errorView struct {
	Status  int
	Message string
}

// sentence starts s with a capital letter: "referral source" becomes
// "Referral source".
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
