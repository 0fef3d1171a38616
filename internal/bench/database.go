package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, the one the store uses

	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/scratch"
)

// target is the database a run measures: a fresh SQLite file in a
// temporary folder, or a fresh schema on a PostgreSQL server. Either is
// made for the run and removed after it, so a bench never touches data
// that was there before.
type target struct {
	// dsn is the --db value of the bench's database, for the server and
	// the store.
	dsn      string
	postgres bool
	// display names the database without a password, for the report.
	display string
	// dir is the temporary folder (SQLite's files live in it).
	dir string
	// drop drops the PostgreSQL schema the run made.
	drop func(context.Context) error
}

// newTarget makes the run's database: with server empty, a file in a new
// temporary folder; with a postgres:// URL, a new schema bench_<random> on
// that server, which search_path in the returned dsn selects. remove
// undoes it.
func newTarget(ctx context.Context, server string) (*target, error) {
	if server != "" && !store.IsPostgres(server) {
		return nil, fmt.Errorf("--db %q: the bench makes its own SQLite database; --db takes only a PostgreSQL server's URL (postgres://…)", server)
	}
	dir, err := os.MkdirTemp("", "aqjurek-bench-")
	if err != nil {
		return nil, err
	}
	if server == "" {
		path := filepath.Join(dir, "bench.db")
		return &target{dsn: path, display: path, dir: dir}, nil
	}
	u, err := url.Parse(server)
	if err != nil {
		os.RemoveAll(dir)
		return nil, errors.New("--db: the PostgreSQL URL does not parse")
	}
	dsn, schema, drop, err := scratch.Schema(ctx, server, "bench_")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("the bench's schema: %w", err)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery = ""
	t := &target{postgres: true, dsn: dsn, dir: dir, drop: drop,
		display: u.String() + " schema " + schema}
	return t, nil
}

// remove deletes the run's database. It runs after the run however it
// ended, interrupted too, so it does not use the run's context.
func (t *target) remove() error {
	err := os.RemoveAll(t.dir)
	if !t.postgres {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return errors.Join(err, t.drop(ctx))
}

// database is a direct connection to the bench's database for what the
// bench does beside the server: seed it, read what to deliver, look for
// acknowledged creates. Its statements are written once, with ?
// placeholders, for both engines.
type database struct {
	*sql.DB
	postgres bool
}

// Ways to open the database directly.
const (
	readOnly = iota
	// bulk skips waiting for the disk at each commit: it is for the seed,
	// which is setup.
	bulk
)

func (t *target) open(mode int) (*database, error) {
	if t.postgres {
		dsn := t.dsn
		if mode == bulk {
			// pgx sends URL parameters it does not know as settings.
			dsn += "&synchronous_commit=off"
		} else {
			dsn += "&default_transaction_read_only=on"
		}
		db, err := store.OpenPostgresSQL(dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		return &database{DB: db, postgres: true}, nil
	}
	options := "?_query_only=1"
	if mode == bulk {
		options = "?_journal_mode=WAL&_synchronous=OFF&_foreign_keys=1"
	}
	db, err := sql.Open("sqlite3", t.dsn+options)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &database{DB: db}, nil
}

// dropIndexes drops the secondary indexes of tables (the primary keys
// stay: the lines' foreign key and the totals' triggers look requests up
// by id) and returns the statements that create them again, as the
// database itself writes them.
func (d *database) dropIndexes(ctx context.Context, tables ...string) ([]string, error) {
	query := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?` + strings.Repeat(", ?", len(tables)-1) + `)`
	if d.postgres {
		query = `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
			WHERE t.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary AND NOT i.indisunique
			AND t.relname IN (?` + strings.Repeat(", ?", len(tables)-1) + `)`
	}
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := d.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var names, statements []string
	for rows.Next() {
		var name, statement string
		if err := rows.Scan(&name, &statement); err != nil {
			rows.Close()
			return nil, err
		}
		names, statements = append(names, name), append(statements, statement)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := d.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return statements, nil
}

// pauseTotals stops the triggers that keep the dashboard's totals while
// the seed loads the requests into the database, which holds none yet, and
// resumeTotals counts the totals from the loaded rows and starts the
// triggers again. In SQLite the triggers run in the loading process at
// little cost and stay on. PostgreSQL's run for every row in PL/pgSQL, and
// in one long transaction each update of a total leaves a row version the
// next must step over: loading with them took two and a half times as long.
func (d *database) pauseTotals(ctx context.Context) error {
	if !d.postgres {
		return nil
	}
	_, err := d.ExecContext(ctx, `ALTER TABLE delivery_requests DISABLE TRIGGER USER;
		ALTER TABLE delivery_request_lines DISABLE TRIGGER USER`)
	return err
}

func (d *database) resumeTotals(ctx context.Context) error {
	if !d.postgres {
		return nil
	}
	// What the triggers would have added up, row by row, from nothing.
	_, err := d.ExecContext(ctx, `
		INSERT INTO request_totals (hospital_id, state, priority, requests)
			SELECT hospital_id, state, priority, count(*) FROM delivery_requests GROUP BY hospital_id, state, priority;
		INSERT INTO outstanding_totals (hospital_id, category, unit, quantity)
			SELECT r.hospital_id, l.category, l.unit, sum(GREATEST(0, l.quantity - l.delivered_quantity))
			FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
			WHERE r.waiting = 1 GROUP BY r.hospital_id, l.category, l.unit;
		ALTER TABLE delivery_requests ENABLE TRIGGER USER;
		ALTER TABLE delivery_request_lines ENABLE TRIGGER USER`)
	return err
}

// settle leaves a freshly loaded database as a server that had written it
// over time would find it: SQLite's log checkpointed into the file,
// PostgreSQL's tables vacuumed and their statistics gathered for the
// planner.
func (d *database) settle(ctx context.Context) error {
	if !d.postgres {
		_, err := d.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		return err
	}
	_, err := d.ExecContext(ctx, "VACUUM ANALYZE")
	return err
}

// limit measures how many request-like rows the engine itself stores a
// second, one per transaction through database/sql, with the durability
// the service has: SQLite with the service's pragmas (synchronous=FULL),
// PostgreSQL with synchronous_commit as the server has it, through the
// store's pgx driver. It returns the rate, the figure's name and the
// durability setting it measured with.
func (t *target) limit(ctx context.Context, d time.Duration) (rate float64, name, durability string, err error) {
	if !t.postgres {
		rate, err = sqliteLimit(ctx, filepath.Join(t.dir, "limit.db"), d)
		return rate, "limit_sqlite_insert", "synchronous=FULL", err
	}
	rate, durability, err = postgresLimit(ctx, t.dsn, d)
	return rate, "limit_postgres_insert", durability, err
}

// sqliteLimit inserts request-like rows one per transaction through
// database/sql with the service's pragmas and durability, for d.
func sqliteLimit(ctx context.Context, path string, d time.Duration) (float64, error) {
	db, err := sql.Open("sqlite3", path+"?_journal_mode=WAL&_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE requests (id TEXT PRIMARY KEY, ward TEXT NOT NULL, priority INTEGER NOT NULL,
		deliver_before TEXT NOT NULL, state TEXT NOT NULL, create_time TEXT NOT NULL) STRICT`); err != nil {
		return 0, err
	}
	return insertRows(ctx, db, "INSERT INTO requests VALUES (?, 'hospitals/h1/wards/w1', 2, ?, 'OPEN', ?)", d)
}

// postgresLimit is sqliteLimit on PostgreSQL: a table like it in the
// bench's schema, dropped afterwards so the server finds only its own.
func postgresLimit(ctx context.Context, dsn string, d time.Duration) (float64, string, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return 0, "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var synchronous string
	if err := db.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&synchronous); err != nil {
		return 0, "", err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE limit_requests (id text COLLATE "C" PRIMARY KEY, ward text COLLATE "C" NOT NULL,
		priority bigint NOT NULL, deliver_before text COLLATE "C" NOT NULL, state text COLLATE "C" NOT NULL, create_time text COLLATE "C" NOT NULL)`); err != nil {
		return 0, "", err
	}
	rate, err := insertRows(ctx, db, "INSERT INTO limit_requests VALUES ($1, 'hospitals/h1/wards/w1', 2, $2, 'OPEN', $3)", d)
	if err != nil {
		return 0, "", err
	}
	_, err = db.ExecContext(ctx, "DROP TABLE limit_requests")
	return rate, "synchronous_commit=" + synchronous, err
}

// insertRows runs insert, each time its own transaction, for d and
// returns how many it ran a second.
func insertRows(ctx context.Context, db *sql.DB, insert string, d time.Duration) (float64, error) {
	start := time.Now()
	n := 0
	for ; time.Since(start) < d; n++ {
		now := formatTime(time.Now())
		if _, err := db.ExecContext(ctx, insert, fmt.Sprintf("r%09d", n), now, now); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
