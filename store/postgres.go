package store

import (
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// pgConns bounds the connections one app server opens to PostgreSQL.
const pgConns = 20

func (db *DB) openPostgres(url string) error {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return fmt.Errorf("open PostgreSQL: %w", err)
	}
	// Keep every connection the pool may open: under load, closing the
	// ones over an idle limit only to open them again costs a backend
	// start each time. Idle ones are closed after a while.
	p.SetMaxOpenConns(pgConns)
	p.SetMaxIdleConns(pgConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.Ping(); err != nil {
		p.Close()
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db.dialect, db.w, db.r = postgresDialect, p, p
	return nil
}
