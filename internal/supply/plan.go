package supply

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/route"
)

// Limits of one plan: what a city plans in a day, with room to spare.
const (
	MaxPlanVolunteers = 500
	MaxPlanDepots     = 100
	MaxPlanRequests   = 2000
	DefaultPlanTime   = 2 * time.Second
	MaxPlanTime       = 60 * time.Second
	// The search's iteration budget: enough ruin-and-recreate steps for
	// a day of this size to settle.
	planIterationsMin    = 5000
	planIterationsPerJob = 1000
)

// PlanRequest is what a coordinator asks the planner for.
type PlanRequest struct {
	// Start is the earliest departure; ShiftEnd when every run must be
	// back at its depot.
	Start, ShiftEnd time.Time
	// TimeLimit bounds the search.
	TimeLimit time.Duration
	// Seed makes the search repeatable for a given iteration budget.
	Seed int64
}

// PlanWorld is what a plan is made from, as the store holds it now.
type PlanWorld struct {
	Volunteers []*Volunteer
	Depots     []*Depot
	// Requests are the OPEN requests to plan.
	Requests  []*DeliveryRequest
	Hospitals map[string]*Hospital
	// FreeFrom is when each volunteer with a run not yet finished is
	// expected back from it.
	FreeFrom map[string]time.Time
}

// UnplannedReason says why a plan left a request out; the names match the
// API's enum.
type UnplannedReason string

// Reasons a request is left out.
const (
	TooHeavy              UnplannedReason = "TOO_HEAVY"
	WindowClosed          UnplannedReason = "WINDOW_CLOSED"
	ShiftTooShort         UnplannedReason = "SHIFT_TOO_SHORT"
	TooFarForPerishables  UnplannedReason = "TOO_FAR_FOR_PERISHABLES"
	NoDriverFree          UnplannedReason = "NO_DRIVER_FREE"
	NoLocation            UnplannedReason = "NO_LOCATION"
	unplannedReasonsCount                 = 6
)

// Unplanned is a request a plan leaves out, and why.
type Unplanned struct {
	RequestID   string
	Reason      UnplannedReason
	Explanation string
}

// Plan is the day's plan: new PLANNED runs, each with its stops in driving
// order, and the requests left out.
type Plan struct {
	Runs      []*Run
	Unplanned []Unplanned
	// DistanceKM and Driving total the runs' travel, depot to depot.
	DistanceKM float64
	Driving    time.Duration
	// measured says the planner measured the runs: Place adds nothing.
	measured bool
}

// Place gives a run of the plan its stops (see RunWork.Place). A plan
// that came as proposed runs, not from the planner, learns its distance
// and driving time from the runs as they are placed.
func (p *Plan) Place(w *RunWork, stops []Stop) error {
	if err := w.Place(stops); err != nil {
		return err
	}
	if p.measured {
		return nil
	}
	p.DistanceKM += w.drivenKM
	p.Driving += w.driving
	return nil
}

// PlannedRequests counts the requests on the plan's runs.
func (p *Plan) PlannedRequests() int {
	n := 0
	for _, r := range p.Runs {
		for _, s := range r.Stops {
			n += len(s.RequestIDs)
		}
	}
	return n
}

// StopsAtRisk counts the stops whose estimate is past a deadline.
func (p *Plan) StopsAtRisk() int {
	n := 0
	for _, r := range p.Runs {
		for _, s := range r.Stops {
			if s.DeadlineAtRisk {
				n++
			}
		}
	}
	return n
}

// Receipt is what a stored plan leaves under its request id, so a retry
// answers with the same runs and the same unplanned list.
func (p *Plan) Receipt() string {
	rec := planReceipt{Unplanned: p.Unplanned, DistanceKM: p.DistanceKM, Driving: p.Driving}
	for _, r := range p.Runs {
		rec.RunIDs = append(rec.RunIDs, r.ID)
	}
	b, _ := json.Marshal(rec)
	return "plan:" + string(b)
}

type planReceipt struct {
	RunIDs     []string
	Unplanned  []Unplanned
	DistanceKM float64
	Driving    time.Duration
}

// ParseReceipt reads a plan's receipt back: the plan without its runs,
// and the ids of the runs to read.
func ParseReceipt(receipt string) (*Plan, []string, error) {
	var rec planReceipt
	body, ok := strings.CutPrefix(receipt, "plan:")
	if !ok {
		return nil, nil, fmt.Errorf("not a plan receipt: %.40q", receipt)
	}
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		return nil, nil, err
	}
	return &Plan{Unplanned: rec.Unplanned, DistanceKM: rec.DistanceKM, Driving: rec.Driving}, rec.RunIDs, nil
}

// Lexicographic priorities: leaving out one request of a priority costs
// more than leaving out every request of the priorities below and all the
// driving there is. A ROUTINE request is worth more than any day's
// driving (a year of seconds).
const routinePenalty = farFuture

// penalties returns the cost of leaving out a request of each rank (0 is
// an unknown priority, counted as ROUTINE).
func penalties(requests []*DeliveryRequest) [4]float64 {
	var count [4]float64
	for _, r := range requests {
		count[r.Priority.Rank()]++
	}
	var p [4]float64
	p[0], p[1] = routinePenalty, routinePenalty
	p[2] = routinePenalty * (count[0] + count[1] + 1)
	p[3] = p[2] * (count[2] + 1)
	return p
}

// OutstandingKG is the weight of what is still to be delivered.
func (r *DeliveryRequest) OutstandingKG() float64 {
	kg := 0.0
	for _, l := range r.Lines {
		kg += WeightKG(l.Unit, l.Outstanding())
	}
	return kg
}

// MakePlan plans the day: it puts the world's requests on runs of its
// volunteers from its depots, serving as many as it can by priority, then
// with the least driving, and says why it left out the others.
func MakePlan(ctx context.Context, world PlanWorld, req PlanRequest) (*Plan, error) {
	plan := &Plan{measured: true}
	origin := req.Start
	var pl places
	type depotAt struct {
		depot *Depot
		loc   int
	}
	var depots []depotAt
	for _, d := range world.Depots {
		if d.Location != nil {
			depots = append(depots, depotAt{d, pl.add("depot:"+d.ID, d.Location)})
		}
	}
	if len(depots) == 0 {
		return nil, Errorf(FailedPrecondition, "no depot to plan from has a location; set the depots' locations first")
	}
	largest := 0.0
	for _, v := range world.Volunteers {
		largest = max(largest, v.CapacityKG)
	}
	var placeable []*DeliveryRequest
	for _, r := range world.Requests {
		h := world.Hospitals[r.HospitalID]
		if h == nil || h.Location == nil {
			plan.Unplanned = append(plan.Unplanned, Unplanned{RequestID: r.ID, Reason: NoLocation,
				Explanation: fmt.Sprintf("%s has no location on the map; set it so a route can reach the hospital", Name(HospitalPattern, r.HospitalID))})
			continue
		}
		placeable = append(placeable, r)
	}
	// One job a request: requests of one ward share its place, so a run
	// that serves several of them drives there once, parks once (the
	// parking is in the matrix, below) and hands each over.
	penalty := penalties(placeable)
	problem := &route.Problem{}
	for _, r := range placeable {
		j := stopJob(pl.add("hospital:"+r.HospitalID, world.Hospitals[r.HospitalID].Location), []*DeliveryRequest{r}, origin)
		j.Service = handoverTime.Seconds()
		j.Penalty = penalty[r.Priority.Rank()]
		problem.Jobs = append(problem.Jobs, j)
	}
	latest := seconds(req.ShiftEnd, origin)
	type vehicleOf struct {
		volunteer *Volunteer
		depot     *Depot
	}
	var owners []vehicleOf
	for vi, v := range world.Volunteers {
		earliest := 0.0
		if free, ok := world.FreeFrom[v.ID]; ok && free.After(origin) {
			earliest = seconds(free, origin)
		}
		if earliest > latest {
			continue
		}
		for _, d := range depots {
			problem.Vehicles = append(problem.Vehicles, route.Vehicle{
				Start: d.loc, End: d.loc, Capacity: v.CapacityKG, Earliest: earliest, Latest: latest, Group: vi + 1,
			})
			owners = append(owners, vehicleOf{v, d.depot})
		}
	}
	var err error
	if problem.Matrix, err = pl.matrix(ctx); err != nil {
		return nil, err
	}
	// Arriving at a hospital from anywhere else costs the parking.
	isDepot := make([]bool, len(pl.at))
	for _, d := range depots {
		isDepot[d.loc] = true
	}
	for from := range problem.Matrix.Seconds {
		for to := range problem.Matrix.Seconds[from] {
			if from != to && !isDepot[to] {
				problem.Matrix.Seconds[from][to] += parkingTime.Seconds()
			}
		}
	}
	var solution *route.Solution
	if len(problem.Jobs) > 0 {
		// A small day is settled long before the time limit: the iteration
		// budget, which grows with the day, ends the search then.
		solution, err = route.Solve(ctx, problem, route.Options{Seed: req.Seed, TimeLimit: req.TimeLimit, Workers: 2,
			Iterations: max(planIterationsMin, planIterationsPerJob*len(problem.Jobs))})
		if err != nil {
			return nil, err
		}
	} else {
		solution = &route.Solution{}
	}
	for _, rt := range solution.Routes {
		owner := owners[rt.Vehicle]
		run := &Run{
			ID: NewID(), VolunteerID: owner.volunteer.ID, DepotID: owner.depot.ID, State: Planned,
			PlannedStartTime: at(rt.Departure, origin).Truncate(time.Minute), LoadKG: rt.Load,
		}
		parked := 0
		for k, ji := range rt.Jobs {
			r := placeable[ji]
			if n := len(run.Stops); n > 0 && k > 0 && problem.Jobs[rt.Jobs[k-1]].Location == problem.Jobs[ji].Location &&
				run.Stops[n-1].WardID == r.WardID {
				run.Stops[n-1].RequestIDs = append(run.Stops[n-1].RequestIDs, r.ID)
				continue
			}
			if k == 0 || problem.Jobs[rt.Jobs[k-1]].Location != problem.Jobs[ji].Location {
				parked++
			}
			run.Stops = append(run.Stops, Stop{
				ID: fmt.Sprintf("%s%d", stopIDStart, len(run.Stops)+1), HospitalID: r.HospitalID, WardID: r.WardID,
				RequestIDs: []string{r.ID}, State: Pending, EstimatedArrival: at(rt.Starts[k]-parkingTime.Seconds(), origin),
			})
		}
		plan.Runs = append(plan.Runs, run)
		plan.DistanceKM += rt.Meters / 1000
		plan.Driving += time.Duration((rt.Seconds - float64(parked)*parkingTime.Seconds()) * float64(time.Second))
	}
	for _, u := range solution.Unserved {
		plan.Unplanned = append(plan.Unplanned, explain(placeable[u.Job], u.Reason, req, largest))
	}
	slices.SortFunc(plan.Unplanned, func(a, b Unplanned) int { return cmp.Compare(a.RequestID, b.RequestID) })
	return plan, nil
}

// explain says in words why the planner left a request out.
func explain(r *DeliveryRequest, reason route.Reason, req PlanRequest, largestKG float64) Unplanned {
	u := Unplanned{RequestID: r.ID}
	switch reason {
	case route.TooHeavy:
		u.Reason = TooHeavy
		u.Explanation = fmt.Sprintf("it weighs %.1f kg; the largest vehicle carries %.1f kg: split it, or plan a larger vehicle", r.OutstandingKG(), largestKG)
	case route.WindowUnreachable:
		u.Reason = WindowClosed
		u.Explanation = fmt.Sprintf("it must be delivered by %s, before any driver can get there", CityTime(r.DeliverBefore))
		if r.DeliverBefore.Before(req.Start) {
			u.Explanation = fmt.Sprintf("its deadline, %s, has passed; agree a new one with the ward or cancel it", CityTime(r.DeliverBefore))
		}
	case route.PerishableTooFar:
		u.Reason = TooFarForPerishables
		u.Explanation = fmt.Sprintf("it carries perishables, which must arrive within %s of leaving a depot, and every depot is farther", PerishableMaxRide)
	case route.ShiftEndsTooEarly:
		u.Reason = ShiftTooShort
		u.Explanation = fmt.Sprintf("no driver can deliver it and be back before the shift ends at %s", CityTime(req.ShiftEnd))
	default:
		u.Reason = NoDriverFree
		u.Explanation = "every driver's time and room went to other requests; add a driver or move its window"
	}
	return u
}
