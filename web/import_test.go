package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"jtai"
	"jtai/guard"
	"jtai/store/storetest"
	"jtai/web"
)

func init() {
	want["GET /inspections/{id}/lists"] = roles(404, 200, 200, 200, 403)
	want["POST /inspections/{id}/lists"] = roles(404, 422, 422, 422, 403) // no file in the walk
	want["GET /inspections/{id}/lists/template/{format}"] = roles(404, 404, 404, 404, 403)
	want["GET /inspections/{id}/lists/problems/{report}"] = roles(404, 404, 404, 404, 403)
}

// upload posts files as the page's form does.
func (c *client) upload(path string, files map[string]string, fields ...string) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.csrf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

const referralsCSV = "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source\n"

func TestUploadLists(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/lists", e.demo.Inspection.ID)
	before, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID)

	var bad strings.Builder
	bad.WriteString(referralsCSV)
	for i := range 300 {
		fmt.Fprintf(&bad, "UP%04d,Male,WBRI,31/02/2020,5,03/01/2026,6\n", i)
	}
	code, body := c.upload(page, map[string]string{"List 3.csv": bad.String()})
	if code != 422 {
		t.Fatalf("bad upload: %d\n%s", code, body)
	}
	mustContain(t, body, "<title>Error: Children")
	mustContain(t, body, `<a href="#problems">300 values that are not dates</a>`)
	mustContain(t, body, `id="problems"`)
	mustContain(t, body, "300 errors and 0 warnings")
	if n := strings.Count(body, "govuk-error-summary__list"); n != 1 || strings.Count(body, `<a href="#problems">`) > 5 {
		t.Errorf("the error summary lists rows one by one")
	}
	mustNotContain(t, body, "31/02/2020") // masked
	if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
		t.Errorf("a refused upload changed the children: %d -> %d", before, after)
	}
	link := strings.Index(body, page+"/problems/")
	if link < 0 {
		t.Fatal("no CSV link")
	}
	href := body[link : link+strings.IndexByte(body[link:], '"')]
	code, csv := c.get(href)
	if code != 200 || strings.Count(csv, "\n") != 301 || !strings.Contains(csv, "List 3.csv,,2,Date of Birth") {
		t.Errorf("problems CSV: %d\n%.300s", code, csv)
	}
	if code, _ := e.as(t, jtai.RoleInspector).get(href); code != 404 {
		t.Errorf("another user's problems: %d, want 404", code)
	}

	good := referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\nUP0002,Female,WBRI,01/03/2021,4,04/01/2026,3A\n"
	// The new list 3 leaves out the demo's referrals: the page asks first.
	code, body = c.upload(page, map[string]string{"List 3.csv": good})
	if code != http.StatusConflict {
		t.Fatalf("list 3 without most of its children: %d, want 409", code)
	}
	mustContain(t, body, `<a href="#replace">`)
	mustContain(t, body, `id="leaving"`)
	mustContain(t, body, "children would leave it")
	if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
		t.Errorf("an unconfirmed upload changed the children: %d -> %d", before, after)
	}
	code, body = c.upload(page, map[string]string{"List 3.csv": good}, "replace", "yes")
	if code != 200 {
		t.Fatalf("good upload: %d\n%s", code, body)
	}
	// Replacing list 3 changes the records of the demo's children who were
	// on it, as well as adding the two.
	mustContain(t, body, "2 rows imported: ")
	mustContain(t, body, " children&#39;s records changed (2 new)")
	mustContain(t, body, "Annex A list 3 (referrals): 2 rows")
	mustContain(t, body, "children left the list")
	// The list's history names who sent it, as people are named on pages.
	_, lists := c.get(page)
	coordinator := e.demo.User(jtai.RoleCoordinator)
	mustContain(t, lists, "by "+coordinator.Name)
	mustNotContain(t, lists, "by "+coordinator.Email)
	if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before+2 {
		t.Errorf("children %d -> %d, want two more", before, after)
	}

	for _, format := range []string{"xlsx", "csv"} {
		if code, body := c.get(page + "/template/" + format); code != 200 || len(body) < 100 {
			t.Errorf("template %s: %d", format, code)
		}
	}
	_, insp := c.get(fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID))
	mustContain(t, insp, `href="`+page+`"`)
}

// The problems CSV is kept in the database: another app server, or this
// one after a restart, serves the download, and the download is logged.
func TestProblemsCSVFromAnotherServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		c := e.as(t, jtai.RoleCoordinator)
		page := fmt.Sprintf("/inspections/%d/lists", e.demo.Inspection.ID)
		code, body := c.upload(page, map[string]string{"List 3.csv": referralsCSV + "UP0001,Male,WBRI,31/02/2020,5,03/01/2026,6\n"})
		if code != 422 {
			t.Fatalf("bad upload: %d\n%s", code, body)
		}
		link := strings.Index(body, page+"/problems/")
		if link < 0 {
			t.Fatal("no CSV link")
		}
		href := body[link : link+strings.IndexByte(body[link:], '"')]
		rows, err := e.db.RawQuery(ctx, fmt.Sprintf("SELECT COUNT(*) FROM import_problems WHERE inspection_id = %d", e.demo.Inspection.ID))
		if err != nil {
			t.Fatal(err)
		}
		var kept int
		for rows.Next() {
			rows.Scan(&kept)
		}
		rows.Close()
		if kept != 1 {
			t.Errorf("%d reports of problems in the database, want the upload's", kept)
		}

		srv, err := web.New(web.Config{Store: e.db, Guard: guard.New(e.db), Auth: e.auth})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)
		other := *c // the same browser, its session cookie sent to the other server
		other.e = &env{srv, ts, e.db, e.demo, e.auth, t}
		code, csv := other.get(href)
		if code != 200 || !strings.Contains(csv, "List 3.csv,,2,Date of Birth,") || strings.Contains(csv, "31/02/2020") {
			t.Errorf("problems CSV from another server: %d\n%.300s", code, csv)
		}
		tail, err := e.db.AccessLogTail(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		coordinator := e.demo.User(jtai.RoleCoordinator)
		if l := tail[0]; l.Action != jtai.ActView || l.ActorID != coordinator.ID || !strings.HasPrefix(l.Resource, fmt.Sprintf("inspection/%d/lists/problems/", e.demo.Inspection.ID)) {
			t.Errorf("the download was logged as %+v", l)
		}
	})
}

// The problems CSV opens in a spreadsheet: text that came with the upload
// (here the file's name) must not start a formula there.
func TestProblemsCSVRunsNoFormula(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/lists", e.demo.Inspection.ID)
	name := `=1+2 List 3.csv`
	code, body := c.upload(page, map[string]string{name: referralsCSV + "UP0001,Male,WBRI,31/02/2020,5,03/01/2026,6\n"})
	if code != 422 {
		t.Fatalf("bad upload: %d\n%s", code, body)
	}
	link := strings.Index(body, page+"/problems/")
	if link < 0 {
		t.Fatal("no CSV link")
	}
	code, out := c.get(body[link : link+strings.IndexByte(body[link:], '"')])
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 200 || err != nil || len(rows) < 2 {
		t.Fatalf("problems CSV: %d %v\n%s", code, err, out)
	}
	for _, row := range rows[1:] {
		if row[0] != "'"+name {
			t.Errorf("file cell %q, want it neutralised as %q", row[0], "'"+name)
		}
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("column %s starts a formula: %q", rows[0][i], cell)
			}
		}
	}
}

// An SSDA903 file uploaded as a list is named for what it is, with the
// lists jtai reads, and nothing of the upload lands.
func TestUploadOtherReturn(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/lists", e.demo.Inspection.ID)
	before, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID)
	header := "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n100001,1,03/05/2019,WBRI,A123456789012,,\n"
	code, body := c.upload(page, map[string]string{"header.csv": header, "List 3.csv": referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\n"})
	if code != 422 {
		t.Fatalf("an SSDA903 file: %d, want 422\n%s", code, body)
	}
	mustContain(t, body, "header.csv")
	mustContain(t, body, "this looks like the header file of an SSDA903 return (the children looked after return to the Department for Education)")
	mustContain(t, body, "jtai reads these lists: the Annex A workbook (.xlsx)")
	if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
		t.Errorf("a refused upload changed the children: %d -> %d", before, after)
	}
}

// A list uploaded with no rows is in the import's summary, kept as it was.
func TestUploadSummaryNamesEmptyList(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/lists", e.demo.Inspection.ID)
	earlyHelp := "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Assessment start date,Assessment completion date,Organisation completing assessment\n"
	code, body := c.upload(page, map[string]string{"List 3.csv": referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\n", "List 2.csv": earlyHelp}, "replace", "yes")
	if code != 200 {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	mustContain(t, body, "Annex A list 3 (referrals): 1 row")
	mustContain(t, body, "Annex A list 2 (early help): no rows, so not imported")
}
