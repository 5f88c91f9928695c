package calendar

import "jtai"

// State is where a deadline of the timetable stands.
type State string

// Deadline states.
const (
	Done      State = "done"
	Due       State = "due"
	Overdue   State = "overdue"
	Cancelled State = "cancelled" // the inspection was withdrawn first
)

// Label is the state for people.
func (s State) Label() string {
	switch s {
	case Done:
		return "Done"
	case Due:
		return "Due"
	case Overdue:
		return "Overdue"
	case Cancelled:
		return "Not needed"
	}
	return string(s)
}

// doneAt is the lifecycle state from which each default step is done. A
// theme's own steps, which are not here, are done once their date passes.
var doneAt = map[string]jtai.Status{
	StepNotification:        jtai.StatusNotified,
	StepListsSupplied:       jtai.StatusChildrenSelected,
	StepDocumentsSupplied:   jtai.StatusChildrenSelected,
	StepChildrenSelected:    jtai.StatusChildrenSelected,
	StepAuditsReturned:      jtai.StatusAuditsReturned,
	StepOnsiteStart:         jtai.StatusOnsite,
	StepOnsiteEnd:           jtai.StatusDrafting,
	StepDraftLetter:         jtai.StatusFactualAccuracy,
	StepAccuracyCorrections: jtai.StatusPublished,
	StepPublication:         jtai.StatusPublished,
	StepActionStatement:     jtai.StatusClosed,
}

// Progress is a deadline with where it stands.
type Progress struct {
	Deadline
	State State `json:"state"`
}

// Track says of each deadline whether it is done, due or overdue, for an
// inspection now in the given state, on the given day. The caller reads
// the clock; this package never does.
func Track(deadlines []Deadline, status jtai.Status, today jtai.Date) []Progress {
	today = civil(today)
	out := make([]Progress, len(deadlines))
	for i, d := range deadlines {
		p := Progress{Deadline: d}
		at, known := doneAt[d.ID]
		switch {
		case known && status.Reached(at):
			p.State = Done
		case !known && d.Date.Before(today.Time) && status != jtai.StatusWithdrawn:
			p.State = Done
		case status == jtai.StatusWithdrawn || status == jtai.StatusClosed:
			p.State = Cancelled
		case d.Date.Before(today.Time):
			p.State = Overdue
		default:
			p.State = Due
		}
		out[i] = p
	}
	return out
}
