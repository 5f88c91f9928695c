package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The read cache keeps, in this process, what the pages read again and
// again and the partnership and inspectors change seldom: inspections,
// agencies, the lists imported, documents, the joint audits' progress, the
// data keys, children's sealed records. Each entry belongs to a generation
// of the database (the one row of the generation table), which every write
// transaction moves on in the same transaction as its writes, whichever
// process writes (a server, or a console command); the few that write only
// what the cache never keeps (the access log, sessions, sign-in failures,
// the outbox) leave it be.
//
// A request reads the generation once, with its session (FindSessionUser)
// or, failing that, at its first cached read, and the cache answers it only
// from entries of that generation. What it loads after reading the
// generation is at least as new as the generation, so an entry is never
// older than the generation it is kept under. A request that writes moves
// on to the generation its write made, so it reads its own writes. Outside
// a request (WithRequest) nothing is cached: every read goes to the
// database.
//
// Personal fields stay sealed in the cache as on disk: the cache keeps the
// rows as read, and each read opens them again. An erased data key is gone
// for the next request of every process, as the erasure moves the
// generation on.
//
// Whatever the generation, the cache starts again empty once it is
// maxCacheAge old, so that a change made outside jtai (an edit in psql, a
// server of an older version during an upgrade, a restored backup whose
// generation is lower) is seen within that time; a repair made by hand
// is seen at once after UPDATE generation SET n = n + 1. That also bounds
// how long an unwrapped data key stays in memory after it was last read.
type readCache struct {
	mu    sync.Mutex
	gen   int64
	m     map[cacheKey]any
	since time.Time // when m was started
	bytes int       // roughly what m holds

	hits, misses atomic.Int64
}

// cacheKey names an entry: what it is and the ids it is of.
type cacheKey struct {
	kind string
	a, b int64
	s    string
}

// maxCacheAge is how long the cache answers before it starts again.
var maxCacheAge = 30 * time.Second

const (
	// maxCacheBytes bounds the cache, roughly: past it, it starts again
	// empty.
	maxCacheBytes = 32 << 20
	// entryBytes is what put counts for an entry of no given size.
	entryBytes = 1 << 10
)

// get returns the entry of key at generation gen. A newer generation
// empties the cache first: nothing of an older one is ever answered again.
func (c *readCache) get(gen int64, key cacheKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(gen)
	v, ok := c.m[key]
	if gen != c.gen {
		ok = false // a request still on an older generation reads for itself
	}
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// put keeps v, of about size bytes (0: entryBytes), as the entry of key
// at generation gen, unless the cache has moved on past gen.
func (c *readCache) put(gen int64, key cacheKey, v any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(gen)
	if gen != c.gen {
		return
	}
	if size <= 0 {
		size = entryBytes
	}
	if c.bytes+size > maxCacheBytes {
		clear(c.m)
		c.bytes = 0
	}
	c.m[key] = v
	c.bytes += size
}

// advance starts the cache again at gen when gen is newer than what it
// holds, or what it holds is maxCacheAge old.
func (c *readCache) advance(gen int64) {
	if c.m == nil || gen > c.gen || time.Since(c.since) > maxCacheAge {
		c.gen, c.m, c.since, c.bytes = gen, map[cacheKey]any{}, time.Now(), 0
	}
}

// request is what one request's reads share: the generation it saw.
type request struct {
	mu    sync.Mutex
	gen   int64
	known bool
}

type requestKey struct{}

// WithRequest returns a context for one request, whose reads may be
// answered from the read cache at the generation the request first sees.
func (db *DB) WithRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, &request{})
}

func requestFrom(ctx context.Context) *request {
	r, _ := ctx.Value(requestKey{}).(*request)
	return r
}

// see records that the request has seen generation gen: the first
// generation it reads, or a newer one its own write made.
func (r *request) see(gen int64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.known || gen > r.gen {
		r.gen, r.known = gen, true
	}
}

// generation returns the generation the request of ctx reads at, reading
// it from the database if the request has not seen one yet; false outside
// a request.
func (db *DB) generation(ctx context.Context) (int64, bool, error) {
	r := requestFrom(ctx)
	if r == nil {
		return 0, false, nil
	}
	r.mu.Lock()
	gen, known := r.gen, r.known
	r.mu.Unlock()
	if known {
		return gen, true, nil
	}
	err := db.queryRow(ctx, `SELECT n FROM generation WHERE id = 1`).Scan(&gen)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil // no generation yet: read from the database
	}
	if err != nil {
		return 0, false, db.translate(err)
	}
	r.see(gen)
	return gen, true, nil
}

// cached returns the entry of key at the request's generation, or loads it
// with load and keeps it. clone gives each caller a value of its own, so
// that no caller changes what another reads; nil when T needs none.
func cached[T any](ctx context.Context, db *DB, key cacheKey, load func() (T, error), clone func(T) T) (T, error) {
	gen, ok, err := db.generation(ctx)
	if err != nil || !ok {
		if err != nil {
			var zero T
			return zero, err
		}
		return load()
	}
	if v, ok := db.cache.get(gen, key); ok {
		if clone != nil {
			return clone(v.(T)), nil
		}
		return v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	db.cache.put(gen, key, v, 0)
	if clone != nil {
		return clone(v), nil
	}
	return v, nil
}

// bumpGeneration moves the generation on inside tx, as its last statement
// before the commit: on PostgreSQL the row stays locked only while the
// transaction commits. A missing row is made again.
func (db *DB) bumpGeneration(ctx context.Context, tx *Tx) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `INSERT INTO generation (id, n) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET n = generation.n + 1 RETURNING n`).Scan(&n)
	return n, db.translate(err)
}

// hasGeneration says whether the schema has the generation table yet.
func (db *DB) hasGeneration(ctx context.Context) (bool, error) {
	var n int
	err := db.w.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), generationMigration).Scan(&n)
	return n > 0, err
}

// clonePointers copies a slice of pointers to plain structs, and the
// structs.
func clonePointers[T any](ps []*T) []*T {
	out := make([]*T, len(ps))
	for i, p := range ps {
		c := *p
		out[i] = &c
	}
	return out
}
