package main

import (
	"context"
	"fmt"

	"jtai"
	"jtai/store"
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
	return list(m, ctx, args, "area list", "Lists the local areas.",
		func(ctx context.Context, db *store.DB) ([]*jtai.Area, error) { return db.ListAreas(ctx) },
		"ID\tLA CODE\tONS CODE\tNAME",
		func(a *jtai.Area) string { return fmt.Sprintf("%d\t%s\t%s\t%s", a.ID, a.LACode, a.ONSCode, a.Name) })
}
