package auditlog_test

import (
	"strings"
	"testing"

	"jtai"
	"jtai/auditlog"
)

func TestEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"inspection/3/child/41", "inspection/3/child/41"},
		{"refused: to onsite: the timetable’s onsite week", "refused: to onsite: the timetable’s onsite week"},
		{"a\nsign-in ok", `a\nsign-in ok`},
		{"\x1b[2Jcleared", `\x1b[2Jcleared`},
		{"admin\u202egro.elpmaxe@", `admin\u202egro.elpmaxe@`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"bad \xff byte", `bad \xff byte`},
		{strings.Repeat("a", 600), strings.Repeat("a", 509) + "..."},
		{strings.Repeat("é", 300), strings.Repeat("é", 254) + "..."},
		{strings.Repeat("\x00", 200), strings.Repeat(`\x00`, 127) + `\...`},
	} {
		got := auditlog.Escape(tt.in, 512)
		if got != tt.want {
			t.Errorf("Escape(%.40q) = %.60q, want %.60q", tt.in, got, tt.want)
		}
		if again := auditlog.Escape(got, 512); again != got {
			t.Errorf("Escape(Escape(%.40q)) = %.60q: escaping twice changed it", tt.in, again)
		}
	}
}

// Who acted is kept in printable ASCII, so that a look-alike email shows
// as what it is; an email typed on the sign-in page is cut to an email's
// length however long it was.
func TestClean(t *testing.T) {
	e := &jtai.AccessEntry{Actor: "\u0430dmin@example.org", Action: jtai.ActSignInFailed, Resource: "session",
		Outcome: "failed", Address: "10.0.0.1"}
	auditlog.Clean(e)
	if e.Actor != `\u0430dmin@example.org` {
		t.Errorf("look-alike actor kept as %q", e.Actor)
	}
	e.Actor = strings.Repeat("x", 12<<20) + "@example.org"
	auditlog.Clean(e)
	if len(e.Actor) > 256 || !strings.HasSuffix(e.Actor, "...") {
		t.Errorf("a 12 MB actor is kept as %d bytes", len(e.Actor))
	}
	if e.Resource != "session" || e.Outcome != "failed" || e.Address != "10.0.0.1" {
		t.Errorf("clean fields changed: %+v", e)
	}
}
