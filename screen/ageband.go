package screen

import (
	"strconv"
	"strings"

	"jtai/theme"
)

// AgeBandStratum is the id of the theme's age-band stratum.
const AgeBandStratum = "age-band"

// AgeBand is the theme's age band of a child: "unborn", or the "MIN-MAX"
// value of the theme's age-band stratum the age falls in. Without such a
// stratum it is the age itself; "" when the age is unknown or in no band.
func AgeBand(t *theme.Theme, age int, unborn bool) string {
	if unborn {
		return "unborn"
	}
	if age < 0 {
		return ""
	}
	for _, st := range t.Selection.Strata {
		if st.ID != AgeBandStratum {
			continue
		}
		for _, v := range st.Values {
			lo, hi, ok := strings.Cut(v, "-")
			min, err1 := strconv.Atoi(lo)
			max, err2 := strconv.Atoi(hi)
			if ok && err1 == nil && err2 == nil && age >= min && age <= max {
				return v
			}
		}
		return ""
	}
	return strconv.Itoa(age)
}
