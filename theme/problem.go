package theme

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"jtai"
)

// Problem is one thing wrong with a theme file.
type Problem struct {
	File    string
	Line    int    // 1-based; 0 when the problem concerns the whole file
	Field   string // the field's path, e.g. "criteria[2].id"; empty for syntax errors
	Message string
}

// String formats the problem as compilers do: "FILE:LINE: FIELD: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found in one or more theme files, in
// file and line order.
type ValidationError struct {
	Problems []Problem
}

// Error prints one problem per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap presents the problems as the domain's invalid-input error, so that
// jtai.ErrorKind reports jtai.EINVALID and each problem becomes a field
// error named "FILE:LINE: FIELD".
func (e *ValidationError) Unwrap() error {
	fields := make([]jtai.FieldError, len(e.Problems))
	for i, p := range e.Problems {
		name := Problem{File: p.File, Line: p.Line, Field: p.Field}.String()
		fields[i] = jtai.FieldError{Field: strings.TrimSuffix(name, ": "), Message: p.Message}
	}
	return &jtai.Error{Kind: jtai.EINVALID, Message: "The theme file is not valid", Fields: fields}
}

// newValidationError returns nil when there are no problems, sorting them
// otherwise; problems on the same line keep the order they were found in.
func newValidationError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return &ValidationError{Problems: problems}
}
