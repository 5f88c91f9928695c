package store_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"jtai"
	"jtai/store"
	"jtai/store/storetest"
)

// steppedClock is a clock a test moves on by hand.
type steppedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppedClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// queueInvitations puts n invitations' messages in the outbox and returns
// their ids.
func queueInvitations(t *testing.T, db *store.DB, f *fixture, n int) []int64 {
	t.Helper()
	by := &jtai.AccessEntry{ActorID: f.lead.ID, Actor: f.lead.Email}
	if _, err := db.RecordNotification(ctx, f.inspection.ID, nil, by); err != nil && !jtai.IsKind(err, jtai.ECONFLICT) {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		// One nominated contact per agency.
		ag := &jtai.Agency{AreaID: f.area.ID, Kind: jtai.AgencyPolice, Name: fmt.Sprintf("Police force %d", i)}
		must(t, db.CreateAgency(ctx, ag))
		email := fmt.Sprintf("contact%d@police.example", i)
		inv := &jtai.Invitation{InspectionID: f.inspection.ID, AgencyID: ag.ID, Name: "Contact", Email: email, Role: jtai.RoleAgencyAuditor, InvitedBy: by.Actor}
		var m *jtai.Message
		link := func(*jtai.Invitation) (string, *jtai.Message) {
			m = &jtai.Message{To: email, Subject: "Invitation", Body: fmt.Sprintf("https://jtai.example/invitations/token-%d", i)}
			return fmt.Sprintf("hash-%d", i), m
		}
		must(t, db.CreateInvitation(ctx, inv, link, by))
		ids = append(ids, m.ID)
	}
	return ids
}

// Two app servers (two connections to one database) claiming at once
// share the outbox between them: every message is claimed, none twice.
func TestClaimMessagesConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		master := storetest.MasterKey(t)
		servers := []*store.DB{storetest.OpenAt(t, loc, master), storetest.OpenAt(t, loc, master)}
		want := queueInvitations(t, servers[0], seed(t, servers[0]), 60)

		var mu sync.Mutex
		claimedBy := map[int64][]string{}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 6 {
			db := servers[i%2]
			wg.Go(func() {
				<-start
				for pass := 0; ; pass++ {
					claimant := fmt.Sprintf("sender-%d-pass-%d", i, pass)
					msgs, err := db.ClaimMessages(ctx, claimant, time.Hour, 4, 10)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						if m.Body == "" {
							t.Errorf("message %d claimed without its body", m.ID)
						}
						claimedBy[m.ID] = append(claimedBy[m.ID], claimant)
					}
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		var got []int64
		for id, who := range claimedBy {
			if len(who) != 1 {
				t.Errorf("message %d claimed by %v", id, who)
			}
			got = append(got, id)
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("claimed %v, want every message %v", got, want)
		}
	})
}

// A sender that stops mid-send holds its messages only until the lease
// ends; then another claims and sends them, and the first one's late
// report changes nothing.
func TestClaimMessagesLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		clock := &steppedClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		db, err := store.Open(ctx, storetest.Location(t, dialect), storetest.MasterKey(t), clock)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		ids := queueInvitations(t, db, seed(t, db), 2)
		claim := func(claimant string, limit int) []int64 {
			t.Helper()
			msgs, err := db.ClaimMessages(ctx, claimant, 5*time.Minute, limit, 3)
			must(t, err)
			var got []int64
			for _, m := range msgs {
				got = append(got, m.ID)
			}
			return got
		}
		outbox := func() map[int64]*jtai.Message {
			t.Helper()
			list, err := db.ListOutbox(ctx, nil, 10)
			must(t, err)
			byID := map[int64]*jtai.Message{}
			for _, m := range list {
				byID[m.ID] = m
			}
			return byID
		}

		if got := claim("crashed", 1); len(got) != 1 || got[0] != ids[0] {
			t.Fatalf("first claim = %v, want the oldest message %d", got, ids[0])
		}
		clock.advance(4 * time.Minute)
		if got := claim("second", 5); len(got) != 1 || got[0] != ids[1] {
			t.Fatalf("claim within the lease = %v, want only the unclaimed %d", got, ids[1])
		}
		clock.advance(2 * time.Minute)
		if got := claim("third", 5); len(got) != 1 || got[0] != ids[0] {
			t.Fatalf("claim after the lease = %v, want the lapsed %d again", got, ids[0])
		}
		must(t, db.MarkClaimedFailed(ctx, ids[0], "crashed", "late report"))
		if m := outbox()[ids[0]]; m.Attempts != 0 || m.LastError != "" {
			t.Errorf("a lapsed claimant's report was recorded: %+v", m)
		}
		if got := claim("fourth", 5); len(got) != 0 {
			t.Errorf("the lapsed claimant's report freed its message: claimed %v", got)
		}
		must(t, db.MarkClaimedSent(ctx, ids[0], clock.Now()))
		must(t, db.MarkClaimedSent(ctx, ids[0], clock.Now().Add(time.Minute)))
		if m := outbox()[ids[0]]; m.SentAt == nil || !m.SentAt.Equal(clock.Now()) || m.Body != "" || m.Attempts != 1 {
			t.Errorf("sent message = %+v, want sent once at %s without its body", m, clock.Now())
		}

		// A failure ends the claim: once the "second" sender's lease has
		// lapsed, the message is tried again straight after each failure,
		// up to the limit of attempts.
		clock.advance(5 * time.Minute)
		for attempt := 1; attempt <= 3; attempt++ {
			if got := claim("retry", 5); len(got) != 1 || got[0] != ids[1] {
				t.Fatalf("attempt %d claimed %v, want %d", attempt, got, ids[1])
			}
			must(t, db.MarkClaimedFailed(ctx, ids[1], "retry", fmt.Sprintf("refused %d", attempt)))
		}
		if m := outbox()[ids[1]]; m.Attempts != 3 || m.LastError != "refused 3" || m.SentAt != nil || m.Body == "" {
			t.Errorf("failed message = %+v", m)
		}
		clock.advance(time.Hour)
		if got := claim("after", 5); len(got) != 0 {
			t.Errorf("a message past its attempts was claimed: %v", got)
		}
	})
}
