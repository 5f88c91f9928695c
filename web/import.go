package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"jtai"
	"jtai/authz"
	"jtai/ingest"
	"jtai/ingest/danotify"
	"jtai/ingest/listfile"
	"jtai/web/upload"
)

// ImportStore is what the list import pages need of storage.
type ImportStore interface {
	ImportLists(ctx context.Context, inspectionID int64, files []ingest.File, opts ingest.ImportOptions) (*ingest.Result, error)
	ListImports(ctx context.Context, inspectionID int64) ([]ingest.Landed, error)
	// SaveImportProblems keeps the problems of a user's upload, sealed, for
	// the CSV download, and returns the report's key for its link.
	SaveImportProblems(ctx context.Context, inspectionID, userID int64, problems []ingest.Problem) (string, error)
	// ImportProblems returns a report's problems to their uploader,
	// actor.ActorID, logging the read; others' and expired ones are
	// ENOTFOUND.
	ImportProblems(ctx context.Context, inspectionID int64, report string, actor *jtai.AccessEntry) ([]ingest.Problem, error)
}

// Upload limits: the whole request, and the part of its files held in
// memory (the rest is spooled, sealed, and gone after the request).
const (
	maxUploadBytes  = 256 << 20
	multipartMemory = 8 << 20
	// problemsShown is the most rows of the problems table on the page;
	// the CSV download has every problem kept.
	problemsShown = 500
)

// registerImports registers the list import pages.
func (s *Server) registerImports() {
	s.handle("GET", "/inspections/{id}/lists", SignedIn, s.listsPage)
	s.handle("POST", "/inspections/{id}/lists", SignedIn, s.importLists)
	s.handle("GET", "/inspections/{id}/lists/template/{format}", SignedIn, s.notificationsTemplate)
	s.handle("GET", "/inspections/{id}/lists/problems/{report}", SignedIn, s.problemsCSV)
}

type listsView struct {
	Inspection *jtai.Inspection
	Lists      []ingest.Landed
	Result     *ingest.Result
	Report     string // the problems report's key, for the CSV link
	Problems   []ingest.Problem
	More       int // problems kept but not shown
	MaxMB      int
	Leaving    []ingest.Leaving // lists the refused import would take many children off, to confirm
}

// Count writes a number with its noun: "1 row", "2 rows".
func (listsView) Count(n int, one, many string) string {
	return commaCount(n) + " " + plural(n, one, many)
}

// Title names a list for the page.
func (listsView) Title(list string) string { return ingest.ListTitle(list) }

func (s *Server) listsView(c *Context, in *jtai.Inspection) (*listsView, error) {
	lists, err := s.cfg.Store.ListImports(c.R.Context(), in.ID)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(lists, func(i, j int) bool { return ingest.ListRank(lists[i].List) < ingest.ListRank(lists[j].List) })
	return &listsView{Inspection: in, Lists: lists, MaxMB: maxUploadBytes >> 20}, nil
}

func (s *Server) listsPage(c *Context) error {
	in, err := s.inspection(c, authz.ImportLists)
	if err != nil {
		return err
	}
	v, err := s.listsView(c, in)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "lists", &View{Title: "Children's lists", Nav: "inspections", Data: v})
}

// importLists runs the import while the request waits, then shows what
// landed or, when nothing did, the problems: a summary by rule, the table
// of problems and a CSV download of it. It works without JavaScript.
func (s *Server) importLists(c *Context) error {
	in, err := s.inspection(c, authz.ImportLists)
	if err != nil {
		return err
	}
	var uploads []*upload.File
	if c.upload != nil {
		uploads = c.upload.File["files"]
	}
	if len(uploads) == 0 {
		v, err := s.listsView(c, in)
		if err != nil {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "lists", &View{Title: "Children's lists", Nav: "inspections", Data: v,
			Errors: []jtai.FieldError{{Field: "files", Message: "Select one or more files of children's lists"}}})
	}
	files := make([]ingest.File, len(uploads))
	for i, fh := range uploads {
		files[i] = uploadedFile(fh)
	}
	replace := c.upload.Value["replace"]
	res, err := s.cfg.Store.ImportLists(c.R.Context(), in.ID, files, ingest.ImportOptions{Actor: s.actor(c), Replace: len(replace) > 0 && replace[0] == "yes"})
	leaving := len(res.Leaving) > 0 && jtai.IsKind(err, jtai.ECONFLICT)
	if err != nil && !jtai.IsKind(err, jtai.EINVALID) && !leaving {
		return err
	}
	v, verr := s.listsView(c, in)
	if verr != nil {
		return verr
	}
	v.Result = res
	view := &View{Title: "Children's lists", Nav: "inspections", Data: v}
	if leaving {
		// Nothing landed: the person confirms, and uploads the files again.
		v.Result, v.Leaving = nil, res.Leaving
		if err := s.logAccess(c, jtai.ActCreate, fmt.Sprintf("inspection/%d/lists", in.ID), "rejected: unconfirmed"); err != nil {
			return err
		}
		return s.render(c, http.StatusConflict, "lists", &View{Title: "Children's lists", Nav: "inspections", Data: v,
			Errors: []jtai.FieldError{{Field: "replace", Message: "The files take many children off the lists: confirm that the new lists are right, and select the files again"}}})
	}
	status := http.StatusOK
	if len(res.Summary.Problems) > 0 {
		if v.Report, err = s.cfg.Store.SaveImportProblems(c.R.Context(), in.ID, c.User.ID, res.Summary.Problems); err != nil {
			return err
		}
		v.Problems = res.Summary.Problems
		if len(v.Problems) > problemsShown {
			v.Problems, v.More = v.Problems[:problemsShown], len(v.Problems)-problemsShown
		}
	}
	if !res.Landed {
		status = http.StatusUnprocessableEntity
		view.Errors = byRule(res.Summary)
		if err := s.logAccess(c, jtai.ActCreate, fmt.Sprintf("inspection/%d/lists", in.ID), "rejected"); err != nil {
			return err
		}
	}
	return s.render(c, status, "lists", view)
}

// uploadedFile reads an uploaded file by its content, whatever its name.
func uploadedFile(fh *upload.File) ingest.File {
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	return ingest.File{Name: name, Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
		return listfile.Read(fh.Open(), fh.Size, name, ingest.Limits{}, emit)
	}}
}

// ruleWords say what each rule found, for the summary by rule.
var ruleWords = map[string][2]string{
	ingest.RuleFileType:       {"file of the wrong kind", "files of the wrong kind"},
	ingest.RuleFileTooLarge:   {"file too large", "files too large"},
	ingest.RuleTooManyRows:    {"list with too many rows", "lists with too many rows"},
	ingest.RuleFileBroken:     {"damaged file", "damaged files"},
	ingest.RuleXMLTooDeep:     {"XML file nested too deep", "XML files nested too deep"},
	ingest.RuleNoLists:        {"file with no list we know", "files with no list we know"},
	ingest.RuleHeaderMissing:  {"sheet without headings", "sheets without headings"},
	ingest.RuleColumnMissing:  {"required column missing", "required columns missing"},
	ingest.RuleColumnUnknown:  {"column not in the layout", "columns not in the layout"},
	ingest.RuleColumnRepeated: {"column given twice", "columns given twice"},
	ingest.RuleRequired:       {"required value left blank", "required values left blank"},
	ingest.RuleDateInvalid:    {"value that is not a date", "values that are not dates"},
	ingest.RuleCodeUnknown:    {"code not in the code list", "codes not in the code lists"},
	ingest.RuleNumberInvalid:  {"value that is not a whole number", "values that are not whole numbers"},
	ingest.RuleFormatInvalid:  {"value in the wrong format", "values in the wrong format"},
	ingest.RuleDuplicateID:    {"child listed twice", "children listed twice"},
	ingest.RuleElementUnknown: {"XML element not in the census", "XML elements not in the census"},
	ingest.RuleInconsistent:   {"value that contradicts another", "values that contradict others"},
	ingest.RulePlaceholder:    {"placeholder where a value is needed", "placeholders where values are needed"},
	ingest.RuleListEmpty:      {"file with no rows", "files with no rows"},
	ingest.RuleOtherArea:      {"census of another area", "censuses of other areas"},
	ingest.RuleCensusOld:      {"census long before the notification", "censuses long before the notification"},
	ingest.RuleCensusReplaced: {"census older than another", "censuses older than others"},
	ingest.RuleImplausible:    {"date to check", "dates to check"},
}

// byRule is the error summary of a refused import: one line per rule with
// its count, never one per row, each linking to the table of problems.
func byRule(sum *ingest.Summary) []jtai.FieldError {
	errorRules := map[string]bool{}
	for _, p := range sum.Problems {
		if p.Severity == ingest.Error {
			errorRules[p.Rule] = true
		}
	}
	rules := make([]string, 0, len(sum.ByRule))
	for r := range sum.ByRule {
		if errorRules[r] || len(errorRules) == 0 {
			rules = append(rules, r)
		}
	}
	sort.Strings(rules)
	out := []jtai.FieldError{{Field: "problems", Message: fmt.Sprintf("The files have %d %s, so nothing was imported: correct them and upload the files again", sum.Errors, plural(sum.Errors, "error", "errors"))}}
	for _, r := range rules {
		n := sum.ByRule[r]
		w, ok := ruleWords[r]
		if !ok {
			w = [2]string{r, r}
		}
		out = append(out, jtai.FieldError{Field: "problems", Message: fmt.Sprintf("%d %s", n, w[min(n-1, 1)])})
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Server) notificationsTemplate(c *Context) error {
	if _, err := s.inspection(c, authz.ImportLists); err != nil {
		return err
	}
	format := c.R.PathValue("format")
	types := map[string]string{"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
	if types[format] == "" {
		return jtai.Errorf(jtai.ENOTFOUND, "Page not found")
	}
	h := c.W.Header()
	h.Set("Content-Type", types[format])
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, danotify.SheetName, format))
	return danotify.WriteTemplate(c.W, format)
}

// problemsCSV downloads the problems of an upload the user made, as CSV.
func (s *Server) problemsCSV(c *Context) error {
	in, err := s.inspection(c, authz.ImportLists)
	if err != nil {
		return err
	}
	problems, err := s.cfg.Store.ImportProblems(c.R.Context(), in.ID, c.R.PathValue("report"), s.actor(c))
	if err != nil {
		return err
	}
	h := c.W.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="problems.csv"`)
	h.Set("Cache-Control", "no-store")
	w := csv.NewWriter(c.W)
	w.Write([]string{"File", "Sheet", "Row", "Column", "Value", "Rule", "Severity", "Message"})
	for _, p := range problems {
		row := ""
		if p.Row > 0 {
			row = strconv.Itoa(p.Row)
		}
		w.Write(cellsSafe(p.File, p.Sheet, row, p.Column, p.Value, p.Rule, string(p.Severity), p.Message))
	}
	w.Flush()
	return w.Error()
}

// cellsSafe neutralises cells a spreadsheet would run as a formula: file
// names, column headings and values come from the upload, so a cell that
// starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, which spreadsheets show as text (OWASP, "CSV Injection").
func cellsSafe(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
