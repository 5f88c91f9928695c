package store

import (
	"context"
	"encoding/json"
	"fmt"

	"jtai/ingest"
)

// Reading and writing overlap: one goroutine parses a file, checks each row
// and seals it (the costly, pure part), handing batches of sealed rows over
// a bounded channel to the transaction's goroutine, which writes them and
// links each to its child. Only the transaction's goroutine touches the
// database, so the import still lands in one transaction or not at all.
const (
	pipeBatch = 256 // rows per batch
	pipeDepth = 8   // batches waiting at most: memory stays bounded
)

// sealedRow is one row read and sealed, waiting to be written. sealed is
// nil for a row that is not written (it has errors, or no child
// identifier).
type sealedRow struct {
	rec    *ingest.Record // in the reader's batch, which is never reused
	id     string         // the normalised LA child ID
	idx    string         // its blind index
	sealed []byte
}

// seal prepares a row for writing, in the reading goroutine.
func (im *importer) seal(r *ingest.Record) (sealedRow, error) {
	row := sealedRow{rec: r}
	id := NormalizeChildID(r.LAChildID)
	if r.Errors > 0 || id == "" {
		return row, nil
	}
	row.id = id
	row.idx = im.key.BlindIndex(childIndexKind, id)
	b, err := json.Marshal(r)
	if err != nil {
		return row, err
	}
	row.sealed = im.key.Seal(b, rowAAD(im.inspectionID, r.List, row.idx))
	return row, nil
}

// readFile reads one file while this goroutine writes what it reads: a
// goroutine parses and checks, another seals, each handing batches to the
// next over a bounded channel. It returns the file's summary and the first
// error of any of them.
func (im *importer) readFile(ctx context.Context, f ingest.File) (*ingest.Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type outcome struct {
		sum *ingest.Summary
		err error
	}
	read := make(chan outcome, 1)
	sealErr := make(chan error, 1)
	raw := make(chan []ingest.Record, pipeDepth)
	sealed := make(chan []sealedRow, pipeDepth)
	go func() {
		var out outcome
		defer func() {
			if p := recover(); p != nil {
				out.err = fmt.Errorf("read %s: %v", f.Name, p)
			}
			close(raw)
			read <- out
		}()
		send := func(b []ingest.Record) error {
			select {
			case raw <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		batch := make([]ingest.Record, 0, pipeBatch)
		out.sum, out.err = f.Read(func(r ingest.Record) error {
			batch = append(batch, r)
			if len(batch) == pipeBatch {
				if err := send(batch); err != nil {
					return err
				}
				batch = make([]ingest.Record, 0, pipeBatch)
			}
			return nil
		})
		if out.err == nil && len(batch) > 0 {
			out.err = send(batch)
		}
	}()
	go func() {
		var err error
		defer func() {
			close(sealed)
			sealErr <- err
		}()
		for recs := range raw {
			if err != nil {
				continue // drain, so that the reader never blocks
			}
			rows := make([]sealedRow, len(recs))
			for i := range recs {
				if rows[i], err = im.seal(&recs[i]); err != nil {
					cancel()
					break
				}
			}
			if err == nil {
				select {
				case sealed <- rows:
				case <-ctx.Done():
					err = ctx.Err()
				}
			}
		}
	}()
	var werr error
	for batch := range sealed {
		for i := 0; i < len(batch) && werr == nil; i++ {
			if werr = im.record(ctx, &batch[i]); werr != nil {
				cancel() // the others stop at their next batch
			}
		}
	}
	out, serr := <-read, <-sealErr
	switch {
	case werr != nil:
		return out.sum, werr
	case out.err != nil:
		return out.sum, out.err
	}
	return out.sum, serr
}
