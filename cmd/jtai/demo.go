package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"jtai"
	"jtai/auth"
	"jtai/calendar"
	"jtai/synth"
	"jtai/web"
)

// demoChildren is how many synthetic children the demo inspection lists.
const demoChildren = 2000

func (m *Main) demo(ctx context.Context, args []string) error {
	f, reg, db, err := m.prepareServe(ctx, "demo", "Creates (or refreshes) a synthetic area, its partnership, one account per role and an inspection\nunder the domestic-abuse theme, its lists imported and some of its strategic documents sent,\nprints the logins, then serves the application.\nEvery person and place in it is invented. Running it again is safe: it sets new passwords.", args)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := synth.OnlyDemo(ctx, db); err != nil {
		return err
	}
	if err := m.openDocuments(ctx, db, &f.partnershipFlags); err != nil {
		return err
	}
	th, err := reg.Get(synth.DemoTheme)
	if err != nil {
		return err
	}
	now := m.Clock.Now()
	notified, err := calendar.PreparingOn(jtai.NewDate(now.Year(), now.Month(), now.Day()), th.Steps())
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	d, err := synth.SeedDemo(ctx, db, synth.DemoOptions{
		Children:   demoChildren,
		NotifiedOn: notified,
		Hash:       auth.HashPassword,
		Password:   auth.NewPassword,
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if d.Inspection.ThemeID != th.ID {
		if th, err = reg.Get(d.Inspection.ThemeID); err != nil {
			return err
		}
	}
	deadlines, err := th.Deadlines(d.Inspection.NotifiedOn)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	onsite := onsiteWeek(deadlines)
	if _, err := synth.SeedDemoDocuments(ctx, db, d, th.Documents, m.consoleActor()); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return m.listenAndServe(ctx, db, reg, f, true, func(url, metricsURL string) error {
		// The demo's contacts' invitations wait in the outbox, with links
		// to this server, for the outbox page to show.
		base := f.publicURL(m)
		if base == "" {
			base = url
		}
		if err := synth.NotifyDemo(ctx, db, d, web.InvitationLink(base)); err != nil {
			return fmt.Errorf("demo notification: %w", err)
		}
		type login struct {
			Email    string `json:"email"`
			Password string `json:"password"`
			Role     string `json:"role"`
			Agency   string `json:"agency,omitempty"` // an agency auditor's
		}
		agencies := map[int64]string{}
		for _, ag := range d.Agencies {
			agencies[ag.ID] = ag.Name
		}
		var logins []login
		for _, u := range d.Users {
			logins = append(logins, login{u.Email, d.Passwords[u.Email], string(u.Role), agencies[u.AgencyID]})
		}
		if f.json {
			out := map[string]any{"url": url, "database": db.Dialect(), "inspection_id": d.Inspection.ID, "notified_on": d.Inspection.NotifiedOn,
				"onsite": onsite, "logins": logins}
			if metricsURL != "" {
				out["metrics_url"] = metricsURL
			}
			return m.printJSON(out)
		}
		fmt.Fprintf(m.Stdout, "jtai demo: %s, %d synthetic children, inspection notified %s, onsite %s to %s\n", d.Area.Name, demoChildren,
			d.Inspection.NotifiedOn.Long(), onsite.Start.Long(), onsite.End.Long())
		if onsite.Shortened != "" {
			fmt.Fprintf(m.Stdout, "Onsite week: %s.\n", onsite.Shortened)
		}
		fmt.Fprintln(m.Stdout)
		fmt.Fprintf(m.Stdout, "Open %s and sign in as:\n\n", url)
		tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  ROLE\tEMAIL\tPASSWORD")
		for _, l := range logins {
			role := jtai.Role(l.Role).Label()
			if jtai.Role(l.Role) == jtai.RoleAgencyAuditor && l.Agency != "" {
				role += " (" + l.Agency + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", role, l.Email, l.Password)
		}
		tw.Flush()
		fmt.Fprintln(m.Stdout, "\nEvery account sets up a second factor at its first sign-in in the demo, and the page shows the current code. Outside the demo a second factor is set up only through the account's single-use link.")
		fmt.Fprintf(m.Stdout, "None of these logins can see %s's inspection.\n", d.OtherArea.Name)
		if metricsURL != "" {
			fmt.Fprintf(m.Stdout, "\nMetrics are served at %s.\n", metricsURL)
		}
		fmt.Fprintln(m.Stdout, "Passwords change each time the demo starts. Press Ctrl+C to stop.")
		return nil
	})
}

// demoOnsite is the demo inspection's onsite week, as the demo prints it.
type demoOnsite struct {
	Start     jtai.Date `json:"start"`
	End       jtai.Date `json:"end"`
	Shortened string    `json:"shortened,omitempty"`
}

func onsiteWeek(deadlines []calendar.Deadline) demoOnsite {
	var o demoOnsite
	o.Start, o.End = calendar.OnsiteWeek(deadlines)
	for _, d := range deadlines {
		if d.ID == calendar.StepOnsiteStart {
			o.Shortened = d.Shortened()
		}
	}
	return o
}
