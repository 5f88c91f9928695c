package store

import (
	"context"
	"time"

	"jtai"
)

// ClaimMessages claims up to limit unsent messages, oldest first, for
// claimant until the lease ends, and returns them with their bodies opened.
// A message is free to claim when no lease on it is running and it has been
// tried fewer than maxAttempts times. The claim is one UPDATE: on PostgreSQL
// rows another sender is claiming at that moment are skipped rather than
// waited for, and on SQLite the one writer makes it atomic; so two senders
// never hold the same message. A sender that stops before marking a message
// leaves its lease to run out, and the message is claimed again after it.
// claimant should be unique to each claim (see mail.SendPending).
func (db *DB) ClaimMessages(ctx context.Context, claimant string, lease time.Duration, limit, maxAttempts int) ([]*jtai.Message, error) {
	if claimant == "" || lease <= 0 {
		return nil, jtai.Errorf(jtai.EINVALID, "A claim needs a claimant and a lease")
	}
	now := db.clock.Now()
	until := now.Add(lease).UnixMicro()
	skipLocked := ""
	if db.dialect == postgresDialect {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (
			SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < ? AND claimed_until <= ? ORDER BY id LIMIT ?`+skipLocked+`)`,
			claimant, until, maxAttempts, now.UnixMicro(), limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.messages(ctx, `SELECT `+messageColumns+` FROM outbox WHERE claimed_by = ? AND claimed_until = ? AND sent_at IS NULL ORDER BY id`, claimant, until)
}

// MarkClaimedSent records delivery of a claimed message, drops its sealed
// body and ends the claim. It holds whoever claims the message now: if a
// lease ran out and another sender delivered it too, the first delivery's
// time stays.
func (db *DB) MarkClaimedSent(ctx context.Context, id int64, at time.Time) error {
	var changed int64
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET sent_at = ?, sealed_body = NULL, attempts = attempts + 1, last_error = '', claimed_by = '', claimed_until = 0
			WHERE id = ? AND sent_at IS NULL`, at.UnixMicro(), id)
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	if err == nil {
		// A message another sender recorded first is not counted twice.
		db.counts.messagesSent.Add(changed)
	}
	return err
}

// MarkClaimedFailed records claimant's failed attempt and why, and ends the
// claim so that the message is tried again on a later pass. When the claim
// has passed to another sender (the lease ran out), that sender's claim and
// record stand and nothing changes.
func (db *DB) MarkClaimedFailed(ctx context.Context, id int64, claimant, reason string) error {
	var changed int64
	err := db.withUncachedTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_by = '', claimed_until = 0
			WHERE id = ? AND claimed_by = ? AND sent_at IS NULL`, reason, id, claimant)
		if err != nil {
			return err
		}
		changed, err = res.RowsAffected()
		return err
	})
	if err == nil {
		// A failure of a claim that had passed to another sender changes
		// nothing and is not counted.
		db.counts.messagesFailed.Add(changed)
	}
	return err
}
