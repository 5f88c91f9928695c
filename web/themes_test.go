package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jtai"
	"jtai/theme"
	"jtai/web"
)

// A theme directory given to the server replaces the built-in theme of the
// same id on every page that reads the inspection's theme.
func TestPagesReadTheServersThemes(t *testing.T) {
	builtin, err := os.ReadFile(filepath.Join("..", "theme", "themes", "domestic-abuse-2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	revise := strings.NewReplacer(
		"title: Children who are victims of domestic abuse\n", "title: Children who are victims of domestic abuse (revised locally)\n",
		"title: Domestic abuse strategy and needs assessment\n", "title: Domestic abuse strategy, needs assessment and action plan\n",
		"label: Older than 7 at the notification date\n", "label: Older than 7 on the day of the notification\n",
	)
	revised := revise.Replace(string(builtin))
	if strings.Count(revised, "revised locally")+strings.Count(revised, "action plan")+strings.Count(revised, "on the day of the notification") != 3 {
		t.Fatal("the built-in theme no longer has the lines this test revises")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "domestic-abuse-2024.yaml"), []byte(revised), 0o600); err != nil {
		t.Fatal(err)
	}
	reg, err := theme.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}

	pages := []struct {
		role      jtai.Role
		path      string
		revised   string // shown with the directory's theme
		builtinIs string // shown instead with the built-in one
	}{
		{jtai.RoleLeadInspector, "", "Children who are victims of domestic abuse (revised locally)", "Children who are victims of domestic abuse<"},
		{jtai.RoleCoordinator, "/documents", "Domestic abuse strategy, needs assessment and action plan", "Domestic abuse strategy and needs assessment"},
		{jtai.RoleLeadInspector, "/screening", "Older than 7 on the day of the notification", "Older than 7 at the notification date"},
	}
	check := func(t *testing.T, e *env, shown func(revised, builtin string) (string, string)) {
		for _, p := range pages {
			path := fmt.Sprintf("/inspections/%d%s", e.demo.Inspection.ID, p.path)
			code, body := e.as(t, p.role).get(path)
			if code != 200 {
				t.Fatalf("%s as %s: status %d", path, p.role, code)
			}
			want, not := shown(p.revised, p.builtinIs)
			if !strings.Contains(body, want) || strings.Contains(body, not) {
				t.Errorf("%s: want %q and not %q on the page", path, want, not)
			}
		}
	}
	t.Run("directory", func(t *testing.T) {
		e := newEnv(t, "sqlite", func(c *web.Config) { c.Themes = reg })
		check(t, e, func(revised, builtin string) (string, string) { return revised, builtin })
	})
	t.Run("built-in", func(t *testing.T) {
		e := newEnv(t, "sqlite")
		check(t, e, func(revised, builtin string) (string, string) { return builtin, revised })
	})
}
