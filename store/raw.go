package store

import (
	"context"
	"database/sql"
)

// RawExec runs a statement around jtai's own rules, for tests and for
// operators' repairs. It is not for application code.
// It moves the generation on in the same transaction, where the schema
// has one yet, so that no process answers from what it had cached before.
func (db *DB) RawExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ready, err := db.hasGeneration(ctx)
	if err != nil {
		return nil, err
	}
	var res sql.Result
	err = db.withTx(ctx, !ready, func(tx *Tx) error {
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// RawQuery runs a query around jtai's own rules, for tests. It is not for
// application code.
func (db *DB) RawQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, query, args...)
}
