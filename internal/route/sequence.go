package route

import (
	"cmp"
	"slices"
)

// Sequence orders jobs for one vehicle when every one of them must be
// served, as when a coordinator hands a driver a set of requests: it
// minimises the total lateness (service past Close, return past Latest,
// perishables past MaxRide) first and the travel time second. It returns
// the order as indexes into jobs, and its timeline. Local search over the
// whole route is exhaustive enough at the sizes this is meant for (up to
// about sixty stops).
func Sequence(m *Matrix, v Vehicle, jobs []Job) ([]int, *Timeline, error) {
	p := &Problem{Matrix: m, Vehicles: []Vehicle{v}, Jobs: jobs}
	if err := p.validate(); err != nil {
		return nil, nil, err
	}
	sq := sequencer{t: m.Seconds, v: &v, jobs: jobs, starts: make([]float64, len(jobs))}
	n := len(jobs)
	// Two starts: by closing time, which is best for lateness alone, and
	// nearest neighbour, which is good for travel; search from both.
	due := make([]int32, n)
	for i := range due {
		due[i] = int32(i)
	}
	slices.SortStableFunc(due, func(a, b int32) int { return cmp.Compare(jobs[a].Close, jobs[b].Close) })
	best := sq.improve(due)
	if other := sq.improve(sq.nearest()); sq.better(sq.score(other), sq.score(best)) {
		best = other
	}
	// Then kick the best order (move a few random segments) and search
	// again, keeping what improves: lateness has many local optima that
	// single moves cannot leave. Small sets get many kicks, large ones a
	// few, so the call stays within milliseconds.
	rg := rng{s: 1}
	kicks := min(200, max(3, 20000/max(1, n*n)))
	for range kicks {
		if n < 3 {
			break
		}
		cand := slices.Clone(best)
		for range 3 {
			l := 1 + rg.intn(min(3, n-1))
			i := rg.intn(n - l + 1)
			k := rg.intn(n - l + 1)
			cand = slices.Clone(sq.moved(cand, i, l, k))
		}
		if other := sq.improve(cand); sq.better(sq.score(other), sq.score(best)) {
			best = other
		}
	}
	order := make([]int, n)
	ordered := make([]Job, n)
	for i, j := range best {
		order[i] = int(j)
		ordered[i] = jobs[j]
	}
	tl, err := Schedule(m, v, ordered, false)
	return order, tl, err
}

type sequencer struct {
	t      [][]float64
	v      *Vehicle
	jobs   []Job
	starts []float64
	buf    []int32
}

type score struct{ late, travel float64 }

func (sq *sequencer) better(a, b score) bool {
	if a.late < b.late-eps {
		return true
	}
	return a.late <= b.late+eps && a.travel < b.travel-1e-9
}

func (sq *sequencer) score(order []int32) score {
	dep, ret := timeline(sq.t, sq.v, sq.jobs, order, sq.starts, false)
	var sc score
	prev := sq.v.Start
	for i, k := range order {
		j := &sq.jobs[k]
		sc.late += max(0, sq.starts[i]-j.Close)
		if j.MaxRide > 0 {
			sc.late += max(0, sq.starts[i]-dep-j.MaxRide)
		}
		sc.travel += sq.t[prev][j.Location]
		prev = j.Location
	}
	sc.travel += sq.t[prev][sq.v.End]
	sc.late += max(0, ret-sq.v.Latest)
	return sc
}

// nearest builds an order by always going to the closest job left.
func (sq *sequencer) nearest() []int32 {
	left := make([]bool, len(sq.jobs))
	order := make([]int32, 0, len(sq.jobs))
	at := sq.v.Start
	for range sq.jobs {
		k := -1
		for j := range sq.jobs {
			if !left[j] && (k < 0 || sq.t[at][sq.jobs[j].Location] < sq.t[at][sq.jobs[k].Location]) {
				k = j
			}
		}
		left[k] = true
		order = append(order, int32(k))
		at = sq.jobs[k].Location
	}
	return order
}

// improve applies the first improving move among segment moves (or-opt of
// one to three jobs, forwards or backwards), swaps and reversals (2-opt),
// until none improves.
func (sq *sequencer) improve(order []int32) []int32 {
	cur := slices.Clone(order)
	cs := sq.score(cur)
	n := len(cur)
	try := func(cand []int32) bool {
		if s := sq.score(cand); sq.better(s, cs) {
			copy(cur, cand)
			cs = s
			return true
		}
		return false
	}
	for improved := true; improved; {
		improved = false
		for l := 1; l <= 3 && l <= n; l++ {
			for i := 0; i+l <= n; i++ {
				for k := 0; k <= n-l; k++ {
					if k == i {
						continue
					}
					if try(sq.moved(cur, i, l, k)) {
						improved = true
					}
				}
			}
		}
		for i := 0; i < n; i++ {
			for k := i + 1; k < n; k++ {
				sq.buf = append(sq.buf[:0], cur...)
				sq.buf[i], sq.buf[k] = sq.buf[k], sq.buf[i]
				if try(sq.buf) {
					improved = true
				}
				sq.buf = append(sq.buf[:0], cur...)
				slices.Reverse(sq.buf[i : k+1])
				if try(sq.buf) {
					improved = true
				}
			}
		}
	}
	return cur
}

// moved returns cur with the segment of l jobs at i taken out and put
// back so that it starts at index k of the result.
func (sq *sequencer) moved(cur []int32, i, l, k int) []int32 {
	sq.buf = sq.buf[:0]
	// Walk the result's indexes: before k come the jobs of cur other than
	// the segment, in order; then the segment; then the rest.
	rest := func(r int) int32 { // the r-th job of cur outside the segment
		if r < i {
			return cur[r]
		}
		return cur[r+l]
	}
	for r := 0; r < k; r++ {
		sq.buf = append(sq.buf, rest(r))
	}
	sq.buf = append(sq.buf, cur[i:i+l]...)
	for r := k; r < len(cur)-l; r++ {
		sq.buf = append(sq.buf, rest(r))
	}
	return sq.buf
}
