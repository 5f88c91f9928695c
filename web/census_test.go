package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"jtai"
)

// censusXML is a CIN census in the DfE's shape, of one local authority and
// reference date; a child given with "dead" has a PersonDeathDate.
func censusXML(lea string, ref jtai.Date, ids ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>%d</Year><ReferenceDate>%s</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>%s</LEA><SoftwareCode>TEST</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo><DateTime>%sT09:00:00</DateTime></Source></Header>
<Children>
`, ref.Year(), ref, lea, ref)
	for _, id := range ids {
		id, dead := strings.CutSuffix(id, " dead")
		death := ""
		if dead {
			death = "<PersonDeathDate>" + ref.AddDate(0, 0, -20).Format(jtai.DateLayout) + "</PersonDeathDate>"
		}
		fmt.Fprintf(&b, `<Child><ChildIdentifiers><LAchildID>%s</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>2021-04-01</PersonBirthDate>%s<Sex>F</Sex></ChildIdentifiers>
<CINdetails><CINreferralDate>%s</CINreferralDate><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA>
<Assessments><AssessmentActualStartDate>%[3]s</AssessmentActualStartDate><AssessmentAuthorisationDate>%[3]s</AssessmentAuthorisationDate>
<FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments></CINdetails></Child>
`, id, death, ref.AddDate(0, -2, 0).Format(jtai.DateLayout))
	}
	b.WriteString("</Children></Message>\n")
	return b.String()
}

func TestCensusOnTheListsPage(t *testing.T) {
	e := newEnv(t, "sqlite")
	in := e.demo.Inspection
	c := e.as(t, jtai.RoleCoordinator)
	page := fmt.Sprintf("/inspections/%d/lists", in.ID)
	_, lists := c.get(page)
	mustContain(t, lists, "Reference date")
	mustContain(t, lists, `<td class="govuk-table__cell">`+in.NotifiedOn.Long()+`</td>`)

	code, body := c.upload(page, map[string]string{"census.xml": censusXML("380", in.NotifiedOn, "CEN1")}, "replace", "yes")
	if code != 422 {
		t.Fatalf("another area's census: %d", code)
	}
	mustContain(t, body, "census of another area")
	mustContain(t, body, "it is another area&#39;s children, so it cannot be imported into this inspection")

	ref := in.NotifiedOn.AddDate(0, 0, 1)
	code, body = c.upload(page, map[string]string{"census.xml": censusXML(e.demo.Area.LACode, jtai.Date{Time: ref}, "CEN1", "CEN2 dead")}, "replace", "yes")
	if code != 200 {
		t.Fatalf("the area's census: %d\n%s", code, body)
	}
	mustContain(t, body, "CIN census (reference date "+jtai.Date{Time: ref}.Long()+"): 2 rows")

	// The child who died cannot be added to the selection by hand.
	lead := e.as(t, jtai.RoleLeadInspector)
	code, body = lead.postForm(fmt.Sprintf("/inspections/%d/selection/add", in.ID), url.Values{"child": {"CEN2"}, "kind": {string(jtai.CaseSample)}, "reason": {"Seen at the front door"}})
	if code != 422 {
		t.Fatalf("adding the child who died: %d", code)
	}
	mustContain(t, body, "That child has died (the CIN census gives a date of death), so cannot be selected")
}
