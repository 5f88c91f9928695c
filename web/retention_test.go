package web_test

import (
	"fmt"
	"testing"
	"time"

	"jtai"
)

// An inspection whose personal data retention erased says so on its page,
// and its children's records cannot be opened.
func TestErasedInspectionSaysSo(t *testing.T) {
	e := newEnv(t, "sqlite")
	id := e.demo.Inspection.ID
	long := time.Now().AddDate(-1, 0, 0).UnixMicro()
	for _, q := range []string{
		fmt.Sprintf(`UPDATE inspections SET status = 'closed' WHERE id = %d`, id),
		fmt.Sprintf(`INSERT INTO inspection_transitions (inspection_id, from_status, to_status, actor, at) VALUES (%d, 'published', 'closed', 'lead', %d)`, id, long),
		fmt.Sprintf(`INSERT INTO retention (inspection_id, warned_at) VALUES (%d, %d)`, id, long),
	} {
		if _, err := e.db.RawExec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	lead := e.as(t, jtai.RoleLeadInspector)
	page := fmt.Sprintf("/inspections/%d", id)
	_, before := lead.get(page)
	mustNotContain(t, before, `id="erased"`)
	rep, err := e.db.RunRetention(ctx, 6, false, &jtai.AccessEntry{Actor: "console:test"})
	if err != nil || len(rep.Erased) != 1 {
		t.Fatalf("retention: %+v %v", rep, err)
	}
	code, body := lead.get(page)
	if code != 200 {
		t.Fatalf("the inspection page after erasure: %d", code)
	}
	mustContain(t, body, `id="erased"`)
	mustContain(t, body, "was erased on "+time.Now().UTC().Format("2 January 2006"))
	if code, _ := lead.get(page + "/children"); code == 200 {
		t.Error("the children's list opens after the erasure")
	}
}
