package web_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
	"jtai/store/storetest"
)

func init() {
	want["GET /inspections/{id}/invitations"] = roles(404, 200, 403, 403, 403)
	want["POST /inspections/{id}/invitations"] = roles(404, 422, 403, 403, 403) // an empty form
	// The walk runs the lead's routes in this order: recording the
	// notification sends the demo's contacts, which can then be sent
	// again and revoked.
	want["POST /inspections/{id}/notification"] = roles(404, 303, 403, 403, 403)
	want["POST /inspections/{id}/invitations/{invitation}/resend"] = roles(404, 303, 403, 403, 403)
	want["POST /inspections/{id}/invitations/{invitation}/revoke"] = roles(404, 303, 403, 403, 403)
	want["GET /invitations/{token}"] = all(404) // no such link
	want["POST /invitations/{token}"] = all(404)
	want["GET /outbox"] = roles(200, 200, 403, 403, 403)
}

var linkPattern = regexp.MustCompile(`https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+)`)

// linkTo returns the path of the newest invitation link in the outbox for
// email, failing the test when there is none.
func linkTo(t *testing.T, e *env, email string) string {
	t.Helper()
	return newestLink(t, e, email, linkPattern)
}

// newestLink returns the path pattern finds in the newest message in the
// outbox for email, failing the test when there is none.
func newestLink(t *testing.T, e *env, email string, pattern *regexp.Regexp) string {
	t.Helper()
	msgs, err := e.db.PendingMessages(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	link := ""
	for _, m := range msgs {
		if g := pattern.FindStringSubmatch(m.Body); g != nil && m.To == email {
			link = g[1]
		}
	}
	if link == "" {
		t.Fatalf("no link to %s in the outbox matches %s", email, pattern)
	}
	return link
}

// setUp uses an invitation link as the invitee would: a password, then a
// second factor, ending on the task list. It returns the signed-in client
// and the second factor's secret.
func setUp(t *testing.T, e *env, link, password string) (*client, string) {
	t.Helper()
	c := e.anonymous(t)
	code, loc := c.postFormLocation(link, url.Values{"password": {password}, "confirm": {password}})
	tasks := fmt.Sprintf("/inspections/%d/tasks", e.demo.Inspection.ID)
	if code != http.StatusSeeOther || loc != "/sign-in/second-factor?next="+url.QueryEscape(tasks) {
		t.Fatalf("accept: %d to %q, want the second factor's set-up", code, loc)
	}
	if code, _ := c.get(tasks); code != http.StatusSeeOther {
		t.Fatalf("the task list before the second factor: %d, want a redirect", code)
	}
	_, body := c.get(loc)
	c.csrf = csrfToken(t, body)
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(body)
	if secret == nil {
		t.Fatalf("no set-up secret on the second-factor page:\n%s", body)
	}
	// Whoever can read the sessions table cannot work out the secret.
	for _, ck := range c.http.Jar.Cookies(mustParse(t, e.ts.URL)) {
		m := hmac.New(sha256.New, []byte(auth.HashToken(ck.Value)))
		m.Write([]byte("jtai second factor set-up"))
		if base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil)[:20]) == secret[1] {
			t.Fatal("the set-up secret follows from the session's stored hash")
		}
	}
	totp, _ := auth.TOTPCode(secret[1], time.Now())
	if code, to := c.postFormLocation(loc, url.Values{"code": {totp}}); code != http.StatusSeeOther || to != tasks {
		t.Fatalf("second factor: %d to %q, want the task list", code, to)
	}
	code, body = c.get(tasks)
	if code != 200 || !strings.Contains(body, "Task list") {
		t.Fatalf("task list after set-up: %d", code)
	}
	_, body = c.get("/sign-out") // any signed-in page carries the token
	c.csrf = csrfToken(t, body)
	return c, secret[1]
}

func (c *client) postFormLocation(path string, form url.Values) (int, string) {
	c.t.Helper()
	if c.csrf != "" && form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.csrf)
	}
	resp, err := c.http.PostForm(c.e.ts.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

func TestInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		lead := e.as(t, jtai.RoleLeadInspector)
		id := e.demo.Inspection.ID
		page := fmt.Sprintf("/inspections/%d/invitations", id)
		police := agencyOf(e, jtai.AgencyPolice)

		// The demo's contacts wait for the notification.
		_, body := lead.get(page)
		mustContain(t, body, "Not sent yet")
		mustContain(t, body, "Record the notification and send the invitations")
		mustContain(t, body, "The 2 contacts not sent yet get their invitations")

		code, to := lead.postFormLocation(page, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Sam Constable"}, "email": {"sam@police.example"}})
		if code != http.StatusSeeOther {
			t.Fatalf("enter a contact: %d", code)
		}
		_, body = lead.get(to)
		mustContain(t, body, "Sam Constable saved as a nominated contact")
		if _, again := lead.get(to); strings.Contains(again, "saved as a nominated contact") {
			t.Error("the invitations page shows its confirmation again on reload")
		}
		mustContain(t, body, "sam@police.example")
		// The banner names people from their invitations, never from the
		// address.
		for _, forged := range []string{"?done=saved&name=Forged+Person", "?done=saved&invitation=999999", "?done=notified&n=many"} {
			if _, body := lead.get(page + forged); strings.Contains(body, "govuk-notification-banner") || strings.Contains(body, "Forged") {
				t.Errorf("%s shows a banner", forged)
			}
		}
		if msgs, _ := e.db.PendingMessages(ctx, 10); len(msgs) != 0 {
			t.Fatalf("invitations sent before the notification: %d", len(msgs))
		}

		code, body = lead.postForm(page, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Robin Second"}, "email": {"robin@police.example"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Eastmere Police already has a nominated contact") || !strings.Contains(body, `href="#agency"`) {
			t.Errorf("a second contact for the police: %d", code)
		}

		// Recording the notification sends the three.
		code, loc := lead.postFormLocation(fmt.Sprintf("/inspections/%d/notification", id), url.Values{})
		if code != http.StatusSeeOther {
			t.Fatalf("record the notification: %d", code)
		}
		_, body = lead.get(loc)
		mustContain(t, body, "Notification recorded. 3 invitations added")
		mustContain(t, body, "The partnership was notified at")
		mustNotContain(t, body, "Record the notification and send the invitations")
		mustNotContain(t, body, "Not sent yet")
		if code, again := lead.postForm(fmt.Sprintf("/inspections/%d/notification", id), url.Values{}); code != http.StatusConflict {
			t.Errorf("recording the notification twice: %d", code)
		} else {
			// The error summary's link leads to the sentence saying when.
			mustContain(t, again, `href="#notified"`)
			mustContain(t, again, `id="notified"`)
		}
		if !logged(t, e, jtai.ActNotify, fmt.Sprintf("inspection/%d/notification", id)) {
			t.Error("the notification is not in the access log")
		}
		_, outbox := lead.get("/outbox")
		mustContain(t, outbox, "sam@police.example")
		mustNotContain(t, outbox, "/invitations/") // a live link is shown in the demo only

		msgs, err := e.db.PendingMessages(ctx, 10)
		if err != nil || len(msgs) != 3 {
			t.Fatalf("outbox: %v %v", msgs, err)
		}
		invs, _ := e.db.ListInvitations(ctx, id)
		for _, m := range msgs {
			// Nothing personal: no child, no contact's name, not even the area.
			for _, kid := range mustChildren(t, e) {
				mustNotContain(t, m.Body, kid.LAChildID)
			}
			for _, inv := range invs {
				mustNotContain(t, m.Body+m.Subject, inv.Name)
			}
			mustNotContain(t, m.Body+m.Subject, "Eastmere")
		}
		link := linkTo(t, e, "sam@police.example")

		contact := e.anonymous(t)
		if code, body := contact.get(link); code != 200 || !strings.Contains(body, "sam@police.example") || !strings.Contains(body, "second factor") {
			t.Fatalf("open link: %d", code)
		}
		if code, body := contact.postForm(link, url.Values{"password": {"short"}, "confirm": {"short"}}); code != 422 || !strings.Contains(body, "12 characters or more") {
			t.Fatalf("short password: %d", code)
		}
		pw := "correct horse battery staple"
		sam, secret := setUp(t, e, link, pw)
		if code, body := sam.get(fmt.Sprintf("/inspections/%d", id)); code != 200 || !strings.Contains(body, "Strategic documents") {
			t.Fatalf("the new user cannot open the inspection: %d", code)
		}
		u, err := e.db.FindUserByEmail(ctx, "sam@police.example")
		if err != nil || u.Role != jtai.RoleAgencyAuditor || u.AgencyID != police.ID || !u.RequiresSecondFactor || u.TOTPSecret != secret {
			t.Fatalf("account: %+v %v", u, err)
		}

		t.Run("signing in again asks for the code", func(t *testing.T) {
			c := e.anonymous(t)
			code, loc := c.postFormLocation("/sign-in", url.Values{"email": {"sam@police.example"}, "password": {pw}})
			if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in/second-factor") {
				t.Fatalf("sign in: %d to %q, want the second factor", code, loc)
			}
			if code, _ := c.get(fmt.Sprintf("/inspections/%d", id)); code != http.StatusSeeOther {
				t.Errorf("the inspection with a password alone: %d, want a redirect", code)
			}
			_, body := c.get(loc)
			mustContain(t, body, "Enter your security code")
			mustNotContain(t, body, "totp-secret")
			c.csrf = csrfToken(t, body)
			// The code used at set-up works once; the next step's is good.
			code2, _ := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
			if code, _ := c.postForm(loc, url.Values{"code": {code2}}); code != http.StatusSeeOther {
				t.Fatalf("code: %d", code)
			}
			if code, _ := c.get(fmt.Sprintf("/inspections/%d", id)); code != 200 {
				t.Errorf("the inspection after the code: %d", code)
			}
		})

		t.Run("a used link", func(t *testing.T) {
			again := e.anonymous(t)
			for _, send := range []func() (int, string){
				func() (int, string) { return again.get(link) },
				func() (int, string) {
					return again.postForm(link, url.Values{"password": {"another long password"}, "confirm": {"another long password"}})
				},
			} {
				code, body := send()
				if code != http.StatusGone || !strings.Contains(body, "already been used") {
					t.Errorf("used link: %d", code)
				}
			}
			if u2, _ := e.db.FindUserByEmail(ctx, "sam@police.example"); u2.PasswordHash != u.PasswordHash {
				t.Error("a used link changed the password")
			}
			if !logged(t, e, jtai.ActInvitationRefuse, "(accepted)") {
				t.Error("the used link is not in the access log")
			}
		})

		// A contact entered now is invited at once.
		education := agencyOf(e, jtai.AgencyEducation)
		code, loc = lead.postFormLocation(page, url.Values{"agency": {fmt.Sprint(education.ID)}, "name": {"Jo Teacher"}, "email": {"jo@school.example"}})
		if code != http.StatusSeeOther || strings.Contains(loc, "done=") {
			t.Fatalf("a contact after the notification: %d to %q", code, loc)
		}
		_, body = lead.get(loc)
		mustContain(t, body, "Invitation to Jo Teacher added to the")
		jo := inviteeID(t, e, "jo@school.example")

		t.Run("send again", func(t *testing.T) {
			old := linkTo(t, e, "jo@school.example")
			code, loc := lead.postFormLocation(fmt.Sprintf("%s/%d/resend", page, jo), url.Values{})
			if code != http.StatusSeeOther {
				t.Fatalf("send again: %d", code)
			}
			_, body := lead.get(loc)
			mustContain(t, body, "A new invitation to Jo Teacher added")
			fresh := linkTo(t, e, "jo@school.example")
			if fresh == old {
				t.Fatal("sending again kept the old link")
			}
			c := e.anonymous(t)
			if code, body := c.get(old); code != http.StatusGone || !strings.Contains(body, "A newer invitation has been sent") {
				t.Errorf("the old link: %d", code)
			}
			if code, _ := c.postForm(old, url.Values{"password": {pw}, "confirm": {pw}}); code != http.StatusGone {
				t.Errorf("the old link used: %d", code)
			}
			if code, _ := c.get(fresh); code != 200 {
				t.Errorf("the new link: %d", code)
			}
			if !logged(t, e, jtai.ActInvitationResend, fmt.Sprintf("invitations/%d", jo)) || !logged(t, e, jtai.ActInvitationRefuse, "(replaced)") {
				t.Error("sending again or the old link is not in the access log")
			}
		})

		t.Run("revoke", func(t *testing.T) {
			fresh := linkTo(t, e, "jo@school.example")
			code, loc := lead.postFormLocation(fmt.Sprintf("%s/%d/revoke", page, jo), url.Values{})
			if code != http.StatusSeeOther {
				t.Fatalf("revoke: %d", code)
			}
			_, body := lead.get(loc)
			mustContain(t, body, "The invitation to Jo Teacher is revoked")
			mustContain(t, body, "Revoked")
			c := e.anonymous(t)
			if code, body := c.get(fresh); code != http.StatusGone || !strings.Contains(body, "withdrawn") {
				t.Errorf("the revoked link: %d", code)
			}
			if code, _ := c.postForm(fresh, url.Values{"password": {pw}, "confirm": {pw}}); code != http.StatusGone {
				t.Errorf("the revoked link used: %d", code)
			}
			if _, err := e.db.FindUserByEmail(ctx, "jo@school.example"); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Error("a revoked link made an account")
			}
			if code, body := lead.postForm(fmt.Sprintf("%s/%d/revoke", page, jo), url.Values{}); code != http.StatusConflict || !strings.Contains(body, "already been revoked") {
				t.Errorf("revoking twice: %d", code)
			}
			if code, _ := lead.postForm(fmt.Sprintf("%s/%d/resend", page, jo), url.Values{}); code != http.StatusConflict {
				t.Errorf("sending a revoked invitation again: %d", code)
			}
			if !logged(t, e, jtai.ActInvitationRevoke, fmt.Sprintf("invitations/%d", jo)) || !logged(t, e, jtai.ActInvitationRefuse, "(revoked)") {
				t.Error("the revocation or the revoked link is not in the access log")
			}
			// The agency may now have someone else.
			if code, _ := lead.postForm(page, url.Values{"agency": {fmt.Sprint(education.ID)}, "name": {"Kit Head"}, "email": {"kit@school.example"}}); code != http.StatusSeeOther {
				t.Errorf("a new contact after revoking: %d", code)
			}
		})

		t.Run("an expired link", func(t *testing.T) {
			health := inviteeOf(t, e, jtai.AgencyHealth)
			if _, err := e.db.RawExec(ctx, fmt.Sprintf(`UPDATE invitations SET expires_at = 1 WHERE id = %d`, health.ID)); err != nil {
				t.Fatal(err)
			}
			c := e.anonymous(t)
			code, body := c.postForm(linkTo(t, e, health.Email), url.Values{"password": {pw}, "confirm": {pw}})
			if code != http.StatusGone || !strings.Contains(body, "expired") {
				t.Errorf("expired link: %d", code)
			}
			if _, err := e.db.FindUserByEmail(ctx, health.Email); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Error("an expired link made an account")
			}
			if code, _ := c.get("/invitations/not-a-token"); code != 404 {
				t.Errorf("unknown link: %d", code)
			}
			_, body = lead.get(page)
			mustContain(t, body, "Expired")
			if code, _ := lead.postForm(fmt.Sprintf("%s/%d/resend", page, health.ID), url.Values{}); code != http.StatusSeeOther {
				t.Errorf("sending an expired invitation again: %d", code)
			}
			if code, _ := c.get(linkTo(t, e, health.Email)); code != 200 {
				t.Errorf("the new link after expiry: %d", code)
			}
		})

		t.Run("refusals", func(t *testing.T) {
			code, body := lead.postForm(page, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Twice"}, "email": {"sam@police.example"}})
			if code != 422 || !strings.Contains(body, "already exists") {
				t.Errorf("an existing account invited again: %d", code)
			}
			other := fmt.Sprintf("/inspections/%d/invitations", e.demo.OtherInspection.ID)
			if code, _ := lead.postForm(other, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"X"}, "email": {"x@police.example"}}); code != 404 {
				t.Errorf("another area's inspection: %d", code)
			}
			// Own invitation, another inspection's path: not found.
			health := inviteeOf(t, e, jtai.AgencyHealth)
			for _, action := range []string{"resend", "revoke"} {
				if code, _ := lead.postForm(fmt.Sprintf("%s/%d/%s", other, health.ID, action), url.Values{}); code != 404 {
					t.Errorf("%s through another inspection: %d", action, code)
				}
				if code, _ := lead.postForm(fmt.Sprintf("%s/%d/%s", page, 999999, action), url.Values{}); code != 404 {
					t.Errorf("%s of no such invitation: %d", action, code)
				}
				if code, _ := sam.postForm(fmt.Sprintf("%s/%d/%s", page, health.ID, action), url.Values{}); code != 403 {
					t.Errorf("%s by an agency auditor: %d", action, code)
				}
				if code, _ := lead.postForm(fmt.Sprintf("%s/%d/%s", page, health.ID, action), url.Values{"csrf_token": {"forged"}}); code != 403 {
					t.Errorf("%s without the CSRF token: %d", action, code)
				}
			}
			if code, _ := lead.postForm(fmt.Sprintf("%s/%d/revoke", page, inviteeID(t, e, "sam@police.example")), url.Values{}); code != http.StatusConflict {
				t.Errorf("revoking a used invitation: %d", code)
			}
			if got := inviteeOf(t, e, jtai.AgencyHealth); got.RevokedAt != nil {
				t.Error("a refused request revoked the invitation")
			}
		})
	})
}

func inviteeID(t *testing.T, e *env, email string) int64 {
	t.Helper()
	invs, err := e.db.ListInvitations(ctx, e.demo.Inspection.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.Email == email {
			return inv.ID
		}
	}
	t.Fatalf("no invitation to %s", email)
	return 0
}

func inviteeOf(t *testing.T, e *env, kind jtai.AgencyKind) *jtai.Invitation {
	t.Helper()
	invs, err := e.db.ListInvitations(ctx, e.demo.Inspection.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.AgencyID == agencyOf(e, kind).ID && inv.Live() {
			return inv
		}
	}
	t.Fatalf("no live invitation for %s", kind)
	return nil
}

func mustChildren(t *testing.T, e *env) []*jtai.Child {
	kids, err := e.db.OpenChildPage(ctx, storetest.Grant(t, e.demo.Inspection.ID, authz.ListChildren), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return kids
}

// A coordinator invited as children's social care's contact answers that
// agency's part of a child's joint audit, and no other agency's.
func TestCoordinatorContactAnswersOwnAgencyPart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		id := e.demo.Inspection.ID
		own := fmt.Sprintf("/inspections/%d", id)
		lead := e.as(t, jtai.RoleLeadInspector)
		social := agencyOf(e, jtai.AgencySocialCare)
		if code, _ := lead.postForm(own+"/notification", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("record the notification: %d", code)
		}
		if code, _ := lead.postForm(own+"/invitations", url.Values{"agency": {fmt.Sprint(social.ID)}, "name": {"Rowan Brightwater"}, "email": {"rowan@social-care.example"}}); code != http.StatusSeeOther {
			t.Fatalf("invite the coordinator: %d", code)
		}
		if code, body := lead.postForm(own+"/selection", url.Values{"seed": {"3"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("publish the selection: %d\n%s", code, body)
		}
		coord, _ := setUp(t, e, linkTo(t, e, "rowan@social-care.example"), "correct horse battery staple")
		u, err := e.db.FindUserByEmail(ctx, "rowan@social-care.example")
		if err != nil || u.Role != jtai.RoleCoordinator || u.AgencyID != social.ID {
			t.Fatalf("the coordinator's account: %+v %v", u, err)
		}
		if code, _ := coord.get(own + "/audits"); code != 200 { // plans the parts
			t.Fatalf("audits: %d", code)
		}
		parts, err := e.db.ListAuditParts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var mine, other jtai.AuditPartKey
		for _, p := range parts {
			if p.AgencyID == social.ID && mine.ChildID == 0 {
				mine = p.AuditPartKey
			}
		}
		for _, p := range parts {
			if p.ChildID == mine.ChildID && p.AgencyID != 0 && p.AgencyID != social.ID {
				other = p.AuditPartKey
			}
		}
		if mine.ChildID == 0 || other.ChildID == 0 {
			t.Fatalf("no child with a social care part and another agency's: %+v", parts)
		}
		page := fmt.Sprintf("%s/audits/%d", own, mine.ChildID)
		_, body := coord.get(page)
		mustContain(t, body, `action="`+page+`/part"`)
		f := answers("Social care's answer")
		f.Set("part", mine.PartID)
		f.Set("agency", fmt.Sprint(social.ID))
		f.Set("action", "submit")
		f.Set("confirm", "yes")
		if code, body := coord.postForm(page+"/part", f); code != http.StatusSeeOther {
			t.Fatalf("submit social care's part: %d\n%s", code, body)
		}
		got, err := storetest.AuditPart(t, e.db, ctx, id, mine)
		if err != nil || got.Status != jtai.AuditSubmitted {
			t.Fatalf("social care's part: %+v %v", got, err)
		}
		f.Set("part", other.PartID)
		f.Set("agency", fmt.Sprint(other.AgencyID))
		if code, _ := coord.postForm(page+"/part", f); code != http.StatusNotFound {
			t.Errorf("another agency's part: %d, want 404", code)
		}
		if got, _ := storetest.AuditPart(t, e.db, ctx, id, other); got.Status != jtai.AuditNotStarted {
			t.Errorf("another agency's part changed: %+v", got)
		}
	})
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Invitation links are made from the configured address, or on a server of
// this machine only from the address the request came in on: never from the
// Host header, which the caller chooses, so a link sent by mail cannot be
// made to lead to another site.
func TestInvitationLinksIgnoreTheHostHeader(t *testing.T) {
	e := newEnv(t, "sqlite")
	lead := e.as(t, jtai.RoleLeadInspector)
	id := e.demo.Inspection.ID
	post := func(path string, form url.Values) int {
		form.Set("csrf_token", lead.csrf)
		req, _ := http.NewRequest("POST", e.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Host = "jtai.attacker.example"
		// Sent by hand: the client's jar would take the Host for the site.
		for _, ck := range lead.http.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		resp, err := (&http.Client{CheckRedirect: lead.http.CheckRedirect}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	police := agencyOf(e, jtai.AgencyPolice)
	if code := post(fmt.Sprintf("/inspections/%d/invitations", id), url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Sam Constable"}, "email": {"sam@police.example"}}); code != http.StatusSeeOther {
		t.Fatalf("enter a contact: %d", code)
	}
	if code := post(fmt.Sprintf("/inspections/%d/notification", id), url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("record the notification: %d", code)
	}
	msgs, err := e.db.PendingMessages(ctx, 10)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no invitations sent: %v", err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Body, "attacker") || !strings.Contains(m.Body, e.ts.URL+"/invitations/") {
			t.Errorf("invitation to %s links elsewhere:\n%s", m.To, m.Body)
		}
	}
}
