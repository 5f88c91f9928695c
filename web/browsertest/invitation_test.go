package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"jtai"
)

// The lead inspector's side of the invitations after the notification:
// sending one again and revoking another, and what the contacts see when
// they open a link that no longer works (replaced, revoked, used). The
// whole journey from the contacts' invitations to the submitted audit is
// TestPartnershipJourney.
func TestInvitationLinks(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	own := fmt.Sprintf("%s/inspections/%d", s.url, s.demo.Inspection.ID)
	invs, err := s.db.ListInvitations(context.Background(), s.demo.Inspection.ID)
	if err != nil || len(invs) != 2 {
		t.Fatalf("the demo's contacts: %v %v", invs, err)
	}
	again, revoked := invs[0], invs[1]

	lead := newBrowser(t, exe)
	signIn(t, lead, s, jtai.RoleLeadInspector)
	visit(t, lead, own+"/invitations", "Invite the partnership's contacts")
	submit(t, lead, "#record-notification")
	if b := text(t, lead, ".govuk-notification-banner"); !strings.Contains(b, "Notification recorded. 2 invitations added") {
		t.Errorf("after recording the notification: %q", b)
	}
	axe(t, lead, "notification recorded")
	before := outboxLinks(t, lead, s)

	visit(t, lead, own+"/invitations", "Invite the partnership's contacts")
	submit(t, lead, fmt.Sprintf(`#invitation-%d form[action$="/resend"] button`, again.ID))
	if b := text(t, lead, ".govuk-notification-banner"); !strings.Contains(b, "A new invitation to "+again.Name) {
		t.Errorf("after sending again: %q", b)
	}
	axe(t, lead, "invitation sent again")
	submit(t, lead, fmt.Sprintf(`#invitation-%d form[action$="/revoke"] button`, revoked.ID))
	if b := text(t, lead, ".govuk-notification-banner"); !strings.Contains(b, "The invitation to "+revoked.Name+" is revoked") {
		t.Errorf("after revoking: %q", b)
	}
	if row := text(t, lead, fmt.Sprintf("#invitation-%d", revoked.ID)); !strings.Contains(row, "Revoked") || strings.Contains(row, "Send again") {
		t.Errorf("the revoked contact's row: %q", row)
	}
	axe(t, lead, "invitation revoked")
	after := outboxLinks(t, lead, s)
	if after[again.Email] == before[again.Email] {
		t.Fatal("sending again left the same link in the outbox")
	}

	contact := newBrowser(t, exe)
	visit(t, contact, before[again.Email], "This link no longer works")
	if body := text(t, contact, "main"); !strings.Contains(body, "A newer invitation has been sent") {
		t.Errorf("the replaced link: %q", body)
	}
	visit(t, contact, before[revoked.Email], "This link no longer works")
	if body := text(t, contact, "main"); !strings.Contains(body, "withdrawn") {
		t.Errorf("the revoked link: %q", body)
	}
	acceptInvitation(t, contact, after[again.Email], again.Email)

	other := newBrowser(t, exe)
	visit(t, other, after[again.Email], "This link no longer works")
	if body := text(t, other, "main"); !strings.Contains(body, "already been used") {
		t.Errorf("the used link: %q", body)
	}
}
