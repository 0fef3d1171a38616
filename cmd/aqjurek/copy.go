package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aqjurek/tracker/internal/store"
)

// copyDatabase moves a city's SQLite database to an empty PostgreSQL
// database, verifies the copy and prints each table's rows.
func copyDatabase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("copy", stderr)
	from := fs.String("from", "aqjurek.db", "the SQLite database file to copy (stop the server using it first: what it writes during the copy is not copied)")
	to := fs.String("to", "", "the empty PostgreSQL database to copy into, postgres://user:password@host:port/database (?search_path=schema to choose a schema); migrated first")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: aqjurek copy --from aqjurek.db --to postgres://user:password@host:5432/aqjurek

Copies every table of an SQLite database to an empty PostgreSQL database in
one transaction, then counts each table on both sides and recounts the
dashboard's totals before it commits: on any difference nothing is kept.
Stop the server first; start it again with --db set to the PostgreSQL URL.

`)
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("copy needs --to postgres://…, the database to copy into")
	}
	start := time.Now()
	copied, err := store.Copy(ctx, *from, *to)
	if err != nil {
		return err
	}
	// Names to the left, counts to the right.
	var total int64
	nameWidth, countWidth := len("total"), 0
	for _, t := range copied {
		total += t.Rows
		nameWidth = max(nameWidth, len(t.Table))
	}
	countWidth = len(thousands(total))
	for _, t := range append(copied, store.TableRows{Table: "total", Rows: total}) {
		fmt.Fprintf(stdout, "%-*s  %*s rows\n", nameWidth, t.Table, countWidth, thousands(t.Rows))
	}
	where := store.Display(*to)
	if schema := store.Schema(*to); schema != "" {
		where += " (schema " + schema + ")"
	}
	_, err = fmt.Fprintf(stdout, "copied %s to %s in %s; every table counts the same on both sides and the totals recount as copied\n",
		store.Display(*from), where, time.Since(start).Round(time.Millisecond))
	return err
}

// thousands writes n with commas between its thousands: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
