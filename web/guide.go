package web

import (
	"net/http"
	"strings"

	"jtai/ingest"
	"jtai/ingest/annexa"
	"jtai/ingest/danotify"
)

// guideView is the list guide: every list jtai reads, each column with
// what jtai does with it, and the values each coded column accepts. It
// holds no personal data, so anyone may read it, before signing in too.
type guideView struct {
	Lists []ingest.ListGuide
	Codes []*ingest.CodeList // each code list once, in the order first met
}

func (s *Server) listGuide(c *Context) error {
	v := &guideView{Lists: append(annexa.Guide(), danotify.Guide())}
	seen := map[*ingest.CodeList]bool{}
	for _, l := range v.Lists {
		for _, col := range l.Columns {
			if col.Codes != nil && col.Used() && !seen[col.Codes] {
				seen[col.Codes] = true
				v.Codes = append(v.Codes, col.Codes)
			}
		}
	}
	return s.render(c, http.StatusOK, "guide_lists", &View{Title: "How jtai reads lists of children", Data: v})
}

// codesID is the id of a code list's section of the guide.
func codesID(l *ingest.CodeList) string {
	return "codes-" + strings.ReplaceAll(l.Name, " ", "-")
}

// listID is the id of a list's section of the guide.
func listID(name string) string {
	return "list-" + strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, "the ")), " ", "-")
}
