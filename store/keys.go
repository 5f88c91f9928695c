package store

import (
	"context"
	"database/sql"
	"fmt"

	"jtai"
	"jtai/crypt"
)

// SystemScope is the data key of the system's own secrets (second factors).
const SystemScope = "system"

// InspectionScope is the data key scope of one inspection's personal data.
func InspectionScope(inspectionID int64) string { return fmt.Sprintf("inspection/%d", inspectionID) }

func (db *DB) needMaster() error {
	if db.master == nil {
		return jtai.Errorf(jtai.EINTERNAL, "no master key loaded")
	}
	return nil
}

// createDataKey makes and stores a new wrapped data key for scope.
func (db *DB) createDataKey(ctx context.Context, tx *Tx, scope string) error {
	if err := db.needMaster(); err != nil {
		return err
	}
	raw := crypt.NewDataKeyBytes()
	_, err := tx.exec(ctx, `INSERT INTO data_keys (scope, master_key_id, wrapped, created_at) VALUES (?, ?, ?, ?)`,
		scope, db.master.ID(), db.master.Wrap(raw, scope), db.clock.Now().UnixMicro())
	return db.translate(err)
}

// AuditScope is the data key under which the access log's chain is kept.
const AuditScope = "audit"

// ensureKeys makes the system's own data keys on a new database, and on
// any other checks that the master key it was given opens them. It runs
// with the migrations, outside any other transaction.
//
// A key is made only while the access log is empty: a missing key on a
// database that has been used was deleted, and making a new one would hide
// that (the log could no longer be verified, or second factors opened), so
// it is refused instead.
func (db *DB) ensureKeys(ctx context.Context) error {
	if db.master == nil {
		return nil
	}
	var used int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM access_log`).Scan(&used); err != nil {
		return err
	}
	for _, scope := range []string{SystemScope, AuditScope} {
		_, err := db.dataKeyVia(ctx, db, scope)
		switch {
		case err == nil:
			continue
		case !jtai.IsKind(err, jtai.ENOTFOUND):
			return err
		case used > 0:
			return fmt.Errorf("the database has no %s data key although it has been used (%d entries in the access log): it was deleted; restore the data_keys table from a backup (a new key would make the access log unverifiable)", scope, used)
		}
		err = db.WithTx(ctx, func(tx *Tx) error { return db.createDataKey(ctx, tx, scope) })
		if err != nil && !jtai.IsKind(err, jtai.ECONFLICT) {
			return err
		}
	}
	return nil
}

// dataKey returns the unwrapped data key of scope. It reads the key on
// every call, once per request under a request's keyring, or from the read
// cache within a request (cache.go); an erasure moves the generation on,
// so an erased key is gone for the next request of every process.
func (db *DB) dataKey(ctx context.Context, scope string) (*crypt.DataKey, error) {
	return cached(ctx, db, cacheKey{kind: "key", s: scope}, func() (*crypt.DataKey, error) {
		return db.dataKeyVia(ctx, db, scope)
	}, nil)
}

// rowQuerier is a DB or a Tx.
type rowQuerier interface {
	queryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// dataKeyVia reads the key through q, never from the read cache. Inside a
// transaction, pass the Tx:
// asking the pool for a second connection while holding one can exhaust
// the pool on PostgreSQL under load, and every request then waits.
//
// A request's keyring (crypt.WithKeyring) keeps the key for the rest of
// that request only.
func (db *DB) dataKeyVia(ctx context.Context, q rowQuerier, scope string) (*crypt.DataKey, error) {
	if err := db.needMaster(); err != nil {
		return nil, err
	}
	ring := crypt.KeyringFrom(ctx)
	if k, ok := ring.Get(scope); ok {
		return k, nil
	}
	var wrapped []byte
	var masterID string
	err := q.queryRow(ctx, `SELECT master_key_id, wrapped FROM data_keys WHERE scope = ?`, scope).Scan(&masterID, &wrapped)
	if err != nil {
		return nil, notFound(err, "No data key for %s", scope)
	}
	if wrapped == nil {
		return nil, jtai.Errorf(jtai.ENOTFOUND, "The personal data of %s has been erased", scope)
	}
	if masterID != db.master.ID() {
		return nil, fmt.Errorf("data key for %s is wrapped by master key %s, but key %s is loaded: use the key file it was made with, or finish the key rotation", scope, masterID, db.master.ID())
	}
	raw, err := db.master.Unwrap(wrapped, scope)
	if err != nil {
		return nil, fmt.Errorf("data key for %s does not open with master key %s: use the key file the database was made with: %w", scope, masterID, err)
	}
	k, err := crypt.NewDataKey(raw)
	if err == nil {
		ring.Put(scope, k)
	}
	return k, err
}

// DestroyDataKey erases the data key of scope for good: every field sealed
// under it becomes unreadable, while counts and the access log stay.
func (db *DB) DestroyDataKey(ctx context.Context, scope string, actor *jtai.AccessEntry) error {
	if scope == AuditScope || scope == SystemScope {
		return jtai.Errorf(jtai.EINVALID, "The %s key protects the service itself, not one inspection's data, and cannot be erased", scope)
	}
	crypt.KeyringFrom(ctx).Forget(scope)
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.update(ctx, "Data key", `UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE scope = ?`, db.clock.Now().UnixMicro(), scope); err != nil {
			return err
		}
		e := *actor
		e.Action, e.Resource = jtai.ActKeyDestroy, scope
		return db.appendTx(ctx, tx, &e)
	})
	return err
}

// RotateMasterKey rewraps every data key under next, in one transaction,
// without touching the data they protect. Afterwards the store uses next.
func (db *DB) RotateMasterKey(ctx context.Context, next *crypt.MasterKey, actor *jtai.AccessEntry) (int, error) {
	if err := db.needMaster(); err != nil {
		return 0, err
	}
	n := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		if db.dialect == postgresDialect {
			// No server may wrap a new key under the old master key
			// while this runs.
			if _, err := tx.exec(ctx, `LOCK TABLE data_keys IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		// Logged first, while the access log's key is still wrapped by the
		// key this process holds.
		e := *actor
		e.Action, e.Resource = jtai.ActKeyRotate, "master-key/"+next.ID()
		if err := db.appendTx(ctx, tx, &e); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT scope, master_key_id, wrapped FROM data_keys WHERE wrapped IS NOT NULL ORDER BY scope`))
		if err != nil {
			return err
		}
		type key struct {
			scope, masterID string
			wrapped         []byte
		}
		var keys []key
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.scope, &k.masterID, &k.wrapped); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			if k.masterID == next.ID() {
				continue // already rotated by an earlier, interrupted run
			}
			if k.masterID != db.master.ID() {
				return fmt.Errorf("data key for %s is wrapped by master key %s, neither the current key %s nor the new key", k.scope, k.masterID, db.master.ID())
			}
			raw, err := db.master.Unwrap(k.wrapped, k.scope)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE scope = ?`, next.ID(), next.Wrap(raw, k.scope), k.scope); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	db.master = next
	return n, nil
}
