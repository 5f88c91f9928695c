package annexa

import (
	"jtai/ingest"
	t "jtai/ingest/internal/table"
)

// The Annex A lists' columns (DOMAIN.md, "Ofsted Annex A (ILACS) lists").
// Headings are matched on their letters and digits only (table.Key), so
// case, spacing, punctuation and trailing spaces need no alias; an alias is
// a different wording seen in real exports. A new wording is a line here.

// leading is the five columns every list but 11 starts with, and the
// optional columns some exports add that the importer keeps.
func leading(cols ...t.Column) []t.Column {
	out := []t.Column{
		{Name: "Child Unique ID", Aliases: []string{"Child ID", "Unique Child ID", "LA Child ID", "Child Identifier", "Child Reference", "ChildUniqueID", "Person ID", "Client ID"}, Field: t.FieldChildID, Required: true, NotBlank: true},
		{Name: "Gender", Aliases: []string{"Sex", "Gender Current"}, Field: t.FieldGender},
		{Name: "Ethnicity", Aliases: []string{"Ethnic Origin", "Ethnicity Code"}, Field: t.FieldEthnicity},
		{Name: "Date of Birth", Aliases: []string{"DOB", "Birth Date", "Date of Birth (dd/mm/yyyy)"}, Field: t.FieldDateOfBirth, Required: true},
		{Name: "Age", Aliases: []string{"Age of Child (Years)", "Age of Child", "Age (Years)", "Age in Years"}, Field: t.FieldNone},
	}
	out = append(out, cols...)
	return append(out, extras...)
}

// extras are columns outside the official layout that local exports often
// carry and that the importer keeps rather than warns about.
var extras = []t.Column{
	{Name: "First Name", Aliases: []string{"Forename", "Given Name", "First Names"}, Field: t.FieldFirstName},
	{Name: "Last Name", Aliases: []string{"Surname", "Family Name"}, Field: t.FieldLastName},
	{Name: "Postcode", Aliases: []string{"Post Code", "Home Postcode"}, Field: t.FieldPostcode},
	{Name: "Expected Date of Birth", Aliases: []string{"EDD", "Expected DOB", "Due Date"}, Field: t.FieldExpectedDateOfBirth},
}

var (
	disability = t.Column{Name: "Does the Child have a Disability", Aliases: []string{"Disability", "Disabled", "Has Disability"}, Field: t.FieldDisability}
	team       = t.Column{Name: "Allocated Team", Aliases: []string{"Team"}, Field: t.FieldAllocatedTeam}
	worker     = t.Column{Name: "Allocated Worker", Aliases: []string{"Worker", "Social Worker", "Allocated Social Worker"}, Field: t.FieldAllocatedWorker}
)

func check(name string, f t.Field, aliases ...string) t.Column {
	return t.Column{Name: name, Aliases: aliases, Field: f}
}

func key(name string, f t.Field, aliases ...string) t.Column {
	return t.Column{Name: name, Aliases: aliases, Field: f, Required: true, NotBlank: true}
}

// layouts are the eleven lists, indexed by number - 1.
var layouts = []*t.Layout{
	{List: ingest.ListAnnexA1, Name: "List 1", Title: "Contacts", Columns: leading(
		key("Date of Contact", t.FieldContactDate, "Contact Date"),
		check("Contact Source", t.FieldContactSource, "Source of Contact", "Source"),
	)},
	{List: ingest.ListAnnexA2, Name: "List 2", Title: "Early help", Columns: leading(
		key("Assessment start date", t.FieldEarlyHelpStart, "Early Help Assessment Start Date", "EH Assessment Start Date"),
		check("Assessment completion date", t.FieldEarlyHelpEnd, "Early Help Assessment Completion Date", "EH Assessment Completion Date"),
		check("Organisation completing assessment", t.FieldNone, "Organisation"),
	)},
	{List: ingest.ListAnnexA3, Name: "List 3", Title: "Referrals", Columns: leading(
		key("Date of Referral", t.FieldReferralDate, "Referral Date"),
		check("Referral Source", t.FieldReferralSource, "Source of Referral", "Source"),
		check("Referral NFA?", t.FieldReferralNFA, "Referral NFA", "NFA"),
		check("Number of Referrals in Last 12 Months", t.FieldCheckCount, "Referrals in Last 12 Months"),
		team, worker,
	)},
	{List: ingest.ListAnnexA4, Name: "List 4", Title: "Assessments", Columns: leading(
		disability,
		key("Continuous Assessment Start Date", t.FieldAssessmentStart, "Assessment Start Date"),
		check("Child Seen During Continuous Assessment", t.FieldCheckYesNo, "Child Seen During Assessment", "Child Seen"),
		check("Continuous Assessment Date of Authorisation", t.FieldAssessmentAuth, "Assessment Authorisation Date", "Date of Authorisation", "Assessment Completion Date"),
		check("Was the child assessed as requiring LA children's social care support?", t.FieldNeedsSupport, "Requires LA Childrens Social Care Support", "Assessed as Requiring Support"),
		team, worker,
	)},
	{List: ingest.ListAnnexA5, Name: "List 5", Title: "Section 47 and ICPC", Columns: leading(
		disability,
		key("Strategy discussion initiating Section 47 Enquiry Start Date", t.FieldS47Start, "Section 47 Enquiry Start Date", "S47 Start Date", "Strategy Discussion Date"),
		check("Was an Initial Child Protection Conference deemed unnecessary?", t.FieldICPCNotRequired, "ICPC Not Required", "ICPC Deemed Unnecessary"),
		check("Date of Initial Child Protection Conference", t.FieldICPCDate, "ICPC Date", "Date of ICPC"),
		check("Did the Initial Child Protection Conference Result in a Child Protection Plan", t.FieldICPCPlan, "ICPC Resulted in CP Plan", "Did the ICPC Result in a Child Protection Plan"),
		check("Number of Section 47 Enquiries in the last 12 months", t.FieldCheckCount, "Section 47 Enquiries in the Last 12 Months"),
		check("Number of ICPCs in the last 12 months", t.FieldCheckCount, "ICPCs in the Last 12 Months"),
		team, worker,
	)},
	{List: ingest.ListAnnexA6, Name: "List 6", Title: "Children in need", OnePerChild: true, Columns: leading(
		disability,
		key("CIN Start Date", t.FieldCINStart, "Child in Need Start Date"),
		check("Primary Need Code", t.FieldPrimaryNeed, "Primary Need", "Category of Need"),
		check("Date Child Was Last Seen", t.FieldCheckDate, "Date Last Seen"),
		check("CIN Closure Date", t.FieldCINClosure, "Child in Need Closure Date", "Closure Date"),
		check("Reason for Closure", t.FieldClosureReason, "Closure Reason"),
		check("Case Status", t.FieldCaseStatus, "Status"),
		team, worker,
	)},
	{List: ingest.ListAnnexA7, Name: "List 7", Title: "Child protection", OnePerChild: true, Columns: leading(
		disability,
		key("Child Protection Plan Start Date", t.FieldCPStart, "CP Plan Start Date", "CPP Start Date"),
		check("Initial Category of Abuse", t.FieldInitialCategory, "Initial Category"),
		check("Latest Category of Abuse", t.FieldLatestCategory, "Latest Category"),
		check("Date of the Last Statutory Visit", t.FieldCheckDate, "Date of Last Statutory Visit", "Last Statutory Visit"),
		check("Was the Child Seen Alone?", t.FieldCheckYesNo, "Child Seen Alone"),
		check("Date of latest review conference", t.FieldCheckDate, "Latest Review Conference", "Date of Last Review Conference"),
		check("Child Protection Plan End Date", t.FieldCPEnd, "CP Plan End Date", "CPP End Date"),
		check("Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)", t.FieldCheckYesNo, "Subject to EPO or Police Protection in Last Six Months"),
		check("Number of Previous Child Protection Plans", t.FieldCheckCount, "Previous CP Plans", "Number of Previous CP Plans"),
		team, worker,
	)},
	{List: ingest.ListAnnexA8, Name: "List 8", Title: "Children in care", OnePerChild: true, Columns: leading(
		check("Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", t.FieldUASC, "UASC", "Unaccompanied Asylum Seeking Child"),
		disability,
		key("Date Started to be Looked After", t.FieldLookedAfter, "Date Started Looked After", "Looked After Start Date", "Date Became Looked After"),
		check("Child's Category of Need", t.FieldPrimaryNeed, "Category of Need"),
		check("Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)", t.FieldCheckYesNo, "Second or Subsequent Period of Being Looked After"),
		check("Start date of current legal status", t.FieldCheckDate, "Legal Status Start Date"),
		check("Child's Legal Status", t.FieldNone, "Legal Status"),
		check("Date of Latest Statutory Review", t.FieldCheckDate, "Latest Statutory Review"),
		check("Date of Last Social Work Visit", t.FieldCheckDate, "Last Social Work Visit"),
		check("What is the permanence plan for this child?", t.FieldNone, "Permanence Plan"),
		check("Date of Last IRO Visit / Contact to the Child", t.FieldCheckDate, "Date of Last IRO Visit", "Last IRO Visit"),
		check("Date of Last Health Assessment", t.FieldCheckDate, "Last Health Assessment"),
		check("Date of Last Dental Check", t.FieldCheckDate, "Last Dental Check"),
		check("Number of Placements in the Last 12 months", t.FieldCheckCount, "Placements in the Last 12 Months"),
		check("Date Ceased to be Looked After", t.FieldCeasedLookedAfter, "Date Ceased Looked After"),
		check("Reason Ceased to be Looked After", t.FieldNone, "Reason Ceased"),
		check("Start Date of Most Recent Placement", t.FieldCheckDate, "Placement Start Date"),
		check("Placement Type", t.FieldNone),
		check("Placement Provider", t.FieldNone),
		check("Placement postcode", t.FieldNone),
		check("URN of Placement", t.FieldNone, "Placement URN"),
		check("Placement Location", t.FieldNone),
		check("LA of Placement", t.FieldNone),
		check("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months", t.FieldCheckCount, "Missing Episodes in the Last 12 Months"),
		check("Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months", t.FieldCheckCount, "Absent Episodes in the Last 12 Months"),
		check("Was the child offered a Return Interview after their last missing episode (Y/N)?", t.FieldCheckYesNo, "Offered Return Interview"),
		check("Did the child accept a Return Interview after their last missing episode (Y/N)?", t.FieldCheckYesNo, "Accepted Return Interview"),
		team, worker,
	)},
	{List: ingest.ListAnnexA9, Name: "List 9", Title: "Care leavers", OnePerChild: true, Columns: leading(
		disability, team, worker,
		check("Eligibility Category", t.FieldNone),
		check("LA in Touch", t.FieldNone),
		check("Type of Accommodation", t.FieldNone, "Accommodation Type"),
		check("Suitability of Accommodation", t.FieldNone, "Accommodation Suitability"),
		check("Activity Status", t.FieldNone),
		// Added in the 2023-24 template.
		check("Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)", t.FieldUASC, "UASC", "UASC or Formerly UASC"),
		check("Allocated Personal Advisor", t.FieldNone, "Personal Advisor"),
		check("Latest Pathway Plan Review Date", t.FieldCheckDate, "Pathway Plan Review Date"),
		check("Latest Date of Contact", t.FieldCheckDate, "Date of Latest Contact"),
	)},
	{List: ingest.ListAnnexA10, Name: "List 10", Title: "Adoption", OnePerChild: true, Columns: append([]t.Column{
		{Name: "Child Unique ID", Aliases: []string{"Child ID", "LA Child ID"}, Field: t.FieldChildID, Required: true, NotBlank: true},
		check("Family identifier", t.FieldNone, "Family ID"),
		check("Gender", t.FieldGender, "Sex"),
		check("Ethnicity", t.FieldEthnicity),
		{Name: "Date of Birth", Aliases: []string{"DOB"}, Field: t.FieldDateOfBirth, Required: true},
		check("Age of Child (Years)", t.FieldNone, "Age"),
		disability,
		check("Date the Child Entered Care", t.FieldLookedAfter, "Date Entered Care"),
		check("Date of Decision that Child Should be Placed for Adoption", t.FieldCheckDate, "Date of Decision to Place for Adoption"),
		check("Date of Placement Order", t.FieldCheckDate, "Placement Order Date"),
		check("Date of Matching Child and Prospective Adopters", t.FieldCheckDate, "Date of Matching"),
		check("Date Placed for Adoption", t.FieldCheckDate),
		check("Date of Adoption Order", t.FieldCheckDate, "Adoption Order Date"),
		check("Date of Decision that Child Should No Longer be Placed for Adoption", t.FieldCheckDate),
		check("Reason Why Child No Longer Placed for Adoption", t.FieldNone),
		check("Date the child was placed for fostering in FFA or concurrent planning placement", t.FieldCheckDate, "Date Placed in FFA or Concurrent Planning Placement"),
	}, extras...)},
	{List: ingest.ListAnnexA11, Name: "List 11", Title: "Adopters", NotChildren: true, Columns: []t.Column{
		{Name: "Individual adopter identifier", Aliases: []string{"Adopter ID", "Adopter Identifier"}, Required: true, NotBlank: true},
		check("Family identifier", t.FieldNone, "Family ID"),
		check("Gender", t.FieldNone),
		check("Ethnicity", t.FieldNone),
		check("Disability", t.FieldNone),
		check("Is the (prospective) adopter fostering for adoption?", t.FieldCheckYesNo),
		check("Date enquiry received", t.FieldCheckDate),
		check("Date Stage 1 started", t.FieldCheckDate),
		check("Date Stage 1 ended", t.FieldCheckDate),
		check("Date Stage 2 started", t.FieldCheckDate),
		check("Date Stage 2 ended", t.FieldCheckDate),
		check("Date application submitted", t.FieldCheckDate),
		check("Date application approved", t.FieldCheckDate),
		check("Date adopter matched with child(ren)", t.FieldCheckDate),
		check("Date child/children placed with adopter(s)", t.FieldCheckDate),
		check("No. of children placed", t.FieldCheckCount, "Number of Children Placed"),
		check("Date of Adoption Order", t.FieldCheckDate),
		check("Date of leaving adoption process", t.FieldCheckDate),
		check("Reason for leaving adoption process", t.FieldNone),
	}},
}

// Headings returns the official headings of Annex A list n (1 to 11), in
// the template's order, or nil for another n.
func Headings(n int) []string {
	if n < 1 || n > len(layouts) {
		return nil
	}
	var hs []string
	for _, c := range layouts[n-1].Columns {
		if !isExtra(c) {
			hs = append(hs, c.Name)
		}
	}
	return hs
}

func isExtra(c t.Column) bool {
	for _, e := range extras {
		if e.Name == c.Name {
			return true
		}
	}
	return false
}

// Guide is the eleven lists as the list guide shows them.
func Guide() []ingest.ListGuide {
	out := make([]ingest.ListGuide, len(layouts))
	for i, l := range layouts {
		out[i] = l.Guide()
	}
	return out
}
