package supply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RunPattern and StopPattern are the resource name patterns of runs and stops.
const (
	RunPattern  = "runs/{run}"
	StopPattern = "runs/{run}/stops/{stop}"
)

// RunState is where a run is in its life; the names match the API's enum.
type RunState string

// Run states.
const (
	Planned      RunState = "PLANNED"
	Dispatched   RunState = "DISPATCHED"
	InProgress   RunState = "IN_PROGRESS"
	Completed    RunState = "COMPLETED"
	RunCancelled RunState = "CANCELLED"
)

// RunStates lists every run state, in the API's order.
var RunStates = []RunState{Planned, Dispatched, InProgress, Completed, RunCancelled}

// StopState is where a stop is in its life; the names match the API's enum.
type StopState string

// Stop states.
const (
	Pending     StopState = "PENDING"
	StopDone    StopState = "DELIVERED"
	StopFailed  StopState = "FAILED"
	stopIDStart           = "stop-"
)

// unitWeightKG is the weight a unit counts for against a vehicle's capacity:
// a litre weighs a kilogram, a portion half of one, a piece (a bottle, a
// pack, a loaf) about one, and a packed box about ten.
var unitWeightKG = map[Unit]float64{Kilogram: 1, Liter: 1, Portion: 0.5, Piece: 1, Box: 10}

// WeightKG is the weight of q units of u for capacity planning.
func WeightKG(u Unit, q Quantity) float64 { return unitWeightKG[u] * q.Float() }

// DeliveryTolerance is how far above the requested quantity a delivery may
// go, as a fraction: a box of apples is never exactly 10 kg.
const DeliveryTolerance = 0.10

// Run is a volunteer's trip from a depot to one or more wards.
type Run struct {
	ID               string
	VolunteerID      string
	DepotID          string
	PlannedStartTime time.Time
	Stops            []Stop
	State            RunState
	Notes            string
	LoadKG           float64
	CancelReason     string
	DispatchTime     time.Time
	StartTime        time.Time
	CompleteTime     time.Time
	// CapacityOverride is set while a coordinator's override lets the run
	// carry more than its volunteer's capacity (see fitCapacity).
	CapacityOverride bool
	// StockOverride is set while a coordinator's override lets the run go
	// with less than it needs from its depot's stock (see checkStock).
	StockOverride bool
	Meta
}

// Stop is one ward a run visits, with the requests dropped there.
type Stop struct {
	ID            string
	HospitalID    string
	WardID        string
	RequestIDs    []string
	State         StopState
	ReceivedBy    string
	DeliverTime   time.Time
	FailureReason string
	Note          string
	Delivered     []DeliveredLine
	// EstimatedArrival is when the driver is expected, for a pending stop
	// of a run that is not finished; DeadlineAtRisk says it is later than
	// the deliver_before of a request dropped here. Both are recomputed on
	// every change of the run.
	EstimatedArrival time.Time
	DeadlineAtRisk   bool
}

// DeliveredLine is how much of one line of one request was handed over.
type DeliveredLine struct {
	RequestID string
	Line      int
	Quantity  Quantity
}

// Name returns the resource name, runs/{run}.
func (r *Run) Name() string { return Name(RunPattern, r.ID) }

// StopName returns a stop's resource name.
func (r *Run) StopName(s *Stop) string { return Name(StopPattern, r.ID, s.ID) }

// WardName returns the stop's ward's resource name.
func (s *Stop) WardName() string { return Name(WardPattern, s.HospitalID, s.WardID) }

// Limits of runs.
const (
	// runStartTolerance lets a coordinator record a run that just left.
	runStartTolerance = time.Hour
	maxRunLeadTime    = 30 * 24 * time.Hour
)

// Validate checks the fields a coordinator sets; paths start with prefix.
// checkStart is false when an update leaves the planned start as it was.
func (r *Run) Validate(now time.Time, checkStart bool, v *Violations) error {
	if r.VolunteerID == "" {
		v.Add("volunteer", "volunteer is required")
	}
	if r.DepotID == "" {
		v.Add("depot", "depot is required")
	}
	switch {
	case r.PlannedStartTime.IsZero():
		v.Add("planned_start_time", "planned_start_time is required")
	case checkStart && r.PlannedStartTime.Before(now.Add(-runStartTolerance)):
		v.Add("planned_start_time", "planned_start_time must not be more than an hour in the past")
	case checkStart && r.PlannedStartTime.After(now.Add(maxRunLeadTime)):
		v.Add("planned_start_time", "planned_start_time must be within 30 days")
	}
	checkText(v, "notes", "notes", r.Notes, maxLongText, false, true)
	return v.Err()
}

// PrepareNew checks a new run and sets it PLANNED with no stops.
func (r *Run) PrepareNew(now time.Time, v *Violations) error {
	if err := r.Validate(now, true, v); err != nil {
		return err
	}
	r.State, r.Stops, r.LoadKG, r.CancelReason = Planned, nil, 0, ""
	return nil
}

// Revise replaces what a coordinator may change on a PLANNED run: the
// volunteer, depot, start, notes, and the order of the stops (next.Stops
// must hold the same stops, by id, in the new order).
func (r *Run) Revise(next *Run, now time.Time, v *Violations) error {
	if r.State != Planned {
		return Errorf(FailedPrecondition, "%s is %s; only a PLANNED run can be changed", r.Name(), r.State)
	}
	if err := next.Validate(now, !next.PlannedStartTime.Equal(r.PlannedStartTime), v); err != nil {
		return err
	}
	order := make([]string, len(next.Stops))
	for i, s := range next.Stops {
		order[i] = s.ID
	}
	current := make([]string, len(r.Stops))
	for i, s := range r.Stops {
		current[i] = s.ID
	}
	if !slices.Equal(order, current) {
		sorted, want := slices.Sorted(slices.Values(order)), slices.Sorted(slices.Values(current))
		if !slices.Equal(sorted, want) {
			return InvalidField("run.stops", "stops must list each of the run's stops exactly once, in the new order (the run has %s)", strings.Join(current, ", "))
		}
		byID := map[string]Stop{}
		for _, s := range r.Stops {
			byID[s.ID] = s
		}
		for i, id := range order {
			r.Stops[i] = byID[id]
		}
	}
	r.VolunteerID, r.DepotID, r.PlannedStartTime, r.Notes = next.VolunteerID, next.DepotID, next.PlannedStartTime, next.Notes
	return nil
}

// Revise changes what a coordinator may change on a PLANNED run (see
// Run.Revise) and refreshes the arrival estimates, which depend on the
// depot, the start and the order.
func (w *RunWork) Revise(next *Run, v *Violations, override bool) error {
	before := *w.Run
	if err := w.Run.Revise(next, w.Now, v); err != nil {
		return err
	}
	var err error
	if w.Run.DepotID != before.DepotID {
		if w.Depot, err = w.Requests.Depot(w.Run.DepotID); err != nil {
			return asInvalid("run.depot", err)
		}
	}
	if w.Run.VolunteerID != before.VolunteerID {
		if w.Volunteer, err = w.Requests.Volunteer(w.Run.VolunteerID); err != nil {
			return asInvalid("run.volunteer", err)
		}
	}
	// A new volunteer must carry the run's load, or the coordinator
	// accepts it with override; override with the same volunteer accepts
	// the load as it is (after the volunteer's capacity was lowered, say).
	if w.Run.VolunteerID != before.VolunteerID || override {
		_, over, err := w.checkLoad(override, "choose a volunteer who carries it, take requests off")
		if err != nil {
			return err
		}
		w.Summary = over
	}
	return w.estimate()
}

// ExpectedBack is roughly when the run's driver is free again: after the
// last estimated drop and the way back, or at the planned start for a run
// with nothing pending.
func (r *Run) ExpectedBack() time.Time {
	back := r.PlannedStartTime
	for _, s := range r.Stops {
		if s.EstimatedArrival.After(back) {
			back = s.EstimatedArrival.Add(parkingTime + time.Duration(len(s.RequestIDs))*handoverTime + returnAllowance)
		}
	}
	return back
}

// returnAllowance is the drive back to the depot after a run's last drop,
// as a plan counts it when the driver is wanted again.
const returnAllowance = 30 * time.Minute

// asInvalid turns a NotFound about a resource a caller named in a field
// into an invalid field.
func asInvalid(field string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Code == NotFound {
		return InvalidField(field, "%s", strings.Replace(e.Message, " not found", " does not exist", 1))
	}
	return err
}

// RunQuery selects runs for a list.
type RunQuery struct {
	States      []RunState
	VolunteerID string
	// From and To, when set, keep runs planned to start in [From, To).
	From, To time.Time
	// RequestID, when set, keeps the runs with a stop carrying the request.
	RequestID string
	Page      Page
}

// RunStore keeps runs.
type RunStore interface {
	GetRun(ctx context.Context, id string) (*Run, error)
	ListRuns(ctx context.Context, q RunQuery) ([]*Run, Cursor, error)
}

// Requests is how a run's work reaches the delivery requests it touches;
// the store loads them inside its transaction and writes back their changes.
type Requests interface {
	// Request returns the request with that id, or NotFound.
	Request(id string) (*DeliveryRequest, error)
	// Location returns where a hospital is, or nil when unknown.
	Location(hospitalID string) *LatLng
	// Depot and Volunteer return the resource with that id, or NotFound,
	// for a change that moves a run to another depot or driver.
	Depot(id string) (*Depot, error)
	Volunteer(id string) (*Volunteer, error)
}

// RunWork is one step of work on a run.
type RunWork struct {
	Run       *Run
	Volunteer *Volunteer
	Depot     *Depot
	Requests  Requests
	Now       time.Time
	// Stock reaches the depot's lots; nil where stock is not kept.
	Stock Stock
	// OverrideStock accepts a run short of stock (see checkStock).
	OverrideStock bool
	// Loads and Drops are what the step took from lots and handed over
	// from them, for the store to record.
	Loads []Load
	Drops []Drop
	// Summary is the run's event summary; RequestNotes the summary of the
	// event of each request the step changed.
	Summary      string
	RequestNotes map[string]string
	// drivenKM and driving are the travel of the pending part of the run,
	// as the last estimate found it.
	drivenKM float64
	driving  time.Duration
}

func (w *RunWork) note(r *DeliveryRequest, format string, args ...any) {
	if w.RequestNotes == nil {
		w.RequestNotes = map[string]string{}
	}
	w.RequestNotes[r.ID] = fmt.Sprintf(format, args...)
}

func (w *RunWork) requireState(action string, states ...RunState) error {
	if slices.Contains(states, w.Run.State) {
		return nil
	}
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = string(s)
	}
	return Errorf(FailedPrecondition, "%s is %s; %s needs a run that is %s", w.Run.Name(), w.Run.State, action, strings.Join(names, " or "))
}

// onRun returns every request on the run's pending stops.
func (w *RunWork) onRun() ([]*DeliveryRequest, error) {
	var out []*DeliveryRequest
	for _, s := range w.Run.Stops {
		if s.State != Pending {
			continue
		}
		for _, id := range s.RequestIDs {
			r, err := w.Requests.Request(id)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// load recomputes the run's load from the scheduled quantities on it.
func (w *RunWork) load() (float64, error) {
	requests, err := w.onRun()
	if err != nil {
		return 0, err
	}
	kg := 0.0
	for _, r := range requests {
		for _, l := range r.Lines {
			kg += WeightKG(l.Unit, l.Scheduled)
		}
	}
	return kg, nil
}

// Assign adds OPEN requests to a PLANNED run: each becomes SCHEDULED with
// its outstanding quantity, and joins the stop of its ward (a new stop when
// the run does not visit the ward yet). The stops are then put in the
// default order. A load above the volunteer's capacity is refused unless
// override is set.
func (w *RunWork) Assign(ids []string, override bool) error {
	if err := CheckRequestIDs(ids); err != nil {
		return err
	}
	if err := w.requireState("assigning requests", Planned); err != nil {
		return err
	}
	for _, id := range ids {
		r, err := w.schedule(id)
		if err != nil {
			return err
		}
		w.joinStop(r)
	}
	if n := w.Run.requestCount(); n > MaxRunRequests {
		return Errorf(FailedPrecondition, "%s would carry %d delivery requests; a run carries at most %d delivery requests, so plan another run for the rest",
			w.Run.Name(), n, MaxRunRequests)
	}
	kg, over, err := w.checkLoad(override, "assign fewer requests")
	if err != nil {
		return err
	}
	short, err := w.checkStock(w.OverrideStock)
	if err != nil {
		return err
	}
	w.Summary = fmt.Sprintf("%d requests assigned; %d stops, %.1f kg", len(ids), len(w.Run.Stops), kg)
	if over != "" {
		w.Summary += "; " + over
	}
	if short != "" {
		w.Summary += "; " + short
	}
	return w.order()
}

// schedule puts an OPEN request on the run: it becomes SCHEDULED with its
// outstanding quantity.
func (w *RunWork) schedule(id string) (*DeliveryRequest, error) {
	r, err := w.Requests.Request(id)
	if err != nil {
		return nil, err
	}
	if r.State != Open {
		where := ""
		if r.RunID != "" {
			where = " on " + Name(RunPattern, r.RunID)
		}
		return nil, Errorf(FailedPrecondition, "%s is %s%s; only an OPEN request can be assigned", r.Name(), r.State, where)
	}
	r.State, r.RunID = Scheduled, w.Run.ID
	for i := range r.Lines {
		r.Lines[i].Scheduled = r.Lines[i].Outstanding()
	}
	w.note(r, "delivery request scheduled on %s", w.Run.Name())
	return r, nil
}

// checkLoad recomputes the run's load and fits it to the volunteer's
// capacity (see fitCapacity); over is the event's note of an accepted
// overload.
func (w *RunWork) checkLoad(override bool, advice string) (kg float64, over string, err error) {
	if kg, err = w.load(); err != nil {
		return 0, "", err
	}
	w.Run.LoadKG = kg
	over, err = w.Run.fitCapacity(w.Volunteer, override, advice)
	return kg, over, err
}

// Place gives a new run of a plan its stops, in the order given: each
// request on them must still be OPEN and of the stop's ward, and becomes
// SCHEDULED. A load above the volunteer's capacity is refused.
func (w *RunWork) Place(stops []Stop) error {
	if err := w.requireState("placing stops", Planned); err != nil {
		return err
	}
	if len(stops) == 0 {
		return Errorf(Invalid, "%s of the plan has no stops", w.Run.Name())
	}
	for i, s := range stops {
		stop := Stop{ID: fmt.Sprintf("%s%d", stopIDStart, i+1), State: Pending}
		for _, id := range s.RequestIDs {
			r, err := w.schedule(id)
			if err != nil {
				return err
			}
			if stop.HospitalID == "" {
				stop.HospitalID, stop.WardID = r.HospitalID, r.WardID
			}
			if r.HospitalID != stop.HospitalID || r.WardID != stop.WardID || s.WardID != "" && (s.HospitalID != r.HospitalID || s.WardID != r.WardID) {
				return Errorf(Invalid, "%s is for %s, not the ward of stop %d of %s", r.Name(), r.WardName(), i+1, w.Run.Name())
			}
			stop.RequestIDs = append(stop.RequestIDs, id)
		}
		w.Run.Stops = append(w.Run.Stops, stop)
	}
	kg, _, err := w.checkLoad(false, "plan again")
	if err != nil {
		return err
	}
	w.Summary = fmt.Sprintf("run planned with %d stops, %.1f kg", len(w.Run.Stops), kg)
	return w.estimate()
}

func (w *RunWork) joinStop(r *DeliveryRequest) {
	for i := range w.Run.Stops {
		s := &w.Run.Stops[i]
		if s.State == Pending && s.HospitalID == r.HospitalID && s.WardID == r.WardID {
			s.RequestIDs = append(s.RequestIDs, r.ID)
			return
		}
	}
	next := 1
	for _, s := range w.Run.Stops {
		var n int
		if _, err := fmt.Sscanf(s.ID, stopIDStart+"%d", &n); err == nil && n >= next {
			next = n + 1
		}
	}
	w.Run.Stops = append(w.Run.Stops, Stop{
		ID: fmt.Sprintf("%s%d", stopIDStart, next), HospitalID: r.HospitalID, WardID: r.WardID,
		RequestIDs: []string{r.ID}, State: Pending,
	})
}

// Unassign takes requests off a PLANNED run; they become OPEN again.
func (w *RunWork) Unassign(ids []string) error {
	if err := CheckRequestIDs(ids); err != nil {
		return err
	}
	if err := w.requireState("taking requests off", Planned); err != nil {
		return err
	}
	for _, id := range ids {
		r, err := w.Requests.Request(id)
		if err != nil {
			return err
		}
		if r.RunID != w.Run.ID || r.State != Scheduled {
			return Errorf(FailedPrecondition, "%s is not on %s", r.Name(), w.Run.Name())
		}
		w.reopen(r)
		w.Run.removeRequest(id)
		w.note(r, "delivery request taken off %s; OPEN again", w.Run.Name())
	}
	kg, err := w.load()
	if err != nil {
		return err
	}
	w.Run.LoadKG = kg
	if kg <= w.Volunteer.CapacityKG {
		w.Run.CapacityOverride = false
	}
	w.Summary = fmt.Sprintf("%d requests taken off; %d stops, %.1f kg", len(ids), len(w.Run.Stops), kg)
	return w.order()
}

// reopen makes a request OPEN again with what is still outstanding.
func (w *RunWork) reopen(r *DeliveryRequest) {
	r.State, r.RunID = Open, ""
	for i := range r.Lines {
		r.Lines[i].Scheduled = 0
	}
}

// removeRequest takes a request off its pending stop, dropping the stop
// when it is left empty.
func (r *Run) removeRequest(id string) {
	for i := range r.Stops {
		s := &r.Stops[i]
		if s.State != Pending {
			continue
		}
		if j := slices.Index(s.RequestIDs, id); j >= 0 {
			s.RequestIDs = slices.Delete(s.RequestIDs, j, j+1)
			if len(s.RequestIDs) == 0 {
				r.Stops = slices.Delete(r.Stops, i, i+1)
			}
			return
		}
	}
}

// Dispatch locks the plan: PLANNED to DISPATCHED.
func (w *RunWork) Dispatch() error {
	if err := w.requireState("dispatching", Planned); err != nil {
		return err
	}
	if len(w.Run.Stops) == 0 {
		return Errorf(FailedPrecondition, "%s has no stops; assign requests before dispatching it", w.Run.Name())
	}
	kg, err := w.load()
	if err != nil {
		return err
	}
	w.Run.LoadKG = kg
	if kg > w.Volunteer.CapacityKG && !w.Run.CapacityOverride {
		return Errorf(FailedPrecondition, "%s carries %.1f kg but %s carries at most %.1f kg; take requests off, choose another volunteer, "+
			"or accept the load with override_capacity on an update of the run", w.Run.Name(), kg, w.Volunteer.DisplayName, w.Volunteer.CapacityKG)
	}
	short, err := w.checkStock(w.OverrideStock || w.Run.StockOverride)
	if err != nil {
		return err
	}
	w.Run.State, w.Run.DispatchTime = Dispatched, w.Now
	w.Summary = fmt.Sprintf("run dispatched to %s with %d stops", w.Volunteer.DisplayName, len(w.Run.Stops))
	if kg > w.Volunteer.CapacityKG {
		w.Summary += "; " + overCapacity(kg, w.Volunteer)
	}
	if short != "" {
		w.Summary += "; " + short
	}
	return w.estimate()
}

// Start sets the driver off: DISPATCHED to IN_PROGRESS, and the run's
// requests IN_TRANSIT.
func (w *RunWork) Start() error {
	if err := w.requireState("starting", Dispatched); err != nil {
		return err
	}
	if err := w.take(); err != nil {
		return err
	}
	requests, err := w.onRun()
	if err != nil {
		return err
	}
	for _, r := range requests {
		r.State = InTransit
		w.note(r, "delivery request on its way with %s", w.Volunteer.DisplayName)
	}
	w.Run.State, w.Run.StartTime = InProgress, w.Now
	w.Summary = fmt.Sprintf("%s set off from %s", w.Volunteer.DisplayName, w.Depot.DisplayName)
	return w.estimate()
}

func (w *RunWork) stop(stopID string) (*Stop, error) {
	for i := range w.Run.Stops {
		if w.Run.Stops[i].ID == stopID {
			s := &w.Run.Stops[i]
			if s.State != Pending {
				return nil, Errorf(FailedPrecondition, "%s is already %s", w.Run.StopName(s), s.State)
			}
			return s, nil
		}
	}
	return nil, NotFoundf(Name(StopPattern, w.Run.ID, stopID))
}

// Deliver records a drop: who received it and how much of each line (a line
// left out counts as 0). A request whose every line is now fully delivered
// becomes DELIVERED; any other becomes OPEN again with what is outstanding,
// so it can go on another run without anyone retyping it.
func (w *RunWork) Deliver(stopID, receivedBy string, lines []DeliveredLine, note string) error {
	v := NewViolations("")
	checkText(v, "received_by", "received_by", receivedBy, maxNameLength, true, false)
	checkText(v, "note", "note", note, maxLongText, false, true)
	if err := v.Err(); err != nil {
		return err
	}
	if err := CheckDeliveredLines(len(lines)); err != nil {
		return err
	}
	if err := w.requireState("delivering", InProgress); err != nil {
		return err
	}
	s, err := w.stop(stopID)
	if err != nil {
		return err
	}
	given := map[[2]any]Quantity{}
	for i, l := range lines {
		field := fmt.Sprintf("lines[%d]", i)
		if !slices.Contains(s.RequestIDs, l.RequestID) {
			v.Add(field+".delivery_request", "%s is not dropped at this stop (line %d)", Name(DeliveryRequestPattern, l.RequestID), i+1)
			continue
		}
		r, err := w.Requests.Request(l.RequestID)
		if err != nil {
			return err
		}
		key := [2]any{l.RequestID, l.Line}
		switch {
		case l.Line < 0 || l.Line >= len(r.Lines):
			v.Add(field+".line", "line must be between 0 and %d for %s (line %d)", len(r.Lines)-1, r.Name(), i+1)
		case l.Quantity < 0:
			v.Add(field+".quantity", "quantity must not be negative (line %d)", i+1)
		case slices.ContainsFunc(lines[:i], func(o DeliveredLine) bool { return o.RequestID == l.RequestID && o.Line == l.Line }):
			v.Add(field, "line %d of %s is given twice", l.Line, r.Name())
		case r.Lines[l.Line].Unit.Whole() && l.Quantity%QuantityScale != 0:
			v.Add(field+".quantity", "quantity must be a whole number of %s (line %d)", r.Lines[l.Line].Unit, i+1)
		default:
			rl := r.Lines[l.Line]
			limit := rl.Quantity + Quantity(float64(rl.Quantity)*DeliveryTolerance)
			if rl.Delivered+l.Quantity > limit {
				v.Add(field+".quantity", "quantity %s is more than the %s %s still outstanding, with %d%% tolerance (line %d)",
					l.Quantity, rl.Outstanding(), rl.Unit, int(DeliveryTolerance*100), i+1)
			}
			given[key] = l.Quantity
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := w.dropFrom(stopID, lines); err != nil {
		return err
	}
	delivered, reopened := 0, 0
	for _, id := range s.RequestIDs {
		r, err := w.Requests.Request(id)
		if err != nil {
			return err
		}
		var parts []string
		complete := true
		for i := range r.Lines {
			q := given[[2]any{id, i}]
			r.Lines[i].Delivered += q
			r.Lines[i].Scheduled = 0
			if r.Lines[i].Delivered < r.Lines[i].Quantity {
				complete = false
			}
			parts = append(parts, fmt.Sprintf("%s of %s %s %s", q, r.Lines[i].Quantity, r.Lines[i].Unit, r.Lines[i].Category))
		}
		if complete {
			r.State = Delivered
			delivered++
			w.note(r, "delivered to %s: %s", receivedBy, strings.Join(parts, ", "))
		} else {
			w.reopen(r)
			reopened++
			w.note(r, "delivered short to %s: %s; OPEN again for the rest", receivedBy, strings.Join(parts, ", "))
		}
	}
	s.State, s.ReceivedBy, s.DeliverTime, s.Note = StopDone, receivedBy, w.Now, note
	s.Delivered = nil
	for _, l := range lines {
		s.Delivered = append(s.Delivered, DeliveredLine{RequestID: l.RequestID, Line: l.Line, Quantity: l.Quantity})
	}
	kg, err := w.load()
	if err != nil {
		return err
	}
	w.Run.LoadKG = kg
	w.Summary = fmt.Sprintf("%s delivered to %s: %d requests complete, %d open again for the rest", w.Run.StopName(s), receivedBy, delivered, reopened)
	return w.estimate()
}

// Fail records a drop that could not be made; its requests become OPEN again.
func (w *RunWork) Fail(stopID, reason string) error {
	v := NewViolations("")
	checkText(v, "reason", "reason", reason, maxShortText, true, true)
	if err := v.Err(); err != nil {
		return err
	}
	if err := w.requireState("reporting a failed drop", InProgress); err != nil {
		return err
	}
	s, err := w.stop(stopID)
	if err != nil {
		return err
	}
	for _, id := range s.RequestIDs {
		r, err := w.Requests.Request(id)
		if err != nil {
			return err
		}
		w.reopen(r)
		w.note(r, "drop failed (%s); OPEN again", reason)
	}
	s.State, s.FailureReason, s.DeliverTime = StopFailed, reason, w.Now
	kg, err := w.load()
	if err != nil {
		return err
	}
	w.Run.LoadKG = kg
	w.Summary = fmt.Sprintf("%s failed: %s", w.Run.StopName(s), reason)
	return w.estimate()
}

// Complete ends a run once no stop is PENDING.
func (w *RunWork) Complete() error {
	if err := w.requireState("completing", InProgress); err != nil {
		return err
	}
	pending := 0
	for _, s := range w.Run.Stops {
		if s.State == Pending {
			pending++
		}
	}
	if pending > 0 {
		return Errorf(FailedPrecondition, "%s has %d stops still PENDING; deliver or fail each before completing", w.Run.Name(), pending)
	}
	w.Run.State, w.Run.CompleteTime = Completed, w.Now
	w.Summary = fmt.Sprintf("run completed by %s", w.Volunteer.DisplayName)
	if err := w.bringBack(); err != nil {
		return err
	}
	return w.estimate()
}

// Cancel calls a run off before it starts; its requests become OPEN again.
func (w *RunWork) Cancel(reason string) error {
	v := NewViolations("")
	checkText(v, "reason", "reason", reason, maxShortText, true, true)
	if err := v.Err(); err != nil {
		return err
	}
	if err := w.requireState("cancelling", Planned, Dispatched); err != nil {
		return err
	}
	requests, err := w.onRun()
	if err != nil {
		return err
	}
	for _, r := range requests {
		w.reopen(r)
		w.note(r, "%s cancelled (%s); OPEN again", w.Run.Name(), reason)
	}
	w.Run.State, w.Run.CancelReason, w.Run.LoadKG = RunCancelled, reason, 0
	w.Summary = "run cancelled: " + reason
	return w.estimate()
}

// Withdraw takes a request that was cancelled while SCHEDULED off the run,
// with the kilograms it added to the load, and refreshes the estimates of
// the stops left.
func (w *RunWork) Withdraw(requestID string, kg float64) error {
	w.Run.Withdraw(requestID, kg)
	return w.estimate()
}

// Withdraw takes a request off the run with the kilograms it added to the
// load.
func (r *Run) Withdraw(requestID string, kg float64) {
	r.removeRequest(requestID)
	r.LoadKG = max(0, r.LoadKG-kg)
}

// ScheduledKG is the weight of what is scheduled of the request.
func (r *DeliveryRequest) ScheduledKG() float64 {
	kg := 0.0
	for _, l := range r.Lines {
		kg += WeightKG(l.Unit, l.Scheduled)
	}
	return kg
}
