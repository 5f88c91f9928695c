package mail_test

import (
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"jtai"
	"jtai/mail"
	"jtai/store"
	"jtai/store/storetest"
)

// inbox is an SMTP server's in-memory backend: what it received.
type inbox struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	data string
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b   *inbox
	cur received
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(to, "@refused.example") {
		return &smtp.SMTPError{Code: 550, Message: "no such mailbox"}
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

// startSMTP runs a real SMTP server on a loopback port for the test.
func startSMTP(t *testing.T) (*inbox, string) {
	b := &inbox{}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return b, ln.Addr().String()
}

func TestOutboxDeliveredOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		box, addr := startSMTP(t)
		sender, err := mail.ParseSMTPURL("smtp://" + addr + "?from=jtai@inspections.example")
		if err != nil {
			t.Fatal(err)
		}
		queueInvitations(t, db, "nurse@health.example", "gone@refused.example")
		n, err := mail.SendPending(ctx, db, sender, jtai.SystemClock{})
		must(t, err)
		if n != 1 || len(box.msgs) != 1 {
			t.Fatalf("sent %d, server received %d; want 1 and 1", n, len(box.msgs))
		}
		got := box.msgs[0]
		msg, err := netmail.ReadMessage(strings.NewReader(got.data))
		must(t, err)
		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		must(t, err)
		if got.from != "jtai@inspections.example" || got.to[0] != "nurse@health.example" || msg.Header.Get("Subject") != "You are invited to jtai" ||
			!strings.Contains(string(body), "https://jtai.example/invitations/TOKENnurse@health.example") {
			t.Fatalf("received %+v\n%s", got, body)
		}
		out, err := db.ListOutbox(ctx, nil, 10)
		must(t, err)
		for _, m := range out {
			switch m.To {
			case "nurse@health.example":
				if m.SentAt == nil || m.Body != "" {
					t.Errorf("sent message: %+v", m)
				}
			default:
				if m.SentAt != nil || m.Attempts != 1 || !strings.Contains(m.LastError, "550") {
					t.Errorf("refused message: %+v", m)
				}
			}
		}
		// A second pass sends nothing twice.
		if n, _ := mail.SendPending(ctx, db, sender, jtai.SystemClock{}); n != 0 || len(box.msgs) != 1 {
			t.Errorf("second pass sent %d", n)
		}
	})
}

// queueInvitations invites each address, putting a message for each in the
// outbox with a link that ends in the address.
func queueInvitations(t *testing.T, db *store.DB, to ...string) {
	t.Helper()
	ctx := context.Background()
	area := &jtai.Area{Name: "Eastmere", LACode: "998"}
	must(t, db.CreateArea(ctx, area))
	in := &jtai.Inspection{AreaID: area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 2)}
	must(t, db.CreateInspection(ctx, in))
	_, err := db.RecordNotification(ctx, in.ID, nil, &jtai.AccessEntry{Actor: "lead"})
	must(t, err)
	for i, addr := range to {
		// One nominated contact per agency.
		ag := &jtai.Agency{AreaID: area.ID, Kind: jtai.AgencyHealth, Name: fmt.Sprintf("Eastmere Health %d", i)}
		must(t, db.CreateAgency(ctx, ag))
		inv := &jtai.Invitation{InspectionID: in.ID, AgencyID: ag.ID, Name: "Contact", Email: addr, Role: jtai.RoleAgencyAuditor}
		link := func(*jtai.Invitation) (string, *jtai.Message) {
			return "hash-" + addr, &jtai.Message{To: addr, Subject: "You are invited to jtai", Body: "Set your password: https://jtai.example/invitations/TOKEN" + addr}
		}
		must(t, db.CreateInvitation(ctx, inv, link, &jtai.AccessEntry{Actor: "lead"}))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
