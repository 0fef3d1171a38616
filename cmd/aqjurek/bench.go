package main

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/aqjurek/tracker/internal/bench"
)

// benchmark runs the real server on loopback with a fresh database, SQLite
// or a schema on the PostgreSQL server --db names, and prints what it
// sustains, one figure a line, then the ratios.
func benchmark(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "route" {
		return benchRoute(ctx, args[1:], stdout, stderr)
	}
	fs := newFlagSet("bench", stderr)
	var cfg bench.Config
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long each throughput figure is measured")
	fs.IntVar(&cfg.Concurrency, "concurrency", 50, "how many clients call at once")
	fs.IntVar(&cfg.Rows, "rows", 1000000, "how many delivery requests the database holds")
	fs.IntVar(&cfg.Watchers, "watchers", 2000, "how many event streams follow the log while requests are filed (0: none)")
	fs.StringVar(&cfg.DB, "db", "", "a PostgreSQL server's URL (postgres://…): measure PostgreSQL, in a schema made for the run and dropped after it (empty: a fresh SQLite file in a temporary folder)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.Duration <= 0 || cfg.Concurrency < 1 || cfg.Rows < 0 || cfg.Watchers < 0 {
		return errors.New("--duration and --concurrency must be positive and --rows and --watchers not negative")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cfg.Executable, cfg.Progress = exe, stderr
	report, runErr := bench.Run(ctx, cfg)
	if report != nil {
		if *asJSON {
			if err := report.JSON(stdout); err != nil {
				return err
			}
		} else {
			report.Print(stdout)
		}
	}
	return runErr
}
