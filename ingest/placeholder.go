package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Excel's error values, as a cell holds them when its formula failed: a
// lookup that found nothing (#N/A) is the commonest in real exports.
var excelErrors = []string{"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"}

// placeholders are what people type where a value is not known. Compared
// case-insensitively; a code list that has one of them as a code or label
// (Unknown, Not known) takes it as that code instead (see Placeholder).
// Short words that are also names (Na, Nil) are left out: a name field
// would lose them.
var placeholders = []string{"n/a", "n.a.", "-", "--", "---", "–", "—", ".", "?", "tbc", "tba", "tbd",
	"not known", "unknown", "not recorded", "none", "null"}

// IsExcelError reports whether v is one of Excel's error values (#N/A,
// #REF!...).
func IsExcelError(v string) bool {
	if v == "" || v[0] != '#' {
		return false
	}
	for _, e := range excelErrors {
		if strings.EqualFold(v, e) {
			return true
		}
	}
	return false
}

// IsPlaceholder reports whether v, trimmed, stands for "no value": an Excel
// error value or a placeholder such as N/A, -, TBC or Not known. A field
// whose code list has such a value as a code (Unknown for yes or no, "10:
// Unknown" for a referral source) must look the value up first.
func IsPlaceholder(v string) bool {
	if IsExcelError(v) {
		return true
	}
	if v == "" || len(v) > len("not recorded") {
		return false
	}
	// Values start with a digit far more often than not (dates, codes):
	// no placeholder does.
	if c := v[0]; c >= '0' && c <= '9' {
		return false
	}
	for _, p := range placeholders {
		if len(v) == len(p) && strings.EqualFold(v, p) {
			return true
		}
	}
	return false
}

// CleanCell trims a cell as lists are written: spaces, non-breaking spaces
// and the zero-width characters that copying from web pages leaves, at both
// ends; non-breaking spaces inside become ordinary spaces. It reports
// whether the cell held only such characters (a cell that looks empty but
// is not).
func CleanCell(s string) (v string, onlySpace bool) {
	v = strings.TrimSpace(s)
	if v != "" && (v[0] >= utf8.RuneSelf || v[len(v)-1] >= utf8.RuneSelf) {
		v = strings.TrimFunc(v, isBlankRune)
	}
	if v == "" {
		return "", s != ""
	}
	// The lead bytes of U+00A0 and of U+2007 and U+202F: most cells have
	// neither, and are returned as they are.
	if strings.IndexByte(v, 0xc2) >= 0 || strings.IndexByte(v, 0xe2) >= 0 {
		v = strings.Map(func(r rune) rune {
			if r == '\u00a0' || r == '\u2007' || r == '\u202f' {
				return ' '
			}
			return r
		}, v)
	}
	return v, false
}

func isBlankRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// Rules of the checks on values as people write them (see the Rule*
// constants in problem.go).
const (
	RulePlaceholder   = "placeholder"     // a placeholder or an Excel error value where a value belongs
	RuleColumnNotUsed = "column-not-used" // values jtai cannot read in a column it does not use: a warning only
	RuleListEmpty     = "list-empty"      // a list with no rows, which leaves the list as it was
)

// DescribePlaceholder names what a placeholder cell holds, for a message:
// "only spaces", "Excel's error value #N/A" or "the placeholder 'TBC'".
func DescribePlaceholder(v string) string {
	switch {
	case v == "":
		return "only spaces"
	case IsExcelError(v):
		return "Excel's error value " + strings.ToUpper(v)
	}
	return "the placeholder '" + v + "'"
}
