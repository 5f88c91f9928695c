// Package danotify reads jtai's own layout for the police domestic-abuse
// notifications and MARAC cases that the domestic-abuse theme needs (no
// national template exists): a sheet named "Domestic abuse notifications"
// in a workbook, or a CSV file, one row per child per incident. It checks
// values as the Annex A reader does and hands each row to a callback as an
// ingest.Record; WriteTemplate writes the blank layout for download.
//
// It never writes to a database and never logs; a personal value appears
// in a problem only masked.
package danotify

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"jtai/ingest"
	t "jtai/ingest/internal/table"
)

// SheetName is the name of the layout's sheet, and of its CSV file.
const SheetName = "Domestic abuse notifications"

var layout = &t.Layout{List: ingest.ListDANotifications, Name: "the domestic abuse notifications", Title: SheetName, Columns: []t.Column{
	{Name: "Child Unique ID", Aliases: []string{"Child ID", "LA Child ID", "Child Identifier"}, Field: t.FieldChildID, Required: true, NotBlank: true},
	{Name: "Date of Birth", Aliases: []string{"DOB"}, Field: t.FieldDateOfBirth, Required: true},
	{Name: "Expected Date of Birth", Aliases: []string{"EDD", "Expected DOB"}, Field: t.FieldExpectedDateOfBirth},
	{Name: "Gender", Aliases: []string{"Sex"}, Field: t.FieldGender},
	{Name: "Police Reference", Aliases: []string{"Police Ref", "Incident Reference", "Crime Reference", "Occurrence Number"}, Field: t.FieldPoliceReference},
	{Name: "Date of Incident", Aliases: []string{"Incident Date"}, Field: t.FieldIncidentDate, Required: true, NotBlank: true},
	{Name: "Child Present (Y/N)", Aliases: []string{"Child Present", "Children Present"}, Field: t.FieldChildPresent},
	{Name: "Child's Relationship to Victim", Aliases: []string{"Relationship to Victim"}, Field: t.FieldRelationshipVictim},
	{Name: "Child's Relationship to Perpetrator", Aliases: []string{"Relationship to Perpetrator"}, Field: t.FieldRelationshipAbuser},
	{Name: "Victim and Perpetrator Personally Connected (Y/N)", Aliases: []string{"Personally Connected"}, Field: t.FieldPersonallyConnected},
	{Name: "Risk Level (Standard/Medium/High)", Aliases: []string{"Risk Level", "DASH Risk Level", "Risk"}, Field: t.FieldRiskLevel},
	{Name: "Notified to Children's Social Care", Aliases: []string{"Notified to CSC", "Date Notified to Children's Social Care"}, Field: t.FieldNotifiedCSC},
	{Name: "Notified to School or Early Years (Operation Encompass)", Aliases: []string{"Notified to School", "Operation Encompass"}, Field: t.FieldNotifiedSchool},
	{Name: "MARAC Case (Y/N)", Aliases: []string{"MARAC Case", "MARAC"}, Field: t.FieldMARACCase},
	{Name: "MARAC Date", Aliases: []string{"Date of MARAC"}, Field: t.FieldMARACDate},
	{Name: "Abuse Type (child-to-parent, teenage relationship, adult)", Aliases: []string{"Abuse Type", "Type of Abuse"}, Field: t.FieldAbuseType},
	{Name: "First Name", Aliases: []string{"Forename"}, Field: t.FieldFirstName},
	{Name: "Last Name", Aliases: []string{"Surname"}, Field: t.FieldLastName},
	{Name: "Postcode", Aliases: []string{"Post Code"}, Field: t.FieldPostcode},
}}

// templateColumns is how many of the layout's columns the template has: the
// optional name and postcode columns are accepted but not offered.
const templateColumns = 16

// Headings returns the layout's headings in order, as the template has them.
func Headings() []string {
	hs := make([]string, templateColumns)
	for i, c := range layout.Columns[:templateColumns] {
		hs[i] = c.Name
	}
	return hs
}

// Options adjust a read. The zero value uses the default limits.
type Options struct {
	Limits ingest.Limits
}

// IsSheet reports whether a workbook sheet's name is the layout's:
// "Domestic abuse notifications" in any case and spacing, or a name
// starting "Domestic abuse" ("DA notifications 2024" does not count).
func IsSheet(name string) bool {
	k := t.Key(name)
	return strings.HasPrefix(k, "domesticabuse") || k == "danotifications"
}

// ReadWorkbook reads the notifications sheet of the workbook held in the
// size bytes of r; a workbook of one sheet is read whatever its name.
func ReadWorkbook(r io.ReaderAt, size int64, name string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	lim := opts.Limits.OrDefault()
	sum := ingest.NewSummary(lim.MaxProblems)
	src := ingest.Source{File: name}
	wb, err := t.OpenWorkbook(r, size, src, lim)
	if err != nil {
		return sum, err
	}
	defer wb.Close()
	sheets := wb.Sheets()
	for _, s := range sheets {
		if IsSheet(s) || len(sheets) == 1 {
			return sum, t.ReadSheet(wb, s, layout, src, lim, sum, emit)
		}
	}
	sum.Add(ingest.Problem{Source: src, Rule: ingest.RuleNoLists, Severity: ingest.Error,
		Message: fmt.Sprintf("No sheet of this workbook is named '%s'", SheetName)})
	return sum, nil
}

// ReadCSV reads the notifications from a CSV file; name is the file's name
// for messages. Encodings are as for the Annex A lists.
func ReadCSV(r io.Reader, name string, opts Options, emit func(ingest.Record) error) (*ingest.Summary, error) {
	lim := opts.Limits.OrDefault()
	sum := ingest.NewSummary(lim.MaxProblems)
	err := t.ReadCSV(r, ingest.Source{File: name}, lim, sum, emit, func([][]string) *t.Layout { return layout }, "")
	return sum, err
}

// WriteTemplate writes a blank notifications template, the headings and no
// rows, as "xlsx" (a workbook with the one sheet) or "csv".
func WriteTemplate(w io.Writer, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(Headings())
		cw.Flush()
		return cw.Error()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		if err := f.SetSheetName("Sheet1", SheetName); err != nil {
			return err
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return err
		}
		hs := Headings()
		row := make([]any, len(hs))
		for i, h := range hs {
			row[i] = h
		}
		if err := f.SetSheetRow(SheetName, "A1", &row); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(hs), 1)
		if err := f.SetCellStyle(SheetName, "A1", last, bold); err != nil {
			return err
		}
		if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		return f.Write(w)
	}
	return fmt.Errorf("template format %q: want xlsx or csv", format)
}

// Guide is the layout as the list guide shows it.
func Guide() ingest.ListGuide { return layout.Guide() }
