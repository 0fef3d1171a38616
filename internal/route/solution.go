package route

// Solution is the plan the solver found.
type Solution struct {
	// Routes lists the vehicles that got work, in vehicle order.
	Routes []Route
	// Unserved lists the jobs left out, each with why.
	Unserved []Unserved
	// Cost is the objective: travel seconds plus penalties of unserved
	// jobs.
	Cost float64
	// Seconds and Meters total the travel of all routes.
	Seconds, Meters float64
	// Iterations counts the ruin-and-recreate steps of all workers.
	Iterations int
}

// Route is one vehicle's day.
type Route struct {
	Vehicle int
	// Jobs are job indexes in the order served; Starts holds when each
	// service starts.
	Jobs   []int
	Starts []float64
	// Departure is the latest time the vehicle can leave its depot and
	// still keep every start above: leaving then avoids waiting on the way
	// and keeps perishables fresh longest.
	Departure float64
	// Return is when it is back at its end depot.
	Return float64
	// Seconds and Meters are the route's travel.
	Seconds, Meters float64
	// Load is the sum of the jobs' demands.
	Load float64
}

// Unserved is a job left out of the plan.
type Unserved struct {
	Job    int
	Reason Reason
}

// Reason says why a job was left out.
type Reason int

// The reasons, from the most specific. A job gets the first one that holds
// for every vehicle; NoRoom means some vehicle could serve it alone, but
// not together with the jobs that were preferred.
const (
	NoRoom Reason = iota
	TooHeavy
	WindowUnreachable
	PerishableTooFar
	ShiftEndsTooEarly
)

// String says the reason as a person would.
func (r Reason) String() string {
	switch r {
	case TooHeavy:
		return "too heavy for every vehicle"
	case WindowUnreachable:
		return "its window closes before any vehicle can get there"
	case PerishableTooFar:
		return "perishable, and too far from every depot to arrive in time"
	case ShiftEndsTooEarly:
		return "every shift ends before the stop and the way back fit in"
	case NoRoom:
		return "no room left: capacity and time went to other requests"
	}
	return "unknown reason"
}
