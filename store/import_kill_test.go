package store_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/crypt"
	"jtai/ingest"
	"jtai/ingest/listfile"
	"jtai/store"
	"jtai/store/storetest"
	"jtai/synth"
)

// killEnv carries the half-way import's instructions to the child process.
const killEnv = "JTAI_TEST_IMPORT_CHILD"

type killJob struct {
	Loc          store.Location
	KeyFile      string
	InspectionID int64
	File         string
}

// fileOnDisk is a file to import, read from disk.
func fileOnDisk(path string) ingest.File {
	return ingest.File{Name: filepath.Base(path), Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		return listfile.Read(f, fi.Size(), fi.Name(), ingest.Limits{}, emit)
	}}
}

// TestImportKilledHalfWay kills a process in the middle of a large import
// and shows that nothing of it reached the database, then imports again.
func TestImportKilledHalfWay(t *testing.T) {
	if job := os.Getenv(killEnv); job != "" {
		runKillJob(t, job)
		return
	}
	if testing.Short() {
		t.Skip("large import: skipped under -short only")
	}
	dir := t.TempDir()
	m, err := synth.WriteAreaFiles(dir, synth.AreaOptions{Children: 8000, Seed: 3})
	must(t, err)
	total := m.Files[0].Rows // annex-a.xlsx
	storetest.Each(t, func(t *testing.T, dialect string) {
		loc := storetest.Location(t, dialect)
		keyFile := filepath.Join(t.TempDir(), "jtai.key")
		master, err := crypt.GenerateKeyFile(keyFile)
		must(t, err)
		db := storetest.OpenAt(t, loc, master)
		f := seed(t, db)
		job, _ := json.Marshal(killJob{loc, keyFile, f.inspection.ID, filepath.Join(dir, m.Files[0].Name)})

		cmd := exec.Command(os.Args[0], "-test.run=^TestImportKilledHalfWay$", "-test.count=1")
		cmd.Env = append(os.Environ(), killEnv+"="+string(job))
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		done := make(chan error, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if n, ok := strings.CutPrefix(sc.Text(), "rows "); ok {
					if rows, _ := strconv.Atoi(n); rows >= total/2 {
						done <- cmd.Process.Kill()
						return
					}
				}
			}
			done <- fmt.Errorf("the import ended before half-way: %v", sc.Err())
		}()
		select {
		case err := <-done:
			must(t, err)
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatal("the import made no progress")
		}
		cmd.Wait()

		for _, table := range []string{"imports", "import_rows", "children"} {
			if n := countRows(t, db, table); n != 0 {
				t.Errorf("%s: %d rows of a killed import", table, n)
			}
		}
		res := importFiles(t, db, f.inspection.ID, fileOnDisk(filepath.Join(dir, m.Files[0].Name)))
		if res.Rows != total {
			t.Errorf("re-run imported %d rows, want %d", res.Rows, total)
		}
		if _, err := db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

// runKillJob is the child process: it imports, printing its progress,
// until it is killed.
func runKillJob(t *testing.T, job string) {
	var j killJob
	must(t, json.Unmarshal([]byte(job), &j))
	master, err := crypt.LoadKeyFile(j.KeyFile)
	must(t, err)
	db, err := store.Open(ctx, j.Loc, master, jtai.SystemClock{})
	must(t, err)
	_, err = db.ImportLists(ctx, j.InspectionID, []ingest.File{fileOnDisk(j.File)}, ingest.ImportOptions{
		Progress: func(rows int) {
			fmt.Printf("rows %d\n", rows)
			if rows > 0 && rows%5000 == 0 {
				time.Sleep(50 * time.Millisecond) // give the parent time to kill mid-way
			}
		},
	})
	must(t, err)
	fmt.Println("finished")
}
