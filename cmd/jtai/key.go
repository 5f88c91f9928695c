package main

import (
	"context"
	"fmt"

	"jtai/crypt"
)

func (m *Main) key(ctx context.Context, args []string) error {
	return m.sub(ctx, "key", args, map[string]func(context.Context, []string) error{
		"generate": m.keyGenerate,
		"rotate":   m.keyRotate,
	})
}

func (m *Main) keyGenerate(ctx context.Context, args []string) error {
	fs := m.flags("key generate FILE", "Writes a new random master key to FILE, readable by its owner only. Never overwrites a file.")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("key generate takes one file name")
	}
	k, err := crypt.GenerateKeyFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(map[string]string{"file": fs.Arg(0), "key_id": k.ID()})
	}
	fmt.Fprintf(m.Stdout, "Wrote master key %s to %s. Keep it apart from the database and backed up: without it the personal data cannot be read.\n", k.ID(), fs.Arg(0))
	return nil
}

func (m *Main) keyRotate(ctx context.Context, args []string) error {
	fs := m.flags("key rotate --new-key-file FILE", "Rewraps every data key under a new master key, in one transaction, without touching the\ndata they protect. Afterwards start jtai with the new key file.")
	var f dbFlags
	var next string
	fs.StringVar(&next, "new-key-file", "", "the new master key (make one with 'jtai key generate FILE')")
	m.addDBFlags(fs, &f)
	if err := parse(fs, args); err != nil {
		return err
	}
	if next == "" {
		return usagef("key rotate needs --new-key-file")
	}
	newKey, err := crypt.LoadKeyFile(next)
	if err != nil {
		return err
	}
	db, err := m.open(ctx, &f, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.RotateMasterKey(ctx, newKey, m.consoleActor())
	if err != nil {
		return err
	}
	if f.json {
		return m.printJSON(map[string]any{"rewrapped": n, "key_id": newKey.ID()})
	}
	fmt.Fprintf(m.Stdout, "Rewrapped %d data keys under master key %s. Start jtai with --key-file %s (or JTAI_KEY_FILE) from now on.\n", n, newKey.ID(), next)
	return nil
}
