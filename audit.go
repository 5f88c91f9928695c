package jtai

import (
	"context"
	"time"
)

// Actions recorded in the access log. The log records who did what to which
// resource; it never holds personal data itself.
const (
	ActSignIn         = "sign-in"
	ActSignInFailed   = "sign-in-failed"
	ActSignOut        = "sign-out"
	ActSecondFactor   = "second-factor"
	ActDenied         = "access-denied"
	ActView           = "view"
	ActList           = "list"
	ActCreate         = "create"
	ActUpdate         = "update"
	ActDecide         = "decide" // an inspector's decision on a child screening put in needs review
	ActDisable        = "disable"
	ActEnable         = "enable"
	ActKeyRotate      = "key-rotate"
	ActKeyDestroy     = "key-destroy"
	ActBackup         = "backup"
	ActRestore        = "restore"
	ActRetentionWarn  = "retention-warn"
	ActErase          = "erase"
	ActLoginThrottled = "sign-in-throttled"
)

// AccessEntry is one entry of the append-only, hash-chained access log.
type AccessEntry struct {
	Seq     int64     `json:"seq"`
	Time    time.Time `json:"time"`
	ActorID int64     `json:"actor_id,omitempty"` // 0: the console or an anonymous caller
	Actor   string    `json:"actor"`              // email, "console" or "anonymous"
	// ActorName is how pages name the actor of a change they show ("added
	// by", "submitted by"): the person's name. It is not in the log.
	ActorName string `json:"-"`
	Action    string `json:"action"`
	Resource  string `json:"resource"` // e.g. "inspection/3/child/41"
	Outcome   string `json:"outcome"`  // "ok", "denied", "failed"
	Address   string `json:"address,omitempty"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
}

// AccessLog appends to and reads the access log.
type AccessLog interface {
	// Append adds entries in order, filling Seq, Time, PrevHash and Hash.
	Append(ctx context.Context, entries ...*AccessEntry) error
	// AppendRepeated appends e unless an entry was appended under key in
	// the last window: then e is counted, and the repeats of a window are
	// appended as one entry, with their count and times, once the window
	// has ended. Entries counted under one key must differ only in time, so
	// a failure an attacker can repeat at will fills one entry a window.
	AppendRepeated(ctx context.Context, key string, window time.Duration, e *AccessEntry) error
	// Verify walks the chain and returns an error naming the first bad entry.
	Verify(ctx context.Context) (checked int64, err error)
}
