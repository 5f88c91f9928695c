package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

func isPostgresUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func isUniqueViolation(err error) bool { return isSQLiteUnique(err) || isPostgresUnique(err) }
