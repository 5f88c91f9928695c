package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL's SQLSTATE codes for what translate tells apart.
const (
	pgUnique        = "23505"
	pgForeignKey    = "23503"
	pgNotNull       = "23502"
	pgCheck         = "23514"
	pgSerialization = "40001"
	pgDeadlock      = "40P01"
)

func postgresCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func isPostgresUnique(err error) bool { return postgresCode(err) == pgUnique }

// postgresKind classifies a PostgreSQL error: class 08 is a connection
// exception and 57P01-57P03 a server shutting down or not accepting
// connections; a connection cut mid-way (pgconn's SafeToRetry) too.
func postgresKind(err error) dbFailure {
	code := postgresCode(err)
	switch {
	case code == pgUnique:
		return failUnique
	case code == pgForeignKey:
		return failForeignKey
	case code == pgNotNull, code == pgCheck:
		return failConstraint
	case code == pgSerialization, code == pgDeadlock:
		return failContention
	case len(code) == 5 && code[:2] == "08", code == "57P01", code == "57P02", code == "57P03":
		return failConnection
	case code == "" && pgconn.SafeToRetry(err):
		return failConnection
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return failConnection
	}
	return failOther
}
