package solomon

import (
	"fmt"
	"math"
)

// Check verifies routes of customer numbers against the instance, the way
// check.py does and independently of the solver: every customer once,
// load within capacity, service starting within [ready, due] (with a
// tolerance of eps), back at the depot by its due time, at most the
// instance's vehicles. It returns the vehicles used, the distance and the
// problems found.
func (in *Instance) Check(routes [][]int, trunc1 bool, eps float64) (vehicles int, distance float64, problems []string) {
	dist := func(a, b Customer) float64 {
		d := math.Hypot(a.X-b.X, a.Y-b.Y)
		if trunc1 {
			d = math.Floor(10*d+1e-9) / 10
		}
		return d
	}
	n := len(in.Customers) - 1
	depot := in.Customers[0]
	seen := make([]bool, n+1)
	for ri, r := range routes {
		if len(r) == 0 {
			continue
		}
		vehicles++
		t, load, prev := depot.Ready, 0.0, depot
		for _, c := range r {
			if c < 1 || c > n {
				problems = append(problems, fmt.Sprintf("route %d: unknown customer %d", ri, c))
				continue
			}
			if seen[c] {
				problems = append(problems, fmt.Sprintf("customer %d served twice", c))
			}
			seen[c] = true
			cu := in.Customers[c]
			d := dist(prev, cu)
			distance += d
			start := math.Max(t+d, cu.Ready)
			if start > cu.Due+eps {
				problems = append(problems, fmt.Sprintf("route %d: customer %d starts at %.4f after due %g", ri, c, start, cu.Due))
			}
			t = start + cu.Service
			load += cu.Demand
			prev = cu
		}
		d := dist(prev, depot)
		distance += d
		if t+d > depot.Due+eps {
			problems = append(problems, fmt.Sprintf("route %d: back at %.4f after depot due %g", ri, t+d, depot.Due))
		}
		if load > in.Capacity {
			problems = append(problems, fmt.Sprintf("route %d: load %g over capacity %g", ri, load, in.Capacity))
		}
	}
	for c := 1; c <= n; c++ {
		if !seen[c] {
			problems = append(problems, fmt.Sprintf("customer %d not served", c))
		}
	}
	if vehicles > in.Vehicles {
		problems = append(problems, fmt.Sprintf("%d routes for %d vehicles", vehicles, in.Vehicles))
	}
	return vehicles, distance, problems
}
