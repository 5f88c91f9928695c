package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	sql     string
}

func (db *DB) migrations() ([]Migration, error) {
	dir := path.Join("migrations", db.dialect.String())
	ents, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns nil when the schema is up to date. Several app
// servers may start at once: on PostgreSQL an advisory lock serialises them.
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.MigrateReport(ctx)
	return err
}

// MigrateReport is Migrate, returning the migrations it applied.
func (db *DB) MigrateReport(ctx context.Context) ([]Migration, error) {
	applied, err := db.migrateUpTo(ctx, -1)
	if err != nil {
		return applied, err
	}
	if err := db.ensureKeys(ctx); err != nil {
		return applied, err
	}
	return applied, db.sealSelections(ctx)
}

// migrateUpTo applies the migrations not yet applied up to version last
// (every one when last is negative): tests stop there to write data in an
// older schema and see it carried across.
func (db *DB) migrateUpTo(ctx context.Context, last int) ([]Migration, error) {
	ms, err := db.migrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []Migration
	for _, m := range ms {
		if last >= 0 && m.Version > last {
			break
		}
		// The generation table may not exist yet: it moves on once every
		// migration is in.
		err := db.withUncachedTx(ctx, func(tx *Tx) error {
			if db.dialect == postgresDialect {
				if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7400721)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, db.clock.Now().UnixMicro()); err != nil {
				return err
			}
			applied = append(applied, m)
			return nil
		})
		if err != nil {
			return applied, errors.Join(fmt.Errorf("migration %s: %w", m.Name, err), db.migrated(ctx, applied))
		}
	}
	return applied, db.migrated(ctx, applied)
}

// migrated moves the generation on once migrations have been applied, if
// the schema has it yet: a migration may change what another process has
// cached.
func (db *DB) migrated(ctx context.Context, applied []Migration) error {
	if len(applied) == 0 {
		return nil
	}
	if ready, err := db.hasGeneration(ctx); err != nil || !ready {
		return err
	}
	return db.WithTx(ctx, func(*Tx) error { return nil })
}

// generationMigration is the migration that makes the generation table.
const generationMigration = 10
