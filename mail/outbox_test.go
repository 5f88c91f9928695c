package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"jtai"
	"jtai/mail"
	"jtai/store"
	"jtai/store/storetest"
)

// Two app servers sending one outbox at once deliver each message once.
func TestSendPendingFromTwoServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		loc, master := storetest.Location(t, dialect), storetest.MasterKey(t)
		servers := []*store.DB{storetest.OpenAt(t, loc, master), storetest.OpenAt(t, loc, master)}
		box, addr, pool := startSMTP(t, startTLSServer)
		sender := sender(t, "smtp://"+addr+"?from=jtai@inspections.example", pool)
		var to []string
		for i := range 50 {
			to = append(to, fmt.Sprintf("contact%d@agency.example", i))
		}
		queueInvitations(t, servers[0], to...)

		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for _, out := range servers {
			wg.Go(func() {
				for {
					n, err := mail.SendPending(ctx, out, sender, jtai.SystemClock{})
					if err != nil {
						t.Error(err)
					}
					if n == 0 || err != nil {
						return
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		box.mu.Lock()
		defer box.mu.Unlock()
		received := map[string]int{}
		for _, m := range box.msgs {
			received[m.to[0]]++
		}
		for _, addr := range to {
			if received[addr] != 1 {
				t.Errorf("%s received %d messages, want 1", addr, received[addr])
			}
		}
		if total != len(to) || len(box.msgs) != len(to) {
			t.Errorf("servers counted %d sent, the SMTP server received %d; want %d", total, len(box.msgs), len(to))
		}
	})
}
