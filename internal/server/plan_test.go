package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// hospitalAt creates hospital h at a point with ward w over REST.
func (s *testServer) hospitalAt(h, w string, lat, lng float64) {
	s.t.Helper()
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId="+h, object{"displayName": "Hospital " + h, "location": object{"latitude": lat, "longitude": lng}})
	s.mustREST(200, "POST", "/v1/hospitals/"+h+"/wards?wardId="+w, object{"displayName": "Ward " + w})
}

// file files a need of kg kilograms of apples for the ward, due within due.
func (s *testServer) file(ward string, kg float64, priority string, due time.Duration) string {
	s.t.Helper()
	need := s.need(ward)
	need["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": kg, "unit": "KILOGRAM"}}
	need["priority"] = priority
	need["deliverBefore"] = s.clock.Now().Add(due).Format(time.RFC3339)
	return s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
}

// city is three hospitals around the Green Bazaar depot and two drivers.
func (s *testServer) city() {
	s.t.Helper()
	s.hospitalAt("gkb-7", "icu", 43.2567, 76.9430)   // ~1 km
	s.hospitalAt("gkb-4", "er", 43.2336, 76.8844)    // ~6 km
	s.hospitalAt("covid-1", "icu", 43.2273, 76.8030) // ~13 km
	s.fleet("aigerim", 60)
	s.fleet("daniyar", 60)
}

func requestsOn(r *aqjurekv1.Run) []string {
	var out []string
	for _, s := range r.GetStops() {
		out = append(out, s.GetDeliveryRequests()...)
	}
	return out
}

func TestPlanRunsPreviewsStoresAtomicallyAndReplays(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.city()
	a := s.file("hospitals/gkb-7/wards/icu", 20, "URGENT", 6*time.Hour)
	b := s.file("hospitals/gkb-4/wards/er", 20, "ROUTINE", 6*time.Hour)
	c := s.file("hospitals/covid-1/wards/icu", 20, "CRITICAL", 3*time.Hour)
	d := s.file("hospitals/gkb-7/wards/icu", 10, "ROUTINE", 6*time.Hour)
	heavy := s.file("hospitals/gkb-4/wards/er", 500, "CRITICAL", 6*time.Hour)

	// The preview over REST plans every open request and stores nothing.
	preview := s.mustREST(200, "POST", "/v1/runs:plan", object{"validateOnly": true, "timeLimit": "0.5s"})
	summary := preview["summary"].(object)
	if summary["plannedRequests"] != 4.0 || summary["unplannedRequests"] != 1.0 || summary["distanceKm"].(float64) <= 0 || summary["drivingTime"] == "0s" {
		t.Errorf("summary = %v", summary)
	}
	unplanned := preview["unplanned"].([]any)
	if len(unplanned) != 1 || unplanned[0].(object)["deliveryRequest"] != heavy || unplanned[0].(object)["reason"] != "TOO_HEAVY" ||
		!strings.Contains(unplanned[0].(object)["explanation"].(string), "500.0 kg") {
		t.Errorf("unplanned = %v", unplanned)
	}
	for _, r := range preview["runs"].([]any) {
		run := r.(object)
		for _, st := range run["stops"].([]any) {
			if st.(object)["estimatedArrivalTime"] == nil {
				t.Errorf("proposed stop without an arrival estimate: %v", st)
			}
		}
	}
	if runs := s.listAll("/v1/runs", "runs"); len(runs) != 0 {
		t.Errorf("validate only stored %d runs", len(runs))
	}
	if got := s.mustREST(200, "GET", "/v1/"+a, nil)["state"]; got != "OPEN" {
		t.Errorf("after a preview the request is %v", got)
	}

	// Applied over gRPC with a request id: the runs are stored PLANNED and
	// every planned request is SCHEDULED on one of them.
	req := &aqjurekv1.PlanRunsRequest{TimeLimit: durationpb.New(500 * time.Millisecond), RequestId: "3f0b6c8e-2d1a-4c55-9a77-0c1d2e3f4a5b"}
	applied, err := s.runs.PlanRuns(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	onRuns := map[string]string{}
	for _, r := range applied.GetRuns() {
		if r.GetState() != aqjurekv1.Run_PLANNED || r.GetEtag() == "" {
			t.Errorf("applied run = %v", r)
		}
		if r.GetLoadKg() > 60 {
			t.Errorf("run %s carries %v kg, more than the 60 kg vehicle", r.GetName(), r.GetLoadKg())
		}
		for _, id := range requestsOn(r) {
			onRuns[id] = r.GetName()
		}
	}
	for _, id := range []string{a, b, c, d} {
		got := s.mustREST(200, "GET", "/v1/"+id, nil)
		if got["state"] != "SCHEDULED" || got["run"] != onRuns[id] || onRuns[id] == "" {
			t.Errorf("%s is %v on %v, want SCHEDULED on %q", id, got["state"], got["run"], onRuns[id])
		}
	}
	// A retry answers with the same runs and stores nothing more.
	again, err := s.runs.PlanRuns(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(applied, again, protocmp.Transform()); diff != "" {
		t.Errorf("retry answered differently (-first +retry):\n%s", diff)
	}
	if runs := s.listAll("/v1/runs", "runs"); len(runs) != len(applied.GetRuns()) {
		t.Errorf("%d runs stored after a retry, want %d", len(runs), len(applied.GetRuns()))
	}
}

func TestPlanRunsNeverTradesACriticalNeedForARoutineOne(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	s.mustREST(200, "PATCH", "/v1/volunteers/daniyar", object{"active": false})
	// One 60 kg vehicle: the 40 kg routine need near the depot and the 40 kg
	// critical one far away cannot both go.
	routine := s.file("hospitals/gkb-7/wards/icu", 40, "ROUTINE", 6*time.Hour)
	critical := s.file("hospitals/covid-1/wards/icu", 40, "CRITICAL", 6*time.Hour)
	out := s.mustREST(200, "POST", "/v1/runs:plan", object{"validateOnly": true, "timeLimit": "0.3s"})
	runs := out["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("runs = %v", runs)
	}
	stops := runs[0].(object)["stops"].([]any)
	if len(stops) != 1 || stops[0].(object)["deliveryRequests"].([]any)[0] != critical {
		t.Errorf("the run serves %v, want only the critical need %s", stops, critical)
	}
	unplanned := out["unplanned"].([]any)
	if len(unplanned) != 1 || unplanned[0].(object)["deliveryRequest"] != routine || unplanned[0].(object)["reason"] != "NO_DRIVER_FREE" {
		t.Errorf("unplanned = %v, want the routine need with NO_DRIVER_FREE", unplanned)
	}
}

func TestPlanRunsStoresAPreviewAsItWasOrNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.city()
	a := s.file("hospitals/gkb-7/wards/icu", 20, "URGENT", 6*time.Hour)
	b := s.file("hospitals/covid-1/wards/icu", 20, "URGENT", 6*time.Hour)
	c := s.file("hospitals/gkb-4/wards/er", 20, "URGENT", 6*time.Hour)
	preview, err := s.runs.PlanRuns(ctx, &aqjurekv1.PlanRunsRequest{ValidateOnly: true, TimeLimit: durationpb.New(300 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	planned := 0
	for _, r := range preview.GetRuns() {
		planned += len(requestsOn(r))
	}
	if planned != 3 {
		t.Fatalf("preview plans %d requests, want 3: %v", planned, preview)
	}

	// Meanwhile a coordinator puts c on a run by hand: the preview no
	// longer fits and is refused whole, storing nothing.
	s.plan("by-hand", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/by-hand:assign", object{"deliveryRequests": []string{c}})
	_, err = s.runs.PlanRuns(ctx, &aqjurekv1.PlanRunsRequest{Runs: preview.GetRuns()})
	if status.Code(err) != codes.FailedPrecondition || !strings.Contains(err.Error(), c) {
		t.Fatalf("stale preview: %v, want FAILED_PRECONDITION naming %s", err, c)
	}
	for _, id := range []string{a, b} {
		if got := s.mustREST(200, "GET", "/v1/"+id, nil)["state"]; got != "OPEN" {
			t.Errorf("%s is %v after a refused plan, want OPEN", id, got)
		}
	}
	if runs := s.listAll("/v1/runs", "runs"); len(runs) != 1 {
		t.Errorf("%d runs stored, want only the one made by hand", len(runs))
	}

	// Taken off again, the preview is stored as proposed, over REST.
	s.mustREST(200, "POST", "/v1/runs/by-hand:unassign", object{"deliveryRequests": []string{c}})
	body := object{"runs": []any{}}
	for _, r := range preview.GetRuns() {
		var stops []any
		for _, st := range r.GetStops() {
			stops = append(stops, object{"ward": st.GetWard(), "deliveryRequests": st.GetDeliveryRequests()})
		}
		body["runs"] = append(body["runs"].([]any), object{"volunteer": r.GetVolunteer(), "depot": r.GetDepot(),
			"plannedStartTime": r.GetPlannedStartTime().AsTime().Format(time.RFC3339), "stops": stops})
	}
	out := s.mustREST(200, "POST", "/v1/runs:plan", body)
	if sum := out["summary"].(object); sum["plannedRequests"] != 3.0 || sum["distanceKm"].(float64) < preview.GetSummary().GetDistanceKm()*0.9 {
		t.Errorf("stored summary = %v, preview's = %v", sum, preview.GetSummary())
	}
	stored := out["runs"].([]any)
	if len(stored) != len(preview.GetRuns()) {
		t.Fatalf("stored %d runs, want %d", len(stored), len(preview.GetRuns()))
	}
	for i, r := range stored {
		var got, want []string
		for _, st := range r.(object)["stops"].([]any) {
			for _, id := range st.(object)["deliveryRequests"].([]any) {
				got = append(got, id.(string))
			}
		}
		want = requestsOn(preview.GetRuns()[i])
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("run %d stops (-proposed +stored):\n%s", i, diff)
		}
	}
}

func TestPlanRunsRefusesBadInputNamingTheField(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	for _, tc := range []struct {
		body  object
		field string
	}{
		{object{"timeLimit": "61s"}, "time_limit"},
		{object{"timeLimit": "0s"}, "time_limit"},
		{object{"startTime": "2020-01-01T00:00:00Z"}, "start_time"},
		{object{"shiftEndTime": s.clock.Now().Add(-time.Hour).Format(time.RFC3339)}, "shift_end_time"},
		{object{"volunteers": []string{"volunteers/aigerim", "volunteers/aigerim"}}, "volunteers[1]"},
		{object{"volunteers": []string{"volunteers/nobody"}}, "volunteers[0]"},
		{object{"depots": []string{"hospitals/gkb-7"}}, "depots[0]"},
	} {
		code, out := s.rest("POST", "/v1/runs:plan", tc.body)
		if _, named := fieldViolations(out)[tc.field]; code != 400 || !named {
			t.Errorf("%v: %d %v, want 400 naming %s", tc.body, code, out, tc.field)
		}
	}
	// Staff and drivers may not plan.
	staff := s.as(s.issue("staff", "gkb-7", ""))
	if code, _ := staff.rest("POST", "/v1/runs:plan", object{"validateOnly": true}); code != 403 {
		t.Errorf("staff planning: %d, want 403", code)
	}
}

func TestArrivalEstimatesFollowTheRun(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.city()
	near := s.file("hospitals/gkb-7/wards/icu", 5, "ROUTINE", 8*time.Hour)
	far := s.file("hospitals/covid-1/wards/icu", 5, "ROUTINE", 8*time.Hour)
	s.plan("morning", "aigerim")
	run := s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{near, far}})
	eta := func(run object, i int) time.Time {
		t.Helper()
		v, _ := run["stops"].([]any)[i].(object)["estimatedArrivalTime"].(string)
		at, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Fatalf("stop %d estimate %q: %v", i, v, err)
		}
		return at
	}
	start := s.clock.Now().Add(30 * time.Minute)
	first, second := eta(run, 0), eta(run, 1)
	if !first.After(start) || !second.After(first.Add(10*time.Minute)) {
		t.Errorf("estimates %v, %v for a run leaving at %v", first, second, start)
	}
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	if _, err := s.runs.StartRun(ctx, &aqjurekv1.StartRunRequest{Name: "runs/morning"}); err != nil {
		t.Fatal(err)
	}
	// The first drop happens two hours late: the next estimate moves with it.
	s.clock.Advance(3 * time.Hour)
	stop := run["stops"].([]any)[0].(object)
	requests := stop["deliveryRequests"].([]any)
	after := s.mustREST(200, "POST", "/v1/"+stop["name"].(string)+":deliver", object{"receivedBy": "Nurse Aliya",
		"lines": []any{object{"deliveryRequest": requests[0], "line": 0, "quantity": 5}}})
	if eta := after["stops"].([]any)[0].(object)["estimatedArrivalTime"]; eta != nil {
		t.Errorf("a delivered stop still carries an estimate: %v", after["stops"])
	}
	moved := eta(after, 1)
	if !moved.After(s.clock.Now()) || !moved.After(second.Add(2*time.Hour)) {
		t.Errorf("after a late drop at %v the next estimate is %v (was %v)", s.clock.Now(), moved, second)
	}

	// A deadline the estimate passes is flagged.
	late := s.file("hospitals/gkb-4/wards/er", 5, "CRITICAL", 20*time.Minute)
	s.plan("evening", "daniyar")
	run = s.mustREST(200, "POST", "/v1/runs/evening:assign", object{"deliveryRequests": []string{late}})
	if risk := run["stops"].([]any)[0].(object)["deadlineAtRisk"]; risk != true {
		t.Errorf("a stop reached after its deadline: deadlineAtRisk = %v", risk)
	}
}
