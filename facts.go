package jtai

// Stage is how far a child has come into children's services, as the lists
// show it.
type Stage string

// The stages, from first contact to care (DOMAIN.md, "Selection").
const (
	StageContact         Stage = "contact"
	StageReferral        Stage = "referral"
	StageAssessment      Stage = "assessment"
	StageEarlyHelp       Stage = "early-help"
	StageChildInNeed     Stage = "child-in-need"
	StageChildProtection Stage = "child-protection"
	StageChildInCare     Stage = "child-in-care"
)

// Label is the stage for people.
func (s Stage) Label() string {
	switch s {
	case StageContact:
		return "Contact"
	case StageReferral:
		return "Referral"
	case StageAssessment:
		return "Assessment"
	case StageEarlyHelp:
		return "Early help"
	case StageChildInNeed:
		return "Child in need"
	case StageChildProtection:
		return "Child protection plan"
	case StageChildInCare:
		return "Looked after (in care)"
	}
	return string(s)
}

// Stages lists the stages in order of intensity.
var Stages = []Stage{StageContact, StageReferral, StageAssessment, StageEarlyHelp, StageChildInNeed, StageChildProtection, StageChildInCare}

// ChildFacts are what the lists say about a child that scope screening and
// selection read, gathered across every list and file. They are personal
// data, sealed with the child. Screening must not care where they came from:
// the importer fills them from real lists, package synth from invented ones.
type ChildFacts struct {
	// Factors are CIN assessment factor codes from authorised assessments,
	// e.g. "3A" (the child is the subject of domestic abuse).
	Factors []string `json:"factors,omitempty"`
	// ReferralSources are referral source codes, e.g. "6" (police).
	ReferralSources []string `json:"referral_sources,omitempty"`
	// ContactSources are the source codes of contacts (Annex A list 1).
	ContactSources []string `json:"contact_sources,omitempty"`
	// OpenAssessment is whether an assessment is recorded in an episode
	// still open: no closure date, or not yet authorised.
	OpenAssessment bool `json:"open_assessment,omitempty"`
	// PoliceNotifications counts police domestic-abuse notifications naming
	// the child; PoliceChildPresent is whether any says the child was present.
	PoliceNotifications int  `json:"police_notifications,omitempty"`
	PoliceChildPresent  bool `json:"police_child_present,omitempty"`
	// MARAC is whether the child is in the household of a MARAC case.
	MARAC bool `json:"marac,omitempty"`
	// AbuseTypes are the abuse types of the DA notifications:
	// "adult", "child-to-parent", "teenage-relationship".
	AbuseTypes []string `json:"abuse_types,omitempty"`
	// Stages the child has reached, from the lists it is on.
	Stages []Stage `json:"stages,omitempty"`
	// Agencies that worked with the child.
	Agencies []AgencyKind `json:"agencies,omitempty"`
	// Lists the child appears on, e.g. "annex-a-list-3", "cin-census".
	Lists []string `json:"lists,omitempty"`
	// Ended says when a signal was last current, for the signals whose
	// every episode or event has ended: the latest closure or event date,
	// by signal (see the Signal* keys). A signal not named here is current:
	// an episode that carries it is open, or gives no date.
	Ended map[string]Date `json:"ended,omitempty"`
}

// Signal keys of ChildFacts.Ended.
const (
	SignalPoliceNotification = "police-notification"
	SignalPoliceChildPresent = "police-child-present"
	SignalMARAC              = "marac"
)

// SignalFactor, SignalReferralSource and SignalContactSource are the
// Ended keys of a code.
func SignalFactor(code string) string         { return "factor:" + code }
func SignalReferralSource(code string) string { return "referral-source:" + code }
func SignalContactSource(code string) string  { return "contact-source:" + code }

// EndedBefore reports whether the signal's episodes all ended before cut;
// false for a current signal.
func (f *ChildFacts) EndedBefore(signal string, cut Date) bool {
	d, ok := f.Ended[signal]
	return ok && d.Before(cut.Time)
}

// HighestStage is the most intensive stage the child has reached, or "".
func (f *ChildFacts) HighestStage() Stage {
	best := -1
	for _, s := range f.Stages {
		for i, x := range Stages {
			if x == s && i > best {
				best = i
			}
		}
	}
	if best < 0 {
		return ""
	}
	return Stages[best]
}
