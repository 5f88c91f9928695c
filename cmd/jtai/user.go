package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jtai"
	"jtai/store"
	"jtai/web"
)

func (m *Main) user(ctx context.Context, args []string) error {
	return m.sub(ctx, "user", args, map[string]func(context.Context, []string) error{
		"add":     m.userAdd,
		"list":    m.userList,
		"disable": func(ctx context.Context, args []string) error { return m.userSetDisabled(ctx, args, true) },
		"enable":  func(ctx context.Context, args []string) error { return m.userSetDisabled(ctx, args, false) },
	})
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	fs := m.flags("user add", "Adds an account and prints its single-use set-up link, by which its holder chooses\nthe password and sets up the security codes; no one else ever knows the password.\nThe first administrator is made here.")
	var f dbFlags
	var email, name, role, inspectorate, area, agency string
	var public string
	fs.StringVar(&email, "email", "", "the person's email address")
	fs.StringVar(&name, "name", "", "the person's full name")
	fs.StringVar(&role, "role", "", "administrator, lead-inspector, inspector, partnership-coordinator or agency-auditor")
	fs.StringVar(&inspectorate, "inspectorate", "", "inspectors: ofsted, cqc, hmicfrs or hmip")
	fs.StringVar(&area, "area", "", "partnership users: the area's LA code")
	fs.StringVar(&agency, "agency", "", "agency auditors: the agency's name within the area")
	fs.StringVar(&public, "public-url", "", "the address people reach jtai at, for the link (default $JTAI_PUBLIC_URL, or http://127.0.0.1:8080)")
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("user add takes flags only, like --email someone@example.org")
	}
	if public == "" {
		public = m.Getenv("JTAI_PUBLIC_URL")
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &jtai.User{Email: email, Name: name, Role: jtai.Role(role), Inspectorate: jtai.Inspectorate(inspectorate)}
	if area != "" {
		a, err := db.FindAreaByLACode(ctx, area)
		if err != nil {
			return jtai.Invalid(jtai.FieldError{Field: "area", Message: fmt.Sprintf("No area has LA code %q: add it first with 'jtai area add'", area)})
		}
		u.AreaID = a.ID
		if agency != "" {
			ags, err := db.ListAgencies(ctx, a.ID)
			if err != nil {
				return err
			}
			for _, ag := range ags {
				if strings.EqualFold(ag.Name, agency) {
					u.AgencyID = ag.ID
				}
			}
			if u.AgencyID == 0 {
				return jtai.Invalid(jtai.FieldError{Field: "agency", Message: fmt.Sprintf("%s has no agency called %q", a.Name, agency)})
			}
		}
	}
	// No one but the account's holder knows its password: they choose it,
	// and set up their second factor, through a single-use link. It goes
	// in the outbox (sent when serve has SMTP) and is printed here, for the
	// first administrator, whom no one can send it to yet.
	base := strings.TrimSuffix(public, "/")
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	var link string
	makeLink := web.SetupLink(base)
	setup, err := db.CreateUserWithSetup(ctx, u, func(u *jtai.User, expires time.Time) (string, *jtai.Message) {
		hash, msg := makeLink(u, expires)
		for _, line := range strings.Split(msg.Body, "\n") {
			if strings.HasPrefix(line, base+"/") {
				link = line
			}
		}
		return hash, msg
	}, m.consoleActor())
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"user": u, "setup_link": link, "setup_expires_at": setup.ExpiresAt})
	}
	fmt.Fprintf(m.Stdout, "Added %s, %s.\n", u.Email, u.Role.Label())
	fmt.Fprintf(m.Stdout, "Set-up link: %s\nIt works once, until %s (UTC): whoever opens it chooses the account's password and sets up its security codes.\nGive it only to %s. It is also in the outbox, sent by email when jtai serve has an SMTP server.\n",
		link, setup.ExpiresAt.Format("15:04 on 2 January 2006"), u.Name)
	return nil
}

func (m *Main) userList(ctx context.Context, args []string) error {
	return list(m, ctx, args, "user list", "Lists accounts.",
		func(ctx context.Context, db *store.DB) ([]*jtai.User, error) {
			return db.ListUsers(ctx, jtai.UserFilter{})
		},
		"ID\tEMAIL\tNAME\tROLE\tSTATUS",
		func(u *jtai.User) string {
			st := "active"
			if u.Disabled {
				st = "disabled"
			}
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s", u.ID, u.Email, u.Name, u.Role, st)
		})
}

func (m *Main) userSetDisabled(ctx context.Context, args []string, disabled bool) error {
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	fs := m.flags("user "+verb+" EMAIL", "Disables an account, ending its sessions, or enables it again.")
	var f dbFlags
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("user %s takes one email address", verb)
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := db.SetUserDisabled(ctx, u.ID, disabled, m.consoleActor()); err != nil {
		return err
	}
	u.Disabled = disabled
	if f.json {
		return m.printJSON(u)
	}
	fmt.Fprintf(m.Stdout, "%s is now %sd.\n", u.Email, verb)
	return nil
}
