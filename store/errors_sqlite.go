package store

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return -1
}

func isSQLiteUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// sqliteKind classifies an SQLite error by its extended result code.
func sqliteKind(err error) dbFailure {
	c := sqliteCode(err)
	switch {
	case c < 0:
		return failOther
	case isSQLiteUnique(err):
		return failUnique
	case c == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return failForeignKey
	case c == sqlite3.SQLITE_CONSTRAINT_NOTNULL, c == sqlite3.SQLITE_CONSTRAINT_CHECK:
		return failConstraint
	case c&0xff == sqlite3.SQLITE_BUSY, c&0xff == sqlite3.SQLITE_LOCKED:
		return failContention
	case c&0xff == sqlite3.SQLITE_IOERR, c&0xff == sqlite3.SQLITE_CANTOPEN, c&0xff == sqlite3.SQLITE_FULL:
		return failConnection
	}
	return failOther
}
