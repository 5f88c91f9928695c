package mail

import (
	"context"
	"log/slog"
	"time"

	"jtai"
)

// Outbox is what the worker needs of storage.
type Outbox interface {
	PendingMessages(ctx context.Context, limit int) ([]*jtai.Message, error)
	MarkMessageSent(ctx context.Context, id int64, at time.Time) error
	MarkMessageFailed(ctx context.Context, id int64, reason string) error
}

// MaxAttempts is how often a message is tried before it is left in the
// outbox for an operator to look at.
const MaxAttempts = 10

// SendPending sends every message waiting in the outbox once and returns
// how many went. A failed message is recorded and tried again next time.
// With several app servers, two may send the same message at once: a
// duplicate invitation is harmless, a lost one is not.
func SendPending(ctx context.Context, out Outbox, s jtai.Sender, clock jtai.Clock) (int, error) {
	msgs, err := out.PendingMessages(ctx, 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		if m.Attempts >= MaxAttempts {
			continue
		}
		if err := s.Send(ctx, m); err != nil {
			if merr := out.MarkMessageFailed(ctx, m.ID, err.Error()); merr != nil {
				return sent, merr
			}
			continue
		}
		if err := out.MarkMessageSent(ctx, m.ID, clock.Now()); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
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
