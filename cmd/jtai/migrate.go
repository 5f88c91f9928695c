package main

import (
	"context"
	"fmt"
)

func (m *Main) migrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate", "Applies the database migrations that have not been applied yet. serve and demo also do this on start.")
	var f dbFlags
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("migrate takes no arguments")
	}
	db, err := m.connect(&f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.MigrateReport(ctx)
	if err != nil {
		return err
	}
	names := []string{}
	for _, a := range applied {
		names = append(names, a.Name)
	}
	if f.json {
		return m.printJSON(map[string]any{"database": db.Dialect(), "applied": names, "up_to_date": true})
	}
	for _, n := range names {
		fmt.Fprintf(m.Stdout, "applied %s\n", n)
	}
	fmt.Fprintf(m.Stdout, "The %s database is up to date.\n", db.Dialect())
	return nil
}
