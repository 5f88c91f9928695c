package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"jtai"
	"jtai/auditlog"
)

// The hash chain shows an entry edited, deleted, inserted or moved, but
// not the last entries deleted together with the head row rewritten to
// match, nor a whole log replaced by someone who holds the master key. A
// checkpoint closes that gap: the head (sequence, hash, time), signed with
// a key only the master key unlocks, kept outside the database (in the
// document store, and where the operator asks in a witness file or
// message). A log that no longer reaches a checkpoint's entry, or whose
// entry there has another hash, was cut short or replaced.

// Checkpoint is a signed record of the access log's head.
type Checkpoint struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	MAC  string    `json:"mac"`
}

// CheckpointLatest is the document store key of the latest checkpoint;
// every checkpoint is also kept under a key of its own (checkpointKey), so
// that a bucket with object lock keeps each.
const CheckpointLatest = "audit/checkpoints/latest.json"

func checkpointKey(c *Checkpoint) string {
	return fmt.Sprintf("audit/checkpoints/%020d-%d.json", c.Seq, c.At.UnixMicro())
}

func (c *Checkpoint) signed() []byte {
	return fmt.Appendf(nil, "jtai access log checkpoint v1\n%d\n%s\n%d", c.Seq, c.Hash, c.At.UnixMicro())
}

func (db *DB) checkpointMAC(ctx context.Context, c *Checkpoint) (string, error) {
	chain, err := db.auditKey(ctx, db)
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, append([]byte("checkpoint:"), chain...))
	h.Write(c.signed())
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WriteCheckpoint signs the access log's head as it is now and writes it
// to the document store; it returns the checkpoint for a witness to keep.
func (db *DB) WriteCheckpoint(ctx context.Context) (*Checkpoint, error) {
	c := &Checkpoint{At: db.clock.Now().UTC().Truncate(time.Microsecond)}
	if err := db.queryRow(ctx, `SELECT seq, hash FROM access_log_head WHERE id = 1`).Scan(&c.Seq, &c.Hash); err != nil {
		return nil, fmt.Errorf("checkpoint: read the access log's head: %w", err)
	}
	mac, err := db.checkpointMAC(ctx, c)
	if err != nil {
		return nil, err
	}
	c.MAC = mac
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	docs, err := db.documentStore()
	if err != nil {
		return nil, err
	}
	for _, k := range []string{checkpointKey(c), CheckpointLatest} {
		if err := docs.Put(ctx, k, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("checkpoint: write %s: %w", k, err)
		}
	}
	return c, nil
}

// LatestCheckpoint reads the latest checkpoint from the document store;
// ENOTFOUND when none was ever written.
func (db *DB) LatestCheckpoint(ctx context.Context) (*Checkpoint, error) {
	docs, err := db.documentStore()
	if err != nil {
		return nil, err
	}
	r, err := docs.Get(ctx, CheckpointLatest)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return ParseCheckpoint(r)
}

// ParseCheckpoint reads one checkpoint as WriteCheckpoint writes it.
func ParseCheckpoint(r io.Reader) (*Checkpoint, error) {
	var c Checkpoint
	if err := json.NewDecoder(io.LimitReader(r, 1<<16)).Decode(&c); err != nil {
		return nil, jtai.Errorf(jtai.EINVALID, "The checkpoint cannot be read: %v", err)
	}
	return &c, nil
}

// VerifyCheckpoint checks the access log against a checkpoint: the
// checkpoint's signature, then that the log still reaches its entry with
// the same hash. A log cut short, wiped or replaced since is reported as an
// *auditlog.BrokenError.
func (db *DB) VerifyCheckpoint(ctx context.Context, c *Checkpoint) error {
	want, err := db.checkpointMAC(ctx, c)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(want), []byte(c.MAC)) {
		return &auditlog.BrokenError{Seq: c.Seq, Reason: fmt.Sprintf("the checkpoint of %s is not signed with this database's key: it was altered, or is another database's", c.At.Format(time.RFC3339))}
	}
	if c.Seq == 0 {
		return nil
	}
	var hash string
	err = db.queryRow(ctx, `SELECT hash FROM access_log WHERE seq = ?`, c.Seq).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var head int64
		if err := db.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM access_log`).Scan(&head); err != nil {
			return err
		}
		if head == 0 {
			return &auditlog.BrokenError{Seq: c.Seq, Reason: fmt.Sprintf("the log is empty, but held %d entries at its checkpoint of %s: it was wiped", c.Seq, c.At.Format(time.RFC3339))}
		}
		return &auditlog.BrokenError{Seq: c.Seq, Reason: fmt.Sprintf("the log ends at entry %d, but reached entry %d at its checkpoint of %s: its last entries were deleted", head, c.Seq, c.At.Format(time.RFC3339))}
	case err != nil:
		return err
	case hash != c.Hash:
		return &auditlog.BrokenError{Seq: c.Seq, Reason: fmt.Sprintf("entry %d is not the one its checkpoint of %s signed: the log was rewritten or replaced from there back", c.Seq, c.At.Format(time.RFC3339))}
	}
	return nil
}
