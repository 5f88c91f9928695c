package theme

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"jtai"
)

//go:embed themes/*.yaml
var builtinFiles embed.FS

// Registry holds the themes known to the program, by id.
type Registry struct {
	themes    map[string]*Theme
	overrides []Override
}

// Override records that a theme file from a directory replaced the
// built-in theme with the same id.
type Override struct {
	ID      string // the theme's id
	File    string // the directory file that now provides the theme
	Builtin string // the built-in file it replaced
}

// Parse reads and validates one theme from data; name is the file name used
// in problems. Every problem found is returned in a *ValidationError.
func Parse(name string, data []byte) (*Theme, error) {
	t := &Theme{File: name}
	d := &decoder{file: name}
	if d.decodeTheme(data, t) {
		t.idLine = d.lines["id"]
		c := &checker{file: name, lines: d.lines, failed: d.failed}
		c.validate(t)
		d.problems = append(d.problems, c.problems...)
	}
	if err := newValidationError(d.problems); err != nil {
		return nil, err
	}
	return t, nil
}

// LoadFile reads and validates the theme file at path.
func LoadFile(path string) (*Theme, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	return Parse(path, data)
}

// Builtin returns the themes embedded in the program.
func Builtin() (*Registry, error) {
	r := &Registry{themes: map[string]*Theme{}}
	names, err := fs.Glob(builtinFiles, "themes/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list built-in themes: %w", err)
	}
	var problems []Problem
	for _, name := range names {
		data, err := builtinFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read built-in theme %s: %w", name, err)
		}
		t, err := Parse(name, data)
		problems = appendProblems(problems, err)
		if t != nil {
			t.Builtin = true
			problems = r.add(problems, t)
		}
	}
	if err := newValidationError(problems); err != nil {
		return nil, err
	}
	return r, nil
}

// LoadDir returns the built-in themes together with every theme file
// (*.yaml or *.yml) in dir, so that inspectorates can add a theme without a
// new release. A file whose theme has the id of a built-in theme replaces
// it, and Overrides reports that. Problems in every file are collected into
// one *ValidationError.
func LoadDir(dir string) (*Registry, error) {
	r, err := Builtin()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, readError(dir, err)
	}
	var problems []Problem
	fromDir := map[string]string{} // id -> file, to catch two files with one id
	for _, e := range entries {
		ext := strings.ToLower(path.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		file := filepath.Join(dir, e.Name())
		t, err := LoadFile(file)
		problems = appendProblems(problems, err)
		if err != nil && t == nil && !errors.As(err, new(*ValidationError)) {
			return nil, err
		}
		if t == nil {
			continue
		}
		if first, dup := fromDir[t.ID]; dup {
			problems = append(problems, Problem{File: file, Line: t.idLine, Field: "id",
				Message: fmt.Sprintf("duplicate theme id %q (first in %s)", t.ID, first)})
			continue
		}
		fromDir[t.ID] = file
		if old, ok := r.themes[t.ID]; ok {
			r.overrides = append(r.overrides, Override{ID: t.ID, File: file, Builtin: old.File})
		}
		r.themes[t.ID] = t
	}
	if err := newValidationError(problems); err != nil {
		return nil, err
	}
	return r, nil
}

// add puts t in the registry, or returns a problem if its id is taken.
func (r *Registry) add(problems []Problem, t *Theme) []Problem {
	if old, dup := r.themes[t.ID]; dup {
		return append(problems, Problem{File: t.File, Line: t.idLine, Field: "id",
			Message: fmt.Sprintf("duplicate theme id %q (first in %s)", t.ID, old.File)})
	}
	r.themes[t.ID] = t
	return problems
}

func appendProblems(problems []Problem, err error) []Problem {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return append(problems, ve.Problems...)
	}
	return problems
}

func readError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &jtai.Error{Kind: jtai.ENOTFOUND, Message: fmt.Sprintf("There is no theme file or directory %s", name), Err: err}
	}
	return fmt.Errorf("read themes from %s: %w", name, err)
}

// Get returns the theme with the given id. An unknown id gives a
// jtai.ENOTFOUND error that lists the known ids.
func (r *Registry) Get(id string) (*Theme, error) {
	if t, ok := r.themes[id]; ok {
		return t, nil
	}
	ids := r.ids()
	msg := fmt.Sprintf("There is no theme %q. Known themes: %s", id, strings.Join(ids, ", "))
	if near := suggest(id, ids); near != "" {
		msg = fmt.Sprintf("There is no theme %q; did you mean %q? Known themes: %s", id, near, strings.Join(ids, ", "))
	}
	return nil, &jtai.Error{Kind: jtai.ENOTFOUND, Message: msg}
}

// List returns every theme, oldest series first (by period start, then id).
func (r *Registry) List() []*Theme {
	list := make([]*Theme, 0, len(r.themes))
	for _, t := range r.themes {
		list = append(list, t)
	}
	slices.SortFunc(list, func(a, b *Theme) int {
		if c := strings.Compare(a.Period.Start, b.Period.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list
}

// Overrides reports the built-in themes that a directory theme replaced.
func (r *Registry) Overrides() []Override { return slices.Clone(r.overrides) }

func (r *Registry) ids() []string {
	ids := make([]string, 0, len(r.themes))
	for id := range r.themes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
