package route

import (
	"context"
	"math"
	"sync"
	"time"
)

// Simulated annealing cools geometrically from tempStart to tempEnd, both
// in units of the mean travel per arc of the first solution, so the same
// settings suit a city measured in seconds and Solomon's plane. They are
// the SISR paper's 100 and 1 for Solomon's distances, give or take; on
// the 25-customer instances a start ten times cooler left the few long
// routes of RC2 stuck 5 to 18 % above their optimum.
const (
	tempStart = 10.0
	tempEnd   = 0.2
	// clockEvery is how many iterations pass between looks at the clock
	// and the context.
	clockEvery = 64
)

// Solve plans p: it builds a solution by insertion, then improves it by
// ruin and recreate under simulated annealing until a limit of opts is
// reached, and returns the best solution found. Cancelling ctx stops the
// search early; the best solution so far is still returned, with ctx's
// error.
func Solve(ctx context.Context, p *Problem, opts Options) (*Solution, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if opts.Iterations == 0 && opts.TimeLimit == 0 {
		opts.Iterations = defaultIterations
	}
	workers := max(opts.Workers, 1)
	m := newModel(p)
	var deadline time.Time
	if opts.TimeLimit > 0 {
		deadline = time.Now().Add(opts.TimeLimit)
	}
	bests := make([]*solution, workers)
	iters := make([]int, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			seed := rng{s: uint64(opts.Seed)*0x2545f4914f6cdd1d + uint64(k)}
			w := newWorker(m, seed.next())
			bests[k], iters[k] = w.search(ctx, opts, deadline)
		})
	}
	wg.Wait()
	best := bests[0]
	total := 0
	for k, b := range bests {
		total += iters[k]
		if b.cost() < best.cost() {
			best = b
		}
	}
	sol := m.extract(best)
	sol.Iterations = total
	return sol, ctx.Err()
}

// search runs one worker's annealing and returns its best solution and
// the number of iterations done.
func (w *worker) search(ctx context.Context, opts Options, deadline time.Time) (*solution, int) {
	m := w.m
	cur := newSolution(m)
	var todo []int32
	for j := range m.jobs {
		if m.possible[j] {
			todo = append(todo, int32(j))
		}
	}
	w.sortByDue(todo)
	w.recreate(cur, todo, false)
	w.localSearch(cur)
	best, work := newSolution(m), newSolution(m)
	best.copyFrom(cur)

	arcs := 0
	for i := range cur.routes {
		if n := len(cur.routes[i].seq); n > 0 {
			arcs += n + 1
		}
	}
	scale := 1.0
	if arcs > 0 && cur.travel > 0 {
		scale = cur.travel / float64(arcs)
	}
	t0, t1 := tempStart*scale, tempEnd*scale
	start := time.Now()
	progress := 0.0
	it := 0
	for ; ; it++ {
		if opts.Iterations > 0 {
			if it >= opts.Iterations {
				break
			}
			progress = float64(it) / float64(opts.Iterations)
		}
		if it%clockEvery == 0 {
			if ctx.Err() != nil {
				break
			}
			if !deadline.IsZero() {
				now := time.Now()
				if !now.Before(deadline) {
					break
				}
				progress = max(progress, float64(now.Sub(start))/float64(deadline.Sub(start)))
			}
		}
		temp := t0 * math.Pow(t1/t0, progress)
		work.syncFrom(cur)
		removed := w.ruin(work)
		for j, r := range work.of {
			if r < 0 && m.possible[j] && !contains(removed, int32(j)) {
				removed = append(removed, int32(j))
			}
		}
		w.sortJobs(removed)
		w.recreate(work, removed, true)
		// Accept a worse solution with the annealing's odds; the
		// threshold form (Christiaens & Vanden Berghe) draws once.
		if work.cost() < cur.cost()-temp*math.Log(1-w.rg.float()) {
			cur, work = work, cur
			if cur.cost() < best.cost()-1e-9 {
				// Local search costs as much as hundreds of
				// iterations, so it polishes only new bests; the
				// annealing then goes on from the polished plan.
				w.localSearch(cur)
				best.copyFrom(cur)
			}
		}
	}
	return best, it
}

func contains(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// sortByDue orders jobs for the first construction: highest penalty
// first, then by window close, so tight jobs claim their places first.
func (w *worker) sortByDue(jobs []int32) {
	for _, j := range jobs {
		w.keys[j] = w.m.jobs[j].Close
	}
	w.sortKeys(jobs)
}

// extract turns the search's solution into the caller's.
func (m *model) extract(s *solution) *Solution {
	sol := &Solution{}
	for ri := range s.routes {
		r := &s.routes[ri]
		if len(r.seq) == 0 {
			continue
		}
		v := &m.veh[r.v]
		out := Route{Vehicle: r.v, Jobs: make([]int, len(r.seq)), Starts: make([]float64, len(r.seq)), Load: r.load}
		out.Departure, out.Return = timeline(m.t, v, m.jobs, r.seq, out.Starts, false)
		prev := v.Start
		for i, j := range r.seq {
			out.Jobs[i] = int(j)
			l := m.jobs[j].Location
			out.Seconds += m.t[prev][l]
			out.Meters += m.p.Matrix.Meters[prev][l]
			prev = l
		}
		out.Seconds += m.t[prev][v.End]
		out.Meters += m.p.Matrix.Meters[prev][v.End]
		sol.Routes = append(sol.Routes, out)
		sol.Seconds += out.Seconds
		sol.Meters += out.Meters
	}
	sol.Cost = sol.Seconds
	for j, r := range s.of {
		if r >= 0 {
			continue
		}
		reason, ok := m.alone(j)
		if ok {
			reason = NoRoom
		}
		sol.Unserved = append(sol.Unserved, Unserved{Job: j, Reason: reason})
		sol.Cost += m.jobs[j].Penalty
	}
	return sol
}
