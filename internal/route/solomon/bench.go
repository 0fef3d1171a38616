package solomon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/route"
)

// Config is one benchmark run.
type Config struct {
	// Options are given to the solver for every instance.
	Options route.Options
	// BKS is the path of bks.json; empty means no gaps are printed.
	BKS string
	// Out, when set, is a directory that receives NAME.json for each
	// instance, in the form check.py reads.
	Out string
}

// Result is the outcome on one instance.
type Result struct {
	Name     string
	Vehicles int
	Distance float64
	// Gap is in percent against the distance-only best known; NaN when
	// there is none.
	Gap     float64
	Seconds float64
	// Iterations counts the solver's ruin-and-recreate steps over all
	// workers.
	Iterations int
	// Problems lists what makes the solution infeasible; empty when it is
	// feasible.
	Problems []string
	// Routes are customer numbers per route.
	Routes [][]int
}

// bks is the part of bks.json the benchmark reads.
type bks map[string]struct {
	DistOnly *struct {
		Vehicles int     `json:"vehicles"`
		Distance float64 `json:"distance"`
	} `json:"dist_only"`
}

// Run solves each instance file in turn, prints a line for each, then the
// averages per class and overall.
func Run(ctx context.Context, cfg Config, files []string, w io.Writer) ([]Result, error) {
	var best bks
	if cfg.BKS != "" {
		data, err := os.ReadFile(cfg.BKS)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &best); err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.BKS, err)
		}
	}
	if cfg.Out != "" {
		if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
			return nil, err
		}
	}
	var results []Result
	for _, f := range files {
		in, err := ReadFile(f)
		if err != nil {
			return results, err
		}
		res, err := Solve(ctx, in, cfg.Options)
		if err != nil {
			return results, err
		}
		res.Gap = math.NaN()
		if b, ok := best[strings.ToUpper(res.Name)]; ok && b.DistOnly != nil {
			res.Gap = 100 * (res.Distance/b.DistOnly.Distance - 1)
		}
		if cfg.Out != "" {
			data, _ := json.Marshal(map[string][][]int{"routes": res.Routes})
			if err := os.WriteFile(filepath.Join(cfg.Out, res.Name+".json"), append(data, '\n'), 0o644); err != nil {
				return results, err
			}
		}
		results = append(results, res)
		fmt.Fprintf(w, "%-6s %3d %9.2f %s %6.2f%s\n", res.Name, res.Vehicles, res.Distance, pct(res.Gap), res.Seconds, infeasibleNote(res))
	}
	Summarize(results, best, w)
	return results, nil
}

// Solve plans one instance and checks the result against the instance
// itself, not the solver's model.
func Solve(ctx context.Context, in *Instance, opts route.Options) (Result, error) {
	start := time.Now()
	sol, err := route.Solve(ctx, in.Problem(false), opts)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return Result{}, fmt.Errorf("%s: %w", in.Name, err)
	}
	res := Result{Name: in.Name, Seconds: time.Since(start).Seconds(), Iterations: sol.Iterations}
	for _, r := range sol.Routes {
		nums := make([]int, len(r.Jobs))
		for i, j := range r.Jobs {
			nums[i] = j + 1 // job i is customer i+1
		}
		res.Routes = append(res.Routes, nums)
	}
	res.Vehicles, res.Distance, res.Problems = in.Check(res.Routes, false, 1e-6)
	return res, err
}

func pct(g float64) string {
	if math.IsNaN(g) {
		return "      -"
	}
	return fmt.Sprintf("%+6.2f%%", g)
}

func infeasibleNote(r Result) string {
	if len(r.Problems) == 0 {
		return ""
	}
	return "  INFEASIBLE: " + strings.Join(r.Problems, "; ")
}

// Class is the instance's class: C1, C2, R1, R2, RC1 or RC2.
func Class(name string) string {
	name = strings.ToUpper(name)
	i := strings.IndexFunc(name, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 || i >= len(name) {
		return name
	}
	return name[:i+1]
}

// Summarize prints averages per class and overall: vehicles, distance,
// gap, seconds, how many instances are at the best known (to the cent,
// as VROOM counts) and how many are infeasible.
func Summarize(results []Result, best bks, w io.Writer) {
	type agg struct {
		n, gaps, atBest, infeasible int
		veh, dist, gap, secs, iters float64
	}
	classes := map[string]*agg{}
	var order []string
	all := &agg{}
	for _, r := range results {
		c := Class(r.Name)
		a, ok := classes[c]
		if !ok {
			a = &agg{}
			classes[c] = a
			order = append(order, c)
		}
		for _, x := range []*agg{a, all} {
			x.n++
			x.veh += float64(r.Vehicles)
			x.dist += r.Distance
			x.secs += r.Seconds
			x.iters += float64(r.Iterations)
			if len(r.Problems) > 0 {
				x.infeasible++
			}
			if !math.IsNaN(r.Gap) {
				x.gaps++
				x.gap += r.Gap
				if b := best[strings.ToUpper(r.Name)].DistOnly; b != nil && math.Round(r.Distance*100)/100 <= b.Distance {
					x.atBest++
				}
			}
		}
	}
	line := func(name string, a *agg) {
		g := math.NaN()
		if a.gaps > 0 {
			g = a.gap / float64(a.gaps)
		}
		fmt.Fprintf(w, "%-6s %6.2f %9.2f %s %6.2f  n=%d at-best=%d infeasible=%d iterations=%.0f\n",
			name, a.veh/float64(a.n), a.dist/float64(a.n), pct(g), a.secs/float64(a.n), a.n, a.atBest, a.infeasible, a.iters/float64(a.n))
	}
	if len(results) == 0 {
		return
	}
	fmt.Fprintln(w, "class   veh  distance    gap  seconds")
	for _, c := range []string{"C1", "C2", "R1", "R2", "RC1", "RC2"} {
		if a, ok := classes[c]; ok {
			line(c, a)
		}
	}
	for _, c := range order {
		switch c {
		case "C1", "C2", "R1", "R2", "RC1", "RC2":
		default:
			line(c, classes[c])
		}
	}
	line("all", all)
}
