package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// twoAttempts is a need for 13 portions of plov at the ICU of City
// Hospital No. 7 that took two runs and is still not met: Timur's night run
// failed at the ward, then Olga handed over 7 portions in the morning. A
// second need rides on Olga's run alone.
type twoAttempts struct {
	plov, other       string
	failedAt, shortAt time.Time
	reason, handedTo  string
}

func (s *testServer) twoAttempts() twoAttempts {
	s.t.Helper()
	d := twoAttempts{reason: "ward closed for disinfection", handedTo: "Nurse Saule"}
	s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=gkb-7", object{"displayName": "City Hospital No. 7", "location": object{"latitude": 43.2567, "longitude": 76.9430}})
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=icu", object{"displayName": "ICU"})
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=surgery", object{"displayName": "Surgery"})
	for id, name := range map[string]string{"olga": "Olga Kim", "timur": "Timur Akhmetov"} {
		s.mustREST(200, "POST", "/v1/volunteers?volunteerId="+id, object{"displayName": name, "vehicleKind": "CAR", "capacityKg": 100})
	}
	plov := s.need("hospitals/gkb-7/wards/icu")
	plov["lines"] = []any{object{"category": "MEALS", "description": "plov", "quantity": 13, "unit": "PORTION"}}
	d.plov = s.mustREST(200, "POST", "/v1/deliveryRequests", plov)["name"].(string)
	other := s.need("hospitals/gkb-7/wards/surgery")
	other["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": 4, "unit": "KILOGRAM"}}
	d.other = s.mustREST(200, "POST", "/v1/deliveryRequests", other)["name"].(string)

	// drive plans a run for the volunteer with the requests; the driver,
	// with a token of their own, sets off. It returns the driver's client
	// and the stops' names.
	drive := func(run, volunteer string, requests ...string) (*testServer, []string) {
		s.plan(run, volunteer)
		s.mustREST(200, "POST", "/v1/runs/"+run+":assign", object{"deliveryRequests": requests})
		s.mustREST(200, "POST", "/v1/runs/"+run+":dispatch", object{})
		driver := s.as(s.issue(supply.RoleDriver, "", volunteer))
		var names []string
		for _, st := range driver.mustREST(200, "POST", "/v1/runs/"+run+":start", object{})["stops"].([]any) {
			names = append(names, st.(object)["name"].(string))
		}
		return driver, names
	}
	timur, night := drive("night", "timur", d.plov)
	s.clock.Advance(40 * time.Minute)
	d.failedAt = s.clock.Now()
	timur.mustREST(200, "POST", "/v1/"+night[0]+":fail", object{"reason": d.reason})
	timur.mustREST(200, "POST", "/v1/runs/night:complete", object{})

	s.clock.Advance(2 * time.Hour)
	olga, morning := drive("morning", "olga", d.plov, d.other)
	s.clock.Advance(35 * time.Minute)
	d.shortAt = s.clock.Now()
	// Two wards, two stops: the plov's is the one at the ICU.
	for i, st := range s.mustREST(200, "GET", "/v1/runs/morning", nil)["stops"].([]any) {
		if st.(object)["ward"] == "hospitals/gkb-7/wards/icu" {
			olga.mustREST(200, "POST", "/v1/"+morning[i]+":deliver", object{"receivedBy": d.handedTo, "lines": []any{
				object{"deliveryRequest": d.plov, "line": 0, "quantity": 7},
			}})
		}
	}
	return d
}

func TestRunsOfARequestAreItsAttempts(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.twoAttempts()
	ctx := context.Background()

	// Over gRPC: both runs the plov rode on, each stop saying what
	// happened, oldest first.
	list, err := s.runs.ListRuns(ctx, &aqjurekv1.ListRunsRequest{DeliveryRequest: d.plov})
	if err != nil {
		t.Fatal(err)
	}
	type attempt struct {
		Run, Volunteer, State, ReceivedBy, Reason string
		Time                                      *timestamppb.Timestamp
		Delivered                                 float64
	}
	var got []attempt
	for _, r := range list.GetRuns() {
		for _, st := range r.GetStops() {
			if !slices.Contains(st.GetDeliveryRequests(), d.plov) {
				continue
			}
			a := attempt{Run: r.GetName(), Volunteer: r.GetVolunteer(), State: st.GetState().String(), ReceivedBy: st.GetReceivedBy(),
				Reason: st.GetFailureReason(), Time: st.GetDeliverTime()}
			for _, l := range st.GetDeliveredLines() {
				if l.GetDeliveryRequest() == d.plov {
					a.Delivered += l.GetQuantity()
				}
			}
			got = append(got, a)
		}
	}
	want := []attempt{
		{Run: "runs/night", Volunteer: "volunteers/timur", State: "FAILED", Reason: d.reason, Time: timestamppb.New(d.failedAt)},
		{Run: "runs/morning", Volunteer: "volunteers/olga", State: "DELIVERED", ReceivedBy: d.handedTo, Time: timestamppb.New(d.shortAt), Delivered: 7},
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("the plov's attempts (-want +got):\n%s", diff)
	}

	// Over REST, the same runs; the other need rode on the morning run only.
	for request, want := range map[string][]string{d.plov: {"runs/night", "runs/morning"}, d.other: {"runs/morning"}} {
		var names []string
		for _, r := range s.mustREST(200, "GET", "/v1/runs?deliveryRequest="+request, nil)["runs"].([]any) {
			names = append(names, r.(object)["name"].(string))
		}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("runs of %s over REST (-want +got):\n%s", request, diff)
		}
	}

	// The request is still outstanding by what the failed and the short
	// drop left.
	if l := line(s.mustREST(200, "GET", "/v1/"+d.plov, nil), 0); l["deliveredQuantity"] != 7.0 || l["quantity"] != 13.0 {
		t.Errorf("the plov's line = %v, want 7 of 13 delivered", l)
	}

	// A driver sees only their own runs among a request's attempts.
	driver := s.as(s.issue(supply.RoleDriver, "", "olga"))
	mine, err := driver.runs.ListRuns(ctx, &aqjurekv1.ListRunsRequest{DeliveryRequest: d.plov})
	if err != nil || len(mine.GetRuns()) != 1 || mine.GetRuns()[0].GetName() != "runs/morning" {
		t.Errorf("Olga's runs of the plov = %v, %v; want only runs/morning", mine.GetRuns(), err)
	}

	// A name that is not a request's is refused at the field, both ways.
	_, err = s.runs.ListRuns(ctx, &aqjurekv1.ListRunsRequest{DeliveryRequest: "runs/night"})
	if code, fields := grpcViolations(err); code != codes.InvalidArgument || fields["delivery_request"] == "" {
		t.Errorf("gRPC list by a run's name: %v %v", code, fields)
	}
	code, out := s.rest("GET", "/v1/runs?deliveryRequest=hospitals%2Fgkb-7", nil)
	if code != 400 || fieldViolations(out)["delivery_request"] == "" {
		t.Errorf("REST list by a hospital's name: %d %v", code, out)
	}
	// A request on no run has no attempts.
	fresh := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	if runs, _ := s.mustREST(200, "GET", "/v1/runs?deliveryRequest="+fresh, nil)["runs"].([]any); len(runs) != 0 {
		t.Errorf("a fresh request's runs = %v, want none", runs)
	}
}
