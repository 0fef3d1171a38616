package supply

import (
	"context"
	"math"
	"slices"
	"time"
	_ "time/tzdata" // the city's clock, wherever the server runs

	"github.com/aqjurek/tracker/internal/route"
)

// Planning figures. A stop takes six minutes to park and find the ward,
// and four to hand over each request dropped there. A hospital without
// coordinates counts as 50 km from everywhere, so a run visits it last and
// its estimate errs late, never early. Meals go cold: a run must reach a
// ward with meals within two hours of leaving the depot.
const (
	parkingTime     = 6 * time.Minute
	handoverTime    = 4 * time.Minute
	unknownDistance = 50_000.0 // metres
	// PerishableMaxRide is how long perishable goods may travel, from the
	// depot to the ward.
	PerishableMaxRide = 2 * time.Hour
	// DefaultShift is how long a driver works when a plan names no shift end.
	DefaultShift = 8 * time.Hour
)

// Travel estimates driving between places: today the straight line times
// route.DefaultDetour at route.DefaultSpeedKMH. A road-network matrix can
// replace it without touching the planner.
var Travel route.TravelTimes = route.StraightLine{}

// Perishable reports whether a category must reach the ward within
// PerishableMaxRide of leaving the depot.
func (c Category) Perishable() bool { return c == Meals }

// places collects the distinct places of a run or a plan and makes the
// travel matrix between them.
type places struct {
	at    []*LatLng
	index map[string]int
}

// add returns the index of the place with that key, adding it if new.
func (p *places) add(key string, at *LatLng) int {
	if i, ok := p.index[key]; ok {
		return i
	}
	if p.index == nil {
		p.index = map[string]int{}
	}
	p.index[key] = len(p.at)
	p.at = append(p.at, at)
	return len(p.at) - 1
}

// matrix asks Travel for the matrix between the places; a place without
// coordinates is unknownDistance from every other.
func (p *places) matrix(ctx context.Context) (*route.Matrix, error) {
	points := make([]route.Point, len(p.at))
	for i, at := range p.at {
		if at != nil {
			points[i] = route.Point{Lat: at.Latitude, Lng: at.Longitude}
		}
	}
	m, err := Travel.Matrix(ctx, points)
	if err != nil {
		return nil, err
	}
	unknownSeconds := unknownDistance / (route.DefaultSpeedKMH * 1000 / 3600)
	for i, at := range p.at {
		if at != nil {
			continue
		}
		for j := range p.at {
			if i != j {
				m.Seconds[i][j], m.Seconds[j][i] = unknownSeconds, unknownSeconds
				m.Meters[i][j], m.Meters[j][i] = unknownDistance, unknownDistance
			}
		}
	}
	return m, nil
}

// seconds is t on the planner's clock, which starts at origin.
func seconds(t, origin time.Time) float64 { return t.Sub(origin).Seconds() }

// at is the wall-clock time of s seconds on the planner's clock.
func at(s float64, origin time.Time) time.Time {
	return origin.Add(time.Duration(math.Round(s)) * time.Second)
}

// farFuture bounds open time spans on the planner's clock: a year.
const farFuture = 365 * 24 * 3600.0

// stopJob is what the planner knows of a pending stop: where, when its
// requests may be delivered (the latest deliver_after to the earliest
// deliver_before), how much it weighs, whether it carries perishables, and
// the time spent there.
func stopJob(loc int, requests []*DeliveryRequest, origin time.Time) route.Job {
	service := parkingTime + time.Duration(len(requests))*handoverTime
	j := route.Job{Location: loc, Service: service.Seconds(), Open: -farFuture, Close: farFuture}
	for _, r := range requests {
		if !r.DeliverAfter.IsZero() {
			j.Open = max(j.Open, seconds(r.DeliverAfter, origin))
		}
		if !r.DeliverBefore.IsZero() {
			j.Close = min(j.Close, seconds(r.DeliverBefore, origin))
		}
		for _, l := range r.Lines {
			q := l.Scheduled
			if q == 0 {
				q = l.Outstanding()
			}
			j.Demand += WeightKG(l.Unit, q)
			if l.Category.Perishable() {
				j.MaxRide = PerishableMaxRide.Seconds()
			}
		}
	}
	// Requests whose windows do not meet can still share a stop: it is
	// timed by the earliest deadline, and that request is what is at risk.
	j.Open, j.Close = max(-farFuture, min(j.Open, j.Close)), max(-farFuture, j.Close)
	return j
}

// runPlan is the pending part of a run as the planner sees it: where the
// driver is and from when, and the pending stops in order.
type runPlan struct {
	matrix  *route.Matrix
	vehicle route.Vehicle
	origin  time.Time
	stops   []int // indexes into Run.Stops
	jobs    []route.Job
}

// pendingPlan lays out the run's pending stops for the planner. Before the
// run starts, the driver leaves the depot at the planned start; once under
// way, from the ward of the last drop at the time of that drop.
func (w *RunWork) pendingPlan(ctx context.Context) (*runPlan, error) {
	var pl places
	depot := pl.add("depot", w.Depot.Location)
	p := &runPlan{origin: w.Run.PlannedStartTime, vehicle: route.Vehicle{
		Start: depot, End: depot, Capacity: farFuture, Earliest: 0, Latest: farFuture,
	}}
	if w.Run.State == InProgress && !w.Run.StartTime.IsZero() {
		p.origin = w.Run.StartTime
	}
	for _, s := range w.Run.Stops {
		if s.State != Pending {
			if s.DeliverTime.After(p.origin) {
				p.origin = s.DeliverTime
			}
			p.vehicle.Start = pl.add("hospital:"+s.HospitalID, w.Requests.Location(s.HospitalID))
		}
	}
	for i, s := range w.Run.Stops {
		if s.State != Pending {
			continue
		}
		requests := make([]*DeliveryRequest, len(s.RequestIDs))
		for k, id := range s.RequestIDs {
			r, err := w.Requests.Request(id)
			if err != nil {
				return nil, err
			}
			requests[k] = r
		}
		p.stops = append(p.stops, i)
		p.jobs = append(p.jobs, stopJob(pl.add("hospital:"+s.HospitalID, w.Requests.Location(s.HospitalID)), requests, p.origin))
	}
	var err error
	if p.matrix, err = pl.matrix(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// estimate sets the estimated arrival of every pending stop of a run that
// is not finished, and whether it is later than a deadline there; other
// stops carry no estimate.
func (w *RunWork) estimate() error {
	for i := range w.Run.Stops {
		w.Run.Stops[i].EstimatedArrival, w.Run.Stops[i].DeadlineAtRisk = time.Time{}, false
	}
	if !slices.Contains([]RunState{Planned, Dispatched, InProgress}, w.Run.State) {
		return nil
	}
	p, err := w.pendingPlan(context.Background())
	if err != nil || len(p.jobs) == 0 {
		return err
	}
	tl, err := route.Schedule(p.matrix, p.vehicle, p.jobs, true)
	if err != nil {
		return err
	}
	for k, i := range p.stops {
		w.Run.Stops[i].EstimatedArrival = at(tl.Starts[k], p.origin)
		w.Run.Stops[i].DeadlineAtRisk = tl.Late[k]
	}
	w.drivenKM, w.driving = tl.Meters/1000, time.Duration(tl.Seconds*float64(time.Second))
	return nil
}

// order puts the pending stops in driving order, leaving the visited ones
// first, where they are: the planner's single-run sequence, which meets as
// many deadlines as it can, then drives least.
func (w *RunWork) order() error {
	p, err := w.pendingPlan(context.Background())
	if err != nil {
		return err
	}
	if len(p.jobs) > 1 {
		seq, _, err := route.Sequence(p.matrix, p.vehicle, p.jobs)
		if err != nil {
			return err
		}
		pending := make([]Stop, len(p.stops))
		for k, i := range p.stops {
			pending[k] = w.Run.Stops[i]
		}
		ordered := w.Run.Stops[:0:0]
		for _, s := range w.Run.Stops {
			if s.State != Pending {
				ordered = append(ordered, s)
			}
		}
		for _, k := range seq {
			ordered = append(ordered, pending[k])
		}
		w.Run.Stops = ordered
	}
	return w.estimate()
}

// City is the time zone the service's days and clock times are told in.
var City = mustLoadLocation("Asia/Almaty")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// CityTime tells a time as the city reads it: "2026-04-03 14:30".
func CityTime(t time.Time) string { return t.In(City).Format("2006-01-02 15:04") }
