package main

import (
	"context"
	"fmt"
	"runtime"

	"jtai"
)

func (m *Main) version(ctx context.Context, args []string) error {
	fs := m.flags("version", "Prints jtai's version.")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(map[string]string{"version": jtai.Version, "go": runtime.Version()})
	}
	fmt.Fprintf(m.Stdout, "jtai %s (%s)\n", jtai.Version, runtime.Version())
	return nil
}
