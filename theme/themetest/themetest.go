// Package themetest loads built-in themes for tests of the packages that
// read them. It holds no test data of its own.
package themetest

import (
	"testing"

	"jtai/theme"
)

// Registry returns the built-in themes, failing the test if they do not
// load.
func Registry(tb testing.TB) *theme.Registry {
	tb.Helper()
	reg, err := theme.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// Builtin returns the built-in theme id, failing the test if it is missing
// or invalid.
func Builtin(tb testing.TB, id string) *theme.Theme {
	tb.Helper()
	th, err := Registry(tb).Get(id)
	if err != nil {
		tb.Fatal(err)
	}
	return th
}
