package web

// JointAuditStore is what the task list and joint audit pages need of
// storage.
type JointAuditStore interface{}

// registerJointAudit registers the task list and joint audit pages.
func (s *Server) registerJointAudit() {}
