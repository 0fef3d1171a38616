package route

import "fmt"

// eps absorbs rounding when times are compared: a service that starts a
// microsecond past its window is on time.
const eps = 1e-6

// Timeline is the schedule of one vehicle's ordered stops.
type Timeline struct {
	// Departure is when the vehicle leaves its start.
	Departure float64
	// Starts holds when each job's service starts.
	Starts []float64
	// Late marks jobs whose service starts after Close.
	Late []bool
	// RideExceeded marks perishable jobs reached more than MaxRide after
	// the departure.
	RideExceeded []bool
	// Return is when the vehicle is back at its end; ReturnLate says it is
	// after the vehicle's Latest.
	Return     float64
	ReturnLate bool
	// Load is the sum of demands; OverCapacity says it exceeds the
	// vehicle's capacity.
	Load         float64
	OverCapacity bool
	// Seconds and Meters are the travel along the route.
	Seconds, Meters float64
}

// Schedule times jobs, served in the order given, by vehicle v. Unlike
// Solve it never refuses: a stop reached after its window closes is served
// late and marked so. The service calls it after every change to a run to
// refresh arrival estimates; for a run under way, pass the vehicle's
// current position as Start and the current time as Earliest, with
// leaveNow set. Without leaveNow the departure is put off as long as it
// delays no stop past its window and the return past Latest, so the
// vehicle waits at the depot rather than on the way.
func Schedule(m *Matrix, v Vehicle, jobs []Job, leaveNow bool) (*Timeline, error) {
	p := &Problem{Matrix: m, Vehicles: []Vehicle{v}, Jobs: jobs}
	if err := p.validate(); err != nil {
		return nil, err
	}
	tl := &Timeline{
		Starts:       make([]float64, len(jobs)),
		Late:         make([]bool, len(jobs)),
		RideExceeded: make([]bool, len(jobs)),
	}
	order := make([]int32, len(jobs))
	for i := range order {
		order[i] = int32(i)
	}
	tl.Departure, tl.Return = timeline(m.Seconds, &v, jobs, order, tl.Starts, leaveNow)
	prev := v.Start
	for i, j := range jobs {
		tl.Late[i] = tl.Starts[i] > j.Close+eps
		tl.RideExceeded[i] = j.MaxRide > 0 && tl.Starts[i]-tl.Departure > j.MaxRide+eps
		tl.Load += j.Demand
		tl.Seconds += m.Seconds[prev][j.Location]
		tl.Meters += m.Meters[prev][j.Location]
		prev = j.Location
	}
	tl.Seconds += m.Seconds[prev][v.End]
	tl.Meters += m.Meters[prev][v.End]
	tl.ReturnLate = tl.Return > v.Latest+eps
	tl.OverCapacity = tl.Load > v.Capacity+eps
	return tl, nil
}

// timeline fills starts for the jobs of order served by v and returns the
// departure and the return. Service starts at arrival or at Open,
// whichever is later, even past Close. Unless leaveNow, the departure is
// then put off by the most that makes no job later than its Close (or
// later still, if already late), no return later than Latest, and not more
// than the waiting it removes. Putting it off never hurts a perishable:
// time from departure to a stop can only shrink as the departure moves
// later, so the latest departure is also the best one for MaxRide.
func timeline(t [][]float64, v *Vehicle, jobs []Job, order []int32, starts []float64, leaveNow bool) (dep, ret float64) {
	dep = v.Earliest
	if !leaveNow {
		// Walk once from the earliest departure, collecting how far each
		// start could move: a delay of d moves job k by d minus the
		// waiting up to and including k, when positive.
		wait, delay := 0.0, inf
		at, loc := dep, v.Start
		for _, k := range order {
			j := &jobs[k]
			arr := at + t[loc][j.Location]
			s := arr
			if s < j.Open {
				wait += j.Open - s
				s = j.Open
			}
			if slack := j.Close - s; slack > 0 {
				delay = min(delay, wait+slack)
			} else {
				delay = min(delay, wait)
			}
			at, loc = s+j.Service, j.Location
		}
		// A delay beyond the total waiting would only push everything
		// later, the return included; within it, the return stays put.
		delay = min(delay, wait)
		dep += max(delay, 0)
	}
	at, loc := dep, v.Start
	for i, k := range order {
		j := &jobs[k]
		s := max(at+t[loc][j.Location], j.Open)
		starts[i] = s
		at, loc = s+j.Service, j.Location
	}
	return dep, at + t[loc][v.End]
}

// String prints a timeline for debugging and test failures.
func (tl *Timeline) String() string {
	return fmt.Sprintf("depart %.1f, starts %.1f, return %.1f", tl.Departure, tl.Starts, tl.Return)
}
