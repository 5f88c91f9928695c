package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"jtai"
	"jtai/ingest"
)

// ProblemsLifetime is how long the problems of a list upload can be
// downloaded after the upload.
const ProblemsLifetime = time.Hour

// problemsGone is what a download of unknown, expired or another user's
// problems is told.
const problemsGone = "This list of problems has expired: upload the files again to see it"

// problemsAAD binds sealed problems to their inspection, uploader and
// report, so that a row's bytes copied to another do not open.
func problemsAAD(inspectionID, userID int64, report string) []byte {
	return fmt.Appendf(nil, "import-problems/%d/%d/%s", inspectionID, userID, report)
}

// SaveImportProblems keeps the problems of a user's upload for
// ProblemsLifetime, sealed under the inspection's data key since a problem
// may echo a value (masked when personal), and returns the report's key for
// the download link. Expired reports of every inspection are removed in the
// same transaction. The key is not a credential: only the uploader may read
// the report, and only while the policy lets them import the inspection's
// lists.
func (db *DB) SaveImportProblems(ctx context.Context, inspectionID, userID int64, problems []ingest.Problem) (report string, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("save the problems of an upload to inspection %d: %w", inspectionID, err)
		}
	}()
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(problems)
	if err != nil {
		return "", err
	}
	b := make([]byte, 16)
	rand.Read(b)
	report = hex.EncodeToString(b)
	now := db.clock.Now()
	sealed := k.Seal(plain, problemsAAD(inspectionID, userID, report))
	err = db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM import_problems WHERE expires_at <= ?`, now.UnixMicro()); err != nil {
			return err
		}
		_, err := tx.insert(ctx, `INSERT INTO import_problems (inspection_id, user_id, report, sealed, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			inspectionID, userID, report, sealed, now.UnixMicro(), now.Add(ProblemsLifetime).UnixMicro())
		return err
	})
	return report, err
}

// ImportProblems opens the problems of a report for the user who uploaded
// them, actor.ActorID. An unknown or expired report, or another user's, is
// not found; asking for another user's is logged as a refusal. The read is
// logged before the problems are returned, so none leave unlogged.
func (db *DB) ImportProblems(ctx context.Context, inspectionID int64, report string, actor *jtai.AccessEntry) ([]ingest.Problem, error) {
	var id, userID, expires int64
	var sealed []byte
	err := db.queryRow(ctx, `SELECT id, user_id, sealed, expires_at FROM import_problems WHERE inspection_id = ? AND report = ?`,
		inspectionID, report).Scan(&id, &userID, &sealed, &expires)
	if err != nil {
		return nil, notFound(err, problemsGone)
	}
	e := *actor
	e.Action, e.Resource, e.Outcome = jtai.ActView, fmt.Sprintf("inspection/%d/lists/problems/%d", inspectionID, id), "ok"
	if userID != actor.ActorID {
		e.Action, e.Outcome = jtai.ActDenied, "denied"
		if err := db.Append(ctx, &e); err != nil {
			return nil, err
		}
		return nil, jtai.Errorf(jtai.ENOTFOUND, problemsGone)
	}
	if !db.clock.Now().Before(time.UnixMicro(expires)) {
		return nil, jtai.Errorf(jtai.ENOTFOUND, problemsGone)
	}
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	plain, err := k.Open(sealed, problemsAAD(inspectionID, userID, report))
	if err != nil {
		return nil, fmt.Errorf("open the problems of report %d: %w", id, err)
	}
	var problems []ingest.Problem
	if err := json.Unmarshal(plain, &problems); err != nil {
		return nil, fmt.Errorf("read the problems of report %d: %w", id, err)
	}
	if err := db.Append(ctx, &e); err != nil {
		return nil, err
	}
	return problems, nil
}
