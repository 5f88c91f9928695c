// Package calendar counts the working days of a Joint Targeted Area
// Inspection: the bank holidays of England and Wales for any year, working-day
// arithmetic, and the inspection timetable that follows from the date the
// partnership is notified (DOMAIN.md, "Timetable").
//
// Bank holidays are computed from the rules (fixed dates, Easter, the Monday
// holidays, substitute days) plus the one-off changes made by proclamation;
// there is no yearly list to keep up to date. Years are computed once and
// cached; everything here is safe for concurrent use.
//
// This package must never read the clock, the network or the environment: the
// same dates always give the same answers, offline and in tests. It must never
// decide on its own that a refused notification date may stand anyway; it
// explains why a date is refused and leaves the explicit override to the
// caller. It depends on nothing but the domain package and the standard
// library.
package calendar
