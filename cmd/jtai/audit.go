package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"jtai"
	"jtai/auditlog"
	"jtai/store"
)

func (m *Main) audit(ctx context.Context, args []string) error {
	return m.sub(ctx, "audit", args, map[string]func(context.Context, []string) error{
		"verify":     m.auditVerify,
		"checkpoint": m.auditCheckpoint,
	})
}

type auditFlags struct {
	dbFlags
	partnershipFlags
	checkpointFile string
}

func (m *Main) addAuditFlags(fs *pflag.FlagSet, f *auditFlags, fileUse string) {
	m.addDBFlags(fs, &f.dbFlags)
	fs.StringVar(&f.documents, "documents", "", "the document store, where checkpoints are kept: a directory or s3://... (default $JTAI_DOCUMENTS, or documents beside an SQLite database)")
	fs.StringVar(&f.checkpointFile, "checkpoint-file", "", fileUse)
}

func (m *Main) auditVerify(ctx context.Context, args []string) error {
	fs := m.flags("audit verify", "Verifies the access log's hash chain, then the log against its latest signed checkpoint\n"+
		"(kept in the document store, and in --checkpoint-file when given). Exits 1 and names the first bad\n"+
		"entry if any entry was edited, deleted, inserted or reordered outside jtai, or the log was cut\n"+
		"short, wiped or replaced since a checkpoint. Writes nothing.")
	var f auditFlags
	m.addAuditFlags(fs, &f, "also check the last checkpoint of this witness file (one JSON line a checkpoint)")
	if err := parse(fs, args); err != nil {
		return err
	}
	// Verifying never writes: no migrations, and a missing key is an
	// error, never made anew.
	db, err := m.connect(&f.dbFlags, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, verr := db.Verify(ctx)
	var checkpoints []*store.Checkpoint
	if verr == nil {
		checkpoints, verr = m.checkpoints(ctx, db, &f)
		for _, c := range checkpoints {
			if verr != nil {
				break
			}
			verr = db.VerifyCheckpoint(ctx, c)
		}
	}
	var broken *auditlog.BrokenError
	if verr != nil && !errors.As(verr, &broken) {
		return verr
	}
	if f.json {
		out := map[string]any{"ok": verr == nil, "checked": n, "checkpoints": checkpoints}
		if broken != nil {
			out["first_bad_entry"] = broken.Seq
			out["reason"] = broken.Reason
		}
		if err := m.printJSON(out); err != nil {
			return err
		}
	} else if verr == nil {
		fmt.Fprintf(m.Stdout, "The access log is intact: %d entries verified.\n", n)
		if len(checkpoints) == 0 {
			fmt.Fprintln(m.Stdout, "No checkpoint has been written yet, so entries deleted from the end with the head rewritten could not be told: jtai serve writes them, or run 'jtai audit checkpoint'.")
		}
		for _, c := range checkpoints {
			fmt.Fprintf(m.Stdout, "It reaches its checkpoint of %s (entry %d) unchanged.\n", c.At.Format("15:04:05 on 2 January 2006"), c.Seq)
		}
	}
	return verr
}

// checkpoints are the latest checkpoint in the document store and the last
// of the witness file, those that exist.
func (m *Main) checkpoints(ctx context.Context, db *store.DB, f *auditFlags) ([]*store.Checkpoint, error) {
	var out []*store.Checkpoint
	if err := m.openDocuments(ctx, db, &f.partnershipFlags); err != nil {
		return nil, err
	}
	c, err := db.LatestCheckpoint(ctx)
	switch {
	case err == nil:
		out = append(out, c)
	case !jtai.IsKind(err, jtai.ENOTFOUND):
		return nil, err
	}
	if f.checkpointFile != "" {
		b, err := os.ReadFile(f.checkpointFile)
		if err != nil {
			return nil, jtai.Errorf(jtai.EINVALID, "--checkpoint-file: %v", err)
		}
		var last []byte
		for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
			if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
				last = bytes.Clone(line)
			}
		}
		if last == nil {
			return nil, jtai.Errorf(jtai.EINVALID, "--checkpoint-file %s holds no checkpoint", f.checkpointFile)
		}
		c, err := store.ParseCheckpoint(bytes.NewReader(last))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (m *Main) auditCheckpoint(ctx context.Context, args []string) error {
	fs := m.flags("audit checkpoint", "Signs the access log's head as it is now and writes it to the document store (jtai serve does so\n"+
		"every five minutes and when it stops), and appends it to --checkpoint-file for a witness to keep.")
	var f auditFlags
	m.addAuditFlags(fs, &f, "also append the checkpoint to this file, one JSON line each")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := m.openWithDocuments(ctx, &f.dbFlags, &f.partnershipFlags)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := writeCheckpoint(ctx, db, f.checkpointFile)
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(c)
	}
	fmt.Fprintf(m.Stdout, "Checkpoint of the access log at entry %d written.\n", c.Seq)
	return nil
}

// writeCheckpoint writes a checkpoint to the document store and, when file
// is given, appends it there.
func writeCheckpoint(ctx context.Context, db *store.DB, file string) (*store.Checkpoint, error) {
	c, err := db.WriteCheckpoint(ctx)
	if err != nil || file == "" {
		return c, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	w, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		w.Close()
		return nil, err
	}
	return c, w.Close()
}
