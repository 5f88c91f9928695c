package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/authz"
	"jtai/crypt"
)

var _ jtai.EvidenceService = (*DB)(nil)

func evidenceAAD(inspectionID, evidenceID int64) string {
	return fmt.Sprintf("inspection/%d/evidence/%d/note", inspectionID, evidenceID)
}

// RecordEvidence keeps an evidence record, after checking every field
// against the inspection: a problem with any is a field error and nothing
// is written. The record and its log entry land in one transaction.
func (db *DB) RecordEvidence(ctx context.Context, e *jtai.Evidence, known func(id string) bool, by *jtai.AccessEntry) error {
	if errs := checkEvidence(e, known); len(errs) > 0 {
		return jtai.Invalid(errs...)
	}
	k, err := db.dataKey(ctx, InspectionScope(e.InspectionID))
	if err != nil {
		return err
	}
	e.RecordedAt, e.RecordedBy = db.stamp(by)
	return db.withWritable(ctx, e.InspectionID, func(tx *Tx) error {
		if errs := evidenceFacts(ctx, tx, e); len(errs) > 0 {
			return jtai.Invalid(errs...)
		}
		var child any
		if e.ChildID != 0 {
			child = e.ChildID
		}
		id, err := tx.insert(ctx, `INSERT INTO evidence (inspection_id, kind, happened_on, inspector_id, inspectorate, agencies, child_id, criteria, polarity, agreement, sealed_note, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.InspectionID, e.Kind, e.On.Format(time.DateOnly), e.InspectorID, e.Inspectorate, joinIDs(e.AgencyIDs), child,
			strings.Join(e.Criteria, " "), e.Polarity, e.Agreement, []byte{}, e.RecordedBy, e.RecordedAt.UnixMicro())
		if err != nil {
			return err
		}
		e.ID = id
		// Sealed once the id is known: the note is bound to its record.
		if err := tx.update(ctx, "Evidence", `UPDATE evidence SET sealed_note = ? WHERE id = ?`, sealEvidence(k, e), id); err != nil {
			return err
		}
		if by != nil && by.ActorID != 0 {
			// The draft it was written from is done with.
			if _, err := tx.exec(ctx, `DELETE FROM evidence_drafts WHERE inspection_id = ? AND user_id = ?`, e.InspectionID, by.ActorID); err != nil {
				return err
			}
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActEvidenceRecord, fmt.Sprintf("inspection/%d/evidence/%d", e.InspectionID, id), "ok"))
	})
}

func sealEvidence(k *crypt.DataKey, e *jtai.Evidence) []byte {
	return k.Seal([]byte(e.Note), []byte(evidenceAAD(e.InspectionID, e.ID)))
}

// checkEvidence finds the problems with e that need no database.
func checkEvidence(e *jtai.Evidence, known func(string) bool) []jtai.FieldError {
	var errs []jtai.FieldError
	if !e.Kind.Valid() {
		errs = append(errs, jtai.FieldError{Field: "kind", Message: "Select the kind of activity"})
	}
	if e.On.IsZero() {
		errs = append(errs, jtai.FieldError{Field: "on", Message: "Enter the date of the activity"})
	}
	if e.InspectorID == 0 {
		errs = append(errs, jtai.FieldError{Field: "inspector", Message: "Select the inspector who did it"})
	}
	if e.Kind.AboutChild() && e.ChildID == 0 {
		errs = append(errs, jtai.FieldError{Field: "child", Message: "Select the child it is about"})
	}
	if len(e.AgencyIDs) == 0 {
		errs = append(errs, jtai.FieldError{Field: "agencies", Message: "Select at least one agency the evidence concerns"})
	}
	if len(e.Criteria) == 0 {
		errs = append(errs, jtai.FieldError{Field: "criteria", Message: "Select at least one criterion or focus area the evidence bears on"})
	}
	for _, c := range e.Criteria {
		if known == nil || !known(c) {
			errs = append(errs, jtai.FieldError{Field: "criteria", Message: fmt.Sprintf("The theme has no criterion or focus area %q", c)})
			break
		}
	}
	switch {
	case e.Kind == jtai.EvidenceAuditReview && !e.Agreement.Valid():
		errs = append(errs, jtai.FieldError{Field: "agreement", Message: "Select whether the inspectors agree with the partnership's audit"})
	case e.Kind != jtai.EvidenceAuditReview && e.Agreement != "":
		errs = append(errs, jtai.FieldError{Field: "agreement", Message: "Say whether the inspectors agree only on an evaluation of the partnership's audit"})
	}
	if !e.Polarity.Valid() {
		errs = append(errs, jtai.FieldError{Field: "polarity", Message: "Select whether it shows a strength, an area for improvement or context"})
	}
	if strings.TrimSpace(e.Note) == "" {
		errs = append(errs, jtai.FieldError{Field: "note", Message: "Enter the note"})
	} else if fe := jtai.CheckText("note", "The note", e.Note, jtai.MaxEvidenceNote, true); fe != nil {
		errs = append(errs, *fe)
	}
	return errs
}

// evidenceFacts checks e against the inspection as it stands in tx: the
// inspector on its team (their inspectorate taken from their account),
// the child in its selection now, the agencies its area's.
func evidenceFacts(ctx context.Context, tx *Tx, e *jtai.Evidence) []jtai.FieldError {
	var errs []jtai.FieldError
	var inspectorate string
	err := tx.queryRow(ctx, `SELECT u.inspectorate FROM inspection_team t JOIN users u ON u.id = t.user_id WHERE t.inspection_id = ? AND t.user_id = ?`,
		e.InspectionID, e.InspectorID).Scan(&inspectorate)
	if err != nil {
		errs = append(errs, jtai.FieldError{Field: "inspector", Message: "Select an inspector on this inspection's team"})
	}
	e.Inspectorate = jtai.Inspectorate(inspectorate)
	if e.ChildID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM selected_children WHERE inspection_id = ? AND child_id = ? AND removed_at IS NULL`, e.InspectionID, e.ChildID).Scan(&n); err != nil || n == 0 {
			errs = append(errs, jtai.FieldError{Field: "child", Message: "Select a child in this inspection's selection for case tracking or sampling"})
		}
	}
	for _, a := range e.AgencyIDs {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM agencies WHERE id = ? AND area_id = (SELECT area_id FROM inspections WHERE id = ?)`, a, e.InspectionID).Scan(&n); err != nil || n == 0 {
			errs = append(errs, jtai.FieldError{Field: "agencies", Message: "Select agencies of this inspection's area"})
			break
		}
	}
	return errs
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, " ")
}

func splitIDs(s string) []int64 {
	var ids []int64
	for _, f := range strings.Fields(s) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// OpenEvidence returns the evidence records of the grant's inspection,
// newest first, with their notes.
func (db *DB) OpenEvidence(ctx context.Context, g authz.Grant) ([]*jtai.Evidence, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.Evidence, error) { return db.evidence(ctx, in, 0, true) })
}

// OpenEvidenceTags returns the evidence records of the grant's inspection
// without their notes (what each bears on, for the evidence picture):
// nothing sealed is opened.
func (db *DB) OpenEvidenceTags(ctx context.Context, g authz.Grant) ([]*jtai.Evidence, error) {
	return opened(ctx, db, g, func(in int64) ([]*jtai.Evidence, error) { return db.evidence(ctx, in, 0, false) })
}

// OpenChildEvidence returns the evidence records on one selected child of
// the grant's inspection, newest first, with their notes.
func (db *DB) OpenChildEvidence(ctx context.Context, g authz.Grant, childID int64) ([]*jtai.Evidence, error) {
	if childID == 0 {
		return nil, jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	return opened(ctx, db, g, func(in int64) ([]*jtai.Evidence, error) { return db.evidence(ctx, in, childID, true) })
}

// evidence reads an inspection's records, or one child's (childID not 0),
// with their notes or without.
func (db *DB) evidence(ctx context.Context, inspectionID, childID int64, notes bool) ([]*jtai.Evidence, error) {
	var k *crypt.DataKey
	note := `NULL`
	if notes {
		var err error
		if k, err = db.dataKey(ctx, InspectionScope(inspectionID)); err != nil {
			return nil, err
		}
		note = `e.sealed_note`
	}
	q := `SELECT e.id, e.kind, e.happened_on, e.inspector_id, COALESCE(u.name, ''), e.inspectorate, e.agencies, COALESCE(e.child_id, 0), e.criteria, e.polarity, e.agreement, ` + note + `, e.recorded_by, e.recorded_at
		FROM evidence e LEFT JOIN users u ON u.id = e.inspector_id WHERE e.inspection_id = ?`
	args := []any{inspectionID}
	if childID != 0 {
		q += ` AND e.child_id = ?`
		args = append(args, childID)
	}
	rows, err := db.query(ctx, q+` ORDER BY e.happened_on DESC, e.id DESC`, args...)
	out, err := collect(rows, err, func(s scanner) (*jtai.Evidence, error) {
		e := &jtai.Evidence{InspectionID: inspectionID}
		var on, agencies, criteria string
		var sealed []byte
		var at int64
		if err := s.Scan(&e.ID, &e.Kind, &on, &e.InspectorID, &e.Inspector, &e.Inspectorate, &agencies, &e.ChildID, &criteria, &e.Polarity, &e.Agreement, &sealed, &e.RecordedBy, &at); err != nil {
			return nil, err
		}
		e.On, _ = time.Parse(time.DateOnly, on)
		e.AgencyIDs, e.Criteria = splitIDs(agencies), strings.Fields(criteria)
		e.RecordedAt = time.UnixMicro(at).UTC()
		if !notes {
			return e, nil
		}
		var err error
		e.Note, err = openNote(k, sealed, evidenceAAD(inspectionID, e.ID))
		return e, err
	})
	if out == nil && err == nil {
		out = []*jtai.Evidence{}
	}
	return out, err
}
