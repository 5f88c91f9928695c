package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bulkTx is a write transaction on one connection that can also write many
// rows fast: prepared statements on SQLite, COPY on PostgreSQL (through the
// connection's pgx handle, inside the same transaction).
type bulkTx struct {
	*Tx
	conn    *sql.Conn
	ctx     context.Context
	tables  map[string]*bulkTable
	copyMax int
}

// bulkTable is one table being written in bulk.
type bulkTable struct {
	name string
	cols []string
	stmt *sql.Stmt // SQLite
	rows [][]any   // PostgreSQL: rows waiting for the next COPY
}

// withBulkTx runs fn in a write transaction on a connection of its own,
// committing when fn returns nil. Nothing fn wrote is visible to others
// before the commit, and nothing survives a rollback or a killed process.
func (db *DB) withBulkTx(ctx context.Context, fn func(*bulkTx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return db.translate(err)
	}
	defer conn.Close()
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.translate(err)
	}
	b := &bulkTx{Tx: &Tx{Tx: stx, db: db}, conn: conn, ctx: ctx, tables: map[string]*bulkTable{}, copyMax: 5000}
	err = fn(b)
	if err == nil {
		err = b.flush()
	}
	for _, t := range b.tables {
		if t.stmt != nil {
			t.stmt.Close()
		}
	}
	if err != nil {
		stx.Rollback()
		return err
	}
	return db.commit(ctx, b.Tx)
}

// add writes one row to table, now on SQLite, at the next COPY on
// PostgreSQL. Every call for a table must give the same columns.
func (b *bulkTx) add(table string, cols []string, vals ...any) error {
	t := b.tables[table]
	if t == nil {
		t = &bulkTable{name: table, cols: cols}
		if b.db.dialect == sqliteDialect {
			q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
			stmt, err := b.PrepareContext(b.ctx, q)
			if err != nil {
				return err
			}
			t.stmt = stmt
		}
		b.tables[table] = t
	}
	if t.stmt != nil {
		_, err := t.stmt.ExecContext(b.ctx, vals...)
		return b.db.translate(err)
	}
	t.rows = append(t.rows, vals)
	if len(t.rows) >= b.copyMax {
		return b.copy(t)
	}
	return nil
}

// flush writes every row still waiting; queries that read what was added
// must come after it.
func (b *bulkTx) flush() error {
	for _, t := range b.tables {
		if err := b.copy(t); err != nil {
			return err
		}
	}
	return nil
}

func (b *bulkTx) copy(t *bulkTable) error {
	if len(t.rows) == 0 {
		return nil
	}
	err := b.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk copy: connection is %T, not pgx", dc)
		}
		_, err := pc.Conn().CopyFrom(b.ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows))
		return err
	})
	t.rows = t.rows[:0]
	return b.db.translate(err)
}
