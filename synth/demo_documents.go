package synth

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"jtai"
	"jtai/theme"
)

// demoDocument is one strategic document the demo partnership has sent.
// Each is about the invented area only: policy text and counts, no people.
type demoDocument struct {
	item   string    // the theme's document id
	agency int       // index into the agencies
	by     jtai.Role // the demo account named as uploading it
	name   string
	write  func(g *Generator, title string) []byte
}

// demoDocuments are sent in this order, so that a later entry for the same
// agency and item is a newer version of it. Several of the theme's items are
// left for the demo's users to send.
var demoDocuments = []demoDocument{
	{"safeguarding-arrangements", 0, jtai.RoleCoordinator, "Eastmere safeguarding arrangements 2025.pdf", func(_ *Generator, title string) []byte {
		return documentPDF(title, "Eastmere Council children's social care", []string{
			"The three safeguarding partners (the council, the police and the integrated",
			"care board) share the lead for the partnership's work equally.",
			"Relevant agencies: schools, early years settings, the probation delivery",
			"unit and the domestic abuse service commissioned by the council.",
			"Independent scrutiny: a scrutineer reports to the partners twice a year.",
		})
	}},
	{"domestic-abuse-strategy", 0, jtai.RoleCoordinator, "Domestic abuse strategy (draft).pdf", func(_ *Generator, title string) []byte {
		return documentPDF(title+" (draft)", "Eastmere Council children's social care", []string{
			"Draft for consultation with the partnership board.",
			"Priority 1: see the child - every assessment hears from the child.",
			"Priority 2: safe accommodation for families who leave home.",
		})
	}},
	{"domestic-abuse-strategy", 0, jtai.RoleCoordinator, "Domestic abuse strategy 2025-2028.pdf", func(_ *Generator, title string) []byte {
		return documentPDF(title, "Eastmere Council children's social care", []string{
			"Agreed by the partnership board.",
			"Priority 1: see the child - every assessment hears from the child.",
			"Priority 2: safe accommodation for families who leave home.",
			"Priority 3: earlier help for unborn babies and children under 8.",
			"Priority 4: hold those who harm to account, with probation and police.",
			"The needs assessment this rests on is in the appendix.",
		})
	}},
	{"performance-data", 1, jtai.RoleAgencyAuditor, "Eastmere Police domestic abuse data.csv", performanceCSV},
	{"performance-data", 2, jtai.RoleCoordinator, "ICB routine enquiry data.csv", performanceCSV},
	{"self-evaluation", 0, jtai.RoleCoordinator, "Partnership self-evaluation.txt", func(_ *Generator, title string) []byte {
		return []byte(demoNotice + "\n\n" + title + "\nEastmere partnership\n\n" +
			"What we know works: joint screening of police notifications each morning.\n" +
			"What we are less sure of: how often health visitors ask about abuse.\n" +
			"What we will do next: audit 20 cases of children under 2 by the autumn.\n")
	}},
	{"notification-arrangements", 1, jtai.RoleAgencyAuditor, "Operation Encompass arrangements.txt", func(_ *Generator, title string) []byte {
		return []byte(demoNotice + "\n\n" + title + "\nEastmere Police\n\n" +
			"Notifications reach the school's designated safeguarding lead before 9am\n" +
			"on the next school day, and early years settings the same day.\n")
	}},
}

// demoNotice opens every demo document.
const demoNotice = "SYNTHETIC DEMO DOCUMENT: an invented area; no real person, place or service."

// SeedDemoDocuments sends the demo partnership's strategic documents for
// the theme's items, as the documents page would: each checked by content
// and stored sealed through st. It returns how many versions it stored:
// none when the inspection already has documents, so that running the demo
// again adds nothing.
func SeedDemoDocuments(ctx context.Context, st jtai.DocumentService, d *Demo, items []theme.Document, actor *jtai.AccessEntry) (int, error) {
	have, err := st.ListDocuments(ctx, d.Inspection.ID)
	if err != nil || len(have) > 0 {
		return 0, err
	}
	titles := map[string]string{}
	for _, it := range items {
		titles[it.ID] = it.Title
	}
	g := New(uint64(d.Inspection.ID))
	n := 0
	for _, doc := range demoDocuments {
		title, ok := titles[doc.item]
		if !ok || doc.agency >= len(d.Agencies) {
			continue
		}
		content := doc.write(g, title)
		kind, err := jtai.SniffDocument(doc.name, content)
		if err != nil {
			return n, fmt.Errorf("demo document %s: %w", doc.name, err)
		}
		v := &jtai.Document{InspectionID: d.Inspection.ID, AgencyID: d.Agencies[doc.agency].ID, Item: doc.item, Name: doc.name, Kind: kind,
			UploadedBy: d.User(doc.by).Name}
		if err := st.AddDocumentVersion(ctx, v, content, actor); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// performanceCSV is two years of invented quarterly counts.
func performanceCSV(g *Generator, title string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# %s\n", demoNotice, title)
	b.WriteString("quarter,notifications_with_children,referrals_to_social_care,marac_cases,children_in_marac_households\n")
	for year := 2023; year <= 2024; year++ {
		for q := 1; q <= 4; q++ {
			notified := 300 + g.Intn(120)
			referred := notified/3 + g.Intn(20)
			marac := 40 + g.Intn(25)
			fmt.Fprintf(&b, "%d-Q%d,%d,%d,%d,%d\n", year, q, notified, referred, marac, marac+marac/2+g.Intn(15))
		}
	}
	return []byte(b.String())
}

// documentPDF writes a one-page PDF: the notice, a title, who it is from
// and lines of text, in a standard font, with a correct cross-reference
// table so that any reader opens it.
func documentPDF(title, from string, lines []string) []byte {
	var text bytes.Buffer
	text.WriteString("BT /F1 10 Tf 56 800 Td (" + pdfString(demoNotice) + ") Tj ET\n")
	text.WriteString("BT /F1 18 Tf 56 760 Td (" + pdfString(title) + ") Tj ET\n")
	text.WriteString("BT /F1 12 Tf 56 736 Td (" + pdfString(from) + ") Tj ET\n")
	text.WriteString("BT /F1 11 Tf 16 TL 56 700 Td\n")
	for _, l := range lines {
		text.WriteString("(" + pdfString(l) + ") Tj T*\n")
	}
	text.WriteString("ET\n")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", text.Len(), text.String()),
		"<< /Title (" + pdfString(title) + ") /Producer (jtai demo) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, len(objects), xref)
	return b.Bytes()
}

// pdfString escapes text for a PDF string literal, keeping it to printable
// ASCII, which the standard fonts all show.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\u2019' || r == '\u2018':
			b.WriteByte('\'')
		case r < 0x20 || r > 0x7e:
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
