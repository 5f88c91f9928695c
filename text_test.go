package jtai

import (
	"strings"
	"testing"
)

func TestAccountFieldsRefuseLookAlikesAndHiddenText(t *testing.T) {
	for _, tt := range []struct {
		name, email, fullName string
		want                  string // in the error; "" for accepted
		stored                string // the email as kept, when accepted
	}{
		{"plain", "Sam.Smith@Police.example", "Sam Smith", "", "sam.smith@police.example"},
		{"full-width letters fold", "ｓａｍ@police.example", "Sam Smith", "", "sam@police.example"},
		{"Cyrillic a", "s\u0430m@police.example", "Sam Smith", "U+0430", ""},
		{"zero-width space", "sam\u200b@police.example", "Sam Smith", "U+200B", ""},
		{"right-to-left override in the address", "sam\u202e@police.example", "Sam Smith", "U+202E", ""},
		{"right-to-left override in the name", "sam@police.example", "Sam \u202eSmith", "Full name must not contain control or invisible characters (it has U+202E)", ""},
		{"control character in the name", "sam@police.example", "Sam\x07 Smith", "U+0007", ""},
		{"name too long", "sam@police.example", strings.Repeat("a", MaxName+1), "Full name must be 200 characters or fewer (this has 201)", ""},
		{"address too long", strings.Repeat("a", 250) + "@x.example", "Sam Smith", "Email address must be 254 characters or fewer (this has 260)", ""},
		{"accented name", "sam@police.example", "Zoë Ó Briain-Nguyễn", "", "sam@police.example"},
	} {
		u := &User{Email: tt.email, Name: tt.fullName, Role: RoleAdministrator}
		err := u.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.want == "" && u.Email != tt.stored:
			t.Errorf("%s: stored as %q, want %q", tt.name, u.Email, tt.stored)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: err = %v, want it to say %q", tt.name, err, tt.want)
		}
	}
}

func TestReasonsHaveALimit(t *testing.T) {
	huge := strings.Repeat("x", 900<<10)
	err := CheckTransition(StatusNotified, StatusWithdrawn, huge)
	if !IsKind(err, EINVALID) || !strings.Contains(err.Error(), "The reason must be 2,000 characters or fewer (this has 921,600)") {
		t.Errorf("a 900 KB reason: %v", err)
	}
	if err := CheckTransition(StatusNotified, StatusWithdrawn, "The area asked\nfor a new date"); err != nil {
		t.Errorf("a reason of two lines: %v", err)
	}
}
