package main

import (
	"context"
	"errors"
	"fmt"

	"jtai/auditlog"
)

func (m *Main) audit(ctx context.Context, args []string) error {
	return m.sub(ctx, "audit", args, map[string]func(context.Context, []string) error{
		"verify": m.auditVerify,
	})
}

func (m *Main) auditVerify(ctx context.Context, args []string) error {
	fs := m.flags("audit verify", "Verifies the access log's hash chain. Exits 1 and names the first bad entry if any\nentry was edited, deleted, inserted or reordered outside jtai.")
	var f dbFlags
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	// Verifying never writes: no migrations, and a missing key is an
	// error, never made anew.
	db, err := m.connect(&f, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, verr := db.Verify(ctx)
	var broken *auditlog.BrokenError
	if verr != nil && !errors.As(verr, &broken) {
		return verr
	}
	if f.json {
		out := map[string]any{"ok": verr == nil, "checked": n}
		if broken != nil {
			out["first_bad_entry"] = broken.Seq
			out["reason"] = broken.Reason
		}
		if err := m.printJSON(out); err != nil {
			return err
		}
	} else if verr == nil {
		fmt.Fprintf(m.Stdout, "The access log is intact: %d entries verified.\n", n)
	}
	return verr
}
