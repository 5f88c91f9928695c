package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"jtai"
	"jtai/authz"
	"jtai/guard"
	"jtai/screen"
	"jtai/store"
	"jtai/theme"
)

// screened is an inspection with its theme, children and their screening.
type screened struct {
	db         *store.DB
	inspection *jtai.Inspection
	theme      *theme.Theme
	children   []*jtai.Child
	screening  *screen.Screening
}

// openScreening opens the database, reads every child of the inspection
// (logging the read) and screens them.
func (m *Main) openScreening(ctx context.Context, name, arg string, f *dbFlags, themesDir string) (*screened, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return nil, usagef("%s: %q is not an inspection id", name, arg)
	}
	reg, err := themes(themesDir)
	if err != nil {
		return nil, err
	}
	db, err := m.open(ctx, f, true)
	if err != nil {
		return nil, err
	}
	s := &screened{db: db}
	if s.inspection, err = db.FindInspectionByID(ctx, id); err != nil {
		db.Close()
		return nil, err
	}
	if s.theme, err = reg.Get(s.inspection.ThemeID); err != nil {
		db.Close()
		return nil, err
	}
	action := authz.ScreenChildren
	if name == "sample" {
		action = authz.SelectChildren
	}
	g := guard.New(db)
	if s.children, err = g.AllChildren(ctx, m.consoleSubject(), s.inspection, action, fmt.Sprintf("children (%s)", name)); err != nil {
		db.Close()
		return nil, err
	}
	// The inspectors' decisions on children in needs review, from the kept
	// screening, count here as on the pages.
	var decisions map[int64]*screen.Decision
	kept, err := g.Screening(ctx, m.consoleSubject(), s.inspection, action, fmt.Sprintf("screening (%s)", name))
	switch {
	case err == nil:
		k, err := screen.Open(kept.Result)
		if err != nil {
			db.Close()
			return nil, err
		}
		decisions = k.Decisions
	case !jtai.IsKind(err, jtai.ENOTFOUND):
		db.Close()
		return nil, err
	}
	s.screening = screen.Decided(s.theme, s.inspection.NotifiedOn, s.children, decisions)
	return s, nil
}

func (m *Main) screen(ctx context.Context, args []string) error {
	fs := m.flags("screen INSPECTION", "Screens every child of an inspection against its theme's scope rules: in scope, out of scope\nor needs review, with the reasons. Prints the counts by reason; --list adds every child.")
	var f dbFlags
	var themesDir string
	var all bool
	fs.BoolVar(&all, "list", false, "list every child with its outcome and reasons")
	addThemesFlag(fs, &themesDir)
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("screen takes one inspection id")
	}
	s, err := m.openScreening(ctx, "screen", fs.Arg(0), &f, themesDir)
	if err != nil {
		return err
	}
	defer s.db.Close()
	type row struct {
		screen.Result
		LAChildID string `json:"la_child_id"`
	}
	rows := make([]row, len(s.children))
	for i, c := range s.children {
		rows[i] = row{s.screening.Results[i], c.LAChildID}
	}
	counts := map[screen.Outcome]int{}
	for _, o := range screen.Outcomes {
		counts[o] = s.screening.Count(o)
	}
	if f.json {
		out := map[string]any{"inspection_id": s.inspection.ID, "theme_id": s.theme.ID, "notified_on": s.inspection.NotifiedOn,
			"children": len(rows), "counts": counts, "by_reason": s.screening.ByReason()}
		if all {
			// Each child's identifier, only when asked for, as in the text.
			out["results"] = rows
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "Inspection %d: %s, theme %s, ages at %s\n%d children: %d in scope, %d need review, %d out of scope\n\n",
		s.inspection.ID, s.inspection.Area.Name, s.theme.ID, s.inspection.NotifiedOn.Long(), len(rows),
		counts[screen.InScope], counts[screen.NeedsReview], counts[screen.OutOfScope])
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTCOME\tREASON\tCHILDREN")
	for _, rc := range s.screening.ByReason() {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", rc.Outcome, rc.Reason, rc.Count)
	}
	if all {
		fmt.Fprintln(tw, "\nCHILD\tOUTCOME\tREASONS")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%v\n", r.LAChildID, r.Outcome, r.Reasons)
		}
	}
	return tw.Flush()
}
