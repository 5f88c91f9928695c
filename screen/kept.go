package screen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"jtai"
	"jtai/theme"
)

// version names how this package screens: change it when a change to the
// rules' code would screen the same lists differently, so that results
// kept under the old code are known out of date.
const version = "2"

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
// result as Kept.
func (s Themes) Screen(in *jtai.Inspection, children []*jtai.Child, decisions map[int64]*jtai.ScreeningDecision) ([]byte, error) {
	t, err := s.Registry.Get(in.ThemeID)
	if err != nil {
		return nil, err
	}
	k := Kept{Screening: *Decided(t, in.NotifiedOn, children, decisions), Decisions: decisions}
	return json.Marshal(&k)
}

// Open decodes a kept result.
func Open(b []byte) (*Kept, error) {
	var k Kept
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("read the kept screening: %w", err)
	}
	return &k, nil
}
