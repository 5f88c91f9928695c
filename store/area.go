package store

import (
	"context"

	"jtai"
)

var _ jtai.AreaService = (*DB)(nil)

// CreateArea stores a new area.
func (db *DB) CreateArea(ctx context.Context, a *jtai.Area) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO areas (name, la_code, ons_code) VALUES (?, ?, ?)`, a.Name, a.LACode, a.ONSCode)
		if taken(err) {
			return jtai.Errorf(jtai.ECONFLICT, "An area with LA code %s already exists", a.LACode)
		}
		a.ID = id
		return err
	})
}

const areaColumns = `id, name, la_code, ons_code`

func scanArea(s scanner) (*jtai.Area, error) {
	var a jtai.Area
	return &a, s.Scan(&a.ID, &a.Name, &a.LACode, &a.ONSCode)
}

// FindAreaByID returns one area.
func (db *DB) FindAreaByID(ctx context.Context, id int64) (*jtai.Area, error) {
	a, err := scanArea(db.queryRow(ctx, `SELECT `+areaColumns+` FROM areas WHERE id = ?`, id))
	return a, notFound(err, "Area %d not found", id)
}

// FindAreaByLACode returns the area with a DfE LA code.
func (db *DB) FindAreaByLACode(ctx context.Context, code string) (*jtai.Area, error) {
	a, err := scanArea(db.queryRow(ctx, `SELECT `+areaColumns+` FROM areas WHERE la_code = ?`, code))
	return a, notFound(err, "No area has LA code %q", code)
}

// ListAreas returns every area by name.
func (db *DB) ListAreas(ctx context.Context) ([]*jtai.Area, error) {
	rows, err := db.query(ctx, `SELECT `+areaColumns+` FROM areas ORDER BY name`)
	return collect(rows, err, scanArea)
}

// CreateAgency stores a partner agency of an area.
func (db *DB) CreateAgency(ctx context.Context, a *jtai.Agency) error {
	if !a.Kind.Valid() || a.Name == "" {
		return jtai.Invalid(jtai.FieldError{Field: "kind", Message: "Select the kind of agency and enter its name"})
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO agencies (area_id, kind, name) VALUES (?, ?, ?)`, a.AreaID, a.Kind, a.Name)
		a.ID = id
		return err
	})
}

// ListAgencies returns an area's agencies.
func (db *DB) ListAgencies(ctx context.Context, areaID int64) ([]*jtai.Agency, error) {
	return cached(ctx, db, cacheKey{kind: "agencies", a: areaID}, func() ([]*jtai.Agency, error) {
		rows, err := db.query(ctx, `SELECT id, area_id, kind, name FROM agencies WHERE area_id = ? ORDER BY id`, areaID)
		return collect(rows, err, func(s scanner) (*jtai.Agency, error) {
			var a jtai.Agency
			return &a, s.Scan(&a.ID, &a.AreaID, &a.Kind, &a.Name)
		})
	}, clonePointers[jtai.Agency])
}
