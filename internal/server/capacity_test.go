package server_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// eventSummaries returns the kinds and summaries of a resource's events, oldest first.
func (s *testServer) eventSummaries(resource string) []string {
	s.t.Helper()
	var out []string
	for _, e := range s.listAll("/v1/events?resource="+resource, "events") {
		out = append(out, e["kind"].(string)+": "+e["summary"].(string))
	}
	return out
}

func TestAChangedVolunteerMustCarryTheLoad(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("van", 500)
	s.fleet("bike", 20)
	heavy := s.need("hospitals/gkb-7/wards/icu")
	heavy["lines"] = []any{object{"category": "WATER", "quantity": 3, "unit": "BOX"}}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", heavy)["name"].(string)
	s.plan("morning", "van")
	s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{name}})

	// 30 kg onto a bicycle that carries 20: refused, over both faces.
	code, out := s.rest("PATCH", "/v1/runs/morning?updateMask=volunteer", object{"volunteer": "volunteers/bike"})
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) || !strings.Contains(out["message"].(string), "30.0 kg") ||
		!strings.Contains(out["message"].(string), "at most 20.0 kg") || !strings.Contains(out["message"].(string), "override_capacity") {
		t.Errorf("moving 30 kg to a 20 kg bicycle: %d %v", code, out)
	}
	_, err := s.runs.UpdateRun(ctx, &aqjurekv1.UpdateRunRequest{
		Run: &aqjurekv1.Run{Name: "runs/morning", Volunteer: "volunteers/bike"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"volunteer"}}})
	if status.Code(err) != codes.FailedPrecondition {
		t.Errorf("over gRPC: %v, want FailedPrecondition", err)
	}
	if got := s.mustREST(200, "GET", "/v1/runs/morning", nil); got["volunteer"] != "volunteers/van" || got["capacityOverride"] == true {
		t.Fatalf("after the refused change: %v", got)
	}

	// With the override it goes, and the run and its event say so.
	r, err := s.runs.UpdateRun(ctx, &aqjurekv1.UpdateRunRequest{
		Run: &aqjurekv1.Run{Name: "runs/morning", Volunteer: "volunteers/bike"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"volunteer"}},
		OverrideCapacity: true})
	if err != nil || r.GetVolunteer() != "volunteers/bike" || !r.GetCapacityOverride() {
		t.Fatalf("with the override: %v %v", r, err)
	}
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	events := s.eventSummaries("runs/morning")
	if len(events) != 4 || !strings.Contains(events[2], "UPDATED: ") || !strings.Contains(events[2], "30.0 kg over the 20.0 kg capacity of Driver bike by override") ||
		!strings.Contains(events[3], "DISPATCHED: ") || !strings.Contains(events[3], "30.0 kg over the 20.0 kg capacity of Driver bike by override") {
		t.Errorf("events of the run = %q", events)
	}

	// Back within capacity, a change needs no override and clears the mark.
	s.plan("noon", "bike")
	light := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	s.mustREST(200, "POST", "/v1/runs/noon:assign", object{"deliveryRequests": []string{light}})
	moved := s.mustREST(200, "PATCH", "/v1/runs/noon?updateMask=volunteer", object{"volunteer": "volunteers/van"})
	if moved["volunteer"] != "volunteers/van" || moved["capacityOverride"] == true {
		t.Errorf("12.5 kg moved to the van: %v", moved)
	}
}

func TestARunOverCapacityIsNeverDispatchedUnnoticed(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.fleet("car", 50)
	heavy := s.need("hospitals/gkb-7/wards/icu")
	heavy["lines"] = []any{object{"category": "WATER", "quantity": 4, "unit": "BOX"}}
	a := s.mustREST(200, "POST", "/v1/deliveryRequests", heavy)["name"].(string)
	b := s.mustREST(200, "POST", "/v1/deliveryRequests", heavy)["name"].(string)

	// Within capacity when assigned; then the car is found to carry less.
	s.plan("first", "car")
	s.mustREST(200, "POST", "/v1/runs/first:assign", object{"deliveryRequests": []string{a}})
	s.mustREST(200, "PATCH", "/v1/volunteers/car", object{"capacityKg": 25})
	code, out := s.rest("POST", "/v1/runs/first:dispatch", object{})
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) || !strings.Contains(out["message"].(string), "40.0 kg") ||
		!strings.Contains(out["message"].(string), "at most 25.0 kg") {
		t.Errorf("dispatching 40 kg in a 25 kg car: %d %v", code, out)
	}
	if got := s.mustREST(200, "GET", "/v1/runs/first", nil); got["state"] != "PLANNED" {
		t.Errorf("after the refused dispatch: %v", got["state"])
	}
	// The coordinator accepts it, on the run, with the override.
	r := s.mustREST(200, "PATCH", "/v1/runs/first?overrideCapacity=true", object{})
	if r["capacityOverride"] != true {
		t.Errorf("accepting the load: %v", r)
	}
	s.mustREST(200, "POST", "/v1/runs/first:dispatch", object{})
	events := s.eventSummaries("runs/first")
	if last := events[len(events)-1]; !strings.Contains(last, "40.0 kg over the 25.0 kg capacity of Driver car by override") {
		t.Errorf("the dispatch's event: %q", last)
	}

	// Over capacity by override on :assign: the assign and dispatch events say so.
	s.plan("second", "car")
	s.mustREST(200, "POST", "/v1/runs/second:assign", object{"deliveryRequests": []string{b}, "overrideCapacity": true})
	s.mustREST(200, "POST", "/v1/runs/second:dispatch", object{})
	events = s.eventSummaries("runs/second")
	if len(events) != 3 || !strings.Contains(events[1], "40.0 kg over the 25.0 kg capacity of Driver car by override") ||
		!strings.Contains(events[2], "40.0 kg over the 25.0 kg capacity of Driver car by override") {
		t.Errorf("events of the second run = %q", events)
	}
}
