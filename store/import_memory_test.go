package store_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"jtai"
	"jtai/ingest"
	"jtai/store"
	"jtai/store/storetest"
)

const memoryEnv = "JTAI_TEST_IMPORT_MEMORY"

// Two hostile imports at once, a CSV list of a million children each,
// stay within 512 MiB: each is refused at the row limit before it holds
// more, and the server runs one import at a time while the other waits.
// Measured as the peak resident memory of a process of its own.
func TestImportMemoryBounded(t *testing.T) {
	if dir := os.Getenv(memoryEnv); dir != "" {
		importTwoAtOnce(t, dir)
		return
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "List 3.csv"))
	must(t, err)
	w := bufio.NewWriter(f)
	w.WriteString("Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source\n")
	for i := range 1_000_000 {
		fmt.Fprintf(w, "M%07d,Male,WBRI,%02d/03/2020,5,03/01/2026,6\n", i, 1+i%28)
	}
	must(t, w.Flush())
	must(t, f.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportMemoryBounded$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), memoryEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the importing process: %v\n%s", err, out)
	}
	for _, want := range []string{"import 1: refused, too-many-rows", "import 2: refused, too-many-rows", "waited"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the importing process did not say %q:\n%s", want, out)
		}
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	t.Logf("peak resident memory of two million-row imports at once: %d MiB", peak>>10)
	if peak > 512<<10 {
		t.Errorf("peak resident memory %d MiB, want at most 512 MiB", peak>>10)
	}
}

// importTwoAtOnce is the measured process: two imports of the file in dir
// into two inspections, started together.
func importTwoAtOnce(t *testing.T, dir string) {
	db := storetest.OpenAt(t, store.Location{Path: filepath.Join(dir, "jtai.db")}, storetest.MasterKey(t))
	f := seed(t, db)
	other := &jtai.Inspection{AreaID: f.area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 9)}
	must(t, db.CreateInspection(ctx, other))
	var wg sync.WaitGroup
	var mu sync.Mutex
	waited := 0
	for i, id := range []int64{f.inspection.ID, other.ID} {
		wg.Go(func() {
			res, err := db.ImportLists(ctx, id, []ingest.File{fileOnDisk(filepath.Join(dir, "List 3.csv"))}, ingest.ImportOptions{})
			rule := ""
			for r := range res.Summary.ByRule {
				if r == ingest.RuleTooManyRows {
					rule = r
				}
			}
			if err == nil || rule == "" {
				t.Errorf("import %d: %v, rules %v; want it refused for too many rows", i+1, err, res.Summary.ByRule)
				return
			}
			fmt.Printf("import %d: refused, %s; waited %s\n", i+1, rule, res.Waited)
			if res.Waited > 0 {
				mu.Lock()
				waited++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if waited != 1 {
		t.Errorf("%d of the two imports waited for the other, want one: they ran at once", waited)
	}
}
