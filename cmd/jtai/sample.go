package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"jtai"
	"jtai/selection"
)

func (m *Main) sample(ctx context.Context, args []string) error {
	fs := m.flags("sample INSPECTION", "Selects children for case tracking and the wider case sample from those in scope, spread over\nthe theme's strata; the same seed gives the same children. Shows the selection; --save keeps it\nand publishes it to the partnership (the inspection becomes children-selected).")
	var f dbFlags
	var themesDir string
	var seed uint64
	var tracking, sampleSize int
	var save bool
	fs.Uint64Var(&seed, "seed", 1, "the seed: the same seed gives the same selection")
	fs.IntVar(&tracking, "tracking", -1, "children to track (default: the theme's)")
	fs.IntVar(&sampleSize, "sample", -1, "children in the wider sample (default: the theme's)")
	fs.BoolVar(&save, "save", false, "keep the selection and publish it to the partnership")
	addThemesFlag(fs, &themesDir)
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("sample takes one inspection id")
	}
	s, err := m.openScreening(ctx, "sample", fs.Arg(0), &f, themesDir)
	if err != nil {
		return err
	}
	defer s.db.Close()
	req := selection.Defaults(s.theme, seed)
	if fs.Changed("tracking") {
		req.CaseTracking = tracking
	}
	if fs.Changed("sample") {
		req.CaseSample = sampleSize
	}
	res, err := selection.Select(s.theme, s.screening, req)
	if err != nil {
		return err
	}
	res.Selection.InspectionID = s.inspection.ID
	if save {
		by := m.consoleActor()
		agencies, err := s.db.ListAgencies(ctx, s.inspection.AreaID)
		if err != nil {
			return err
		}
		byID := make(map[int64]*jtai.Child, len(s.children))
		for _, c := range s.children {
			byID[c.ID] = c
		}
		if err := s.db.SaveSelection(ctx, res.Selection, selection.Audits(s.theme, res.Selection.Children, byID, agencies), by); err != nil {
			return err
		}
	}
	ids := map[int64]string{}
	for _, c := range s.children {
		ids[c.ID] = c.LAChildID
	}
	if f.json {
		type pick struct {
			jtai.SelectedChild
			LAChildID string `json:"la_child_id"`
		}
		picks := []pick{}
		for _, c := range res.Selection.Children {
			picks = append(picks, pick{c, ids[c.ChildID]})
		}
		return m.printJSON(map[string]any{"inspection_id": s.inspection.ID, "seed": seed, "requested": res.Requested, "in_scope": res.InScope,
			"shortfall": res.Shortfall, "saved": save, "children": picks})
	}
	if res.Shortfall != "" {
		fmt.Fprintf(m.Stderr, "jtai: %s\n", res.Shortfall)
	}
	fmt.Fprintf(m.Stdout, "Inspection %d: %d children in scope; seed %d: %d to track, %d in the wider sample\n\n",
		s.inspection.ID, res.InScope, seed, res.Selection.Count(jtai.CaseTracking), res.Selection.Count(jtai.CaseSample))
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHILD\tFOR\tWHY")
	for _, c := range res.Selection.Children {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ids[c.ChildID], c.Kind, c.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if save {
		fmt.Fprintln(m.Stdout, "\nSaved and published to the partnership; the inspection is now children-selected.")
	} else {
		fmt.Fprintln(m.Stdout, "\nNot saved: run again with --save to keep this selection and publish it.")
	}
	return nil
}
