package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"jtai"
	"jtai/blob"
	"jtai/store/storetest"
)

func init() {
	want["GET /inspections/{id}/documents"] = roles(404, 200, 200, 200, 200)
	want["POST /inspections/{id}/documents"] = roles(404, 403, 403, 422, 422) // no file in the walk
	want["GET /inspections/{id}/documents/{doc}"] = all(404)                  // no such document
	want["GET /inspections/{id}/documents/{doc}/download"] = all(404)
}

// uploadDocument posts a file to the documents page as a browser without
// JavaScript does.
func (c *client) uploadDocument(path string, fields map[string]string, name string, content []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func (e *env) useDocumentDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "documents")
	l, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	e.db.SetDocumentStore(l)
	return dir
}

func agencyOf(e *env, kind jtai.AgencyKind) *jtai.Agency {
	for _, a := range e.demo.Agencies {
		if a.Kind == kind {
			return a
		}
	}
	return nil
}

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		e.useDocumentDir(t)
		own := fmt.Sprintf("/inspections/%d/documents", e.demo.Inspection.ID)
		auditor := e.demo.User(jtai.RoleAgencyAuditor)
		var other *jtai.Agency
		for _, a := range e.demo.Agencies {
			if a.ID != auditor.AgencyID {
				other = a
				break
			}
		}
		pdf := []byte("%PDF-1.7\nStrategy of the partnership\n%%EOF\n")
		coord := e.as(t, jtai.RoleCoordinator)
		fields := map[string]string{"item": "domestic-abuse-strategy", "agency": fmt.Sprint(other.ID)}

		t.Run("upload and replace keep the history", func(t *testing.T) {
			for i := 1; i <= 2; i++ {
				code, body := coord.uploadDocument(own, fields, fmt.Sprintf("strategy-v%d.pdf", i), pdf)
				if code != http.StatusSeeOther {
					t.Fatalf("upload %d: status %d\n%s", i, code, body)
				}
				// The page says so once; a reload does not.
				banner := fmt.Sprintf("strategy-v%d.pdf uploaded as version %d", i, i)
				if _, page := coord.get(own); !strings.Contains(page, banner) {
					t.Errorf("upload %d: the documents page does not say %q", i, banner)
				}
				if _, page := coord.get(own); strings.Contains(page, "uploaded as version") {
					t.Errorf("upload %d: the documents page says it again on reload", i)
				}
			}
			docs, _ := e.db.ListDocuments(ctx, e.demo.Inspection.ID)
			if len(docs) != 2 || docs[0].Version != 2 || docs[0].Name != "strategy-v2.pdf" || docs[0].Kind != jtai.DocPDF {
				t.Fatalf("documents = %+v", docs)
			}
			_, page := coord.get(fmt.Sprintf("%s/%d", own, docs[0].ID))
			mustContain(t, page, "strategy-v1.pdf")
			mustContain(t, page, "strategy-v2.pdf")
			insp := e.as(t, jtai.RoleInspector)
			_, list := insp.get(own)
			mustContain(t, list, "strategy-v2.pdf")
			code, got := insp.get(fmt.Sprintf("%s/%d/download", own, docs[1].ID))
			if code != 200 || got != string(pdf) {
				t.Fatalf("download: %d %q", code, got)
			}
			if !logged(t, e, jtai.ActDocumentRead, fmt.Sprintf("documents/%d", docs[1].ID)) {
				t.Error("the download is not in the access log")
			}
		})

		t.Run("content decides, not the name", func(t *testing.T) {
			zipNotOffice := []byte("PK\x03\x04 not really")
			for _, tc := range []struct {
				name    string
				content []byte
				message string
			}{
				{"strategy.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "is a program, not a document"},
				{"report.docx", zipNotOffice, "not a Word, Excel or OpenDocument file"},
				{"image.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "its content does not match"},
				{"empty.txt", nil, "The selected file is empty"},
			} {
				code, body := coord.uploadDocument(own, fields, tc.name, tc.content)
				if code != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", tc.name, code)
				}
				mustContain(t, body, tc.message)
				mustContain(t, body, "There is a problem")
			}
			docs, _ := e.db.ListDocuments(ctx, e.demo.Inspection.ID)
			if len(docs) != 2 {
				t.Errorf("a refused upload was stored: %d versions", len(docs))
			}
		})

		t.Run("an auditor sees its own agency only", func(t *testing.T) {
			ac := e.as(t, jtai.RoleAgencyAuditor)
			// The auditor's agency is its own, whatever the form says.
			if code, body := ac.uploadDocument(own, map[string]string{"item": "self-evaluation", "agency": fmt.Sprint(other.ID)}, "notes.txt", []byte("Our self-evaluation\n")); code != 303 {
				t.Fatalf("auditor upload: %d\n%s", code, body)
			}
			docs, _ := e.db.ListDocuments(ctx, e.demo.Inspection.ID)
			var mine, theirs *jtai.Document
			for _, d := range docs {
				if d.AgencyID == auditor.AgencyID {
					mine = d
				} else {
					theirs = d
				}
			}
			if mine == nil || mine.Item != "self-evaluation" {
				t.Fatalf("the auditor's upload landed as %+v", docs)
			}
			_, list := ac.get(own)
			mustContain(t, list, "notes.txt")
			mustNotContain(t, list, "strategy-v2.pdf")
			mustNotContain(t, list, other.Name)
			for _, p := range []string{fmt.Sprintf("%s/%d", own, theirs.ID), fmt.Sprintf("%s/%d/download", own, theirs.ID)} {
				if code, _ := ac.get(p); code != 404 {
					t.Errorf("%s: %d, want 404", p, code)
				}
			}
			if !logged(t, e, jtai.ActDenied, fmt.Sprintf("documents/%d", theirs.ID)) {
				t.Error("the refused look is not in the access log")
			}
			// Another area's document, by its own URL or under this inspection.
			elsewhere := &jtai.Document{InspectionID: e.demo.OtherInspection.ID, AgencyID: other.ID, Item: "self-evaluation", Name: "theirs.txt", Kind: jtai.DocText, UploadedBy: "x"}
			if err := e.db.AddDocumentVersion(ctx, elsewhere, []byte("elsewhere"), &jtai.AccessEntry{Actor: "test"}); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{
				fmt.Sprintf("/inspections/%d/documents/%d/download", e.demo.OtherInspection.ID, elsewhere.ID),
				fmt.Sprintf("%s/%d/download", own, elsewhere.ID),
			} {
				if code, body := ac.get(p); code != 404 || strings.Contains(body, "elsewhere") {
					t.Errorf("%s: %d, want 404", p, code)
				}
			}
		})
	})
}

// logged reports whether the access log has an entry of action whose
// resource contains resource.
func logged(t *testing.T, e *env, action, resource string) bool {
	t.Helper()
	rows, err := e.db.RawQuery(ctx, `SELECT action, resource FROM access_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, r string
		rows.Scan(&a, &r)
		if a == action && strings.Contains(r, resource) {
			return true
		}
	}
	return false
}
