package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"jtai"
	"jtai/blob"
	"jtai/crypt"
	"jtai/store"
)

type backupFlags struct {
	dbFlags
	partnershipFlags
}

func (m *Main) addBackupFlags(fs *pflag.FlagSet, f *backupFlags) {
	m.addDBFlags(fs, &f.dbFlags)
	fs.StringVar(&f.documents, "documents", "", "where documents are kept: a directory, or s3://ACCESS:SECRET@HOST:PORT/BUCKET (default $JTAI_DOCUMENTS, or documents beside an SQLite database)")
}

func (m *Main) backup(ctx context.Context, args []string) error {
	fs := m.flags("backup FILE", "Writes a consistent backup of the database and every document to FILE while jtai runs:\n"+
		"SQLite through VACUUM INTO, PostgreSQL through pg_dump (PostgreSQL's client tools), in one archive\n"+
		"with a manifest of SHA-256 hashes. The master key is never in it: keep the key file apart, and\n"+
		"backed up too, or the backup cannot be restored. Never overwrites a file.")
	var f backupFlags
	m.addBackupFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("backup takes one file name")
	}
	out := fs.Arg(0)
	if _, err := os.Stat(out); err == nil {
		return jtai.Errorf(jtai.EINVALID, "%s exists: name a new file for the backup", out)
	}
	db, err := m.openWithDocuments(ctx, &f.dbFlags, &f.partnershipFlags)
	if err != nil {
		return err
	}
	defer db.Close()
	// Written beside the target and renamed when complete: a backup cut
	// short by a failure is never left under its name.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".jtai-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	man, err := db.Backup(ctx, tmp, filepath.Dir(tmp.Name()))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), out); err != nil { // fails rather than replace a file made meanwhile
		return err
	}
	e := m.consoleActor()
	e.Action, e.Resource = jtai.ActBackup, "backup/"+filepath.Base(out)
	if err := db.Append(ctx, e); err != nil {
		return err
	}
	if f.json {
		return m.printJSON(man)
	}
	fmt.Fprintf(m.Stdout, "Backed up the %s database (access log at entry %d) and %d documents to %s.\nKeep master key %s apart from it: the backup cannot be restored without it.\n",
		man.Database, man.LogSeq, man.Documents, out, man.MasterKeyID)
	return nil
}

func (m *Main) restore(ctx context.Context, args []string) error {
	fs := m.flags("restore FILE --db DATABASE", "Restores a backup into an empty database and document store: checks every file against the\n"+
		"manifest and the manifest against the master key, then verifies the access log. Nothing is\n"+
		"restored from a damaged or altered backup, or over a database that is not empty. Needs the key\n"+
		"file the backed-up database used (never in the backup).")
	var f backupFlags
	m.addBackupFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("restore takes one backup file")
	}
	if f.db == "" && m.Getenv("JTAI_DB") == "" {
		return usagef("restore needs --db: the new, empty database to restore into")
	}
	loc, err := m.location(&f.dbFlags)
	if err != nil {
		return err
	}
	keyPath, err := m.keyPath(&f.dbFlags, loc)
	if err != nil {
		return err
	}
	master, err := crypt.LoadKeyFile(keyPath)
	var kf *crypt.KeyFileError
	if errors.As(err, &kf) && kf.Reason == "does not exist" {
		return jtai.Errorf(jtai.EINVALID, "There is no key file at %s. The master key is never in a backup: give the key file the backed-up database used with --key-file (or JTAI_KEY_FILE)", keyPath)
	}
	if err != nil {
		return err
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return jtai.Errorf(jtai.EINVALID, "The backup %s cannot be opened: %v", fs.Arg(0), err)
	}
	defer in.Close()
	dir, err := os.MkdirTemp("", "jtai-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	man, err := store.ReadBackup(in, dir, master)
	if err != nil {
		return err
	}
	docs, err := m.documentStore(ctx, &f.partnershipFlags, loc.Path)
	if err != nil {
		return err
	}
	if docs == nil {
		if docs, err = blob.OpenLocal(filepath.Join(filepath.Dir(loc.Path), "documents")); err != nil {
			return err
		}
	}
	db, err := store.Restore(ctx, dir, man, loc, master, docs, m.Clock, m.consoleActor())
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Verify(ctx)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"restored": man, "access_log_verified": n})
	}
	fmt.Fprintf(m.Stdout, "Restored the backup of %s: the database, %d documents, and the access log (%d entries verified).\n",
		man.CreatedAt.Format("15:04 on 2 January 2006"), man.Documents, n)
	return nil
}
