package server_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// TestStaffSeeWhoIsComingToTheirWardAndWhen: staff may read neither runs
// nor volunteers, yet a request on a run tells them the driver's name and
// when its stop is expected, over both faces, and staff of another
// hospital learn none of it.
func TestStaffSeeWhoIsComingToTheirWardAndWhen(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	ctx := context.Background()
	// need7 is on run-a (Aigerim, started); need1 goes on run-d (Daniyar, planned).
	w.mustREST(200, "POST", "/v1/runs/run-d:assign", object{"deliveryRequests": []string{w.need1}})
	eta := func(run string) string {
		r, err := w.runs.GetRun(ctx, &aqjurekv1.GetRunRequest{Name: run})
		if err != nil {
			t.Fatal(err)
		}
		at := r.GetStops()[0].GetEstimatedArrivalTime()
		if at == nil {
			t.Fatalf("%s has no estimate: %v", run, r)
		}
		return at.AsTime().Format("2006-01-02T15:04:05Z")
	}
	etaA, etaD := eta("runs/run-a"), eta("runs/run-d")

	type coming struct{ Name, State, Driver, ETA string }
	// Over REST, each hospital's staff see their own request's driver and estimate.
	rest := func(bearer string) []coming {
		var got []coming
		for _, r := range w.as(bearer).listAll("/v1/deliveryRequests", "deliveryRequests") {
			c := coming{Name: r["name"].(string), State: r["state"].(string)}
			c.Driver, _ = r["driver"].(string)
			c.ETA, _ = r["estimatedArrivalTime"].(string)
			got = append(got, c)
		}
		return got
	}
	want7 := []coming{{w.need7, "IN_TRANSIT", "Driver aigerim", etaA}}
	want1 := []coming{{w.need1, "SCHEDULED", "Driver daniyar", etaD}}
	if diff := cmp.Diff(want7, rest(w.staff7)); diff != "" {
		t.Errorf("gkb-7 over REST (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want1, rest(w.staff1)); diff != "" {
		t.Errorf("gkb-1 over REST (-want +got):\n%s", diff)
	}
	got := w.as(w.staff7).mustREST(200, "GET", "/v1/"+w.need7, nil)
	if got["driver"] != "Driver aigerim" || got["estimatedArrivalTime"] != etaA {
		t.Errorf("GET %s as gkb-7 = %v", w.need7, got)
	}
	// Another hospital's staff reach neither the request nor its driver.
	for _, path := range []string{"/v1/" + w.need7, "/v1/deliveryRequests?hospital=hospitals/gkb-7"} {
		code, out := w.as(w.staff1).rest("GET", path, nil)
		if (code != 404 && code != 200) || out["driver"] != nil || len(asList(out["deliveryRequests"])) != 0 {
			t.Errorf("GET %s as gkb-1: %d %v", path, code, out)
		}
	}

	// Over gRPC, the same.
	staff7 := w.as(w.staff7)
	r, err := staff7.requests.GetDeliveryRequest(ctx, &aqjurekv1.GetDeliveryRequestRequest{Name: w.need7})
	if err != nil {
		t.Fatal(err)
	}
	if r.GetDriver() != "Driver aigerim" || r.GetEstimatedArrivalTime().AsTime().Format("2006-01-02T15:04:05Z") != etaA {
		t.Errorf("gRPC GetDeliveryRequest as gkb-7 = %v", r)
	}
	list, err := staff7.requests.ListDeliveryRequests(ctx, &aqjurekv1.ListDeliveryRequestsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*aqjurekv1.DeliveryRequest{r}, list.GetDeliveryRequests(), protocmp.Transform()); diff != "" {
		t.Errorf("gRPC ListDeliveryRequests as gkb-7 (-want +got):\n%s", diff)
	}
	staff1 := w.as(w.staff1)
	if _, err := staff1.requests.GetDeliveryRequest(ctx, &aqjurekv1.GetDeliveryRequestRequest{Name: w.need7}); status.Code(err) != codes.NotFound {
		t.Errorf("gRPC GetDeliveryRequest of gkb-7's request as gkb-1: %v, want NotFound", err)
	}
	list, err = staff1.requests.ListDeliveryRequests(ctx, &aqjurekv1.ListDeliveryRequestsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.GetDeliveryRequests() {
		if r.GetName() == w.need7 || r.GetDriver() == "Driver aigerim" {
			t.Errorf("gkb-1 sees %v", r)
		}
	}

	// Off the run, a request names no driver.
	w.mustREST(200, "POST", "/v1/runs/run-d:unassign", object{"deliveryRequests": []string{w.need1}})
	if got := rest(w.staff1); len(got) != 1 || got[0].State != "OPEN" || got[0].Driver != "" || got[0].ETA != "" {
		t.Errorf("gkb-1 after unassigning = %v", got)
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }
