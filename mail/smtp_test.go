package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
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

// smtpServer is how a test's SMTP server protects its connections.
type smtpServer int

const (
	plainServer    smtpServer = iota // no TLS offered
	startTLSServer                   // STARTTLS offered
	implicitServer                   // TLS from the first byte
)

// startSMTP runs a real SMTP server on a loopback port for the test, with
// a certificate of its own authority; the pool trusts that authority.
func startSMTP(t *testing.T, kind smtpServer) (*inbox, string, *x509.CertPool) {
	b := &inbox{}
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	cert, pool := testCertificate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch kind {
	case startTLSServer:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	case implicitServer:
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return b, ln.Addr().String(), pool
}

// testCertificate makes a self-signed certificate for 127.0.0.1.
func testCertificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "jtai test relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	leaf, err := x509.ParseCertificate(der)
	must(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// sender is the sender of url, trusting the test server's authority.
func sender(t *testing.T, url string, pool *x509.CertPool) *mail.SMTP {
	s, err := mail.ParseSMTPURL(url)
	must(t, err)
	s.TLSConfig = &tls.Config{RootCAs: pool}
	return s
}

// Messages carry sign-in links: they go over TLS, and a server that offers
// none is refused unless the URL says smtp+insecure://.
func TestSMTPRequiresTLS(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		server smtpServer
		url    string
		sent   bool
		want   string // in the error when not sent
	}{
		{"STARTTLS", startTLSServer, "smtp://%s?from=jtai@inspections.example", true, ""},
		{"implicit TLS", implicitServer, "smtps://%s?from=jtai@inspections.example", true, ""},
		{"a server without TLS", plainServer, "smtp://%s?from=jtai@inspections.example", false, "STARTTLS"},
		{"a test relay, said so", plainServer, "smtp+insecure://%s?from=jtai@inspections.example", true, ""},
	} {
		box, addr, pool := startSMTP(t, tt.server)
		err := sender(t, fmt.Sprintf(tt.url, addr), pool).Send(ctx, &jtai.Message{To: "nurse@health.example", Subject: "Set up your account", Body: "https://jtai.example/invitations/TOKEN"})
		switch {
		case tt.sent && (err != nil || len(box.msgs) != 1):
			t.Errorf("%s: %v, %d received", tt.name, err, len(box.msgs))
		case !tt.sent && (err == nil || !strings.Contains(err.Error(), tt.want) || len(box.msgs) != 0):
			t.Errorf("%s: sent (%v, %d received), want it refused naming %s", tt.name, err, len(box.msgs), tt.want)
		}
	}
	if _, err := mail.ParseSMTPURL("smtp+insecure://user:secret@relay.example?from=jtai@inspections.example"); err == nil || !strings.Contains(err.Error(), "in the clear") {
		t.Errorf("a password over smtp+insecure://: %v", err)
	}
	if _, err := mail.ParseSMTPURL("http://relay.example?from=jtai@inspections.example"); err == nil || !strings.Contains(err.Error(), "smtps://") {
		t.Errorf("an http URL: %v", err)
	}
}

func TestOutboxDeliveredOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		box, addr, pool := startSMTP(t, startTLSServer)
		sender := sender(t, "smtp://"+addr+"?from=jtai@inspections.example", pool)
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
