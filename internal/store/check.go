package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// maxFindings is how many findings one check reports before it says how
// many more there are: enough to see the pattern, not a flood.
const maxFindings = 100

// Check examines the database dsn names (a file path, sqlite:path or a
// postgres:// URL, as Open takes), which servers may be using, and returns
// what is wrong with it, one finding a line, or nothing when it is sound.
// On SQLite: its integrity and foreign key checks, and every running total
// recounted from the rows. On PostgreSQL, which enforces keys and checks
// itself on every write and keeps no file for a user to edit, the schema
// must be current and the totals are recounted. Everything is read in one
// snapshot (REPEATABLE READ READ ONLY on PostgreSQL), so a busy server
// cannot make it report a difference that is not there, and nothing is
// written: a database that is not migrated yet is refused, not migrated.
// The error is for a database it could not check at all.
func Check(ctx context.Context, dsn string) ([]string, error) {
	if IsPostgres(dsn) {
		return checkPostgres(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if info, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	} else if info.IsDir() {
		return nil, fmt.Errorf("check: %s is a directory", path)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("check: database path %q must be a file name without ? or #", path)
	}
	db, err := sql.Open("sqlite3", path+"?_query_only=1&_busy_timeout=10000")
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	// One connection, one transaction: every query below reads the same
	// snapshot.
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	defer t.Rollback()
	findings, err := checkIn(ctx, t, sqliteEngine)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	return findings, nil
}

// checkPostgres checks a PostgreSQL database without migrating it: it
// connects as Open does, but only reads.
func checkPostgres(ctx context.Context, dsn string) ([]string, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("check: database URL: %w", redact(err, dsn))
	}
	where := displayURL(dsn, config)
	db := openSQL(config)
	defer db.Close()
	t, err := db.BeginTx(ctx, postgresEngine.snapshot)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", where, redact(err, dsn))
	}
	defer t.Rollback()
	findings, err := checkIn(ctx, t, postgresEngine)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", where, redact(err, dsn))
	}
	return findings, nil
}

// checkIn runs the engine's checks in the transaction t, which reads one
// snapshot. The copy to PostgreSQL runs it in its own transaction too,
// before it commits.
func checkIn(ctx context.Context, t *sql.Tx, e *engine) ([]string, error) {
	if err := schemaCurrent(ctx, t, e); err != nil {
		return nil, err
	}
	checks := []func(context.Context, *sql.Tx) ([]string, error){recountTotals}
	if e == sqliteEngine {
		// PostgreSQL has no equivalent to run: its keys cannot be broken
		// but by dropping them, and its pages carry no check a query can
		// read without the amcheck extension, which managed servers may
		// not offer.
		checks = []func(context.Context, *sql.Tx) ([]string, error){integrity, foreignKeys, recountTotals}
	}
	var findings []string
	for _, check := range checks {
		found, err := check(ctx, t)
		if err != nil {
			return nil, err
		}
		findings = append(findings, found...)
	}
	return findings, nil
}

// schemaCurrent confirms the database is an Aq Júrek database with every
// migration of its engine this binary knows applied, so the totals it
// recounts exist.
func schemaCurrent(ctx context.Context, t *sql.Tx, e *engine) error {
	applied := map[int]bool{}
	err := each(ctx, t, "SELECT version FROM schema_migrations", nil, func(rows *sql.Rows) error {
		var v int
		err := rows.Scan(&v)
		applied[v] = true
		return err
	})
	if err != nil {
		return fmt.Errorf("not an Aq Júrek database (%w)", err)
	}
	known, err := e.migrationFiles()
	if err != nil {
		return err
	}
	for _, m := range known {
		if !applied[m.version] {
			return fmt.Errorf("migration %s is not applied yet; run aqjurek migrate first", m.name)
		}
	}
	return nil
}

// integrity runs SQLite's own check of the file's structure.
func integrity(ctx context.Context, t *sql.Tx) ([]string, error) {
	var findings []string
	err := each(ctx, t, fmt.Sprintf("PRAGMA integrity_check(%d)", maxFindings), nil, func(rows *sql.Rows) error {
		var line string
		err := rows.Scan(&line)
		if line != "ok" {
			findings = append(findings, "integrity: "+line)
		}
		return err
	})
	return findings, err
}

// foreignKeys finds rows that refer to rows that do not exist, naming the
// missing keys. PRAGMA foreign_key_check finds them, but names rows by
// rowid, which most of our tables do not have.
func foreignKeys(ctx context.Context, t *sql.Tx) ([]string, error) {
	type broken struct {
		table, parent string
		id            int
	}
	var found []broken
	err := each(ctx, t, "SELECT DISTINCT \"table\", parent, fkid FROM pragma_foreign_key_check ORDER BY 1, 3", nil, func(rows *sql.Rows) error {
		var b broken
		err := rows.Scan(&b.table, &b.parent, &b.id)
		found = append(found, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	var findings []string
	for _, b := range found {
		var from, to []string
		err := each(ctx, t, `SELECT "from", coalesce("to", '') FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq`, []any{b.table, b.id},
			func(rows *sql.Rows) error {
				var f, c string
				err := rows.Scan(&f, &c)
				from, to = append(from, f), append(to, c)
				return err
			})
		if err != nil {
			return nil, err
		}
		what := fmt.Sprintf("foreign key: rows of %s (%s) refer to %s (%s) that do not exist",
			b.table, strings.Join(from, ", "), b.parent, strings.Join(to, ", "))
		if slices.Contains(to, "") {
			// The key names no columns: the parent's primary key.
			findings = append(findings, what)
			continue
		}
		same := make([]string, len(from))
		notNull := make([]string, len(from))
		for i := range from {
			same[i] = fmt.Sprintf("p.%q = c.%q", to[i], from[i])
			notNull[i] = fmt.Sprintf("c.%q IS NOT NULL", from[i])
		}
		query := fmt.Sprintf(`SELECT DISTINCT %s FROM %q c WHERE %s AND NOT EXISTS (SELECT 1 FROM %q p WHERE %s) ORDER BY 1 LIMIT %d`,
			"c."+strings.Join(quoteAll(from), ", c."), b.table, strings.Join(notNull, " AND "), b.parent, strings.Join(same, " AND "), maxFindings+1)
		var keys []string
		err = each(ctx, t, query, nil, func(rows *sql.Rows) error {
			values := make([]any, len(from))
			dest := make([]any, len(from))
			for i := range values {
				dest[i] = &values[i]
			}
			err := rows.Scan(dest...)
			keys = append(keys, formatKey(from, values))
			return err
		})
		if err != nil {
			return nil, err
		}
		findings = append(findings, what+": "+strings.Join(capped(keys), "; "))
	}
	return findings, nil
}

// A total is a table of running totals that triggers keep (migration
// 0005), and how to recount it from the rows.
type total struct {
	table string
	keys  []string
	value string
	// recount selects the keys and the recounted value, in that order.
	recount string
}

var totals = []total{
	{"request_totals", []string{"hospital_id", "state", "priority"}, "requests",
		`SELECT hospital_id, state, priority, count(*) FROM delivery_requests GROUP BY 1, 2, 3`},
	// In thousandths of the unit, as stored. The SQL is both engines'
	// (PostgreSQL has no scalar max, and its sum of bigints is numeric).
	{"outstanding_totals", []string{"hospital_id", "category", "unit"}, "quantity",
		`SELECT r.hospital_id, l.category, l.unit,
			CAST(sum(CASE WHEN l.quantity > l.delivered_quantity THEN l.quantity - l.delivered_quantity ELSE 0 END) AS BIGINT)
		FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
		WHERE r.waiting = 1 GROUP BY 1, 2, 3`},
}

// recountTotals recounts every running total from the rows and names each
// that differs: a stored row whose value is not the recount, and a recount
// other than zero with no stored row.
func recountTotals(ctx context.Context, t *sql.Tx) ([]string, error) {
	var findings []string
	for _, tt := range totals {
		keys := strings.Join(tt.keys, ", ")
		same := make([]string, len(tt.keys))
		for i, k := range tt.keys {
			same[i] = "s." + k + " = c." + k
		}
		query := `WITH c (` + keys + `, n) AS (` + tt.recount + `)
			SELECT s.` + strings.Join(tt.keys, ", s.") + `, s.` + tt.value + `, coalesce(c.n, 0)
			FROM ` + tt.table + ` s LEFT JOIN c USING (` + keys + `) WHERE s.` + tt.value + ` <> coalesce(c.n, 0)
			UNION ALL
			SELECT c.` + strings.Join(tt.keys, ", c.") + `, NULL, c.n FROM c
			WHERE c.n != 0 AND NOT EXISTS (SELECT 1 FROM ` + tt.table + ` s WHERE ` + strings.Join(same, " AND ") + `)
			ORDER BY 1, 2, 3 LIMIT ` + fmt.Sprint(maxFindings+1)
		var found []string
		err := each(ctx, t, query, nil, func(rows *sql.Rows) error {
			values := make([]any, len(tt.keys))
			dest := make([]any, len(tt.keys)+2)
			for i := range values {
				dest[i] = &values[i]
			}
			var stored sql.NullInt64
			var recounted int64
			dest[len(values)], dest[len(values)+1] = &stored, &recounted
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			has := "no row"
			if stored.Valid {
				has = fmt.Sprint(stored.Int64)
			}
			found = append(found, fmt.Sprintf("total: %s (%s) %s is %s, the rows count %d",
				tt.table, formatKey(tt.keys, values), tt.value, has, recounted))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("recount %s: %w", tt.table, err)
		}
		findings = append(findings, capped(found)...)
	}
	return findings, nil
}

// capped keeps the first maxFindings of found and says how many it left out.
func capped(found []string) []string {
	if len(found) <= maxFindings {
		return found
	}
	return append(found[:maxFindings], "… and more")
}

func formatKey(columns []string, values []any) string {
	parts := make([]string, len(columns))
	for i, c := range columns {
		v := values[i]
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		parts[i] = fmt.Sprintf("%s %v", c, v)
	}
	return strings.Join(parts, ", ")
}

func quoteAll(names []string) []string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return quoted
}
