package jtai

import (
	"context"
	"slices"
	"time"
)

// Access-log actions of evidence.
const (
	ActEvidenceRecord = "evidence-record" // an evidence record written
	ActEvidenceRead   = "evidence-read"   // evidence notes read
	ActEvidenceDraft  = "evidence-draft"  // a draft of an evidence record kept while it is written
)

// MaxEvidenceNote is the longest note an evidence record may hold, in
// characters: a long case-tracking write-up fits, a pasted file does not.
const MaxEvidenceNote = 20000

// EvidenceKind is the onsite activity an evidence record comes from
// (DOMAIN.md section 4).
type EvidenceKind string

// The kinds of activity.
const (
	EvidenceCaseTracking EvidenceKind = "case-tracking"
	EvidenceCaseSampling EvidenceKind = "case-sampling"
	EvidenceAuditReview  EvidenceKind = "audit-evaluation"
	EvidenceMeeting      EvidenceKind = "meeting-observed"
	EvidenceInterview    EvidenceKind = "interview"
	EvidenceChild        EvidenceKind = "conversation-child"
	EvidenceParent       EvidenceKind = "conversation-parent"
	EvidenceSurvivor     EvidenceKind = "conversation-survivor"
	EvidenceDocumentRead EvidenceKind = "document-read"
	EvidenceVisit        EvidenceKind = "visit"
)

// EvidenceKinds lists the kinds in the order forms offer them.
var EvidenceKinds = []EvidenceKind{EvidenceCaseTracking, EvidenceCaseSampling, EvidenceAuditReview, EvidenceMeeting, EvidenceInterview,
	EvidenceChild, EvidenceParent, EvidenceSurvivor, EvidenceDocumentRead, EvidenceVisit}

var evidenceKindLabels = map[EvidenceKind]string{
	EvidenceCaseTracking: "Case tracking",
	EvidenceCaseSampling: "Case sampling",
	EvidenceAuditReview:  "Evaluation of the partnership's audit",
	EvidenceMeeting:      "Meeting observed",
	EvidenceInterview:    "Interview or focus group with practitioners, managers or leaders",
	EvidenceChild:        "Conversation with a child",
	EvidenceParent:       "Conversation with a parent or carer",
	EvidenceSurvivor:     "Conversation with victims and survivors",
	EvidenceDocumentRead: "Document or data read",
	EvidenceVisit:        "Visit",
}

// Valid reports whether k is a known kind.
func (k EvidenceKind) Valid() bool { return evidenceKindLabels[k] != "" }

// Label is the kind for people.
func (k EvidenceKind) Label() string { return evidenceKindLabels[k] }

// AboutChild reports whether a record of this kind is about one selected
// child, and must name the child: case tracking, case sampling, and
// evaluating the partnership's joint audit of a tracked child.
func (k EvidenceKind) AboutChild() bool {
	return k == EvidenceCaseTracking || k == EvidenceCaseSampling || k == EvidenceAuditReview
}

// Agreement is whether the inspectors agree with the partnership's own
// audit of a child, on an evaluation of it; the note says why.
type Agreement string

// The agreements.
const (
	Agree         Agreement = "agree"
	AgreeInPart   Agreement = "partly"
	DisagreeAudit Agreement = "disagree"
)

// Agreements lists the agreements in the order forms offer them.
var Agreements = []Agreement{Agree, AgreeInPart, DisagreeAudit}

// Valid reports whether a is a known agreement.
func (a Agreement) Valid() bool { return slices.Contains(Agreements, a) }

// Label is the agreement for people.
func (a Agreement) Label() string {
	switch a {
	case Agree:
		return "The inspectors agree with the partnership's audit"
	case AgreeInPart:
		return "The inspectors agree with it in part"
	case DisagreeAudit:
		return "The inspectors do not agree with it"
	}
	return ""
}

// Polarity is what an evidence record shows.
type Polarity string

// The polarities.
const (
	Strength    Polarity = "strength"
	Improvement Polarity = "improvement"
	Context     Polarity = "context"
)

// Polarities lists the polarities in the order forms offer them.
var Polarities = []Polarity{Strength, Improvement, Context}

// Valid reports whether p is a known polarity.
func (p Polarity) Valid() bool { return slices.Contains(Polarities, p) }

// Label is the polarity for people.
func (p Polarity) Label() string {
	switch p {
	case Strength:
		return "Strength"
	case Improvement:
		return "Area for improvement"
	case Context:
		return "Context"
	}
	return ""
}

// Evidence is one evidence record: one onsite activity, tagged to the
// theme's criteria and focus areas it bears on and the agencies it
// concerns. The note is sealed under the inspection's data key.
type Evidence struct {
	ID           int64
	InspectionID int64
	Kind         EvidenceKind
	On           time.Time // the day of the activity
	InspectorID  int64     // who did it: an inspector on the team
	Inspector    string    // their name, as pages show it
	Inspectorate Inspectorate
	AgencyIDs    []int64
	ChildID      int64    // 0 unless the kind is about a child of the selection
	Criteria     []string // ids of the theme's criteria and focus areas, at least one
	Polarity     Polarity
	Agreement    Agreement // an evaluation of the partnership's audit only
	Note         string
	RecordedBy   string
	RecordedAt   time.Time
}

// EvidenceService keeps evidence records. Reading them back is the
// guarded service's (package guard), through the store's opening reads.
type EvidenceService interface {
	// RecordEvidence checks e against the inspection (the inspector on its
	// team, the child in its selection, the agencies its area's) and keeps
	// it, logging it in the same transaction; known says which criteria and
	// focus area ids the inspection's theme has.
	RecordEvidence(ctx context.Context, e *Evidence, known func(id string) bool, by *AccessEntry) error
	// SaveEvidenceDraft keeps the form an inspector is writing, in place of
	// their earlier draft on the inspection, and returns when; recording
	// the evidence ends it.
	SaveEvidenceDraft(ctx context.Context, inspectionID, userID int64, draft string, by *AccessEntry) (time.Time, error)
}
