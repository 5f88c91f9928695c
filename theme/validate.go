package theme

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"jtai"
)

// checker applies the rules a theme must meet beyond its shape, naming each
// problem's field and the line it is written on.
type checker struct {
	file     string
	lines    map[string]int  // from the decoder: field path -> line
	failed   map[string]bool // from the decoder: already reported, not to be judged again
	problems []Problem
	ageOK    bool // scope.age was read and is sound, so other fields may be checked against it
}

var (
	kebabID  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	ruleID   = regexp.MustCompile(`^[a-z0-9]+(-[a-zA-Z0-9]+)*(:[a-z0-9]+(-[a-zA-Z0-9]+)*)?$`)
	yearOrYM = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2]))?$`)
	ageBand  = regexp.MustCompile(`^([0-9]+)-([0-9]+)$`)
)

// Codes of the children in need census (DfE) that rules may name.
var (
	cinFactorCodes = splitCodes("1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A 10A 11A 12A 13A 14A 15A 16A 17A 18B 18C 19B 19C 20 21 22A 23A 24A")
	referralCodes  = splitCodes("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10")
	abuseTypes     = splitCodes("child-to-parent teenage-relationship adult")
)

func splitCodes(s string) []string { return strings.Fields(s) }

// validate checks t, decoded from c.file, and records every problem.
func (c *checker) validate(t *Theme) {
	c.required("id", t.ID)
	c.kebab("id", t.ID)
	c.required("title", t.Title)
	c.period(t.Period)
	c.inspectorates(t.Inspectorates)
	c.scope(&t.Scope)
	c.criteria(t)
	c.lists(t.Lists)
	c.documents(t.Documents)
	c.selection(t)
	c.audit(&t.Audit)
	c.report(&t.Report)
	c.timetable(t.Timetable)
}

func (c *checker) add(path, format string, args ...any) {
	if c.failed[path] {
		return
	}
	c.problems = append(c.problems, Problem{File: c.file, Line: c.line(path), Field: path, Message: fmt.Sprintf(format, args...)})
}

// line is the line of path, or of its nearest written ancestor when the
// field itself is missing.
func (c *checker) line(path string) int {
	for {
		if l, ok := c.lines[path]; ok {
			return l
		}
		if path == "" {
			return 0
		}
		if i := strings.LastIndexAny(path, ".["); i >= 0 {
			path = path[:i]
		} else {
			path = ""
		}
	}
}

func (c *checker) has(path string) bool {
	_, ok := c.lines[path]
	return ok
}

func (c *checker) required(path, value string) bool {
	if strings.TrimSpace(value) != "" {
		return true
	}
	if c.has(path) {
		c.add(path, "must not be empty")
	} else {
		c.add(path, "required field is missing")
	}
	return false
}

func (c *checker) kebab(path, id string) {
	if id != "" && !kebabID.MatchString(id) {
		c.add(path, "id %q must be kebab-case: lower-case letters and digits joined by single hyphens", id)
	}
}

// ids checks the id of each element of the list at path: present,
// well-formed and unique. seen carries ids across lists that share one
// namespace.
func (c *checker) ids(path string, ids []string, valid func(path, id string), seen map[string]string) {
	for i, id := range ids {
		p := fmt.Sprintf("%s[%d].id", path, i)
		if id == "" {
			c.add(p, "missing id")
			continue
		}
		valid(p, id)
		if first, dup := seen[id]; dup {
			c.add(p, "duplicate id %q (first at line %d)", id, c.line(first))
			continue
		}
		seen[id] = p
	}
}

func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}

func (c *checker) period(p Period) {
	for _, f := range []struct{ path, value string }{{"period.start", p.Start}, {"period.end", p.End}} {
		if f.value != "" && !yearOrYM.MatchString(f.value) {
			c.add(f.path, "%q is not a year or a month (YYYY or YYYY-MM)", f.value)
		}
	}
	if yearOrYM.MatchString(p.Start) && yearOrYM.MatchString(p.End) {
		n := min(len(p.Start), len(p.End)) // compare at the precision both give
		if p.End[:n] < p.Start[:n] {
			c.add("period.end", "the period ends (%s) before it starts (%s)", p.End, p.Start)
		}
	}
}

func (c *checker) inspectorates(list []jtai.Inspectorate) {
	if len(list) == 0 {
		if c.has("inspectorates") {
			c.add("inspectorates", "must list at least one inspectorate")
		} else {
			c.add("inspectorates", "required field is missing")
		}
		return
	}
	seen := map[jtai.Inspectorate]bool{}
	for i, in := range list {
		p := fmt.Sprintf("inspectorates[%d]", i)
		switch {
		case !in.Valid():
			c.add(p, "unknown inspectorate %q; known: %s", in, joinQuoted(jtai.Inspectorates))
		case seen[in]:
			c.add(p, "inspectorate %q is listed twice", in)
		}
		seen[in] = true
	}
	if !seen[jtai.Ofsted] {
		c.add("inspectorates", "ofsted leads every JTAI and must be listed")
	}
}

func (c *checker) scope(s *Scope) {
	switch {
	case !c.has("scope.age"):
		c.add("scope.age", "required field is missing")
	default:
		for _, f := range []struct {
			name  string
			value int
		}{{"min", s.Age.Min}, {"max", s.Age.Max}} {
			p := "scope.age." + f.name
			if !c.has(p) {
				c.add(p, "required field is missing")
			} else if f.value < 0 || f.value > 25 {
				c.add(p, "age %d is not a child's age in years", f.value)
			}
		}
		read := c.has("scope.age.min") && c.has("scope.age.max") && !c.failed["scope.age.min"] && !c.failed["scope.age.max"]
		if read && s.Age.Min > s.Age.Max {
			c.add("scope.age", "age range is the wrong way round: min %d is above max %d", s.Age.Min, s.Age.Max)
		}
		c.ageOK = read && s.Age.Min <= s.Age.Max
		if s.Age.At != "" && s.Age.At != AgeAtNotificationDate {
			c.add("scope.age.at", "unknown date %q; ages are taken at %q", s.Age.At, AgeAtNotificationDate)
		}
	}
	if s.CurrentMonths < 0 || s.CurrentMonths > 120 {
		c.add("scope.current_months", "%d is not a number of months between 0 and 120", s.CurrentMonths)
	}
	c.ids("scope.rules", idsOf(s.Rules, func(r Rule) string { return r.ID }), func(p, id string) {
		if !ruleID.MatchString(id) {
			c.add(p, "rule id %q must be kebab-case words, optionally after a prefix and a colon (e.g. \"da-indicator:marac\")", id)
		}
	}, map[string]string{})
	for i, r := range s.Rules {
		c.rule(fmt.Sprintf("scope.rules[%d]", i), r, s)
	}
}

// ruleEffects gives, for each rule kind, the effects it may have.
var ruleEffects = map[RuleKind][]Effect{
	KindAgeRange:           {EffectExclude},
	KindUnborn:             {EffectInclude},
	KindCINFactor:          {EffectInclude, EffectReview},
	KindPoliceNotification: {EffectInclude, EffectReview},
	KindMARAC:              {EffectInclude, EffectReview},
	KindReferralSource:     {EffectInclude, EffectReview},
	KindAbuseTypeExcluded:  {EffectExclude},
	KindContactSource:      {EffectInclude, EffectReview},

	KindOpenAssessmentNoFactors: {EffectReview},
}

// ruleCodes gives, for each rule kind that takes codes, the codes it knows.
var ruleCodes = map[RuleKind]struct {
	what  string
	codes []string
}{
	KindCINFactor:         {"CIN assessment factor code", cinFactorCodes},
	KindReferralSource:    {"referral source code", referralCodes},
	KindContactSource:     {"contact source code", referralCodes},
	KindAbuseTypeExcluded: {"abuse type", abuseTypes},
}

func (c *checker) rule(p string, r Rule, s *Scope) {
	c.required(p+".label", r.Label)
	if !c.required(p+".kind", string(r.Kind)) {
		return
	}
	effects, known := ruleEffects[r.Kind]
	if !known {
		c.add(p+".kind", "unknown rule kind %q; known kinds: %s", r.Kind, joinQuoted(RuleKinds))
		return
	}
	if c.required(p+".effect", string(r.Effect)) && !slices.Contains(effects, r.Effect) {
		c.add(p+".effect", "a %s rule's effect must be %s, not %q", r.Kind, joinOr(effects), r.Effect)
	}
	codes, takesCodes := ruleCodes[r.Kind]
	switch {
	case takesCodes && len(r.Codes) == 0:
		c.add(p+".codes", "a %s rule needs at least one %s", r.Kind, codes.what)
	case !takesCodes && len(r.Codes) > 0:
		c.add(p+".codes", "a %s rule takes no codes", r.Kind)
	}
	for j, code := range r.Codes {
		if takesCodes && !slices.Contains(codes.codes, code) {
			c.add(fmt.Sprintf("%s.codes[%d]", p, j), "unknown %s %q", codes.what, code)
		}
	}
	if r.ChildPresent && r.Kind != KindPoliceNotification {
		c.add(p+".child_present", "only a %s rule takes child_present", KindPoliceNotification)
	}
	if r.Kind == KindUnborn && !s.Age.Unborn {
		c.add(p+".kind", "an unborn rule needs scope.age.unborn: true")
	}
}

func (c *checker) criteria(t *Theme) {
	c.ids("focus_areas", idsOf(t.FocusAreas, func(f FocusArea) string { return f.ID }), c.kebab, map[string]string{})
	for i, f := range t.FocusAreas {
		c.required(fmt.Sprintf("focus_areas[%d].title", i), f.Title)
	}
	switch t.CriteriaStatus {
	case "", CriteriaSupplied:
		if len(t.Criteria) == 0 {
			c.add("criteria", "a theme needs its evaluation criteria; if they have not been supplied yet, say criteria_status: %s", CriteriaNotYetSupplied)
		}
	case CriteriaNotYetSupplied:
		if len(t.Criteria) > 0 {
			c.add("criteria", "criteria_status is %s, so criteria must be empty", CriteriaNotYetSupplied)
		}
	default:
		c.add("criteria_status", "unknown status %q; known: %q, %q", t.CriteriaStatus, CriteriaSupplied, CriteriaNotYetSupplied)
	}
	c.ids("criteria", idsOf(t.Criteria, func(x Criterion) string { return x.ID }), c.kebab, map[string]string{})
	for i, x := range t.Criteria {
		if strings.TrimSpace(x.Text) == "" && strings.TrimSpace(x.Summary) == "" {
			c.add(fmt.Sprintf("criteria[%d].text", i), "a criterion needs its text or a summary")
		}
	}
}

func (c *checker) lists(lists []List) {
	c.ids("lists", idsOf(lists, func(l List) string { return l.ID }), c.kebab, map[string]string{})
	for i, l := range lists {
		p := fmt.Sprintf("lists[%d]", i)
		c.required(p+".title", l.Title)
		if c.required(p+".format", string(l.Format)) && !slices.Contains(ListFormats, l.Format) {
			c.add(p+".format", "unknown list format %q; known: %s", l.Format, joinQuoted(ListFormats))
		}
		switch {
		case l.Format == FormatAnnexA && (l.Number < 1 || l.Number > 11):
			c.add(p+".number", "an annex-a list needs its list number, 1 to 11")
		case l.Format != FormatAnnexA && c.has(p+".number"):
			c.add(p+".number", "only annex-a lists have a number")
		}
		if c.required(p+".need", string(l.Need)) && !slices.Contains(Needs, l.Need) {
			c.add(p+".need", "unknown need %q; known: %s", l.Need, joinQuoted(Needs))
		}
	}
}

func (c *checker) documents(docs []Document) {
	c.ids("documents", idsOf(docs, func(d Document) string { return d.ID }), c.kebab, map[string]string{})
	for i, d := range docs {
		c.required(fmt.Sprintf("documents[%d].title", i), d.Title)
	}
}

func (c *checker) selection(t *Theme) {
	if !c.has("selection") {
		return
	}
	s := t.Selection
	c.sampleSize("selection.case_tracking", s.CaseTracking)
	c.sampleSize("selection.case_sample", s.CaseSample)
	c.ids("selection.strata", idsOf(s.Strata, func(x Stratum) string { return x.ID }), c.kebab, map[string]string{})
	for i, st := range s.Strata {
		if st.ID != "age-band" {
			continue
		}
		for j, v := range st.Values {
			c.ageBand(fmt.Sprintf("selection.strata[%d].values[%d]", i, j), v, t.Scope.Age)
		}
	}
}

func (c *checker) sampleSize(p string, s SampleSize) {
	if !c.has(p + ".default") {
		c.add(p+".default", "required field is missing")
	} else if s.Default < 1 {
		c.add(p+".default", "must be at least 1, not %d", s.Default)
	}
	if c.has(p + ".min") {
		if s.Min < 1 {
			c.add(p+".min", "must be at least 1, not %d", s.Min)
		} else if s.Min > s.Default && s.Default >= 1 {
			c.add(p+".min", "min %d is above default %d", s.Min, s.Default)
		}
	}
}

func (c *checker) ageBand(p, v string, age AgeRange) {
	if v == "unborn" {
		if !age.Unborn {
			c.add(p, "age band \"unborn\" needs scope.age.unborn: true")
		}
		return
	}
	m := ageBand.FindStringSubmatch(v)
	if m == nil {
		c.add(p, "age band %q must be \"unborn\" or MIN-MAX in years, e.g. \"0-2\"", v)
		return
	}
	lo, _ := strconv.Atoi(m[1])
	hi, _ := strconv.Atoi(m[2])
	switch {
	case lo > hi:
		c.add(p, "age band %q is the wrong way round", v)
	case c.ageOK && (lo < age.Min || hi > age.Max):
		c.add(p, "age band %q lies outside the scope's ages %d to %d", v, age.Min, age.Max)
	}
}

func (c *checker) audit(a *Audit) {
	if c.has("audit.lookback_months") && a.LookbackMonths < 1 {
		c.add("audit.lookback_months", "must be at least 1, not %d", a.LookbackMonths)
	}
	c.ids("audit.parts", idsOf(a.Parts, func(x AuditPart) string { return x.ID }), c.kebab, map[string]string{})
	questions := map[string]string{} // one namespace across parts: answers are filed by question id
	for i, part := range a.Parts {
		p := fmt.Sprintf("audit.parts[%d]", i)
		c.required(p+".title", part.Title)
		if len(part.Agencies) > 0 && !part.PerAgency {
			c.add(p+".agencies", "only a part answered per agency (per_agency: true) names agencies")
		}
		for j, ag := range part.Agencies {
			if !ag.Valid() {
				c.add(fmt.Sprintf("%s.agencies[%d]", p, j), "unknown agency %q; known: %s", ag, joinQuoted(jtai.AgencyKinds))
			}
		}
		if len(part.Questions) == 0 {
			c.add(p+".questions", "a part needs at least one question")
		}
		c.ids(p+".questions", idsOf(part.Questions, func(q Question) string { return q.ID }), c.kebab, questions)
		for j, q := range part.Questions {
			c.required(fmt.Sprintf("%s.questions[%d].text", p, j), q.Text)
		}
	}
}

func (c *checker) report(r *Report) {
	c.ids("report.addressees", idsOf(r.Addressees, func(x Addressee) string { return x.ID }), c.kebab, map[string]string{})
	for i, a := range r.Addressees {
		p := fmt.Sprintf("report.addressees[%d]", i)
		c.required(p+".title", a.Title)
		if a.WhenInspectorate != "" && !a.WhenInspectorate.Valid() {
			c.add(p+".when_inspectorate", "unknown inspectorate %q; known: %s", a.WhenInspectorate, joinQuoted(jtai.Inspectorates))
		}
	}
	c.ids("report.sections", idsOf(r.Sections, func(x Section) string { return x.ID }), c.kebab, map[string]string{})
	for i, s := range r.Sections {
		c.required(fmt.Sprintf("report.sections[%d].title", i), s.Title)
	}
}

func (c *checker) timetable(steps []Step) {
	c.ids("timetable", idsOf(steps, func(s Step) string { return s.ID }), c.kebab, map[string]string{})
	index := map[string]int{}
	for i, s := range steps {
		if _, dup := index[s.ID]; !dup && s.ID != "" {
			index[s.ID] = i
		}
	}
	for i, s := range steps {
		p := fmt.Sprintf("timetable[%d]", i)
		if s.WorkingDays < 0 {
			c.add(p+".working_days", "must not be negative, not %d", s.WorkingDays)
		}
		switch {
		case s.Week < 0:
			c.add(p+".week", "must be 1 or more (week 1 is the week it counts from), not %d", s.Week)
		case s.Week > 0 && s.WorkingDays != 0:
			c.add(p+".week", "give either working_days or week, not both")
		case s.LastDay && s.Week == 0:
			c.add(p+".last_day", "needs a week: last_day is the last working day of that week")
		}
		if s.From == "" {
			continue
		}
		if _, ok := index[s.From]; !ok {
			msg := fmt.Sprintf("unknown step %q", s.From)
			if near := suggest(s.From, slices.Sorted(maps.Keys(index))); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			c.add(p+".from", "%s", msg)
			continue
		}
		if cycle := stepCycle(steps, index, i); cycle != nil {
			c.add(p+".from", "%q makes a cycle: %s", s.From, strings.Join(cycle, " -> "))
		}
	}
}

// stepCycle returns the chain of step ids from step i back to itself when
// following From leads round to i, and i is the first step of that cycle
// in the file, so that each cycle is reported once.
func stepCycle(steps []Step, index map[string]int, i int) []string {
	chain := []string{steps[i].ID}
	cur := i
	for range len(steps) {
		next, ok := index[steps[cur].From]
		if !ok || steps[cur].From == "" {
			return nil
		}
		chain = append(chain, steps[next].ID)
		if next == i {
			return chain
		}
		if next < i {
			return nil // a cycle through i, if any, is reported at its first step
		}
		cur = next
	}
	return nil
}

func joinQuoted[T ~string](xs []T) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(string(x))
	}
	return strings.Join(q, ", ")
}

// joinOr quotes xs and joins them with commas and a final "or".
func joinOr[T ~string](xs []T) string {
	q := joinQuoted(xs)
	if i := strings.LastIndex(q, ", "); i >= 0 {
		return q[:i] + " or " + q[i+2:]
	}
	return q
}
