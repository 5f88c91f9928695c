package ingest

import (
	"fmt"
	"strings"
	"unicode"
)

// Code is one value of a code list: the code a record keeps, the label the
// drop-downs show, and other spellings found in real files.
type Code struct {
	Code    string
	Label   string
	Aliases []string
}

// CodeList is a list's set of codes (DOMAIN.md, "Lists of children"). Lookup
// accepts the code, the label, "code: label", "code - label" and the Annex A
// drop-down form with a letter prefix ("q) 6: Police"), in any case and
// spacing.
type CodeList struct {
	Name  string
	Codes []Code
	index map[string]string
}

// NewCodeList builds a code list. A label shared by two codes is not
// accepted on its own, since it cannot tell them apart.
func NewCodeList(name string, codes ...Code) *CodeList {
	l := &CodeList{Name: name, Codes: codes, index: map[string]string{}}
	ambiguous := map[string]bool{}
	for _, c := range codes {
		l.index[codeKey(c.Code)] = c.Code
	}
	add := func(key, code string) {
		key = codeKey(key)
		if key == "" || ambiguous[key] {
			return
		}
		if prev, ok := l.index[key]; ok && prev != code {
			if codeKey(prev) != key { // never shadow a code itself
				delete(l.index, key)
				ambiguous[key] = true
			}
			return
		}
		l.index[key] = code
	}
	for _, c := range codes {
		add(c.Label, c.Code)
		for _, a := range c.Aliases {
			add(a, c.Code)
		}
	}
	return l
}

// Lookup returns the code that s stands for.
func (l *CodeList) Lookup(s string) (string, bool) {
	k := codeKey(stripLetterPrefix(s))
	if k == "" {
		return "", false
	}
	if c, ok := l.index[k]; ok {
		return c, true
	}
	// "6: Police", "N1 - Abuse or neglect", "RC8 - Case closed...".
	for _, sep := range []string{":", " - ", " – ", "-"} {
		if code, label, ok := strings.Cut(k, sep); ok {
			if c, ok := l.index[strings.TrimSpace(code)]; ok {
				return c, true
			}
			if c, ok := l.index[strings.TrimSpace(label)]; ok {
				return c, true
			}
		}
	}
	return "", false
}

// Label is a code for people: its label, or the code itself when the list
// has no such code or no label for it.
func (l *CodeList) Label(code string) string {
	for _, c := range l.Codes {
		if c.Code == code && c.Label != "" {
			return c.Label
		}
	}
	return code
}

// GuidePath is where jtai's list guide, which gives every list's columns
// and every accepted code, is served.
const GuidePath = "/guide/lists"

// hintMax is how many codes a message lists before pointing to the guide.
const hintMax = 10

// Hint tells a message's reader what the list accepts: every code when
// there are few, the first ten and where to find the rest otherwise.
func (l *CodeList) Hint() string {
	names := make([]string, 0, min(len(l.Codes), hintMax))
	seen := map[string]bool{}
	repeated := false
	for _, c := range l.Codes[:min(len(l.Codes), hintMax)] {
		names = append(names, c.Shown())
		short, _, _ := strings.Cut(c.Label, ":")
		repeated = repeated || seen[short]
		seen[short] = true
	}
	if repeated { // 1A (Individual), 1B (Individual)...: the codes say more
		for i, c := range l.Codes[:len(names)] {
			names[i] = c.Code
		}
	}
	if len(l.Codes) > hintMax {
		return fmt.Sprintf("use one of %s, or one of the %d others that the list guide (%s) gives", strings.Join(names, ", "), len(l.Codes)-hintMax, GuidePath)
	}
	if len(names) == 1 {
		return "use " + names[0]
	}
	return "use " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Shown is a code as a message or the guide lists it: the label alone when
// the code is a word (Male), else the code with the label's first part
// (1A (Individual), WBRI (White British)).
func (c Code) Shown() string {
	switch {
	case c.Label == "" || strings.EqualFold(c.Label, c.Code):
		return c.Code
	case len(c.Code) > 4 || strings.ContainsRune(c.Code, ' '):
		return c.Label
	}
	short, _, _ := strings.Cut(c.Label, ":")
	return c.Code + " (" + short + ")"
}

// stripLetterPrefix removes the "a) " of Annex A drop-down values.
func stripLetterPrefix(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[1] == ')' && s[0] >= 'a' && s[0] <= 'z' || len(s) >= 2 && s[1] == ')' && s[0] >= 'A' && s[0] <= 'Z' {
		return strings.TrimSpace(s[2:])
	}
	return s
}

// codeKey is how codes are compared: lower case, single spaces, no trailing
// full stop.
func codeKey(s string) string {
	s = strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
	return strings.TrimSuffix(s, ".")
}

// The code lists of DOMAIN.md, section 5.
var (
	Genders = NewCodeList("gender",
		Code{"Male", "Male", []string{"M", "Boy"}},
		Code{"Female", "Female", []string{"F", "Girl"}},
		Code{"Not stated/recorded", "Not stated/recorded", []string{"Not stated", "Not recorded", "Unknown", "U", "Not known"}},
		Code{"Neither", "Neither", []string{"Indeterminate", "Other"}},
	)
	Ethnicities = NewCodeList("ethnicity", ethnicities...)

	// The Annex A template's grouped forms (its Codes_used sheet), which
	// areas use in the same columns as the codes: a group of one code is that
	// code; a group of several is kept as the group (DOMAIN.md, section 5).
	// The census has no groups, so its lists have none.
	ReferralSourcesGrouped = NewCodeList("referral source", append(referralSources,
		Code{"1", "Individual", []string{"Individual (1A-1D)", "Individual (1A to 1D)"}},
		Code{"3", "Health services", []string{"Health services (3A-3F)", "Health services (3A to 3F)", "Health"}},
		Code{"5", "LA services", []string{"LA services (5A-5D)", "LA services (5A-5C)", "LA services (5A to 5D)", "Local authority services"}},
	)...)
	EthnicitiesGrouped = NewCodeList("ethnicity", append(ethnicities,
		Code{"WHIT", "White", []string{"White (any White background)"}},
		Code{"MIXD", "Mixed", []string{"Mixed or multiple ethnic groups", "Mixed / dual background"}},
		Code{"ASIA", "Asian", []string{"Asian or Asian British"}},
		Code{"BLAC", "Black", []string{"Black or Black British", "Black, Black British, Caribbean or African"}},
	)...)
	// ReferralSources are the CIN census referral sources, with the labels
	// of the DfE's census guide.
	ReferralSources = NewCodeList("referral source", referralSources...)
	YesNoCodes      = NewCodeList("yes or no",
		Code{string(Yes), "Yes", []string{"Y", "True", "1"}},
		Code{string(No), "No", []string{"N", "False", "0"}},
		Code{string(Unknown), "Unknown", []string{"U", "Not known", "Don't know"}},
	)
	NeedCodes = NewCodeList("primary need",
		Code{"N0", "Not stated", nil},
		Code{"N1", "Abuse or neglect", nil},
		Code{"N2", "Child's disability or illness", []string{"Child's disability"}},
		Code{"N3", "Parent's disability or illness", []string{"Parental disability or illness"}},
		Code{"N4", "Family in acute stress", nil},
		Code{"N5", "Family dysfunction", nil},
		Code{"N6", "Socially unacceptable behaviour", nil},
		Code{"N7", "Low income", nil},
		Code{"N8", "Absent parenting", nil},
		Code{"N9", "Cases other than children in need", nil},
	)
	ClosureReasons = NewCodeList("reason for closure",
		Code{"RC1", "Adopted", nil},
		Code{"RC2", "Died", nil},
		Code{"RC3", "Child arrangements order", nil},
		Code{"RC4", "Special guardianship order", nil},
		Code{"RC5", "Transferred to services of another local authority", nil},
		Code{"RC6", "Transferred to adult social care services", nil},
		Code{"RC7", "Services ceased for any other reason, including child no longer in need", nil},
		Code{"RC8", "Case closed after assessment, no further action", nil},
		Code{"RC9", "Case closed after assessment, referred to early help", nil},
	)
	CaseStatuses = NewCodeList("case status",
		Code{"Looked after child", "Looked after child", []string{"LAC", "CLA", "Child looked after", "Child in care"}},
		Code{"Child Protection plan", "Child Protection plan", []string{"CP plan", "CPP", "Child protection"}},
		Code{"Child in need plan", "Child in need plan", []string{"CIN plan", "CIN", "Child in need"}},
		Code{"Open assessment", "Open assessment", []string{"Assessment"}},
		Code{"Closed episode", "Closed episode", []string{"Closed"}},
	)
	AbuseCategories = NewCodeList("category of abuse",
		Code{"NEG", "Neglect", nil},
		Code{"PHY", "Physical abuse", []string{"Physical"}},
		Code{"SAB", "Sexual abuse", []string{"Sexual"}},
		Code{"EMO", "Emotional abuse", []string{"Emotional"}},
		Code{"MUL", "Multiple/not recommended", []string{"Multiple", "Multiple / not recommended"}},
	)
	AssessmentFactors = NewCodeList("assessment factor", factorCodes()...)
	Disabilities      = NewCodeList("disability",
		Code{"NONE", "No disability", []string{"None"}},
		Code{"MOB", "Mobility", nil}, Code{"HAND", "Hand function", nil},
		Code{"PC", "Personal care", nil}, Code{"INC", "Incontinence", nil},
		Code{"COMM", "Communication", nil}, Code{"LD", "Learning", nil},
		Code{"HEAR", "Hearing", nil}, Code{"VIS", "Vision", nil},
		Code{"BEH", "Behaviour", nil}, Code{"CON", "Consciousness", nil},
		Code{"AUT", "Autism/Asperger syndrome", nil}, Code{"DDA", "Other DDA", nil},
	)
	RiskLevels = NewCodeList("risk level",
		Code{"Standard", "Standard", []string{"Low", "S"}},
		Code{"Medium", "Medium", []string{"M"}},
		Code{"High", "High", []string{"H"}},
	)
	AbuseTypes = NewCodeList("abuse type",
		Code{AbuseAdult, "Adult", []string{"Adult domestic abuse", "Domestic abuse", "Adult to adult"}},
		Code{AbuseChildToParent, "Child-to-parent", []string{"Child to parent", "Child to parent violence", "CPV", "CAPVA", "Child/adolescent to parent"}},
		Code{AbuseTeenageRelationship, "Teenage relationship", []string{"Teenage relationship abuse", "Teen relationship", "Teenage"}},
	)
)

var ethnicities = []Code{
	Code{"WBRI", "White British", []string{"White - British", "White: British"}},
	Code{"WIRI", "White Irish", []string{"White - Irish", "White: Irish"}},
	Code{"WIRT", "Traveller of Irish heritage", nil},
	Code{"WOTH", "Any other White background", nil},
	Code{"WROM", "Gypsy/Roma", []string{"Gypsy / Roma", "Gypsy Roma"}},
	Code{"MWBC", "White and Black Caribbean", nil},
	Code{"MWBA", "White and Black African", nil},
	Code{"MWAS", "White and Asian", nil},
	Code{"MOTH", "Any other mixed background", nil},
	Code{"AIND", "Indian", nil},
	Code{"APKN", "Pakistani", nil},
	Code{"ABAN", "Bangladeshi", nil},
	Code{"AOTH", "Any other Asian background", nil},
	Code{"BCRB", "Black Caribbean", nil},
	Code{"BAFR", "Black African", nil},
	Code{"BOTH", "Any other Black background", nil},
	Code{"CHNE", "Chinese", nil},
	Code{"OOTH", "Any other ethnic group", []string{"Other"}},
	Code{"REFU", "Refused", nil},
	Code{"NOBT", "Information not yet obtained", []string{"Unknown", "Not known", "Not obtained"}},
}

// referralSources are the codes of the CIN census guide (DfE, "Children in
// need census: guide", referral source), with its labels.
var referralSources = []Code{
	{"1A", "Individual: family member, relative or carer", nil},
	{"1B", "Individual: acquaintance (including neighbours and child minders)", nil},
	{"1C", "Individual: self", nil},
	{"1D", "Individual: other (including strangers)", nil},
	{"2A", "Schools", nil},
	{"2B", "Education services", nil},
	{"3A", "Health services: GP", nil},
	{"3B", "Health services: health visitor", nil},
	{"3C", "Health services: school nurse", nil},
	{"3D", "Health services: other primary health services", nil},
	{"3E", "Health services: A&E (emergency department)", nil},
	{"3F", "Health services: other", nil},
	{"4", "Housing", nil},
	{"5A", "LA services: social care", nil},
	{"5B", "LA services: other internal", nil},
	{"5C", "LA services: external", nil},
	{"5D", "LA services: early help", nil},
	{"6", "Police", nil},
	{"7", "Other legal agency", nil},
	{"8", "Other", nil},
	{"9", "Anonymous", nil},
	{"10", "Unknown", nil},
}

// factorCodes are the CIN assessment factors (18A is retired).
func factorCodes() []Code {
	var cs []Code
	for _, c := range []string{
		"1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C",
		"5A", "5B", "5C", "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F",
		"9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C",
		"19B", "19C", "20", "21", "22A", "23A", "24A",
	} {
		cs = append(cs, Code{Code: c})
	}
	return cs
}
