package store

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

func (db *DB) openPostgres(url string) error {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return fmt.Errorf("open PostgreSQL: %w", err)
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(10)
	if err := p.Ping(); err != nil {
		p.Close()
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db.dialect, db.w, db.r = postgresDialect, p, p
	return nil
}
