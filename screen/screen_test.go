package screen_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"jtai"
	"jtai/screen"
	"jtai/theme"
	"jtai/theme/themetest"
)

func domesticAbuse(t testing.TB) *theme.Theme {
	t.Helper()
	return themetest.Builtin(t, "domestic-abuse-2024")
}

func born(y int, m time.Month, d int) *jtai.Date {
	x := jtai.NewDate(y, m, d)
	return &x
}

var notified = jtai.NewDate(2026, 3, 2)

func TestScreeningChildByChild(t *testing.T) {
	th := domesticAbuse(t)
	cases := []struct {
		name    string
		child   jtai.Child
		outcome screen.Outcome
		reasons []string
		band    string
	}{
		// Being unborn places a baby within the ages; it is no evidence of
		// domestic abuse, so without a signal the baby is out of scope.
		{"unborn, no other signal", jtai.Child{ExpectedDate: born(2026, 6, 1)},
			screen.OutOfScope, []string{"no-da-signal"}, "unborn"},
		{"unborn with a police notification", jtai.Child{ExpectedDate: born(2026, 6, 1), Facts: jtai.ChildFacts{PoliceNotifications: 1, PoliceChildPresent: true}},
			screen.InScope, []string{"unborn", "da-indicator:police-notification"}, "unborn"},
		{"unborn past the expected date, a signal", jtai.Child{ExpectedDate: born(2026, 1, 10), Facts: jtai.ChildFacts{MARAC: true}},
			screen.NeedsReview, []string{"unborn-past-expected-date", "da-indicator:marac"}, "unborn"},
		{"unborn past the expected date, no signal", jtai.Child{ExpectedDate: born(2026, 1, 10)},
			screen.OutOfScope, []string{"no-da-signal"}, "unborn"},
		{"age 3 with factor 3A", jtai.Child{DateOfBirth: born(2022, 5, 1), Facts: jtai.ChildFacts{Factors: []string{"1B", "3A"}}},
			screen.InScope, []string{"da-indicator:cin-factor-3A"}, "3-4"},
		{"age 0 with factor 3B and 3C", jtai.Child{DateOfBirth: born(2025, 12, 1), Facts: jtai.ChildFacts{Factors: []string{"3C", "3B"}}},
			screen.InScope, []string{"da-indicator:cin-factor-3B", "da-indicator:cin-factor-3C"}, "0-2"},
		{"seventh birthday on the notification date", jtai.Child{DateOfBirth: born(2019, 3, 2), Facts: jtai.ChildFacts{MARAC: true}},
			screen.InScope, []string{"da-indicator:marac"}, "5-7"},
		{"eighth birthday on the notification date", jtai.Child{DateOfBirth: born(2018, 3, 2), Facts: jtai.ChildFacts{Factors: []string{"3A"}}},
			screen.OutOfScope, []string{"age-over-7-at-notification"}, ""},
		{"eight tomorrow is still 7", jtai.Child{DateOfBirth: born(2018, 3, 3), Facts: jtai.ChildFacts{Factors: []string{"3A"}}},
			screen.InScope, []string{"da-indicator:cin-factor-3A"}, "5-7"},
		{"police notification, child not present", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{PoliceNotifications: 2}},
			screen.NeedsReview, []string{"review:police-notification-child-not-present"}, "5-7"},
		{"police referral only", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}}},
			screen.NeedsReview, []string{"review:referral-source-police"}, "5-7"},
		{"police contact only", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ContactSources: []string{"6"}}},
			screen.NeedsReview, []string{"review:contact-source-police"}, "5-7"},
		{"police referral and factor 3A", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}, Factors: []string{"3A"}}},
			screen.InScope, []string{"da-indicator:cin-factor-3A"}, "5-7"},
		{"open assessment with no factors", jtai.Child{DateOfBirth: born(2024, 1, 1), Facts: jtai.ChildFacts{OpenAssessment: true}},
			screen.NeedsReview, []string{"review:open-assessment-no-factors"}, "0-2"},
		{"open assessment with other factors", jtai.Child{DateOfBirth: born(2024, 1, 1), Facts: jtai.ChildFacts{OpenAssessment: true, Factors: []string{"1B"}}},
			screen.OutOfScope, []string{"no-da-signal"}, "0-2"},
		{"referral from a school", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"2A"}}},
			screen.OutOfScope, []string{"no-da-signal"}, "5-7"},
		{"child-to-parent abuse", jtai.Child{DateOfBirth: born(2020, 1, 1), Facts: jtai.ChildFacts{AbuseTypes: []string{"child-to-parent"}, PoliceNotifications: 1, PoliceChildPresent: true}},
			screen.OutOfScope, []string{"excluded:child-to-parent"}, "5-7"},
		{"teenager, teenage relationship abuse", jtai.Child{DateOfBirth: born(2010, 1, 1), Facts: jtai.ChildFacts{AbuseTypes: []string{"teenage-relationship"}}},
			screen.OutOfScope, []string{"age-over-7-at-notification", "excluded:teenage-relationship"}, ""},
		// A child who has died is out of scope, however strong the signal.
		{"died, with factor 3A", jtai.Child{DateOfBirth: born(2022, 5, 1), DateOfDeath: born(2025, 11, 3), Facts: jtai.ChildFacts{Factors: []string{"3A"}, MARAC: true}},
			screen.OutOfScope, []string{"died"}, "3-4"},
		{"aged 0-7, no signal at all", jtai.Child{DateOfBirth: born(2023, 7, 9)},
			screen.OutOfScope, []string{"no-da-signal"}, "0-2"},
		{"MARAC case, no date of birth", jtai.Child{Facts: jtai.ChildFacts{MARAC: true}},
			screen.NeedsReview, []string{"age-unknown", "da-indicator:marac"}, ""},
		{"no date of birth, a signal", jtai.Child{Facts: jtai.ChildFacts{Factors: []string{"3A"}}},
			screen.NeedsReview, []string{"age-unknown", "da-indicator:cin-factor-3A"}, ""},
		{"no date of birth, nothing", jtai.Child{},
			screen.OutOfScope, []string{"no-da-signal"}, ""},
		{"born after the notification", jtai.Child{DateOfBirth: born(2026, 3, 10), Facts: jtai.ChildFacts{MARAC: true}},
			screen.InScope, []string{"unborn", "da-indicator:marac"}, "unborn"},
		// The theme's window is the 6 months before the notification
		// (2 September 2025 for a notification on 2 March 2026).
		{"factor 3A from an episode closed a year before", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{Factors: []string{"3A"},
			Ended: map[string]jtai.Date{jtai.SignalFactor("3A"): jtai.NewDate(2025, 3, 1)}}},
			screen.OutOfScope, []string{"da-history-only"}, "5-7"},
		{"factor 3A from an episode closed within the window", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{Factors: []string{"3A"},
			Ended: map[string]jtai.Date{jtai.SignalFactor("3A"): jtai.NewDate(2025, 9, 2)}}},
			screen.InScope, []string{"da-indicator:cin-factor-3A"}, "5-7"},
		{"old 3B closed, 3C current", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{Factors: []string{"3B", "3C"},
			Ended: map[string]jtai.Date{jtai.SignalFactor("3B"): jtai.NewDate(2024, 1, 1)}}},
			screen.InScope, []string{"da-indicator:cin-factor-3C"}, "5-7"},
		{"police referral two years before", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"},
			Ended: map[string]jtai.Date{jtai.SignalReferralSource("6"): jtai.NewDate(2024, 2, 1)}}},
			screen.OutOfScope, []string{"da-history-only"}, "5-7"},
		{"old notification, child present", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{PoliceNotifications: 1, PoliceChildPresent: true,
			Ended: map[string]jtai.Date{jtai.SignalPoliceNotification: jtai.NewDate(2024, 2, 1), jtai.SignalPoliceChildPresent: jtai.NewDate(2024, 2, 1)}}},
			screen.OutOfScope, []string{"da-history-only"}, "5-7"},
		{"old MARAC case", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{MARAC: true,
			Ended: map[string]jtai.Date{jtai.SignalMARAC: jtai.NewDate(2025, 1, 31)}}},
			screen.OutOfScope, []string{"da-history-only"}, "5-7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := screen.Child(th, notified, &c.child)
			if r.Outcome != c.outcome || !slices.Equal(r.Reasons, c.reasons) || r.AgeBand != c.band {
				t.Errorf("got %s %v band %q, want %s %v band %q", r.Outcome, r.Reasons, r.AgeBand, c.outcome, c.reasons, c.band)
			}
			for _, reason := range r.Reasons {
				if screen.ReasonLabel(th, reason) == reason {
					t.Errorf("reason %q has no label", reason)
				}
			}
		})
	}
}

func TestThemeWithoutRulesNeedsReview(t *testing.T) {
	reg, err := theme.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	th, err := reg.Get("neglect-2017")
	if err != nil {
		t.Fatal(err)
	}
	s := screen.Children(th, notified, []*jtai.Child{{ID: 1, DateOfBirth: born(2020, 1, 1)}, {ID: 2}})
	if s.Count(screen.NeedsReview) != 2 || s.Results[0].Reasons[0] != screen.ReasonNoRules {
		t.Errorf("a theme without rules: %+v", s.Results)
	}
}

func TestEveryChildHasAnOutcome(t *testing.T) {
	th := domesticAbuse(t)
	kids := []*jtai.Child{{ID: 1}, {ID: 2, ExpectedDate: born(2026, 5, 1)}, {ID: 3, DateOfBirth: born(2012, 1, 1)}}
	s := screen.Children(th, notified, kids)
	if len(s.Results) != len(kids) {
		t.Fatalf("%d results for %d children", len(s.Results), len(kids))
	}
	total := 0
	for _, o := range screen.Outcomes {
		total += s.Count(o)
	}
	if total != len(kids) {
		t.Errorf("outcomes count %d children, want %d", total, len(kids))
	}
	byReason := s.ByReason()
	if len(byReason) != 2 || byReason[0].Outcome != screen.OutOfScope || byReason[0].Reason != screen.ReasonNoSignal || byReason[0].Count != 2 {
		t.Errorf("by reason: %+v", byReason)
	}
}

func TestAgeAt(t *testing.T) {
	for _, c := range []struct {
		dob, on jtai.Date
		want    int
	}{
		{jtai.NewDate(2020, 2, 29), jtai.NewDate(2021, 2, 28), 0},
		{jtai.NewDate(2020, 2, 29), jtai.NewDate(2021, 3, 1), 1},
		{jtai.NewDate(2019, 3, 2), jtai.NewDate(2026, 3, 2), 7},
		{jtai.NewDate(2019, 3, 3), jtai.NewDate(2026, 3, 2), 6},
	} {
		if got := screen.AgeAt(c.dob, c.on); got != c.want {
			t.Errorf("AgeAt(%s, %s) = %d, want %d", c.dob, c.on, got, c.want)
		}
	}
}

func TestWindowIsTheThemes(t *testing.T) {
	th := *domesticAbuse(t)
	old := &jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{Factors: []string{"3A"},
		Ended: map[string]jtai.Date{jtai.SignalFactor("3A"): jtai.NewDate(2025, 3, 1)}}}
	th.Scope.CurrentMonths = 0
	if r := screen.Child(&th, notified, old); r.Outcome != screen.InScope {
		t.Errorf("with no window, a closed episode's signal is current: got %s %v", r.Outcome, r.Reasons)
	}
	th.Scope.CurrentMonths = 13
	if r := screen.Child(&th, notified, old); r.Outcome != screen.InScope {
		t.Errorf("a 13-month window takes in an episode closed 12 months before: got %s %v", r.Outcome, r.Reasons)
	}
}

func TestDecisions(t *testing.T) {
	th := domesticAbuse(t)
	kids := []*jtai.Child{
		{ID: 1, DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}}},
		{ID: 2, DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ContactSources: []string{"6"}}},
		{ID: 3, DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{Factors: []string{"3A"}}},
		{ID: 4, DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}}},
	}
	s := screen.Decided(th, notified, kids, map[int64]*screen.Decision{
		1: {ChildID: 1, In: true, Reason: "Police referral after an incident at home"},
		2: {ChildID: 2, Reason: "The contact was about a lost child"},
		3: {ChildID: 3, Reason: "A decision on a child in scope does not apply"},
	})
	want := []struct {
		o       screen.Outcome
		reasons []string
	}{
		{screen.InScope, []string{"decided:in", "review:referral-source-police"}},
		{screen.OutOfScope, []string{"decided:out", "review:contact-source-police"}},
		{screen.InScope, []string{"da-indicator:cin-factor-3A"}},
		{screen.NeedsReview, []string{"review:referral-source-police"}},
	}
	for i, w := range want {
		r := s.Results[i]
		if r.Outcome != w.o || !slices.Equal(r.Reasons, w.reasons) || r.Decided != (i < 2) {
			t.Errorf("child %d: got %s %v decided %v, want %s %v", r.ChildID, r.Outcome, r.Reasons, r.Decided, w.o, w.reasons)
		}
		for _, reason := range r.Reasons {
			if screen.ReasonLabel(th, reason) == reason {
				t.Errorf("reason %q has no label", reason)
			}
		}
	}
}

// A kept screening reads back as it was written, decisions and all, and
// a damaged one is refused with what is wrong.
func TestKeptRoundTrip(t *testing.T) {
	th := domesticAbuse(t)
	kids := []*jtai.Child{
		{ID: 1, LAChildID: "SYN000001", FirstName: "Alex", DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}, Agencies: []jtai.AgencyKind{jtai.AgencyPolice, jtai.AgencySocialCare}, Stages: []jtai.Stage{jtai.StageReferral}}},
		{ID: 2, LAChildID: "A\tB \"odd\"", ExpectedDate: born(2026, 6, 1), Facts: jtai.ChildFacts{MARAC: true}},
		{ID: 3, DateOfBirth: born(2010, 1, 1)},
	}
	decisions := map[int64]*screen.Decision{1: {ChildID: 1, In: true, Reason: "Seen at the incident", By: "Lead Inspector"}}
	k := screen.Kept{Screening: *screen.Decided(th, notified, kids, decisions), Decisions: decisions}
	b, err := k.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := screen.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", got.Results) != fmt.Sprintf("%+v", k.Results) || got.Decisions[1].Reason != "Seen at the incident" || !got.Results[0].Decided {
		t.Errorf("read back:\n%+v\nwant\n%+v", got.Results, k.Results)
	}
	for _, broken := range [][]byte{b[:len(b)/2], []byte("{}"), b[len("jtai-screening 1\n"):]} {
		if _, err := screen.Open(broken); err == nil {
			t.Errorf("a damaged screening read: %q", broken)
		}
	}
}
