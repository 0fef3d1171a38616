package route

// Local search between ruins, as VROOM and HGS do it: for each job and
// each of its nearest jobs (granular neighbourhoods), try moving a string
// of one to three jobs next to the neighbour, swapping the two, exchanging
// route tails at them (2-opt*) and reversing the stretch between them on
// one route (2-opt), and apply the first move that shortens the plan,
// until none does. A move's cost is computed first, and its feasibility
// only when the cost improves, since most moves fail on cost.

// lsNeighbours is how many nearest jobs each job tries moves towards.
const lsNeighbours = 30

// improvement is the least gain a move must bring, so rounding cannot
// make the search cycle.
const improvement = 1e-7

// localSearch improves s in place until no move of the neighbourhood
// improves it.
func (w *worker) localSearch(s *solution) {
	m := w.m
	if len(w.order) != len(m.jobs) {
		w.order = make([]int32, len(m.jobs))
		for i := range w.order {
			w.order[i] = int32(i)
		}
	}
	for improved := true; improved; {
		improved = false
		// A fresh random order each pass spreads the first-improvement
		// choices around.
		for i := len(w.order) - 1; i > 0; i-- {
			k := w.rg.intn(i + 1)
			w.order[i], w.order[k] = w.order[k], w.order[i]
		}
		for _, u := range w.order {
			if s.of[u] < 0 {
				continue
			}
			near := m.near[u]
			for _, v := range near[:min(len(near), lsNeighbours)] {
				if s.of[v] >= 0 && s.of[u] >= 0 && w.tryPair(s, u, v) {
					improved = true
				}
			}
		}
	}
}

// position returns the position of job j on its route (1-based).
func position(r *route, j int32) int {
	for i, k := range r.seq {
		if k == j {
			return i + 1
		}
	}
	return -1
}

// tryPair tries every move that brings u next to v and applies the first
// that improves.
func (w *worker) tryPair(s *solution, u, v int32) bool {
	r1i, r2i := int(s.of[u]), int(s.of[v])
	r1, r2 := &s.routes[r1i], &s.routes[r2i]
	pu, pv := position(r1, u), position(r2, v)
	if r1i != r2i {
		for l := 1; l <= 3 && pu+l-1 <= len(r1.seq); l++ {
			seg := r1.seq[pu-1 : pu-1+l]
			out := join{v: r1.v, a: r1, pa: pu - 1, b: r1, pb: pu + l}
			// After v, then before v.
			if w.apply2(s, r1i, out, r2i, join{v: r2.v, a: r2, pa: pv, mid: seg, b: r2, pb: pv + 1}) ||
				w.apply2(s, r1i, out, r2i, join{v: r2.v, a: r2, pa: pv - 1, mid: seg, b: r2, pb: pv}) {
				return true
			}
		}
		// Swap.
		if w.apply2(s, r1i, join{v: r1.v, a: r1, pa: pu - 1, mid: []int32{v}, b: r1, pb: pu + 1},
			r2i, join{v: r2.v, a: r2, pa: pv - 1, mid: []int32{u}, b: r2, pb: pv + 1}) {
			return true
		}
		// 2-opt*: u then what followed v, v then what followed u; or u
		// then v onwards, and what preceded v then what followed u.
		if w.apply2(s, r1i, join{v: r1.v, a: r1, pa: pu, b: r2, pb: pv + 1},
			r2i, join{v: r2.v, a: r2, pa: pv, b: r1, pb: pu + 1}) {
			return true
		}
		return w.apply2(s, r1i, join{v: r1.v, a: r1, pa: pu, b: r2, pb: pv},
			r2i, join{v: r2.v, a: r2, pa: pv - 1, b: r1, pb: pu + 1})
	}
	r := r1
	// Or-opt within the route: move the string at u to just after v or
	// just before v.
	for l := 1; l <= 3 && pu+l-1 <= len(r.seq); l++ {
		for _, g := range [2]int{pv, pv - 1} {
			if g >= pu-1 && g < pu+l {
				continue // the string would stay put or land inside itself
			}
			seg := r.seq[pu-1 : pu-1+l]
			w.mid = w.mid[:0]
			var j join
			if g >= pu+l {
				w.mid = append(append(w.mid, r.seq[pu+l-1:g]...), seg...)
				j = join{v: r.v, a: r, pa: pu - 1, mid: w.mid, b: r, pb: g + 1}
			} else {
				w.mid = append(append(w.mid, seg...), r.seq[g:pu-1]...)
				j = join{v: r.v, a: r, pa: g, mid: w.mid, b: r, pb: pu + l}
			}
			if w.apply1(s, r1i, j) {
				return true
			}
		}
	}
	// Swap within the route.
	a, b := min(pu, pv), max(pu, pv)
	w.mid = append(w.mid[:0], r.seq[b-1])
	w.mid = append(w.mid, r.seq[a:b-1]...)
	w.mid = append(w.mid, r.seq[a-1])
	if w.apply1(s, r1i, join{v: r.v, a: r, pa: a - 1, mid: w.mid, b: r, pb: b + 1}) {
		return true
	}
	// 2-opt: reverse the stretch so that u and v become adjacent.
	lo, hi := pu+1, pv // u then v
	if pv < pu {
		lo, hi = pv, pu-1 // v then u
	}
	if lo >= hi {
		return false
	}
	w.mid = w.mid[:0]
	for p := hi; p >= lo; p-- {
		w.mid = append(w.mid, r.seq[p-1])
	}
	return w.apply1(s, r1i, join{v: r.v, a: r, pa: lo - 1, mid: w.mid, b: r, pb: hi + 1})
}

// apply1 applies a move that rewrites one route, if it improves and is
// feasible.
func (w *worker) apply1(s *solution, ri int, j join) bool {
	m := w.m
	if m.joinCost(&j) >= s.routes[ri].cost-improvement || !w.joinFeasible(&j) {
		return false
	}
	w.bufA = w.joinSeq(w.bufA[:0], &j)
	m.setRoute(s, ri, w.bufA)
	return true
}

// apply2 applies a move that rewrites two routes, if it improves and both
// are feasible. Both new sequences are built before either route changes,
// since each may read the other.
func (w *worker) apply2(s *solution, r1i int, j1 join, r2i int, j2 join) bool {
	m := w.m
	if m.joinCost(&j1)+m.joinCost(&j2) >= s.routes[r1i].cost+s.routes[r2i].cost-improvement {
		return false
	}
	if !w.joinFeasible(&j1) || !w.joinFeasible(&j2) {
		return false
	}
	w.bufA = w.joinSeq(w.bufA[:0], &j1)
	w.bufB = w.joinSeq(w.bufB[:0], &j2)
	m.setRoute(s, r1i, w.bufA)
	m.setRoute(s, r2i, w.bufB)
	return true
}
