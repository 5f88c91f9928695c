// Package synth makes synthetic people, households and lists for demos,
// tests and benchmarks. Every name is drawn from invented word lists and
// every identifier from a reserved pattern, so nothing here can be a real
// person's data. It must never read real data, and nothing real may be added
// to its lists.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"jtai"
)

// Invented given names and family names. The family names are made-up words,
// so that no synthetic child can share a real family's surname by design.
var (
	givenNames = []string{
		"Amari", "Bellis", "Caddo", "Dorin", "Elsa", "Fenna", "Gilo", "Hazel", "Isla", "Jory",
		"Kessa", "Lumo", "Mirel", "Noor", "Orin", "Pella", "Quin", "Rafa", "Sable", "Tamsin",
		"Ulla", "Vero", "Wren", "Yara", "Zeph", "Arlo", "Brin", "Coral", "Dace", "Emrys",
	}
	familyNames = []string{
		"Quillfeather", "Ambervale", "Brackenmoor", "Cindergate", "Dunhollow", "Eastwhistle",
		"Fernlowe", "Glimmerton", "Hollowmere", "Ivysett", "Juniperry", "Kestrelby",
		"Larkspindle", "Mossbrook", "Nettlefold", "Oakhurne", "Pebblewick", "Quarrendon",
		"Rushcombe", "Sallowby", "Thistlemere", "Umberlee", "Vantwick", "Willowsett",
	}
	genders     = []string{"Male", "Female"}
	ethnicities = []string{"WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "APKN", "AIND", "BAFR", "BCRB", "OOTH", "NOBT"}
)

// Generator makes synthetic records. The same seed gives the same records.
type Generator struct {
	r   *rand.Rand
	seq int
}

// New returns a generator seeded with seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Intn returns a number in [0, n).
func (g *Generator) Intn(n int) int { return g.r.IntN(n) }

// Pick returns one of xs.
func (g *Generator) Pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// GivenName returns an invented given name.
func (g *Generator) GivenName() string { return g.Pick(givenNames) }

// FamilyName returns an invented family name.
func (g *Generator) FamilyName() string { return g.Pick(familyNames) }

// LAChildID returns a synthetic local-authority child identifier. The "SYN"
// prefix marks it as synthetic wherever it turns up.
func (g *Generator) LAChildID() string {
	g.seq++
	return fmt.Sprintf("SYN%06d", g.seq)
}

// Postcode returns a postcode in the ZZ99 district, which is reserved for
// records with no real address.
func (g *Generator) Postcode() string {
	return fmt.Sprintf("ZZ99 %d%c%c", g.r.IntN(10), 'A'+rune(g.r.IntN(26)), 'A'+rune(g.r.IntN(26)))
}

// Child returns a synthetic child aged between 0 and 17 on the date asOf, or,
// about one time in forty, an unborn baby with an expected date of birth.
func (g *Generator) Child(asOf jtai.Date) *jtai.Child {
	c := &jtai.Child{
		LAChildID: g.LAChildID(),
		FirstName: g.GivenName(),
		LastName:  g.FamilyName(),
		Gender:    g.Pick(genders),
		Ethnicity: g.Pick(ethnicities),
		Postcode:  g.Postcode(),
	}
	if g.r.IntN(40) == 0 {
		d := jtai.Date{Time: asOf.AddDate(0, 0, 14+g.r.IntN(200))}
		c.ExpectedDate = &d
		c.FirstName = ""
		c.Gender = ""
	} else {
		days := g.r.IntN(18 * 365)
		d := jtai.Date{Time: asOf.Add(-time.Duration(days) * 24 * time.Hour)}
		c.DateOfBirth = &d
	}
	c.Facts = g.Facts(c, asOf)
	return c
}

// Children returns n synthetic children as of asOf.
func (g *Generator) Children(n int, asOf jtai.Date) []*jtai.Child {
	out := make([]*jtai.Child, n)
	for i := range out {
		out[i] = g.Child(asOf)
	}
	return out
}
