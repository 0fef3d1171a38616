package route

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Problem is one planning question: which vehicle serves which jobs, in
// which order. Times are seconds from an origin the caller chooses; the
// service maps wall-clock times onto it.
type Problem struct {
	// Matrix gives travel between locations; every location below is an
	// index into it.
	Matrix   *Matrix
	Vehicles []Vehicle
	Jobs     []Job
}

// Vehicle is one driver's run: it leaves Start, serves its jobs and comes
// back to End.
type Vehicle struct {
	Start, End int
	// Capacity is the load it can carry, in kg.
	Capacity float64
	// Earliest is when it may leave Start; Latest is when it must be back
	// at End (the end of the shift).
	Earliest, Latest float64
	// Group, when not zero, ties vehicles that are one driver at several
	// depots: at most one vehicle of a group gets a non-empty route.
	Group int
}

// Job is one stop to make.
type Job struct {
	Location int
	// Demand is the load it takes, in kg.
	Demand float64
	// Service must start within [Open, Close]; a vehicle that arrives
	// early waits.
	Open, Close float64
	// Service is the time spent at the stop, in seconds.
	Service float64
	// Penalty is what leaving the job unserved costs, in the unit of the
	// matrix's seconds. The caller makes priorities lexicographic by
	// giving each priority a penalty above everything the lower ones and
	// all travel can add up to.
	Penalty float64
	// MaxRide, when not zero, bounds the time from the vehicle leaving its
	// depot to the start of this job's service (perishables).
	MaxRide float64
}

// Options bound the search.
type Options struct {
	// Seed makes the search repeatable: with an iteration budget and no
	// time limit, the same seed gives the same solution.
	Seed int64
	// TimeLimit stops the search after this long; zero means no limit.
	TimeLimit time.Duration
	// Iterations stops each worker after this many ruin-and-recreate
	// steps; zero means no limit. With neither limit, a default budget
	// applies.
	Iterations int
	// Workers is how many independent searches run at once; zero means
	// one. The best solution wins, ties going to the lower worker.
	Workers int
}

// defaultIterations is the budget when the caller gives no limit at all,
// enough for a good plan of a hundred stops in well under a second.
const defaultIterations = 20000

// ErrInvalid is wrapped by every error about a malformed problem.
var ErrInvalid = errors.New("route: invalid problem")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// finite reports whether x is an ordinary number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// validate reports every problem with p at once, so a caller fixes them in
// one round.
func (p *Problem) validate() error {
	if p == nil || p.Matrix == nil {
		return errNoMatrix
	}
	var errs []error
	n := len(p.Matrix.Seconds)
	if len(p.Matrix.Meters) != n {
		errs = append(errs, invalid("matrix has %d rows of seconds but %d of meters", n, len(p.Matrix.Meters)))
	}
	for i := range n {
		if len(p.Matrix.Seconds[i]) != n || (i < len(p.Matrix.Meters) && len(p.Matrix.Meters[i]) != n) {
			errs = append(errs, invalid("matrix row %d is not %d long", i, n))
			continue
		}
		for j, s := range p.Matrix.Seconds[i] {
			if !finite(s) || s < 0 {
				errs = append(errs, invalid("matrix seconds [%d][%d] is %g", i, j, s))
			}
			if i < len(p.Matrix.Meters) {
				if m := p.Matrix.Meters[i][j]; !finite(m) || m < 0 {
					errs = append(errs, invalid("matrix meters [%d][%d] is %g", i, j, m))
				}
			}
		}
	}
	loc := func(what string, i, l int) {
		if l < 0 || l >= n {
			errs = append(errs, invalid("%s %d: location %d is outside the matrix (size %d)", what, i, l, n))
		}
	}
	for i, v := range p.Vehicles {
		loc("vehicle", i, v.Start)
		loc("vehicle", i, v.End)
		if !finite(v.Capacity) || v.Capacity < 0 {
			errs = append(errs, invalid("vehicle %d: capacity %g", i, v.Capacity))
		}
		if !finite(v.Earliest) || !finite(v.Latest) || v.Earliest > v.Latest {
			errs = append(errs, invalid("vehicle %d: shift [%g, %g] is not a time span", i, v.Earliest, v.Latest))
		}
	}
	for i, j := range p.Jobs {
		loc("job", i, j.Location)
		if !finite(j.Demand) || j.Demand < 0 {
			errs = append(errs, invalid("job %d: demand %g", i, j.Demand))
		}
		if !finite(j.Open) || !finite(j.Close) || j.Open > j.Close {
			errs = append(errs, invalid("job %d: window [%g, %g] is not a time span", i, j.Open, j.Close))
		}
		if !finite(j.Service) || j.Service < 0 {
			errs = append(errs, invalid("job %d: service time %g", i, j.Service))
		}
		if !finite(j.Penalty) || j.Penalty < 0 {
			errs = append(errs, invalid("job %d: penalty %g", i, j.Penalty))
		}
		if !finite(j.MaxRide) || j.MaxRide < 0 {
			errs = append(errs, invalid("job %d: maximum ride %g", i, j.MaxRide))
		}
	}
	return errors.Join(errs...)
}

func (o Options) validate() error {
	if o.TimeLimit < 0 || o.Iterations < 0 || o.Workers < 0 {
		return fmt.Errorf("%w: options must not be negative", ErrInvalid)
	}
	return nil
}
