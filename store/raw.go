package store

import (
	"context"
	"database/sql"
)

// RawExec runs a statement around jtai's own rules, for tests and for
// operators' repairs. It is not for application code.
// It moves the generation on after the statement, where the schema has
// one yet, so that no process answers from what it had cached before.
func (db *DB) RawExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.w.ExecContext(ctx, query, args...)
	if err != nil {
		return res, err
	}
	var n int
	if err := db.w.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), generationMigration).Scan(&n); err != nil || n == 0 {
		return res, err
	}
	return res, db.WithTx(ctx, func(*Tx) error { return nil })
}

// RawQuery runs a query around jtai's own rules, for tests. It is not for
// application code.
func (db *DB) RawQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, query, args...)
}
