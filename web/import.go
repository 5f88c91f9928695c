package web

// ImportStore is what the list import pages need of storage.
type ImportStore interface{}

// registerImports registers the list import pages.
func (s *Server) registerImports() {}
