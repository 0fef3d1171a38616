package supply

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeRequests is an in-memory Requests for run steps.
type fakeRequests struct {
	requests  map[string]*DeliveryRequest
	locations map[string]*LatLng
}

func (f *fakeRequests) Request(id string) (*DeliveryRequest, error) {
	if r, ok := f.requests[id]; ok {
		return r, nil
	}
	return nil, NotFoundf(Name(DeliveryRequestPattern, id))
}

func (f *fakeRequests) Location(hospitalID string) *LatLng { return f.locations[hospitalID] }

func (f *fakeRequests) Depot(id string) (*Depot, error) {
	return nil, NotFoundf(Name(DepotPattern, id))
}

func (f *fakeRequests) Volunteer(id string) (*Volunteer, error) {
	return nil, NotFoundf(Name(VolunteerPattern, id))
}

// depotAt is the Green Bazaar; the hospitals lie west of it at growing distances.
var depotAt = &LatLng{Latitude: 43.2636, Longitude: 76.9535}

func newWork(t testing.TB) (*RunWork, *fakeRequests) {
	t.Helper()
	f := &fakeRequests{requests: map[string]*DeliveryRequest{}, locations: map[string]*LatLng{
		"near": {Latitude: 43.2567, Longitude: 76.9430}, // ~1.2 km
		"mid":  {Latitude: 43.2336, Longitude: 76.8844}, // ~6.5 km
		"far":  {Latitude: 43.2273, Longitude: 76.8030}, // ~13 km
	}}
	run := &Run{ID: "morning", VolunteerID: "aigerim", DepotID: "bazaar", PlannedStartTime: now, State: Planned}
	return &RunWork{
		Run: run, Volunteer: &Volunteer{ID: "aigerim", DisplayName: "Aigerim", CapacityKG: 150, Active: true},
		Depot: &Depot{ID: "bazaar", DisplayName: "Green Bazaar", Location: depotAt}, Requests: f, Now: now,
	}, f
}

// file adds an OPEN request for hospital h's ward w: kg kilograms of apples, due in due.
func (f *fakeRequests) file(id, h, w string, kg int64, due time.Duration, p Priority) *DeliveryRequest {
	r := &DeliveryRequest{ID: id, HospitalID: h, WardID: w, Priority: p, State: Open, DeliverBefore: now.Add(due),
		Lines: []LineItem{{Category: Fruit, Quantity: Quantity(kg * QuantityScale), Unit: Kilogram}}}
	f.requests[id] = r
	return r
}

func codeOf(err error) Code {
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	return 0
}

func stopIDs(r *Run) string {
	var ids []string
	for _, s := range r.Stops {
		ids = append(ids, fmt.Sprintf("%s:%s", s.ID, strings.Join(s.RequestIDs, "+")))
	}
	return strings.Join(ids, " ")
}

func TestAssignGroupsByWardAndOrdersNearestFirst(t *testing.T) {
	t.Parallel()
	w, f := newWork(t)
	f.file("a", "far", "icu", 10, 8*time.Hour, Routine)
	f.file("b", "near", "er", 10, 8*time.Hour, Routine)
	f.file("c", "far", "icu", 5, 8*time.Hour, Urgent)
	f.file("d", "mid", "covid", 20, 8*time.Hour, Routine)
	if err := w.Assign([]string{"a", "b", "c", "d"}, false); err != nil {
		t.Fatal(err)
	}
	// The hospitals lie on one line from the depot: driving out and back
	// is as long either way round, so either order is shortest.
	if got := stopIDs(w.Run); got != "stop-2:b stop-3:d stop-1:a+c" && got != "stop-1:a+c stop-3:d stop-2:b" {
		t.Errorf("stops = %s, want near, mid, far (or back) with far's two requests together", got)
	}
	if w.Run.LoadKG != 45 {
		t.Errorf("load = %v kg, want 45", w.Run.LoadKG)
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		r := f.requests[id]
		if r.State != Scheduled || r.RunID != "morning" || r.Lines[0].Scheduled != r.Lines[0].Quantity || w.RequestNotes[id] == "" {
			t.Errorf("request %s: %s on %q, scheduled %d, note %q", id, r.State, r.RunID, r.Lines[0].Scheduled, w.RequestNotes[id])
		}
	}

	// A later request for a visited ward joins its stop; a new ward gets the next id.
	f.file("e", "near", "er", 1, 8*time.Hour, Routine)
	f.file("g", "near", "icu", 1, 8*time.Hour, Routine)
	if err := w.Assign([]string{"e", "g"}, false); err != nil {
		t.Fatal(err)
	}
	if got := stopIDs(w.Run); !strings.Contains(got, "stop-2:b+e") || !strings.Contains(got, "stop-4:g") {
		t.Errorf("stops = %s", got)
	}
}

func TestOrderTakesAStopFirstWhenADetourWouldMakeItLate(t *testing.T) {
	t.Parallel()
	w, f := newWork(t)
	f.file("near", "near", "er", 5, 8*time.Hour, Routine)
	// 13 km at 25 km/h is about 31 minutes straight; via the near stop it is later than 40 minutes.
	f.file("far", "far", "icu", 5, 40*time.Minute, Critical)
	if err := w.Assign([]string{"near", "far"}, false); err != nil {
		t.Fatal(err)
	}
	if got := stopIDs(w.Run); got != "stop-2:far stop-1:near" {
		t.Errorf("stops = %s, want the far stop first to meet its deadline", got)
	}
	// With time to spare, nearest first again.
	w2, f2 := newWork(t)
	f2.file("near", "near", "er", 5, 8*time.Hour, Routine)
	f2.file("far", "far", "icu", 5, 3*time.Hour, Critical)
	if err := w2.Assign([]string{"near", "far"}, false); err != nil {
		t.Fatal(err)
	}
	if got := stopIDs(w2.Run); got != "stop-1:near stop-2:far" && got != "stop-2:far stop-1:near" {
		t.Errorf("stops = %s, want both stops", got)
	}
	if s := w2.Run.Stops; s[0].EstimatedArrival.IsZero() || !s[1].EstimatedArrival.After(s[0].EstimatedArrival) || s[0].DeadlineAtRisk || s[1].DeadlineAtRisk {
		t.Errorf("estimates = %+v, want increasing arrivals and no deadline at risk", s)
	}
}

func TestAssignRefusals(t *testing.T) {
	t.Parallel()
	w, f := newWork(t)
	f.file("big", "near", "er", 140, 8*time.Hour, Routine)
	f.file("more", "mid", "covid", 20, 8*time.Hour, Routine)
	if err := w.Assign([]string{"big", "more"}, false); codeOf(err) != FailedPrecondition || !strings.Contains(err.Error(), "160.0 kg") ||
		!strings.Contains(err.Error(), "override_capacity") {
		t.Errorf("over capacity: %v", err)
	}
	w, f = newWork(t)
	f.file("big", "near", "er", 140, 8*time.Hour, Routine)
	f.file("more", "mid", "covid", 20, 8*time.Hour, Routine)
	if err := w.Assign([]string{"big", "more"}, true); err != nil || w.Run.LoadKG != 160 {
		t.Errorf("override: %v, load %v", err, w.Run.LoadKG)
	}
	r := f.file("taken", "near", "er", 1, time.Hour, Routine)
	r.State, r.RunID = Scheduled, "evening"
	if err := w.Assign([]string{"taken"}, false); codeOf(err) != FailedPrecondition || !strings.Contains(err.Error(), "SCHEDULED on runs/evening") {
		t.Errorf("assign a request on another run: %v", err)
	}
	if err := w.Assign([]string{"nope"}, false); codeOf(err) != NotFound {
		t.Errorf("assign a missing request: %v", err)
	}
	if err := w.Assign(nil, false); codeOf(err) != Invalid {
		t.Errorf("assign nothing: %v", err)
	}
}

func TestIllegalTransitionsNameTheState(t *testing.T) {
	t.Parallel()
	steps := map[string]func(w *RunWork) error{
		"assign":   func(w *RunWork) error { return w.Assign([]string{"x"}, false) },
		"unassign": func(w *RunWork) error { return w.Unassign([]string{"x"}) },
		"dispatch": func(w *RunWork) error { return w.Dispatch() },
		"start":    func(w *RunWork) error { return w.Start() },
		"deliver":  func(w *RunWork) error { return w.Deliver("stop-1", "Nurse", nil, "") },
		"fail":     func(w *RunWork) error { return w.Fail("stop-1", "closed") },
		"complete": func(w *RunWork) error { return w.Complete() },
		"cancel":   func(w *RunWork) error { return w.Cancel("rain") },
	}
	allowed := map[RunState][]string{
		Planned:      {"assign", "unassign", "dispatch", "cancel"},
		Dispatched:   {"start", "cancel"},
		InProgress:   {"deliver", "fail", "complete"},
		Completed:    nil,
		RunCancelled: nil,
	}
	for state, ok := range allowed {
		for name, step := range steps {
			w, f := newWork(t)
			x := f.file("x", "near", "er", 1, time.Hour, Routine)
			if state != Planned {
				x.State, x.RunID = Scheduled, "morning"
				w.Run.Stops = []Stop{{ID: "stop-1", HospitalID: "near", WardID: "er", RequestIDs: []string{"x"}, State: Pending}}
			}
			if state == InProgress {
				x.State = InTransit
			}
			w.Run.State = state
			err := step(w)
			isAllowed := strings.Contains(strings.Join(ok, " "), name)
			if !isAllowed && (codeOf(err) != FailedPrecondition || !strings.Contains(err.Error(), "is "+string(state))) {
				t.Errorf("%s on a %s run: %v, want FailedPrecondition naming the state", name, state, err)
			}
			if isAllowed && codeOf(err) == FailedPrecondition && strings.Contains(err.Error(), "is "+string(state)+";") {
				t.Errorf("%s on a %s run refused: %v", name, state, err)
			}
		}
	}
}

// onTheRoad returns a started run with one stop holding request x (12.5 kg
// apples and 40 portions) and request y (10 l juice).
func onTheRoad(t testing.TB) (*RunWork, *fakeRequests) {
	t.Helper()
	w, f := newWork(t)
	x := f.file("x", "near", "er", 0, 6*time.Hour, Urgent)
	x.Lines = []LineItem{{Category: Fruit, Quantity: 12500, Unit: Kilogram}, {Category: Meals, Quantity: 40000, Unit: Portion}}
	y := f.file("y", "near", "er", 0, 6*time.Hour, Routine)
	y.Lines = []LineItem{{Category: Juice, Quantity: 10000, Unit: Liter}}
	if err := w.Assign([]string{"x", "y"}, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Dispatch(); err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	if x.State != InTransit || y.State != InTransit {
		t.Fatalf("after start: %s %s", x.State, y.State)
	}
	return w, f
}

func TestDeliverShortReopensTheRest(t *testing.T) {
	t.Parallel()
	w, f := onTheRoad(t)
	err := w.Deliver("stop-1", "Гүлнар, аға мейірбике", []DeliveredLine{
		{RequestID: "x", Line: 0, Quantity: 5000}, {RequestID: "x", Line: 1, Quantity: 40000}, {RequestID: "y", Line: 0, Quantity: 10500},
	}, "Apples ran short at the bazaar.")
	if err != nil {
		t.Fatal(err)
	}
	x, y := f.requests["x"], f.requests["y"]
	if x.State != Open || x.RunID != "" || x.Lines[0].Delivered != 5000 || x.Lines[0].Outstanding() != 7500 || x.Lines[0].Scheduled != 0 {
		t.Errorf("short request: %s run %q lines %+v", x.State, x.RunID, x.Lines)
	}
	if y.State != Delivered || y.RunID != "morning" || y.Lines[0].Delivered != 10500 {
		t.Errorf("full request (within tolerance): %s run %q lines %+v", y.State, y.RunID, y.Lines)
	}
	s := w.Run.Stops[0]
	if s.State != StopDone || s.ReceivedBy != "Гүлнар, аға мейірбике" || len(s.Delivered) != 3 || !s.DeliverTime.Equal(now) {
		t.Errorf("stop = %+v", s)
	}
	if err := w.Deliver("stop-1", "again", nil, ""); codeOf(err) != FailedPrecondition || !strings.Contains(err.Error(), "already DELIVERED") {
		t.Errorf("deliver twice: %v", err)
	}
	if err := w.Complete(); err != nil || w.Run.State != Completed {
		t.Errorf("complete: %v", err)
	}
}

func TestDeliverRefusesImpossibleQuantities(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []DeliveredLine
		field string
		says  string
	}{
		{"beyond tolerance", []DeliveredLine{{RequestID: "x", Line: 0, Quantity: 13800}}, "lines[0].quantity", "more than the 12.5 KILOGRAM still outstanding"},
		{"negative", []DeliveredLine{{RequestID: "y", Line: 0, Quantity: -1}}, "lines[0].quantity", "not be negative"},
		{"no such line", []DeliveredLine{{RequestID: "x", Line: 2, Quantity: 1}}, "lines[0].line", "between 0 and 1"},
		{"not at this stop", []DeliveredLine{{RequestID: "z", Line: 0, Quantity: 1}}, "lines[0].delivery_request", "not dropped at this stop"},
		{"twice", []DeliveredLine{{RequestID: "y", Line: 0, Quantity: 1}, {RequestID: "y", Line: 0, Quantity: 1}}, "lines[1]", "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, f := onTheRoad(t)
			got := violations(t, w.Deliver("stop-1", "Nurse", tc.lines, ""))
			if !strings.Contains(got[tc.field], tc.says) {
				t.Errorf("violations = %v, want %s to say %q", got, tc.field, tc.says)
			}
			if f.requests["x"].State != InTransit || w.Run.Stops[0].State != Pending {
				t.Error("a refused drop changed the request or the stop")
			}
		})
	}
	w, _ := onTheRoad(t)
	if got := violations(t, w.Deliver("stop-1", " ", nil, "")); got["received_by"] == "" {
		t.Errorf("no receiver: %v", got)
	}
	if err := w.Deliver("stop-9", "Nurse", nil, ""); codeOf(err) != NotFound {
		t.Errorf("missing stop: %v", err)
	}
}

func TestFailCancelAndUnassignReopen(t *testing.T) {
	t.Parallel()
	w, f := onTheRoad(t)
	if err := w.Fail("stop-1", "Ward closed for disinfection"); err != nil {
		t.Fatal(err)
	}
	if x := f.requests["x"]; x.State != Open || x.RunID != "" || x.Lines[0].Scheduled != 0 || w.Run.LoadKG != 0 {
		t.Errorf("after fail: %+v, load %v", x, w.Run.LoadKG)
	}

	w, f = newWork(t)
	f.file("a", "near", "er", 10, time.Hour, Routine)
	f.file("b", "mid", "covid", 10, time.Hour, Routine)
	if err := w.Assign([]string{"a", "b"}, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Unassign([]string{"a"}); err != nil || stopIDs(w.Run) != "stop-2:b" || w.Run.LoadKG != 10 || f.requests["a"].State != Open {
		t.Errorf("unassign: %v, stops %s, load %v", err, stopIDs(w.Run), w.Run.LoadKG)
	}
	if err := w.Unassign([]string{"a"}); codeOf(err) != FailedPrecondition {
		t.Errorf("unassign a request not on the run: %v", err)
	}
	if err := w.Dispatch(); err != nil {
		t.Fatal(err)
	}
	if err := w.Cancel("Driver is ill"); err != nil || f.requests["b"].State != Open || w.Run.State != RunCancelled {
		t.Errorf("cancel: %v, b is %s", err, f.requests["b"].State)
	}

	empty, _ := newWork(t)
	if err := empty.Dispatch(); codeOf(err) != FailedPrecondition || !strings.Contains(err.Error(), "no stops") {
		t.Errorf("dispatch an empty run: %v", err)
	}
}

func TestReviseReordersStops(t *testing.T) {
	t.Parallel()
	w, f := newWork(t)
	f.file("a", "near", "er", 1, 8*time.Hour, Routine)
	f.file("b", "far", "icu", 1, 8*time.Hour, Routine)
	if err := w.Assign([]string{"a", "b"}, false); err != nil {
		t.Fatal(err)
	}
	next := *w.Run
	next.Stops = []Stop{{ID: "stop-2"}, {ID: "stop-1"}}
	if err := w.Run.Revise(&next, now, NewViolations("run")); err != nil {
		t.Fatal(err)
	}
	if got := stopIDs(w.Run); got != "stop-2:b stop-1:a" {
		t.Errorf("stops = %s", got)
	}
	next.Stops = []Stop{{ID: "stop-2"}, {ID: "stop-2"}}
	if err := w.Run.Revise(&next, now, NewViolations("run")); codeOf(err) != Invalid {
		t.Errorf("reorder with a repeated stop: %v", err)
	}
	w.Run.State = Dispatched
	if err := w.Run.Revise(&next, now, NewViolations("run")); codeOf(err) != FailedPrecondition {
		t.Errorf("revise a dispatched run: %v", err)
	}
}
