package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"jtai"
	"jtai/authz"
	"jtai/calendar"
	"jtai/ingest"
	"jtai/theme"
)

// TaskStatus is where one item of the partnership's task list stands.
type TaskStatus string

// Task statuses, as the GOV.UK task list shows them.
const (
	TaskNotStarted TaskStatus = "Not started"
	TaskInProgress TaskStatus = "In progress"
	TaskCompleted  TaskStatus = "Completed"
	TaskOverdue    TaskStatus = "Overdue"
	TaskCannot     TaskStatus = "Cannot start yet"
)

// Tag is the GOV.UK tag colour of the status, empty for plain text.
func (t TaskStatus) Tag() string {
	switch t {
	case TaskNotStarted:
		return "govuk-tag--blue"
	case TaskInProgress:
		return "govuk-tag--light-blue"
	case TaskOverdue:
		return "govuk-tag--red"
	}
	return ""
}

// Task is one item of the task list.
type Task struct {
	Name   string
	Hint   string
	Link   string
	Due    jtai.Date
	Status TaskStatus
	Who    string
}

type taskGroup struct {
	ID    string
	Title string
	Tasks []Task
	// More is a page with the whole of the group, and MoreText its link.
	More, MoreText string
}

type tasksView struct {
	Inspection *jtai.Inspection
	Groups     []taskGroup
	Note       string
}

// deadline is the date of one step of the inspection's timetable.
func (s *Server) deadline(in *jtai.Inspection, step string) (*jtai.Date, error) {
	tt, err := s.timetable(in)
	if err != nil {
		return nil, err
	}
	for _, p := range tt {
		if p.ID == step {
			return &p.Date, nil
		}
	}
	return nil, jtai.Errorf(jtai.ENOTFOUND, "The timetable has no step %q", step)
}

// taskStatus is the status of an item not yet completed: overdue after
// its due date, whatever work has started.
func (s *Server) taskStatus(started, done bool, due jtai.Date) TaskStatus {
	now := s.cfg.Clock.Now()
	today := jtai.NewDate(now.Year(), now.Month(), now.Day())
	switch {
	case done:
		return TaskCompleted
	case due.Before(today.Time):
		return TaskOverdue
	case started:
		return TaskInProgress
	}
	return TaskNotStarted
}

// importedList is the importer's name for a theme's list.
func importedList(l theme.List) string {
	if l.Format == theme.FormatDomesticAbuseNotifications {
		return ingest.ListDANotifications
	}
	return l.ID
}

func (s *Server) taskListPage(c *Context) error {
	in, err := s.inspection(c, authz.ViewInspection)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	t, err := s.inspectionTheme(in)
	if err != nil {
		return err
	}
	tt, err := s.timetable(in)
	if err != nil {
		return err
	}
	due := make(map[string]jtai.Date, len(tt))
	for _, p := range tt {
		due[p.ID] = p.Date
	}
	res := authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
	v := &tasksView{Inspection: in}

	lists := taskGroup{ID: "lists", Title: "Send the lists of children", Tasks: make([]Task, 0, len(t.Lists))}
	imported, err := s.cfg.Store.ListImports(ctx, in.ID)
	if err != nil {
		return err
	}
	landed := make(map[string]ingest.Landed, len(imported))
	for _, l := range imported {
		landed[l.List] = l
	}
	mayImport := authz.Can(c.Subject, authz.ImportLists, res) == nil
	for _, l := range t.Lists {
		got, ok := landed[importedList(l)]
		task := Task{Name: l.Title, Due: due[calendar.StepListsSupplied], Status: s.taskStatus(false, ok, due[calendar.StepListsSupplied]), Who: "Partnership coordinator"}
		task.Hint = l.Need.Words()
		if ok {
			task.Who = fmt.Sprintf("%s, %s rows on %s", got.By, commaCount(got.Rows), got.At.Format("2 January 2006"))
		}
		if mayImport {
			task.Link = fmt.Sprintf("/inspections/%d/lists", in.ID)
		}
		lists.Tasks = append(lists.Tasks, task)
	}

	a, err := s.loadAudits(c, in)
	if err != nil {
		return err
	}
	docs, err := s.documentTasks(c, in, t, a.list, due[calendar.StepDocumentsSupplied])
	if err != nil {
		return err
	}

	joint := taskGroup{ID: "audits", Title: "Complete the joint audits"}
	auditDue := due[calendar.StepAuditsReturned]
	if !a.selected {
		joint.Tasks = append(joint.Tasks, Task{Name: "Joint audits of the children the inspectors select", Due: auditDue, Status: TaskCannot,
			Hint: "Inspectors select the children by " + due[calendar.StepChildrenSelected].Long()})
	}
	rows, err := s.seenChildren(c, in, a)
	if err != nil {
		return err
	}
	joint.Tasks = slices.Grow(joint.Tasks, len(rows))
	// An agency auditor sees its own agency's parts alone: when they are
	// in, its task is done, but the audit goes on without it.
	auditor := c.Subject.Role == jtai.RoleAgencyAuditor
	if len(rows) > 0 {
		joint.More, joint.MoreText = fmt.Sprintf("/inspections/%d/audits", in.ID), "Progress of every joint audit, by agency"
		if auditor {
			joint.MoreText = "Progress of your agency's parts of the joint audits"
		}
	}
	for _, r := range rows {
		task := Task{Name: "Joint audit: " + r.Name, Link: fmt.Sprintf("/inspections/%d/audits/%d", in.ID, r.ChildID), Due: auditDue,
			Status: s.taskStatus(r.Status != jtai.AuditNotStarted, r.Status == jtai.AuditSubmitted, auditDue)}
		var who []string
		for _, p := range r.Parts {
			if p.Status != jtai.AuditSubmitted {
				who = append(who, p.Title)
			}
		}
		task.Who = strings.Join(who, "; ")
		switch {
		case task.Who != "":
		case auditor:
			task.Who = "Your agency's part is submitted"
		default:
			task.Who = "Submitted to the inspectors"
		}
		joint.Tasks = append(joint.Tasks, task)
	}
	v.Groups = []taskGroup{lists, docs, joint}
	return s.render(c, http.StatusOK, "tasks", &View{Title: "Task list", Nav: "inspections", Data: v})
}

// documentTasks are the theme's strategic documents: each is completed once
// an agency has sent a version of it, and names the agencies of the area
// that have.
func (s *Server) documentTasks(c *Context, in *jtai.Inspection, t *theme.Theme, agencies []*jtai.Agency, due jtai.Date) (taskGroup, error) {
	g := taskGroup{ID: "documents", Title: "Send the strategic documents"}
	ctx := c.R.Context()
	names := map[int64]string{}
	for _, a := range agencies {
		names[a.ID] = a.Name
	}
	docs, err := s.cfg.Store.ListDocuments(ctx, in.ID)
	if err != nil {
		return g, err
	}
	sent := map[string][]string{}
	for _, d := range docs {
		if n := names[d.AgencyID]; d.Version > 0 && !slices.Contains(sent[d.Item], n) {
			sent[d.Item] = append(sent[d.Item], n)
		}
	}
	link := ""
	res := authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
	if authz.Can(c.Subject, authz.UploadDocument, res) == nil || authz.Can(c.Subject, authz.ViewDocument, res) == nil {
		link = fmt.Sprintf("/inspections/%d/documents", in.ID)
	}
	for _, d := range t.Documents {
		by := sent[d.ID]
		task := Task{Name: d.Title, Link: link, Due: due, Status: s.taskStatus(false, len(by) > 0, due), Who: "Each agency that holds it"}
		if len(by) > 0 {
			task.Who = fmt.Sprintf("Sent by %s (%d of %d agencies)", strings.Join(by, ", "), len(by), len(agencies))
		}
		g.Tasks = append(g.Tasks, task)
	}
	return g, nil
}
