package theme

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jtai"
)

var builtinIDs = []string{
	"cce-2022", "cse-missing-2016", "domestic-abuse-2016", "domestic-abuse-2024",
	"front-door", "neglect-2017", "serious-youth-violence-2023",
}

func mustBuiltin(t *testing.T) *Registry {
	t.Helper()
	r, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return r
}

func TestBuiltinThemesLoadAndValidate(t *testing.T) {
	r := mustBuiltin(t)
	var ids []string
	for _, th := range r.List() {
		ids = append(ids, th.ID)
		if !th.Builtin {
			t.Errorf("%s: Builtin = false", th.ID)
		}
		if want := "themes/" + th.ID + ".yaml"; th.File != want {
			t.Errorf("%s: loaded from %s, want %s (a built-in file is named after its id)", th.ID, th.File, want)
		}
		if !th.CriteriaSupplied() && len(th.Criteria) > 0 {
			t.Errorf("%s: criteria not yet supplied, yet %d listed", th.ID, len(th.Criteria))
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, builtinIDs) {
		t.Errorf("built-in themes = %v, want %v", ids, builtinIDs)
	}
}

func TestDomesticAbuse2024(t *testing.T) {
	th, err := mustBuiltin(t).Get("domestic-abuse-2024")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("criteria", idsOf(th.Criteria, func(c Criterion) string { return c.ID }), []string{
		"eyes-of-the-child", "skilled-workforce", "understanding-needs", "early-prevention",
		"right-help", "voice-of-the-child", "leadership",
	})
	for _, c := range th.Criteria {
		if c.Text == "" || c.Summary == "" || c.Source == "" {
			t.Errorf("criterion %s lacks its text, summary or source", c.ID)
		}
	}
	check("focus areas", idsOf(th.FocusAreas, func(f FocusArea) string { return f.ID }), []string{
		"identification", "assessment-planning-decisions", "protection-support-care", "prevention",
	})
	check("inspectorates", idsOf(th.Inspectorates, func(i jtai.Inspectorate) string { return string(i) }), []string{
		"ofsted", "cqc", "hmicfrs", "hmip",
	})
	if a := th.Scope.Age; a.Min != 0 || a.Max != 7 || !a.Unborn || a.At != AgeAtNotificationDate {
		t.Errorf("scope.age = %+v, want 0 to 7 at the - date, unborn included", a)
	}
	if th.Scope.CurrentMonths != 6 {
		t.Errorf("scope.current_months = %d, want 6", th.Scope.CurrentMonths)
	}
	check("rules", idsOf(th.Scope.Rules, func(r Rule) string { return r.ID }), []string{
		"unborn", "age-over-7-at-notification",
		"da-indicator:cin-factor-3A", "da-indicator:cin-factor-3B", "da-indicator:cin-factor-3C",
		"da-indicator:police-notification", "da-indicator:marac", "review:referral-source-police", "review:contact-source-police", "review:police-notification-child-not-present", "review:open-assessment-no-factors",
		"excluded:child-to-parent", "excluded:teenage-relationship",
	})
	if r, ok := th.Rule("review:referral-source-police"); !ok || r.Effect != EffectReview || !slices.Equal(r.Codes, []string{"6"}) {
		t.Errorf("police referral rule = %+v, want a review of referral source 6", r)
	}
	var annexA []int
	for _, l := range th.Lists {
		if l.Format == FormatAnnexA {
			annexA = append(annexA, l.Number)
		}
	}
	if !slices.Equal(annexA, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("Annex A lists = %v, want 1 to 9", annexA)
	}
	if s := th.Selection; s.CaseTracking.Min != 5 || s.CaseTracking.Default != 7 || s.CaseSample.Default != 25 {
		t.Errorf("selection = %+v, want case tracking min 5 default 7, sample 25", s)
	}
	var steps []string
	for _, s := range th.Timetable {
		from := s.From
		if from == "" {
			from = "-"
		}
		when := strconv.Itoa(s.WorkingDays)
		if s.Week > 0 {
			when = "week " + strconv.Itoa(s.Week)
			if s.LastDay {
				when += " last day"
			}
		}
		steps = append(steps, s.ID+" "+from+" "+when)
		if s.Source == "" {
			t.Errorf("timetable step %s has no source", s.ID)
		}
	}
	check("timetable", steps, []string{
		"notification - 0",
		"lists-supplied - 1",
		"documents-supplied - 3",
		"children-selected - 3",
		"audits-returned - 8",
		"onsite-start - week 3",
		"onsite-end onsite-start week 1 last day",
		"draft-letter onsite-end 15",
		"accuracy-corrections draft-letter 10",
		"publication onsite-end 33",
		"action-statement publication 70",
	})
	var perAgency, summary int
	for _, p := range th.Audit.Parts {
		if p.PerAgency {
			perAgency++
		} else {
			summary++
		}
	}
	if perAgency != 1 || summary != 1 || th.Audit.LookbackMonths != 6 {
		t.Errorf("audit has %d per-agency and %d partnership parts over %d months, want 1 and 1 over 6", perAgency, summary, th.Audit.LookbackMonths)
	}
	check("report sections", idsOf(th.Report.Sections, func(s Section) string { return s.ID }), []string{
		"introduction", "headline-findings", "what-needs-to-improve", "strengths", "main-findings", "case-study", "next-steps",
	})
}

// Series whose criteria were never supplied must say so rather than carry
// criteria someone made up.
func TestOlderSeriesCriteriaNotYetSupplied(t *testing.T) {
	r := mustBuiltin(t)
	for _, id := range builtinIDs {
		th, err := r.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if id == "domestic-abuse-2024" {
			continue
		}
		if th.CriteriaStatus != CriteriaNotYetSupplied || len(th.Criteria) != 0 || len(th.FocusAreas) != 0 {
			t.Errorf("%s: criteria_status %q with %d criteria and %d focus areas, want not-yet-supplied and none",
				id, th.CriteriaStatus, len(th.Criteria), len(th.FocusAreas))
		}
	}
}

// JTAIs give no graded judgements, so no theme may carry the words of a
// rating scale.
func TestNoGradedJudgementWords(t *testing.T) {
	files, err := fs.Glob(builtinFiles, "themes/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in theme files (%v)", err)
	}
	for _, name := range files {
		data, err := builtinFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(string(data))
		for _, word := range []string{"outstanding", "requires improvement", "inadequate"} {
			if strings.Contains(text, word) {
				t.Errorf("%s contains the graded-judgement word %q", name, word)
			}
		}
	}
}

func TestBrokenThemes(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"missing-criterion-id.yaml", []string{
			"testdata/broken/missing-criterion-id.yaml:9: criteria[1].id: missing id",
		}},
		{"unknown-rule.yaml", []string{
			`testdata/broken/unknown-rule.yaml:8: scope.rules[0].kind: unknown rule kind "postcode"; known kinds: "age-range", "unborn", "cin-factor", "police-notification", "marac", "referral-source", "abuse-type-excluded", "contact-source", "open-assessment-no-factors"`,
			`testdata/broken/unknown-rule.yaml:13: scope.rules[1].effect: a marac rule's effect must be "include" or "review", not "exclude"`,
			`testdata/broken/unknown-rule.yaml:14: scope.rules[1].codes: a marac rule takes no codes`,
		}},
		{"age-reversed.yaml", []string{
			"testdata/broken/age-reversed.yaml:5: scope.age: age range is the wrong way round: min 7 is above max 0",
		}},
		{"duplicate-id.yaml", []string{
			`testdata/broken/duplicate-id.yaml:8: focus_areas[1].id: duplicate id "prevention" (first at line 7)`,
			`testdata/broken/duplicate-id.yaml:14: criteria[2].id: duplicate id "right-help" (first at line 10)`,
		}},
		{"unknown-field.yaml", []string{
			`testdata/broken/unknown-field.yaml:4: descripton: unknown field "descripton" (did you mean "description"?)`,
			`testdata/broken/unknown-field.yaml:8: scope.rules[0].label: required field is missing`,
			`testdata/broken/unknown-field.yaml:9: scope.rules[0].kind: an unborn rule needs scope.age.unborn: true`,
			`testdata/broken/unknown-field.yaml:11: scope.rules[0].lable: unknown field "lable" (did you mean "label"?)`,
			`testdata/broken/unknown-field.yaml:13: grades: unknown field "grades"`,
		}},
		{"bad-from.yaml", []string{
			`testdata/broken/bad-from.yaml:9: timetable[1].from: unknown step "notificaton" (did you mean "notification"?)`,
			`testdata/broken/bad-from.yaml:10: timetable[2].from: "publication" makes a cycle: draft-letter -> publication -> draft-letter`,
			`testdata/broken/bad-from.yaml:12: timetable[4].from: "loop" makes a cycle: loop -> loop`,
		}},
		{"bad-week.yaml", []string{
			`testdata/broken/bad-week.yaml:9: timetable[1].week: give either working_days or week, not both`,
			`testdata/broken/bad-week.yaml:10: timetable[2].last_day: needs a week: last_day is the last working day of that week`,
			`testdata/broken/bad-week.yaml:11: timetable[3].week: must be 1 or more (week 1 is the week it counts from), not -1`,
		}},
		{"syntax.yaml", []string{
			`testdata/broken/syntax.yaml:2: YAML syntax: sequence end token ']' not found`,
		}},
		// Every problem in the file is reported, not just the first.
		{"many-problems.yaml", []string{
			`testdata/broken/many-problems.yaml:1: id: id "Many_Problems" must be kebab-case: lower-case letters and digits joined by single hyphens`,
			`testdata/broken/many-problems.yaml:1: title: required field is missing`,
			`testdata/broken/many-problems.yaml:2: inspectorates[1]: unknown inspectorate "ofstead"; known: "ofsted", "cqc", "hmicfrs", "hmip"`,
			`testdata/broken/many-problems.yaml:3: period.end: the period ends (2024-09) before it starts (2025-05)`,
			`testdata/broken/many-problems.yaml:5: scope.age.max: want a whole number, found text "seven"`,
			`testdata/broken/many-problems.yaml:7: criteria: criteria_status is not-yet-supplied, so criteria must be empty`,
			`testdata/broken/many-problems.yaml:8: criteria[0].text: a criterion needs its text or a summary`,
			`testdata/broken/many-problems.yaml:10: lists[0].number: an annex-a list needs its list number, 1 to 11`,
			`testdata/broken/many-problems.yaml:11: lists[1].format: unknown list format "police-export"; known: "annex-a", "cin-census", "domestic-abuse-notifications"`,
			`testdata/broken/many-problems.yaml:11: lists[1].number: only annex-a lists have a number`,
			`testdata/broken/many-problems.yaml:11: lists[1].need: unknown need "essential"; known: "required", "relevant", "optional"`,
			`testdata/broken/many-problems.yaml:13: selection.case_tracking.min: min 9 is above default 7`,
			`testdata/broken/many-problems.yaml:14: selection.case_sample.default: must be at least 1, not 0`,
			`testdata/broken/many-problems.yaml:17: selection.strata[0].values[0]: age band "unborn" needs scope.age.unborn: true`,
			`testdata/broken/many-problems.yaml:17: selection.strata[0].values[1]: age band "5-3" is the wrong way round`,
			`testdata/broken/many-problems.yaml:22: audit.parts[0].agencies: only a part answered per agency (per_agency: true) names agencies`,
			`testdata/broken/many-problems.yaml:22: audit.parts[0].agencies[1]: unknown agency "fire-service"; known: "childrens-social-care", "police", "health", "probation", "education"`,
			`testdata/broken/many-problems.yaml:28: audit.parts[1].questions[0].id: duplicate id "lived-experience" (first at line 24)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			th, err := LoadFile(filepath.Join("testdata", "broken", tt.file))
			if th != nil {
				t.Errorf("LoadFile returned a theme for a broken file")
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if got := strings.Split(ve.Error(), "\n"); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(ve.Problems) != len(tt.want) {
				t.Errorf("%d problems, want %d", len(ve.Problems), len(tt.want))
			}
			if kind := jtai.ErrorKind(err); kind != jtai.EINVALID {
				t.Errorf("error kind = %q, want %q", kind, jtai.EINVALID)
			}
		})
	}
}

func TestLoadFileValid(t *testing.T) {
	th, err := LoadFile(filepath.Join("testdata", "valid", "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if th.ID != "minimal" || th.Builtin || th.File != filepath.Join("testdata", "valid", "minimal.yaml") {
		t.Errorf("theme = %s from %s (builtin %v)", th.ID, th.File, th.Builtin)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "nothing.yaml"))
	if jtai.ErrorKind(err) != jtai.ENOTFOUND {
		t.Errorf("err = %v (kind %q), want %q", err, jtai.ErrorKind(err), jtai.ENOTFOUND)
	}
}

func TestLoadDirOverridesBuiltin(t *testing.T) {
	dir := filepath.Join("testdata", "override")
	r, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	th, err := r.Get("domestic-abuse-2024")
	if err != nil {
		t.Fatal(err)
	}
	if th.Builtin || !strings.Contains(th.Title, "revised") {
		t.Errorf("domestic-abuse-2024 is %q (builtin %v), want the directory's revision", th.Title, th.Builtin)
	}
	want := []Override{{ID: "domestic-abuse-2024", File: filepath.Join(dir, "domestic-abuse-2024.yaml"), Builtin: "themes/domestic-abuse-2024.yaml"}}
	if got := r.Overrides(); !slices.Equal(got, want) {
		t.Errorf("Overrides = %+v, want %+v", got, want)
	}
	if _, err := r.Get("local-pilot-2026"); err != nil {
		t.Errorf("a new theme in the directory is not loaded: %v", err)
	}
	if _, err := r.Get("neglect-2017"); err != nil {
		t.Errorf("built-in themes not replaced must stay: %v", err)
	}
	if got, want := len(r.List()), len(builtinIDs)+1; got != want {
		t.Errorf("%d themes, want %d", got, want)
	}
	if len(mustBuiltin(t).Overrides()) != 0 {
		t.Errorf("built-in registry reports overrides")
	}
}

func TestLoadDirCollectsProblemsFromEveryFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	minimal := "title: T\ninspectorates: [ofsted]\nscope: {age: {min: 0, max: 7}}\ncriteria_status: not-yet-supplied\n"
	write("a.yaml", "id: same\n"+minimal)
	write("b.yml", "id: same\n"+minimal)
	write("c.yaml", "id: c\ntitle: T\n")
	write("notes.txt", "not a theme")
	_, err := LoadDir(dir)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	want := []string{
		filepath.Join(dir, "b.yml") + `:1: id: duplicate theme id "same" (first in ` + filepath.Join(dir, "a.yaml") + ")",
		filepath.Join(dir, "c.yaml") + ":1: inspectorates: required field is missing",
		filepath.Join(dir, "c.yaml") + ":1: scope.age: required field is missing",
		filepath.Join(dir, "c.yaml") + `:1: criteria: a theme needs its evaluation criteria; if they have not been supplied yet, say criteria_status: not-yet-supplied`,
	}
	if got := strings.Split(ve.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadDirMissing(t *testing.T) {
	_, err := LoadDir(filepath.Join(t.TempDir(), "none"))
	if jtai.ErrorKind(err) != jtai.ENOTFOUND {
		t.Errorf("err = %v, want %q", err, jtai.ENOTFOUND)
	}
}

func TestGetUnknownTheme(t *testing.T) {
	_, err := mustBuiltin(t).Get("domestic-abuse-2025")
	if jtai.ErrorKind(err) != jtai.ENOTFOUND {
		t.Fatalf("err = %v, want kind %q", err, jtai.ENOTFOUND)
	}
	msg := jtai.ErrorMessage(err)
	for _, want := range append([]string{`did you mean "domestic-abuse-2024"?`}, builtinIDs...) {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
}

func TestListOldestFirst(t *testing.T) {
	var ids []string
	for _, th := range mustBuiltin(t).List() {
		ids = append(ids, th.ID)
	}
	want := []string{"cse-missing-2016", "domestic-abuse-2016", "neglect-2017", "cce-2022", "front-door", "serious-youth-violence-2023", "domestic-abuse-2024"}
	if !slices.Equal(ids, want) {
		t.Errorf("List = %v, want %v", ids, want)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := fs.Glob(builtinFiles, "themes/*.yaml")
	for _, name := range seeds {
		data, _ := builtinFiles.ReadFile(name)
		f.Add(data)
	}
	broken, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, name := range broken {
		data, _ := os.ReadFile(name)
		f.Add(data)
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("\x00\xff: ["))
	f.Fuzz(func(t *testing.T, data []byte) {
		th, err := Parse("fuzz.yaml", data)
		if (th == nil) == (err == nil) {
			t.Fatalf("Parse returned theme %v and error %v; want exactly one", th != nil, err)
		}
		var ve *ValidationError
		if err != nil && (!errors.As(err, &ve) || len(ve.Problems) == 0) {
			t.Fatalf("err = %v, want a *ValidationError with problems", err)
		}
	})
}

// Evidence bears on the theme's criteria and focus areas, and on nothing
// else: a rule or a document id is not a line.
func TestLines(t *testing.T) {
	th, err := mustBuiltin(t).Get("domestic-abuse-2024")
	if err != nil {
		t.Fatal(err)
	}
	lines := th.Lines()
	if len(lines) != len(th.Criteria)+len(th.FocusAreas) {
		t.Fatalf("%d lines for %d criteria and %d focus areas", len(lines), len(th.Criteria), len(th.FocusAreas))
	}
	for _, id := range []string{"voice-of-the-child", "identification"} {
		if !th.HasLine(id) {
			t.Errorf("%s is not a line", id)
		}
	}
	if l, _ := th.Line("identification"); !l.FocusArea || l.Title == "" {
		t.Errorf("identification: %+v, want a focus area with its title", l)
	}
	for _, id := range []string{"", "cin-census", "notification", "Voice-of-the-child"} {
		if th.HasLine(id) {
			t.Errorf("%q is a line", id)
		}
	}
}
