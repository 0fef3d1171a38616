// Package store keeps Aq Júrek's data in SQLite (embedded, the default: a
// file path) or PostgreSQL (a postgres:// URL, for several servers on one
// database). Both engines run the same SQL through database/sql; what
// differs between them (placeholders, migrations, how writers are kept in
// order, how other servers hear of a change) is in engine.go and
// postgres.go.
//
// Writes go through one writer per process, which commits waiting changes
// in groups. In SQLite that writer is the only one (BEGIN IMMEDIATE, so no
// SQLITE_BUSY); in PostgreSQL every write transaction first locks the event
// log, so the writers of every server take turns and each change is checked
// against the one before it. Reads use a pool beside the writer. Every change
// is written together with its event row in one transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	"github.com/aqjurek/tracker/internal/supply"
)

//go:embed migrations
var migrations embed.FS

// DB is the store on either engine. It implements supply.Store.
type DB struct {
	engine  *engine
	path    string // the SQLite file, or the PostgreSQL URL without its password
	writeDB *sql.DB
	read    *sql.DB
	// Now tells the time of changes; tests replace it.
	Now supply.Clock

	mu      sync.Mutex
	changed chan struct{} // closed at the next commit

	jobs       chan *job     // changes waiting for the writer
	closed     chan struct{} // closed by Close
	writerDone chan struct{} // closed when the writer has stopped
	closeOnce  sync.Once

	// channel is where PostgreSQL servers sharing the database announce
	// commits; listenerDone is closed when this one stops listening.
	channel      string
	listenerDone chan struct{}
}

var _ supply.Store = (*DB)(nil)

// readConnections is the size of the read pool: enough for the two cores
// this runs on, with room for a slow reader.
const readConnections = 4

func newDB(e *engine, display string, write *sql.DB) *DB {
	db := &DB{engine: e, path: display, writeDB: write, Now: time.Now, changed: make(chan struct{}),
		jobs: make(chan *job, maxBatch), closed: make(chan struct{}), writerDone: make(chan struct{}),
		listenerDone: make(chan struct{})}
	if e != postgresEngine {
		close(db.listenerDone)
	}
	return db
}

// Open opens the database dsn names and applies any migrations it lacks: a
// postgres:// or postgresql:// URL is PostgreSQL; anything else is an
// SQLite file, created if needed (an "sqlite:" prefix may say so). It fails
// at once when the database cannot be reached, is not an Aq Júrek database
// or cannot be written.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

func openSQLite(ctx context.Context, dbPath string) (*DB, error) {
	if dbPath == "" || strings.ContainsAny(dbPath, "?#") {
		return nil, fmt.Errorf("database path %q must be a file name without ? or #", dbPath)
	}
	if info, err := os.Stat(dbPath); err == nil && info.IsDir() {
		return nil, fmt.Errorf("database path %s is a directory", dbPath)
	}
	// synchronous=FULL: a request the server acknowledged survives a power cut.
	// The writer runs the same few statements all day: it keeps them prepared.
	write, err := sql.Open("sqlite3", dbPath+"?_journal_mode=WAL&_foreign_keys=1&_busy_timeout=10000&_synchronous=FULL&_txlock=immediate&_stmt_cache_size=256")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", dbPath, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	db := newDB(sqliteEngine, dbPath, write)
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", dbPath, err)
	}
	read, err := sql.Open("sqlite3", dbPath+"?_foreign_keys=1&_busy_timeout=10000&_query_only=1&_stmt_cache_size=128")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", dbPath, err)
	}
	read.SetMaxOpenConns(readConnections)
	read.SetMaxIdleConns(readConnections)
	db.read = read
	go db.write()
	return db, nil
}

// Close closes both pools; the WAL is checkpointed by the last connection.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		close(db.closed)
		<-db.writerDone
		<-db.listenerDone
		err = db.writeDB.Close()
		if db.read != nil {
			err = errors.Join(db.read.Close(), err)
		}
	})
	return err
}

// Path returns the SQLite database file's path, or the PostgreSQL
// database's URL without its password.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// migrate applies the embedded migrations the database lacks, each in its
// own transaction with its row in schema_migrations, forward only. Servers
// starting together on one PostgreSQL database take turns.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.writeDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.engine.migrationLock != "" {
		if _, err := conn.ExecContext(ctx, db.engine.migrationLock); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), db.engine.migrationUnlock)
	}
	if _, err := conn.ExecContext(ctx, db.engine.schemaMigrations); err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return err
	}
	latest := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
		latest = max(latest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	files, err := db.engine.migrationFiles()
	if err != nil {
		return err
	}
	known := 0
	for _, m := range files {
		name, version := m.name, m.version
		known = max(known, version)
		if applied[version] {
			continue
		}
		script, err := migrations.ReadFile(m.file)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, apply_time) VALUES (?, ?, ?)",
			version, name, formatTime(db.now())); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if latest > known {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d)", latest, known)
	}
	return nil
}

// migrationFile is one embedded migration.
type migrationFile struct {
	file, name string
	version    int
}

// migrationFiles lists the engine's embedded migrations in order.
func (e *engine) migrationFiles() ([]migrationFile, error) {
	files, err := fs.Glob(migrations, "migrations/"+e.name+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var found []migrationFile
	for _, file := range files {
		name := path.Base(file)
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		found = append(found, migrationFile{file: file, name: name, version: version})
	}
	return found, nil
}

// operation is a call's Op as the store keeps it.
type operation struct{ supply.Op }

// idempotencyActor is whose request ids a call's id is among: its token's,
// so two people whose tokens share a name never share request ids.
func (o operation) idempotencyActor() string {
	if o.Actor.TokenID != "" {
		return "token:" + o.Actor.TokenID
	}
	return o.Actor.Name
}

// Changed implements supply.EventStore: the channel is closed at the next
// commit, so a watcher that takes it before reading the log and waits on it
// after never misses a change.
func (db *DB) Changed() <-chan struct{} {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.changed
}

func (db *DB) notify() {
	db.mu.Lock()
	defer db.mu.Unlock()
	close(db.changed)
	db.changed = make(chan struct{})
}

// scope is whom an event concerns: a hospital's staff, a run's driver.
type scope struct {
	hospitalID  string
	volunteerID string
}

// event appends an entry to the change log.
func (t *tx) event(kind supply.EventKind, resource, summary string, s scope) error {
	// The sequence is the last one plus one: the writer holds the log
	// (see engine.lockWrites), so it has no gaps and commits in order.
	_, err := t.exec(`INSERT INTO events (sequence, event_time, actor, actor_role, kind, resource, summary, hospital_id, volunteer_id)
		VALUES ((SELECT coalesce(max(sequence), 0) + 1 FROM events), ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(t.now), t.op.Actor.Name, t.op.Actor.Role, string(kind), resource, summary,
		nullString(s.hospitalID), nullString(s.volunteerID))
	return err
}

// replay returns the resource an earlier call with the same request id
// produced, if there was one.
func (t *tx) replay() (resource string, found bool, err error) {
	if t.op.RequestID == "" {
		return "", false, nil
	}
	var fingerprint []byte
	err = t.queryRow(`SELECT fingerprint, resource FROM idempotency_keys
		WHERE actor = ? AND method = ? AND request_id = ?`, t.op.idempotencyActor(), t.op.Method, t.op.RequestID).Scan(&fingerprint, &resource)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if string(fingerprint) != string(t.op.Fingerprint) {
		return "", false, supply.InvalidField("request_id", "request_id %s was already used for a different request", t.op.RequestID)
	}
	return resource, true, nil
}

// remember records the resource this call produced under its request id.
func (t *tx) remember(resource string) error {
	if t.op.RequestID == "" {
		return nil
	}
	_, err := t.exec(`INSERT INTO idempotency_keys (actor, method, request_id, fingerprint, resource, create_time)
		VALUES (?, ?, ?, ?, ?, ?)`, t.op.idempotencyActor(), t.op.Method, t.op.RequestID, t.op.Fingerprint, resource, formatTime(t.now))
	return err
}

// errAlreadyExists and errStillReferred are what a constraint of either
// engine turns into.
func errAlreadyExists() error {
	return supply.Errorf(supply.AlreadyExists, "a resource with that id already exists")
}

func errStillReferred() error {
	return supply.Errorf(supply.FailedPrecondition, "other records still refer to this resource")
}

// translate turns driver errors the caller can act on into domain errors.
func translate(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return translatePostgres(pe)
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintPrimaryKey, sqlite3.ErrConstraintUnique:
		return errAlreadyExists()
	case sqlite3.ErrConstraintForeignKey:
		return errStillReferred()
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		// Another process (a backup, an operator's query) held the
		// database past the busy timeout.
		return supply.Errorf(supply.Unavailable, "the database is busy; retry in a moment")
	}
	return err
}

// timeLayout has a fixed width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

func formatOptionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// etag derives a resource's etag from its creation time and revision, so a
// resource deleted and created again under the same id never repeats one.
func etag(createTime string, revision int64) string {
	t, _ := parseTime(createTime)
	return strconv.FormatInt(t.UnixMicro(), 36) + "-" + strconv.FormatInt(revision, 10)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
