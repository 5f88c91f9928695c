package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"jtai"
	"jtai/calendar"
	"jtai/store"
	"jtai/theme"
)

func (m *Main) inspection(ctx context.Context, args []string) error {
	return m.sub(ctx, "inspection", args, map[string]func(context.Context, []string) error{
		"create": m.inspectionCreate,
		"list":   m.inspectionList,
		"show":   m.inspectionShow,
		"status": m.inspectionStatus,
	})
}

// themes loads the built-in themes and, with --themes, a directory's.
func themes(dir string) (*theme.Registry, error) {
	if dir == "" {
		return theme.Builtin()
	}
	return theme.LoadDir(dir)
}

// inspectionTheme is an inspection's theme, or nil when it is not known
// here: a nil theme has the default timetable.
func inspectionTheme(dir string, in *jtai.Inspection) *theme.Theme {
	reg, err := themes(dir)
	if err != nil {
		return nil
	}
	t, _ := reg.Get(in.ThemeID)
	return t
}

// inspectionArg is the one inspection id a command takes.
func inspectionArg(fs *pflag.FlagSet, command string) (int64, error) {
	if fs.NArg() != 1 {
		return 0, usagef("%s takes one inspection id", command)
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return 0, usagef("%s: %q is not an inspection id", command, fs.Arg(0))
	}
	return id, nil
}

func addThemesFlag(fs *pflag.FlagSet, dir *string) {
	fs.StringVar(dir, "themes", "", "also load themes from this directory (a file there replaces a built-in theme with the same id)")
}

func (m *Main) inspectionCreate(ctx context.Context, args []string) error {
	fs := m.flags("inspection create", "Records a notification: creates an inspection of an area under a theme.\nThe notification date must be a working Monday unless --not-monday is given (the override is logged).")
	var f dbFlags
	var area, themeID, notified, themesDir string
	var team []string
	var notMonday bool
	fs.StringVar(&area, "area", "", "the area's LA code")
	fs.StringVar(&themeID, "theme", "domestic-abuse-2024", "the theme's id (see 'jtai theme list')")
	fs.StringVar(&notified, "notified", "", "the notification date, YYYY-MM-DD")
	fs.StringSliceVar(&team, "team", nil, "inspectors on the team, by email (repeat or comma-separate)")
	fs.BoolVar(&notMonday, "not-monday", false, "accept a notification date that is not a working Monday")
	addThemesFlag(fs, &themesDir)
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	var problems []jtai.FieldError
	reg, err := themes(themesDir)
	if err != nil {
		return err
	}
	if _, err := reg.Get(themeID); err != nil {
		problems = append(problems, jtai.FieldError{Field: "theme", Message: jtai.ErrorMessage(err)})
	}
	day, err := jtai.ParseDate(notified)
	if err != nil {
		problems = append(problems, jtai.FieldError{Field: "notified", Message: "Enter the notification date as YYYY-MM-DD, like 2026-03-02"})
	} else if err := calendar.CheckNotification(day); err != nil && !notMonday {
		for _, fe := range jtai.ErrorFields(err) {
			problems = append(problems, jtai.FieldError{Field: "notified", Message: fe.Message + " (give --not-monday to record it anyway)"})
		}
	}
	if len(problems) > 0 {
		return jtai.Invalid(problems...)
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.FindAreaByLACode(ctx, area)
	if err != nil {
		return jtai.Invalid(jtai.FieldError{Field: "area", Message: fmt.Sprintf("No area has LA code %q: add it with 'jtai area add'", area)})
	}
	var members []*jtai.User
	for _, email := range team {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil || !u.Role.IsInspector() {
			return jtai.Invalid(jtai.FieldError{Field: "team", Message: fmt.Sprintf("%s is not an inspector's account", email)})
		}
		members = append(members, u)
	}
	in := &jtai.Inspection{AreaID: a.ID, ThemeID: themeID, NotifiedOn: day}
	if err := db.CreateInspection(ctx, in); err != nil {
		return err
	}
	for _, u := range members {
		if err := db.AddTeamMember(ctx, in.ID, u.ID); err != nil {
			return err
		}
	}
	e := m.consoleActor()
	e.Action, e.Resource = jtai.ActCreate, fmt.Sprintf("inspection/%d", in.ID)
	if notMonday && calendar.CheckNotification(day) != nil {
		e.Outcome = "ok: notification date not a working Monday, overridden"
	}
	if err := db.Append(ctx, e); err != nil {
		return err
	}
	in.Area = a
	if f.json {
		return m.printJSON(in)
	}
	fmt.Fprintf(m.Stdout, "Created inspection %d of %s under %s, notified %s.\n", in.ID, a.Name, themeID, day.Long())
	return nil
}

func (m *Main) inspectionList(ctx context.Context, args []string) error {
	return list(m, ctx, args, "inspection list", "Lists inspections, newest first.",
		func(ctx context.Context, db *store.DB) ([]*jtai.Inspection, error) {
			return db.ListInspections(ctx, jtai.InspectionFilter{})
		},
		"ID\tAREA\tTHEME\tNOTIFIED\tSTATUS",
		func(in *jtai.Inspection) string {
			return fmt.Sprintf("%d\t%s (%s)\t%s\t%s\t%s", in.ID, in.Area.Name, in.Area.LACode, in.ThemeID, in.NotifiedOn, in.Status)
		})
}

func (m *Main) inspectionShow(ctx context.Context, args []string) error {
	fs := m.flags("inspection show ID", "Shows an inspection, its team and its timetable.")
	var f dbFlags
	var themesDir string
	addThemesFlag(fs, &themesDir)
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := inspectionArg(fs, "inspection show")
	if err != nil {
		return err
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := db.FindInspectionByID(ctx, id)
	if err != nil {
		return err
	}
	team, err := db.ListTeam(ctx, id)
	if err != nil {
		return err
	}
	children, err := db.CountChildren(ctx, id)
	if err != nil {
		return err
	}
	timetable, err := inspectionTheme(themesDir, in).Deadlines(in.NotifiedOn)
	if err != nil {
		return err
	}
	erased, err := db.ErasedAt(ctx, id)
	if err != nil {
		return err
	}
	if f.json {
		emails := []string{}
		for _, u := range team {
			emails = append(emails, u.Email)
		}
		out := map[string]any{"inspection": in, "team": emails, "children": children, "timetable": timetable}
		if !erased.IsZero() {
			out["personal_data_erased_at"] = erased
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "Inspection %d: %s (LA %s), theme %s\nNotified %s; status %s; %d children on the lists\n",
		in.ID, in.Area.Name, in.Area.LACode, in.ThemeID, in.NotifiedOn.Long(), in.Status.Label(), children)
	if !erased.IsZero() {
		fmt.Fprintf(m.Stdout, "Personal data erased on %s under the retention schedule: the children's records, audit answers and documents can no longer be read.\n", erased.Format("2 January 2006"))
	}
	fmt.Fprintln(m.Stdout, "\nTeam:")
	for _, u := range team {
		fmt.Fprintf(m.Stdout, "  %s, %s, %s\n", u.Name, u.Role.Label(), u.Inspectorate.Label())
	}
	fmt.Fprintln(m.Stdout, "\nTimetable:")
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	for _, d := range timetable {
		var notes []string
		if d.Assumption {
			notes = append(notes, "(assumed)")
		}
		if s := d.Shortened(); s != "" {
			notes = append(notes, s)
		}
		note := strings.Join(notes, " ")
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Date.Format("Mon 2 Jan 2006"), d.Label, note)
	}
	return tw.Flush()
}

func (m *Main) inspectionStatus(ctx context.Context, args []string) error {
	fs := m.flags("inspection status ID --to STATE [--reason TEXT]", "Moves an inspection to another state of its lifecycle, as the lead inspector does on the status page:\nthe same preconditions apply, and the move (or its refusal) is logged. States: "+statusNames()+".")
	var f dbFlags
	var to, reason, themesDir string
	fs.StringVar(&to, "to", "", "the new state")
	fs.StringVar(&reason, "reason", "", "why: needed to withdraw, or to go on before every joint audit is in")
	addThemesFlag(fs, &themesDir)
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := inspectionArg(fs, "inspection status")
	if err != nil {
		return err
	}
	if !jtai.Status(to).Valid() {
		return usagef("inspection status: give the new state with --to, one of: %s", statusNames())
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := db.FindInspectionByID(ctx, id)
	if err != nil {
		return err
	}
	mv, err := inspectionTheme(themesDir, in).Move(in, jtai.Status(to), reason)
	if err != nil {
		return err
	}
	t, err := db.TransitionInspection(ctx, id, mv, m.consoleActor())
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(t)
	}
	fmt.Fprintf(m.Stdout, "Inspection %d is now %s (was %s).\n", id, strings.ToLower(t.To.Label()), strings.ToLower(t.From.Label()))
	return nil
}

func statusNames() string {
	names := make([]string, len(jtai.Statuses))
	for i, s := range jtai.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
