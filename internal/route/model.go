package route

import (
	"cmp"
	"slices"
)

// nearCap bounds each job's list of nearby jobs: ruin stops once it has
// found the few routes it wants, which is always among the closest jobs.
const nearCap = 128

func newModel(p *Problem) *model {
	m := &model{p: p, t: p.Matrix.Seconds, jobs: p.Jobs, veh: p.Vehicles}
	type key struct {
		start, end, group          int
		capacity, earliest, latest float64
	}
	classOf := map[key]int{}
	m.class = make([]int, len(m.veh))
	for i, v := range m.veh {
		k := key{v.Start, v.End, v.Group, v.Capacity, v.Earliest, v.Latest}
		c, ok := classOf[k]
		if !ok {
			c = len(classOf)
			classOf[k] = c
		}
		m.class[i] = c
		m.groups = max(m.groups, v.Group+1)
	}
	m.classes = len(classOf)
	n := len(m.jobs)
	m.possible = make([]bool, n)
	m.far = make([]float64, n)
	for j, job := range m.jobs {
		if job.MaxRide > 0 {
			m.hasRide = true
		}
		_, m.possible[j] = m.alone(j)
		far := inf
		for _, v := range m.veh {
			far = min(far, m.t[v.Start][job.Location])
		}
		m.far[j] = far
	}
	m.near = make([][]int32, n)
	order := make([]int32, 0, n)
	for a := range n {
		order = order[:0]
		for b := range n {
			if b != a {
				order = append(order, int32(b))
			}
		}
		la := m.jobs[a].Location
		slices.SortStableFunc(order, func(x, y int32) int {
			lx, ly := m.jobs[x].Location, m.jobs[y].Location
			return cmp.Compare(m.t[la][lx]+m.t[lx][la], m.t[la][ly]+m.t[ly][la])
		})
		m.near[a] = slices.Clone(order[:min(len(order), nearCap)])
	}
	return m
}

// alone reports whether some vehicle could serve job j on a route of its
// own, and when none can, the most specific reason that holds for all of
// them: the first of heavy, window, perishable, shift that every vehicle
// still in the running fails.
func (m *model) alone(j int) (Reason, bool) {
	job := &m.jobs[j]
	fails := [5]int{}
	var starts [1]float64
	for vi := range m.veh {
		v := &m.veh[vi]
		switch arr := v.Earliest + m.t[v.Start][job.Location]; {
		case job.Demand > v.Capacity:
			fails[TooHeavy]++
		case arr > job.Close:
			fails[WindowUnreachable]++
		case job.MaxRide > 0 && !m.ridesOK(vi, []int32{int32(j)}, starts[:]):
			fails[PerishableTooFar]++
		case max(arr, job.Open)+job.Service+m.t[job.Location][v.End] > v.Latest:
			fails[ShiftEndsTooEarly]++
		default:
			return NoRoom, true
		}
	}
	if len(m.veh) == 0 {
		return NoRoom, false
	}
	// Vehicles drop out at the first check they fail; the reason is the
	// check at which the last of them dropped out, unless that is the
	// shift, which is what is left.
	out := 0
	for _, r := range []Reason{TooHeavy, WindowUnreachable, PerishableTooFar} {
		out += fails[r]
		if out == len(m.veh) {
			return r, false
		}
	}
	return ShiftEndsTooEarly, false
}
