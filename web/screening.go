package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"jtai"
	"jtai/authz"
	"jtai/screen"
	"jtai/theme"
)

// ScreeningStore is what the screening and selection pages need of storage.
type ScreeningStore interface {
	jtai.LifecycleService
	jtai.SelectionService
}

// registerScreening registers the timetable, screening and selection pages.
func (s *Server) registerScreening() {
	s.handle("GET", "/inspections/{id}/status", SignedIn, s.statusPage)
	s.handle("POST", "/inspections/{id}/status", SignedIn, s.changeStatus)
	s.handle("GET", "/inspections/{id}/screening", SignedIn, s.screeningPage)
	s.handle("GET", "/inspections/{id}/selection", SignedIn, s.selectionPage)
	s.handle("POST", "/inspections/{id}/selection", SignedIn, s.selectChildren)
	s.handle("POST", "/inspections/{id}/selection/add", SignedIn, s.addSelectedChild)
	s.handle("POST", "/inspections/{id}/selection/remove", SignedIn, s.removeSelectedChild)
}

// builtinThemes are read once: they are embedded in the program.
var builtinThemes = sync.OnceValues(theme.Builtin)

// inspectionTheme returns the theme the inspection is under, from the
// server's themes.
func (s *Server) inspectionTheme(in *jtai.Inspection) (*theme.Theme, error) {
	return s.themes.Get(in.ThemeID)
}

// screened is an inspection's children and their screening, in the same
// order.
type screened struct {
	theme     *theme.Theme
	children  []*jtai.Child
	screening *screen.Screening
}

// screenAll reads and screens every child of the inspection, to do a to
// them, logging the read of their personal data under what.
func (s *Server) screenAll(c *Context, in *jtai.Inspection, a authz.Action, what string) (*screened, error) {
	t, err := s.inspectionTheme(in)
	if err != nil {
		return nil, err
	}
	kids, err := s.cfg.Guard.AllChildren(c.R.Context(), c.Subject, in, a, what)
	if err != nil {
		return nil, err
	}
	return &screened{t, kids, screen.Children(t, in.NotifiedOn, kids)}, nil
}

// screenedChild is one row of the screening list.
type screenedChild struct {
	Child  *jtai.Child
	Result *screen.Result
}

type reasonRow struct {
	screen.ReasonCount
	Label string
}

type screeningView struct {
	Inspection *jtai.Inspection
	Theme      *theme.Theme
	Total      int
	Counts     map[screen.Outcome]int
	Outcomes   []screen.Outcome
	Reasons    []reasonRow
	// ReasonChoices are the reasons to filter by, each once: a reason
	// given under two outcomes filters the same children whichever.
	ReasonChoices []reasonRow
	Bands         []string
	Filter        url.Values
	Rows          []screenedChild
	Matching      int
	Page, Pages   int
	First, Last   int
	ShowNames     bool
	Named         bool // some child on the page has a name, and the viewer may see it
}

// Band is a screened child's age band for people: the theme's band, or
// the age when it is in none of them (older than the theme's children).
func (v *screeningView) Band(r *screen.Result) string {
	switch {
	case r.AgeBand == "unborn":
		return "Unborn"
	case r.AgeBand != "":
		return r.AgeBand
	case r.Age >= 0:
		return fmt.Sprintf("%d (in no band)", r.Age)
	}
	return "Unknown"
}

// Label is a reason for people.
func (v *screeningView) Label(reason string) string { return screen.ReasonLabel(v.Theme, reason) }

// PageLink is the list's address for page p, keeping the filters.
func (v *screeningView) PageLink(p int) string {
	q := url.Values{}
	for k, vs := range v.Filter {
		q[k] = vs
	}
	q.Set("page", strconv.Itoa(p))
	return "?" + q.Encode()
}

// ReasonLink filters the list to one outcome and reason.
func (v *screeningView) ReasonLink(o screen.Outcome, reason string) string {
	return "?" + url.Values{"outcome": {string(o)}, "reason": {reason}}.Encode()
}

func (v *screeningView) PrevPage() int { return v.Page - 1 }
func (v *screeningView) NextPage() int { return v.Page + 1 }

const screenedPerPage = 50

func (s *Server) screeningPage(c *Context) error {
	in, err := s.inspection(c, authz.ScreenChildren)
	if err != nil {
		return err
	}
	q := c.R.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	sc, err := s.screenAll(c, in, authz.ScreenChildren, fmt.Sprintf("screening?%s", q.Encode()))
	if err != nil {
		return err
	}
	v := &screeningView{Inspection: in, Theme: sc.theme, Total: len(sc.children), Counts: map[screen.Outcome]int{}, Outcomes: screen.Outcomes,
		Filter: url.Values{}, ShowNames: authz.Can(c.Subject, authz.ListChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil}
	for _, o := range screen.Outcomes {
		v.Counts[o] = sc.screening.Count(o)
	}
	for _, rc := range sc.screening.ByReason() {
		row := reasonRow{rc, screen.ReasonLabel(sc.theme, rc.Reason)}
		v.Reasons = append(v.Reasons, row)
		if !slices.ContainsFunc(v.ReasonChoices, func(r reasonRow) bool { return r.Reason == rc.Reason }) {
			v.ReasonChoices = append(v.ReasonChoices, row)
		}
	}
	for _, st := range sc.theme.Selection.Strata {
		if st.ID == screen.AgeBandStratum {
			v.Bands = st.Values
		}
	}
	for _, k := range []string{"outcome", "reason", "band"} {
		if x := q.Get(k); x != "" {
			v.Filter.Set(k, x)
		}
	}
	var match []int
	for i := range sc.screening.Results {
		r := &sc.screening.Results[i]
		if f := v.Filter.Get("outcome"); f != "" && string(r.Outcome) != f {
			continue
		}
		if f := v.Filter.Get("reason"); f != "" && !slices.Contains(r.Reasons, f) {
			continue
		}
		if f := v.Filter.Get("band"); f != "" && r.AgeBand != f {
			continue
		}
		match = append(match, i)
	}
	v.Matching = len(match)
	v.Pages = max(1, (v.Matching+screenedPerPage-1)/screenedPerPage)
	v.Page = min(max(page, 1), v.Pages) // past the end: the last page
	for _, i := range match[min((v.Page-1)*screenedPerPage, len(match)):min(v.Page*screenedPerPage, len(match))] {
		v.Rows = append(v.Rows, screenedChild{sc.children[i], &sc.screening.Results[i]})
	}
	v.First, v.Last = (v.Page-1)*screenedPerPage+1, (v.Page-1)*screenedPerPage+len(v.Rows)
	v.Named = v.ShowNames && slices.ContainsFunc(v.Rows, func(r screenedChild) bool { return r.Child.Named() })
	return s.render(c, http.StatusOK, "screening", &View{Title: "Scope screening", Nav: "inspections", Data: v})
}
