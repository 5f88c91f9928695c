package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"jtai"
	"jtai/blob"
	"jtai/crypt"
)

var _ jtai.DocumentService = (*DB)(nil)

// documentBlobs is where documents' sealed bytes go. It is set by
// SetDocumentStore; on SQLite it defaults to a directory "documents"
// beside the database file.
type documentBlobs struct {
	mu    sync.Mutex
	store blob.Store
}

// SetDocumentStore sets where documents' sealed bytes are kept.
func (db *DB) SetDocumentStore(b blob.Store) {
	db.blobs.mu.Lock()
	defer db.blobs.mu.Unlock()
	db.blobs.store = b
}

func (db *DB) documentStore() (blob.Store, error) {
	db.blobs.mu.Lock()
	defer db.blobs.mu.Unlock()
	if db.blobs.store != nil {
		return db.blobs.store, nil
	}
	if db.Path == "" {
		return nil, jtai.Errorf(jtai.EINTERNAL, "no document storage is configured: set --documents or JTAI_DOCUMENTS")
	}
	l, err := blob.OpenLocal(filepath.Join(filepath.Dir(db.Path), "documents"))
	if err != nil {
		return nil, err
	}
	db.blobs.store = l
	return l, nil
}

// documentAAD binds sealed bytes to their inspection and blob, so that a
// blob copied under another key or inspection does not open.
func documentAAD(inspectionID int64, key string) []byte {
	return fmt.Appendf(nil, "document/%d/%s", inspectionID, key)
}

func documentNameAAD(inspectionID int64, key string) []byte {
	return fmt.Appendf(nil, "document-name/%d/%s", inspectionID, key)
}

// AddDocumentVersion seals content under the inspection's data key, writes
// it to the document store, then records the version and its log entry in
// one transaction. A blob whose row did not land is removed.
func (db *DB) AddDocumentVersion(ctx context.Context, d *jtai.Document, content []byte, actor *jtai.AccessEntry) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("add document %s: %w", d.Item, err)
		}
	}()
	k, err := db.dataKey(ctx, InspectionScope(d.InspectionID))
	if err != nil {
		return err
	}
	bs, err := db.documentStore()
	if err != nil {
		return err
	}
	b := make([]byte, 16)
	rand.Read(b)
	key := fmt.Sprintf("inspection/%d/documents/%s", d.InspectionID, hex.EncodeToString(b))
	if err := bs.Put(ctx, key, bytes.NewReader(k.Seal(content, documentAAD(d.InspectionID, key)))); err != nil {
		return err
	}
	d.Size = int64(len(content))
	d.UploadedAt = db.clock.Now().Truncate(time.Microsecond)
	// Two uploads of the same item at once both read the same next
	// version; the unique index refuses the second, which tries again.
	for range 5 {
		err = db.addVersionRow(ctx, k, d, key, actor)
		if !taken(err) {
			break
		}
	}
	if err != nil {
		bs.Delete(context.WithoutCancel(ctx), key)
	}
	return err
}

func (db *DB) addVersionRow(ctx context.Context, k *crypt.DataKey, d *jtai.Document, key string, actor *jtai.AccessEntry) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := writable(ctx, tx, d.InspectionID); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM document_versions WHERE inspection_id = ? AND agency_id = ? AND item = ?`,
			d.InspectionID, d.AgencyID, d.Item).Scan(&d.Version); err != nil {
			return err
		}
		var err error
		d.ID, err = tx.insert(ctx, `INSERT INTO document_versions (inspection_id, agency_id, item, version, sealed_name, kind, size, blob_key, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.InspectionID, d.AgencyID, d.Item, d.Version, k.Seal([]byte(d.Name), documentNameAAD(d.InspectionID, key)), d.Kind, d.Size, key, d.UploadedBy, d.UploadedAt.UnixMicro())
		if err != nil {
			return err
		}
		e := *actor
		e.Action, e.Resource = jtai.ActDocumentUpload, fmt.Sprintf("inspection/%d/documents/%d", d.InspectionID, d.ID)
		return db.appendTx(ctx, tx, &e)
	})
}

const documentColumns = `id, inspection_id, agency_id, item, version, sealed_name, kind, size, blob_key, uploaded_by, uploaded_at`

// documentRow is a row of documentColumns as read: the file's name still
// sealed.
type documentRow struct {
	d        jtai.Document
	name     []byte
	key      string
	uploaded int64
}

func scanDocumentRow(s scanner) (documentRow, error) {
	var r documentRow
	d := &r.d
	err := s.Scan(&d.ID, &d.InspectionID, &d.AgencyID, &d.Item, &d.Version, &r.name, &d.Kind, &d.Size, &r.key, &d.UploadedBy, &r.uploaded)
	return r, err
}

// open returns the document of the row with its name opened.
func (r documentRow) open(k *crypt.DataKey) (*jtai.Document, error) {
	plain, err := k.Open(r.name, documentNameAAD(r.d.InspectionID, r.key))
	if err != nil {
		return nil, err
	}
	d := r.d
	d.Name, d.UploadedAt = string(plain), time.UnixMicro(r.uploaded).UTC()
	return &d, nil
}

// scanDocument reads a row and opens the file's name.
func scanDocument(k *crypt.DataKey, s scanner) (*jtai.Document, string, error) {
	r, err := scanDocumentRow(s)
	if err != nil {
		return nil, "", err
	}
	d, err := r.open(k)
	return d, r.key, err
}

// ListDocuments returns every version of the inspection's documents. The
// rows are cached as read (cache.go), their names sealed.
func (db *DB) ListDocuments(ctx context.Context, inspectionID int64) ([]*jtai.Document, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, err
	}
	rows, err := cached(ctx, db, cacheKey{kind: "documents", a: inspectionID}, func() ([]documentRow, error) {
		rows, err := db.query(ctx, `SELECT `+documentColumns+` FROM document_versions WHERE inspection_id = ? ORDER BY agency_id, item, version DESC`, inspectionID)
		return collect(rows, err, scanDocumentRow)
	}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]*jtai.Document, len(rows))
	for i, r := range rows {
		if out[i], err = r.open(k); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindDocument returns one version of the inspection's documents.
func (db *DB) FindDocument(ctx context.Context, inspectionID, id int64) (*jtai.Document, error) {
	d, _, err := db.findDocument(ctx, inspectionID, id)
	return d, err
}

func (db *DB) findDocument(ctx context.Context, inspectionID, id int64) (*jtai.Document, string, error) {
	k, err := db.dataKey(ctx, InspectionScope(inspectionID))
	if err != nil {
		return nil, "", err
	}
	d, key, err := scanDocument(k, db.queryRow(ctx, `SELECT `+documentColumns+` FROM document_versions WHERE inspection_id = ? AND id = ?`, inspectionID, id))
	if err != nil {
		return nil, "", notFound(err, "Page not found")
	}
	return d, key, nil
}

// documentContent fetches a version's sealed bytes and opens them. Only
// OpenDocument calls it, which logs the read before returning the content.
func (db *DB) documentContent(ctx context.Context, d *jtai.Document) ([]byte, error) {
	_, key, err := db.findDocument(ctx, d.InspectionID, d.ID)
	if err != nil {
		return nil, err
	}
	k, err := db.dataKey(ctx, InspectionScope(d.InspectionID))
	if err != nil {
		return nil, err
	}
	bs, err := db.documentStore()
	if err != nil {
		return nil, err
	}
	r, err := bs.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sealed, err := io.ReadAll(io.LimitReader(r, jtai.MaxDocumentBytes+1<<20))
	if err != nil {
		return nil, err
	}
	plain, err := k.Open(sealed, documentAAD(d.InspectionID, key))
	if err != nil {
		return nil, fmt.Errorf("open document %d: %w", d.ID, err)
	}
	return plain, nil
}
