package route

import "math"

var inf = math.Inf(1)

// model is the problem in the form the search reads in its inner loops:
// flat per-job fields and the travel-time rows.
type model struct {
	p    *Problem
	t    [][]float64
	jobs []Job
	veh  []Vehicle
	// class numbers vehicles that are interchangeable, so an insertion
	// tries one empty vehicle of each class rather than all of them.
	class   []int
	classes int
	// groups is one past the largest Group.
	groups int
	// hasRide says some job is perishable; when not, the MaxRide check
	// is skipped entirely.
	hasRide bool
	// possible marks jobs that some vehicle could serve on its own; the
	// others are left out before the search starts.
	possible []bool
	// near lists, for each job, the other jobs by increasing travel time
	// either way; ruin walks it to pick routes near a seed.
	near [][]int32
	// far is each job's distance from the depots, for the "far first"
	// recreate order.
	far []float64
}

// route is one vehicle's sequence with the arrays that make a feasibility
// check O(1). Position 0 is the start depot, positions 1..len(seq) the
// jobs, position len(seq)+1 the end depot.
type route struct {
	v   int
	seq []int32
	// loc is the matrix location at each position.
	loc []int32
	// early is the earliest service start at each position, leaving the
	// depot at the vehicle's Earliest; leave is early plus service, when
	// the vehicle can leave that position at the soonest.
	early, leave []float64
	// late is the latest service start at each position that keeps every
	// later position within its window and the return within the shift.
	late []float64
	// cum is the load and dist the travel up to each position, so a move
	// that joins the start of one route to the end of another knows both
	// without walking them.
	cum, dist []float64
	load      float64
	cost      float64
	// rides counts perishable jobs on the route: while it is zero and the
	// job inserted is not perishable, MaxRide needs no check.
	rides int
}

// solution is a complete assignment the search works on.
type solution struct {
	routes []route
	// of maps each job to its route, or -1 when unserved.
	of []int32
	// used counts non-empty routes per vehicle group.
	used []int32
	// penalty sums the penalties of jobs on no route; travel sums the
	// routes' costs.
	penalty float64
	travel  float64
	// touched marks routes changed since the last syncFrom, so that
	// resetting the working solution to the current one each iteration
	// copies the few routes ruin and recreate changed, not all of them.
	touched []bool
}

func (s *solution) cost() float64 { return s.travel + s.penalty }

func newSolution(m *model) *solution {
	s := &solution{routes: make([]route, len(m.veh)), of: make([]int32, len(m.jobs)), used: make([]int32, m.groups), touched: make([]bool, len(m.veh))}
	for i := range s.routes {
		s.routes[i].v = i
		m.update(&s.routes[i])
		s.touched[i] = true
	}
	for j := range s.of {
		s.of[j] = -1
		s.penalty += m.jobs[j].Penalty
	}
	return s
}

// copyFrom makes s equal to o, reusing s's memory.
func (s *solution) copyFrom(o *solution) {
	for i := range s.routes {
		s.routes[i].copyFrom(&o.routes[i])
		s.touched[i] = true
	}
	s.copyTotals(o)
}

// syncFrom makes s equal to o when the two differ only in routes touched
// in either since they were last synced.
func (s *solution) syncFrom(o *solution) {
	for i := range s.routes {
		if s.touched[i] || o.touched[i] {
			s.routes[i].copyFrom(&o.routes[i])
			s.touched[i], o.touched[i] = false, false
		}
	}
	s.copyTotals(o)
}

func (s *solution) copyTotals(o *solution) {
	copy(s.of, o.of)
	copy(s.used, o.used)
	s.penalty, s.travel = o.penalty, o.travel
}

func (r *route) copyFrom(q *route) {
	r.v = q.v
	r.seq = append(r.seq[:0], q.seq...)
	r.loc = append(r.loc[:0], q.loc...)
	r.early = append(r.early[:0], q.early...)
	r.leave = append(r.leave[:0], q.leave...)
	r.late = append(r.late[:0], q.late...)
	r.cum = append(r.cum[:0], q.cum...)
	r.dist = append(r.dist[:0], q.dist...)
	r.load, r.cost, r.rides = q.load, q.cost, q.rides
}

// update recomputes a route's arrays after its sequence changed. It does
// not touch the solution's totals.
func (m *model) update(r *route) {
	v := &m.veh[r.v]
	n := len(r.seq)
	r.loc = r.loc[:0]
	r.loc = append(r.loc, int32(v.Start))
	r.load, r.rides = 0, 0
	for _, j := range r.seq {
		job := &m.jobs[j]
		r.loc = append(r.loc, int32(job.Location))
		r.load += job.Demand
		if job.MaxRide > 0 {
			r.rides++
		}
	}
	r.loc = append(r.loc, int32(v.End))
	r.early = grow(r.early, n+2)
	r.leave = grow(r.leave, n+2)
	r.late = grow(r.late, n+2)
	r.cum = grow(r.cum, n+2)
	r.dist = grow(r.dist, n+2)
	r.early[0], r.leave[0] = v.Earliest, v.Earliest
	r.cum[0], r.dist[0] = 0, 0
	cost := 0.0
	for i := 1; i <= n+1; i++ {
		tt := m.t[r.loc[i-1]][r.loc[i]]
		cost += tt
		r.dist[i] = cost
		r.cum[i] = r.cum[i-1]
		if i <= n {
			r.cum[i] += m.jobs[r.seq[i-1]].Demand
		}
		a := r.leave[i-1] + tt
		if i <= n {
			job := &m.jobs[r.seq[i-1]]
			a = max(a, job.Open)
			r.early[i], r.leave[i] = a, a+job.Service
		} else {
			r.early[i], r.leave[i] = a, a
		}
	}
	r.cost = cost
	r.late[n+1] = v.Latest
	for i := n; i >= 1; i-- {
		job := &m.jobs[r.seq[i-1]]
		r.late[i] = min(job.Close, r.late[i+1]-m.t[r.loc[i]][r.loc[i+1]]-job.Service)
	}
	r.late[0] = r.late[1] - m.t[r.loc[0]][r.loc[1]]
}

func grow(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n, 2*n)
	}
	return x[:n]
}

// setRoute replaces route ri's sequence and keeps the solution's totals,
// job map and group counts right.
func (m *model) setRoute(s *solution, ri int, seq []int32) {
	r := &s.routes[ri]
	g := m.veh[r.v].Group
	if len(r.seq) > 0 && g != 0 {
		s.used[g]--
	}
	s.travel -= r.cost
	s.touched[ri] = true
	r.seq = append(r.seq[:0], seq...)
	m.update(r)
	s.travel += r.cost
	for _, j := range r.seq {
		s.of[j] = int32(ri)
	}
	if len(r.seq) > 0 && g != 0 {
		s.used[g]++
	}
}

// ridesOK reports whether every perishable job on seq, served by vehicle
// v, is reached within its MaxRide of the latest departure. It walks the
// route; only routes carrying perishables pay for it.
func (m *model) ridesOK(v int, seq []int32, starts []float64) bool {
	dep, _ := timeline(m.t, &m.veh[v], m.jobs, seq, starts, false)
	for i, j := range seq {
		if mr := m.jobs[j].MaxRide; mr > 0 && starts[i]-dep > mr+eps {
			return false
		}
	}
	return true
}
