package table

import (
	"bufio"
	"errors"
	"io"

	"jtai/ingest"
)

// ReadSheet reads one sheet of wb as a list of the given layout, adding its
// row count to the summary. A damaged sheet is a *ingest.RejectError.
func ReadSheet(wb *Workbook, sheet string, layout *Layout, src ingest.Source, lim ingest.Limits, sum *ingest.Summary, emit func(ingest.Record) error) (err error) {
	src.Sheet = sheet
	// The xlsx library may panic on a damaged part; the file is then refused.
	defer func() {
		if p := recover(); p != nil {
			err = ingest.Reject(src, ingest.RuleFileBroken, "sheet '%s' is damaged and cannot be read; save the workbook again in Excel", sheet)
		}
	}()
	rows, err := wb.Rows(sheet)
	if err != nil {
		return ingest.Reject(src, ingest.RuleFileBroken, "sheet '%s' is damaged and cannot be read; save the workbook again in Excel", sheet)
	}
	defer rows.Close()
	rd := Reader{Layout: layout, Src: src, Limits: lim, Date1904: wb.Date1904, Summary: sum, Emit: emit}
	n, err := rd.Read(rows)
	sum.Lists = append(sum.Lists, ingest.ListCount{List: layout.List, File: src.File, Sheet: sheet, Rows: n})
	if err != nil && rows.Err() != nil {
		return ingest.Reject(src, ingest.RuleFileBroken, "sheet '%s' is damaged after row %d and cannot be read; save the workbook again in Excel", sheet, n)
	}
	return err
}

// ReadCSV reads a CSV file as one list. pick chooses the layout from the
// file's top rows (HeaderRows of them); when it returns nil, unknown is
// added to the summary as an error and nothing is read.
func ReadCSV(r io.Reader, src ingest.Source, lim ingest.Limits, sum *ingest.Summary, emit func(ingest.Record) error, pick func(top [][]string) *Layout, unknown string) error {
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	if err := ingest.CheckText(head, src); err != nil {
		return err
	}
	rp, top := Peek(NewCSVRows(br, lim), HeaderRows)
	if err := rp.Err(); err != nil {
		return csvError(src, lim, err)
	}
	layout := pick(top)
	if layout == nil {
		sum.Add(ingest.Problem{Source: src, Rule: ingest.RuleNoLists, Severity: ingest.Error, Message: unknown})
		return nil
	}
	rd := Reader{Layout: layout, Src: src, Limits: lim, Summary: sum, Emit: emit}
	n, err := rd.Read(rp)
	sum.Lists = append(sum.Lists, ingest.ListCount{List: layout.List, File: src.File, Rows: n})
	if err != nil && rp.Err() != nil {
		return csvError(src, lim, err)
	}
	return err
}

func csvError(src ingest.Source, lim ingest.Limits, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return ingest.Reject(src, ingest.RuleFileTooLarge, "the file is larger than %s, the largest accepted", ingest.Bytes(lim.MaxFileSize))
	}
	return ingest.Reject(src, ingest.RuleFileBroken, "the file cannot be read to the end")
}
