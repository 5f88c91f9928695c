package web

// registerAPI registers the JSON API under /api/v1.
func (s *Server) registerAPI() {}
