package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// fleet adds a depot and an active volunteer who carries capacityKG.
func (s *testServer) fleet(volunteer string, capacityKG float64) {
	s.t.Helper()
	if code, out := s.rest("GET", "/v1/depots/bazaar", nil); code == 404 {
		s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	} else if code != 200 {
		s.t.Fatalf("depot: %d %v", code, out)
	}
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId="+volunteer, object{"displayName": "Driver " + volunteer, "vehicleKind": "CAR", "capacityKg": capacityKG})
}

// plan creates a run over gRPC for the volunteer from the depot.
func (s *testServer) plan(id, volunteer string) *aqjurekv1.Run {
	s.t.Helper()
	r, err := s.runs.CreateRun(context.Background(), &aqjurekv1.CreateRunRequest{RunId: id, Run: &aqjurekv1.Run{
		Volunteer: "volunteers/" + volunteer, Depot: "depots/bazaar", PlannedStartTime: timestamppb.New(s.clock.Now().Add(30 * time.Minute)),
	}})
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

func line(r object, i int) object { return r["lines"].([]any)[i].(object) }

func TestTheWholeStoryFromNeedToDelivered(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 150)
	s.fleet("daniyar", 600)

	// Staff file a need for 12.5 kg of apples and 40 portions of plov.
	need := s.need("hospitals/gkb-7/wards/icu")
	need["lines"] = []any{
		object{"category": "FRUIT", "description": "apples", "quantity": 12.5, "unit": "KILOGRAM"},
		object{"category": "MEALS", "description": "plov", "quantity": 40, "unit": "PORTION"},
	}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)

	// A coordinator plans a run, assigns the need, dispatches.
	s.plan("morning", "aigerim")
	run := s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{name}})
	stops := run["stops"].([]any)
	if len(stops) != 1 || run["loadKg"] != 32.5 {
		t.Fatalf("after assign: %v", run)
	}
	stop := stops[0].(object)["name"].(string)
	if got := s.mustREST(200, "GET", "/v1/"+name, nil); got["state"] != "SCHEDULED" || got["run"] != "runs/morning" || line(got, 0)["scheduledQuantity"] != 12.5 {
		t.Errorf("scheduled request = %v", got)
	}
	if code, out := s.rest("POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse"}); code != 400 || !strings.Contains(out["message"].(string), "is PLANNED") {
		t.Errorf("deliver on a PLANNED run: %d %v", code, out)
	}
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})

	// The driver sets off and hands over only 5 kg of apples but all the plov.
	if r, err := s.runs.StartRun(ctx, &aqjurekv1.StartRunRequest{Name: "runs/morning"}); err != nil || r.GetState() != aqjurekv1.Run_IN_PROGRESS {
		t.Fatalf("start: %v %v", r, err)
	}
	if got := s.mustREST(200, "GET", "/v1/"+name, nil); got["state"] != "IN_TRANSIT" {
		t.Errorf("started request is %v", got["state"])
	}
	s.clock.Advance(40 * time.Minute)
	delivered := s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{
		"receivedBy": "Гүлнар Серікқызы", "note": "Only 5 kg of apples left at the bazaar.",
		"lines": []any{
			object{"deliveryRequest": name, "line": 0, "quantity": 5},
			object{"deliveryRequest": name, "line": 1, "quantity": 40},
		},
		"requestId": "0b5a7c9e-2222-4333-8444-abcdefabcde1",
	})
	if st := delivered["stops"].([]any)[0].(object); st["state"] != "DELIVERED" || st["receivedBy"] != "Гүлнар Серікқызы" {
		t.Errorf("stop after the drop = %v", st)
	}

	// The rest (7.5 kg of apples) is open again, without anyone retyping it.
	reopened := s.mustREST(200, "GET", "/v1/"+name, nil)
	if reopened["state"] != "OPEN" || reopened["run"] != "" || line(reopened, 0)["deliveredQuantity"] != 5.0 ||
		line(reopened, 0)["scheduledQuantity"] != 0.0 || line(reopened, 1)["deliveredQuantity"] != 40.0 {
		t.Fatalf("after the short drop = %v", reopened)
	}
	s.mustREST(200, "POST", "/v1/runs/morning:complete", object{})

	// A second run takes the remainder.
	s.plan("afternoon", "daniyar")
	second := s.mustREST(200, "POST", "/v1/runs/afternoon:assign", object{"deliveryRequests": []string{name}})
	if second["loadKg"] != 7.5 {
		t.Errorf("second run's load = %v, want 7.5 kg (the outstanding apples)", second["loadKg"])
	}
	s.mustREST(200, "POST", "/v1/runs/afternoon:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/afternoon:start", object{})
	stop2 := second["stops"].([]any)[0].(object)["name"].(string)
	if _, err := s.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: stop2, ReceivedBy: "Duty nurse",
		Lines: []*aqjurekv1.DeliveredLine{{DeliveryRequest: name, Line: 0, Quantity: 7.5}}}); err != nil {
		t.Fatal(err)
	}
	done := s.mustREST(200, "GET", "/v1/"+name, nil)
	if done["state"] != "DELIVERED" || line(done, 0)["deliveredQuantity"] != 12.5 || done["run"] != "runs/afternoon" {
		t.Errorf("finally = %v", done)
	}
	if r, err := s.runs.CompleteRun(ctx, &aqjurekv1.CompleteRunRequest{Name: "runs/afternoon"}); err != nil || r.GetState() != aqjurekv1.Run_COMPLETED {
		t.Errorf("complete: %v %v", r, err)
	}

	// Illegal steps say what state the run is in.
	for _, tc := range []struct{ path, body, says string }{
		{"/v1/runs/morning:assign", `{"deliveryRequests": ["` + name + `"]}`, "is COMPLETED"},
		{"/v1/runs/morning:cancel", `{"reason": "too late"}`, "is COMPLETED"},
		{"/v1/runs/morning:start", `{}`, "is COMPLETED"},
	} {
		if code, out := s.rest("POST", tc.path, tc.body); code != 400 || !strings.Contains(out["message"].(string), tc.says) {
			t.Errorf("POST %s: %d %v", tc.path, code, out)
		}
	}
	s.plan("evening", "aigerim")
	other := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	s.mustREST(200, "POST", "/v1/runs/evening:assign", object{"deliveryRequests": []string{other}})
	s.mustREST(200, "POST", "/v1/runs/evening:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/evening:start", object{})
	_, err := s.runs.CancelRun(ctx, &aqjurekv1.CancelRunRequest{Name: "runs/evening", Reason: "rain"})
	if status.Code(err) != codes.FailedPrecondition || !strings.Contains(status.Convert(err).Message(), "is IN_PROGRESS") {
		t.Errorf("cancel an IN_PROGRESS run: %v", err)
	}
	if code, _ := s.rest("POST", "/v1/runs/nope:dispatch", object{}); code != http.StatusNotFound {
		t.Errorf("dispatch a missing run: %d", code)
	}
}

func TestCapacityCancelAndReorder(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=er", object{"displayName": "Emergency"})
	s.fleet("sergey", 20)
	heavy := s.need("hospitals/gkb-7/wards/icu")
	heavy["lines"] = []any{object{"category": "WATER", "quantity": 3, "unit": "BOX"}}
	a := s.mustREST(200, "POST", "/v1/deliveryRequests", heavy)["name"].(string)
	b := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/er"))["name"].(string)
	s.plan("bike", "sergey")
	if code, out := s.rest("POST", "/v1/runs/bike:assign", object{"deliveryRequests": []string{a}}); code != 400 ||
		!strings.Contains(out["message"].(string), "30.0 kg but Driver sergey carries at most 20.0 kg") {
		t.Errorf("over capacity: %d %v", code, out)
	}
	if got := s.mustREST(200, "GET", "/v1/"+a, nil); got["state"] != "OPEN" {
		t.Errorf("a refused assign left the request %v", got["state"])
	}
	run := s.mustREST(200, "POST", "/v1/runs/bike:assign", object{"deliveryRequests": []string{a, b}, "overrideCapacity": true})
	if run["loadKg"] != 42.5 || len(run["stops"].([]any)) != 2 {
		t.Fatalf("override: %v", run)
	}

	// The coordinator reverses the stops.
	stops := run["stops"].([]any)
	first, second := stops[0].(object)["name"].(string), stops[1].(object)["name"].(string)
	r, err := s.runs.UpdateRun(ctx, &aqjurekv1.UpdateRunRequest{
		Run:        &aqjurekv1.Run{Name: "runs/bike", Stops: []*aqjurekv1.Stop{{Name: second}, {Name: first}}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"stops"}},
	})
	if err != nil || r.GetStops()[0].GetName() != second || r.GetStops()[1].GetName() != first {
		t.Fatalf("reorder: %v %v", r, err)
	}
	if code, _ := s.rest("PATCH", "/v1/runs/bike", object{"stops": []any{object{"name": first}}}); code != 400 {
		t.Errorf("reorder leaving a stop out: %d, want 400", code)
	}

	// Taken off and put back: the request is OPEN in between.
	s.mustREST(200, "POST", "/v1/runs/bike:unassign", object{"deliveryRequests": []string{b}})
	if got := s.mustREST(200, "GET", "/v1/"+b, nil); got["state"] != "OPEN" || got["run"] != "" {
		t.Errorf("unassigned request = %v", got)
	}
	if code, out := s.rest("POST", "/v1/runs/bike:unassign", object{"deliveryRequests": []string{b}}); code != 400 ||
		!strings.Contains(out["message"].(string), "is not on runs/bike") {
		t.Errorf("unassign twice: %d %v", code, out)
	}
	put := s.mustREST(200, "POST", "/v1/runs/bike:assign", object{"deliveryRequests": []string{b}, "overrideCapacity": true})
	if len(put["stops"].([]any)) != 2 {
		t.Fatalf("assign back: %v", put)
	}
	first, second = put["stops"].([]any)[0].(object)["name"].(string), put["stops"].([]any)[1].(object)["name"].(string)
	if code, out := s.rest("DELETE", "/v1/volunteers/sergey", nil); code != 400 || !strings.Contains(out["message"].(string), "set active to false instead") {
		t.Errorf("delete a volunteer with a run: %d %v", code, out)
	}

	// The hospital cancels a scheduled need: it leaves the run, with its weight.
	s.mustREST(200, "POST", "/v1/"+a+":cancel", object{"reason": "Water came from the city"})
	after := s.mustREST(200, "GET", "/v1/runs/bike", nil)
	if after["loadKg"] != 12.5 || len(after["stops"].([]any)) != 1 || after["stops"].([]any)[0].(object)["ward"] != "hospitals/gkb-7/wards/er" {
		t.Errorf("run after the cancel = %v", after)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	day := s.clock.Now().Add(30 * time.Minute).In(almaty) // the run's planned start, in Almaty
	dayQuery := fmt.Sprintf("day.year=%d&day.month=%d&day.day=%d", day.Year(), day.Month(), day.Day())
	if runs := s.listAll("/v1/runs?state=PLANNED&volunteer=volunteers/sergey&"+dayQuery, "runs"); len(runs) != 1 {
		t.Errorf("runs of the day = %v", runs)
	}
	next := day.AddDate(0, 0, 1)
	if runs := s.listAll(fmt.Sprintf("/v1/runs?day.year=%d&day.month=%d&day.day=%d", next.Year(), next.Month(), next.Day()), "runs"); len(runs) != 0 {
		t.Errorf("runs of the next day = %v", runs)
	}
	if code, _ := s.rest("GET", "/v1/runs?day.year=2026&day.month=2&day.day=30", nil); code != 400 {
		t.Errorf("30 February: %d, want 400", code)
	}
	if runs := s.listAll("/v1/runs?state=COMPLETED", "runs"); len(runs) != 0 {
		t.Errorf("completed runs = %v", runs)
	}
}

func TestRacesHaveOneWinnerAndRetriesCountOnce(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	const coordinators = 12
	for i := range coordinators {
		s.plan(fmt.Sprintf("run-%d", i), "aigerim")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for i := range coordinators {
		wg.Go(func() {
			_, err := s.runs.AssignRun(ctx, &aqjurekv1.AssignRunRequest{Name: fmt.Sprintf("runs/run-%d", i), DeliveryRequests: []string{name}})
			mu.Lock()
			defer mu.Unlock()
			switch status.Code(err) {
			case codes.OK:
				won++
			case codes.FailedPrecondition, codes.Aborted:
				lost++
			default:
				t.Errorf("assign %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || lost != coordinators-1 {
		t.Fatalf("%d coordinators won, %d lost; want exactly one winner", won, lost)
	}
	got := s.mustREST(200, "GET", "/v1/"+name, nil)
	onRuns := 0
	for i := range coordinators {
		r := s.mustREST(200, "GET", fmt.Sprintf("/v1/runs/run-%d", i), nil)
		if len(r["stops"].([]any)) > 0 {
			onRuns++
			if got["run"] != r["name"] {
				t.Errorf("request says %v, but %v holds it", got["run"], r["name"])
			}
		}
	}
	if onRuns != 1 {
		t.Errorf("the request is on %d runs", onRuns)
	}

	// A driver on a bad network sends the same drop many times at once.
	runName := got["run"].(string)
	s.mustREST(200, "POST", "/v1/"+runName+":dispatch", object{})
	s.mustREST(200, "POST", "/v1/"+runName+":start", object{})
	stop := runName + "/stops/stop-1"
	drop := &aqjurekv1.DeliverStopRequest{Name: stop, ReceivedBy: "Nurse", RequestId: "6f9619ff-8b86-4011-b42d-00c04fc96400",
		Lines: []*aqjurekv1.DeliveredLine{{DeliveryRequest: name, Line: 0, Quantity: 5}}}
	for range 8 {
		wg.Go(func() {
			if _, err := s.runs.DeliverStop(ctx, drop); err != nil {
				t.Errorf("retried drop: %v", err)
			}
		})
	}
	wg.Wait()
	if got := s.mustREST(200, "GET", "/v1/"+name, nil); line(got, 0)["deliveredQuantity"] != 5.0 {
		t.Errorf("delivered %v after retries, want 5 counted once", line(got, 0)["deliveredQuantity"])
	}
	drop.RequestId = ""
	if _, err := s.runs.DeliverStop(ctx, drop); status.Code(err) != codes.FailedPrecondition ||
		!strings.Contains(status.Convert(err).Message(), "already DELIVERED") {
		t.Errorf("a new drop on a delivered stop: %v", err)
	}
}
