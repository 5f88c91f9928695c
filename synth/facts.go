package synth

import (
	"time"

	"jtai"
)

// Proportions of the synthetic facts. They are rough shapes from public
// figures (DOMAIN.md): domestic abuse is the most common factor at the end of
// an assessment, and about a quarter of police domestic-abuse incidents
// involve children. They make plausible demos, not statistics.
var factStages = []struct {
	stage  jtai.Stage
	weight int
}{
	{jtai.StageContact, 35}, {jtai.StageReferral, 20}, {jtai.StageAssessment, 15}, {jtai.StageEarlyHelp, 10},
	{jtai.StageChildInNeed, 10}, {jtai.StageChildProtection, 5}, {jtai.StageChildInCare, 5},
}

var factOtherFactors = []string{"1B", "2B", "4B", "4A", "16A", "17A", "6B", "21", "5B", "18C"}

// Facts invents what the lists would say about c, as of asOf.
func (g *Generator) Facts(c *jtai.Child, asOf jtai.Date) jtai.ChildFacts {
	var f jtai.ChildFacts
	n := g.r.IntN(100)
	stage := jtai.StageContact
	for _, w := range factStages {
		if n < w.weight {
			stage = w.stage
			break
		}
		n -= w.weight
	}
	for _, s := range jtai.Stages {
		if s == jtai.StageEarlyHelp && stage != jtai.StageEarlyHelp {
			continue
		}
		f.Stages = append(f.Stages, s)
		if s == stage {
			break
		}
	}
	f.Lists = append(f.Lists, "annex-a-list-1")
	f.Agencies = []jtai.AgencyKind{jtai.AgencySocialCare}
	if stage != jtai.StageContact && stage != jtai.StageEarlyHelp {
		src := g.Pick([]string{"6", "6", "3A", "2A", "1A", "5A", "8", "4"})
		f.ReferralSources = append(f.ReferralSources, src)
		f.Lists = append(f.Lists, "annex-a-list-3")
		if src == "6" {
			f.Agencies = append(f.Agencies, jtai.AgencyPolice)
		}
	}
	assessed := false
	for _, s := range f.Stages {
		assessed = assessed || s == jtai.StageAssessment
	}
	if assessed {
		f.Lists = append(f.Lists, "annex-a-list-4")
		if g.r.IntN(3) == 0 {
			f.Factors = append(f.Factors, g.Pick([]string{"3A", "3B", "3B", "3C"}))
		}
		for i := g.r.IntN(3); i > 0; i-- {
			f.Factors = append(f.Factors, g.Pick(factOtherFactors))
		}
	}
	age := 0
	if c.DateOfBirth != nil {
		age = int(asOf.Sub(c.DateOfBirth.Time) / (365 * 24 * time.Hour))
	}
	if g.r.IntN(7) == 0 {
		f.PoliceNotifications = 1 + g.r.IntN(3)
		f.PoliceChildPresent = g.r.IntN(10) < 7
		f.Lists = append(f.Lists, "da-notifications")
		typ := "adult"
		switch k := g.r.IntN(50); {
		case k == 0 && age >= 10:
			typ = "child-to-parent"
		case k == 1 && age >= 13:
			typ = "teenage-relationship"
		}
		f.AbuseTypes = append(f.AbuseTypes, typ)
		if !hasAgency(f.Agencies, jtai.AgencyPolice) {
			f.Agencies = append(f.Agencies, jtai.AgencyPolice)
		}
		if g.r.IntN(8) == 0 {
			f.MARAC = true
			f.Agencies = append(f.Agencies, jtai.AgencyProbation)
		}
	}
	if g.r.IntN(10) < 4 || c.DateOfBirth == nil {
		f.Agencies = append(f.Agencies, jtai.AgencyHealth)
	}
	if age >= 4 && g.r.IntN(10) < 6 {
		f.Agencies = append(f.Agencies, jtai.AgencyEducation)
	}
	return f
}

func hasAgency(xs []jtai.AgencyKind, k jtai.AgencyKind) bool {
	for _, x := range xs {
		if x == k {
			return true
		}
	}
	return false
}
