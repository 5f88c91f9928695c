package table

import "testing"

// Every field jtai reads says why in the list guide, so that the guide
// cannot fall behind the fields.
func TestEveryUsedFieldHasAUse(t *testing.T) {
	for f, spec := range fields {
		if !spec.unused && uses[f] == "" {
			t.Errorf("field %d is read but the guide does not say why", f)
		}
		if spec.unused && uses[f] != "" {
			t.Errorf("field %d is not used but the guide gives it a use", f)
		}
	}
}
