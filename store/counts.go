package store

import "sync/atomic"

// Counts are running totals of what a DB has done since it was opened,
// for metrics. Each process counts its own work.
type Counts struct {
	AccessLogEntries int64 // access log entries committed
	ImportsAccepted  int64 // list imports that landed
	ImportsRejected  int64 // list imports refused for problems in their files
	MessagesSent     int64 // outbox messages recorded as sent
	MessagesFailed   int64 // failed attempts to send an outbox message
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
	}
}

// commit commits tx and counts the access log entries it wrote.
func (db *DB) commit(tx *Tx) error {
	if err := tx.Commit(); err != nil {
		return db.translate(err)
	}
	db.counts.accessLogEntries.Add(int64(tx.logged))
	return nil
}
