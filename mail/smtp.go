// Package mail delivers the outbox's messages: an SMTP sender, and the
// worker that sends whatever waits in the outbox. It sends only what the
// outbox holds, and the outbox holds no personal data about children.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"jtai"
)

// SMTP sends messages through an SMTP server, with STARTTLS when the server
// offers it and authentication when a user is given.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	Timeout  time.Duration
}

var _ jtai.Sender = (*SMTP)(nil)

// ParseSMTPURL reads smtp://USER:PASSWORD@HOST:PORT?from=ADDRESS.
func ParseSMTPURL(s string) (*SMTP, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return nil, fmt.Errorf("SMTP URL must look like smtp://user:password@host:587?from=jtai@example.org")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("SMTP URL has no from address: add ?from=jtai@example.org")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "587")
	}
	pw, _ := u.User.Password()
	return &SMTP{Addr: addr, From: from, Username: u.User.Username(), Password: pw, Timeout: 30 * time.Second}, nil
}

// Send delivers m in one SMTP conversation.
func (s *SMTP) Send(ctx context.Context, m *jtai.Message) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("send to %s: starttls: %w", s.Addr, err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("send to %s: auth: %w", s.Addr, err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("send to %s: recipient: %w", s.Addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	if _, err := w.Write(s.format(m)); err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	return c.Quit()
}

// format writes m as a plain-text email.
func (s *SMTP) format(m *jtai.Message) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	rand.Read(id)
	domain := "jtai.invalid"
	if _, d, ok := strings.Cut(s.From, "@"); ok {
		domain = d
	}
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", s.From)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", time.Now().UTC().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}
