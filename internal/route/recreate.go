package route

// The recreate step of SISR: removed jobs go back one at a time, each at
// its cheapest feasible position over all routes, in an order drawn at
// random among a few kinds, skipping each candidate position with a small
// probability ("blinks") so that repeated recreates do not all land in the
// same local optimum.

// blinkRate is the chance a candidate position is skipped; the SISR paper
// found 1 % best.
const blinkRate = 0.01

// orderKind is how removed jobs are sorted before they go back in.
type orderKind int

const (
	byRandom orderKind = iota
	byDemand           // heaviest first: they are the hardest to place
	byFar              // farthest from the depot first
	byClose            // closest first
	byDue              // earliest window close first: the tightest in time
	orderKinds
)

// orderWeights are the odds of each kind. The first four are the SISR
// paper's; the due-time order is ours, since time windows make the
// tightest jobs the hardest to place.
var orderWeights = [orderKinds]int{byRandom: 4, byDemand: 4, byFar: 2, byClose: 1, byDue: 3}

// worker holds what one search reuses between iterations, so the inner
// loop does not allocate.
type worker struct {
	m       *model
	rg      rng
	blinkIn int
	keys    []float64
	seen    []int
	stamp   int
	seq     []int32
	starts  []float64
	removed []int32
	ruined  []int
	stampR  int
	// Buffers of the local search.
	order           []int32
	mid, bufA, bufB []int32
}

func newWorker(m *model, seed uint64) *worker {
	w := &worker{
		m:      m,
		rg:     rng{s: seed},
		keys:   make([]float64, len(m.jobs)),
		seen:   make([]int, m.classes),
		starts: make([]float64, len(m.jobs)+1),
		ruined: make([]int, len(m.veh)),
	}
	w.blinkIn = w.rg.geometric(blinkRate)
	return w
}

// blink reports whether this candidate position is to be skipped.
func (w *worker) blink() bool {
	if w.blinkIn > 0 {
		w.blinkIn--
		return false
	}
	w.blinkIn = w.rg.geometric(blinkRate)
	return true
}

// sortJobs orders jobs for recreation: higher penalty always first, so a
// critical job is offered the room before a routine one, then by a kind
// drawn at random.
func (w *worker) sortJobs(jobs []int32) {
	m := w.m
	r := w.rg.intn(sumWeights())
	kind := byRandom
	for k, wt := range orderWeights {
		if r < wt {
			kind = orderKind(k)
			break
		}
		r -= wt
	}
	for _, j := range jobs {
		job := &m.jobs[j]
		var k float64
		switch kind {
		case byRandom:
			k = w.rg.float()
		case byDemand:
			k = -job.Demand
		case byFar:
			k = -m.far[j]
		case byClose:
			k = m.far[j]
		case byDue:
			k = job.Close
		}
		w.keys[j] = k
	}
	w.sortKeys(jobs)
}

// sortKeys sorts jobs by decreasing penalty, then by increasing w.keys.
// It is an insertion sort: the lists are a few dozen long, and it is
// stable, which keeps the search repeatable.
func (w *worker) sortKeys(jobs []int32) {
	m := w.m
	for i := 1; i < len(jobs); i++ {
		x := jobs[i]
		px, kx := m.jobs[x].Penalty, w.keys[x]
		k := i
		for ; k > 0; k-- {
			y := jobs[k-1]
			py := m.jobs[y].Penalty
			if py > px || (py == px && w.keys[y] <= kx) {
				break
			}
			jobs[k] = y
		}
		jobs[k] = x
	}
}

func sumWeights() int {
	s := 0
	for _, wt := range orderWeights {
		s += wt
	}
	return s
}

// recreate inserts jobs into s one by one at their cheapest feasible
// position; a job left with no feasible position, or only positions
// costing more than its penalty, stays unserved.
func (w *worker) recreate(s *solution, jobs []int32, blinks bool) {
	for _, j := range jobs {
		ri, pos := w.bestInsertion(s, j, blinks)
		if ri >= 0 {
			w.insert(s, ri, pos, j)
		}
	}
}

// bestInsertion finds the cheapest feasible place for job j: route index
// and the position in its sequence, or -1.
func (w *worker) bestInsertion(s *solution, j int32, blinks bool) (int, int) {
	m := w.m
	job := &m.jobs[j]
	lu := job.Location
	tu := m.t[lu]
	best, bestR, bestP := job.Penalty, -1, -1
	w.stamp++
	checkRide := job.MaxRide > 0
	for ri := range s.routes {
		r := &s.routes[ri]
		v := &m.veh[r.v]
		if r.load+job.Demand > v.Capacity {
			continue
		}
		n := len(r.seq)
		if n == 0 {
			// Interchangeable empty vehicles offer the same positions;
			// try the first of each kind.
			c := m.class[r.v]
			if w.seen[c] == w.stamp {
				continue
			}
			w.seen[c] = w.stamp
			if g := v.Group; g != 0 && s.used[g] > 0 {
				continue
			}
		}
		for i := 0; i <= n; i++ {
			if r.early[i] > job.Close {
				// Starts only grow along a route: no later position
				// can be reached in time either.
				break
			}
			a, b := r.loc[i], r.loc[i+1]
			d := m.t[a][lu] + tu[b] - m.t[a][b]
			if d >= best {
				continue
			}
			st := max(r.leave[i]+m.t[a][lu], job.Open)
			if st > job.Close || st+job.Service+tu[b] > r.late[i+1] {
				continue
			}
			if blinks && w.blink() {
				continue
			}
			if (checkRide || r.rides > 0) && !w.rideWith(r, i, j) {
				continue
			}
			best, bestR, bestP = d, ri, i
		}
	}
	return bestR, bestP
}

// rideWith checks MaxRide on route r with job j inserted after position i.
func (w *worker) rideWith(r *route, i int, j int32) bool {
	w.seq = append(w.seq[:0], r.seq[:i]...)
	w.seq = append(w.seq, j)
	w.seq = append(w.seq, r.seq[i:]...)
	return w.m.ridesOK(r.v, w.seq, w.starts)
}

// insert puts job j after position i of route ri.
func (w *worker) insert(s *solution, ri, i int, j int32) {
	r := &s.routes[ri]
	w.seq = append(w.seq[:0], r.seq[:i]...)
	w.seq = append(w.seq, j)
	w.seq = append(w.seq, r.seq[i:]...)
	w.m.setRoute(s, ri, w.seq)
	s.penalty -= w.m.jobs[j].Penalty
}
