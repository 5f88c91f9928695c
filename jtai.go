// Package jtai holds the domain of a Joint Targeted Area Inspection: areas and
// their partnerships, inspectorates, users and roles, inspections and the
// children they look at, and the errors the rest of the program speaks in.
//
// It depends on nothing but the standard library. Every other package depends
// inward on this one; this package must never import them.
package jtai

import "time"

// Version is the program's version, set at build time with -ldflags.
var Version = "dev"

// Clock tells the time. Tests inject a fixed clock; the inspection timetable
// depends on "today".
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock always returns T; for tests.
type FixedClock struct{ T time.Time }

// Now returns the fixed time.
func (c FixedClock) Now() time.Time { return c.T }
