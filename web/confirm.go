package web

import (
	"net/http"
	"net/url"
	"slices"
)

// confirmation is the page that asks before something hard to undo: the
// question, what will happen, and a form that posts the same fields again
// with confirm=yes to the same address.
type confirmation struct {
	Caption  string   // the page's caption, usually the inspection
	Question string   // the heading: "Are you sure you want to ...?"
	Warning  string   // a warning text, when the step cannot be undone
	Details  []string // what will happen, one line each
	Button   string   // the confirming button's text
	Back     string   // where "Cancel" leads
	Action   string   // where the form posts
	Nav      string   // the header's section, "inspections" unless given
	Fields   []hiddenField
}

type hiddenField struct{ Name, Value string }

// confirmed reports whether the request carries the confirmation; when it
// does not, it shows the confirmation page, which posts every field of the
// request again with the confirmation. The page is shown with 200: the
// request was good and nothing has changed yet.
func (s *Server) confirmed(c *Context, cf confirmation) (bool, error) {
	f := c.R.PostForm
	if f.Get("confirm") == "yes" {
		return true, nil
	}
	if cf.Action == "" {
		cf.Action = c.R.URL.Path
	}
	if cf.Nav == "" {
		cf.Nav = "inspections"
	}
	cf.Fields = hidden(f)
	return false, s.render(c, http.StatusOK, "confirm", &View{Title: cf.Question, Nav: cf.Nav, Data: &cf})
}

// hidden lists a form's fields, in name order, but for the CSRF token (the
// page adds its own) and the confirmation itself.
func hidden(f url.Values) []hiddenField {
	names := make([]string, 0, len(f))
	for n := range f {
		if n != "csrf_token" && n != "confirm" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var out []hiddenField
	for _, n := range names {
		for _, v := range f[n] {
			out = append(out, hiddenField{n, v})
		}
	}
	return out
}
