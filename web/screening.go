package web

// ScreeningStore is what the screening and selection pages need of storage.
type ScreeningStore interface{}

// registerScreening registers the timetable, screening and selection pages.
func (s *Server) registerScreening() {}
