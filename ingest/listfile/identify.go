package listfile

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"jtai/ingest"
)

// Accepted says which files jtai reads as lists of children, for refusals
// of a file it does not.
const Accepted = "jtai reads these lists: the Annex A workbook (.xlsx), lists 1 to 11 on sheets named as Ofsted's template names them (List_1 to List_11), " +
	"which may also hold the domestic-abuse notifications; one Annex A list as a CSV file named after its list, such as 'List 3.csv'; " +
	"the domestic-abuse notifications as a CSV file; and the CIN census XML."

// ssda903Files are the files of the SSDA903 return (the children looked
// after return to the Department for Education), each with the columns
// only it has, as named in the DfE's SSDA903 guide. Every file also has
// CHILD, the child's id, and most have SEX and DOB.
var ssda903Files = []struct {
	file    string
	columns []string
}{
	{"header", []string{"ETHNIC", "UPN", "MOTHER", "MC_DOB"}},
	{"episodes", []string{"DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}},
	{"reviews", []string{"REVIEW", "REVIEW_CODE"}},
	{"UASC", []string{"DUC"}},
	{"missing", []string{"MISSING", "MIS_START", "MIS_END"}},
	{"OC2", []string{"CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"}},
	{"OC3", []string{"IN_TOUCH", "ACTIV", "ACCOM"}},
	{"AD1", []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"}},
	{"placed for adoption", []string{"DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"}},
	{"previous permanence", []string{"PREV_PERM", "LA_PERM", "DATE_PERM"}},
}

// The words of refusals of files that are no list: what an SSDA903 file
// is, and where the children it names belong instead; and where a theme
// goes.
const (
	ssda903Return = "an SSDA903 return (the children looked after return to the Department for Education)"
	ssda903Advice = "the children in care it names belong in Annex A list 8 (Children in care)"
	themeAdvice   = "a theme is loaded by the server from its themes directory, not imported"
)

// appearsToBe names what a file that is no list jtai reads appears to be,
// from its first bytes and its name, with advice where there is some: a
// file of an SSDA903 return (CSV or XML), a theme file or another YAML
// file. It is empty for anything else, which the parsers then read or
// refuse.
func appearsToBe(name string, head []byte) (what, advice string) {
	switch ingest.Sniff(head) {
	case ingest.KindXML:
		if root := rootElement(head); strings.Contains(strings.ToUpper(root), "SSDA903") {
			return fmt.Sprintf("%s as XML (it starts with <%s>)", ssda903Return, ingest.Shorten(root)), ssda903Advice
		}
	case ingest.KindText:
		if file := ssda903File(head); file != "" {
			return fmt.Sprintf("the %s file of %s", file, ssda903Return), ssda903Advice
		}
		return yamlFile(name, head)
	}
	return "", ""
}

// ssda903File names the SSDA903 file whose columns the first line of head
// has: CHILD and at least two more of the return's columns. It is empty
// when the line is not one.
func ssda903File(head []byte) string {
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"))
	fields, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return ""
	}
	have := map[string]bool{}
	for _, f := range fields {
		have[strings.ToUpper(strings.TrimSpace(f))] = true
	}
	if !have["CHILD"] {
		return ""
	}
	known, best, most := 0, "", 0
	for _, col := range []string{"SEX", "DOB"} {
		if have[col] {
			known++
		}
	}
	for _, f := range ssda903Files {
		n := 0
		for _, col := range f.columns {
			if have[col] {
				n++
			}
		}
		known += n
		if n > most {
			best, most = f.file, n
		}
	}
	switch {
	case known < 2:
		return ""
	case best == "":
		return "SSDA903"
	}
	return best
}

// themeID is a theme file's first key, its id.
var themeID = regexp.MustCompile(`(?m)^id:\s*\S`)

// themeKey is a top-level key that only a jtai theme file has among the
// files people upload.
var themeKey = regexp.MustCompile(`(?m)^(inspectorates|criteria_status|timetable|scope|focus_areas):`)

// yamlFile says whether head is a theme file or another YAML file: a
// top-level "id:" with a theme's keys, or a name ending .yaml or .yml, or
// YAML's document marker.
func yamlFile(name string, head []byte) (what, advice string) {
	if themeID.Match(head) && themeKey.Match(head) {
		return "a jtai theme file (YAML)", themeAdvice
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" || bytes.HasPrefix(head, []byte("---\n")) || bytes.HasPrefix(head, []byte("%YAML")) {
		return "a YAML file", ""
	}
	return "", ""
}

// rootElement is the name of the first element of the XML in head, or
// empty when head has none.
func rootElement(head []byte) string {
	d := xml.NewDecoder(bytes.NewReader(head))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}
