package main

import (
	"context"
	"fmt"
	"io"

	"github.com/aqjurek/tracker/internal/store"
)

// check examines a database, which servers may be using, and prints
// ok or each thing that is wrong; it fails when something is.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", stderr)
	dbPath := fs.String("db", "aqjurek.db", dbHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	findings, err := store.Check(ctx, *dbPath)
	if err != nil {
		return err
	}
	if len(findings) == 0 {
		fmt.Fprintln(stdout, "ok")
		return nil
	}
	for _, f := range findings {
		fmt.Fprintln(stdout, f)
	}
	problems := "problems"
	if len(findings) == 1 {
		problems = "problem"
	}
	return fmt.Errorf("database %s: %d %s found", store.Display(*dbPath), len(findings), problems)
}
