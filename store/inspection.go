package store

import (
	"context"
	"slices"
	"time"

	"jtai"
)

var _ jtai.InspectionService = (*DB)(nil)

// CreateInspection stores a new inspection and makes its data key.
func (db *DB) CreateInspection(ctx context.Context, in *jtai.Inspection) error {
	if in.Status == "" {
		in.Status = jtai.StatusNotified
	}
	in.CreatedAt = db.clock.Now().Truncate(time.Microsecond)
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO inspections (area_id, theme_id, notified_on, status, created_at) VALUES (?, ?, ?, ?, ?)`,
			in.AreaID, in.ThemeID, in.NotifiedOn.String(), in.Status, in.CreatedAt.UnixMicro())
		if err != nil {
			return err
		}
		in.ID = id
		return db.createDataKey(ctx, tx, InspectionScope(id))
	})
}

const inspectionColumns = `i.id, i.area_id, i.theme_id, i.notified_on, i.status, i.created_at, a.name, a.la_code, a.ons_code`

func scanInspection(s scanner) (*jtai.Inspection, error) {
	var in jtai.Inspection
	var a jtai.Area
	var notified string
	var created int64
	if err := s.Scan(&in.ID, &in.AreaID, &in.ThemeID, &notified, &in.Status, &created, &a.Name, &a.LACode, &a.ONSCode); err != nil {
		return nil, err
	}
	d, err := jtai.ParseDate(notified)
	if err != nil {
		return nil, err
	}
	in.NotifiedOn, in.CreatedAt = d, time.UnixMicro(created).UTC()
	a.ID = in.AreaID
	in.Area = &a
	return &in, nil
}

// FindInspectionByID returns one inspection with its area.
func (db *DB) FindInspectionByID(ctx context.Context, id int64) (*jtai.Inspection, error) {
	return cached(ctx, db, cacheKey{kind: "inspection", a: id}, func() (*jtai.Inspection, error) {
		in, err := scanInspection(db.queryRow(ctx, `SELECT `+inspectionColumns+` FROM inspections i JOIN areas a ON a.id = i.area_id WHERE i.id = ?`, id))
		return in, notFound(err, "Inspection %d not found", id)
	}, func(in *jtai.Inspection) *jtai.Inspection {
		c := *in
		if in.Area != nil {
			a := *in.Area
			c.Area = &a
		}
		return &c
	})
}

// ListInspections returns inspections, newest notification first.
func (db *DB) ListInspections(ctx context.Context, f jtai.InspectionFilter) ([]*jtai.Inspection, error) {
	rows, err := db.query(ctx, `SELECT `+inspectionColumns+` FROM inspections i JOIN areas a ON a.id = i.area_id
		WHERE (? = 0 OR i.area_id = ?)
		  AND (? = 0 OR i.id IN (SELECT inspection_id FROM inspection_team WHERE user_id = ?))
		ORDER BY i.notified_on DESC, i.id DESC`, f.AreaID, f.AreaID, f.MemberID, f.MemberID)
	return collect(rows, err, scanInspection)
}

// AddTeamMember puts an inspector on an inspection's team.
func (db *DB) AddTeamMember(ctx context.Context, inspectionID, userID int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO inspection_team (inspection_id, user_id) VALUES (?, ?)`, inspectionID, userID)
		return db.translate(err)
	})
}

// ListTeam returns the inspectors on an inspection.
func (db *DB) ListTeam(ctx context.Context, inspectionID int64) ([]*jtai.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users WHERE id IN (SELECT user_id FROM inspection_team WHERE inspection_id = ?) ORDER BY role, name`, inspectionID)
	return collect(rows, err, func(s scanner) (*jtai.User, error) { return db.scanUser(ctx, s) })
}

// TeamInspectionIDs lists the inspections a user is on.
func (db *DB) TeamInspectionIDs(ctx context.Context, userID int64) ([]int64, error) {
	return cached(ctx, db, cacheKey{kind: "team", a: userID}, func() ([]int64, error) {
		rows, err := db.query(ctx, `SELECT inspection_id FROM inspection_team WHERE user_id = ? ORDER BY inspection_id`, userID)
		return collect(rows, err, func(s scanner) (int64, error) {
			var id int64
			return id, s.Scan(&id)
		})
	}, slices.Clone)
}
