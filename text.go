package jtai

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what people type, in characters. Each is stated in the error
// that refuses a longer text.
const (
	MaxEmail  = 254 // RFC 5321's limit on a forward path, less its brackets
	MaxName   = 200 // a person's full name, an account's or a token's name
	MaxReason = 2000
)

// CheckText returns the problem with a text typed into field, described as
// what ("Name", "Reason"), or nil: longer than max characters, not UTF-8,
// or holding a control character or a character that reorders or hides
// text (bidirectional overrides, zero-width spaces), which could make a
// page or the access log read other than it is. Line breaks and tabs are
// allowed where multiline.
func CheckText(field, what, s string, max int, multiline bool) *FieldError {
	if !utf8.ValidString(s) {
		return &FieldError{field, what + " must be plain text"}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &FieldError{field, fmt.Sprintf("%s must be %s characters or fewer (this has %s)", what, commas(max), commas(n))}
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if hiddenOrControl(r) {
			return &FieldError{field, fmt.Sprintf("%s must not contain control or invisible characters (it has U+%04X)", what, r)}
		}
	}
	return nil
}

// hiddenOrControl reports characters that are not shown, or that change
// how the text around them is shown.
func hiddenOrControl(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C: // bidirectional controls
		return true
	case r == 0x200B, r == 0x2060, r == 0xFEFF, r == 0x00AD: // zero-width space, word joiner, byte-order mark, soft hyphen
		return true
	}
	return false
}

// NormalizeEmail puts an email address in its one stored form: compatibility
// characters folded (NFKC: a full-width "ａ" is "a"), trimmed and in lower
// case.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(s)))
}

// checkEmail refuses an address that is not plain ASCII once normalised:
// letters from other scripts that look like Latin ones (a Cyrillic "а"),
// invisible and reordering characters could make an address that reads as
// a colleague's. Addresses of England's public services are ASCII.
func checkEmail(email string) *FieldError {
	if n := utf8.RuneCountInString(email); n > MaxEmail {
		return &FieldError{"email", fmt.Sprintf("Email address must be %d characters or fewer (this has %s)", MaxEmail, commas(n))}
	}
	for _, r := range email {
		if r > unicode.MaxASCII || unicode.IsControl(r) {
			return &FieldError{"email", fmt.Sprintf("Enter the email address again, typing it yourself: it has a character that is not a plain letter, digit or symbol (U+%04X)", r)}
		}
	}
	return nil
}

// commas writes n with thousands separators, as GOV.UK does.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
