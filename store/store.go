// Package store implements jtai's storage interfaces over database/sql, on
// SQLite (embedded, the default) and PostgreSQL (production). Dialect
// differences stay inside this package: queries are written once with ?
// placeholders, and the migrations are numbered SQL files per dialect.
//
// Personal data is sealed (package crypt) before it is written and opened
// after it is read; the store never writes a child's personal field in
// plaintext, and never logs one.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"jtai"
	"jtai/crypt"
)

type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// DefaultPath is where the embedded database lives when none is given.
const DefaultPath = "./jtai-data/jtai.db"

// DB is jtai's database. On SQLite it keeps one connection for writes (SQLite
// allows one writer) and a small pool for reads; on PostgreSQL both are the
// same pool.
type DB struct {
	dialect dialect
	w       *sql.DB
	r       *sql.DB
	Path    string // the SQLite file, empty on PostgreSQL
	url     string // the PostgreSQL URL, for pg_dump

	master   *crypt.MasterKey
	clock    jtai.Clock
	screener jtai.Screener // keeps each inspection's screening (screening.go)

	queries sync.Map  // query with ? -> rebound query
	reads   stmtCache // SQLite's prepared statements on the read pool
	writes  stmtCache // and on the writer

	blobs documentBlobs // where documents' sealed bytes go (document.go)

	appenderOnce sync.Once              // starts the access log's appender (accesslog.go)
	appends      chan appendRequest     // entries waiting for a group commit
	head         logHead                // where the appender last left the chain
	chainKey     atomic.Pointer[[]byte] // the access log's chain key, once read (accesslog.go)
	quit         chan struct{}          // closed by Close
	closeOnce    sync.Once

	imports     chan struct{} // a turn to import each (import.go)
	importsOnce sync.Once

	counts counts    // what this DB has done, for metrics (counts.go)
	cache  readCache // what the pages read again and again (cache.go)
}

// Location is a parsed --db value.
type Location struct {
	Postgres bool
	Path     string // SQLite file
	URL      string // PostgreSQL URL
}

// ParseLocation reads a --db value: a file path, sqlite:PATH, or a
// postgres:// URL. An empty value means DefaultPath.
func ParseLocation(s string) (Location, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Location{Path: DefaultPath}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return Location{}, fmt.Errorf("database URL is malformed: %v", redactURLError(err))
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return Location{}, errors.New("database URL has no host: write it like postgres://user@localhost:5432/jtai")
		}
		if strings.Trim(u.Path, "/") == "" {
			return Location{}, errors.New("database URL has no database name: write it like postgres://user@localhost:5432/jtai")
		}
		return Location{Postgres: true, URL: s}, nil
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(s, "sqlite:"), "//")
		if p == "" {
			return Location{}, errors.New("sqlite: needs a file path, like sqlite:./jtai-data/jtai.db")
		}
		return Location{Path: p}, nil
	case strings.Contains(s, "://"):
		scheme, _, _ := strings.Cut(s, "://")
		return Location{}, fmt.Errorf("database %q is not supported: use a file path, sqlite:PATH or postgres://", scheme+"://...")
	}
	return Location{Path: s}, nil
}

// redactURLError drops the URL (which may hold a password) from a parse error.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Open connects to the database at loc and applies migrations. master may
// be nil for commands that touch no personal data.
func Open(ctx context.Context, loc Location, master *crypt.MasterKey, clock jtai.Clock) (*DB, error) {
	db, err := Connect(loc, master, clock)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Connect connects to the database at loc without migrating it.
func Connect(loc Location, master *crypt.MasterKey, clock jtai.Clock) (*DB, error) {
	if clock == nil {
		clock = jtai.SystemClock{}
	}
	db := &DB{master: master, clock: clock, quit: make(chan struct{})}
	var err error
	if loc.Postgres {
		db.url = loc.URL
		err = db.openPostgres(loc.URL)
	} else {
		err = db.openSQLite(loc.Path)
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

func (db *DB) openSQLite(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create database directory: %w", err)
		}
	}
	// Create the file private before SQLite does; its journal files take
	// the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	db.dialect, db.Path = sqliteDialect, path
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		w.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	db.w, db.r = w, r
	if err := w.Ping(); err != nil {
		db.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	return nil
}

// Close stops the access log's appender and closes the connections.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.quit) })
	err := db.w.Close()
	if db.r != db.w {
		if err2 := db.r.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Dialect names the database kind: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.String() }

// Ping checks the database answers; for readiness checks.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Ready reports whether the store can serve: the database answers, every
// migration this build knows is applied, the master key opens the data
// keys, and the document store answers. It writes nothing.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	var applied int
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if want := ms[len(ms)-1].Version; applied < want {
		return fmt.Errorf("migrations: the database is at %d, this build needs %d: run jtai migrate", applied, want)
	}
	if _, err := db.dataKeyVia(ctx, db, SystemScope); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	docs, err := db.documentStore()
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	r, err := docs.Get(ctx, "readyz/probe")
	if err == nil {
		r.Close()
	} else if !jtai.IsKind(err, jtai.ENOTFOUND) {
		return fmt.Errorf("documents: %w", err)
	}
	return nil
}

// Clock is the store's clock.
func (db *DB) Clock() jtai.Clock { return db.clock }

// q rewrites ? placeholders to $n for PostgreSQL. Queries hold no ? in
// string literals.
func (db *DB) q(query string) string {
	if db.dialect != postgresDialect {
		return query
	}
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	db.queries.Store(query, b.String())
	return b.String()
}

// Tx is a write transaction.
type Tx struct {
	*sql.Tx
	db     *DB
	logged int  // access log entries appended in it, counted once it commits
	same   bool // it writes nothing the read cache keeps: the generation stays
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.db.writes.ready(tx.db, query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, tx.db.q(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.db.writes.ready(tx.db, query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, tx.db.q(query), args...)
}

// insert runs an INSERT ... RETURNING id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, tx.db.translate(err)
}

// update runs an UPDATE and returns ENOTFOUND when it changed no row.
func (tx *Tx) update(ctx context.Context, what, query string, args ...any) error {
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return tx.db.translate(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return jtai.Errorf(jtai.ENOTFOUND, "%s not found", what)
	}
	return nil
}

// WithTx runs fn in a write transaction, committing when fn returns nil.
// The transaction moves the generation on (cache.go).
func (db *DB) WithTx(ctx context.Context, fn func(*Tx) error) error {
	return db.withTx(ctx, false, fn)
}

// withUncachedTx is WithTx for a transaction that writes only tables the
// read cache never keeps (the access log, sessions, sign-in failures, the
// outbox, when an API token was last used): it leaves the generation be,
// so the cache stays warm.
func (db *DB) withUncachedTx(ctx context.Context, fn func(*Tx) error) error {
	return db.withTx(ctx, true, fn)
}

func (db *DB) withTx(ctx context.Context, same bool, fn func(*Tx) error) error {
	db.writes.prepareWanted(ctx, db)
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return db.translate(err)
	}
	tx := &Tx{Tx: stx, db: db, same: same}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return db.translate(err)
	}
	return db.translate(db.commit(ctx, tx))
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.reads.get(ctx, db, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.reads.get(ctx, db, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, db.translate(err)
	}
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	return rows, db.translate(err)
}

// stmtCache keeps SQLite's prepared statements, which its driver would
// otherwise prepare again on every query: parsing and planning were a
// sixth of a page's time. PostgreSQL's driver keeps its own per
// connection. Statements are kept up to a bound, past which a query is
// prepared each time as before.
//
// On the read pool a statement is prepared when first asked for. The
// writer has one connection, which a transaction holds while it runs, so
// a write statement is prepared only between transactions: a transaction
// asks for it (ready), runs it unprepared the first time, and the next
// transaction prepares it before it begins (prepareWanted).
type stmtCache struct {
	stmts  sync.Map // query -> *sql.Stmt
	n      atomic.Int32
	wanted sync.Map // query -> struct{}: to prepare before the next write
}

const maxCachedStmts = 512

// get returns the prepared statement of query on the read pool, or nil to
// run the query unprepared: on PostgreSQL, past the bound, or if preparing
// fails (the query then fails with the reason).
func (c *stmtCache) get(ctx context.Context, db *DB, query string) *sql.Stmt {
	if db.dialect == postgresDialect {
		return nil
	}
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	return c.prepare(ctx, db.r, query)
}

func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	if c.n.Load() >= maxCachedStmts {
		return nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := c.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

// ready returns the writer's prepared statement of query if there is one,
// and otherwise asks for it to be prepared before the next transaction.
// Only row statements are kept: schema changes run once.
func (c *stmtCache) ready(db *DB, query string) *sql.Stmt {
	if db.dialect == postgresDialect {
		return nil
	}
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if c.n.Load() < maxCachedStmts && rowStatement(query) {
		c.wanted.Store(query, struct{}{})
	}
	return nil
}

// prepareWanted prepares the write statements asked for, while no
// transaction holds the writer.
func (c *stmtCache) prepareWanted(ctx context.Context, db *DB) {
	if db.dialect == postgresDialect {
		return
	}
	c.wanted.Range(func(q, _ any) bool {
		c.wanted.Delete(q)
		c.prepare(ctx, db.w, q.(string))
		return true
	})
}

func rowStatement(query string) bool {
	q := strings.TrimSpace(query)
	for _, verb := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} {
		if len(q) >= len(verb) && strings.EqualFold(q[:len(verb)], verb) {
			return true
		}
	}
	return false
}

// dbFailure is what a driver error means for the domain.
type dbFailure int

const (
	failOther      dbFailure = iota
	failUnique               // a unique key taken
	failForeignKey           // a reference to a row that is not there
	failConstraint           // a NOT NULL or CHECK constraint: a fault of ours
	failContention           // serialization failure, deadlock, busy
	failConnection           // the database cannot be reached, or went away
)

// translate turns driver errors into the domain's kinds, once, here, for
// both databases (errors_sqlite.go, errors_postgres.go). An *jtai.Error
// passes through. A failure of the database is never "not found": only
// sql.ErrNoRows is.
func (db *DB) translate(err error) error {
	var de *jtai.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return jtai.Errorf(jtai.ENOTFOUND, "Not found")
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return &jtai.Error{Kind: jtai.EUNAVAILABLE, Message: unavailable, Err: err}
	}
	kind := sqliteKind(err)
	if kind == failOther {
		kind = postgresKind(err)
	}
	switch kind {
	case failUnique:
		return &jtai.Error{Kind: jtai.ECONFLICT, Message: "That already exists", Err: err}
	case failForeignKey:
		return &jtai.Error{Kind: jtai.ECONFLICT, Message: "That refers to something that is no longer there: reload the page and try again", Err: err}
	case failContention:
		return &jtai.Error{Kind: jtai.ECONFLICT, Message: "Someone else was changing this at the same moment, so nothing was changed: try again", Err: err}
	case failConnection:
		return &jtai.Error{Kind: jtai.EUNAVAILABLE, Message: unavailable, Err: err}
	case failConstraint:
		return &jtai.Error{Kind: jtai.EINTERNAL, Message: "A value the database needs is missing or not allowed", Err: err}
	}
	return err
}

// taken reports whether err is a unique key already taken (translated or
// not): a conflict that other references, such as a foreign key, are not.
func taken(err error) bool {
	return err != nil && (sqliteKind(err) == failUnique || postgresKind(err) == failUnique)
}

const unavailable = "jtai cannot reach its database just now, so nothing was changed. Try again in a few minutes"

// notFound gives sql.ErrNoRows a domain message naming what was looked for.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return jtai.Errorf(jtai.ENOTFOUND, format, args...)
	}
	return err
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// collect scans every row of a query with scan, closing the rows.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// placeholders returns "?, ?, ?" for n values, for an IN list.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(", ?", n)[2:]
}

// int64Args turns ids into query arguments.
func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// shownAs is how pages name the actor of a change: by name where the
// entry gives one, else as the log does.
// byName is shownAs, or "" when no one is named.
func byName(by *jtai.AccessEntry) string {
	if by == nil {
		return ""
	}
	return shownAs(by)
}

func shownAs(by *jtai.AccessEntry) string {
	if by.ActorName != "" {
		return by.ActorName
	}
	return by.Actor
}
