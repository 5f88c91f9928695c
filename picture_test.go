package jtai_test

import (
	"testing"

	"jtai"
)

func TestPicture(t *testing.T) {
	ev := func(p jtai.Polarity, agencies []int64, lines ...string) *jtai.Evidence {
		return &jtai.Evidence{Polarity: p, AgencyIDs: agencies, Criteria: lines}
	}
	list := []*jtai.Evidence{
		ev(jtai.Strength, []int64{1, 2}, "voice-of-the-child"),
		ev(jtai.Improvement, []int64{1}, "voice-of-the-child", "leadership"),
		ev(jtai.Context, []int64{1}, "voice-of-the-child"),
		ev(jtai.Strength, []int64{9}, "voice-of-the-child"), // an agency not in the picture
		ev(jtai.Strength, []int64{1}, "not-a-line"),
	}
	p := jtai.NewPicture([]string{"voice-of-the-child", "leadership"}, []string{"1", "2"}, list, jtai.ByAgency)
	if got := p.Cells[0][0]; got != (jtai.Tally{Strengths: 1, Improvements: 1, Context: 1}) {
		t.Errorf("voice of the child, agency 1: %+v", got)
	}
	if got := p.Cells[0][1]; got != (jtai.Tally{Strengths: 1}) {
		t.Errorf("voice of the child, agency 2: %+v", got)
	}
	if got := p.Cells[1][1]; got.Total() != 0 {
		t.Errorf("leadership, agency 2: %+v", got)
	}
	thin := p.Thin()
	want := []jtai.ThinCell{
		{Line: "voice-of-the-child", Column: "2", Tally: jtai.Tally{Strengths: 1}},
		{Line: "leadership", Column: "1", Tally: jtai.Tally{Improvements: 1}},
		{Line: "leadership", Column: "2"},
	}
	if len(thin) != len(want) {
		t.Fatalf("thin cells: %+v, want %+v", thin, want)
	}
	for i := range want {
		if thin[i] != want[i] {
			t.Errorf("thin cell %d: %+v, want %+v", i, thin[i], want[i])
		}
	}
	if p.Records != 5 {
		t.Errorf("records: %d", p.Records)
	}
}

// The same records, by inspectorate and by child: a record counts in its
// inspector's inspectorate, and in its child's column if it has one.
func TestPictureByInspectorateAndChild(t *testing.T) {
	list := []*jtai.Evidence{
		{Polarity: jtai.Strength, Inspectorate: jtai.Ofsted, ChildID: 7, Criteria: []string{"voice-of-the-child"}},
		{Polarity: jtai.Context, Inspectorate: jtai.CQC, Criteria: []string{"voice-of-the-child"}},
	}
	lines := []string{"voice-of-the-child"}
	by := jtai.NewPicture(lines, []string{string(jtai.Ofsted), string(jtai.CQC), string(jtai.HMIP)}, list, jtai.ByInspectorate)
	if got := by.Cells[0]; got[0] != (jtai.Tally{Strengths: 1}) || got[1] != (jtai.Tally{Context: 1}) || got[2].Total() != 0 {
		t.Errorf("by inspectorate: %+v", got)
	}
	child := jtai.NewPicture(lines, []string{"7", "8"}, list, jtai.ByChild)
	if got := child.Cells[0]; got[0] != (jtai.Tally{Strengths: 1}) || got[1].Total() != 0 {
		t.Errorf("by child: %+v", got)
	}
}
