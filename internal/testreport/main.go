// Command testreport reads `go test -json` on standard input, prints the
// output of failed tests, counts the suites (SQLite, PostgreSQL, browser)
// and ends with the line "N passed, N failed, N skipped". Under CI=true a
// PostgreSQL or browser suite that did not run, or skipped, fails the run:
// a green run that skipped a required suite is not green.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type counts struct{ pass, fail, skip int }

func suite(e event) string {
	switch {
	case strings.HasSuffix(e.Package, "/browsertest"):
		return "browser"
	case strings.Contains("/"+e.Test+"/", "/postgres/"):
		return "postgres"
	case strings.Contains("/"+e.Test+"/", "/sqlite/"):
		return "sqlite"
	}
	return "other"
}

func main() {
	outputs := map[string][]string{}
	suites := map[string]*counts{"sqlite": {}, "postgres": {}, "browser": {}, "other": {}}
	var total counts
	var failedBuild []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // compiler output and the like
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			outputs[key] = append(outputs[key], e.Output)
		case "build-output":
			fmt.Print(e.Output)
		case "build-fail":
			failedBuild = append(failedBuild, e.Package)
		case "pass", "fail", "skip":
			if e.Test == "" {
				if e.Action == "fail" {
					fmt.Printf("FAIL %s\n%s", e.Package, strings.Join(outputs[key], ""))
				}
				continue
			}
			c := suites[suite(e)]
			switch e.Action {
			case "pass":
				c.pass++
				total.pass++
			case "fail":
				c.fail++
				total.fail++
				fmt.Printf("--- FAIL %s %s\n%s", e.Package, e.Test, strings.Join(outputs[key], ""))
			case "skip":
				c.skip++
				total.skip++
				if e.Package != "" && suite(e) != "other" {
					fmt.Printf("--- SKIP %s %s: %s", e.Package, e.Test, lastLine(outputs[key]))
				}
			}
			delete(outputs, key)
		}
	}
	names := []string{"sqlite", "postgres", "browser", "other"}
	fmt.Println("\nSuites:")
	for _, n := range names {
		c := suites[n]
		fmt.Printf("  %-9s %d passed, %d failed, %d skipped\n", n+":", c.pass, c.fail, c.skip)
	}
	bad := total.fail > 0 || len(failedBuild) > 0
	if len(failedBuild) > 0 {
		fmt.Printf("build failed: %s\n", strings.Join(failedBuild, ", "))
	}
	if os.Getenv("CI") == "true" {
		for _, n := range []string{"postgres", "browser"} {
			if c := suites[n]; c.pass == 0 || c.skip > 0 {
				fmt.Printf("CI=true: the %s suite is required, but %d passed and %d skipped\n", n, c.pass, c.skip)
				bad = true
			}
		}
	}
	fmt.Printf("%d passed, %d failed, %d skipped\n", total.pass, total.fail, total.skip)
	if bad {
		os.Exit(1)
	}
}

func lastLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(lines[i]); s != "" && !strings.HasPrefix(s, "---") {
			return s + "\n"
		}
	}
	return "\n"
}
