package store_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jtai"
	"jtai/ingest"
	"jtai/ingest/listfile"
	"jtai/store/storetest"
	"jtai/synth"
)

// BenchmarkImport100k imports about 100,000 children's rows, parse,
// validate, seal and store, from an Annex A workbook laid out the way
// Excel saves one (text in a shared-strings table, dates as numbers with
// a date format), into SQLite and, with JTAI_TEST_POSTGRES, PostgreSQL. It
// also times a bare excelize Rows() read of the same file with default
// options, and reports the ratio.
func BenchmarkImport100k(b *testing.B) {
	a := synth.NewArea(synth.AreaOptions{Children: 33_000, Seed: 1})
	var buf bytes.Buffer
	rows, err := a.WriteAnnexA(&buf, synth.StyleOfficial)
	if err != nil {
		b.Fatal(err)
	}
	data := sharedStrings(b, buf.Bytes())
	bare := bareExcelizeRead(b, data)
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect, storetest.MasterKey(b))
			in := &jtai.Inspection{AreaID: 0, ThemeID: "domestic-abuse-2024", NotifiedOn: jtai.NewDate(2026, 3, 2)}
			area := &jtai.Area{Name: "Benchshire", LACode: "990"}
			if err := db.CreateArea(ctx, area); err != nil {
				b.Fatal(err)
			}
			in.AreaID = area.ID
			if err := db.CreateInspection(ctx, in); err != nil {
				b.Fatal(err)
			}
			file := ingest.File{Name: "annex-a.xlsx", Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
				return listfile.Read(bytes.NewReader(data), int64(len(data)), "annex-a.xlsx", ingest.Limits{}, emit)
			}}
			var peak uint64
			stop := sampleHeap(&peak)
			b.ResetTimer()
			for b.Loop() {
				res, err := db.ImportLists(ctx, in.ID, []ingest.File{file}, ingest.ImportOptions{})
				if err != nil || res.Rows != rows {
					b.Fatalf("%v: %d of %d rows", err, res.Rows, rows)
				}
			}
			b.StopTimer()
			stop()
			per := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(rows)/per.Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(bare.Seconds()/per.Seconds(), "x-bare-excelize")
			b.Logf("%s: %d rows in %v (%.0f rows/s); bare excelize Rows() read of the same %.1f MB file: %v; ratio %.2fx; peak heap %.0f MiB",
				dialect, rows, per.Round(time.Millisecond), float64(rows)/per.Seconds(), float64(len(data))/1e6, bare.Round(time.Millisecond), bare.Seconds()/per.Seconds(), float64(peak)/(1<<20))
		})
	}
}

// bareExcelizeRead times reading every row of every sheet with excelize's
// defaults, doing nothing with the cells.
func bareExcelizeRead(b *testing.B, data []byte) time.Duration {
	start := time.Now()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, s := range f.GetSheetList() {
		rows, err := f.Rows(s)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
	}
	return time.Since(start)
}

// sampleHeap records the largest heap in use until the returned stop is
// called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}

var inlineCell = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>`)

// sharedStrings rewrites a workbook written with inline strings into the
// layout Excel and LibreOffice save: every text cell a reference into
// xl/sharedStrings.xml.
func sharedStrings(b *testing.B, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	index := map[string]int{}
	var table []string
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		part, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case strings.HasPrefix(f.Name, "xl/worksheets/"):
			part = inlineCell.ReplaceAllFunc(part, func(m []byte) []byte {
				g := inlineCell.FindSubmatch(m)
				i, ok := index[string(g[3])]
				if !ok {
					i = len(table)
					index[string(g[3])] = i
					table = append(table, string(g[3]))
				}
				return fmt.Appendf(nil, `<c r="%s"%s t="s"><v>%d</v></c>`, g[1], g[2], i)
			})
		case f.Name == "[Content_Types].xml":
			part = bytes.Replace(part, []byte("</Types>"), []byte(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`), 1)
		case f.Name == "xl/_rels/workbook.xml.rels":
			part = bytes.Replace(part, []byte("</Relationships>"), []byte(`<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>`), 1)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			b.Fatal(err)
		}
		w.Write(part)
	}
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(table), len(table))
	for _, s := range table {
		fmt.Fprintf(w, "<si><t>%s</t></si>", s)
	}
	io.WriteString(w, "</sst>")
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if len(table) == 0 {
		b.Fatal("no inline strings found to share")
	}
	return out.Bytes()
}
