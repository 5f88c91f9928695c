package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"log/slog"

	"jtai"
	"jtai/store"
)

func (m *Main) retention(ctx context.Context, args []string) error {
	return m.sub(ctx, "retention", args, map[string]func(context.Context, []string) error{
		"run": m.retentionRun,
	})
}

// retainMonths is how long personal data is kept after an inspection ends:
// --retain-months, else $JTAI_RETAIN_MONTHS, else the default.
func (m *Main) retainMonths(flag int) (int, error) {
	if flag > 0 {
		return flag, nil
	}
	if v := m.Getenv("JTAI_RETAIN_MONTHS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, usagef("JTAI_RETAIN_MONTHS %q: give a number of months, like 6", v)
		}
		return n, nil
	}
	return store.DefaultRetentionMonths, nil
}

func (m *Main) retentionRun(ctx context.Context, args []string) error {
	fs := m.flags("retention run", fmt.Sprintf("Erases the personal data of inspections closed or withdrawn more than --retain-months ago (their\n"+
		"data keys destroyed, their documents deleted; the inspection, its counts and the access log stay),\n"+
		"and tells the lead inspectors and administrators %d working days before. jtai serve runs this daily.", store.RetentionWarningDays))
	var f backupFlags
	m.addBackupFlags(fs, &f)
	dry := fs.Bool("dry-run", false, "list what is due; change nothing")
	months := fs.Int("retain-months", 0, fmt.Sprintf("months to keep personal data after an inspection ends (default $JTAI_RETAIN_MONTHS or %d)", store.DefaultRetentionMonths))
	if err := parse(fs, args); err != nil {
		return err
	}
	n, err := m.retainMonths(*months)
	if err != nil {
		return err
	}
	db, err := m.openWithDocuments(ctx, &f.dbFlags, &f.partnershipFlags)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.RunRetention(ctx, n, *dry, m.consoleActor())
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(rep)
	}
	verb, warn := "Erased", "Warned"
	if *dry {
		verb, warn = "Due for erasure now (dry run, nothing changed)", "Due for a warning now (dry run)"
	}
	for _, d := range rep.Erased {
		fmt.Fprintf(m.Stdout, "%s: inspection %d (%s), %s on %s; %d documents.\n", verb, d.InspectionID, d.Area, d.Status, d.EndedAt.Format("2 January 2006"), d.Documents)
	}
	for _, d := range rep.Warned {
		fmt.Fprintf(m.Stdout, "%s: inspection %d (%s), to be erased on %s.\n", warn, d.InspectionID, d.Area, d.EraseOn.Long())
	}
	for _, d := range rep.Later {
		fmt.Fprintf(m.Stdout, "Later: inspection %d (%s), to be erased on %s (warning on %s).\n", d.InspectionID, d.Area, d.EraseOn.Long(), d.WarnOn.Long())
	}
	if len(rep.Erased)+len(rep.Warned)+len(rep.Later) == 0 {
		fmt.Fprintln(m.Stdout, "No closed or withdrawn inspection holds personal data.")
	}
	return nil
}

// retainDaily runs retention once a day on one server of many: each hour
// it tries to take the day's lease, which lasts 23 hours, and whichever
// server takes it runs.
func (m *Main) retainDaily(ctx context.Context, db *store.DB, months int, logger *slog.Logger) {
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%d", host, os.Getpid(), time.Now().UnixNano())
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		now := m.Clock.Now()
		if ok, err := db.TakeLease(ctx, "retention", holder, now, now.Add(23*time.Hour)); err != nil && ctx.Err() == nil {
			logger.Error("retention lease", "err", err)
		} else if ok {
			if rep, err := db.RunRetention(ctx, months, false, &jtai.AccessEntry{Actor: "jtai:retention"}); err != nil && ctx.Err() == nil {
				logger.Error("retention", "err", err)
			} else if err == nil && len(rep.Erased)+len(rep.Warned) > 0 {
				logger.Info("retention", "erased", len(rep.Erased), "warned", len(rep.Warned))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
