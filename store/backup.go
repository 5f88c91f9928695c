package store

import (
	"archive/tar"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"jtai"
	"jtai/blob"
	"jtai/crypt"
)

// A backup is one tar archive: the database (an SQLite snapshot made with
// VACUUM INTO, or a pg_dump archive in PostgreSQL's custom format), every
// document's sealed bytes under documents/, then manifest.json with each
// file's size and SHA-256 and manifest.mac, an HMAC of the manifest under a
// key that only the master key unwraps. The master key is never in it:
// without the key file the backup cannot be restored, and nothing in it can
// be read.
const (
	backupFormat   = "jtai-backup/1"
	backupManifest = "manifest.json"
	backupMAC      = "manifest.mac"
	backupSQLite   = "database.sqlite"
	backupPostgres = "database.pgdump"
	backupDocs     = "documents/"
)

// BackupManifest says what a backup holds.
type BackupManifest struct {
	Format      string       `json:"format"`
	CreatedAt   time.Time    `json:"created_at"`
	Database    string       `json:"database"` // sqlite or postgres
	Schema      int          `json:"schema"`   // the last migration applied
	LogSeq      int64        `json:"access_log_seq"`
	LogHash     string       `json:"access_log_hash"`
	Generation  int64        `json:"generation"`
	MasterKeyID string       `json:"master_key_id"`
	MACKey      []byte       `json:"mac_key"` // wrapped by the master key
	Documents   int          `json:"documents"`
	Files       []BackupFile `json:"files"`
}

// BackupFile is one file of a backup.
type BackupFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const macScope = "backup-manifest"

// Backup writes a consistent backup of the database and its documents to w
// while the service runs. tmp is a directory for the database snapshot,
// which is removed afterwards. On PostgreSQL it runs pg_dump (from
// PostgreSQL's client tools), in the same snapshot as the list of
// documents.
func (db *DB) Backup(ctx context.Context, w io.Writer, tmp string) (*BackupManifest, error) {
	if err := db.needMaster(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(tmp, "jtai-backup-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	m := &BackupManifest{Format: backupFormat, CreatedAt: db.clock.Now().UTC(), Database: db.dialect.String(), MasterKeyID: db.master.ID()}
	var dbFile string
	var keys []string
	if db.dialect == postgresDialect {
		dbFile, keys, err = db.pgDump(ctx, dir, m)
	} else {
		dbFile, keys, err = db.sqliteSnapshot(ctx, dir, m)
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	macKey := make([]byte, 32)
	rand.Read(macKey)
	m.MACKey = db.master.Wrap(macKey, macScope)

	tw := tar.NewWriter(w)
	f, err := os.Open(dbFile)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	bf, err := addToTar(tw, path.Base(dbFile), m.CreatedAt, f, fi.Size(), dir)
	f.Close()
	if err != nil {
		return nil, err
	}
	m.Files = append(m.Files, bf)
	docs, err := db.documentStore()
	if err != nil && len(keys) > 0 {
		return nil, err
	}
	for _, k := range keys {
		r, err := docs.Get(ctx, k)
		if err != nil {
			return nil, fmt.Errorf("backup: document %s: %w", k, err)
		}
		bf, err := addToTar(tw, backupDocs+k, m.CreatedAt, r, -1, dir)
		r.Close()
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, bf)
	}
	m.Documents = len(keys)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeTarFile(tw, backupManifest, m.CreatedAt, manifest); err != nil {
		return nil, err
	}
	if err := writeTarFile(tw, backupMAC, m.CreatedAt, []byte(hex.EncodeToString(manifestMAC(macKey, manifest)))); err != nil {
		return nil, err
	}
	return m, tw.Close()
}

func manifestMAC(key, manifest []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(manifest)
	return h.Sum(nil)
}

// addToTar writes r as the file name, hashing it on the way. Its size goes
// in the header first: when size is negative r is spooled to spool (a
// directory) to learn it.
func addToTar(tw *tar.Writer, name string, at time.Time, r io.Reader, size int64, spool string) (BackupFile, error) {
	if size < 0 {
		f, err := os.CreateTemp(spool, "part-")
		if err != nil {
			return BackupFile{}, err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		if size, err = io.Copy(f, r); err != nil {
			return BackupFile{}, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return BackupFile{}, err
		}
		r = f
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: at, Typeflag: tar.TypeReg}); err != nil {
		return BackupFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), r)
	if err != nil {
		return BackupFile{}, err
	}
	return BackupFile{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeTarFile(tw *tar.Writer, name string, at time.Time, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: at, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

// sqliteSnapshot copies the database with VACUUM INTO, which reads one
// consistent snapshot while writers go on, then reads what it holds.
func (db *DB) sqliteSnapshot(ctx context.Context, dir string, m *BackupManifest) (string, []string, error) {
	out := filepath.Join(dir, backupSQLite)
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return "", nil, fmt.Errorf("snapshot the database: %w", err)
	}
	snap, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		return "", nil, err
	}
	defer snap.Close()
	tx, err := snap.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	keys, err := snapshotFacts(ctx, tx, m, func(q string) string { return q })
	return out, keys, err
}

// pgDump runs pg_dump in a snapshot exported from a transaction that also
// lists the documents, so the two agree.
func (db *DB) pgDump(ctx context.Context, dir string, m *BackupManifest) (string, []string, error) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return "", nil, jtai.Errorf(jtai.EINVALID, "jtai backup on PostgreSQL runs pg_dump, which is not installed here: install PostgreSQL's client tools (Debian: apt-get install postgresql-client) in the server's major version or newer")
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	var snapshot string
	if err := tx.QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return "", nil, err
	}
	keys, err := snapshotFacts(ctx, tx, m, db.q)
	if err != nil {
		return "", nil, err
	}
	out := filepath.Join(dir, backupPostgres)
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--no-privileges", "--snapshot="+snapshot, "--file="+out, "--dbname="+db.url)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(msg)))
	}
	return out, keys, nil
}

// snapshotFacts reads, in the snapshot, what the manifest records and the
// documents' blob keys.
func snapshotFacts(ctx context.Context, tx *sql.Tx, m *BackupManifest, q func(string) string) ([]string, error) {
	if err := tx.QueryRowContext(ctx, q(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`)).Scan(&m.Schema); err != nil {
		return nil, fmt.Errorf("read the schema version: %w", err)
	}
	if err := tx.QueryRowContext(ctx, q(`SELECT seq, hash FROM access_log_head WHERE id = 1`)).Scan(&m.LogSeq, &m.LogHash); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, q(`SELECT n FROM generation WHERE id = 1`)).Scan(&m.Generation); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, q(`SELECT blob_key FROM document_versions ORDER BY id`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// RestoreError is a backup that cannot be restored: damaged, altered, made
// under another key, or a target that is not empty.
type RestoreError struct{ Reason string }

func (e *RestoreError) Error() string { return e.Reason }

func restoreErrorf(format string, args ...any) error {
	return &jtai.Error{Kind: jtai.EINVALID, Message: fmt.Sprintf(format, args...), Err: &RestoreError{fmt.Sprintf(format, args...)}}
}

// ReadBackup unpacks the backup r into dir, checking every file against
// the manifest and the manifest against its MAC under master. Nothing is
// restored: a backup that fails any check is refused here, whole.
func ReadBackup(r io.Reader, dir string, master *crypt.MasterKey) (*BackupManifest, error) {
	tr := tar.NewReader(r)
	got := map[string]BackupFile{}
	var manifest, mac []byte
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, restoreErrorf("The backup is damaged or cut short (%v): nothing was restored", err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || strings.HasPrefix(name, "../") || path.IsAbs(name) {
			return nil, restoreErrorf("The backup holds %q, which no jtai backup holds: nothing was restored", h.Name)
		}
		switch name {
		case backupManifest, backupMAC:
			b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
			if err != nil {
				return nil, restoreErrorf("The backup is damaged or cut short (%v): nothing was restored", err)
			}
			if name == backupManifest {
				manifest = b
			} else {
				mac = b
			}
			continue
		}
		if name != backupSQLite && name != backupPostgres {
			if !strings.HasPrefix(name, backupDocs) || blob.CheckKey(strings.TrimPrefix(name, backupDocs)) != nil {
				return nil, restoreErrorf("The backup holds %q, which no jtai backup holds: nothing was restored", h.Name)
			}
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, restoreErrorf("The backup holds %s twice: nothing was restored", name)
		}
		hash := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, hash), tr)
		f.Close()
		if err != nil {
			return nil, restoreErrorf("The backup is damaged or cut short in %s (%v): nothing was restored", name, err)
		}
		got[name] = BackupFile{Name: name, Size: n, SHA256: hex.EncodeToString(hash.Sum(nil))}
	}
	if manifest == nil || mac == nil {
		return nil, restoreErrorf("The backup has no manifest: it is cut short, or not a jtai backup. Nothing was restored")
	}
	var m BackupManifest
	if err := json.Unmarshal(manifest, &m); err != nil || m.Format != backupFormat {
		return nil, restoreErrorf("The backup's manifest is not one jtai wrote (format %q): nothing was restored", m.Format)
	}
	if m.MasterKeyID != master.ID() {
		return nil, restoreErrorf("The backup was made under master key %s, but the key file given holds key %s: give the key file the backed-up database used (it is never in the backup). Nothing was restored", m.MasterKeyID, master.ID())
	}
	macKey, err := master.Unwrap(m.MACKey, macScope)
	want, derr := hex.DecodeString(strings.TrimSpace(string(mac)))
	if err != nil || derr != nil || !hmac.Equal(want, manifestMAC(macKey, manifest)) {
		return nil, restoreErrorf("The backup's manifest has been altered (its MAC does not match): nothing was restored")
	}
	for _, f := range m.Files {
		g, ok := got[f.Name]
		switch {
		case !ok:
			return nil, restoreErrorf("The backup is missing %s: nothing was restored", f.Name)
		case g != f:
			return nil, restoreErrorf("%s in the backup does not match its manifest (SHA-256 %s, want %s): the backup is damaged or altered. Nothing was restored", f.Name, g.SHA256, f.SHA256)
		}
		delete(got, f.Name)
	}
	for name := range got {
		return nil, restoreErrorf("The backup holds %s, which its manifest does not list: nothing was restored", name)
	}
	return &m, nil
}

// Restore restores a backup unpacked by ReadBackup into the empty database
// at loc and the empty document store docs, then checks the access log and
// moves the read cache's generation past anything a server could have
// seen. The restore is logged. A restore that fails is undone: the
// documents it put are deleted, and on SQLite the database file; on
// PostgreSQL pg_restore runs in one transaction, but a restored database
// whose access log then fails to verify is left for the operator to
// inspect, and the error says so.
func Restore(ctx context.Context, dir string, m *BackupManifest, loc Location, master *crypt.MasterKey, docs blob.Store, clock jtai.Clock, by *jtai.AccessEntry) (*DB, error) {
	if clock == nil {
		clock = jtai.SystemClock{}
	}
	if (m.Database == "postgres") != loc.Postgres {
		return nil, restoreErrorf("The backup is of a %s database and cannot be restored into %s", m.Database, map[bool]string{true: "PostgreSQL", false: "SQLite"}[loc.Postgres])
	}
	if err := targetEmpty(ctx, loc, master, docs, m); err != nil {
		return nil, err
	}
	var put []string
	undoDocs := func() {
		for _, k := range put {
			docs.Delete(context.WithoutCancel(ctx), k)
		}
	}
	for _, f := range m.Files {
		k, ok := strings.CutPrefix(f.Name, backupDocs)
		if !ok {
			continue
		}
		r, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			undoDocs()
			return nil, err
		}
		put = append(put, k)
		err = docs.Put(ctx, k, r)
		r.Close()
		if err != nil {
			undoDocs()
			return nil, fmt.Errorf("restore document %s: %w", f.Name, err)
		}
	}
	undo := undoDocs
	if loc.Postgres {
		bin, err := exec.LookPath("pg_restore")
		if err != nil {
			return nil, jtai.Errorf(jtai.EINVALID, "jtai restore on PostgreSQL runs pg_restore, which is not installed here: install PostgreSQL's client tools (Debian: apt-get install postgresql-client)")
		}
		cmd := exec.CommandContext(ctx, bin, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname="+loc.URL, filepath.Join(dir, backupPostgres))
		if msg, err := cmd.CombinedOutput(); err != nil {
			undo() // one transaction: the database is as it was
			return nil, fmt.Errorf("pg_restore: %v: %s", err, strings.TrimSpace(string(msg)))
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(loc.Path), 0o700); err != nil {
			return nil, err
		}
		tmp := loc.Path + ".restoring"
		if err := copyFile(filepath.Join(dir, backupSQLite), tmp); err != nil {
			os.Remove(tmp)
			undo()
			return nil, err
		}
		if err := os.Rename(tmp, loc.Path); err != nil {
			undo()
			return nil, err
		}
		undo = func() {
			undoDocs()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(loc.Path + suffix)
			}
		}
	}
	db, err := Open(ctx, loc, master, clock)
	if err != nil {
		undo()
		return nil, fmt.Errorf("open the restored database: %w", err)
	}
	db.SetDocumentStore(docs)
	if _, err := db.Verify(ctx); err != nil {
		db.Close()
		if loc.Postgres {
			return nil, fmt.Errorf("the restored access log does not verify (the database is restored; inspect it before use, or drop it): %w", err)
		}
		undo()
		return nil, fmt.Errorf("the restored access log does not verify: %w", err)
	}
	// Past any generation a server could have read from this database
	// before: generations count writes, far below the time in microseconds.
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE generation SET n = ? WHERE id = 1 AND n < ?`), clock.Now().UnixMicro(), clock.Now().UnixMicro()); err != nil {
		db.Close()
		undo()
		return nil, err
	}
	e := *by
	e.Action, e.Resource = jtai.ActRestore, fmt.Sprintf("backup/%s", m.CreatedAt.Format(time.RFC3339))
	if err := db.Append(ctx, &e); err != nil {
		db.Close()
		undo()
		return nil, err
	}
	return db, nil
}

// targetEmpty refuses a restore over anything: a database with tables, or
// a document store that already holds one of the backup's documents.
func targetEmpty(ctx context.Context, loc Location, master *crypt.MasterKey, docs blob.Store, m *BackupManifest) error {
	if loc.Postgres {
		db, err := Connect(loc, master, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		var n int
		if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return restoreErrorf("The database to restore into is not empty (%d tables): restore into a new, empty database. Nothing was restored", n)
		}
	} else if fi, err := os.Stat(loc.Path); err == nil && fi.Size() > 0 {
		return restoreErrorf("The database %s exists: restore into a new file. Nothing was restored", loc.Path)
	}
	for _, f := range m.Files {
		if k, ok := strings.CutPrefix(f.Name, backupDocs); ok {
			r, err := docs.Get(ctx, k)
			if err == nil {
				r.Close()
				return restoreErrorf("The document store already holds %s: restore into an empty one. Nothing was restored", k)
			}
			if !jtai.IsKind(err, jtai.ENOTFOUND) {
				return fmt.Errorf("document store: %w", err)
			}
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
