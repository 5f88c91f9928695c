// Package table reads a list laid out as a table, one row per record under
// a row of headings, from a workbook sheet or a CSV file. The Annex A lists
// and the domestic-abuse notifications share it; their layouts are data.
//
// It must never put a personal value unmasked into a problem or an error.
package table

import (
	"jtai"
	"jtai/ingest"
)

// Field is what a column fills in a Record.
type Field int

// The fields. FieldNone marks a column the layout knows but does not
// import (Age, Placement Type...): it is neither warned about nor read.
const (
	FieldNone Field = iota
	FieldChildID
	FieldFirstName
	FieldLastName
	FieldPostcode
	FieldGender
	FieldEthnicity
	FieldDateOfBirth
	FieldExpectedDateOfBirth
	FieldAllocatedTeam
	FieldAllocatedWorker
	FieldDisability
	FieldUASC
	FieldContactDate
	FieldContactSource
	FieldEarlyHelpStart
	FieldEarlyHelpEnd
	FieldReferralDate
	FieldReferralSource
	FieldReferralNFA
	FieldAssessmentStart
	FieldAssessmentAuth
	FieldNeedsSupport
	FieldS47Start
	FieldICPCNotRequired
	FieldICPCDate
	FieldICPCPlan
	FieldCINStart
	FieldPrimaryNeed
	FieldCINClosure
	FieldClosureReason
	FieldCaseStatus
	FieldCPStart
	FieldCPEnd
	FieldInitialCategory
	FieldLatestCategory
	FieldLookedAfter
	FieldCeasedLookedAfter
	FieldPoliceReference
	FieldIncidentDate
	FieldChildPresent
	FieldRelationshipVictim
	FieldRelationshipAbuser
	FieldPersonallyConnected
	FieldRiskLevel
	FieldNotifiedCSC
	FieldNotifiedSchool
	FieldMARACCase
	FieldMARACDate
	FieldAbuseType
	FieldCheckDate  // a date checked but not kept
	FieldCheckCount // a count checked but not kept
	FieldCheckYesNo // a yes/no checked but not kept
)

type kind int

const (
	kindText kind = iota
	kindDate
	kindCode
	kindYesNo
	kindYesNoOrDate // "Notified to Children's Social Care": Y/N or the date
	kindCount
)

type fieldSpec struct {
	kind     kind
	personal bool
	// unused marks a field jtai does not read: its values are checked, a
	// bad one is a warning that never stops an import, and nothing of the
	// column is kept (it has no setter).
	unused bool
	codes  *ingest.CodeList
	str    func(*ingest.Record) *string
	date   func(*ingest.Record) *jtai.Date
	yn     func(*ingest.Record) *ingest.YesNo
}

func text(personal bool, f func(*ingest.Record) *string) fieldSpec {
	return fieldSpec{kind: kindText, personal: personal, str: f}
}
func date(personal bool, f func(*ingest.Record) *jtai.Date) fieldSpec {
	return fieldSpec{kind: kindDate, personal: personal, date: f}
}
func code(l *ingest.CodeList, f func(*ingest.Record) *string) fieldSpec {
	return fieldSpec{kind: kindCode, codes: l, str: f}
}
func yesNo(f func(*ingest.Record) *ingest.YesNo) fieldSpec {
	return fieldSpec{kind: kindYesNo, codes: ingest.YesNoCodes, yn: f}
}

// notRead is a coded field jtai does not read (see fieldSpec.unused).
func notRead(l *ingest.CodeList) fieldSpec {
	k := kindCode
	if l == ingest.YesNoCodes {
		k = kindYesNo
	}
	return fieldSpec{kind: k, codes: l, unused: true}
}

// fields says what each field is. The fields marked unused are those that
// no part of jtai reads (screening, the child's record, selection): DESIGN
// keeps personal data to what the inspection needs, and a list is not
// refused over a column jtai would throw away.
var fields = map[Field]fieldSpec{
	FieldNone:                {unused: true},
	FieldChildID:             text(true, func(r *ingest.Record) *string { return &r.LAChildID }),
	FieldFirstName:           text(true, func(r *ingest.Record) *string { return &r.FirstName }),
	FieldLastName:            text(true, func(r *ingest.Record) *string { return &r.LastName }),
	FieldPostcode:            text(true, func(r *ingest.Record) *string { return &r.Postcode }),
	FieldGender:              code(ingest.Genders, func(r *ingest.Record) *string { return &r.Gender }),
	FieldEthnicity:           code(ingest.EthnicitiesGrouped, func(r *ingest.Record) *string { return &r.Ethnicity }),
	FieldDateOfBirth:         date(true, func(r *ingest.Record) *jtai.Date { return &r.DateOfBirth }),
	FieldExpectedDateOfBirth: date(true, func(r *ingest.Record) *jtai.Date { return &r.ExpectedDateOfBirth }),
	FieldAllocatedTeam:       {kind: kindText, personal: true, unused: true},
	FieldAllocatedWorker:     {kind: kindText, personal: true, unused: true},
	FieldDisability:          notRead(ingest.YesNoCodes),
	FieldUASC:                notRead(ingest.YesNoCodes),
	FieldContactDate:         date(false, func(r *ingest.Record) *jtai.Date { return &r.ContactDate }),
	FieldContactSource:       code(ingest.ReferralSourcesGrouped, func(r *ingest.Record) *string { return &r.ContactSource }),
	FieldEarlyHelpStart:      date(false, func(r *ingest.Record) *jtai.Date { return &r.EarlyHelpStartDate }),
	FieldEarlyHelpEnd:        date(false, func(r *ingest.Record) *jtai.Date { return &r.EarlyHelpEndDate }),
	FieldReferralDate:        date(false, func(r *ingest.Record) *jtai.Date { return &r.ReferralDate }),
	FieldReferralSource:      code(ingest.ReferralSourcesGrouped, func(r *ingest.Record) *string { return &r.ReferralSource }),
	FieldReferralNFA:         notRead(ingest.YesNoCodes),
	FieldAssessmentStart:     date(false, func(r *ingest.Record) *jtai.Date { return &r.AssessmentStartDate }),
	FieldAssessmentAuth:      date(false, func(r *ingest.Record) *jtai.Date { return &r.AssessmentAuthDate }),
	FieldNeedsSupport:        notRead(ingest.YesNoCodes),
	FieldS47Start:            date(false, func(r *ingest.Record) *jtai.Date { return &r.S47StartDate }),
	FieldICPCNotRequired:     notRead(ingest.YesNoCodes),
	FieldICPCDate:            date(false, func(r *ingest.Record) *jtai.Date { return &r.ICPCDate }),
	FieldICPCPlan:            yesNo(func(r *ingest.Record) *ingest.YesNo { return &r.ICPCPlan }),
	FieldCINStart:            date(false, func(r *ingest.Record) *jtai.Date { return &r.CINStartDate }),
	FieldPrimaryNeed:         notRead(ingest.NeedCodes),
	FieldCINClosure:          date(false, func(r *ingest.Record) *jtai.Date { return &r.CINClosureDate }),
	FieldClosureReason:       notRead(ingest.ClosureReasons),
	FieldCaseStatus:          code(ingest.CaseStatuses, func(r *ingest.Record) *string { return &r.CaseStatus }),
	FieldCPStart:             date(false, func(r *ingest.Record) *jtai.Date { return &r.CPPlanStartDate }),
	FieldCPEnd:               date(false, func(r *ingest.Record) *jtai.Date { return &r.CPPlanEndDate }),
	FieldInitialCategory:     notRead(ingest.AbuseCategories),
	FieldLatestCategory:      notRead(ingest.AbuseCategories),
	FieldLookedAfter:         date(false, func(r *ingest.Record) *jtai.Date { return &r.LookedAfterDate }),
	FieldCeasedLookedAfter:   date(false, func(r *ingest.Record) *jtai.Date { return &r.CeasedLookedAfter }),
	FieldPoliceReference:     {kind: kindText, personal: true, unused: true},
	FieldIncidentDate:        date(false, func(r *ingest.Record) *jtai.Date { return &r.IncidentDate }),
	FieldChildPresent:        yesNo(func(r *ingest.Record) *ingest.YesNo { return &r.ChildPresent }),
	FieldRelationshipVictim:  {kind: kindText, personal: true, unused: true},
	FieldRelationshipAbuser:  {kind: kindText, personal: true, unused: true},
	FieldPersonallyConnected: notRead(ingest.YesNoCodes),
	FieldRiskLevel:           notRead(ingest.RiskLevels),
	FieldNotifiedCSC: {kind: kindYesNoOrDate, codes: ingest.YesNoCodes,
		yn:   func(r *ingest.Record) *ingest.YesNo { return &r.NotifiedCSC },
		date: func(r *ingest.Record) *jtai.Date { return &r.NotifiedCSCDate }},
	FieldNotifiedSchool: {kind: kindYesNoOrDate, codes: ingest.YesNoCodes,
		yn:   func(r *ingest.Record) *ingest.YesNo { return &r.NotifiedSchool },
		date: func(r *ingest.Record) *jtai.Date { return &r.NotifiedSchoolDate }},
	FieldMARACCase:  yesNo(func(r *ingest.Record) *ingest.YesNo { return &r.MARACCase }),
	FieldMARACDate:  date(false, func(r *ingest.Record) *jtai.Date { return &r.MARACDate }),
	FieldAbuseType:  code(ingest.AbuseTypes, func(r *ingest.Record) *string { return &r.AbuseType }),
	FieldCheckDate:  {kind: kindDate, unused: true},
	FieldCheckCount: {kind: kindCount, unused: true},
	FieldCheckYesNo: notRead(ingest.YesNoCodes),
}
