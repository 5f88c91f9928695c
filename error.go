package jtai

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Programs switch on the kind; people read the message.
const (
	ENOTFOUND     = "not_found"    // the thing does not exist, or the caller may not know it does
	EFORBIDDEN    = "forbidden"    // the caller knows the thing exists but may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	EINVALID      = "invalid"      // the input is wrong; Fields says where
	ECONFLICT     = "conflict"     // the change clashes with the current state
	ETOOMANY      = "too_many"     // throttled
	EUNAVAILABLE  = "unavailable"  // the database cannot be reached now; try again later
	EINTERNAL     = "internal"     // a fault of ours; the message is not shown
)

// FieldError is one problem with one input field. Field is the name of the
// form field or flag; Message is a plain-English sentence shown by the field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the application's error: a kind for code, a message safe to show
// to the user, field-level details for invalid input, and the underlying
// cause, which is logged but never shown.
type Error struct {
	Kind    string
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted public message.
func Errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing field problems.
func Invalid(fields ...FieldError) *Error {
	return &Error{Kind: EINVALID, Message: "There is a problem", Fields: fields}
}

// ErrorKind returns the kind of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorKind(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EINTERNAL
}

// ErrorMessage returns the message safe to show for err. Internal errors get
// a generic sentence: their detail belongs in the log, not on the page.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != EINTERNAL {
		return e.Message
	}
	return "Sorry, there is a problem with the service. Try again later."
}

// ErrorFields returns the field problems of an EINVALID error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// IsKind reports whether err is of the given kind.
func IsKind(err error, kind string) bool { return ErrorKind(err) == kind }
