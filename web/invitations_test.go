package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/store/storetest"
)

func init() {
	want["GET /inspections/{id}/invitations"] = roles(404, 200, 403, 403, 403)
	want["POST /inspections/{id}/invitations"] = roles(404, 422, 403, 403, 403) // an empty form
	want["GET /invitations/{token}"] = all(404)                                 // no such link
	want["POST /invitations/{token}"] = all(404)
	want["GET /outbox"] = roles(200, 200, 403, 403, 403)
}

var linkPattern = regexp.MustCompile(`https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+)`)

func TestInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnv(t, dialect)
		lead := e.as(t, jtai.RoleLeadInspector)
		page := fmt.Sprintf("/inspections/%d/invitations", e.demo.Inspection.ID)
		police := agencyOf(e, jtai.AgencyPolice)

		code, body := lead.postForm(page, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Sam Constable"}, "email": {"sam@police.example"}})
		if code != http.StatusSeeOther {
			t.Fatalf("invite: %d\n%s", code, body)
		}
		_, body = lead.get(page)
		mustContain(t, body, "sam@police.example")
		_, outbox := lead.get("/outbox")
		mustContain(t, outbox, "sam@police.example")
		mustNotContain(t, outbox, "/invitations/") // a live link is shown in the demo only

		msgs, err := e.db.PendingMessages(ctx, 10)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("outbox: %v %v", msgs, err)
		}
		for _, kid := range mustChildren(t, e) {
			mustNotContain(t, msgs[0].Body, kid.LastName)
		}
		m := linkPattern.FindStringSubmatch(msgs[0].Body)
		if m == nil {
			t.Fatalf("no link in %q", msgs[0].Body)
		}
		link := m[1]

		contact := e.anonymous(t)
		if code, body := contact.get(link); code != 200 || !strings.Contains(body, "sam@police.example") {
			t.Fatalf("open link: %d", code)
		}
		if code, body := contact.postForm(link, url.Values{"password": {"short"}, "confirm": {"short"}}); code != 422 || !strings.Contains(body, "12 characters or more") {
			t.Fatalf("short password: %d", code)
		}
		pw := "correct horse battery staple"
		code, _ = contact.postForm(link, url.Values{"password": {pw}, "confirm": {pw}})
		if code != http.StatusSeeOther {
			t.Fatalf("accept: %d", code)
		}
		if code, body := contact.get(fmt.Sprintf("/inspections/%d", e.demo.Inspection.ID)); code != 200 || !strings.Contains(body, "Strategic documents") {
			t.Fatalf("the new user cannot open the inspection: %d", code)
		}
		u, err := e.db.FindUserByEmail(ctx, "sam@police.example")
		if err != nil || u.Role != jtai.RoleAgencyAuditor || u.AgencyID != police.ID {
			t.Fatalf("account: %+v %v", u, err)
		}

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

		t.Run("an expired link", func(t *testing.T) {
			token, hash := auth.NewToken()
			inv := &jtai.Invitation{InspectionID: e.demo.Inspection.ID, AgencyID: police.ID, TokenHash: hash, Name: "Late", Email: "late@police.example",
				Role: jtai.RoleAgencyAuditor, ExpiresAt: time.Now().Add(-time.Second)}
			if err := e.db.CreateInvitation(ctx, inv, &jtai.Message{To: inv.Email}, &jtai.AccessEntry{Actor: "test"}); err != nil {
				t.Fatal(err)
			}
			c := e.anonymous(t)
			code, body := c.postForm("/invitations/"+token, url.Values{"password": {pw}, "confirm": {pw}})
			if code != http.StatusGone || !strings.Contains(body, "expired") {
				t.Errorf("expired link: %d", code)
			}
			if _, err := e.db.FindUserByEmail(ctx, "late@police.example"); !jtai.IsKind(err, jtai.ENOTFOUND) {
				t.Error("an expired link made an account")
			}
			if code, _ := c.get("/invitations/not-a-token"); code != 404 {
				t.Errorf("unknown link: %d", code)
			}
		})

		t.Run("refusals", func(t *testing.T) {
			code, body := lead.postForm(page, url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"Twice"}, "email": {"sam@police.example"}})
			if code != 422 || !strings.Contains(body, "already exists") {
				t.Errorf("an existing account invited again: %d", code)
			}
			code, _ = lead.postForm(fmt.Sprintf("/inspections/%d/invitations", e.demo.OtherInspection.ID), url.Values{"agency": {fmt.Sprint(police.ID)}, "name": {"X"}, "email": {"x@police.example"}})
			if code != 404 {
				t.Errorf("another area's inspection: %d", code)
			}
		})
	})
}

func mustChildren(t *testing.T, e *env) []*jtai.Child {
	kids, err := e.db.ListChildren(ctx, e.demo.Inspection.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return kids
}
