package web_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jtai"
)

// leftIn lists every file under dir, and those holding marker.
func leftIn(t *testing.T, dir string, marker []byte) (files, plaintext []string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		files = append(files, p)
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, marker) {
			plaintext = append(plaintext, p)
		}
		return nil
	})
	return files, plaintext
}

// An upload past every spool threshold, on every upload route, leaves no
// file under the temporary directory and no plaintext anywhere in it,
// whether it is refused or lands. Before, each left a multipart-* file in
// the clear, never deleted: the form was parsed on a copy of the request.
func TestUploadsLeaveNothingOnDisk(t *testing.T) {
	e := newEnv(t, "sqlite")
	e.useDocumentDir(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the standard library, and jtai by default, spools
	own := fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)
	api := fmt.Sprintf("/api/v1/inspections/%d", e.demo.Inspection.ID)
	coordinator := e.as(t, jtai.RoleCoordinator)
	token := e.issue(t, e.demo.User(jtai.RoleCoordinator))
	social := fmt.Sprint(agencyOf(e, jtai.AgencySocialCare).ID)

	marker := []byte("PLAINTEXT-MARKER Child Unique ID,Female,WBRI,28/02/2021\n")
	filler := bytes.Repeat(marker, (45<<20)/len(marker))
	pdf := append(append([]byte("%PDF-1.7\n"), filler...), "\n%%EOF\n"...)

	for _, up := range []struct {
		route string
		send  func() int
		want  int
	}{
		{"POST " + own + "/lists (refused)", func() int {
			code, _ := coordinator.upload(own+"/lists", map[string]string{"notes.txt": string(filler)})
			return code
		}, http.StatusUnprocessableEntity},
		{"POST " + own + "/documents", func() int {
			code, _ := coordinator.uploadDocument(own+"/documents", map[string]string{"item": "domestic-abuse-strategy", "agency": social}, "strategy.pdf", pdf)
			return code
		}, http.StatusSeeOther},
		{"POST " + api + "/lists (refused)", func() int {
			ct, body := multipartFiles(map[string]string{"notes.txt": string(filler)})
			return e.call(t, "POST", api+"/lists", token, ct, body).resp.StatusCode
		}, http.StatusUnprocessableEntity},
		{"POST " + api + "/documents/{document}", func() int {
			ct, body := multipartDocument(map[string]string{"agency": social}, "strategy.pdf", pdf)
			return e.call(t, "POST", api+"/documents/domestic-abuse-strategy", token, ct, body).resp.StatusCode
		}, http.StatusCreated},
	} {
		if code := up.send(); code != up.want {
			t.Errorf("%s: status %d, want %d", up.route, code, up.want)
		}
		files, plaintext := leftIn(t, tmp, marker)
		if len(files) > 0 {
			t.Errorf("%s left %d files in the temporary directory: %s", up.route, len(files), strings.Join(files, ", "))
		}
		if len(plaintext) > 0 {
			t.Errorf("%s left plaintext on disk", up.route)
		}
	}
}
