package store

import (
	"context"
	"database/sql"
)

// RawExec runs a statement around jtai's own rules, for tests and for
// operators' repairs. It is not for application code.
func (db *DB) RawExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, query, args...)
}

// RawQuery runs a query around jtai's own rules, for tests. It is not for
// application code.
func (db *DB) RawQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, query, args...)
}
