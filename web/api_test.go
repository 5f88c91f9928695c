package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"jtai"
	"jtai/auth"
	"jtai/store/storetest"
	"jtai/web"
)

func init() {
	// The walk signs in with cookies, which the API ignores: no token, 401.
	want["GET /api/v1/inspections"] = all(401)
	want["GET /api/v1/inspections/{id}"] = all(401)
	want["POST /api/v1/inspections/{id}/lists"] = all(401)
	want["POST /api/v1/inspections/{id}/documents/{document}"] = all(401)
	want["GET /accounts/{id}/tokens"] = roles(200, 403, 403, 403, 403)
	want["POST /accounts/{id}/tokens/{token}/revoke"] = roles(404, 403, 403, 403, 403)
	// One's own tokens: an administrator has none, and issues none.
	want["GET /account/tokens"] = roles(403, 200, 200, 200, 200)
	want["POST /account/tokens"] = roles(403, 422, 422, 422, 422) // no name in the walk
	want["POST /account/tokens/{token}/revoke"] = roles(404, 404, 404, 404, 404)
}

// issue stores a token for a user as the accounts page does and returns it.
func (e *env) issue(t testing.TB, u *jtai.User) string {
	t.Helper()
	token, hash := auth.NewToken()
	if err := e.db.CreateAPIToken(ctx, &jtai.APIToken{UserID: u.ID, Name: "test system", TokenHash: hash, CreatedBy: u.Name, CreatedAt: time.Now(),
		ExpiresAt: time.Now().Add(jtai.TokenLifetime), Scopes: jtai.Scopes}); err != nil {
		t.Fatal(err)
	}
	// A token's account has a second factor.
	if stored, err := e.db.FindUserByID(ctx, u.ID); err != nil || stored.TOTPSecret == "" {
		if err := e.db.SetUserTOTP(ctx, u.ID, freshSecret(t), 0); err != nil {
			t.Fatal(err)
		}
	}
	return token
}

type apiResponse struct {
	req  *http.Request
	resp *http.Response
	body []byte
}

// call makes an API request with a bearer token ("" for none).
func (e *env) call(t testing.TB, method, path, token, contentType string, body []byte) *apiResponse {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// The request as the router sees it: the body has been sent.
	req.Body = io.NopCloser(bytes.NewReader(body))
	return &apiResponse{req, resp, b}
}

// multipartDocument is an upload of one document, with form fields.
func multipartDocument(fields map[string]string, name string, content []byte) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

func multipartFiles(files map[string]string, fields ...string) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write([]byte(content))
	}
	mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

type apiError struct {
	Error struct {
		Kind     string `json:"kind"`
		Message  string `json:"message"`
		Fields   []jtai.FieldError
		Problems []struct {
			File, Sheet, Column string
			Row                 int
		} `json:"problems"`
	} `json:"error"`
}

func (r *apiResponse) apiError(t testing.TB) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Kind == "" || !strings.HasPrefix(r.resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("not a JSON error (%v): %s %s", err, r.resp.Header.Get("Content-Type"), r.body)
	}
	return e
}

// spec loads the served OpenAPI document and checks it is valid.
func (e *env) spec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	resp, err := http.Get(e.ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: e.ts.URL}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// conforms checks a real response against the document.
func conforms(t testing.TB, router routers.Router, r *apiResponse) {
	t.Helper()
	route, params, err := router.FindRoute(r.req)
	if err != nil {
		t.Errorf("%s %s: not in the OpenAPI document: %v", r.req.Method, r.req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r.req, PathParams: params, Route: route},
		Status:                 r.resp.StatusCode,
		Header:                 r.resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(r.body)
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		t.Errorf("%s %s: %d response does not conform to the OpenAPI document: %v\n%s", r.req.Method, r.req.URL.Path, r.resp.StatusCode, err, r.body)
	}
}

func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	e := newEnv(t, "sqlite")
	doc, _ := e.spec(t)
	registered := map[string]bool{"GET /api/v1/openapi.json": true} // served outside the route table
	for _, rt := range e.srv.Routes() {
		if strings.HasPrefix(rt.Pattern, "/api/") {
			registered[rt.Method+" "+rt.Pattern] = true
			if rt.Access != web.API {
				t.Errorf("%s %s: API route without API access", rt.Method, rt.Pattern)
			}
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for k := range registered {
		if !documented[k] {
			t.Errorf("route %s is not in the OpenAPI document", k)
		}
	}
	for k := range documented {
		if !registered[k] {
			t.Errorf("the OpenAPI document has %s, which is not a route", k)
		}
	}
}

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		_, router := e.spec(t)
		own := fmt.Sprintf("/api/v1/inspections/%d", e.demo.Inspection.ID)
		coordinator := e.demo.User(jtai.RoleCoordinator)
		token := e.issue(t, coordinator)

		t.Run("refused tokens", func(t *testing.T) {
			revoked := e.issue(t, coordinator)
			toks, _ := e.db.ListAPITokens(ctx, coordinator.ID)
			if err := e.db.RevokeAPIToken(ctx, coordinator.ID, toks[0].ID, time.Now()); err != nil {
				t.Fatal(err)
			}
			for name, tok := range map[string]string{"none": "", "bad": "not-a-token", "revoked": revoked} {
				for _, path := range []string{"/api/v1/inspections", own} {
					r := e.call(t, "GET", path, tok, "", nil)
					if r.resp.StatusCode != 401 {
						t.Errorf("%s token on %s: %d, want 401", name, path, r.resp.StatusCode)
					}
					if k := r.apiError(t).Error.Kind; k != jtai.EUNAUTHORIZED {
						t.Errorf("%s token: kind %q", name, k)
					}
					conforms(t, router, r)
				}
			}
			// A session cookie is no token, and a POST needs no CSRF token
			// to be refused with JSON.
			ct, body := multipartFiles(map[string]string{"List 3.csv": referralsCSV})
			r := e.call(t, "POST", own+"/lists", "", ct, body)
			if r.resp.StatusCode != 401 {
				t.Errorf("upload without a token: %d", r.resp.StatusCode)
			}
		})

		t.Run("read", func(t *testing.T) {
			r := e.call(t, "GET", "/api/v1/inspections", token, "", nil)
			conforms(t, router, r)
			var list struct{ Inspections []struct{ ID int64 } }
			json.Unmarshal(r.body, &list)
			if r.resp.StatusCode != 200 || len(list.Inspections) != 1 || list.Inspections[0].ID != e.demo.Inspection.ID {
				t.Errorf("inspections: %d %s", r.resp.StatusCode, r.body)
			}
			r = e.call(t, "GET", own, token, "", nil)
			conforms(t, router, r)
			if r.resp.StatusCode != 200 || !strings.Contains(string(r.body), `"timetable":[{`) {
				t.Errorf("inspection: %d %s", r.resp.StatusCode, r.body)
			}
			other := e.call(t, "GET", fmt.Sprintf("/api/v1/inspections/%d", e.demo.OtherInspection.ID), token, "", nil)
			conforms(t, router, other)
			if other.resp.StatusCode != 404 || other.apiError(t).Error.Kind != jtai.ENOTFOUND {
				t.Errorf("another area's inspection: %d %s", other.resp.StatusCode, other.body)
			}
		})

		t.Run("another area's coordinator", func(t *testing.T) {
			u := &jtai.User{Email: "westholm-system@example.org", Name: "Westholm system", Role: jtai.RoleCoordinator, AreaID: e.demo.OtherArea.ID, PasswordHash: "-", CreatedAt: time.Now()}
			if err := e.db.CreateUser(ctx, u, nil); err != nil {
				t.Fatal(err)
			}
			tok := e.issue(t, u)
			for _, method := range []string{"GET", "POST"} {
				path, ct, body := own, "", []byte(nil)
				if method == "POST" {
					path = own + "/lists"
					ct, body = multipartFiles(map[string]string{"List 3.csv": referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\n"})
				}
				r := e.call(t, method, path, tok, ct, body)
				conforms(t, router, r)
				if r.resp.StatusCode != 404 {
					t.Errorf("%s %s as another area's coordinator: %d, want 404", method, path, r.resp.StatusCode)
				}
			}
			ct, body := multipartDocument(map[string]string{"agency": fmt.Sprint(e.demo.Agencies[0].ID)}, "strategy.pdf", []byte("%PDF-1.7\n%%EOF\n"))
			r := e.call(t, "POST", own+"/documents/domestic-abuse-strategy", tok, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 404 {
				t.Errorf("document upload as another area's coordinator: %d, want 404", r.resp.StatusCode)
			}
			r = e.call(t, "GET", "/api/v1/inspections", tok, "", nil)
			if strings.Contains(string(r.body), fmt.Sprintf(`"id":%d,`, e.demo.Inspection.ID)) {
				t.Errorf("another area's coordinator sees this area's inspection: %s", r.body)
			}
		})

		t.Run("upload", func(t *testing.T) {
			before, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID)
			bad := referralsCSV + "UP0001,Male,WBRI,31/02/2020,5,03/01/2026,6\n"
			ct, body := multipartFiles(map[string]string{"List 3.csv": bad})
			r := e.call(t, "POST", own+"/lists", token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 422 {
				t.Fatalf("broken list: %d %s", r.resp.StatusCode, r.body)
			}
			ae := r.apiError(t)
			if ae.Error.Kind != jtai.EINVALID || len(ae.Error.Fields) == 0 || len(ae.Error.Problems) != 1 {
				t.Fatalf("broken list: %s", r.body)
			}
			if p := ae.Error.Problems[0]; p.File != "List 3.csv" || p.Row != 2 || p.Column != "Date of Birth" {
				t.Errorf("problem names %+v, want List 3.csv row 2 Date of Birth", p)
			}
			if strings.Contains(string(r.body), "31/02/2020") {
				t.Error("the problem shows the value unmasked")
			}
			if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
				t.Errorf("a refused upload changed the children: %d -> %d", before, after)
			}

			r = e.call(t, "POST", own+"/lists", token, "", nil)
			conforms(t, router, r)
			if r.resp.StatusCode != 422 || r.apiError(t).Error.Fields[0].Field != "files" {
				t.Errorf("no files: %d %s", r.resp.StatusCode, r.body)
			}

			good := referralsCSV + "UP0001,Male,WBRI,28/02/2020,5,03/01/2026,6\nUP0002,Female,WBRI,01/03/2021,4,04/01/2026,3A\n"
			// It takes the demo's other referrals off list 3: 409 until
			// replace confirms it.
			ct, body = multipartFiles(map[string]string{"List 3.csv": good})
			r = e.call(t, "POST", own+"/lists", token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 409 || r.apiError(t).Error.Kind != jtai.ECONFLICT || !strings.Contains(r.apiError(t).Error.Message, "would leave it") {
				t.Fatalf("good list, unconfirmed: %d %s", r.resp.StatusCode, r.body)
			}
			if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
				t.Errorf("an unconfirmed upload changed the children: %d -> %d", before, after)
			}
			ct, body = multipartFiles(map[string]string{"List 3.csv": good}, "replace", "true")
			r = e.call(t, "POST", own+"/lists", token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 201 || !strings.Contains(string(r.body), `"rows":2`) || !strings.Contains(string(r.body), `"left":`) {
				t.Fatalf("good list: %d %s", r.resp.StatusCode, r.body)
			}
			if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before+2 {
				t.Errorf("children %d -> %d, want two more", before, after)
			}
			r = e.call(t, "GET", own, token, "", nil)
			conforms(t, router, r)
			if !strings.Contains(string(r.body), `"list":"`) {
				t.Errorf("the inspection does not show the list landed: %s", r.body)
			}

			// A census lands with its reference date; a date to check is a
			// warning carrying the DfE's rule number.
			ref := jtai.Date{Time: e.demo.Inspection.NotifiedOn.AddDate(0, 0, 1)}
			census := strings.Replace(censusXML(e.demo.Area.LACode, ref, "API1"), "<ReferralSource>", "<CINclosureDate>2020-01-01</CINclosureDate><ReferralSource>", 1)
			ct, body = multipartFiles(map[string]string{"census.xml": census}, "replace", "true")
			r = e.call(t, "POST", own+"/lists", token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 201 || !strings.Contains(string(r.body), `"reference_date":"`+ref.String()+`"`) || !strings.Contains(string(r.body), `"dfe_rule":"8630"`) {
				t.Fatalf("census: %d %s", r.resp.StatusCode, r.body)
			}
		})

		t.Run("an auditor may not upload lists", func(t *testing.T) {
			tok := e.issue(t, e.demo.User(jtai.RoleAgencyAuditor))
			ct, body := multipartFiles(map[string]string{"List 3.csv": referralsCSV})
			r := e.call(t, "POST", own+"/lists", tok, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 403 {
				t.Errorf("auditor upload: %d %s", r.resp.StatusCode, r.body)
			}
		})

		t.Run("documents", func(t *testing.T) {
			e.useDocumentDir(t)
			auditor := e.demo.User(jtai.RoleAgencyAuditor)
			var other *jtai.Agency
			for _, a := range e.demo.Agencies {
				if a.ID != auditor.AgencyID {
					other = a
					break
				}
			}
			pdf := []byte("%PDF-1.7\nStrategy of the partnership\n%%EOF\n")
			path := own + "/documents/domestic-abuse-strategy"
			ct, body := multipartDocument(map[string]string{"agency": fmt.Sprint(other.ID)}, "strategy.pdf", pdf)
			r := e.call(t, "POST", path, token, ct, body)
			conforms(t, router, r)
			var d jtai.Document
			json.Unmarshal(r.body, &d)
			if r.resp.StatusCode != 201 || d.AgencyID != other.ID || d.Version != 1 || d.Kind != jtai.DocPDF {
				t.Fatalf("upload: %d %s", r.resp.StatusCode, r.body)
			}
			// An auditor's document is its own agency's, whatever it says.
			ct, body = multipartDocument(map[string]string{"agency": fmt.Sprint(other.ID)}, "ours.pdf", pdf)
			r = e.call(t, "POST", path, e.issue(t, auditor), ct, body)
			conforms(t, router, r)
			json.Unmarshal(r.body, &d)
			if r.resp.StatusCode != 201 || d.AgencyID != auditor.AgencyID {
				t.Errorf("auditor upload: %d %s", r.resp.StatusCode, r.body)
			}
			ct, body = multipartDocument(map[string]string{"agency": fmt.Sprint(other.ID)}, "strategy.pdf", []byte("MZ\x90\x00 not a pdf"))
			r = e.call(t, "POST", path, token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 422 || len(r.apiError(t).Error.Fields) == 0 {
				t.Errorf("an .exe named .pdf: %d %s", r.resp.StatusCode, r.body)
			}
			r = e.call(t, "POST", own+"/documents/no-such-item", token, ct, body)
			conforms(t, router, r)
			if r.resp.StatusCode != 404 {
				t.Errorf("unknown item: %d", r.resp.StatusCode)
			}
			docs, _ := e.db.ListDocuments(ctx, e.demo.Inspection.ID)
			if len(docs) != 2 {
				t.Errorf("documents stored: %d, want 2", len(docs))
			}
		})

		// The same access log as the pages, under the token's account.
		entries, _ := e.db.AccessLogTail(ctx, 500)
		var sawView, sawRejected, sawBadToken bool
		for _, en := range entries {
			switch {
			case en.Action == jtai.ActView && en.Actor == coordinator.Email && en.Resource == fmt.Sprintf("api inspection/%d", e.demo.Inspection.ID):
				sawView = true
			case en.Action == jtai.ActCreate && en.Actor == coordinator.Email && en.Outcome == "rejected":
				sawRejected = true
			case en.Action == jtai.ActDenied && en.Outcome == "bad token":
				sawBadToken = true
			}
		}
		if !sawView || !sawRejected || !sawBadToken {
			t.Errorf("access log: view %v, rejected upload %v, refused token %v", sawView, sawRejected, sawBadToken)
		}
		if _, err := e.db.Verify(ctx); err != nil {
			t.Error(err)
		}
	})
}

// A token is issued by its owner, from its own page, with scopes and an
// expiry, and shown to it once; an administrator lists and revokes
// tokens but issues none, so never holds one that acts as someone else.
func TestIssueAndRevokeToken(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleCoordinator)
	owner := e.as(t, jtai.RoleCoordinator)
	admin := e.as(t, jtai.RoleAdministrator)

	// Bad input: each field named, nothing stored.
	code, body := owner.postForm("/account/tokens", url.Values{"expires": {"400"}})
	if code != 422 {
		t.Errorf("empty form: %d", code)
	}
	mustContain(t, body, `<a href="#name">Enter a name for the token`)
	mustContain(t, body, `<a href="#scopes">Select what the token may do</a>`)
	mustContain(t, body, `<a href="#expires">Choose when the token stops working: at most a year from today</a>`)
	if toks, _ := e.db.ListAPITokens(ctx, u.ID); len(toks) != 0 {
		t.Fatalf("a refused form stored %d tokens", len(toks))
	}

	code, body = owner.postForm("/account/tokens", url.Values{"name": {"Eastmere records system"}, "scopes": {"read"}, "expires": {"90"}})
	if code != 200 {
		t.Fatalf("issue: %d\n%s", code, body)
	}
	m := regexp.MustCompile(`id="new-token"[^>]*>([^<]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no token shown:\n%s", body)
	}
	// The name field is empty again, so the same token is not issued twice.
	mustNotContain(t, body, `value="Eastmere records system"`)
	toks, _ := e.db.ListAPITokens(ctx, u.ID)
	if len(toks) != 1 || toks[0].TokenHash != auth.HashToken(m[1]) || strings.Contains(toks[0].TokenHash, m[1]) {
		t.Fatalf("stored tokens: %+v", toks)
	}
	if d := time.Until(toks[0].ExpiresAt); d < jtai.TokenLifetime-time.Hour || d > jtai.TokenLifetime {
		t.Errorf("the token expires in %v, want 90 days", d)
	}
	if r := e.call(t, "GET", "/api/v1/inspections", m[1], "", nil); r.resp.StatusCode != 200 {
		t.Errorf("issued token: %d %s", r.resp.StatusCode, r.body)
	}
	// Its scopes are all it may do.
	if r := e.call(t, "POST", fmt.Sprintf("/api/v1/inspections/%d/lists", e.demo.Inspection.ID), m[1], "text/csv", []byte("x")); r.resp.StatusCode != http.StatusForbidden || !strings.Contains(string(r.body), "may not upload children") {
		t.Errorf("an upload with a read-only token: %d, want 403", r.resp.StatusCode)
	}
	_, again := owner.get("/account/tokens")
	mustNotContain(t, again, m[1])
	mustContain(t, again, "Eastmere records system")

	// The administrator sees it listed, never the token, and issues none.
	page := fmt.Sprintf("/accounts/%d/tokens", u.ID)
	_, listed := admin.get(page)
	mustContain(t, listed, "Eastmere records system")
	mustNotContain(t, listed, m[1])
	mustNotContain(t, listed, `action="/account/tokens"`)
	if code, _ := admin.postForm(page, url.Values{"name": {"x"}, "scopes": {"read"}, "expires": {"90"}}); code != http.StatusMethodNotAllowed {
		t.Errorf("an administrator issues a token for another account: %d, want 405", code)
	}
	if code, _ := admin.postForm("/account/tokens", url.Values{"name": {"x"}, "scopes": {"read"}, "expires": {"90"}}); code != http.StatusForbidden {
		t.Errorf("an administrator issues itself a token: %d, want 403", code)
	}
	if toks, _ := e.db.ListAPITokens(ctx, e.demo.User(jtai.RoleAdministrator).ID); len(toks) != 0 {
		t.Errorf("the administrator holds %d tokens", len(toks))
	}

	// Another account's token cannot be revoked through this one's page.
	other := fmt.Sprintf("/accounts/%d/tokens/%d/revoke", e.demo.User(jtai.RoleInspector).ID, toks[0].ID)
	if code, _ := admin.postForm(other, url.Values{}); code != 404 {
		t.Errorf("revoke through another account: %d, want 404", code)
	}
	if code, _ := admin.postForm(fmt.Sprintf("%s/%d/revoke", page, toks[0].ID), url.Values{}); code != 303 {
		t.Errorf("revoke: %d", code)
	}
	if r := e.call(t, "GET", "/api/v1/inspections", m[1], "", nil); r.resp.StatusCode != 401 {
		t.Errorf("revoked token: %d", r.resp.StatusCode)
	}
}

// A token stops working when it expires, when its account's second factor
// is reset, and if it was issued before tokens had an expiry.
func TestTokensThatStop(t *testing.T) {
	e := newEnv(t, "sqlite")
	u := e.demo.User(jtai.RoleCoordinator)
	token := e.issue(t, u)
	if r := e.call(t, "GET", "/api/v1/inspections", token, "", nil); r.resp.StatusCode != 200 {
		t.Fatalf("a live token: %d", r.resp.StatusCode)
	}
	if _, err := e.db.RawExec(ctx, `UPDATE api_tokens SET expires_at = ? WHERE token_hash = ?`, time.Now().Add(-time.Minute).UnixMicro(), auth.HashToken(token)); err != nil {
		t.Fatal(err)
	}
	if r := e.call(t, "GET", "/api/v1/inspections", token, "", nil); r.resp.StatusCode != 401 {
		t.Errorf("an expired token: %d, want 401", r.resp.StatusCode)
	}
	if _, err := e.db.RawExec(ctx, `UPDATE api_tokens SET expires_at = 0 WHERE token_hash = ?`, auth.HashToken(token)); err != nil {
		t.Fatal(err)
	}
	if r := e.call(t, "GET", "/api/v1/inspections", token, "", nil); r.resp.StatusCode != 401 {
		t.Errorf("a token with no expiry: %d, want 401", r.resp.StatusCode)
	}
	second := e.issue(t, u)
	admin := e.as(t, jtai.RoleAdministrator)
	if code, _ := admin.postForm(fmt.Sprintf("/accounts/%d/reset-second-factor", u.ID), url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if r := e.call(t, "GET", "/api/v1/inspections", second, "", nil); r.resp.StatusCode != 401 {
		t.Errorf("a token of an account whose second factor was reset: %d, want 401", r.resp.StatusCode)
	}
}

// The API's timetable gives the bank holidays that shorten the onsite week.
func TestAPITimetableHolidays(t *testing.T) {
	e := newEnv(t, "sqlite")
	_, router := e.spec(t)
	in := &jtai.Inspection{AreaID: e.demo.Area.ID, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 23), Status: jtai.StatusInformationRequested}
	if err := e.db.CreateInspection(ctx, in); err != nil {
		t.Fatal(err)
	}
	r := e.call(t, "GET", fmt.Sprintf("/api/v1/inspections/%d", in.ID), e.issue(t, e.demo.User(jtai.RoleCoordinator)), "", nil)
	if r.resp.StatusCode != 200 {
		t.Fatalf("GET: %d %s", r.resp.StatusCode, r.body)
	}
	conforms(t, router, r)
	var out struct {
		Timetable []struct {
			Step     string
			Date     string
			Holidays []struct{ Date, Name string }
		}
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	for _, d := range out.Timetable {
		want := "[]"
		if d.Step == "onsite-start" || d.Step == "onsite-end" {
			want = "[{2026-04-06 Easter Monday}]"
		}
		if got := fmt.Sprint(d.Holidays); got != want {
			t.Errorf("%s (%s): holidays %s, want %s", d.Step, d.Date, got, want)
		}
	}
}

// The API takes what its document says and nothing else: a list upload in
// another content type is refused with a JSON error, and nothing lands.
func TestAPIRefusesOtherContentTypes(t *testing.T) {
	e := newEnv(t, "sqlite")
	token := e.issue(t, e.demo.User(jtai.RoleCoordinator))
	before, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID)
	path := fmt.Sprintf("/api/v1/inspections/%d/lists", e.demo.Inspection.ID)
	for _, ct := range []string{"text/plain", "application/json", "application/x-www-form-urlencoded", ""} {
		r := e.call(t, "POST", path, token, ct, []byte(referralsCSV+"UP0001,Male,WBRI,01/02/2020,6,03/01/2026,6\n"))
		if r.resp.StatusCode < 400 || r.resp.StatusCode >= 500 || !strings.HasPrefix(r.resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("a list sent as %q: %d %s", ct, r.resp.StatusCode, r.body)
		}
	}
	if after, _ := e.db.CountChildren(ctx, e.demo.Inspection.ID); after != before {
		t.Errorf("children %d -> %d after refused uploads", before, after)
	}
}
