package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/calendar"
)

func (s *Server) home(c *Context) error {
	if c.User.Role == jtai.RoleAdministrator {
		return redirect(c, "/accounts")
	}
	f, err := authz.Filter(c.Subject)
	if err != nil {
		return err
	}
	list, err := s.cfg.Store.ListInspections(c.R.Context(), f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "home", &View{Title: "Inspections", Nav: "inspections", Data: list})
}

// inspection loads an inspection and asks the policy for action on it. An
// inspection the user may not know of is "not found", and the attempt is
// logged.
func (s *Server) inspection(c *Context, a authz.Action) (*jtai.Inspection, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := s.cfg.Store.FindInspectionByID(c.R.Context(), id)
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		s.logAccess(c, jtai.ActDenied, fmt.Sprintf("inspection/%d (%s)", id, a), "denied")
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := s.can(c, a, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}, fmt.Sprintf("inspection/%d", in.ID)); err != nil {
		return nil, err
	}
	c.inspection = in
	return in, nil
}

type inspectionView struct {
	Inspection   *jtai.Inspection
	Team         []*jtai.User
	Agencies     []*jtai.Agency
	Children     int
	SeeChildren  bool
	Inspectorate map[jtai.Inspectorate]bool
	Timetable    []calendar.Progress // the theme's deadlines, done, due or overdue
	Links        inspectionLinks     // the screening pages the viewer may open
	// SelectionChanged counts, for the lead inspector, the selected
	// children the lists corrected since say differently about.
	SelectionChanged int
	ErasedAt         time.Time // when retention erased its personal data, or zero
}

func (s *Server) inspectionPage(c *Context) error {
	in, err := s.inspection(c, authz.ViewInspection)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	v := &inspectionView{Inspection: in}
	if v.Team, err = s.cfg.Store.ListTeam(ctx, in.ID); err != nil {
		return err
	}
	if v.Agencies, err = s.cfg.Store.ListAgencies(ctx, in.AreaID); err != nil {
		return err
	}
	if v.Children, err = s.cfg.Store.CountChildren(ctx, in.ID); err != nil {
		return err
	}
	v.SeeChildren = authz.Can(c.Subject, authz.ListChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil
	if v.ErasedAt, err = s.cfg.Store.ErasedAt(ctx, in.ID); err != nil {
		return err
	}
	if !v.ErasedAt.IsZero() {
		// Nothing sealed can be opened any more: the timetable as planned,
		// without what was delivered (documents' names were sealed).
		if v.Timetable, err = s.timetable(in); err != nil {
			return err
		}
	} else {
		if v.Timetable, err = s.deliveredTimetable(c, in); err != nil {
			return err
		}
		if v.SelectionChanged, err = s.selectionChanged(c, in); err != nil {
			return err
		}
	}
	v.Links = s.links(c, in)
	return s.render(c, http.StatusOK, "inspection", &View{Title: in.Area.Name + " inspection", Nav: "inspections", Data: v})
}

const childrenPerPage = 50

type childrenView struct {
	Inspection *jtai.Inspection
	Children   []*jtai.Child
	Named      bool // some child on the page has a name: the table has a column for names
	Page       int
	Pages      int
	Total      int
	First      int
	Last       int
}

func (v *childrenView) PrevPage() int { return v.Page - 1 }
func (v *childrenView) NextPage() int { return v.Page + 1 }

func (s *Server) childrenPage(c *Context) error {
	in, err := s.inspection(c, authz.ListChildren)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	total, err := s.cfg.Store.CountChildren(ctx, in.ID)
	if err != nil {
		return err
	}
	v := &childrenView{Inspection: in, Total: total, Page: 1, Pages: max(1, (total+childrenPerPage-1)/childrenPerPage)}
	if p, err := strconv.Atoi(c.R.URL.Query().Get("page")); err == nil {
		v.Page = min(max(p, 1), v.Pages) // past the end: the last page, as on screening
	}
	offset := (v.Page - 1) * childrenPerPage
	if v.Children, err = s.cfg.Guard.ChildrenPage(ctx, c.Subject, in, v.Page, childrenPerPage); err != nil {
		return err
	}
	v.Named = slices.ContainsFunc(v.Children, (*jtai.Child).Named)
	v.First, v.Last = offset+1, offset+len(v.Children)
	return s.render(c, http.StatusOK, "children", &View{Title: "Children", Nav: "inspections", Data: v})
}

type childView struct {
	Inspection *jtai.Inspection
	Child      *jtai.Child
	// Back is where the back link leads: the children list for those who
	// may list the children, else the task list, where an agency's
	// auditor finds its children.
	Back, BackLabel string
}

func (s *Server) childPage(c *Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	childID, err := pathID(c, "child")
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	resource := fmt.Sprintf("inspection/%d/child/%d", id, childID)
	in, err := s.cfg.Store.FindInspectionByID(ctx, id)
	if err != nil {
		s.logAccess(c, jtai.ActDenied, resource, "denied")
		return err
	}
	child, err := s.cfg.Guard.Child(ctx, c.Subject, in, childID)
	if err != nil {
		return err
	}
	v := &childView{Inspection: in, Child: child, Back: fmt.Sprintf("/inspections/%d/children", in.ID), BackLabel: "Back to the children"}
	if authz.Can(c.Subject, authz.ListChildren, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) != nil {
		v.Back, v.BackLabel = fmt.Sprintf("/inspections/%d/tasks", in.ID), "Back to the task list"
	}
	return s.render(c, http.StatusOK, "child", &View{Title: child.FullName(), Nav: "inspections", Data: v})
}
