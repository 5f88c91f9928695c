package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"time"

	"jtai"
)

// Outbox is what the worker needs of storage: messages claimed by one
// sender at a time, each claim held for a lease.
type Outbox interface {
	ClaimMessages(ctx context.Context, claimant string, lease time.Duration, limit, maxAttempts int) ([]*jtai.Message, error)
	MarkClaimedSent(ctx context.Context, id int64, at time.Time) error
	MarkClaimedFailed(ctx context.Context, id int64, claimant, reason string) error
}

// MaxAttempts is how often a message is tried before it is left in the
// outbox for an operator to look at.
const MaxAttempts = 10

// Lease is how long a sender holds the messages it claimed. A sender that
// stops mid-send (a crash, a deploy) leaves its messages claimed until the
// lease ends; then another sends them.
const Lease = 10 * time.Minute

// batch is how many messages one pass claims: few, so that other app
// servers share a long outbox rather than wait for one server's leases.
const batch = 20

// SendPending claims a batch of the messages waiting in the outbox, sends
// each once and returns how many went. A failed message is recorded and
// tried again on a later pass. With several app servers, each message is
// claimed by one of them at a time, so two do not send it at once; a
// message is sent again only when its sender stopped before recording it
// (at least once: a message is never lost).
func SendPending(ctx context.Context, out Outbox, s jtai.Sender, clock jtai.Clock) (int, error) {
	claimant := newClaimant()
	start := clock.Now()
	msgs, err := out.ClaimMessages(ctx, claimant, Lease, batch, MaxAttempts)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		// Past half the lease, leave the rest to run out and be claimed
		// afresh rather than send one as another server takes it over.
		if clock.Now().Sub(start) > Lease/2 {
			break
		}
		if err := s.Send(ctx, m); err != nil {
			if merr := out.MarkClaimedFailed(ctx, m.ID, claimant, err.Error()); merr != nil {
				return sent, merr
			}
			continue
		}
		if err := out.MarkClaimedSent(ctx, m.ID, clock.Now()); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// newClaimant names one pass of one process: the host, the process and a
// random part, so that passes never share a claim and an operator reading
// the outbox table can tell which server holds a message.
func newClaimant() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:10])
}

// Run sends the outbox every interval until ctx ends.
func Run(ctx context.Context, out Outbox, s jtai.Sender, clock jtai.Clock, every time.Duration, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := SendPending(ctx, out, s, clock); err != nil && ctx.Err() == nil {
			logger.Error("send outbox", "err", err)
		} else if n > 0 {
			logger.Info("outbox sent", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
