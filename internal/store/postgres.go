package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsPostgres reports whether a --db value names a PostgreSQL database
// (postgres:// or postgresql://) rather than an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// postgresConnections is the size of each PostgreSQL pool: the writer needs
// one connection at a time, readers a few each, and a managed server's
// connection limit is shared by every server process.
const postgresConnections = 8

// openPostgres connects to the PostgreSQL database the URL names. Each
// connection's statements are written with ? placeholders, as for SQLite;
// the connector numbers them.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", redact(err, dsn))
	}
	pool := func(size int, params map[string]string) *sql.DB {
		c := config.Copy()
		for k, v := range params {
			c.RuntimeParams[k] = v
		}
		p := openSQL(c)
		p.SetMaxOpenConns(size)
		p.SetMaxIdleConns(size)
		p.SetConnMaxIdleTime(5 * time.Minute)
		return p
	}
	// The writer holds one connection for a commit; a second lets a change
	// begin while the last one's connection is handed back. A write
	// transaction holds the lock every server's writer takes, so one whose
	// server stopped answering mid-change (a paused machine, a network cut)
	// must not hold it for long: PostgreSQL ends a session idle that long
	// inside a transaction, rolling it back, and the other servers write on.
	// Nothing of it was acknowledged. Between a change's statements only its
	// rules run, in microseconds.
	db := newDB(postgresEngine, displayURL(dsn, config), pool(2, map[string]string{"idle_in_transaction_session_timeout": "5s"}))
	if err := db.writeDB.PingContext(ctx); err != nil {
		db.writeDB.Close()
		return nil, fmt.Errorf("open database %s: %w", db.path, redact(err, dsn))
	}
	if err := db.migrate(ctx); err != nil {
		db.writeDB.Close()
		return nil, fmt.Errorf("open database %s: %w", db.path, err)
	}
	db.read = pool(postgresConnections, nil)
	var schema string
	if err := db.read.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		db.read.Close()
		db.writeDB.Close()
		return nil, fmt.Errorf("open database %s: %w", db.path, err)
	}
	// One channel per schema, so databases that share a server (tests, a
	// staging copy) never wake each other.
	db.channel = "aqjurek_" + schema
	go db.write()
	listening := make(chan struct{})
	go db.listen(config, listening)
	select {
	case <-listening:
	case <-ctx.Done():
		db.Close()
		return nil, ctx.Err()
	}
	return db, nil
}

// OpenPostgresSQL opens a database/sql pool on the PostgreSQL database the
// URL names whose statements take ? placeholders, as the store's own do:
// for tools beside the store (the bench) that write one SQL for both
// engines.
func OpenPostgresSQL(dsn string) (*sql.DB, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", redact(err, dsn))
	}
	return openSQL(config), nil
}

func openSQL(config *pgx.ConnConfig) *sql.DB {
	return sql.OpenDB(rebindConnector{stdlib.GetConnector(*config)})
}

// displayURL is the database's URL without its password, for messages; its
// parameters (the schema, TLS) stay, so the URL still names the database.
func displayURL(dsn string, c *pgx.ConnConfig) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Sprintf("postgres://%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("password")
	u.RawQuery = q.Encode()
	return u.String()
}

// redact keeps a password in the URL out of an error message.
func redact(err error, dsn string) error {
	config, perr := pgx.ParseConfig(dsn)
	if perr != nil || config.Password == "" {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), config.Password, "********"))
}

// listen wakes this server's watchers when another server sharing the
// database commits: every change notifies the schema's channel in its
// transaction, which PostgreSQL delivers at commit. A notification only
// says "read the log again": the event sequence is what watchers follow, so
// one lost while the connection was down is made good by the wake-up that
// follows every reconnect. listening is closed once the first LISTEN holds.
func (db *DB) listen(config *pgx.ConnConfig, listening chan struct{}) {
	defer close(db.listenerDone)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-db.closed
		cancel()
	}()
	first := true
	for backoff := 100 * time.Millisecond; ctx.Err() == nil; backoff = min(2*backoff, 5*time.Second) {
		conn, err := pgx.ConnectConfig(ctx, config)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.channel}.Sanitize())
		}
		if err == nil {
			if first {
				close(listening)
				first = false
			}
			// Whatever was committed while not listening is read now.
			db.notify()
			backoff = 100 * time.Millisecond
			for err == nil {
				_, err = conn.WaitForNotification(ctx)
				if err == nil {
					db.notify()
				}
			}
		}
		if conn != nil {
			conn.Close(context.Background())
		}
		if ctx.Err() != nil {
			break
		}
		slog.Warn("listening for other servers' changes failed; retrying", "error", err, "retry_in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
	}
	if first {
		close(listening)
	}
}

// rebindConnector makes pgx connections that take ? placeholders, so one
// SQL text serves both engines.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		// A script (a migration) runs as written.
		return c.Conn.ExecContext(ctx, query, args)
	}
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// rebind numbers a statement's ? placeholders $1, $2, … as PostgreSQL
// writes them, leaving quoted text, quoted names and comments alone.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// PostgreSQL error codes the store acts on.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgCheckViolation       = "23514"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// translatePostgres turns PostgreSQL errors the caller can act on into
// domain errors, as translate does SQLite's.
func translatePostgres(pe *pgconn.PgError) error {
	switch pe.Code {
	case pgUniqueViolation:
		return errAlreadyExists()
	case pgForeignKeyViolation:
		return errStillReferred()
	}
	return pe
}

// retryable reports whether a failed write transaction may be run again
// as a whole: it was rolled back, so nothing of it took effect.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgDeadlockDetected)
}
