package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"jtai/synth"
)

func (m *Main) synth(ctx context.Context, args []string) error {
	fs := m.flags("synth DIR", "Writes a consistent set of synthetic lists for one area into DIR: the Annex A workbook (Ofsted's\n"+
		"template and a local export), the same lists as CSV, a CIN census XML file and the domestic-abuse\n"+
		"notifications. Invented names only. With --faults, also broken variants under DIR/faults.")
	children := fs.Int("children", 200, "children on the lists")
	seed := fs.Uint64("seed", 1, "the same seed writes the same files")
	faults := fs.Bool("faults", false, "also write deliberately broken files, each named for its fault")
	laCode := fs.String("la-code", synth.DemoLACode, "the local authority's three-digit DfE number in the CIN census's header: the inspection's area's, for the census to import")
	asJSON := fs.Bool("json", false, "print one JSON document on standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("synth takes one directory")
	}
	if len(*laCode) != 3 || strings.Trim(*laCode, "0123456789") != "" {
		return usagef("synth: --la-code must be three digits, like 380")
	}
	if *children < 1 {
		return usagef("synth: --children must be at least 1")
	}
	man, err := synth.WriteAreaFiles(fs.Arg(0), synth.AreaOptions{Children: *children, Seed: *seed, Faults: *faults, LACode: *laCode})
	if err != nil {
		return err
	}
	if *asJSON {
		type file struct {
			Name  string `json:"name"`
			Kind  string `json:"kind"`
			Style string `json:"style,omitempty"`
			List  int    `json:"list,omitempty"`
			Rows  int    `json:"rows"`
			Fault string `json:"fault,omitempty"`
		}
		out := struct {
			Dir      string `json:"dir"`
			Children int    `json:"children"`
			Files    []file `json:"files"`
		}{man.Dir, man.Children, []file{}}
		for _, f := range man.Files {
			out.Files = append(out.Files, file(f))
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "Wrote %d files about %d synthetic children into %s:\n", len(man.Files), man.Children, man.Dir)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	for _, f := range man.Files {
		note := ""
		if f.Fault != "" {
			note = "broken: " + f.Fault
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d rows\t%s\n", f.Name, f.Kind, f.Rows, note)
	}
	return tw.Flush()
}
