package route

// A move of the local search rewrites one or two routes, and each new
// route is the start of some route, then a few jobs, then the end of some
// route: a join. Its cost and feasibility follow from the two routes'
// arrays and a walk over the jobs in the middle only, which is what keeps
// relocate, swap, 2-opt* and the intra-route moves cheap.

// join is the route that vehicle v drives over a's positions 0..pa, then
// mid, then b's positions pb..len(b.seq) and v's own end depot.
type join struct {
	v   int
	a   *route
	pa  int
	mid []int32
	b   *route
	pb  int
}

// cost is the travel of the joined route.
func (m *model) joinCost(j *join) float64 {
	c := j.a.dist[j.pa]
	loc := j.a.loc[j.pa]
	for _, k := range j.mid {
		l := int32(m.jobs[k].Location)
		c += m.t[loc][l]
		loc = l
	}
	end := int32(m.veh[j.v].End)
	nb := len(j.b.seq)
	if j.pb > nb {
		return c + m.t[loc][end]
	}
	// b's jobs from pb on keep their travel; only the way to the end
	// depot may change, when b belongs to a vehicle with another one.
	return c + m.t[loc][j.b.loc[j.pb]] + j.b.dist[nb] - j.b.dist[j.pb] + m.t[j.b.loc[nb]][end]
}

// feasible reports whether the joined route keeps capacity, windows and
// the shift, and MaxRide when the problem has perishables.
func (w *worker) joinFeasible(j *join) bool {
	m := w.m
	v := &m.veh[j.v]
	nb := len(j.b.seq)
	load := j.a.cum[j.pa]
	for _, k := range j.mid {
		load += m.jobs[k].Demand
	}
	if j.pb <= nb {
		load += j.b.load - j.b.cum[j.pb-1]
	}
	if load > v.Capacity {
		return false
	}
	at, loc := j.a.leave[j.pa], int32(j.a.loc[j.pa])
	for _, k := range j.mid {
		job := &m.jobs[k]
		st := max(at+m.t[loc][job.Location], job.Open)
		if st > job.Close {
			return false
		}
		at, loc = st+job.Service, int32(job.Location)
	}
	if j.pb <= nb {
		vb := &m.veh[j.b.v]
		if j.b.v == j.v || (vb.End == v.End && vb.Latest == v.Latest) {
			// b's latest starts hold for this vehicle too.
			k := j.b.seq[j.pb-1]
			if max(at+m.t[loc][j.b.loc[j.pb]], m.jobs[k].Open) > j.b.late[j.pb] {
				return false
			}
			return !m.hasRide || w.joinRides(j)
		}
		for _, k := range j.b.seq[j.pb-1:] {
			job := &m.jobs[k]
			st := max(at+m.t[loc][job.Location], job.Open)
			if st > job.Close {
				return false
			}
			at, loc = st+job.Service, int32(job.Location)
		}
	}
	if at+m.t[loc][v.End] > v.Latest {
		return false
	}
	return !m.hasRide || w.joinRides(j)
}

// joinRides checks MaxRide by scheduling the whole joined route.
func (w *worker) joinRides(j *join) bool {
	w.seq = w.joinSeq(w.seq[:0], j)
	return w.m.ridesOK(j.v, w.seq, w.starts)
}

// joinSeq appends the joined route's jobs to dst.
func (w *worker) joinSeq(dst []int32, j *join) []int32 {
	dst = append(dst, j.a.seq[:j.pa]...)
	dst = append(dst, j.mid...)
	if j.pb <= len(j.b.seq) {
		dst = append(dst, j.b.seq[j.pb-1:]...)
	}
	return dst
}
