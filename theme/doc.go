// Package theme holds the inspection themes ("deep dives") of Joint Targeted
// Area Inspections as data: one YAML file per theme, embedded in the binary
// under themes/, plus any directory of theme files an inspectorate supplies
// at run time. A new theme is a new file, never new code.
//
// A theme says what the inspection looks at: who is in scope and by which
// screening rules, the focus areas and evaluation criteria, the lists and
// strategic documents the area supplies, how children are selected for case
// tracking and sampling, the joint audit questions, the sections of the
// letter of findings and the timetable's working-day offsets.
//
// The loader checks every file before it is used and reports every problem
// it finds, each as "FILE:LINE: FIELD: message", so that whoever edits a
// theme can fix them all in one pass. Unknown fields are errors: a typo must
// never be silently ignored.
//
// This package must never grade an area: JTAIs give no graded judgements,
// so a theme carries no rating scale. It must never invent evaluation
// criteria either: a series whose criteria have not been supplied says so
// (criteria_status: not-yet-supplied) and lists none. It reads theme files
// only; it holds no personal data and depends on nothing but the domain
// package and the YAML parser.
package theme
