package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"jtai"
)

// Dates before 1900 or after 2199 are typing errors in any list.
const minYear, maxYear = 1900, 2199

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// ParseDate reads a date as lists hold it: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
// dd.mm.yyyy, yyyy-mm-dd, yyyymmdd, 12 Mar 2019 or 12-March-2019, any of
// them followed by a time of day, or an Excel serial number (days since 30
// December 1899, or since 1 January 1904 when date1904 is set, as in
// workbooks made on old Macs). Day-month order is British: 03/04/2019 is the
// 3rd of April. It reports false for anything else, including 31/02/2019.
func ParseDate(s string, date1904 bool) (jtai.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return jtai.Date{}, false
	}
	if d, ok := excelSerial(s, date1904); ok {
		return d, true
	}
	y, m, d, ok := dateParts(s)
	if !ok {
		return jtai.Date{}, false
	}
	return makeDate(y, m, d)
}

// NotADay reports, for a value in one of the forms ParseDate reads whose
// day is not in the calendar (31/02/2019, 2023-02-30), that day as people
// write it: "31 February 2019". It reports false for a real day and for a
// value in no form ParseDate reads.
func NotADay(s string) (string, bool) {
	y, m, d, ok := dateParts(strings.TrimSpace(s))
	if !ok || y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	if _, valid := makeDate(y, m, d); valid {
		return "", false
	}
	return fmt.Sprintf("%d %s %d", d, time.Month(m), y), true
}

// dateParts splits a date written in one of ParseDate's forms (not an
// Excel serial) into year, month and day, checking only that each is a
// number (or a month's name).
func dateParts(s string) (y, m, d int, ok bool) {
	if len(s) == 8 && allDigits(s) {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
		return y, m, d, true
	}
	// Drop a time of day: "2019-03-12T00:00:00", "12/03/2019 00:00".
	if i := strings.IndexAny(s, "T "); i >= 8 && strings.Contains(s[i:], ":") {
		s = strings.TrimSpace(s[:i])
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	if len(parts[0]) == 4 && allDigits(parts[0]) { // yyyy-mm-dd
		y, _ = strconv.Atoi(parts[0])
		var ok1, ok2 bool
		m, ok1 = number(parts[1], 2)
		d, ok2 = number(parts[2], 2)
		return y, m, d, ok1 && ok2
	}
	d, ok = number(parts[0], 2)
	if !ok || len(parts[2]) != 4 || !allDigits(parts[2]) {
		return 0, 0, 0, false
	}
	y, _ = strconv.Atoi(parts[2])
	m, ok = number(parts[1], 2)
	if !ok {
		name := strings.ToLower(parts[1])
		if len(name) < 3 {
			return 0, 0, 0, false
		}
		mm, found := months[name[:3]]
		if !found || (name != "sept" && !strings.HasPrefix(strings.ToLower(mm.String()), name)) {
			return 0, 0, 0, false
		}
		m = int(mm)
	}
	return y, m, d, true
}

// ParseISODate reads a date strictly as YYYY-MM-DD, as the CIN census
// schema requires.
func ParseISODate(s string) (jtai.Date, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]+s[5:7]+s[8:]) {
		return jtai.Date{}, false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	return makeDate(y, m, d)
}

func excelSerial(s string, date1904 bool) (jtai.Date, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 6 || !allDigits(whole) || (frac != "" && !allDigits(frac)) {
		return jtai.Date{}, false
	}
	n, _ := strconv.Atoi(whole)
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if n < 61 {
		// Excel counts a 29 February 1900 that never was; serials before it
		// are one day later than the arithmetic gives.
		if n == 60 || n == 0 {
			return jtai.Date{}, false
		}
		n++
	}
	t := base.AddDate(0, 0, n)
	if t.Year() < minYear || t.Year() > maxYear {
		return jtai.Date{}, false
	}
	return jtai.Date{Time: t}, true
}

func makeDate(y, m, d int) (jtai.Date, bool) {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return jtai.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31/02 rolls over into March
		return jtai.Date{}, false
	}
	return jtai.Date{Time: t}, true
}

func number(s string, maxLen int) (int, bool) {
	if s == "" || len(s) > maxLen || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseCount reads a whole number of things (a count of referrals, of
// previous plans): digits, perhaps written by Excel as "3.0".
func ParseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".0")
	if len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// Hidden is what a problem shows instead of a personal value that has no
// shape worth keeping (a name, an identifier, free text).
const Hidden = "(hidden)"

// MaskDate hides most of a personal date while keeping its shape, so that a
// user can find the cell without the problem list revealing the date: the
// second half of each run of digits becomes '*' ("31/02/2019" becomes
// "3*/0*/20**") and any letter becomes '*'.
func MaskDate(s string) string {
	s = Shorten(strings.TrimSpace(s))
	var b strings.Builder
	run := 0
	flush := func(digits string) {
		keep := len(digits) / 2
		b.WriteString(digits[:keep])
		b.WriteString(strings.Repeat("*", len(digits)-keep))
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			run++
		default:
			if run > 0 {
				flush(s[i-run : i])
				run = 0
			}
			if unicode.IsLetter(r) {
				b.WriteByte('*')
			} else {
				b.WriteRune(r)
			}
		}
		i += size
	}
	if run > 0 {
		flush(s[len(s)-run:])
	}
	return b.String()
}

// Shorten cuts a value to 40 characters for a message, marking the cut.
func Shorten(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
