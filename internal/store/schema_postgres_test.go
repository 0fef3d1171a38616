package store_test

// The PostgreSQL schema must be the schema SQLite's migrations end in: the
// store sends both engines the same SQL and a copy goes table by table,
// column by column. These tests migrate a fresh SQLite file and a fresh
// PostgreSQL schema from the migration files and compare their shapes
// (here), what each refuses (schema_postgres_constraints_test.go) and the
// dashboard totals their triggers keep (schema_postgres_totals_test.go).
//
// They are self-contained (their own helpers, the migration files read
// from disk) so that they check the schema whatever the store's engines
// look like.

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
)

// schemaEngine is one database the same statements run on.
type schemaEngine struct {
	name string
	db   *sql.DB
	// rebind turns the ? placeholders into the engine's own.
	rebind func(string) string
}

func (e schemaEngine) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.Exec(e.rebind(query), args...); err != nil {
		t.Fatalf("%s: %s %v: %v", e.name, query, args, err)
	}
}

// strings returns every row of the query, its columns joined by |.
func (e schemaEngine) strings(t *testing.T, query string, args ...any) []string {
	t.Helper()
	rows, err := e.db.Query(e.rebind(query), args...)
	if err != nil {
		t.Fatalf("%s: %s: %v", e.name, query, err)
	}
	return rowStrings(t, rows)
}

// rowStrings reads and closes rows, each a string of its columns joined
// by |, NULL for null.
func rowStrings(t *testing.T, rows *sql.Rows) []string {
	t.Helper()
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		values := make([]sql.NullString, len(columns))
		dest := make([]any, len(columns))
		for i := range values {
			dest[i] = &values[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		fields := make([]string, len(values))
		for i, v := range values {
			fields[i] = "NULL"
			if v.Valid {
				fields[i] = v.String
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dollarPlaceholders numbers the ? placeholders of a query as $1, $2, …
func dollarPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// applyMigrations runs the numbered migration files of dir in order, each in
// a transaction of its own, as the store does.
func applyMigrations(t *testing.T, db *sql.DB, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations in %s: %v", dir, err)
	}
	slices.Sort(files)
	for _, file := range files {
		script, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(string(script)); err != nil {
			tx.Rollback()
			t.Fatalf("migration %s: %v", file, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("migration %s: %v", file, err)
		}
	}
}

// migratedSQLite is a fresh SQLite file with every SQLite migration.
func migratedSQLite(t *testing.T) schemaEngine {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "schema.db")+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	applyMigrations(t, db, filepath.Join("migrations", "sqlite"))
	return schemaEngine{name: "sqlite", db: db, rebind: func(q string) string { return q }}
}

// postgresTestURL is the test server's URL; without one the test is
// skipped, or fails under CI, which must test both engines.
func postgresTestURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("AQJUREK_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("AQJUREK_TEST_POSTGRES is not set: CI tests the PostgreSQL schema too (start a server with scripts/postgres)")
		}
		t.Skip("AQJUREK_TEST_POSTGRES is not set (start a server with scripts/postgres)")
	}
	return u
}

// migratedPostgres is a fresh schema of its own on the test server, with
// every PostgreSQL migration; it is dropped when the test ends.
func migratedPostgres(t *testing.T) schemaEngine {
	t.Helper()
	server := postgresTestURL(t)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "schema_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema on %s: %v", server, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("AQJUREK_TEST_POSTGRES: %v", err)
	}
	// pgx sends query parameters it does not know as run-time settings.
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(2)
	t.Cleanup(func() { db.Close() })
	applyMigrations(t, db, filepath.Join("migrations", "postgres"))
	var current string
	if err := db.QueryRow("SELECT current_schema()").Scan(&current); err != nil || current != schema {
		t.Fatalf("current schema %q, %v; want %q", current, err, schema)
	}
	return schemaEngine{name: "postgres", db: db, rebind: dollarPlaceholders}
}

// tableShape is what the two schemas must agree on about a table, written
// as PostgreSQL would say it.
type tableShape struct {
	Columns     []string // name type [NOT NULL] [DEFAULT x] [GENERATED] [COLLATE c], in order
	PrimaryKey  []string
	Unique      []string // column lists of UNIQUE constraints
	ForeignKeys []string // (columns) → table (columns) ON DELETE x ON UPDATE y
	Checks      int
	Indexes     []string // name [UNIQUE] (keys) [WHERE predicate]
	Triggers    []string // name and when it fires
}

// sqliteTypes maps SQLite's STRICT types to the PostgreSQL type each
// becomes, the rule the PostgreSQL schema states at its top.
var sqliteTypes = map[string]string{
	"INTEGER": "bigint",
	"TEXT":    "text",
	"REAL":    "double precision",
	"BLOB":    "bytea",
}

var (
	checkClause  = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	triggerWhen  = regexp.MustCompile(`(?is)^CREATE TRIGGER \S+ (.*?) ON `)
	indexWhere   = regexp.MustCompile(`(?is)\bWHERE\b(.*)$`)
	spacesParens = regexp.MustCompile(`[\s()]+`)
)

// normalPredicate writes a partial index's predicate the same way for both
// engines: no casts, parentheses or spaces.
func normalPredicate(p string) string {
	p = strings.ReplaceAll(p, "::text", "")
	return strings.ToLower(spacesParens.ReplaceAllString(p, ""))
}

func sqliteShapes(t *testing.T, e schemaEngine) map[string]*tableShape {
	t.Helper()
	shapes := map[string]*tableShape{}
	for _, row := range e.strings(t, `SELECT name, sql FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`) {
		name, ddl, _ := strings.Cut(row, "|")
		s := &tableShape{Checks: len(checkClause.FindAllString(ddl, -1))}
		shapes[name] = s
		pk := map[int]string{}
		for _, c := range e.strings(t, `SELECT name, type, "notnull", coalesce(dflt_value, ''), pk, hidden
			FROM pragma_table_xinfo(?) ORDER BY cid`, name) {
			f := strings.Split(c, "|")
			typ, ok := sqliteTypes[f[1]]
			if !ok {
				t.Fatalf("%s.%s: type %q has no PostgreSQL twin", name, f[0], f[1])
			}
			col := f[0] + " " + typ
			if f[2] == "1" || f[4] != "0" { // PostgreSQL's keys are never null
				col += " NOT NULL"
			}
			if f[3] != "" {
				col += " DEFAULT " + f[3]
			}
			if f[5] == "2" || f[5] == "3" {
				col += " GENERATED"
			}
			if typ == "text" {
				col += ` COLLATE C`
			}
			s.Columns = append(s.Columns, col)
			if n, _ := strconv.Atoi(f[4]); n > 0 {
				pk[n] = f[0]
			}
		}
		for i := 1; i <= len(pk); i++ {
			s.PrimaryKey = append(s.PrimaryKey, pk[i])
		}
		fks := map[string][]string{}
		var fkIDs []string
		for _, fk := range e.strings(t, `SELECT id, "from", "table", coalesce("to", ''), on_delete, on_update
			FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name) {
			f := strings.Split(fk, "|")
			if f[3] == "" {
				t.Fatalf("%s: a foreign key to %s names no columns; name them, so both engines say the same", name, f[2])
			}
			if _, ok := fks[f[0]]; !ok {
				fkIDs = append(fkIDs, f[0])
			}
			fks[f[0]] = append(fks[f[0]], f[1], f[2], f[3], f[4], f[5])
		}
		for _, id := range fkIDs {
			f := fks[id]
			var from, to []string
			for i := 0; i < len(f); i += 5 {
				from, to = append(from, f[i]), append(to, f[i+2])
			}
			s.ForeignKeys = append(s.ForeignKeys, fmt.Sprintf("(%s) → %s (%s) ON DELETE %s ON UPDATE %s",
				strings.Join(from, ", "), f[1], strings.Join(to, ", "), f[3], f[4]))
		}
		slices.Sort(s.ForeignKeys)
		for _, ix := range e.strings(t, `SELECT l.name, l."unique", l.origin, l.partial, coalesce(m.sql, '')
			FROM pragma_index_list(?) l LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name
			ORDER BY l.name`, name) {
			f := strings.Split(ix, "|")
			var keys []string
			for _, k := range e.strings(t, `SELECT coalesce(name, ''), "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, f[0]) {
				column, desc, _ := strings.Cut(k, "|")
				if column == "" {
					column = "(expression)"
				}
				if desc == "1" {
					column += " DESC"
				}
				keys = append(keys, column)
			}
			switch f[2] {
			case "pk": // the PRIMARY KEY, compared above
			case "u":
				s.Unique = append(s.Unique, strings.Join(keys, ", "))
			case "c":
				desc := f[0]
				if f[1] == "1" {
					desc += " UNIQUE"
				}
				desc += " (" + strings.Join(keys, ", ") + ")"
				if f[3] == "1" {
					m := indexWhere.FindStringSubmatch(f[4])
					if m == nil {
						t.Fatalf("index %s is partial but its SQL has no WHERE: %s", f[0], f[4])
					}
					desc += " WHERE " + normalPredicate(m[1])
				}
				s.Indexes = append(s.Indexes, desc)
			}
		}
		for _, tr := range e.strings(t, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`, name) {
			trigger, ddl, _ := strings.Cut(tr, "|")
			m := triggerWhen.FindStringSubmatch(ddl)
			if m == nil {
				t.Fatalf("trigger %s: cannot read when it fires: %s", trigger, ddl)
			}
			s.Triggers = append(s.Triggers, trigger+" "+strings.Join(strings.Fields(m[1]), " "))
		}
	}
	return shapes
}

func postgresShapes(t *testing.T, e schemaEngine) map[string]*tableShape {
	t.Helper()
	shapes := map[string]*tableShape{}
	for _, name := range e.strings(t, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`) {
		s := &tableShape{}
		shapes[name] = s
		for _, c := range e.strings(t, `SELECT column_name, data_type, is_nullable, coalesce(column_default, ''),
				is_generated, coalesce(collation_name, '')
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, name) {
			f := strings.Split(c, "|")
			col := f[0] + " " + f[1]
			if f[2] == "NO" {
				col += " NOT NULL"
			}
			if f[3] != "" {
				col += " DEFAULT " + f[3]
			}
			if f[4] == "ALWAYS" {
				col += " GENERATED"
			}
			if f[5] != "" {
				col += " COLLATE " + f[5]
			}
			s.Columns = append(s.Columns, col)
		}
		// The columns of a constraint or index key, in key order.
		const keyColumns = `(SELECT string_agg(a.attname::text, ', ' ORDER BY k.n)
			FROM unnest(%s) WITH ORDINALITY k (attnum, n)
			JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
		s.PrimaryKey = nil
		if pk := e.strings(t, `SELECT `+fmt.Sprintf(keyColumns, "c.conkey", "c.conrelid")+`
			FROM pg_constraint c WHERE c.conrelid = to_regclass(?) AND c.contype = 'p'`, name); len(pk) == 1 {
			s.PrimaryKey = strings.Split(pk[0], ", ")
		}
		s.Unique = e.strings(t, `SELECT `+fmt.Sprintf(keyColumns, "c.conkey", "c.conrelid")+`
			FROM pg_constraint c WHERE c.conrelid = to_regclass(?) AND c.contype = 'u' ORDER BY 1`, name)
		actions := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
		for _, fk := range e.strings(t, `SELECT `+fmt.Sprintf(keyColumns, "c.conkey", "c.conrelid")+`,
				c.confrelid::regclass::text, `+fmt.Sprintf(keyColumns, "c.confkey", "c.confrelid")+`,
				c.confdeltype, c.confupdtype
			FROM pg_constraint c WHERE c.conrelid = to_regclass(?) AND c.contype = 'f'`, name) {
			f := strings.Split(fk, "|")
			s.ForeignKeys = append(s.ForeignKeys, fmt.Sprintf("(%s) → %s (%s) ON DELETE %s ON UPDATE %s",
				f[0], f[1], f[2], actions[f[3]], actions[f[4]]))
		}
		slices.Sort(s.ForeignKeys)
		checks := e.strings(t, `SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'c'`, name)
		s.Checks, _ = strconv.Atoi(checks[0])
		// Indexes of their own, not those behind a key or UNIQUE constraint.
		for _, ix := range e.strings(t, `SELECT c.relname, i.indisunique, coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
				(SELECT string_agg(CASE WHEN i.indkey[k - 1] = 0 THEN '(expression)'
						ELSE pg_get_indexdef(i.indexrelid, k, true) END
					|| CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, ', ' ORDER BY k)
				FROM generate_series(1, i.indnkeyatts) k)
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = to_regclass(?)
				AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
			ORDER BY c.relname`, name) {
			f := strings.Split(ix, "|")
			desc := f[0]
			if f[1] == "true" {
				desc += " UNIQUE"
			}
			desc += " (" + f[3] + ")"
			if f[2] != "" {
				desc += " WHERE " + normalPredicate(f[2])
			}
			s.Indexes = append(s.Indexes, desc)
		}
		for _, tr := range e.strings(t, `SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
			WHERE tgrelid = to_regclass(?) AND NOT tgisinternal ORDER BY tgname`, name) {
			trigger, ddl, _ := strings.Cut(tr, "|")
			m := triggerWhen.FindStringSubmatch(ddl)
			if m == nil {
				t.Fatalf("trigger %s: cannot read when it fires: %s", trigger, ddl)
			}
			s.Triggers = append(s.Triggers, trigger+" "+m[1])
		}
	}
	return shapes
}

// TestPostgresSchemaMatchesSQLite compares, table by table, the schema the
// SQLite migrations end in with the one the PostgreSQL migrations make:
// the same tables; the same columns in the same order, of the twin type,
// nullability, default, generated or not, text compared byte by byte; the
// same primary keys, UNIQUE constraints, foreign keys and their ON DELETE,
// number of CHECKs, indexes (keys, order, partial predicates) and triggers.
func TestPostgresSchemaMatchesSQLite(t *testing.T) {
	t.Parallel()
	pg := migratedPostgres(t)
	lite := migratedSQLite(t)
	want, got := sqliteShapes(t, lite), postgresShapes(t, pg)
	if len(want) < 25 {
		t.Fatalf("SQLite has %d tables, want the 25 or more of its migrations", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PostgreSQL schema differs from SQLite's (-sqlite +postgres):\n%s", diff)
	}
}
