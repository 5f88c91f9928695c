package auditlog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"jtai"
)

// The longest an entry's text fields may be, in bytes, once escaped: an
// email address has at most 254 characters, and jtai's resources and
// outcomes are far shorter than theirs. Much of an entry's text can come
// from whoever makes a request (the email typed on the sign-in page, a
// request's path), so without a bound one request could write megabytes.
const (
	maxActor   = 256
	maxAddress = 64
	maxText    = 512 // action, resource and outcome
	cutMark    = "..."
)

// Clean makes e's text fields safe to keep and to show: each is escaped
// and cut to its length (Escape). Who acted and from where are kept in
// printable ASCII, so that a look-alike address (a Cyrillic "а" for an
// "a") shows as the escape it is. The store cleans every entry before it
// hashes it, so the chain covers what is kept. Cleaning a clean entry
// changes nothing.
func Clean(e *jtai.AccessEntry) {
	e.Actor = escape(e.Actor, maxActor, isPrintableASCII)
	e.Address = escape(e.Address, maxAddress, isPrintableASCII)
	e.Action = Escape(e.Action, maxText)
	e.Resource = Escape(e.Resource, maxText)
	e.Outcome = Escape(e.Outcome, maxText)
}

// Escape returns s with every character that is not printable written as
// a Go escape (\n, \x00, \u202e): control characters, which could forge a
// line of a log or move a terminal's cursor; format characters such as
// zero-width spaces and right-to-left overrides, which make text read
// otherwise than it is; and bytes that are not UTF-8. It then cuts the
// result to at most max bytes on a character boundary, ending it with
// "..." when it was cut.
func Escape(s string, max int) string { return escape(s, max, strconv.IsPrint) }

func isPrintableASCII(r rune) bool { return r < utf8.RuneSelf && strconv.IsPrint(r) }

func escape(s string, max int, keep func(rune) bool) string {
	if len(s) <= max && kept(s, keep) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch _, size := utf8.DecodeRuneInString(s[i:]); {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keep(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
		if b.Len() > max {
			break
		}
	}
	out := b.String()
	if len(out) <= max {
		return out
	}
	cut := max - len(cutMark)
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return out[:cut] + cutMark
}

// kept reports whether every character of s is kept as it is.
func kept(s string, keep func(rune) bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !keep(r) {
			return false
		}
	}
	return true
}
