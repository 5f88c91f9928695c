package store

import (
	"context"
	"fmt"
	"time"

	"jtai"
	"jtai/authz"
)

// MaxEvidenceDraft is the most a draft may hold, in bytes: the form as
// typed, a full note with room for its other fields and their encoding.
const MaxEvidenceDraft = 8 * jtai.MaxEvidenceNote

func draftAAD(inspectionID, userID int64) string {
	return fmt.Sprintf("inspection/%d/evidence/draft/%d", inspectionID, userID)
}

// SaveEvidenceDraft keeps an inspector's draft of an evidence record on
// an inspection whose team they are on, sealed, in place of any earlier
// one, and logs it.
func (db *DB) SaveEvidenceDraft(ctx context.Context, inspectionID, userID int64, draft string, by *jtai.AccessEntry) (time.Time, error) {
	if len(draft) > MaxEvidenceDraft {
		return time.Time{}, jtai.Invalid(jtai.FieldError{Field: "note", Message: fmt.Sprintf("The draft is too long to keep: the note must be %d characters or fewer", jtai.MaxEvidenceNote)})
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return time.Time{}, err
	}
	at, _ := db.stamp(by)
	err = db.withWritable(ctx, inspectionID, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM inspection_team WHERE inspection_id = ? AND user_id = ?`, inspectionID, userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
		}
		sealed := k.Seal([]byte(draft), []byte(draftAAD(inspectionID, userID)))
		if _, err := tx.exec(ctx, `INSERT INTO evidence_drafts (inspection_id, user_id, sealed, saved_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (inspection_id, user_id) DO UPDATE SET sealed = excluded.sealed, saved_at = excluded.saved_at`, inspectionID, userID, sealed, at.UnixMicro()); err != nil {
			return err
		}
		return db.appendTx(ctx, tx, logEntry(by, jtai.ActEvidenceDraft, fmt.Sprintf("inspection/%d/evidence/draft", inspectionID), "ok"))
	})
	return at, err
}

// OpenEvidenceDraft returns the draft the grant's subject keeps on the
// grant's inspection and when it was saved; an empty draft when there is
// none.
func (db *DB) OpenEvidenceDraft(ctx context.Context, g authz.Grant) (string, time.Time, error) {
	type draft struct {
		text string
		at   time.Time
	}
	d, err := opened(ctx, db, g, func(in int64) (draft, error) {
		userID := g.Subject().UserID
		var sealed []byte
		var at int64
		err := db.queryRow(ctx, `SELECT sealed, saved_at FROM evidence_drafts WHERE inspection_id = ? AND user_id = ?`, in, userID).Scan(&sealed, &at)
		if err := notFound(err, "No draft"); jtai.IsKind(err, jtai.ENOTFOUND) {
			return draft{}, nil
		} else if err != nil {
			return draft{}, err
		}
		k, err := db.dataKey(ctx, InspectionScope(in))
		if err != nil {
			return draft{}, err
		}
		text, err := openNote(k, sealed, draftAAD(in, userID))
		return draft{text, time.UnixMicro(at).UTC()}, err
	})
	return d.text, d.at, err
}
