package web

// PartnershipStore is what the invitation, outbox and document pages need
// of storage.
type PartnershipStore interface{}

// registerPartnership registers the invitation, outbox and document pages.
func (s *Server) registerPartnership() {}
