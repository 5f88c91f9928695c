package store

import (
	"context"
	"fmt"

	"jtai"
	"jtai/authz"
)

// The opening reads: the only exported ways to a child's record, an audit
// part's answers, a document's content or the team's evidence (evidence.go,
// evidence_draft.go). Each takes a grant, which only
// authz.Permit makes, and writes the grant's access-log entries, saying
// whether the record was there, before anything it opened is returned. The
// guarded service (package guard) is their one caller outside the store.

// logGrant appends g's entries with the outcome of the read that err is.
// A grant not made by the policy opens nothing.
func (db *DB) logGrant(ctx context.Context, g authz.Grant, inspectionID int64, err error) error {
	if !g.Valid() || g.InspectionID() != inspectionID {
		return jtai.Errorf(jtai.EFORBIDDEN, "No grant from the policy for inspection %d", inspectionID)
	}
	entries := g.Entries()
	if err != nil {
		for _, e := range entries {
			e.Outcome = "failed: " + jtai.ErrorKind(err)
		}
	}
	if lerr := db.Append(ctx, entries...); lerr != nil {
		return fmt.Errorf("log the read: %w", lerr)
	}
	return err
}

// checkGrant refuses a grant the policy did not make, before any read.
func checkGrant(g authz.Grant) error {
	if !g.Valid() {
		return jtai.Errorf(jtai.EFORBIDDEN, "No grant from the policy")
	}
	return nil
}

// opened runs read under g: the grant is checked, the read done, its
// entries logged with the outcome, and only then is the result returned.
func opened[T any](ctx context.Context, db *DB, g authz.Grant, read func(inspectionID int64) (T, error)) (T, error) {
	var zero T
	if err := checkGrant(g); err != nil {
		return zero, err
	}
	v, err := read(g.InspectionID())
	if err := db.logGrant(ctx, g, g.InspectionID(), err); err != nil {
		return zero, err
	}
	return v, nil
}

// OpenChild returns one child of the grant's inspection.
func (db *DB) OpenChild(ctx context.Context, g authz.Grant, childID int64) (*jtai.Child, error) {
	return opened(ctx, db, g, func(in int64) (*jtai.Child, error) { return db.childByID(ctx, in, childID) })
}

// OpenChildren returns children of the grant's inspection in the order of
// ids; ENOTFOUND if any is not the inspection's.
func (db *DB) OpenChildren(ctx context.Context, g authz.Grant, ids []int64) ([]*jtai.Child, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.Child, error) { return db.childrenByID(ctx, in, ids) })
}

// OpenChildNames returns the names (Child.FullName) of children of the
// grant's inspection in the order of ids, opening no more of their records.
func (db *DB) OpenChildNames(ctx context.Context, g authz.Grant, ids []int64) ([]string, error) {
	return opened(ctx, db, g, func(in int64) ([]string, error) { return db.childNames(ctx, in, ids) })
}

// OpenChildByLAChildID finds a child of the grant's inspection by the
// local authority's identifier, through the blind index.
func (db *DB) OpenChildByLAChildID(ctx context.Context, g authz.Grant, laChildID string) (*jtai.Child, error) {
	return opened(ctx, db, g, func(in int64) (*jtai.Child, error) { return db.childByLAChildID(ctx, in, laChildID) })
}

// OpenChildPage returns a page of the grant's inspection's children, in
// the order they were stored.
func (db *DB) OpenChildPage(ctx context.Context, g authz.Grant, offset, limit int) ([]*jtai.Child, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.Child, error) { return db.listChildren(ctx, in, offset, limit) })
}

// OpenAllChildren returns every child on the grant's inspection's lists,
// for screening and selection.
func (db *DB) OpenAllChildren(ctx context.Context, g authz.Grant) ([]*jtai.Child, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.Child, error) {
		n, err := db.CountChildren(ctx, in)
		if err != nil {
			return nil, err
		}
		return db.listChildren(ctx, in, 0, n)
	})
}

// OpenAuditParts returns the named parts of the grant's inspection with
// their answers, in the order of keys; ENOTFOUND if any is missing.
func (db *DB) OpenAuditParts(ctx context.Context, g authz.Grant, keys []jtai.AuditPartKey) ([]*jtai.AuditPart, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.AuditPart, error) { return db.auditParts(ctx, in, keys) })
}

// OpenDocument returns a document version's content, opened.
func (db *DB) OpenDocument(ctx context.Context, g authz.Grant, d *jtai.Document) ([]byte, error) {
	return opened(ctx, db, g, func(in int64) ([]byte, error) {
		if d.InspectionID != in {
			return nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		return db.documentContent(ctx, d)
	})
}

// OpenChildAudit returns the name of a child of the grant's inspection and
// the named parts of its joint audit with their answers, in the order of
// keys, under one grant: the view and the reads are logged together.
func (db *DB) OpenChildAudit(ctx context.Context, g authz.Grant, childID int64, keys []jtai.AuditPartKey) (string, []*jtai.AuditPart, error) {
	type audit struct {
		name  string
		parts []*jtai.AuditPart
	}
	a, err := opened(ctx, db, g, func(in int64) (audit, error) {
		names, err := db.childNames(ctx, in, []int64{childID})
		if err != nil {
			return audit{}, err
		}
		parts, err := db.auditParts(ctx, in, keys)
		return audit{names[0], parts}, err
	})
	return a.name, a.parts, err
}
