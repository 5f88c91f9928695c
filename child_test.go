package jtai_test

import (
	"testing"

	"jtai"
)

func TestFullName(t *testing.T) {
	for _, c := range []struct {
		child jtai.Child
		want  string
	}{
		{jtai.Child{LAChildID: "LA0042", FirstName: "Ada", LastName: "Brook"}, "Ada Brook"},
		{jtai.Child{LAChildID: "LA0042", FirstName: "Ada"}, "Ada"},
		{jtai.Child{LAChildID: "LA0042", LastName: "Brook"}, "Brook"},
		{jtai.Child{LAChildID: "LA0042"}, "Child LA0042"}, // the official lists carry no names
		{jtai.Child{}, "Unnamed child"},
	} {
		if got := c.child.FullName(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.child, got, c.want)
		}
	}
}
