package table

import "jtai/ingest"

// uses says, for each field jtai reads, what it does with it: the list
// guide's answer to "why does jtai want this column?".
var uses = map[Field]string{
	FieldChildID:             "links the child's rows across every list and file",
	FieldFirstName:           "the child's name, on the child's record",
	FieldLastName:            "the child's name, on the child's record",
	FieldPostcode:            "the child's record",
	FieldGender:              "the child's record",
	FieldEthnicity:           "the child's record",
	FieldDateOfBirth:         "the child's age, which decides whether the child is in the theme's scope",
	FieldExpectedDateOfBirth: "an unborn child's expected date, for the theme's scope",
	FieldContactDate:         "the date of the contact: a contact long before the notification is history, not a current signal",
	FieldContactSource:       "the agency that made the contact (police, health, schools); a contact from the police is a signal screening weighs",
	FieldEarlyHelpStart:      "the early help episode, for the child's history",
	FieldEarlyHelpEnd:        "the early help episode, for the child's history",
	FieldReferralDate:        "the date of the referral: a referral long before the notification is history, not a current signal",
	FieldReferralSource:      "the agency that referred (a referral from the police is a signal screening weighs)",
	FieldAssessmentStart:     "shows the child was assessed",
	FieldAssessmentAuth:      "the assessment's dates; one not yet authorised is still open, for screening",
	FieldS47Start:            "shows a section 47 enquiry",
	FieldICPCDate:            "the conference's date, for the child's history",
	FieldICPCPlan:            "shows a child protection plan followed",
	FieldCINStart:            "shows the child is or was a child in need",
	FieldCINClosure:          "whether the episode is still open; one closed long before the notification is history, not a current signal",
	FieldCaseStatus:          "whether the episode is still open (an open assessment with no factors recorded needs review)",
	FieldCPStart:             "shows a child protection plan",
	FieldCPEnd:               "whether the plan is still open",
	FieldLookedAfter:         "shows the child is or was in care",
	FieldCeasedLookedAfter:   "whether the child is still in care",
	FieldIncidentDate:        "the date of the incident: one long before the notification is history, not a current signal",
	FieldChildPresent:        "whether the child was present, for screening",
	FieldNotifiedCSC:         "whether children's social care was told, for screening",
	FieldNotifiedSchool:      "whether the school was told (Operation Encompass), for screening",
	FieldMARACCase:           "a MARAC case, a signal screening weighs",
	FieldMARACDate:           "the MARAC's date: one long before the notification is history, not a current signal",
	FieldAbuseType:           "which abuse the 2021 Act's definition covers, for screening",
}

var kindNames = map[kind]string{kindText: "text", kindDate: "date", kindCode: "code", kindYesNo: "yes or no", kindYesNoOrDate: "yes, no or a date", kindCount: "number"}

// Guide is the layout as the list guide shows it.
func (l *Layout) Guide() ingest.ListGuide {
	g := ingest.ListGuide{Name: l.Name, Title: l.Title, OnePerChild: l.OnePerChild}
	for _, c := range l.Columns {
		spec := fields[c.Field]
		cg := ingest.ColumnGuide{Heading: c.Name, Aliases: c.Aliases, Required: c.Required, EveryRow: c.NotBlank,
			Kind: kindNames[spec.kind], Codes: spec.codes}
		if !spec.unused {
			cg.Use = uses[c.Field]
		}
		if c.Field == FieldNone && c.Required { // List 11's adopter identifier
			cg.Use = "counts the adopters; List 11 is read, never kept"
		}
		g.Columns = append(g.Columns, cg)
	}
	return g
}
