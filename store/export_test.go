package store

import (
	"context"
	"jtai"
	"time"
)

// MigrateUpTo applies the migrations up to version last, for a test to
// write data in an older schema.
func (db *DB) MigrateUpTo(ctx context.Context, last int) error {
	_, err := db.migrateUpTo(ctx, last)
	return err
}

// SetCacheAge sets how long the read cache answers before it starts
// again, until the returned function puts it back.
func SetCacheAge(d time.Duration) func() {
	old := maxCacheAge
	maxCacheAge = d
	return func() { maxCacheAge = old }
}

// LogBatches says how many of the appender's batches were written at the
// head it knew, and how many found the head moved. Read it only while
// nothing is appended.
func (db *DB) LogBatches() (atHead, moved int) { return db.head.atHead, db.head.moved }

// CreateAuditParts makes joint audit parts for children already selected,
// as publishing a selection does, for a test that builds an audit by steps.
func (db *DB) CreateAuditParts(ctx context.Context, inspectionID int64, keys []jtai.AuditPartKey, by *jtai.AccessEntry) (int, error) {
	n := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		n, err = db.planAudits(ctx, tx, inspectionID, keys, by)
		return err
	})
	return n, err
}

// Translate is translate, for tests that make the drivers fail.
func (db *DB) Translate(err error) error { return db.translate(err) }
