package theme

import (
	"slices"

	"jtai"
)

// PartsFor lists the parts of a child's joint audit: each per-agency part
// once for every agency of the area whose kind worked with the child (and
// that the part asks of), and each other part once, for the partnership.
func (a *Audit) PartsFor(childID int64, facts *jtai.ChildFacts, agencies []*jtai.Agency) []jtai.AuditPartKey {
	var keys []jtai.AuditPartKey
	for _, p := range a.Parts {
		if !p.PerAgency {
			keys = append(keys, jtai.AuditPartKey{ChildID: childID, PartID: p.ID})
			continue
		}
		for _, ag := range agencies {
			if slices.Contains(facts.Agencies, ag.Kind) && (len(p.Agencies) == 0 || slices.Contains(p.Agencies, ag.Kind)) {
				keys = append(keys, jtai.AuditPartKey{ChildID: childID, PartID: p.ID, AgencyID: ag.ID})
			}
		}
	}
	return keys
}

// Part returns the audit part with the given id.
func (a *Audit) Part(id string) (AuditPart, bool) {
	for _, p := range a.Parts {
		if p.ID == id {
			return p, true
		}
	}
	return AuditPart{}, false
}
