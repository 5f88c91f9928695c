package calendar

import (
	"testing"
	"time"

	"jtai"
)

func TestCheckNotification(t *testing.T) {
	tests := []struct {
		name string
		date jtai.Date
		want string // the field message; "" for accepted
	}{
		{"an ordinary Monday", day(2024, time.February, 12), ""},
		{"a Tuesday", day(2024, time.March, 5),
			"The notification date must be a Monday: 5 March 2024 is a Tuesday"},
		{"a Sunday", day(2024, time.March, 31),
			"The notification date must be a Monday: 31 March 2024 is a Sunday"},
		{"Easter Monday", day(2024, time.April, 1),
			"The notification date must be a Monday that is not a bank holiday: 1 April 2024 is a bank holiday (Easter Monday)"},
		{"a substitute Monday", day(2021, time.December, 27),
			"The notification date must be a Monday that is not a bank holiday: 27 December 2021 is a bank holiday (Christmas Day, substitute day)"},
		{"the state funeral", day(2022, time.September, 19),
			"The notification date must be a Monday that is not a bank holiday: 19 September 2022 is a bank holiday (Bank Holiday for the State Funeral of Queen Elizabeth II)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNotification(tt.date)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckNotification(%s) = %v, want nil", tt.date, err)
				}
				return
			}
			if !jtai.IsKind(err, jtai.EINVALID) {
				t.Fatalf("CheckNotification(%s) = %v, want an %s error", tt.date, err, jtai.EINVALID)
			}
			fields := jtai.ErrorFields(err)
			if len(fields) != 1 || fields[0].Field != "notified_on" || fields[0].Message != tt.want {
				t.Errorf("CheckNotification(%s) fields = %+v\nwant notified_on: %q", tt.date, fields, tt.want)
			}
		})
	}
}
