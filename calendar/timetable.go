package calendar

import (
	"regexp"
	"strings"

	"jtai"
)

// Step is one step of the inspection timetable: WorkingDays working days
// after the step named by From, or after the notification date when From is
// empty.
//
// A step with Week set is dated by the calendar instead, as the onsite week
// is: week 1 is the week, Monday to Friday, of the step named by From (or of
// the notification), and the step falls on the first working day of week
// Week, or on its last with LastDay. A bank holiday in that week shortens it
// and does not move it to another week; WorkingDays is then 0.
//
// Themes may override the default steps with the same fields, so Step stays
// plain data.
type Step struct {
	ID          string `json:"id" yaml:"id"`
	Label       string `json:"label" yaml:"label"`
	WorkingDays int    `json:"working_days" yaml:"working_days"`
	From        string `json:"from,omitempty" yaml:"from"`
	Week        int    `json:"week,omitempty" yaml:"week"`
	LastDay     bool   `json:"last_day,omitempty" yaml:"last_day"`
	Source      string `json:"source,omitempty" yaml:"source"`
	Assumption  bool   `json:"assumption,omitempty" yaml:"assumption"`
}

// The ids of the default steps. Ids are stable: stored inspections, theme
// files and links refer to them.
const (
	StepNotification        = "notification"
	StepListsSupplied       = "lists-supplied"
	StepDocumentsSupplied   = "documents-supplied"
	StepChildrenSelected    = "children-selected"
	StepAuditsReturned      = "audits-returned"
	StepOnsiteStart         = "onsite-start"
	StepOnsiteEnd           = "onsite-end"
	StepDraftLetter         = "draft-letter"
	StepAccuracyCorrections = "accuracy-corrections"
	StepPublication         = "publication"
	StepActionStatement     = "action-statement"
)

// DefaultSteps returns the timetable of DOMAIN.md, "Timetable", in order.
// Steps marked Assumption are jtai's reading where the sources give only a
// week or an approximate gap. Each call returns a new slice, free to change.
func DefaultSteps() []Step {
	return []Step{
		{ID: StepNotification, Label: "Notification to the director of children's services and partners",
			WorkingDays: 0, Source: "JTAI guide 2024"},
		{ID: StepListsSupplied, Label: "Lists of children supplied",
			WorkingDays: 1, Source: "JTAI framework 2016: same day, by a time the inspectors set", Assumption: true},
		{ID: StepDocumentsSupplied, Label: "Strategic documents supplied",
			WorkingDays: 3, Source: "JTAI guide 2024: week 1", Assumption: true},
		{ID: StepChildrenSelected, Label: "Children selected for joint audit, case tracking and the wider sample",
			WorkingDays: 3, Source: "Sheffield SCP guidance: week 1", Assumption: true},
		{ID: StepAuditsReturned, Label: "Partnership's joint audits returned",
			WorkingDays: 8, Source: "Sheffield SCP guidance: week 2", Assumption: true},
		// The onsite week is the third calendar week, whatever bank holidays
		// weeks 1 and 2 hold; one in week 3 shortens it (DOMAIN.md).
		{ID: StepOnsiteStart, Label: "Onsite fieldwork starts",
			Week: 3, Source: "JTAI guide 2024: week 3, Monday to Friday"},
		// The end is in the start's week so that a theme moving the onsite
		// week moves all of it.
		{ID: StepOnsiteEnd, Label: "Onsite fieldwork ends",
			Week: 1, LastDay: true, From: StepOnsiteStart, Source: "JTAI guide 2024: week 3, Monday to Friday"},
		{ID: StepDraftLetter, Label: "Draft letter sent to the partnership for factual accuracy",
			WorkingDays: 15, From: StepOnsiteEnd, Source: "Haringey 2017-18: about 15 working days after onsite", Assumption: true},
		{ID: StepAccuracyCorrections, Label: "Partnership's factual accuracy corrections returned",
			WorkingDays: 10, From: StepDraftLetter, Source: "Haringey 2017-18: about 10 working days", Assumption: true},
		{ID: StepPublication, Label: "Letter published",
			WorkingDays: 33, From: StepOnsiteEnd, Source: "Haringey 2017-18: 33 working days after onsite"},
		{ID: StepActionStatement, Label: "Written statement of action due",
			WorkingDays: 70, From: StepPublication, Source: "Haringey 2017-18", Assumption: true},
	}
}

// Deadline is a step of the timetable with its date. Holidays are, for a
// step dated by its week, the bank holidays in that week: the days the week
// loses.
type Deadline struct {
	Step
	Date     jtai.Date `json:"date" yaml:"date"`
	Holidays []Holiday `json:"holidays,omitempty" yaml:"holidays,omitempty"`
}

// Shortened says, in words for people, which bank holidays shorten the week
// of a step dated by its week: "Shortened by a bank holiday: Monday 1 April
// 2024 (Easter Monday)". It is empty when none does.
func (d Deadline) Shortened() string {
	if len(d.Holidays) == 0 {
		return ""
	}
	names := make([]string, len(d.Holidays))
	for i, h := range d.Holidays {
		names[i] = h.Date.Weekday().String() + " " + h.Date.Long() + " (" + describe(h) + ")"
	}
	if len(names) == 1 {
		return "Shortened by a bank holiday: " + names[0]
	}
	return "Shortened by bank holidays: " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// stepID is the form of a step id: lower-case words joined by hyphens.
var stepID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Timetable dates each step, in the order given, counting working days (or
// calendar weeks, for a step with Week) from the notification date or from
// the step named by From. Steps may count from
// steps listed after them, but not in a circle. Timetable does not check the
// notification date itself (see CheckNotification): a date the caller has
// chosen to override is counted from as it is.
func Timetable(notified jtai.Date, steps []Step) ([]Deadline, error) {
	index := make(map[string]int, len(steps))
	for i, s := range steps {
		if s.ID == "" {
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %d has no id", i+1)
		}
		if !stepID.MatchString(s.ID) {
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %d has id %q: use lower-case words joined by hyphens, like onsite-start", i+1, s.ID)
		}
		if _, dup := index[s.ID]; dup {
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q is listed twice", s.ID)
		}
		index[s.ID] = i
		switch {
		case s.Week < 0:
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q is in week %d: weeks count from 1", s.ID, s.Week)
		case s.Week > 0 && s.WorkingDays != 0:
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q gives both working days and a week: give one", s.ID)
		case s.LastDay && s.Week == 0:
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q is on the last day of its week but gives no week", s.ID)
		}
	}
	for _, s := range steps {
		if _, ok := index[s.From]; s.From != "" && !ok {
			return nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q counts from %q, which is not a step", s.ID, s.From)
		}
	}

	notified = civil(notified)
	dates := make([]jtai.Date, len(steps))
	holidays := make([][]Holiday, len(steps))
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(steps))
	var date func(i int) (jtai.Date, error)
	date = func(i int) (jtai.Date, error) {
		switch state[i] {
		case done:
			return dates[i], nil
		case visiting:
			if steps[i].From == steps[i].ID {
				return jtai.Date{}, jtai.Errorf(jtai.EINVALID, "Timetable step %q counts from itself", steps[i].ID)
			}
			return jtai.Date{}, jtai.Errorf(jtai.EINVALID, "Timetable step %q counts from %q, which counts back to it: steps must not count from each other in a circle", steps[i].ID, steps[i].From)
		}
		state[i] = visiting
		from := notified
		if s := steps[i]; s.From != "" {
			d, err := date(index[s.From])
			if err != nil {
				return jtai.Date{}, err
			}
			from = d
		}
		if steps[i].Week > 0 {
			d, hs, err := inWeek(from, steps[i])
			if err != nil {
				return jtai.Date{}, err
			}
			dates[i], holidays[i], state[i] = d, hs, done
			return d, nil
		}
		dates[i], state[i] = AddWorkingDays(from, steps[i].WorkingDays), done
		return dates[i], nil
	}

	deadlines := make([]Deadline, len(steps))
	for i, s := range steps {
		d, err := date(i)
		if err != nil {
			return nil, err
		}
		deadlines[i] = Deadline{Step: s, Date: d, Holidays: holidays[i]}
	}
	return deadlines, nil
}

// inWeek dates a step with Week: the first (or last) working day of the
// week s.Week-1 weeks after the week of from, with the bank holidays of
// that week.
func inWeek(from jtai.Date, s Step) (jtai.Date, []Holiday, error) {
	monday := addDays(mondayOf(from), 7*(s.Week-1))
	var working []jtai.Date
	var hs []Holiday
	for n := range 5 {
		d := addDays(monday, n)
		if h, ok := HolidayOn(d); ok {
			hs = append(hs, h)
			continue
		}
		working = append(working, d)
	}
	if len(working) == 0 {
		return jtai.Date{}, nil, jtai.Errorf(jtai.EINVALID, "Timetable step %q falls in the week of %s, which has no working day", s.ID, monday.Long())
	}
	if s.LastDay {
		return working[len(working)-1], hs, nil
	}
	return working[0], hs, nil
}

// OnsiteWeek returns the first and last days of onsite fieldwork in a
// timetable; zero dates when it has no such steps.
func OnsiteWeek(deadlines []Deadline) (start, last jtai.Date) {
	for _, d := range deadlines {
		switch d.ID {
		case StepOnsiteStart:
			start = d.Date
		case StepOnsiteEnd:
			last = d.Date
		}
	}
	return start, last
}
