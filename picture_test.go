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
	p := jtai.NewPicture([]string{"voice-of-the-child", "leadership"}, []int64{1, 2}, list)
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
		{Line: "voice-of-the-child", Agency: 2, Tally: jtai.Tally{Strengths: 1}},
		{Line: "leadership", Agency: 1, Tally: jtai.Tally{Improvements: 1}},
		{Line: "leadership", Agency: 2},
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
