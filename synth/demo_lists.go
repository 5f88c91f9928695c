package synth

import (
	"bytes"
	"context"
	"fmt"

	"jtai"
	"jtai/ingest"
	"jtai/ingest/listfile"
)

// DemoLists is what the demo needs to import its lists.
type DemoLists interface {
	ImportLists(ctx context.Context, inspectionID int64, files []ingest.File, opts ingest.ImportOptions) (*ingest.Result, error)
}

// importDemoLists writes an invented area's lists as the partnership would
// send them (the Annex A workbook, the CIN census and the domestic-abuse
// notifications) and imports them through the importer, as the
// coordinator: the demo's children arrive the way real ones do, known by
// the local authority's identifiers (the official layouts carry no names),
// and its lists page and task list show the lists as sent.
func importDemoLists(ctx context.Context, st DemoLists, d *Demo, children int, asOf jtai.Date) error {
	a := NewArea(AreaOptions{Children: children, Seed: uint64(d.Inspection.ID), AsOf: asOf, LACode: d.Area.LACode})
	var files []ingest.File
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) (int, error)
	}{
		{"Annex A.xlsx", func(b *bytes.Buffer) (int, error) { return a.WriteAnnexA(b, StyleOfficial) }},
		{"CIN census.xml", func(b *bytes.Buffer) (int, error) { return a.WriteCIN(b) }},
		{"Domestic abuse notifications.csv", func(b *bytes.Buffer) (int, error) { return a.WriteDA(b, "csv") }},
	} {
		var b bytes.Buffer
		if _, err := f.write(&b); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
		data, name := b.Bytes(), f.name
		files = append(files, ingest.File{Name: name, Read: func(emit func(ingest.Record) error) (*ingest.Summary, error) {
			return listfile.Read(bytes.NewReader(data), int64(len(data)), name, ingest.Limits{}, emit)
		}})
	}
	coordinator := d.User(jtai.RoleCoordinator)
	res, err := st.ImportLists(ctx, d.Inspection.ID, files, ingest.ImportOptions{Actor: &jtai.AccessEntry{ActorID: coordinator.ID, Actor: coordinator.Email, ActorName: coordinator.Name}})
	if err != nil {
		return err
	}
	if !res.Landed {
		return fmt.Errorf("the demo's own lists were refused with %d errors", res.Summary.Errors)
	}
	return nil
}
