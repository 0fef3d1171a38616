// Command aqjurek is the Aq Júrek supply tracker: one binary that serves the
// API and runs the operator's tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.As(err, new(logged)) {
			fmt.Fprintln(os.Stderr, "aqjurek:", err)
		}
		os.Exit(exitStatus(err))
	}
}

// exitError is an error that calls for an exit status other than 1.
type exitError struct {
	error
	status int
}

func (e exitError) Unwrap() error { return e.error }

// exitStatus is the status the command exits with after err: 2 when it
// refused to act on what it was asked, as for a backup of PostgreSQL; 1
// for any other failure.
func exitStatus(err error) int {
	var e exitError
	if errors.As(err, &e) {
		return e.status
	}
	return 1
}

// dbHelp is the help of every command's --db flag.
const dbHelp = `the database: an SQLite file (a path, or sqlite:path) or PostgreSQL (postgres://user:password@host:port/database, ?search_path=schema to choose a schema); AQJUREK_DB when set, else aqjurek.db`

const usage = `usage: aqjurek <command> [flags]

commands:
  serve          run the gRPC server and the REST gateway
  token create   make a bearer token and print it (shown only once)
  token list     list tokens: id, role, scope, name, created, last used, revoked
  token revoke   revoke a token by id; it stops working at once
  backup         copy the database to a new file while the server runs
  restore        put a backup back as the database (server stopped)
  migrate        apply database migrations and exit
  check          check the database's integrity and recount its totals
  copy           copy an SQLite database to an empty PostgreSQL database
  bench          measure what the service sustains on this machine

The database (--db) is an SQLite file, aqjurek.db unless said otherwise, or
a PostgreSQL database: --db postgres://user:password@host:5432/aqjurek.

Run "aqjurek <command> -h" for the command's flags. Every flag can also be
set by an environment variable AQJUREK_<FLAG>, e.g. AQJUREK_GRPC_ADDR or
AQJUREK_DB.
`

func realMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "check":
		return check(ctx, args[1:], stdout, stderr)
	case "token":
		return token(ctx, args[1:], stdout, stderr)
	case "backup", "restore":
		return backup(ctx, args[0], args[1:], stdout, stderr)
	case "copy":
		return copyDatabase(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchmark(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// newFlagSet returns a flag set for a command that reports its errors
// instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("aqjurek "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse sets flags from AQJUREK_* environment variables, then from args,
// which win.
func parse(fs *flag.FlagSet, args []string) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		env := "AQJUREK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", env, v, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	var cfg server.Config
	fs.StringVar(&cfg.DBPath, "db", "aqjurek.db", dbHelp+" (an SQLite file is created if missing; either is migrated)")
	fs.StringVar(&cfg.GRPCAddr, "grpc-addr", "127.0.0.1:9090", "address of the gRPC server")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", "127.0.0.1:8080", "address of the REST gateway")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "address to serve Prometheus /metrics on, apart from the API (empty: not served)")
	fs.BoolVar(&cfg.Demo, "demo", false, "load the demo data set if the database is empty")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long in-flight calls may take to finish on shutdown")
	logLevel := fs.String("log-level", "info", "least severe log level written: debug, info, warn or error")
	fs.Float64Var(&cfg.RateLimit, "rate-limit", 50, "calls a second one token may make on average (twice as many at once)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate: serve gRPC and REST over TLS (with --tls-key)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.IntVar(&cfg.MaxWatchersPerToken, "max-watchers-per-token", 20, "event streams (events:watch) one token may have open at once")
	fs.IntVar(&cfg.MaxWatchers, "max-watchers", 5000, "event streams the server follows at once")
	if err := parse(fs, args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level %q must be debug, info, warn or error", *logLevel)
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg.Out = stdout
	if err := server.Run(ctx, cfg); err != nil {
		// Once serving, every line on stderr is JSON, the last one too.
		cfg.Logger.Error("serve stopped", "error", err.Error())
		return logged{err}
	}
	return nil
}

// logged is an error a command has already written to its JSON log, so
// main does not print it again as plain text.
type logged struct{ error }

func (l logged) Unwrap() error { return l.error }

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr)
	dbPath := fs.String("db", "aqjurek.db", dbHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is up to date\n", db.Path())
	return db.Close()
}

func backup(ctx context.Context, command string, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command, stderr)
	dbPath := fs.String("db", "aqjurek.db", dbHelp+" (SQLite only: PostgreSQL backs up with pg_dump)")
	file := fs.String("out", "", "the backup file to write (backup)")
	if command == "restore" {
		file = fs.String("from", "", "the backup file to restore (restore)")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if store.IsPostgres(*dbPath) {
		return exitError{postgresBackup(command, *dbPath, *file), 2}
	}
	if *file == "" {
		return fmt.Errorf("%s needs %s FILE", command, map[string]string{"backup": "--out", "restore": "--from"}[command])
	}
	if command == "backup" {
		if err := store.Backup(ctx, *dbPath, *file); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "backed up %s to %s\n", *dbPath, *file)
		return err
	}
	if err := store.Restore(ctx, *file, *dbPath); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "restored %s from %s\n", *dbPath, *file)
	return err
}

// postgresBackup is the refusal of a backup or restore of PostgreSQL,
// which has tools of its own for both, with the commands to run instead.
// It shows the URL without its password.
func postgresBackup(command, dsn, file string) error {
	shown := store.Display(dsn)
	target := libpqURL(dsn)
	schema := ""
	if s := store.Schema(dsn); s != "" {
		schema = " --schema=" + s
	}
	if file == "" {
		file = "aqjurek.dump"
	}
	dump := fmt.Sprintf("pg_dump --format=custom%s --file=%s --dbname=%s", schema, file, target)
	restore := fmt.Sprintf("pg_restore --clean --if-exists --single-transaction%s --dbname=%s %s", schema, target, file)
	if command == "backup" {
		return fmt.Errorf(`backup copies SQLite files only; %s is PostgreSQL, which backs up with its own tools
(the password from PGPASSWORD or ~/.pgpass). Back it up, while the servers run, with
  %s
and put it back, the servers stopped, with
  %s`, shown, dump, restore)
	}
	return fmt.Errorf(`restore puts back SQLite files only; %s is PostgreSQL, which restores a backup
made with
  %s
with its own tool (servers stopped; the password from PGPASSWORD or ~/.pgpass):
  %s`, shown, dump, restore)
}

// libpqURL is a --db URL as PostgreSQL's own tools take it: without its
// password, and without search_path, which they do not know (the schema
// goes in --schema); the other options, sslmode say, stay. Quoted for the
// shell when it has options.
func libpqURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return store.Display(dsn)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	if u.RawQuery == "" {
		return u.String()
	}
	return "'" + u.String() + "'"
}
