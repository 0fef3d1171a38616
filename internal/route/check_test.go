package route

import (
	"fmt"
	"math"
	"testing"
)

// tol is the time tolerance of the checker, as in Solomon's check.py.
const tol = 1e-6

// verify checks sol against p from first principles, without the solver's
// arrays: every job on exactly one route or unserved with a reason,
// capacity, windows, perishables, shifts, groups, and the reported times
// and totals.
func verify(t *testing.T, p *Problem, sol *Solution) {
	t.Helper()
	if err := check(p, sol); err != nil {
		t.Fatal(err)
	}
}

func check(p *Problem, sol *Solution) error {
	tt := p.Matrix.Seconds
	seen := make([]int, len(p.Jobs))
	usedVeh := map[int]bool{}
	usedGroup := map[int]int{}
	total, penalty := 0.0, 0.0
	for ri, r := range sol.Routes {
		if r.Vehicle < 0 || r.Vehicle >= len(p.Vehicles) {
			return fmt.Errorf("route %d: vehicle %d out of range", ri, r.Vehicle)
		}
		if usedVeh[r.Vehicle] {
			return fmt.Errorf("route %d: vehicle %d used twice", ri, r.Vehicle)
		}
		usedVeh[r.Vehicle] = true
		v := p.Vehicles[r.Vehicle]
		if len(r.Jobs) == 0 {
			return fmt.Errorf("route %d: empty route reported", ri)
		}
		if v.Group != 0 {
			usedGroup[v.Group]++
			if usedGroup[v.Group] > 1 {
				return fmt.Errorf("group %d: more than one vehicle used", v.Group)
			}
		}
		if len(r.Starts) != len(r.Jobs) {
			return fmt.Errorf("route %d: %d starts for %d jobs", ri, len(r.Starts), len(r.Jobs))
		}
		if r.Departure < v.Earliest-tol {
			return fmt.Errorf("route %d: leaves at %g before %g", ri, r.Departure, v.Earliest)
		}
		at, loc, load, travel := r.Departure, v.Start, 0.0, 0.0
		for i, j := range r.Jobs {
			if j < 0 || j >= len(p.Jobs) {
				return fmt.Errorf("route %d: job %d out of range", ri, j)
			}
			seen[j]++
			job := p.Jobs[j]
			arr := at + tt[loc][job.Location]
			travel += tt[loc][job.Location]
			s := math.Max(arr, job.Open)
			if math.Abs(s-r.Starts[i]) > tol {
				return fmt.Errorf("route %d: job %d starts at %g, reported %g", ri, j, s, r.Starts[i])
			}
			if s > job.Close+tol {
				return fmt.Errorf("route %d: job %d starts at %g after close %g", ri, j, s, job.Close)
			}
			if job.MaxRide > 0 && s-r.Departure > job.MaxRide+tol {
				return fmt.Errorf("route %d: job %d reached %g after departure, max %g", ri, j, s-r.Departure, job.MaxRide)
			}
			load += job.Demand
			at, loc = s+job.Service, job.Location
		}
		travel += tt[loc][v.End]
		back := at + tt[loc][v.End]
		if back > v.Latest+tol {
			return fmt.Errorf("route %d: back at %g after shift end %g", ri, back, v.Latest)
		}
		if math.Abs(back-r.Return) > tol {
			return fmt.Errorf("route %d: back at %g, reported %g", ri, back, r.Return)
		}
		if load > v.Capacity+tol {
			return fmt.Errorf("route %d: load %g over capacity %g", ri, load, v.Capacity)
		}
		if math.Abs(travel-r.Seconds) > tol {
			return fmt.Errorf("route %d: travel %g, reported %g", ri, travel, r.Seconds)
		}
		total += travel
	}
	for _, u := range sol.Unserved {
		if u.Job < 0 || u.Job >= len(p.Jobs) {
			return fmt.Errorf("unserved job %d out of range", u.Job)
		}
		seen[u.Job]++
		penalty += p.Jobs[u.Job].Penalty
		if u.Reason.String() == "unknown reason" {
			return fmt.Errorf("unserved job %d has no reason", u.Job)
		}
	}
	for j, n := range seen {
		if n != 1 {
			return fmt.Errorf("job %d appears %d times among routes and unserved", j, n)
		}
	}
	if math.Abs(total+penalty-sol.Cost) > 1e-6*math.Max(1, sol.Cost) {
		return fmt.Errorf("cost %g, reported %g", total+penalty, sol.Cost)
	}
	return nil
}
