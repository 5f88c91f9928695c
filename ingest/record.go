package ingest

import "jtai"

// List identifiers: which list a record came from.
const (
	ListAnnexA1         = "annex-a-list-1"  // contacts
	ListAnnexA2         = "annex-a-list-2"  // early help
	ListAnnexA3         = "annex-a-list-3"  // referrals
	ListAnnexA4         = "annex-a-list-4"  // assessments
	ListAnnexA5         = "annex-a-list-5"  // section 47 enquiries and ICPCs
	ListAnnexA6         = "annex-a-list-6"  // children in need
	ListAnnexA7         = "annex-a-list-7"  // child protection
	ListAnnexA8         = "annex-a-list-8"  // children in care
	ListAnnexA9         = "annex-a-list-9"  // care leavers
	ListAnnexA10        = "annex-a-list-10" // adoption (children)
	ListAnnexA11        = "annex-a-list-11" // adopters (not children: read, never emitted)
	ListCINCensus       = "cin-census"      // one record per CIN episode (CINdetails)
	ListDANotifications = "da-notifications"
)

// YesNo is a yes/no answer as the lists give it. The zero value means the
// cell was blank or the element absent.
type YesNo string

// The answers.
const (
	Yes     YesNo = "yes"
	No      YesNo = "no"
	Unknown YesNo = "unknown" // "c) Unknown" in Annex A
)

// Record is one row of one list (or one CIN episode of the census), holding
// what scope screening and selection need. Each field's comment says which
// lists fill it: A1..A11 are the Annex A lists, CIN the census, DA the
// domestic-abuse notifications. A zero value means "not given". Codes are
// normalised: the letter prefix of Annex A drop-downs ("q) 6: Police") is
// gone and the code kept ("6"), so that the same fact reads the same from
// every list.
type Record struct {
	List   string `json:"list"`   // a List* identifier
	Source Source `json:"source"` // file, sheet and row (XML: the line of the element the record starts at)
	Errors int    `json:"errors"` // error problems found on this row; the fields concerned are left zero

	// Personal fields: the store encrypts all of these.
	LAChildID           string    `json:"la_child_id"`                     // all lists; CIN LAchildID
	UPN                 string    `json:"upn,omitempty"`                   // CIN
	FirstName           string    `json:"first_name,omitempty"`            // any list with a first name column (not in the official layouts)
	LastName            string    `json:"last_name,omitempty"`             // any list with a surname column (not in the official layouts)
	DateOfBirth         jtai.Date `json:"date_of_birth,omitzero"`          // A1-A10, CIN PersonBirthDate, DA
	ExpectedDateOfBirth jtai.Date `json:"expected_date_of_birth,omitzero"` // CIN ExpectedPersonBirthDate, DA; unborn children
	DateOfDeath         jtai.Date `json:"date_of_death,omitzero"`          // CIN PersonDeathDate
	Gender              string    `json:"gender,omitempty"`                // A1-A10, CIN, DA: Male, Female, Not stated/recorded or Neither
	Ethnicity           string    `json:"ethnicity,omitempty"`             // A1-A10, CIN: the DfE code (WBRI...)
	Postcode            string    `json:"postcode,omitempty"`              // any list with a postcode column (not in the official layouts)
	AllocatedTeam       string    `json:"allocated_team,omitempty"`        // A3-A9 (free text)
	AllocatedWorker     string    `json:"allocated_worker,omitempty"`      // A3-A9 (free text, a person's name)
	PoliceReference     string    `json:"police_reference,omitempty"`      // DA
	RelationshipVictim  string    `json:"relationship_victim,omitempty"`   // DA: the child's relationship to the victim (free text)
	RelationshipAbuser  string    `json:"relationship_abuser,omitempty"`   // DA: the child's relationship to the perpetrator (free text)
	Disability          YesNo     `json:"disability,omitempty"`            // A4-A10; CIN: yes unless the only code is NONE
	Disabilities        []string  `json:"disabilities,omitempty"`          // CIN: codes (MOB, HAND...)
	UASC                YesNo     `json:"uasc,omitempty"`                  // A8, A9: unaccompanied asylum-seeking child
	CaseStatus          string    `json:"case_status,omitempty"`           // A6: Looked after child, Child Protection plan, Child in need plan, Open assessment, Closed episode
	ContactDate         jtai.Date `json:"contact_date,omitzero"`           // A1
	ContactSource       string    `json:"contact_source,omitempty"`        // A1: referral source code (1A..10)
	EarlyHelpStartDate  jtai.Date `json:"early_help_start_date,omitzero"`  // A2: assessment start date
	EarlyHelpEndDate    jtai.Date `json:"early_help_end_date,omitzero"`    // A2: assessment completion date
	ReferralDate        jtai.Date `json:"referral_date,omitzero"`          // A3, CIN CINreferralDate
	ReferralSource      string    `json:"referral_source,omitempty"`       // A3, CIN: code 1A..10 (6 = police)
	ReferralNFA         YesNo     `json:"referral_nfa,omitempty"`          // A3, CIN ReferralNFA
	AssessmentStartDate jtai.Date `json:"assessment_start_date,omitzero"`  // A4, CIN AssessmentActualStartDate (the latest)
	AssessmentAuthDate  jtai.Date `json:"assessment_auth_date,omitzero"`   // A4, CIN AssessmentAuthorisationDate (of the latest)
	NeedsSupport        YesNo     `json:"needs_support,omitempty"`         // A4: assessed as requiring LA children's social care support
	AssessmentFactors   []string  `json:"assessment_factors,omitempty"`    // CIN: factor codes of every assessment in the episode (3A, 3B...)
	S47StartDate        jtai.Date `json:"s47_start_date,omitzero"`         // A5, CIN S47ActualStartDate (the latest)
	ICPCNotRequired     YesNo     `json:"icpc_not_required,omitempty"`     // A5, CIN ICPCnotRequired
	ICPCDate            jtai.Date `json:"icpc_date,omitzero"`              // A5, CIN DateOfInitialCPC (the latest)
	ICPCPlan            YesNo     `json:"icpc_plan,omitempty"`             // A5: the ICPC resulted in a child protection plan
	CINStartDate        jtai.Date `json:"cin_start_date,omitzero"`         // A6; CIN: the referral date of an episode that went on (not NFA)
	CINClosureDate      jtai.Date `json:"cin_closure_date,omitzero"`       // A6, CIN CINclosureDate
	PrimaryNeed         string    `json:"primary_need,omitempty"`          // A6, CIN: N0..N9
	ClosureReason       string    `json:"closure_reason,omitempty"`        // A6, CIN: RC1..RC9
	CPPlanStartDate     jtai.Date `json:"cp_plan_start_date,omitzero"`     // A7, CIN CPPstartDate (the latest plan)
	CPPlanEndDate       jtai.Date `json:"cp_plan_end_date,omitzero"`       // A7, CIN CPPendDate
	InitialCategory     string    `json:"initial_category,omitempty"`      // A7, CIN: NEG, PHY, SAB, EMO or MUL
	LatestCategory      string    `json:"latest_category,omitempty"`       // A7, CIN: as InitialCategory
	LookedAfterDate     jtai.Date `json:"looked_after_date,omitzero"`      // A8: date started to be looked after; A10: date entered care
	CeasedLookedAfter   jtai.Date `json:"ceased_looked_after,omitzero"`    // A8
	IncidentDate        jtai.Date `json:"incident_date,omitzero"`          // DA
	ChildPresent        YesNo     `json:"child_present,omitempty"`         // DA
	PersonallyConnected YesNo     `json:"personally_connected,omitempty"`  // DA: victim and perpetrator personally connected (16+)
	RiskLevel           string    `json:"risk_level,omitempty"`            // DA: Standard, Medium or High
	NotifiedCSC         YesNo     `json:"notified_csc,omitempty"`          // DA: notified to children's social care (yes also when a date is given)
	NotifiedCSCDate     jtai.Date `json:"notified_csc_date,omitzero"`      // DA: when the cell holds a date
	NotifiedSchool      YesNo     `json:"notified_school,omitempty"`       // DA: Operation Encompass notification to school or early years
	NotifiedSchoolDate  jtai.Date `json:"notified_school_date,omitzero"`   // DA: when the cell holds a date
	MARACCase           YesNo     `json:"marac_case,omitempty"`            // DA
	MARACDate           jtai.Date `json:"marac_date,omitzero"`             // DA
	AbuseType           string    `json:"abuse_type,omitempty"`            // DA: AbuseAdult, AbuseChildToParent or AbuseTeenageRelationship
}

// Abuse types of the DA notifications list. Child-to-parent abuse and
// teenage relationship abuse are outside the 2021 Act's domestic abuse.
const (
	AbuseAdult               = "adult"
	AbuseChildToParent       = "child-to-parent"
	AbuseTeenageRelationship = "teenage-relationship"
)
