package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"jtai"
	"jtai/auth"
	"jtai/store"
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
	fs := m.flags("user add", "Adds an account and prints its password (or reads one from standard input).\nThe first administrator is made here.")
	var f dbFlags
	var email, name, role, inspectorate, area, agency string
	var pwStdin bool
	fs.StringVar(&email, "email", "", "the person's email address")
	fs.StringVar(&name, "name", "", "the person's full name")
	fs.StringVar(&role, "role", "", "administrator, lead-inspector, inspector, partnership-coordinator or agency-auditor")
	fs.StringVar(&inspectorate, "inspectorate", "", "inspectors: ofsted, cqc, hmicfrs or hmip")
	fs.StringVar(&area, "area", "", "partnership users: the area's LA code")
	fs.StringVar(&agency, "agency", "", "agency auditors: the agency's name within the area")
	fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input instead of making one")
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("user add takes flags only, like --email someone@example.org")
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
	password := auth.NewPassword()
	if pwStdin {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
		if err != nil && password == "" {
			return usagef("--password-stdin: no password on standard input")
		}
		if len(password) < auth.MinPasswordLength {
			return jtai.Invalid(jtai.FieldError{Field: "password_stdin", Message: fmt.Sprintf("The password must be at least %d characters", auth.MinPasswordLength)})
		}
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		return err
	}
	if err := db.CreateUser(ctx, u, m.consoleActor()); err != nil {
		return err
	}
	if f.json {
		out := map[string]any{"user": u}
		if !pwStdin {
			out["password"] = password
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "Added %s, %s.\n", u.Email, u.Role.Label())
	if !pwStdin {
		fmt.Fprintf(m.Stdout, "Password: %s\nGive it to them in person or by phone. It is not shown again.\n", password)
	}
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
