package web

import "jtai"

// PartnershipStore is what the invitation, outbox and document pages need
// of storage.
type PartnershipStore interface {
	jtai.DocumentService
	jtai.InvitationService
}

// registerPartnership registers the invitation, outbox and document pages.
func (s *Server) registerPartnership() {
	s.handle("GET", "/inspections/{id}/documents", SignedIn, s.documentsPage)
	s.handle("POST", "/inspections/{id}/documents", SignedIn, s.uploadDocument)
	s.handle("GET", "/inspections/{id}/documents/{doc}", SignedIn, s.documentHistory)
	s.handle("GET", "/inspections/{id}/documents/{doc}/download", SignedIn, s.downloadDocument)

	s.handle("GET", "/inspections/{id}/invitations", SignedIn, s.invitationsPage)
	s.handle("POST", "/inspections/{id}/invitations", SignedIn, s.invite)
	s.handle("POST", "/inspections/{id}/notification", SignedIn, s.recordNotification)
	s.handle("POST", "/inspections/{id}/invitations/{invitation}/resend", SignedIn, s.resendInvitation)
	s.handle("POST", "/inspections/{id}/invitations/{invitation}/revoke", SignedIn, s.revokeInvitation)
	s.handle("GET", "/invitations/{token}", Public, s.invitationPage)
	s.handle("POST", "/invitations/{token}", Public, s.acceptInvitation)
	s.handle("GET", "/outbox", SignedIn, s.outboxPage)
}
