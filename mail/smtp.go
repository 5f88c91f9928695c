// Package mail delivers the outbox's messages: an SMTP sender, and the
// worker that sends whatever waits in the outbox. It sends only what the
// outbox holds, and the outbox holds no personal data about children.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"jtai"
)

// TLS modes: how the connection to the SMTP server is protected. The
// messages carry sign-in links, so they never go in the clear unless the
// operator says so in the URL (a test relay on the same machine).
const (
	StartTLS = "starttls" // smtp://: STARTTLS is required; a server that does not offer it is refused
	Implicit = "implicit" // smtps://: TLS from the first byte
	Insecure = "insecure" // smtp+insecure://: no TLS at all
)

// SMTP sends messages through an SMTP server, over TLS, with
// authentication when a user is given.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	TLS      string // StartTLS, Implicit or Insecure
	// TLSConfig, when set, is used to check the server's certificate (tests
	// give their own authority); otherwise the system's roots.
	TLSConfig *tls.Config
	Timeout   time.Duration
}

var _ jtai.Sender = (*SMTP)(nil)

const urlForm = "smtp://USER:PASSWORD@HOST:587?from=jtai@example.org (STARTTLS required), smtps://...:465 (TLS from the start) or, for a test relay only, smtp+insecure://HOST:25?from=..."

// ParseSMTPURL reads smtp://USER:PASSWORD@HOST:PORT?from=ADDRESS (STARTTLS
// required, port 587 by default), smtps:// (implicit TLS, 465) or
// smtp+insecure:// (no TLS: a relay for tests).
func ParseSMTPURL(s string) (*SMTP, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("SMTP URL must look like %s", urlForm)
	}
	mode, port := "", ""
	switch u.Scheme {
	case "smtp":
		mode, port = StartTLS, "587"
	case "smtps":
		mode, port = Implicit, "465"
	case "smtp+insecure":
		mode, port = Insecure, "25"
	default:
		return nil, fmt.Errorf("SMTP URL must look like %s", urlForm)
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("SMTP URL has no from address: add ?from=jtai@example.org")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	pw, _ := u.User.Password()
	if mode == Insecure && u.User.Username() != "" {
		return nil, fmt.Errorf("SMTP URL: smtp+insecure:// would send the password in the clear: use smtp:// or smtps://")
	}
	return &SMTP{Addr: addr, From: from, Username: u.User.Username(), Password: pw, TLS: mode, Timeout: 30 * time.Second}, nil
}

// Send delivers m in one SMTP conversation.
func (s *SMTP) Send(ctx context.Context, m *jtai.Message) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	host, portText, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return fmt.Errorf("send to %s: port %q", s.Addr, portText)
	}
	cfg := s.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg = cfg.Clone()
	cfg.ServerName, cfg.MinVersion = host, tls.VersionTLS12
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(cfg)}
	switch s.TLS {
	case Implicit:
		opts = append(opts, gomail.WithSSL())
	case Insecure:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo {
			return fmt.Errorf("send to %s: recipient: %w", s.Addr, err)
		}
		return fmt.Errorf("send to %s: %w", s.Addr, err)
	}
	return nil
}

// message writes m as a plain-text email.
func (s *SMTP) message(m *jtai.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(s.From); err != nil {
		return nil, fmt.Errorf("from address %q: %w", s.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}
