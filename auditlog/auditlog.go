// Package auditlog is the hash chain of the access log: how an entry's hash
// is computed from its contents and the previous entry's hash, and how a
// chain is verified. Each entry commits to every entry before it, so an
// edit, a deletion, an insertion or a reordering of rows breaks the chain at
// the first entry touched.
//
// The chain is keyed: someone who can write to the database but does not
// hold the key cannot recompute the hashes after an edit.
//
// The entries hold who did what to which resource, never personal data. This
// package does no I/O: the store appends and reads entries.
package auditlog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"jtai"
)

// Hash returns the keyed hash (HMAC-SHA256) of e's contents chained to
// e.PrevHash. Seq and time are part of it, so moving an entry changes it,
// and without the key nobody can rewrite the chain after an edit.
func Hash(key []byte, e *jtai.AccessEntry) string {
	h := hmac.New(sha256.New, key)
	for _, f := range []string{
		"jtai access log v1",
		strconv.FormatInt(e.Seq, 10),
		strconv.FormatInt(e.Time.UnixMicro(), 10),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Resource, e.Outcome, e.Address,
		e.PrevHash,
	} {
		// Length-prefix each field so that no two field lists hash alike.
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Link fills e.Seq, e.PrevHash and e.Hash to follow the entry whose sequence
// number and hash are given (0 and "" for the first entry).
func Link(key []byte, e *jtai.AccessEntry, prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = Hash(key, e)
}

// BrokenError names the first entry at which a chain fails verification.
type BrokenError struct {
	Seq    int64 // the sequence number of the bad entry, or where one is missing
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("access log broken at entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks a chain entry by entry, in the order of their sequence
// numbers as stored, under Key.
type Verifier struct {
	Key  []byte
	seq  int64
	hash string
	n    int64
}

// Check verifies the next entry.
func (v *Verifier) Check(e *jtai.AccessEntry) error {
	switch {
	case e.Seq != v.seq+1:
		if e.Seq > v.seq+1 {
			return &BrokenError{v.seq + 1, fmt.Sprintf("entry %d is missing (the next is %d): an entry was deleted", v.seq+1, e.Seq)}
		}
		return &BrokenError{e.Seq, fmt.Sprintf("entry %d follows entry %d: entries were reordered or inserted", e.Seq, v.seq)}
	case e.PrevHash != v.hash:
		return &BrokenError{e.Seq, "it does not follow from the entry before it: an entry was inserted, deleted or reordered"}
	case Hash(v.Key, e) != e.Hash:
		return &BrokenError{e.Seq, "its contents do not match its hash: the entry was edited"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.n++
	return nil
}

// Finish checks that the chain ends at the recorded head, which catches
// entries removed from or added to the end.
func (v *Verifier) Finish(headSeq int64, headHash string) error {
	if v.seq != headSeq || v.hash != headHash {
		if v.seq < headSeq {
			return &BrokenError{v.seq + 1, fmt.Sprintf("the log ends at entry %d but its head says %d: entries were deleted from the end", v.seq, headSeq)}
		}
		return &BrokenError{headSeq + 1, fmt.Sprintf("the log runs to entry %d but its head says %d: entries were added outside jtai", v.seq, headSeq)}
	}
	return nil
}

// Checked is the number of entries verified so far.
func (v *Verifier) Checked() int64 { return v.n }
