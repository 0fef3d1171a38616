package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"time"

	"github.com/aqjurek/tracker/internal/route/solomon"
)

// benchRoute runs the route planner over Solomon's VRPTW instances and
// prints each result and the averages against the best-known distances.
func benchRoute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench route", stderr)
	var cfg solomon.Config
	fs.DurationVar(&cfg.Options.TimeLimit, "time-limit", time.Second, "solver time per instance (0: none, then --iterations must be set)")
	fs.IntVar(&cfg.Options.Iterations, "iterations", 0, "ruin-and-recreate steps per worker (0: no limit); with no time limit the result is repeatable")
	fs.Int64Var(&cfg.Options.Seed, "seed", 1, "random seed")
	fs.IntVar(&cfg.Options.Workers, "workers", 2, "independent searches run at once")
	fs.StringVar(&cfg.Out, "out", "", "directory that receives NAME.json for each instance, for check.py")
	fs.StringVar(&cfg.BKS, "bks", filepath.Join("..", "shared", "solomon", "bks.json"), "best-known values (bks.json); empty for none")
	// parse refuses positional arguments, and the instance files are
	// positional: flags come first, then the files.
	if err := parse(fs, nil); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New("bench route: give one or more instance files")
	}
	if cfg.Options.TimeLimit < 0 || cfg.Options.Iterations < 0 || cfg.Options.Workers < 1 {
		return errors.New("bench route: --time-limit and --iterations must not be negative, --workers at least 1")
	}
	if cfg.Options.TimeLimit == 0 && cfg.Options.Iterations == 0 {
		return errors.New("bench route: set --time-limit or --iterations")
	}
	_, err := solomon.Run(ctx, cfg, files, stdout)
	return err
}
