package screen_test

import (
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
		// domestic abuse, so the baby needs review like any child without it.
		{"unborn, no other signal", jtai.Child{ExpectedDate: born(2026, 6, 1)},
			screen.NeedsReview, []string{"unborn", "no-evidence"}, "unborn"},
		{"unborn with a police notification", jtai.Child{ExpectedDate: born(2026, 6, 1), Facts: jtai.ChildFacts{PoliceNotifications: 1, PoliceChildPresent: true}},
			screen.InScope, []string{"unborn", "da-indicator:police-notification"}, "unborn"},
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
			screen.NeedsReview, []string{"no-evidence"}, "5-7"},
		{"police referral only", jtai.Child{DateOfBirth: born(2021, 1, 1), Facts: jtai.ChildFacts{ReferralSources: []string{"6"}}},
			screen.NeedsReview, []string{"review:referral-source-police"}, "5-7"},
		{"child-to-parent abuse", jtai.Child{DateOfBirth: born(2020, 1, 1), Facts: jtai.ChildFacts{AbuseTypes: []string{"child-to-parent"}, PoliceNotifications: 1, PoliceChildPresent: true}},
			screen.OutOfScope, []string{"excluded:child-to-parent"}, "5-7"},
		{"teenager, teenage relationship abuse", jtai.Child{DateOfBirth: born(2010, 1, 1), Facts: jtai.ChildFacts{AbuseTypes: []string{"teenage-relationship"}}},
			screen.OutOfScope, []string{"age-over-7-at-notification", "excluded:teenage-relationship"}, ""},
		// A child who has died is out of scope, however strong the signal.
		{"died, with factor 3A", jtai.Child{DateOfBirth: born(2022, 5, 1), DateOfDeath: born(2025, 11, 3), Facts: jtai.ChildFacts{Factors: []string{"3A"}, MARAC: true}},
			screen.OutOfScope, []string{"died"}, "3-4"},
		{"no evidence either way", jtai.Child{DateOfBirth: born(2023, 7, 9)},
			screen.NeedsReview, []string{"no-evidence"}, "0-2"},
		{"no date of birth, a signal", jtai.Child{Facts: jtai.ChildFacts{Factors: []string{"3A"}}},
			screen.NeedsReview, []string{"age-unknown", "da-indicator:cin-factor-3A"}, ""},
		{"no date of birth, nothing", jtai.Child{},
			screen.NeedsReview, []string{"age-unknown"}, ""},
		{"born after the notification", jtai.Child{DateOfBirth: born(2026, 3, 10), Facts: jtai.ChildFacts{MARAC: true}},
			screen.InScope, []string{"unborn", "da-indicator:marac"}, "unborn"},
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
	if len(byReason) != 4 || byReason[0].Outcome != screen.NeedsReview || byReason[len(byReason)-1].Outcome != screen.OutOfScope {
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
