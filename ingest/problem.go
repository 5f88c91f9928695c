package ingest

import (
	"fmt"
	"strings"

	"jtai"
)

// Source is where a value came from: the file, the sheet of a workbook (empty
// for CSV and XML), the row as the user sees it in Excel (the header row
// counted, the first row is 1) or the line of an XML file, and the column's
// heading or the XML element's path. Row and Column are zero when the
// problem concerns a whole sheet or file.
type Source struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
}

// Severity says whether a problem stops the import (Error) or is only worth
// knowing (Warning).
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rules: machine identifiers of the checks, stable across releases so that
// the web page can group problems by rule and count them.
const (
	RuleFileType       = "file-type"       // not a file of the expected kind (a PDF, an .xls, an encrypted workbook)
	RuleFileTooLarge   = "file-too-large"  // over Limits.MaxFileSize, or unzips to more than Limits.MaxUnzipped
	RuleTooManyRows    = "too-many-rows"   // over Limits.MaxRows in one list
	RuleFileBroken     = "file-broken"     // the file is damaged: truncated XML, a zip that cannot be read
	RuleXMLTooDeep     = "xml-too-deep"    // nested deeper than Limits.MaxXMLDepth
	RuleNoLists        = "no-lists"        // no sheet or file could be matched to a list
	RuleHeaderMissing  = "header-missing"  // no heading row among the top rows of a sheet
	RuleColumnMissing  = "column-missing"  // a required column is absent
	RuleColumnUnknown  = "column-unknown"  // a column the layout does not know (kept out of the import)
	RuleColumnRepeated = "column-repeated" // the same column twice in one sheet
	RuleRequired       = "required"        // a required value is blank
	RuleDateInvalid    = "date-invalid"    // not a date, or not in a layout we read
	RuleCodeUnknown    = "code-unknown"    // not one of the list's codes
	RuleNumberInvalid  = "number-invalid"  // not a whole number
	RuleFormatInvalid  = "format-invalid"  // a value in the wrong shape (a UPN, a local authority number)
	RuleDuplicateID    = "duplicate-id"    // the same child twice in a one-row-per-child list
	RuleElementUnknown = "element-unknown" // an XML element the census schema does not have
	RuleInconsistent   = "inconsistent"    // values that contradict each other (an end before a start)
	RuleOtherArea      = "other-area"      // a CIN census of another local authority than the inspection's
	RuleCensusOld      = "census-old"      // a CIN census whose reference date is long before the notification
	RuleCensusReplaced = "census-replaced" // a CIN census set aside for a later one, or refused for being earlier
	RuleImplausible    = "implausible"     // dates that can be but seldom are: an end before its start, a date after the census's (a warning)
)

// Problem is one thing wrong with an imported file. Value is the offending
// value as found, masked when the column holds personal data (see Mask);
// Message is a plain-English sentence for the user, which never holds a
// personal value unmasked.
type Problem struct {
	Source
	Value    string   `json:"value,omitempty"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// DfERule is the number of the DfE's CIN census validation rule that
	// makes the same check, when there is one ("8630", "8530Q"), as the
	// Data to Insight CIN validator reports it.
	DfERule string `json:"dfe_rule,omitempty"`
}

// String formats the problem for a terminal: "FILE, sheet SHEET: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, ", sheet %q", p.Sheet)
	}
	fmt.Fprintf(&b, ": %s: %s", p.Severity, p.Message)
	return b.String()
}

// RejectError is returned when a whole file cannot be read: it is not the
// kind of file expected, it is too large, or it is damaged. Its Problem says
// why in words a user can act on.
type RejectError struct {
	Problem Problem
}

// Reject returns a RejectError for file with the given rule and message.
func Reject(src Source, rule, format string, args ...any) *RejectError {
	return &RejectError{Problem: Problem{Source: src, Rule: rule, Severity: Error, Message: fmt.Sprintf(format, args...)}}
}

func (e *RejectError) Error() string { return e.Problem.File + ": " + e.Problem.Message }

// Unwrap presents the rejection as the domain's invalid-input error, so that
// jtai.ErrorKind reports jtai.EINVALID and the message is shown to the user.
func (e *RejectError) Unwrap() error {
	return &jtai.Error{Kind: jtai.EINVALID, Message: e.Problem.Message}
}
