package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Display is how a --db value is shown in messages and logs: the SQLite
// file's path, or the PostgreSQL URL without its password and options.
func Display(dsn string) string {
	if !IsPostgres(dsn) {
		return strings.TrimPrefix(dsn, "sqlite:")
	}
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "(a postgres:// URL that does not parse)"
	}
	return displayURL(dsn, config)
}

// Schema is the PostgreSQL schema a --db URL chooses with search_path,
// or "" when it chooses none (the server's default, public).
func Schema(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || !IsPostgres(dsn) {
		return ""
	}
	return u.Query().Get("search_path")
}

// TableRows is how many rows one table holds.
type TableRows struct {
	Table string
	Rows  int64
}

// Copy moves a city's data from the SQLite file from to the empty
// PostgreSQL database to (a postgres:// URL), which it migrates first; the
// file is migrated first too, so both have this binary's schema. Every
// table is copied, column by column by name, parents before the tables
// whose keys refer to them, in one PostgreSQL transaction: on any failure
// nothing of it stays. Generated columns are left to PostgreSQL to compute;
// the dashboard's running totals are copied as they are, and the triggers
// that keep them are held off meanwhile (in the transaction, so they are
// on again whatever happens). Before it commits, the copy counts every
// table on both sides and recounts the totals, as Check does.
//
// The file is read in one read transaction, a snapshot, but the server
// should be stopped all the same: what it writes after the snapshot would
// not be copied. The target must be empty; while copying, the copy holds
// the lock every writer of the store takes, so no server writes to it.
// It returns the rows of each table copied, in the order copied.
func Copy(ctx context.Context, from, to string) ([]TableRows, error) {
	if IsPostgres(from) {
		return nil, errors.New("copy: --from must be an SQLite database file, not a postgres:// URL")
	}
	if !IsPostgres(to) {
		return nil, fmt.Errorf("copy: --to %q must be a postgres:// URL", to)
	}
	path := strings.TrimPrefix(from, "sqlite:")
	if info, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	} else if info.IsDir() {
		return nil, fmt.Errorf("copy: %s is a directory", path)
	}
	src, err := Open(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("copy from: %w", err)
	}
	defer src.Close()
	dst, err := Open(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("copy to: %w", err)
	}
	defer dst.Close()
	copied, err := copyTables(ctx, src, dst)
	if err != nil {
		return nil, fmt.Errorf("copy %s to %s: %w", src.Path(), dst.Path(), redact(err, to))
	}
	return copied, nil
}

// sourceTable is a table of the SQLite file to copy.
type sourceTable struct {
	name    string
	columns []string // stored columns, in the table's order
	parents []string // tables its foreign keys refer to, itself excepted
	rows    int64
}

func copyTables(ctx context.Context, src, dst *DB) ([]TableRows, error) {
	read, err := src.readSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer read.Rollback()
	tables, err := sourceTables(ctx, read)
	if err != nil {
		return nil, err
	}

	conn, err := dst.writeDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	write, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer write.Rollback()
	// The lock every writer takes first (engine.lockWrites): no server
	// writes to the target until this commits.
	if _, err := write.ExecContext(ctx, postgresEngine.lockWrites); err != nil {
		return nil, err
	}
	for _, t := range tables {
		if err := sameColumns(ctx, write, t); err != nil {
			return nil, err
		}
		var full bool
		if err := write.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+quote(t.name)+")").Scan(&full); err != nil {
			return nil, err
		}
		if full {
			return nil, fmt.Errorf("the target already holds rows in table %s: copy only into an empty database (a new one, or a new schema with ?search_path=)", t.name)
		}
	}
	// The totals are copied as they are: the triggers that keep them would
	// count every request and line again. DISABLE TRIGGER USER leaves the
	// foreign keys' triggers on, so the keys are still checked. It needs the
	// tables' owner, which the user that migrated them is; being DDL in
	// this transaction, it is undone with it.
	for _, t := range tables {
		if _, err := write.ExecContext(ctx, "ALTER TABLE "+quote(t.name)+" DISABLE TRIGGER USER"); err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		if err := copyTable(ctx, read, conn, t); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.name, err)
		}
	}
	for _, t := range tables {
		if _, err := write.ExecContext(ctx, "ALTER TABLE "+quote(t.name)+" ENABLE TRIGGER USER"); err != nil {
			return nil, err
		}
	}

	// Verify before committing: every table holds as many rows on both
	// sides, and the totals recount as copied.
	var copied []TableRows
	var differ []string
	for _, t := range tables {
		var n int64
		if err := write.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(t.name)).Scan(&n); err != nil {
			return nil, err
		}
		if n != t.rows {
			differ = append(differ, fmt.Sprintf("%s has %d rows in the file and %d copied", t.name, t.rows, n))
		}
		copied = append(copied, TableRows{Table: t.name, Rows: n})
	}
	if len(differ) > 0 {
		return nil, fmt.Errorf("the copy differs, nothing was kept: %s", strings.Join(differ, "; "))
	}
	findings, err := checkIn(ctx, write, postgresEngine)
	if err != nil {
		return nil, err
	}
	if len(findings) > 0 {
		return nil, fmt.Errorf("the copy does not check, nothing was kept:\n%s", strings.Join(findings, "\n"))
	}
	if err := write.Commit(); err != nil {
		return nil, err
	}
	return copied, nil
}

// sourceTables lists the file's tables in an order its foreign keys accept
// (every table after those it refers to), with their stored columns and
// rows, all read in the snapshot t.
func sourceTables(ctx context.Context, t *sql.Tx) ([]*sourceTable, error) {
	var names []string
	err := each(ctx, t, `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, nil, func(rows *sql.Rows) error {
		var name string
		err := rows.Scan(&name)
		names = append(names, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	byName := map[string]*sourceTable{}
	for _, name := range names {
		st := &sourceTable{name: name}
		// hidden is 0 for a stored column; generated columns are 2 or 3.
		err := each(ctx, t, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", []any{name}, func(rows *sql.Rows) error {
			var c string
			err := rows.Scan(&c)
			st.columns = append(st.columns, c)
			return err
		})
		if err != nil {
			return nil, err
		}
		err = each(ctx, t, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1`, []any{name}, func(rows *sql.Rows) error {
			var p string
			err := rows.Scan(&p)
			if p != name {
				st.parents = append(st.parents, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if err := t.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(name)).Scan(&st.rows); err != nil {
			return nil, err
		}
		byName[name] = st
	}
	// Parents first: take, in name order, each table whose parents are all
	// taken, until none is left.
	var ordered []*sourceTable
	taken := map[string]bool{}
	for len(ordered) < len(names) {
		progress := false
		for _, name := range names {
			st := byName[name]
			if taken[name] || slices.ContainsFunc(st.parents, func(p string) bool { return !taken[p] && byName[p] != nil }) {
				continue
			}
			ordered, taken[name], progress = append(ordered, st), true, true
		}
		if !progress {
			return nil, errors.New("the tables' foreign keys refer to each other in a circle; no order copies them")
		}
	}
	return ordered, nil
}

// sameColumns confirms the target's table has the stored columns the file's
// has, no more and no fewer, so every value has its place.
func sameColumns(ctx context.Context, write *sql.Tx, t *sourceTable) error {
	var target []string
	err := each(ctx, write, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`,
		[]any{t.name}, func(rows *sql.Rows) error {
			var c string
			err := rows.Scan(&c)
			target = append(target, c)
			return err
		})
	if err != nil {
		return err
	}
	if len(target) == 0 {
		return fmt.Errorf("the target has no table %s", t.name)
	}
	for _, c := range t.columns {
		if !slices.Contains(target, c) {
			return fmt.Errorf("the target's table %s has no column %s", t.name, c)
		}
	}
	for _, c := range target {
		if !slices.Contains(t.columns, c) {
			return fmt.Errorf("the file's table %s has no column %s, which the target's has", t.name, c)
		}
	}
	return nil
}

// copyTable streams one table's rows from the snapshot into the target
// with COPY, on the target's connection, inside its open transaction. COPY
// sends the rows in a stream of messages of a few kilobytes and PostgreSQL
// writes them as they come, so a table of millions of rows needs neither
// a statement per row nor its rows in memory.
func copyTable(ctx context.Context, read *sql.Tx, conn *sql.Conn, t *sourceTable) error {
	columns := make([]string, len(t.columns))
	for i, c := range t.columns {
		columns[i] = quote(c)
	}
	rows, err := read.QueryContext(ctx, "SELECT "+strings.Join(columns, ", ")+" FROM "+quote(t.name))
	if err != nil {
		return err
	}
	defer rows.Close()
	source := &rowSource{rows: rows, values: make([]any, len(t.columns)), dest: make([]any, len(t.columns))}
	for i := range source.values {
		source.dest[i] = &source.values[i]
	}
	return conn.Raw(func(driverConn any) error {
		pg := driverConn.(*rebindConn).Conn.Conn()
		n, err := pg.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, source)
		if err != nil {
			return err
		}
		if n != t.rows {
			return fmt.Errorf("%d rows copied of %d", n, t.rows)
		}
		return nil
	})
}

// rowSource gives COPY the rows of a query, one at a time.
type rowSource struct {
	rows   *sql.Rows
	values []any
	dest   []any
	err    error
}

func (s *rowSource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	clear(s.values)
	s.err = s.rows.Scan(s.dest...)
	return s.err == nil
}

func (s *rowSource) Values() ([]any, error) { return s.values, s.err }

func (s *rowSource) Err() error { return errors.Join(s.err, s.rows.Err()) }

// quote writes a table or column name as both engines read it.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
