package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"jtai"
	"jtai/ingest"
)

// ListImports returns the lists imported into an inspection, as they stand:
// one entry per list, in the order they were imported. It opens no
// personal data.
func (db *DB) ListImports(ctx context.Context, inspectionID int64) ([]ingest.Landed, error) {
	return cached(ctx, db, cacheKey{kind: "imports", a: inspectionID}, func() ([]ingest.Landed, error) {
		return db.listImports(ctx, inspectionID)
	}, func(ls []ingest.Landed) []ingest.Landed {
		out := slices.Clone(ls)
		for i := range out {
			out[i].Files = slices.Clone(out[i].Files)
		}
		return out
	})
}

func (db *DB) listImports(ctx context.Context, inspectionID int64) ([]ingest.Landed, error) {
	rows, err := db.query(ctx, `SELECT list, files, row_count, imported_at, imported_by, reference_date FROM imports WHERE inspection_id = ? ORDER BY id`, inspectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ingest.Landed
	for rows.Next() {
		var l ingest.Landed
		var files string
		var at int64
		var ref sql.NullString
		if err := rows.Scan(&l.List, &files, &l.Rows, &at, &l.By, &ref); err != nil {
			return nil, err
		}
		if ref.Valid {
			if l.ReferenceDate, err = jtai.ParseDate(ref.String); err != nil {
				return nil, err
			}
		}
		l.Files = strings.Split(files, "\n")
		l.At = time.UnixMicro(at).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}
