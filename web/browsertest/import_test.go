package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jtai"
)

// The coordinator uploads a broken list, reads the problems, then uploads
// the corrected list; every page passes axe.
func TestUploadLists(t *testing.T) {
	exe := chromiumPath(t)
	s := startSite(t)
	broken, fixed := list3Files(t, "BT")
	ctx := newBrowser(t, exe)
	signIn(t, ctx, s, jtai.RoleCoordinator)
	page := fmt.Sprintf("%s/inspections/%d/lists", s.url, s.demo.Inspection.ID)
	visit(t, ctx, page, "Children's lists")

	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{broken})); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "form button[type=submit]")
	// The page's script writes the result over the page: wait for it.
	summary := waitFor(t, ctx, ".govuk-error-summary", "40 values that are not dates")
	if !strings.Contains(summary, "40 values that are not dates") || strings.Count(summary, "\n") > 10 {
		t.Errorf("error summary: %q", summary)
	}
	// As on any page with errors, the focus is on the summary, so that a
	// screen reader reads it out and the keyboard starts there.
	if got := activeElement(t, ctx); !strings.Contains(got, "govuk-error-summary") {
		t.Errorf("after the upload, the focus is on %q, want the error summary", got)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(".govuk-error-summary__list a"), "href"))
	if err != nil || href.Value != "#problems" {
		t.Errorf("the summary links to %q (%v), want the table of problems", href.Value, err)
	}
	if rows := text(t, ctx, "#problems + p + table tbody"); !strings.Contains(rows, "Date of Birth") {
		t.Errorf("problems table: %.200q", rows)
	}
	axe(t, ctx, "upload with errors")

	// One row for the demo's many referrals: confirmed, then it lands.
	if leaving := uploadReplacing(t, ctx, fixed); !strings.Contains(leaving, "Annex A list 3 (referrals): ") {
		t.Errorf("children leaving list 3: %q", leaving)
	}
	if banner := waitFor(t, ctx, ".govuk-notification-banner", "1 row imported"); !strings.Contains(banner, "1 row imported") || !strings.Contains(banner, "Annex A list 3 (referrals): 1 row") {
		t.Errorf("after the corrected upload: %q", banner)
	}
	axe(t, ctx, "upload landed")

	// The page leads to the list guide, which the problems' messages name.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/guide/lists"]`)), chromedp.WaitVisible(chromedp.CSS("#codes-referral-source"))); err != nil {
		t.Fatalf("open the list guide: %v", err)
	}
	if h := text(t, ctx, "h1"); h != "How jtai reads lists of children" {
		t.Errorf("list guide heading %q", h)
	}
	if row := text(t, ctx, "#list-list-3 + p + table, #list-list-3 + table"); !strings.Contains(row, "Referral Source") {
		t.Errorf("the guide's List 3: %.300q", row)
	}
	axe(t, ctx, "list guide")
}

// activeElement is the class of the element that has the focus, waiting
// up to two seconds for the focus to leave the page's body.
func activeElement(t *testing.T, ctx context.Context) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.className || document.activeElement.tagName : ""`)); err != nil {
			t.Fatal(err)
		}
		if got != "BODY" && got != "" {
			break
		}
	}
	return got
}

// list3Files writes Annex A list 3 twice, as CSV: broken, with 40 dates
// that do not exist, and fixed, with one good row. Children's ids start
// with prefix.
// daNotificationsHead is the header row of the police's domestic-abuse
// notifications.
const daNotificationsHead = "Child Unique ID,Date of Birth,Expected Date of Birth,Gender,Police Reference,Date of Incident,Child Present (Y/N),Child's Relationship to Victim,Child's Relationship to Perpetrator,Victim and Perpetrator Personally Connected (Y/N),Risk Level (Standard/Medium/High),Notified to Children's Social Care,Notified to School or Early Years (Operation Encompass),MARAC Case (Y/N),MARAC Date,\"Abuse Type (child-to-parent, teenage relationship, adult)\"\n"

func list3Files(t *testing.T, prefix string) (broken, fixed string) {
	t.Helper()
	dir := t.TempDir()
	head := "Child Unique ID,Gender,Ethnicity,Date of Birth,Age,Date of Referral,Referral Source\n"
	var bad strings.Builder
	bad.WriteString(head)
	for i := range 40 {
		fmt.Fprintf(&bad, "%s%03d,Female,WBRI,30/02/2021,4,03/01/2026,6\n", prefix, i)
	}
	broken = filepath.Join(dir, "broken", "List 3.csv")
	fixed = filepath.Join(dir, "fixed", "List 3.csv")
	for p, body := range map[string]string{broken: bad.String(), fixed: head + prefix + "001,Female,WBRI,28/02/2021,4,03/01/2026,6\n"} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return broken, fixed
}
