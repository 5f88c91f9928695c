package synth

import (
	"testing"

	"jtai"
)

// The other area's inspection is notified on a working Monday a week or
// more before the demo's, never on a bank holiday.
func TestOtherInspectionNotifiedOnAWorkingMonday(t *testing.T) {
	tests := []struct{ demo, want jtai.Date }{
		{jtai.NewDate(2026, 3, 2), jtai.NewDate(2026, 2, 23)},
		{jtai.NewDate(2027, 1, 4), jtai.NewDate(2026, 12, 21)}, // not Monday 28 December, Boxing Day taken
		{jtai.NewDate(2026, 4, 13), jtai.NewDate(2026, 3, 30)}, // not Easter Monday
	}
	for _, tt := range tests {
		if got := mondayBefore(tt.demo); !got.Equal(tt.want.Time) {
			t.Errorf("demo notified %s: the other area's %s, want %s", tt.demo, got, tt.want)
		}
	}
}
