package screen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"jtai"
	"jtai/theme"
)

// version names how this package screens: change it when a change to the
// rules' code would screen the same lists differently, so that results
// kept under the old code are known out of date.
const version = "4"

// Kept is an inspection's screening as the store keeps it (sealed): every
// child's result, the inspectors' decisions applied, and the decisions.
type Kept struct {
	Screening
	Decisions map[int64]*Decision `json:"decisions,omitempty"`
}

// Themes screens inspections under the themes of a registry: it is the
// store's jtai.Screener.
type Themes struct {
	Registry *theme.Registry
}

var _ jtai.Screener = Themes{}

// Basis names the inspection's theme and a digest of its scope and
// screening's version, so that a result kept under other rules is known
// out of date.
func (s Themes) Basis(in *jtai.Inspection) (string, error) {
	t, err := s.Registry.Get(in.ThemeID)
	if err != nil {
		return "", err
	}
	return Basis(t), nil
}

// Basis is what a result screened under t is kept with.
func Basis(t *theme.Theme) string {
	b, _ := json.Marshal(t.Scope)
	sum := sha256.Sum256(append([]byte(version+"\n"), b...))
	return fmt.Sprintf("%s@%s", t.ID, hex.EncodeToString(sum[:8]))
}

// Screen screens the children, applies the decisions and encodes the
// result (Kept.Encode).
func (s Themes) Screen(in *jtai.Inspection, children []*jtai.Child, decisions map[int64]*jtai.ScreeningDecision) ([]byte, error) {
	t, err := s.Registry.Get(in.ThemeID)
	if err != nil {
		return nil, err
	}
	k := Kept{Screening: *Decided(t, in.NotifiedOn, children, decisions), Decisions: decisions}
	return k.Encode()
}

// keptHeader starts an encoded Kept, naming its form.
const keptHeader = "jtai-screening 1\n"

// Encode writes k compactly, for pages that open it on every view: a
// header, the number of results, one line a child (its fields separated
// by tabs, lists by commas), then the decisions as JSON. It is read back
// an order of magnitude faster than JSON would be.
func (k *Kept) Encode() ([]byte, error) {
	var b strings.Builder
	b.WriteString(keptHeader)
	b.WriteString(strconv.Itoa(len(k.Results)))
	b.WriteByte('\n')
	for i := range k.Results {
		r := &k.Results[i]
		for _, list := range [][]string{r.Reasons, r.Signals} {
			for _, x := range list {
				if strings.ContainsAny(x, ",\t\n") {
					return nil, fmt.Errorf("encode the screening: reason %q holds a comma, tab or newline", x)
				}
			}
		}
		id := r.LAChildID
		if strings.ContainsAny(id, "\t\n\"") {
			id = strconv.Quote(id)
		}
		agencies := make([]string, len(r.Agencies))
		for j, a := range r.Agencies {
			agencies[j] = string(a)
		}
		fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ChildID, id, r.Outcome,
			strings.Join(r.Reasons, ","), strings.Join(r.Signals, ","), r.Age, flag(r.Unborn), r.AgeBand, r.Stage,
			strings.Join(agencies, ","), flag(r.Decided), flag(r.Named))
	}
	d, err := json.Marshal(k.Decisions)
	if err != nil {
		return nil, err
	}
	b.Write(d)
	return []byte(b.String()), nil
}

func flag(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// lists reads the lists of an encoded Kept, once each: children share
// their reasons, signals and agencies, so most lines repeat another's.
// The slices read are shared, clipped so that an append copies.
type lists struct {
	strings  map[string][]string
	agencies map[string][]jtai.AgencyKind
}

func (l *lists) of(s string) []string {
	if s == "" {
		return nil
	}
	v, ok := l.strings[s]
	if !ok {
		v = slices.Clip(strings.Split(s, ","))
		l.strings[s] = v
	}
	return v
}

func (l *lists) agenciesOf(s string) []jtai.AgencyKind {
	if s == "" {
		return nil
	}
	v, ok := l.agencies[s]
	if !ok {
		for _, a := range strings.Split(s, ",") {
			v = append(v, jtai.AgencyKind(a))
		}
		v = slices.Clip(v)
		l.agencies[s] = v
	}
	return v
}

// Open decodes a kept result (Kept.Encode).
func Open(b []byte) (*Kept, error) {
	bad := func(what string) (*Kept, error) { return nil, fmt.Errorf("read the kept screening: %s", what) }
	s, ok := strings.CutPrefix(string(b), keptHeader)
	if !ok {
		return bad("not a kept screening")
	}
	line, s, _ := strings.Cut(s, "\n")
	n, err := strconv.Atoi(line)
	if err != nil || n < 0 || n > len(s) {
		return bad("no count of results")
	}
	k := &Kept{Screening: Screening{Results: make([]Result, n)}}
	var f [12]string
	seen := lists{strings: map[string][]string{}, agencies: map[string][]jtai.AgencyKind{}}
	for i := range n {
		line, s, ok = strings.Cut(s, "\n")
		if !ok {
			return bad(fmt.Sprintf("result %d is missing", i+1))
		}
		for j := range len(f) - 1 {
			var more bool
			if f[j], line, more = strings.Cut(line, "\t"); !more {
				return bad(fmt.Sprintf("result %d has %d fields, not %d", i+1, j+1, len(f)))
			}
		}
		f[len(f)-1] = line
		r := &k.Results[i]
		if r.ChildID, err = strconv.ParseInt(f[0], 10, 64); err != nil {
			return bad(fmt.Sprintf("result %d has no child", i+1))
		}
		if r.LAChildID = f[1]; strings.HasPrefix(f[1], `"`) {
			if r.LAChildID, err = strconv.Unquote(f[1]); err != nil {
				return bad(fmt.Sprintf("result %d has a malformed identifier", i+1))
			}
		}
		if r.Age, err = strconv.Atoi(f[5]); err != nil {
			return bad(fmt.Sprintf("result %d has no age", i+1))
		}
		r.Outcome, r.Reasons, r.Signals, r.Agencies = Outcome(f[2]), seen.of(f[3]), seen.of(f[4]), seen.agenciesOf(f[9])
		r.Unborn, r.AgeBand, r.Stage, r.Decided, r.Named = f[6] == "1", f[7], jtai.Stage(f[8]), f[10] == "1", f[11] == "1"
	}
	if err := json.Unmarshal([]byte(s), &k.Decisions); err != nil {
		return bad("the decisions: " + err.Error())
	}
	return k, nil
}
