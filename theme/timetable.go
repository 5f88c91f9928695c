package theme

import (
	"jtai"
	"jtai/calendar"
)

// Steps is the theme's timetable, or the default one when the theme gives
// none (a nil theme too).
func (t *Theme) Steps() []calendar.Step {
	if t == nil || len(t.Timetable) == 0 {
		return calendar.DefaultSteps()
	}
	steps := make([]calendar.Step, len(t.Timetable))
	for i, s := range t.Timetable {
		steps[i] = calendar.Step(s)
	}
	return steps
}

// Deadlines dates the theme's timetable from the notification date: the one
// place the web, the API and the console get an inspection's timetable.
func (t *Theme) Deadlines(notified jtai.Date) ([]calendar.Deadline, error) {
	return calendar.Timetable(notified, t.Steps())
}

// Move is the lifecycle move to state to with the given reason, chosen by
// the lead inspector, carrying the onsite week of the inspection's
// timetable for the move's preconditions.
func (t *Theme) Move(in *jtai.Inspection, to jtai.Status, reason string) (jtai.Move, error) {
	m := jtai.Move{To: to, Reason: reason, Via: jtai.ViaStatus}
	deadlines, err := t.Deadlines(in.NotifiedOn)
	if err != nil {
		return m, err
	}
	m.OnsiteStart, m.OnsiteLast = calendar.OnsiteWeek(deadlines)
	return m, nil
}
