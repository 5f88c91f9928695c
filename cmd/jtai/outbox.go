package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"jtai/blob"
	"jtai/mail"
	"jtai/store"
)

// partnershipFlags say where documents are kept and how the outbox is sent.
type partnershipFlags struct {
	smtp      string
	documents string
	public    string

	documentsOpen bool // the document store is set already (the demo seeds documents before it serves)
}

// publicURL is the address for links in messages, from --public-url or
// JTAI_PUBLIC_URL.
func (f *partnershipFlags) publicURL(m *Main) string {
	if f.public != "" {
		return f.public
	}
	return m.Getenv("JTAI_PUBLIC_URL")
}

func (m *Main) addPartnershipFlags(fs *pflag.FlagSet, f *partnershipFlags) {
	fs.StringVar(&f.smtp, "smtp", "", "send the outbox through smtp://USER:PASSWORD@HOST:587?from=ADDRESS (STARTTLS required), smtps:// (TLS from the start) or smtp+insecure:// (a test relay) (default $JTAI_SMTP_URL; without it messages stay in the outbox)")
	fs.StringVar(&f.public, "public-url", "", "the address people reach jtai at, like https://jtai.example.org, for links in messages; needed unless --addr is a loopback address (default $JTAI_PUBLIC_URL)")
	fs.StringVar(&f.documents, "documents", "", "where documents are kept: a directory, or s3://ACCESS:SECRET@HOST:PORT/BUCKET (default $JTAI_DOCUMENTS, or documents beside an SQLite database)")
}

// startPartnership sets the document store and, when SMTP is configured,
// starts the worker that sends the outbox until ctx ends.
func (m *Main) startPartnership(ctx context.Context, db *store.DB, f *partnershipFlags, logger *slog.Logger) error {
	if err := m.openDocuments(ctx, db, f); err != nil {
		return err
	}
	smtpURL := f.smtp
	if smtpURL == "" {
		smtpURL = m.Getenv("JTAI_SMTP_URL")
	}
	if smtpURL == "" {
		logger.Info("no SMTP server configured: messages stay in the outbox")
		return nil
	}
	sender, err := mail.ParseSMTPURL(smtpURL)
	if err != nil {
		return usagef("--smtp: %v", err)
	}
	go mail.Run(ctx, db, sender, m.Clock, 30*time.Second, logger)
	return nil
}

// openDocuments sets where db keeps documents, from --documents or
// JTAI_DOCUMENTS; without either, SQLite keeps them beside its file and
// PostgreSQL is refused, before anything is written. It
// opens the store once however often it is called.
func (m *Main) openDocuments(ctx context.Context, db *store.DB, f *partnershipFlags) error {
	if f.documentsOpen {
		return nil
	}
	b, err := m.documentStore(ctx, f, db.Path)
	if err != nil {
		return err
	}
	if b != nil {
		db.SetDocumentStore(b)
	}
	f.documentsOpen = true
	return nil
}

// openWithDocuments opens the database of f with its document store.
func (m *Main) openWithDocuments(ctx context.Context, f *dbFlags, pf *partnershipFlags) (*store.DB, error) {
	db, err := m.open(ctx, f, false)
	if err != nil {
		return nil, err
	}
	if err := m.openDocuments(ctx, db, pf); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// documentStore opens the store --documents (or JTAI_DOCUMENTS) names; nil
// beside an SQLite database at sqlitePath when neither is set, where the
// database keeps its documents by default.
func (m *Main) documentStore(ctx context.Context, f *partnershipFlags, sqlitePath string) (blob.Store, error) {
	docs := f.documents
	if docs == "" {
		docs = m.Getenv("JTAI_DOCUMENTS")
	}
	switch {
	case docs == "" && sqlitePath == "":
		// Beside a SQLite file there is a default; a PostgreSQL server
		// has no directory of its own to offer.
		return nil, usagef("on PostgreSQL, say where documents are kept: --documents DIR or s3://ACCESS:SECRET@HOST:PORT/BUCKET (or set JTAI_DOCUMENTS)")
	case strings.HasPrefix(docs, "s3://"):
		cfg, err := blob.ParseS3URL(docs)
		if err != nil {
			return nil, usagef("--documents: %v", err)
		}
		return blob.OpenS3(ctx, cfg)
	case docs != "":
		return blob.OpenLocal(docs)
	}
	return nil, nil
}
