package selection

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"jtai"
	"jtai/screen"
	"jtai/theme"
)

// The strata selection knows how to read; a theme's other strata are
// ignored.
const (
	StratumStage    = "stage"
	StratumAgeBand  = screen.AgeBandStratum
	StratumSignal   = "signal"
	StratumAgencies = "agencies"
)

// StageValue is a stage as the theme's stage stratum names it: contact
// and referral together, "unknown" when the lists show none.
func StageValue(s jtai.Stage) string {
	switch s {
	case jtai.StageContact, jtai.StageReferral:
		return "contact-referral"
	case "":
		return "unknown"
	}
	return string(s)
}

// values are the stratum values ("stage=assessment") of one child.
func values(strata []theme.Stratum, r *screen.Result) []string {
	var out []string
	for _, st := range strata {
		switch st.ID {
		case StratumStage:
			out = append(out, st.ID+"="+StageValue(r.Stage))
		case StratumAgeBand:
			band := r.AgeBand
			if band == "" {
				band = "unknown"
			}
			out = append(out, st.ID+"="+band)
		case StratumSignal:
			for _, s := range r.Signals {
				out = append(out, st.ID+"="+s)
			}
		case StratumAgencies:
			for _, a := range r.Agencies {
				out = append(out, st.ID+"="+string(a))
			}
		}
	}
	return out
}

// profile is the children who share the same stratum values: selection
// chooses among profiles, then takes the next child of the chosen one.
type profile struct {
	values  []int // interned values, sorted
	members []int64
	next    int
}

// pool is the in-scope children, grouped by profile in an order fixed by
// the seed.
type pool struct {
	theme    *theme.Theme
	names    []string // interned value -> "stratum=value"
	profiles []*profile
	size     int
}

func newPool(t *theme.Theme, s *screen.Screening, seed uint64) *pool {
	in := make([]*screen.Result, 0, len(s.Results))
	for i := range s.Results {
		if s.Results[i].Outcome == screen.InScope {
			in = append(in, &s.Results[i])
		}
	}
	// Sorting first makes the result independent of the order the store
	// returned the children in.
	slices.SortFunc(in, func(a, b *screen.Result) int { return cmpInt(a.ChildID, b.ChildID) })
	rng := rand.New(rand.NewPCG(seed, 0x6a746169))
	rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })

	p := &pool{theme: t, size: len(in)}
	intern := map[string]int{}
	byKey := map[string]*profile{}
	var key strings.Builder
	for _, r := range in {
		vs := values(t.Selection.Strata, r)
		ids := make([]int, 0, len(vs))
		for _, v := range vs {
			id, ok := intern[v]
			if !ok {
				id = len(p.names)
				intern[v] = id
				p.names = append(p.names, v)
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		key.Reset()
		for _, id := range ids {
			key.WriteString(strconv.Itoa(id))
			key.WriteByte(',')
		}
		pr, ok := byKey[key.String()]
		if !ok {
			pr = &profile{values: ids}
			byKey[key.String()] = pr
			p.profiles = append(p.profiles, pr)
		}
		pr.members = append(pr.members, r.ChildID)
	}
	return p
}

// pick takes n children for kind. While some stratum value of the pool is
// not yet in this kind's picks, each pick brings in as many new values as
// it can; after that each pick favours the values least represented so
// far. Ties go to the profile met first in the seeded order.
func (p *pool) pick(kind jtai.SelectionKind, n int) []jtai.SelectedChild {
	covered := make([]bool, len(p.names))
	counts := make([]int, len(p.names))
	out := make([]jtai.SelectedChild, 0, n)
	for range n {
		var best *profile
		bestNew, bestLoad := -1, 0
		for _, pr := range p.profiles {
			if pr.next >= len(pr.members) {
				continue
			}
			fresh, load := 0, 0
			for _, v := range pr.values {
				if !covered[v] {
					fresh++
				}
				load += counts[v]
			}
			if fresh > bestNew || (fresh == bestNew && load < bestLoad) {
				best, bestNew, bestLoad = pr, fresh, load
			}
		}
		if best == nil {
			break
		}
		c := jtai.SelectedChild{ChildID: best.members[best.next], Kind: kind}
		best.next++
		var all []string
		for _, v := range best.values {
			if !covered[v] {
				c.Covers = append(c.Covers, p.names[v])
			}
			covered[v] = true
			counts[v]++
			all = append(all, p.names[v])
		}
		if len(c.Covers) > 0 {
			c.Reason = "First pick for " + describe(p.theme, c.Covers)
		} else {
			c.Reason = "Spreads the selection: " + describe(p.theme, all) + " were the least represented so far"
		}
		out = append(out, c)
	}
	return out
}

// describe writes stratum values for people, in the theme's words: "stage
// child protection plan, aged 0-2, in scope by “Police domestic abuse
// notification”, known to the police".
func describe(t *theme.Theme, vs []string) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		name, value, _ := strings.Cut(v, "=")
		switch name {
		case StratumStage:
			parts[i] = "stage " + stageWords(value)
		case StratumAgeBand:
			parts[i] = "aged " + value
			if value == "unborn" || value == "unknown" {
				parts[i] = value
			}
		case StratumSignal:
			parts[i] = "in scope by “" + screen.ReasonLabel(t, value) + "”"
		case StratumAgencies:
			parts[i] = "known to " + agencyWords(jtai.AgencyKind(value))
		default:
			parts[i] = strings.ReplaceAll(name, "-", " ") + " " + value
		}
	}
	return strings.Join(parts, ", ")
}

// agencyWords names an agency mid-sentence.
func agencyWords(k jtai.AgencyKind) string {
	switch k {
	case jtai.AgencyPolice:
		return "the police"
	case jtai.AgencyHealth:
		return "health services"
	}
	return strings.ToLower(k.Label())
}

// stageWords is a value of the stage stratum (StageValue) for people.
func stageWords(v string) string {
	switch v {
	case "contact-referral":
		return "contact or referral"
	case "unknown":
		return "unknown"
	}
	return strings.ToLower(jtai.Stage(v).Label())
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
