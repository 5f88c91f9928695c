package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"jtai/theme"
)

func (m *Main) theme(ctx context.Context, args []string) error {
	return m.sub(ctx, "theme", args, map[string]func(context.Context, []string) error{
		"list":     m.themeList,
		"show":     m.themeShow,
		"validate": m.themeValidate,
	})
}

func (m *Main) themeList(ctx context.Context, args []string) error {
	fs := m.flags("theme list", "Lists the themes: the built-in ones and, with --themes, a directory's.")
	var dir string
	asJSON := fs.Bool("json", false, "print one JSON document")
	addThemesFlag(fs, &dir)
	if err := parse(fs, args); err != nil {
		return err
	}
	reg, err := themes(dir)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Period   string `json:"period"`
			Criteria int    `json:"criteria"`
			Builtin  bool   `json:"builtin"`
		}
		out := []row{}
		for _, t := range reg.List() {
			out = append(out, row{t.ID, t.Title, t.Period.Label, len(t.Criteria), t.Builtin})
		}
		return m.printJSON(out)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERIOD\tCRITERIA\tTITLE")
	for _, t := range reg.List() {
		crit := fmt.Sprint(len(t.Criteria))
		if !t.CriteriaSupplied() {
			crit = "not yet supplied"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Period.Label, crit, t.Title)
	}
	return tw.Flush()
}

func (m *Main) themeShow(ctx context.Context, args []string) error {
	fs := m.flags("theme show ID", "Shows one theme: scope, focus areas, criteria, lists and timetable.")
	var dir string
	asJSON := fs.Bool("json", false, "print one JSON document")
	addThemesFlag(fs, &dir)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("theme show takes one theme id")
	}
	reg, err := themes(dir)
	if err != nil {
		return err
	}
	t, err := reg.Get(fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(t)
	}
	w := m.Stdout
	fmt.Fprintf(w, "%s: %s (%s)\n", t.ID, t.Title, t.Period.Label)
	fmt.Fprintf(w, "Inspectorates: %v\n", t.Inspectorates)
	fmt.Fprintf(w, "Ages: %d to %d at the notification date, unborn included: %v\n", t.Scope.Age.Min, t.Scope.Age.Max, t.Scope.Age.Unborn)
	fmt.Fprintln(w, "\nScope rules:")
	for _, r := range t.Scope.Rules {
		fmt.Fprintf(w, "  %-40s %-8s %s\n", r.ID, r.Effect, r.Label)
	}
	fmt.Fprintln(w, "\nFocus areas:")
	for _, f := range t.FocusAreas {
		fmt.Fprintf(w, "  %s: %s\n", f.ID, f.Title)
	}
	fmt.Fprintln(w, "\nEvaluation criteria:")
	if !t.CriteriaSupplied() {
		fmt.Fprintln(w, "  not yet supplied")
	}
	for _, c := range t.Criteria {
		fmt.Fprintf(w, "  %s: %s\n", c.ID, strings.TrimSpace(c.Summary))
	}
	fmt.Fprintln(w, "\nLists the area supplies:")
	for _, l := range t.Lists {
		fmt.Fprintf(w, "  %s: %s (%s)\n", l.ID, l.Title, l.Need)
	}
	fmt.Fprintln(w, "\nTimetable (working days):")
	for _, s := range t.Timetable {
		from := "notification"
		if s.From != "" {
			from = s.From
		}
		fmt.Fprintf(w, "  %-22s %3d after %s\n", s.ID, s.WorkingDays, from)
	}
	return nil
}

func (m *Main) themeValidate(ctx context.Context, args []string) error {
	fs := m.flags("theme validate FILE...", "Checks theme files, printing each problem as FILE:LINE: FIELD: message.")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("theme validate takes one or more theme files")
	}
	var problems []theme.Problem
	var bad error
	for _, path := range fs.Args() {
		_, err := theme.LoadFile(path)
		if ve, ok := err.(*theme.ValidationError); ok {
			problems = append(problems, ve.Problems...)
			bad = err
		} else if err != nil {
			return err
		}
	}
	if *asJSON {
		if problems == nil {
			problems = []theme.Problem{}
		}
		if err := m.printJSON(map[string]any{"valid": bad == nil, "problems": problems}); err != nil {
			return err
		}
	} else if bad == nil {
		fmt.Fprintf(m.Stdout, "%d theme file(s) valid.\n", fs.NArg())
	} else {
		for _, p := range problems {
			fmt.Fprintln(m.Stdout, p.String())
		}
	}
	if bad != nil {
		return &quietRejection{fmt.Sprintf("%d problem(s) found", len(problems))}
	}
	return nil
}

// quietRejection is input rejected whose details were already printed.
type quietRejection struct{ msg string }

func (e *quietRejection) Error() string { return e.msg }
