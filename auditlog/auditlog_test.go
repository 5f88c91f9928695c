package auditlog

import (
	"errors"
	"testing"
	"time"

	"jtai"
)

var key = []byte("test chain key")

func chain(n int) []*jtai.AccessEntry {
	var out []*jtai.AccessEntry
	var seq int64
	prev := ""
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		e := &jtai.AccessEntry{Time: t0.Add(time.Duration(i) * time.Minute), ActorID: 2, Actor: "lead@example.org", Action: jtai.ActView, Resource: "inspection/1", Outcome: "ok"}
		Link(key, e, seq, prev)
		seq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []*jtai.AccessEntry, headSeq int64, headHash string) error {
	v := Verifier{Key: key}
	for _, e := range es {
		if err := v.Check(e); err != nil {
			return err
		}
	}
	return v.Finish(headSeq, headHash)
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]*jtai.AccessEntry) []*jtai.AccessEntry
		wantSeq int64 // 0: the chain is good
	}{
		{"untouched", func(es []*jtai.AccessEntry) []*jtai.AccessEntry { return es }, 0},
		{"edited", func(es []*jtai.AccessEntry) []*jtai.AccessEntry { es[3].Resource = "inspection/2"; return es }, 4},
		{"deleted", func(es []*jtai.AccessEntry) []*jtai.AccessEntry { return append(es[:2], es[3:]...) }, 3},
		{"reordered", func(es []*jtai.AccessEntry) []*jtai.AccessEntry {
			es[2].Seq, es[3].Seq = es[3].Seq, es[2].Seq
			es[2], es[3] = es[3], es[2]
			return es
		}, 3},
		{"deleted last", func(es []*jtai.AccessEntry) []*jtai.AccessEntry { return es[:len(es)-1] }, 6},
		{"inserted and rehashed", func(es []*jtai.AccessEntry) []*jtai.AccessEntry {
			x := *es[1]
			x.Resource = "inspection/9"
			x.Hash = Hash(key, &x)
			return append(es[:2], append([]*jtai.AccessEntry{&x}, es[2:]...)...)
		}, 2},
		{"edited and the whole tail rehashed without the key", func(es []*jtai.AccessEntry) []*jtai.AccessEntry {
			forged := []byte("a guess at the key")
			es[2].Resource = "inspection/9"
			for i := 2; i < len(es); i++ {
				es[i].PrevHash = es[i-1].Hash
				es[i].Hash = Hash(forged, es[i])
			}
			return es
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := chain(6)
			head := es[len(es)-1]
			err := verify(tt.tamper(es), head.Seq, head.Hash)
			var be *BrokenError
			switch {
			case tt.wantSeq == 0 && err != nil:
				t.Fatalf("good chain: %v", err)
			case tt.wantSeq != 0 && !errors.As(err, &be):
				t.Fatalf("err = %v, want a BrokenError", err)
			case tt.wantSeq != 0 && be.Seq != tt.wantSeq:
				t.Errorf("broken at %d (%v), want %d", be.Seq, err, tt.wantSeq)
			}
		})
	}
}
