package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jtai"
	"jtai/calendar"
)

// Retention: an inspection's personal data is erased a set time after it
// closes (or is withdrawn): its data key destroyed, so every sealed field
// under it is unreadable for good, and its documents' bytes deleted. What
// holds no personal data stays: the inspection, its counts, its
// timetable, the access log. The lead inspectors of the team and the
// administrators are told RetentionWarningDays working days before.

// RetentionWarningDays is how many working days before an erasure the
// people responsible are told.
const RetentionWarningDays = 20

// DefaultRetentionMonths is how long an inspection's personal data is kept
// after it closes, unless the operator sets otherwise. [Assumption: six
// months; the inspectorates' own retention schedules decide in practice.]
const DefaultRetentionMonths = 6

// RetentionDue is one inspection's place in the schedule.
type RetentionDue struct {
	InspectionID int64     `json:"inspection_id"`
	Area         string    `json:"area"`
	Status       string    `json:"status"`
	EndedAt      time.Time `json:"ended_at"` // when it was closed or withdrawn
	EraseOn      jtai.Date `json:"erase_on"`
	WarnOn       jtai.Date `json:"warn_on"`
	WarnedAt     time.Time `json:"warned_at,omitzero"`
	ErasedAt     time.Time `json:"erased_at,omitzero"`
	Documents    int       `json:"documents"`
}

// RetentionReport is what a retention run did, or would do.
type RetentionReport struct {
	Warned []RetentionDue `json:"warned"`
	Erased []RetentionDue `json:"erased"`
	Later  []RetentionDue `json:"later"` // ended, not yet due
}

// RetentionSchedule lists every ended inspection whose personal data is
// not yet erased, and those erased, with when each is or was due.
func (db *DB) RetentionSchedule(ctx context.Context, months int) ([]RetentionDue, error) {
	if months <= 0 {
		months = DefaultRetentionMonths
	}
	rows, err := db.query(ctx, `SELECT i.id, a.name, i.status,
			(SELECT MAX(t.at) FROM inspection_transitions t WHERE t.inspection_id = i.id AND t.to_status = i.status),
			COALESCE(r.warned_at, 0), COALESCE(r.erased_at, 0),
			(SELECT COUNT(*) FROM document_versions d WHERE d.inspection_id = i.id)
		FROM inspections i JOIN areas a ON a.id = i.area_id
		LEFT JOIN retention r ON r.inspection_id = i.id
		WHERE i.status IN (?, ?) ORDER BY i.id`, string(jtai.StatusClosed), string(jtai.StatusWithdrawn))
	return collect(rows, err, func(s scanner) (RetentionDue, error) {
		var d RetentionDue
		var ended *int64
		var warned, erased int64
		if err := s.Scan(&d.InspectionID, &d.Area, &d.Status, &ended, &warned, &erased, &d.Documents); err != nil {
			return d, err
		}
		if ended != nil {
			d.EndedAt = time.UnixMicro(*ended).UTC()
		}
		d.EraseOn = dateOf(d.EndedAt.AddDate(0, months, 0))
		d.WarnOn = calendar.AddWorkingDays(d.EraseOn, -RetentionWarningDays)
		if warned > 0 {
			d.WarnedAt = time.UnixMicro(warned).UTC()
		}
		if erased > 0 {
			d.ErasedAt = time.UnixMicro(erased).UTC()
		}
		return d, nil
	})
}

// RunRetention warns of erasures due within RetentionWarningDays working
// days and erases what is due, as of now; with dryRun it only reports. An
// inspection is erased only after its warning has had its full notice: one
// found due but never warned is warned now and erased 20 working days on. Each
// erasure is its own step: one that fails leaves the others done, and the
// next run tries it again.
func (db *DB) RunRetention(ctx context.Context, months int, dryRun bool, by *jtai.AccessEntry) (*RetentionReport, error) {
	due, err := db.RetentionSchedule(ctx, months)
	if err != nil {
		return nil, err
	}
	today := dateOf(db.clock.Now())
	rep := &RetentionReport{Warned: []RetentionDue{}, Erased: []RetentionDue{}, Later: []RetentionDue{}}
	for _, d := range due {
		if !d.WarnedAt.IsZero() {
			// Never sooner than the warning's notice: a run that was
			// missed, or a setting shortened, does not cut it short.
			if notice := calendar.AddWorkingDays(dateOf(d.WarnedAt), RetentionWarningDays); notice.After(d.EraseOn.Time) {
				d.EraseOn = notice
			}
		}
		switch {
		case !d.ErasedAt.IsZero():
			continue
		case !today.Before(d.EraseOn.Time) && !d.WarnedAt.IsZero():
			if !dryRun {
				if err := db.eraseInspection(ctx, d, by); err != nil {
					return rep, fmt.Errorf("erase inspection %d: %w", d.InspectionID, err)
				}
			}
			rep.Erased = append(rep.Erased, d)
		case !today.Before(d.WarnOn.Time) && d.WarnedAt.IsZero():
			// Due, or nearly: warned now, erased once the notice has run
			// (from the day planned, or 20 working days from now if later).
			if notice := calendar.AddWorkingDays(today, RetentionWarningDays); notice.After(d.EraseOn.Time) {
				d.EraseOn = notice
			}
			if !dryRun {
				if err := db.warnRetention(ctx, d, by); err != nil {
					return rep, fmt.Errorf("warn of inspection %d's erasure: %w", d.InspectionID, err)
				}
			}
			rep.Warned = append(rep.Warned, d)
		default:
			rep.Later = append(rep.Later, d)
		}
	}
	return rep, nil
}

// warnRetention tells the team's lead inspectors and the administrators,
// once, when the inspection's personal data will be erased.
func (db *DB) warnRetention(ctx context.Context, d RetentionDue, by *jtai.AccessEntry) error {
	k, err := db.dataKey(ctx, SystemScope)
	if err != nil {
		return err
	}
	team, err := db.ListTeam(ctx, d.InspectionID)
	if err != nil {
		return err
	}
	admins, err := db.ListUsers(ctx, jtai.UserFilter{Role: jtai.RoleAdministrator})
	if err != nil {
		return err
	}
	var to []string
	for _, u := range append(team, admins...) {
		if !u.Disabled && (u.Role == jtai.RoleLeadInspector || u.Role == jtai.RoleAdministrator) {
			to = append(to, u.Email)
		}
	}
	now := db.clock.Now().Truncate(time.Microsecond)
	return db.WithTx(ctx, func(tx *Tx) error {
		n, err := tx.exec(ctx, `INSERT INTO retention (inspection_id, warned_at) VALUES (?, ?) ON CONFLICT (inspection_id) DO NOTHING`, d.InspectionID, now.UnixMicro())
		if err != nil {
			return err
		}
		if c, _ := n.RowsAffected(); c == 0 {
			return nil // another server warned first
		}
		for _, addr := range to {
			m := &jtai.Message{InspectionID: d.InspectionID, To: addr, CreatedAt: now,
				Subject: "Personal data of an inspection will be erased",
				Body: fmt.Sprintf("Hello,\n\nThe personal data of the %s inspection (jtai inspection %d), %s on %s, will be erased on %s: "+
					"the children's records, the joint audits' answers and the documents. The inspection itself, its counts and the access log stay.\n\n"+
					"If it must be kept longer, ask your administrator before then.\n",
					d.Area, d.InspectionID, d.Status, d.EndedAt.Format("2 January 2006"), d.EraseOn.Long())}
			if err := queueMessageTx(ctx, tx, k, m, now); err != nil {
				return err
			}
		}
		e := *by
		e.Action, e.Resource = jtai.ActRetentionWarn, fmt.Sprintf("inspection/%d", d.InspectionID)
		return db.appendTx(ctx, tx, &e)
	})
}

// eraseInspection destroys the inspection's data key, deletes its
// documents' bytes and records the erasure. The key goes first: once it
// is gone nothing sealed under it can be read, even if deleting a document
// then fails (the next run deletes what is left).
func (db *DB) eraseInspection(ctx context.Context, d RetentionDue, by *jtai.AccessEntry) error {
	err := db.DestroyDataKey(ctx, InspectionScope(d.InspectionID), by)
	if err != nil && !jtai.IsKind(err, jtai.ENOTFOUND) {
		return err
	}
	rows, err := db.query(ctx, `SELECT blob_key FROM document_versions WHERE inspection_id = ?`, d.InspectionID)
	keys, err := collect(rows, err, func(s scanner) (string, error) {
		var k string
		return k, s.Scan(&k)
	})
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		docs, err := db.documentStore()
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := docs.Delete(ctx, k); err != nil {
				return fmt.Errorf("delete document %s: %w", k, err)
			}
		}
	}
	now := db.clock.Now().UnixMicro()
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO retention (inspection_id, erased_at) VALUES (?, ?) ON CONFLICT (inspection_id) DO UPDATE SET erased_at = excluded.erased_at`, d.InspectionID, now); err != nil {
			return err
		}
		e := *by
		e.Action, e.Resource = jtai.ActErase, fmt.Sprintf("inspection/%d", d.InspectionID)
		return db.appendTx(ctx, tx, &e)
	})
}

// ErasedAt returns when an inspection's personal data was erased under
// retention, or the zero time.
func (db *DB) ErasedAt(ctx context.Context, inspectionID int64) (time.Time, error) {
	var at int64
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(erased_at), 0) FROM retention WHERE inspection_id = ?`, inspectionID).Scan(&at)
	if err != nil || at == 0 {
		return time.Time{}, err
	}
	return time.UnixMicro(at).UTC(), nil
}

// TakeLease takes the named lease for holder until until, unless it is
// held (by anyone) and has not run out: one server at a time runs a daily
// job, once a lease. It reports whether holder took the lease.
func (db *DB) TakeLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	var got string
	err := db.WithTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
			WHERE leases.until < ?
			RETURNING holder`, name, holder, until.UnixMicro(), now.UnixMicro()).Scan(&got)
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !jtai.IsKind(err, jtai.ENOTFOUND) {
		return false, err
	}
	return got == holder, nil
}

// dateOf is the day of t, in UTC as jtai keeps its dates.
func dateOf(t time.Time) jtai.Date {
	t = t.UTC()
	return jtai.NewDate(t.Year(), t.Month(), t.Day())
}
