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
		os.Exit(1)
	}
}

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
  bench          measure what the service sustains on this machine

Run "aqjurek <command> -h" for the command's flags. Every flag can also be
set by an environment variable AQJUREK_<FLAG>, e.g. AQJUREK_GRPC_ADDR.
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
	fs.StringVar(&cfg.DBPath, "db", "aqjurek.db", "SQLite database file (created if missing)")
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
	dbPath := fs.String("db", "aqjurek.db", "SQLite database file")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is up to date\n", *dbPath)
	return db.Close()
}

func backup(ctx context.Context, command string, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command, stderr)
	dbPath := fs.String("db", "aqjurek.db", "SQLite database file")
	file := fs.String("out", "", "the backup file to write (backup)")
	if command == "restore" {
		file = fs.String("from", "", "the backup file to restore (restore)")
	}
	if err := parse(fs, args); err != nil {
		return err
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
