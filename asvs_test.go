package jtai

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The ASVS checklist (docs/asvs.md) names the tests that cover each item:
// each must exist, so that the checklist cannot claim a test that was
// renamed or never written.
func TestASVSChecklistNamesRealTests(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("docs", "asvs.md"))
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile("`([a-z][a-z0-9/]*)\\.(Test[A-Za-z0-9_]+)`").FindAllStringSubmatch(string(doc), -1)
	if len(refs) < 50 {
		t.Fatalf("the checklist names %d tests: it has lost its references", len(refs))
	}
	defined := map[string]map[string]bool{} // directory -> test names
	for _, r := range refs {
		dir := r[1]
		if dir == "jtai" {
			dir = "."
		}
		if defined[dir] == nil {
			defined[dir] = testsIn(t, dir)
		}
		if !defined[dir][r[2]] {
			t.Errorf("docs/asvs.md names %s.%s, which does not exist", r[1], r[2])
		}
	}
}

var testFunc = regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(`)

func testsIn(t *testing.T, dir string) map[string]bool {
	files, err := filepath.Glob(filepath.Join(filepath.FromSlash(dir), "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range testFunc.FindAllSubmatch(b, -1) {
			names[string(m[1])] = true
		}
	}
	if strings.TrimSpace(dir) == "" {
		t.Fatal("empty package")
	}
	return names
}
