package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	jtai.ScreeningService
}

// registerScreening registers the timetable, screening and selection pages.
func (s *Server) registerScreening() {
	s.handle("GET", "/inspections/{id}/status", SignedIn, s.statusPage)
	s.handle("POST", "/inspections/{id}/status", SignedIn, s.changeStatus)
	s.handle("GET", "/inspections/{id}/screening", SignedIn, s.screeningPage)
	s.handle("GET", "/inspections/{id}/screening/decide", SignedIn, s.decidePage)
	s.handle("POST", "/inspections/{id}/screening/decide", SignedIn, s.decide)
	s.handle("POST", "/inspections/{id}/screening/again", SignedIn, s.screenAgain)
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

// kept is an inspection's screening as the pages read it: the kept
// result, or, when none is kept under the theme's rules as they are now,
// the lists screened for this request (Stale), without the decisions.
type kept struct {
	theme *theme.Theme
	*screen.Kept
	// Stale: nothing kept, or kept under other rules; children are then
	// the lists as read for this request.
	Stale    bool
	children []*jtai.Child
}

// keptScreening reads the inspection's kept screening, to do a with it,
// logged under what; out of date, it screens the lists instead.
func (s *Server) keptScreening(c *Context, in *jtai.Inspection, a authz.Action, what string) (*kept, error) {
	t, err := s.inspectionTheme(in)
	if err != nil {
		return nil, err
	}
	st, err := s.cfg.Guard.Screening(c.R.Context(), c.Subject, in, a, what)
	var decisions map[int64]*screen.Decision
	switch {
	case err == nil && st.Basis == screen.Basis(t):
		k, err := screen.Open(st.Result)
		if err != nil {
			return nil, err
		}
		return &kept{theme: t, Kept: k}, nil
	case err == nil:
		// Kept under other rules: its decisions still stand, if it is in
		// a form this program reads.
		if k, err := screen.Open(st.Result); err == nil {
			decisions = k.Decisions
		}
	case !jtai.IsKind(err, jtai.ENOTFOUND):
		return nil, err
	}
	sc, err := s.screenAll(c, in, a, what+" (screened now)")
	if err != nil {
		return nil, err
	}
	for i := range sc.screening.Results {
		screen.Decide(&sc.screening.Results[i], decisions[sc.screening.Results[i].ChildID])
	}
	return &kept{theme: t, Kept: &screen.Kept{Screening: *sc.screening, Decisions: decisions}, Stale: true, children: sc.children}, nil
}

// result returns the child's result, or nil.
func (k *kept) result(childID int64) *screen.Result {
	for i := range k.Results {
		if k.Results[i].ChildID == childID {
			return &k.Results[i]
		}
	}
	return nil
}

// screenedChild is one row of the screening list.
type screenedChild struct {
	Child    *jtai.Child // nil unless names are shown
	Result   *screen.Result
	Decision *screen.Decision
}

// ID is the child's identifier as the list shows it.
func (r screenedChild) ID() string {
	if r.Result.LAChildID != "" {
		return r.Result.LAChildID
	}
	return strconv.FormatInt(r.Result.ChildID, 10)
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
	// Review are the reasons children need review for, with how many
	// children each, for inspectors to decide on.
	Review []reasonRow
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
	CanDecide     bool // the viewer may decide on children in needs review
	Stale         bool // nothing kept under the theme's rules: screened for this page
	Decided       int  // children whose outcome is an inspector's decision
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

// DecideLink is the decision page for all the children in needs review
// for a reason.
func (v *screeningView) DecideLink(reason string) string {
	return fmt.Sprintf("/inspections/%d/screening/decide?", v.Inspection.ID) + url.Values{"reason": {reason}}.Encode()
}

// Decidable reports whether a row's child may be decided on: in needs
// review, or decided already (the decision can be changed).
func (v *screeningView) Decidable(r screenedChild) bool {
	return v.CanDecide && !v.Stale && (r.Result.Outcome == screen.NeedsReview || r.Result.Decided)
}

func (v *screeningView) PrevPage() int { return v.Page - 1 }
func (v *screeningView) NextPage() int { return v.Page + 1 }

const screenedPerPage = 50

// sameChildID reports whether a typed local authority ID is the child's:
// case and spaces do not matter.
func sameChildID(typed, id string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(typed), ""), strings.Join(strings.Fields(id), ""))
}

func (s *Server) screeningPage(c *Context) error {
	in, err := s.inspection(c, authz.ScreenChildren)
	if err != nil {
		return err
	}
	q := c.R.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	// The query may hold a child's identifier, which names the child: it
	// is not written to the log.
	logged := url.Values{}
	for _, k := range []string{"outcome", "reason", "band", "page"} {
		if x := q.Get(k); x != "" {
			logged.Set(k, x)
		}
	}
	if q.Get("child") != "" {
		logged.Set("child", "(a local authority ID)")
	}
	k, err := s.keptScreening(c, in, authz.ScreenChildren, fmt.Sprintf("screening?%s", logged.Encode()))
	if err != nil {
		return err
	}
	res := authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
	v := &screeningView{Inspection: in, Theme: k.theme, Total: len(k.Results), Counts: map[screen.Outcome]int{}, Outcomes: screen.Outcomes,
		Filter: url.Values{}, ShowNames: authz.Can(c.Subject, authz.ListChildren, res) == nil, Stale: k.Stale,
		CanDecide: !in.Status.Ended() && authz.Can(c.Subject, authz.DecideScreening, res) == nil}
	for _, o := range screen.Outcomes {
		v.Counts[o] = k.Count(o)
	}
	for _, rc := range k.ByReason() {
		row := reasonRow{rc, screen.ReasonLabel(k.theme, rc.Reason)}
		v.Reasons = append(v.Reasons, row)
		if rc.Outcome == screen.NeedsReview {
			v.Review = append(v.Review, row)
		}
		if !slices.ContainsFunc(v.ReasonChoices, func(r reasonRow) bool { return r.Reason == rc.Reason }) {
			v.ReasonChoices = append(v.ReasonChoices, row)
		}
	}
	for i := range k.Results {
		if k.Results[i].Decided {
			v.Decided++
		}
	}
	for _, st := range k.theme.Selection.Strata {
		if st.ID == screen.AgeBandStratum {
			v.Bands = st.Values
		}
	}
	for _, key := range []string{"outcome", "reason", "band", "child"} {
		if x := strings.TrimSpace(q.Get(key)); x != "" {
			v.Filter.Set(key, x)
		}
	}
	var match []int
	for i := range k.Results {
		r := &k.Results[i]
		if f := v.Filter.Get("child"); f != "" && !sameChildID(f, r.LAChildID) {
			continue
		}
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
	var ids []int64
	for _, i := range match[min((v.Page-1)*screenedPerPage, len(match)):min(v.Page*screenedPerPage, len(match))] {
		r := &k.Results[i]
		v.Rows = append(v.Rows, screenedChild{Result: r, Decision: k.Decisions[r.ChildID]})
		ids = append(ids, r.ChildID)
	}
	if v.ShowNames && slices.ContainsFunc(v.Rows, func(r screenedChild) bool { return r.Result.Named }) {
		// Names are not kept with the screening: the page's children are
		// opened for them, when the lists give any a name.
		kids := k.children
		if !k.Stale {
			if kids, err = s.cfg.Guard.Children(c.R.Context(), c.Subject, in, authz.ListChildren, ids, "screening (the page's children)"); err != nil {
				return err
			}
		}
		byID := make(map[int64]*jtai.Child, len(kids))
		for _, kid := range kids {
			byID[kid.ID] = kid
		}
		for i := range v.Rows {
			v.Rows[i].Child = byID[v.Rows[i].Result.ChildID]
		}
	}
	v.First, v.Last = (v.Page-1)*screenedPerPage+1, (v.Page-1)*screenedPerPage+len(v.Rows)
	v.Named = v.ShowNames && slices.ContainsFunc(v.Rows, func(r screenedChild) bool { return r.Child != nil && r.Child.Named() })
	return s.render(c, http.StatusOK, "screening", &View{Title: "Scope screening", Nav: "inspections", Data: v})
}
