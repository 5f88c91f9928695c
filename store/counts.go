package store

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// Counts are running totals of what a DB has done since it was opened,
// for metrics. Each process counts its own work.
type Counts struct {
	AccessLogEntries int64 // access log entries committed
	ImportsAccepted  int64 // list imports that landed
	ImportsRejected  int64 // list imports refused for problems in their files
	MessagesSent     int64 // outbox messages recorded as sent
	MessagesFailed   int64 // failed attempts to send an outbox message
	CacheHits        int64 // reads answered from the read cache (cache.go)
	CacheMisses      int64 // reads within a request the cache could not answer
}

type counts struct {
	accessLogEntries, importsAccepted, importsRejected, messagesSent, messagesFailed atomic.Int64
}

// Counts returns the totals so far.
func (db *DB) Counts() Counts {
	return Counts{
		AccessLogEntries: db.counts.accessLogEntries.Load(),
		ImportsAccepted:  db.counts.importsAccepted.Load(),
		ImportsRejected:  db.counts.importsRejected.Load(),
		MessagesSent:     db.counts.messagesSent.Load(),
		MessagesFailed:   db.counts.messagesFailed.Load(),
		CacheHits:        db.cache.hits.Load(),
		CacheMisses:      db.cache.misses.Load(),
	}
}

// PoolStats are the statistics of the database connection pools, by name:
// on SQLite "read" and "write" (one connection), on PostgreSQL "shared".
func (db *DB) PoolStats() map[string]sql.DBStats {
	if db.r == db.w {
		return map[string]sql.DBStats{"shared": db.r.Stats()}
	}
	return map[string]sql.DBStats{"read": db.r.Stats(), "write": db.w.Stats()}
}

// commit commits tx and counts the access log entries it wrote.
// Unless tx leaves the generation be, it moves it on first, and the
// request of ctx goes on at the new generation, to read its own writes.
func (db *DB) commit(ctx context.Context, tx *Tx) error {
	var gen int64
	if !tx.same {
		var err error
		if gen, err = db.bumpGeneration(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return db.translate(err)
	}
	if !tx.same {
		requestFrom(ctx).see(gen)
	}
	db.counts.accessLogEntries.Add(int64(tx.logged))
	return nil
}
