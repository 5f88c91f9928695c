package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jtai"
	"jtai/auth"
	"jtai/authz"
)

type invitationsView struct {
	Inspection   *jtai.Inspection
	Agencies     []*jtai.Agency
	Invitations  []invitationRow
	Notification *jtai.Notification // nil until recorded
	Unsent       int                // live contacts waiting for the notification
	CanNotify    bool               // the viewer may record the notification
	Done         string             // what the last action did, for the banner
	Name         string             // whom it was about
}

type invitationRow struct {
	*jtai.Invitation
	Agency string
	Status string
}

// Actionable reports whether the invitation can be sent again or revoked.
func (r invitationRow) Actionable() bool {
	return r.Status == jtai.InvitationSent || r.Status == jtai.InvitationExpired || r.Status == jtai.InvitationNotSent
}

func (s *Server) invitationsView(c *Context, in *jtai.Inspection) (*invitationsView, error) {
	ctx := c.R.Context()
	agencies, err := s.cfg.Store.ListAgencies(ctx, in.AreaID)
	if err != nil {
		return nil, err
	}
	invs, err := s.cfg.Store.ListInvitations(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	v := &invitationsView{Inspection: in, Agencies: agencies,
		CanNotify: authz.Can(c.Subject, authz.RecordNotification, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil}
	if v.Notification, err = s.cfg.Store.FindNotification(ctx, in.ID); jtai.IsKind(err, jtai.ENOTFOUND) {
		v.Notification = nil
	} else if err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	for _, inv := range invs {
		row := invitationRow{Invitation: inv, Status: inv.Status(now)}
		for _, a := range agencies {
			if a.ID == inv.AgencyID {
				row.Agency = a.Name
			}
		}
		if row.Status == jtai.InvitationNotSent {
			v.Unsent++
		}
		v.Invitations = append(v.Invitations, row)
	}
	return v, nil
}

const invitationsTitle = "Invite the partnership's contacts"

func (s *Server) invitationsPage(c *Context) error {
	in, err := s.inspection(c, authz.SendInvitations)
	if err != nil {
		return err
	}
	v, err := s.invitationsView(c, in)
	if err != nil {
		return err
	}
	// The banner's words are the page's own: the person is named from the
	// invitation the flash gives by id, the count is a number.
	q := c.flash()
	switch d := q.Get("done"); d {
	case "sent", "saved", "resent", "revoked":
		id, _ := strconv.ParseInt(q.Get("invitation"), 10, 64)
		for _, row := range v.Invitations {
			if row.ID == id {
				v.Done, v.Name = d, row.Name
			}
		}
	case "notified":
		if n, err := strconv.Atoi(q.Get("n")); err == nil && n >= 0 {
			v.Done, v.Name = d, strconv.Itoa(n)
		}
	}
	return s.render(c, http.StatusOK, "invitations", &View{Title: invitationsTitle, Nav: "inspections", Data: v})
}

func (s *Server) invitationsError(c *Context, in *jtai.Inspection, status int, errs []jtai.FieldError, form url.Values) error {
	v, err := s.invitationsView(c, in)
	if err != nil {
		return err
	}
	return s.render(c, status, "invitations", &View{Title: invitationsTitle, Nav: "inspections", Data: v, Errors: errs, Form: form})
}

// invitationLink makes the request's invitation links (InvitationLink).
func (s *Server) invitationLink(c *Context) (jtai.NewInvitationLink, error) {
	base, err := s.baseURL(c)
	if err != nil {
		return nil, err
	}
	return InvitationLink(base), nil
}

// InvitationLink makes invitation links to jtai at base, like
// https://jtai.example.org: a new token whose hash is stored and whose link
// is the whole of the message, with when it stops working. Nothing else
// about the inspection or the person is in it.
func InvitationLink(base string) jtai.NewInvitationLink {
	base = strings.TrimSuffix(base, "/")
	return func(inv *jtai.Invitation) (string, *jtai.Message) {
		token, hash := auth.NewToken()
		return hash, &jtai.Message{To: inv.Email, Subject: invitationSubject, Body: invitationBody(base+"/invitations/"+token, inv.ExpiresAt)}
	}
}

const invitationSubject = "Set up your jtai account for a joint targeted area inspection"

// invitationDone leads to the invitations page with a banner saying what
// was done: to the invitation of id, or (notified) to n invitations.
func (s *Server) invitationDone(c *Context, in *jtai.Inspection, done string, id int64, n int) error {
	q := url.Values{"done": {done}}
	if done == "notified" {
		q.Set("n", strconv.Itoa(n))
	} else {
		q.Set("invitation", strconv.FormatInt(id, 10))
	}
	return s.flashRedirect(c, fmt.Sprintf("/inspections/%d/invitations", in.ID), q)
}

// invite records a nominated contact: one per agency. Once the notification
// is recorded their invitation goes in the outbox at once; before, they
// wait, not sent yet.
func (s *Server) invite(c *Context) error {
	in, err := s.inspection(c, authz.SendInvitations)
	if err != nil {
		return err
	}
	agencies, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
	if err != nil {
		return err
	}
	f := c.R.PostForm
	var agency *jtai.Agency
	for _, a := range agencies {
		if fmt.Sprint(a.ID) == f.Get("agency") {
			agency = a
		}
	}
	var errs []jtai.FieldError
	if agency == nil {
		errs = append(errs, jtai.FieldError{Field: "agency", Message: "Select the contact's agency"})
	}
	name, email := strings.TrimSpace(f.Get("name")), jtai.NormalizeEmail(f.Get("email"))
	role := jtai.Role(f.Get("role"))
	if role == "" && agency != nil {
		role = jtai.RoleAgencyAuditor
		if agency.Kind == jtai.AgencySocialCare {
			role = jtai.RoleCoordinator
		}
	}
	if role != jtai.RoleCoordinator && role != jtai.RoleAgencyAuditor {
		errs = append(errs, jtai.FieldError{Field: "role", Message: "Select the contact's role"})
	}
	probe := &jtai.User{Email: email, Name: name, Role: jtai.RoleCoordinator, AreaID: in.AreaID}
	if err := probe.Validate(); err != nil {
		errs = append(errs, jtai.ErrorFields(err)...)
	}
	if len(errs) == 0 {
		inv := &jtai.Invitation{InspectionID: in.ID, AgencyID: agency.ID, Name: name, Email: email, Role: role, InvitedBy: c.User.Name}
		link, err := s.invitationLink(c)
		if err != nil {
			return err
		}
		err = s.cfg.Store.CreateInvitation(c.R.Context(), inv, link, s.actor(c))
		if err == nil {
			done := "saved"
			if inv.SentAt != nil {
				done = "sent"
			}
			return s.invitationDone(c, in, done, inv.ID, 0)
		}
		switch {
		case jtai.IsKind(err, jtai.EINVALID):
			errs = jtai.ErrorFields(err)
		case jtai.IsKind(err, jtai.ECONFLICT):
			return s.invitationsError(c, in, http.StatusConflict, []jtai.FieldError{{Field: "agency", Message: jtai.ErrorMessage(err)}}, f)
		default:
			return err
		}
	}
	return s.invitationsError(c, in, http.StatusUnprocessableEntity, errs, f)
}

// recordNotification records that the partnership was notified and sends
// every contact's invitation that was waiting for it, in one transaction.
func (s *Server) recordNotification(c *Context) error {
	in, err := s.inspection(c, authz.RecordNotification)
	if err != nil {
		return err
	}
	link, err := s.invitationLink(c)
	if err != nil {
		return err
	}
	n, err := s.cfg.Store.RecordNotification(c.R.Context(), in.ID, link, s.actor(c))
	if jtai.IsKind(err, jtai.ECONFLICT) {
		// Recorded already: the page says when, in place of its form.
		return s.invitationsError(c, in, http.StatusConflict, []jtai.FieldError{{Field: "notified", Message: jtai.ErrorMessage(err)}}, url.Values{})
	}
	if err != nil {
		return err
	}
	return s.invitationDone(c, in, "notified", 0, n.Invited)
}

// invitationAction runs resend or revoke on the invitation of the path.
func (s *Server) invitationAction(c *Context, a authz.Action, do func(in *jtai.Inspection, id int64) (*jtai.Invitation, error), done string) error {
	in, err := s.inspection(c, a)
	if err != nil {
		return err
	}
	id, err := pathID(c, "invitation")
	if err != nil {
		return err
	}
	inv, err := do(in, id)
	if jtai.IsKind(err, jtai.ECONFLICT) {
		return s.invitationsError(c, in, http.StatusConflict, []jtai.FieldError{{Field: fmt.Sprintf("invitation-%d", id), Message: jtai.ErrorMessage(err)}}, url.Values{})
	}
	if err != nil {
		return err
	}
	return s.invitationDone(c, in, done, inv.ID, 0)
}

// resendInvitation sends an invitation again with a new link; the old link
// stops working.
func (s *Server) resendInvitation(c *Context) error {
	return s.invitationAction(c, authz.SendInvitations, func(in *jtai.Inspection, id int64) (*jtai.Invitation, error) {
		link, err := s.invitationLink(c)
		if err != nil {
			return nil, err
		}
		return s.cfg.Store.ResendInvitation(c.R.Context(), in.ID, id, link, s.actor(c))
	}, "resent")
}

// revokeInvitation withdraws an invitation: its link stops working.
func (s *Server) revokeInvitation(c *Context) error {
	return s.invitationAction(c, authz.RevokeInvitation, func(in *jtai.Inspection, id int64) (*jtai.Invitation, error) {
		return s.cfg.Store.RevokeInvitation(c.R.Context(), in.ID, id, s.actor(c))
	}, "revoked")
}

// invitationBody is the whole message: the link and when it stops working.
func invitationBody(link string, expires time.Time) string {
	return "Hello,\n\n" +
		"You have been named as your agency's contact for a joint targeted area inspection. " +
		"Use this link to set up your jtai account: a password, then a security code from an authenticator app. It works once, until " + expires.Format("15:04 on 2 January 2006") + " (UTC).\n\n" +
		link + "\n\n" +
		"If you were not expecting this message, you can ignore it.\n"
}

// baseURL is the address people reach jtai at, for links in messages: the
// configured one. Without one (a server on this machine only) it is the
// address the request came in on, never the request's Host header, which
// the caller chooses: a link sent by mail must not lead elsewhere.
func (s *Server) baseURL(c *Context) (string, error) {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/"), nil
	}
	local, ok := c.R.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if ap, err := netip.ParseAddrPort(fmt.Sprint(local)); ok && err == nil && ap.Addr().IsLoopback() {
		return "http://" + ap.String(), nil
	}
	return "", &jtai.Error{Kind: jtai.EINTERNAL, Message: "Links cannot be made", Err: errors.New("no public URL is configured (--public-url) and the server is not on a loopback address")}
}

// setPasswordView is the form by which the holder of a single-use link
// (an invitation or a set-up link) chooses a password.
type setPasswordView struct {
	Email     string
	Role      jtai.Role
	Action    string // where the form posts: the link's own address
	Enrol     bool   // a second factor is set up next
	MinLength int
}

// newPasswordErrors checks a password chosen on a set-up form and its
// confirmation.
func newPasswordErrors(pw, confirm string) []jtai.FieldError {
	switch {
	case len([]rune(pw)) < auth.MinPasswordLength:
		return []jtai.FieldError{{Field: "password", Message: fmt.Sprintf("Password must be %d characters or more", auth.MinPasswordLength)}}
	case pw != confirm:
		return []jtai.FieldError{{Field: "confirm", Message: "The passwords do not match"}}
	}
	return nil
}

func (s *Server) invitationForm(c *Context, inv *jtai.Invitation) *setPasswordView {
	return &setPasswordView{Email: inv.Email, Role: inv.Role, Action: "/invitations/" + c.R.PathValue("token"), Enrol: true, MinLength: auth.MinPasswordLength}
}

// openInvitation finds the invitation of the link's token. A link that is
// unknown, used or expired changes nothing and is logged; used and expired
// links get a page of their own with status 410.
func (s *Server) openInvitation(c *Context) (*jtai.Invitation, bool, error) {
	hash := auth.HashToken(c.R.PathValue("token"))
	inv, err := s.cfg.Store.FindInvitation(c.R.Context(), hash)
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		if ferr := s.failed(c, jtai.ActInvitationRefuse, "invitation (unknown link)", "denied"); ferr != nil {
			return nil, false, ferr
		}
		return nil, false, err
	}
	if err != nil {
		return nil, false, err
	}
	st := inv.Status(s.cfg.Clock.Now())
	if st == jtai.InvitationNotSent {
		// Nobody was given this link.
		if err := s.failed(c, jtai.ActInvitationRefuse, "invitation (unknown link)", "denied"); err != nil {
			return nil, false, err
		}
		return nil, false, jtai.Errorf(jtai.ENOTFOUND, "This invitation link is not valid")
	}
	if st == jtai.InvitationSent {
		// An invitation to an inspection that has ended is of no use.
		in, err := s.cfg.Store.FindInspectionByID(c.R.Context(), inv.InspectionID)
		if err != nil {
			return nil, false, err
		}
		if in.Status.Ended() {
			st = "ended"
		}
	}
	if st != jtai.InvitationSent {
		if err := s.failed(c, jtai.ActInvitationRefuse, fmt.Sprintf("inspection/%d/invitations/%d (%s)", inv.InspectionID, inv.ID, st), "denied"); err != nil {
			return nil, false, err
		}
		return inv, false, s.render(c, http.StatusGone, "invitation_gone", &View{Title: "This link no longer works", Data: st})
	}
	return inv, true, nil
}

func (s *Server) invitationPage(c *Context) error {
	inv, ok, err := s.openInvitation(c)
	if !ok {
		return err
	}
	return s.render(c, http.StatusOK, "set_password", &View{Title: "Set up your account", Data: s.invitationForm(c, inv)})
}

// chosenPassword hashes the password a set-up form posted; done is set,
// with the page already answered, when the password will not do (form is
// the page's data, shown again with the errors) or hashing failed.
func (s *Server) chosenPassword(c *Context, form any) (hash string, done bool, err error) {
	pw := c.R.PostFormValue("password")
	if errs := newPasswordErrors(pw, c.R.PostFormValue("confirm")); len(errs) > 0 {
		return "", true, s.render(c, http.StatusUnprocessableEntity, "set_password", &View{Title: "Set up your account", Errors: errs, Data: form})
	}
	hash, err = auth.HashPassword(pw)
	return hash, err != nil, err
}

// acceptInvitation makes the account, uses the link up and signs the new
// user in with their password, then asks them to set up their second
// factor before they reach the inspection's task list.
func (s *Server) acceptInvitation(c *Context) error {
	inv, ok, err := s.openInvitation(c)
	if !ok {
		return err
	}
	hash, done, err := s.chosenPassword(c, s.invitationForm(c, inv))
	if done {
		return err
	}
	u, _, err := s.cfg.Store.AcceptInvitation(c.R.Context(), inv.TokenHash, hash, &jtai.AccessEntry{Address: clientAddress(c.R)})
	if jtai.IsKind(err, jtai.ECONFLICT) {
		// Used a moment ago by another request.
		if err := s.failed(c, jtai.ActInvitationRefuse, fmt.Sprintf("inspection/%d/invitations/%d (used)", inv.InspectionID, inv.ID), "denied"); err != nil {
			return err
		}
		return s.render(c, http.StatusGone, "invitation_gone", &View{Title: "This link no longer works", Data: "accepted"})
	}
	if err != nil {
		return err
	}
	// Signed in by the link, not the password: this session alone may
	// set up the account's second factor.
	token, _, err := s.cfg.Auth.SignInByLink(c.R.Context(), u, clientAddress(c.R))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	next := fmt.Sprintf("/inspections/%d/tasks", inv.InspectionID)
	return redirect(c, "/sign-in/second-factor?next="+url.QueryEscape(next))
}

type outboxView struct {
	Messages []outboxMessage
	Demo     bool
}

type outboxMessage struct {
	*jtai.Message
	Lines []string
}

// IsLink reports whether a line of a message is a link to show as one.
func (outboxView) IsLink(line string) bool {
	return strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://")
}

// outboxPage shows what was sent or waits to be. The links in unsent
// messages are credentials, so their bodies are shown only in the demo,
// where nothing is sent.
func (s *Server) outboxPage(c *Context) error {
	var ids []int64
	switch c.User.Role {
	case jtai.RoleAdministrator:
	case jtai.RoleLeadInspector:
		ids = append([]int64{}, c.Subject.Team...)
	default:
		s.logAccess(c, jtai.ActDenied, "outbox", "denied")
		return jtai.Errorf(jtai.EFORBIDDEN, "You do not have permission to do this.")
	}
	msgs, err := s.cfg.Store.ListOutbox(c.R.Context(), ids, 200)
	if err != nil {
		return err
	}
	v := &outboxView{Demo: s.cfg.Demo}
	for _, m := range msgs {
		om := outboxMessage{Message: m}
		if s.cfg.Demo {
			om.Lines = strings.Split(strings.TrimSpace(m.Body), "\n")
		}
		v.Messages = append(v.Messages, om)
	}
	if err := s.logAccess(c, jtai.ActList, "outbox", "ok"); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "outbox", &View{Title: "Outbox", Nav: "outbox", Data: v})
}
