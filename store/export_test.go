package store

import "context"

// MigrateUpTo applies the migrations up to version last, for a test to
// write data in an older schema.
func (db *DB) MigrateUpTo(ctx context.Context, last int) error {
	_, err := db.migrateUpTo(ctx, last)
	return err
}
