package selection

import (
	"strings"

	"jtai"
	"jtai/screen"
	"jtai/theme"
)

// Change is a selected child that the lists, corrected after the selection
// was published, say something different about: it is no longer on any
// list, or screening now says other than it did when the child was
// selected. The child stays selected; the lead inspector decides.
type Change struct {
	ChildID  int64
	Kind     jtai.SelectionKind
	OffLists bool
	Was, Now screen.Result // Was holds only the outcome and reasons kept
}

// Changes are the selected children that changed since they were
// selected, in the selection's order. children holds the selected
// children's records (a missing one is skipped); a child selected before
// jtai kept what screening said is judged by the lists alone. Screening
// now applies the inspectors' decisions, as it did at selection.
func Changes(t *theme.Theme, notified jtai.Date, picks []jtai.SelectedChild, children map[int64]*jtai.Child, decisions map[int64]*screen.Decision) []Change {
	var out []Change
	for _, p := range picks {
		c := children[p.ChildID]
		if c == nil {
			continue
		}
		ch := Change{ChildID: p.ChildID, Kind: p.Kind, OffLists: c.OffLists}
		if p.Screened != "" {
			ch.Was.Outcome, ch.Was.Reasons = screen.ParseFingerprint(p.Screened)
		}
		ch.Now = screen.Child(t, notified, c)
		screen.Decide(&ch.Now, decisions[c.ID])
		if ch.OffLists || (p.Screened != "" && ch.Now.Fingerprint() != p.Screened) {
			out = append(out, ch)
		}
	}
	return out
}

// Describe says what changed, in the theme's words.
func (ch *Change) Describe(t *theme.Theme) string {
	if ch.OffLists {
		return "No longer on any list: the corrected lists do not name the child"
	}
	was, now := outcomeWords(t, &ch.Was), outcomeWords(t, &ch.Now)
	if ch.Was.Outcome == ch.Now.Outcome {
		return "Screening gives other reasons: now " + now + ", was " + was
	}
	return "Screening now says " + now + ", was " + was
}

func outcomeWords(t *theme.Theme, r *screen.Result) string {
	s := strings.ToLower(r.Outcome.Label())
	if len(r.Reasons) == 0 {
		return s
	}
	labels := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		labels[i] = screen.ReasonLabel(t, x)
	}
	return s + " (" + strings.Join(labels, "; ") + ")"
}
