package guard_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openingReads are the store's readers of personal data, each of which
// takes a grant. Outside the store only this package may name them.
var openingReads = map[string]bool{
	"OpenChild": true, "OpenChildren": true, "OpenChildNames": true, "OpenChildByLAChildID": true,
	"OpenChildPage": true, "OpenAllChildren": true, "OpenChildAudit": true, "OpenAuditParts": true,
	"OpenDocument": true, "OpenScreening": true, "OpenEvidence": true, "OpenChildEvidence": true, "OpenEvidenceTags": true, "OpenEvidenceDraft": true,
}

// mayUse says which packages (directories from the module's root) may name
// what: the grant's minting, the opening reads and the console subject.
var mayUse = map[string][]string{
	"authz.Permit":  {"guard", "authz", testGrants},
	"authz.Console": {"cmd/jtai", "authz"},
	"opening read":  {"guard", "store", testGrants},
}

// testGrants makes grants for tests that read back what the store keeps;
// no file but a test may import it (TestNoBypass checks).
const testGrants = "store/storetest"

// TestNoBypass fails when any package but the guarded service reaches
// personal data another way: by minting a grant itself (authz.Permit), by
// naming one of the store's opening reads, by acting as the console, or by
// importing the tests' grant maker. Every non-test Go file of the module is
// read.
func TestNoBypass(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		for _, v := range bypasses(t, path, rel) {
			t.Error(v)
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d files: the walk missed the module", files)
	}
}

// bypasses lists what the file at path, in package directory dir, names
// that only other packages may.
func bypasses(t *testing.T, path, dir string) []string {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, dir+"/"+filepath.Base(path), src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	allowed := func(what string) bool {
		for _, d := range mayUse[what] {
			if dir == d {
				return true
			}
		}
		return false
	}
	var out []string
	for _, imp := range f.Imports {
		if imp.Path.Value == `"jtai/store/storetest"` {
			out = append(out, fset.Position(imp.Pos()).String()+": imports storetest, whose grants are for tests only")
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pos := fset.Position(sel.Pos())
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "authz" {
			if what := "authz." + sel.Sel.Name; mayUse[what] != nil && !allowed(what) {
				out = append(out, pos.String()+": "+what+" is the guarded service's alone (package guard)")
			}
		}
		if openingReads[sel.Sel.Name] && !allowed("opening read") {
			out = append(out, pos.String()+": "+sel.Sel.Name+" is a reader of personal data: go through package guard")
		}
		return true
	})
	return out
}

// The check bites: a file that does what a careless handler would is
// reported, once for each way round the guarded service.
func TestBypassIsCaught(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "handler.go")
	src := `package web

import (
	"jtai/authz"
	"jtai/store/storetest"
)

func (s *Server) careless(c *Context) error {
	g, _ := authz.Permit(c.Subject, authz.ViewInspection, authz.Resource{}, "view", "x")
	_, err := s.db.OpenChild(c.R.Context(), g, 1)
	read := s.db.OpenAuditParts
	_ = read
	_ = authz.Console("me")
	_ = storetest.Grant
	return err
}
`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got := bypasses(t, path, "web")
	want := []string{"storetest", "authz.Permit", "OpenChild ", "OpenAuditParts", "authz.Console"}
	if len(got) != len(want) {
		t.Fatalf("found %d bypasses, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("bypass %d: %q does not name %q", i, got[i], w)
		}
	}
	if got := bypasses(t, path, "guard"); len(got) != 2 {
		t.Errorf("in package guard, only storetest and the console are refused; got:\n%s", strings.Join(got, "\n"))
	}
}
