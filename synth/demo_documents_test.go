package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jtai"
	"jtai/authz"
	"jtai/blob"
	"jtai/store/storetest"
	"jtai/synth"
	"jtai/theme"
)

// The demo's documents are stored as the documents page stores an upload:
// sealed in the document store, read back as sent, a newer version of one
// keeping the older; seeding again adds nothing.
func TestSeedDemoDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		dir := filepath.Join(t.TempDir(), "documents")
		docs, err := blob.OpenLocal(dir)
		must(t, err)
		db.SetDocumentStore(docs)
		d, err := synth.SeedDemo(ctx, db, synth.DemoOptions{NotifiedOn: jtai.NewDate(2026, 3, 2), Hash: func(s string) (string, error) { return "hash:" + s, nil },
			Password: func() string { return "demo-password" }})
		must(t, err)
		reg, err := theme.Builtin()
		must(t, err)
		th, err := reg.Get(d.Inspection.ThemeID)
		must(t, err)
		actor := &jtai.AccessEntry{Actor: "console:tester"}

		n, err := synth.SeedDemoDocuments(ctx, db, d, th.Documents, actor)
		must(t, err)
		list, err := db.ListDocuments(ctx, d.Inspection.ID)
		must(t, err)
		if n < 5 || len(list) != n {
			t.Fatalf("seeded %d, listed %d", n, len(list))
		}
		items, kinds := map[string]bool{}, map[jtai.DocumentKind]bool{}
		versions := map[string]int{}
		for _, doc := range list {
			items[doc.Item] = true
			kinds[doc.Kind] = true
			versions[fmt.Sprint(doc.AgencyID, doc.Item)]++
			content, err := db.OpenDocument(ctx, storetest.Grant(t, doc.InspectionID, authz.ViewDocument), doc)
			must(t, err)
			if int64(len(content)) != doc.Size || !bytes.Contains(content, []byte("SYNTHETIC DEMO DOCUMENT")) {
				t.Errorf("%s reads back %d bytes without the synthetic notice", doc.Name, len(content))
			}
			if doc.Kind == jtai.DocPDF {
				checkPDF(t, doc.Name, content)
			}
		}
		if len(items) == len(th.Documents) || len(items) < 4 {
			t.Errorf("documents sent for %d of the theme's %d items; want some sent and some left to do", len(items), len(th.Documents))
		}
		for _, k := range []jtai.DocumentKind{jtai.DocPDF, jtai.DocCSV, jtai.DocText} {
			if !kinds[k] {
				t.Errorf("no %s among the demo documents", k.Label())
			}
		}
		if versions[fmt.Sprint(d.Agencies[0].ID, "domestic-abuse-strategy")] != 2 {
			t.Errorf("the strategy has versions %v, want a draft and a final", versions)
		}

		again, err := synth.SeedDemoDocuments(ctx, db, d, th.Documents, actor)
		must(t, err)
		if after, _ := db.ListDocuments(ctx, d.Inspection.ID); again != 0 || len(after) != n {
			t.Errorf("seeding again stored %d more, now %d", again, len(after))
		}

		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("SYNTHETIC")) || bytes.Contains(b, []byte("%PDF")) {
					t.Errorf("%s is stored unsealed", p)
				}
			}
			return nil
		})
	})
}

var pdfObject = regexp.MustCompile(`^(\d+) 0 obj\n`)

// checkPDF follows the cross-reference table, as a reader does: every entry
// must point at its object.
func checkPDF(t *testing.T, name string, b []byte) {
	t.Helper()
	s := string(b)
	i := strings.LastIndex(s, "startxref\n")
	if i < 0 || !strings.HasSuffix(s, "%%EOF\n") {
		t.Fatalf("%s has no startxref or end", name)
	}
	xref, err := strconv.Atoi(strings.Fields(s[i+len("startxref\n"):])[0])
	if err != nil || !strings.HasPrefix(s[xref:], "xref\n0 ") {
		t.Fatalf("%s: startxref points at %q", name, s[xref:min(len(s), xref+10)])
	}
	lines := strings.Split(s[xref:], "\n")
	count, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for obj := 1; obj < count; obj++ {
		entry := lines[2+obj]
		off, err := strconv.Atoi(entry[:10])
		if len(entry) != 19 || err != nil {
			t.Fatalf("%s: xref entry %q", name, entry)
		}
		if m := pdfObject.FindStringSubmatch(s[off:]); m == nil || m[1] != strconv.Itoa(obj) {
			t.Errorf("%s: object %d's offset %d points at %q", name, obj, off, s[off:min(len(s), off+12)])
		}
	}
	for _, want := range []string{"/Type /Catalog", "/Type /Page ", "stream\n", "SYNTHETIC DEMO DOCUMENT"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
