package authz

import (
	"slices"

	"jtai"
)

// Grant is the policy's yes to one subject's action on one inspection's
// personal data, with the access-log entries that using it must write.
// Only Permit makes a valid one: its fields are unexported, so the store's
// opening reads, which take a Grant, cannot be reached by code that did
// not ask the policy, and what they open is always logged (the store
// appends Entries before it opens anything).
type Grant struct {
	inspectionID int64
	subject      *Subject
	action       Action
	entries      []jtai.AccessEntry
}

// Permit asks the policy whether s may do a to r, an inspection's
// personal data, and returns the grant that carries the access-log entry
// (logAction on logResource, such as jtai.ActView on
// "inspection/3/child/41") for the store to write when it opens the data.
// A refusal is the policy's error (not found or forbidden); writing the
// refusal to the log is the caller's, who knows the request.
func Permit(s *Subject, a Action, r Resource, logAction, logResource string) (Grant, error) {
	if err := Can(s, a, r); err != nil {
		return Grant{}, err
	}
	if r.InspectionID == 0 {
		return Grant{}, notFound()
	}
	return Grant{inspectionID: r.InspectionID, subject: s, action: a, entries: []jtai.AccessEntry{s.entry(logAction, logResource, "ok")}}, nil
}

// Valid reports whether g was made by Permit. The zero Grant, the only
// one code outside this package can write, is never valid.
func (g Grant) Valid() bool { return g.subject != nil && g.inspectionID != 0 && len(g.entries) > 0 }

// InspectionID is the inspection whose personal data g opens.
func (g Grant) InspectionID() int64 { return g.inspectionID }

// Action is what g allows.
func (g Grant) Action() Action { return g.action }

// Subject is who g was given to.
func (g Grant) Subject() *Subject { return g.subject }

// Entries returns the access-log entries the use of g writes, each a
// fresh copy for the log to fill in.
func (g Grant) Entries() []*jtai.AccessEntry {
	out := make([]*jtai.AccessEntry, len(g.entries))
	for i := range g.entries {
		e := g.entries[i]
		out[i] = &e
	}
	return out
}

// With returns g widened by h, a grant to the same subject on the same
// inspection: one opening read then writes both grants' entries together.
// Grants to another subject or inspection are not joined: the result is
// invalid.
func (g Grant) With(h Grant) Grant {
	if !g.Valid() || !h.Valid() || g.subject != h.subject || g.inspectionID != h.inspectionID {
		return Grant{}
	}
	g.entries = append(slices.Clip(g.entries), h.entries...)
	return g
}

// entry is an access-log entry of s's request.
func (s *Subject) entry(action, resource, outcome string) jtai.AccessEntry {
	return jtai.AccessEntry{ActorID: s.UserID, Actor: s.actorName(), Action: action, Resource: resource, Outcome: outcome, Address: s.Address}
}

// Refusal is the access-log entry of a refused request by s, for the
// caller to write.
func (s *Subject) Refusal(resource string) *jtai.AccessEntry {
	if s == nil {
		return &jtai.AccessEntry{Actor: "anonymous", Action: jtai.ActDenied, Resource: resource, Outcome: "denied"}
	}
	e := s.entry(jtai.ActDenied, resource, "denied")
	return &e
}

func (s *Subject) actorName() string {
	if s.console != "" {
		return "console:" + s.console
	}
	return s.Email
}
