// Command jtai runs joint targeted area inspections: the web application,
// its demo, and the console commands that manage accounts, inspections, the
// access log and keys. This is the only package that knows every other one;
// it wires them and does nothing else.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"jtai"
	"jtai/authz"
	"jtai/crypt"
	"jtai/screen"
	"jtai/store"
	"jtai/theme"
)

func main() {
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(m.RunUntilSignal(os.Args[1:]))
}

// RunUntilSignal runs the command until it ends or the process is told to
// stop (SIGTERM, or Ctrl+C): a server then stops taking requests, finishes
// those in flight and the access log's writes, and exits 0.
func (m *Main) RunUntilSignal(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return m.Run(ctx, args)
}

// Exit statuses (DESIGN.md).
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitRejected = 3
)

// Main is the program, with its surroundings injected so that tests run the
// very same commands.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Clock          jtai.Clock
	// OnListen, when set, is told the address the server listens on (tests
	// start servers on port 0).
	OnListen func(addr string)
}

type command struct {
	name    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "create or refresh a synthetic area and serve it", (*Main).demo},
		{"serve", "serve the web application", (*Main).serve},
		{"migrate", "apply database migrations", (*Main).migrate},
		{"area", "add or list local areas (add, list)", (*Main).area},
		{"user", "manage accounts (add, list, disable, enable)", (*Main).user},
		{"inspection", "create, list and show inspections (create, list, show)", (*Main).inspection},
		{"theme", "list, show and validate themes (list, show, validate)", (*Main).theme},
		{"import", "import children's lists into an inspection", (*Main).importLists},
		{"synth", "write synthetic lists of children for an area", (*Main).synth},
		{"screen", "screen an inspection's children against its theme's scope", (*Main).screen},
		{"sample", "select children for case tracking and the wider sample", (*Main).sample},
		{"audit", "verify the access log against its hash chain and checkpoints, or write a checkpoint (verify, checkpoint)", (*Main).audit},
		{"key", "make a key file, or rotate the master key (generate, rotate)", (*Main).key},
		{"backup", "back up the database and its documents into one file, while jtai runs", (*Main).backup},
		{"restore", "restore a backup into an empty database and document store", (*Main).restore},
		{"retention", "erase the personal data of inspections ended long enough ago (run)", (*Main).retention},
		{"version", "print the version", (*Main).version},
	}
}

// usageError is a command line that cannot be run: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// Run runs one command and returns its exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Clock == nil {
		m.Clock = jtai.SystemClock{}
	}
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage(m.Stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return m.exit(c.run(m, ctx, args[1:]))
		}
	}
	fmt.Fprintf(m.Stderr, "jtai: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return exitUsage
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: jtai COMMAND [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'jtai COMMAND --help' for a command's flags. Flags may come before or after arguments.")
}

// exit prints err and maps it to an exit status.
func (m *Main) exit(err error) int {
	if err == nil || errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(m.Stderr, "jtai: %s\n", ue.msg)
		return exitUsage
	}
	var qr *quietRejection
	if errors.As(err, &qr) {
		fmt.Fprintf(m.Stderr, "jtai: %s\n", qr.msg)
		return exitRejected
	}
	var tv *theme.ValidationError
	if errors.As(err, &tv) {
		// Each problem as compilers print them, FILE:LINE: FIELD: message,
		// so that editors can jump to it.
		fmt.Fprintf(m.Stderr, "jtai: the themes are not valid:\n%s\n", tv.Error())
		return exitRejected
	}
	var kf *crypt.KeyFileError
	if errors.As(err, &kf) {
		fmt.Fprintf(m.Stderr, "jtai: %v\n", err)
		return exitRejected
	}
	switch jtai.ErrorKind(err) {
	case jtai.EINVALID, jtai.ECONFLICT, jtai.ENOTFOUND:
		fmt.Fprintf(m.Stderr, "jtai: %s\n", strings.TrimSpace(describe(err)))
		return exitRejected
	}
	fmt.Fprintf(m.Stderr, "jtai: %v\n", err)
	return exitFailure
}

// describe writes an error for the console: its message and each field.
func describe(err error) string {
	var e *jtai.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	if e.Kind == jtai.EINVALID && len(e.Fields) > 0 && e.Message == "There is a problem" {
		b.WriteString("input rejected:\n")
	} else {
		b.WriteString(e.Message + "\n")
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "  --%s: %s\n", strings.ReplaceAll(f.Field, "_", "-"), f.Message)
	}
	return b.String()
}

// flags makes a command's flag set. pflag lets flags follow arguments.
func (m *Main) flags(name, usage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: jtai %s\n\n%s\n\nFlags:\n%s", name, usage, fs.FlagUsages())
	}
	fs.SortFlags = false
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usagef("%s: %v (see 'jtai %s --help')", fs.Name(), err, fs.Name())
	}
	return nil
}

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	db, keyFile string
	json        bool
}

func (m *Main) addDBFlags(fs *pflag.FlagSet, f *dbFlags) {
	fs.StringVar(&f.db, "db", "", "database: a file path, sqlite:PATH or a postgres:// URL (default $JTAI_DB or "+store.DefaultPath+")")
	fs.StringVar(&f.keyFile, "key-file", "", "master key file (default $JTAI_KEY_FILE, or jtai.key beside an SQLite database)")
	fs.BoolVar(&f.json, "json", false, "print one JSON document on standard output")
}

// open opens the database and its master key. On the embedded default,
// create makes a key beside the database when there is none, with a warning
// that production must supply its own.
func (m *Main) open(ctx context.Context, f *dbFlags, create bool) (*store.DB, error) {
	db, err := m.connect(f, create)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Imports and decisions keep each inspection's screening, under the
	// built-in themes unless the command has others (serve --themes).
	reg, err := theme.Builtin()
	if err != nil {
		db.Close()
		return nil, err
	}
	db.SetScreener(screen.Themes{Registry: reg})
	return db, nil
}

// connect is open without applying migrations.
func (m *Main) connect(f *dbFlags, create bool) (*store.DB, error) {
	loc, err := m.location(f)
	if err != nil {
		return nil, err
	}
	keyPath, err := m.keyPath(f, loc)
	if err != nil {
		return nil, err
	}
	master, err := crypt.LoadKeyFile(keyPath)
	var kf *crypt.KeyFileError
	if errors.As(err, &kf) && kf.Reason == "does not exist" && !loc.Postgres && databaseExists(loc.Path) {
		// A new key would not open the data already there: every case page
		// would fail, and the access log could not be verified.
		return nil, fmt.Errorf("the database %s exists but its key file %s does not: give the key file it was made with (JTAI_KEY_FILE or --key-file); to start afresh instead, move the database away", loc.Path, keyPath)
	}
	if create && errors.As(err, &kf) && kf.Reason == "does not exist" && !loc.Postgres {
		if err := os.MkdirAll(filepath.Dir(keyPath), 0o700); err != nil {
			return nil, err
		}
		master, err = crypt.GenerateKeyFile(keyPath)
		if err == nil {
			fmt.Fprintf(m.Stderr, "jtai: made a new master key at %s. It is fine for a demo; production must supply its own key (JTAI_KEY_FILE) and keep it apart from the database.\n", keyPath)
		}
	}
	if err != nil {
		return nil, err
	}
	db, err := store.Connect(loc, master, m.Clock)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// keyPath is where the master key of the database at loc is read from.
func (m *Main) keyPath(f *dbFlags, loc store.Location) (string, error) {
	keyPath := f.keyFile
	if keyPath == "" {
		keyPath = m.Getenv("JTAI_KEY_FILE")
	}
	if keyPath == "" {
		if loc.Postgres {
			return "", usagef("on PostgreSQL the master key must be given: set JTAI_KEY_FILE or --key-file (make one with 'jtai key generate FILE')")
		}
		keyPath = filepath.Join(filepath.Dir(loc.Path), "jtai.key")
	}
	return keyPath, nil
}

// location is the database --db (or JTAI_DB) names.
func (m *Main) location(f *dbFlags) (store.Location, error) {
	dbv := f.db
	if dbv == "" {
		dbv = m.Getenv("JTAI_DB")
	}
	loc, err := store.ParseLocation(dbv)
	if err != nil {
		return loc, usagef("--db: %v", err)
	}
	return loc, nil
}

// databaseExists reports whether an SQLite database file holds anything.
func databaseExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Size() > 0
}

// consoleSubject is who asks the policy for console commands that read
// personal data through the guarded service.
func (m *Main) consoleSubject() *authz.Subject { return authz.Console(m.Getenv("USER")) }

// consoleActor is who the access log names for console commands.
func (m *Main) consoleActor() *jtai.AccessEntry {
	user := m.Getenv("USER")
	if user == "" {
		user = "unknown"
	}
	return &jtai.AccessEntry{Actor: "console:" + user}
}

// printJSON writes v as the command's one JSON document.
func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// sub dispatches "jtai NOUN VERB ...".
func (m *Main) sub(ctx context.Context, noun string, args []string, verbs map[string]func(context.Context, []string) error) error {
	names := make([]string, 0, len(verbs))
	for v := range verbs {
		names = append(names, v)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(m.Stderr, "Usage: jtai %s %s [flags] [arguments]\n\nEach says what it does and lists its flags: jtai %s %s --help, and so on.\n", noun, strings.Join(names, "|"), noun, names[0])
		if len(args) == 0 {
			return usagef("%s: say which: %s", noun, strings.Join(names, ", "))
		}
		return nil
	}
	run, ok := verbs[args[0]]
	if !ok {
		return usagef("%s: unknown %q: use one of %s", noun, args[0], strings.Join(names, ", "))
	}
	return run(ctx, args[1:])
}

// list runs a command that lists things: its flags, the database, then the
// rows as JSON (an empty array, never null) or as a table under header.
func list[T any](m *Main, ctx context.Context, args []string, name, usage string,
	load func(context.Context, *store.DB) ([]T, error), header string, row func(T) string) error {
	fs := m.flags(name, usage)
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
	rows, err := load(ctx, db)
	if err != nil {
		return err
	}
	if f.json {
		if rows == nil {
			rows = []T{}
		}
		return m.printJSON(rows)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, row(r))
	}
	return tw.Flush()
}
