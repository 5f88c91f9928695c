package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"jtai"
)

func (m *Main) area(ctx context.Context, args []string) error {
	return m.sub(ctx, "area", args, map[string]func(context.Context, []string) error{
		"add":  m.areaAdd,
		"list": m.areaList,
	})
}

func (m *Main) areaAdd(ctx context.Context, args []string) error {
	fs := m.flags("area add", "Adds a local area (a local authority and its partnership).")
	var f dbFlags
	a := &jtai.Area{}
	fs.StringVar(&a.Name, "name", "", "the area's name")
	fs.StringVar(&a.LACode, "la-code", "", "the DfE local authority code, three digits (e.g. 380)")
	fs.StringVar(&a.ONSCode, "ons-code", "", "the ONS code (e.g. E08000032)")
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateArea(ctx, a); err != nil {
		return err
	}
	if f.json {
		return m.printJSON(a)
	}
	fmt.Fprintf(m.Stdout, "Added %s (LA code %s) as area %d.\n", a.Name, a.LACode, a.ID)
	return nil
}

func (m *Main) areaList(ctx context.Context, args []string) error {
	fs := m.flags("area list", "Lists the local areas.")
	var f dbFlags
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := m.open(ctx, &f, true)
	if err != nil {
		return err
	}
	defer db.Close()
	areas, err := db.ListAreas(ctx)
	if err != nil {
		return err
	}
	if f.json {
		if areas == nil {
			areas = []*jtai.Area{}
		}
		return m.printJSON(areas)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLA CODE\tONS CODE\tNAME")
	for _, a := range areas {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", a.ID, a.LACode, a.ONSCode, a.Name)
	}
	return tw.Flush()
}
