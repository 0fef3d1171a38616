package route

// The ruin step of SISR (Christiaens & Vanden Berghe 2020): pick a seed
// job at random, walk its nearest jobs, and from each route met that was
// not ruined yet remove a string of consecutive jobs containing the job
// met, until a few routes are ruined. Removing strings near each other
// frees a region of the plan at once, which is what lets the recreate
// rebuild it differently.

const (
	// avgRemoved is the paper's c̄, the mean number of jobs removed.
	avgRemoved = 10
	// maxString is the paper's L^max, the longest string removed.
	maxString = 10
	// splitRate is how often a split string is removed rather than a
	// plain one: it keeps some jobs of the string in place.
	splitRate = 0.5
	// splitGrow is the chance the kept part of a split string grows by
	// one more job.
	splitGrow = 0.5
)

// ruin removes strings from s and returns the removed jobs.
func (w *worker) ruin(s *solution) []int32 {
	m := w.m
	w.removed = w.removed[:0]
	served, routes := 0, 0
	for i := range s.routes {
		if n := len(s.routes[i].seq); n > 0 {
			served += n
			routes++
		}
	}
	if served == 0 {
		return w.removed
	}
	lsMax := min(float64(maxString), float64(served)/float64(routes))
	ksMax := 4*avgRemoved/(1+lsMax) - 1
	ks := int(1 + w.rg.float()*ksMax)
	seed := w.rg.intn(len(m.jobs))
	for s.of[seed] < 0 {
		seed = (seed + 1) % len(m.jobs)
	}
	w.stampR++
	done := 0
	visit := func(c int32) {
		ri := s.of[c]
		if ri < 0 || w.ruined[ri] == w.stampR {
			return
		}
		w.ruined[ri] = w.stampR
		done++
		w.removeString(s, int(ri), c, lsMax)
	}
	visit(int32(seed))
	for _, c := range m.near[seed] {
		if done >= ks {
			break
		}
		visit(c)
	}
	return w.removed
}

// removeString removes from route ri a string of at most lsMax jobs that
// contains job c, or a split string around it.
func (w *worker) removeString(s *solution, ri int, c int32, lsMax float64) {
	r := &s.routes[ri]
	n := len(r.seq)
	lMax := min(float64(n), lsMax)
	l := int(1 + w.rg.float()*lMax)
	l = min(l, n)
	pos := 0
	for r.seq[pos] != c {
		pos++
	}
	keepFrom, keepTo := 0, 0 // the part of the string left in place
	span := l
	if l < n && w.rg.float() < splitRate {
		mKeep := 1
		for l+mKeep < n && w.rg.float() < splitGrow {
			mKeep++
		}
		span = l + mKeep
		keepFrom = 1 + w.rg.intn(l) // at least one removed before the kept part
		keepTo = keepFrom + mKeep
	}
	// The string covers [first, first+span) and contains pos.
	lo, hi := max(0, pos-span+1), min(pos, n-span)
	first := lo + w.rg.intn(hi-lo+1)
	w.seq = w.seq[:0]
	for i, j := range r.seq {
		k := i - first
		if k >= 0 && k < span && (k < keepFrom || k >= keepTo) {
			w.removed = append(w.removed, j)
			s.of[j] = -1
			s.penalty += w.m.jobs[j].Penalty
			continue
		}
		w.seq = append(w.seq, j)
	}
	w.m.setRoute(s, ri, w.seq)
}
