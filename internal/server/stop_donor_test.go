package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// donorsOf is what a REST client reads of a stop's donors: "name (public)"
// per donor and the count of the others.
func donorsOf(stop object) ([]string, float64) {
	var named []string
	donors, _ := stop["donors"].([]any)
	for _, d := range donors {
		d := d.(object)
		if _, leaks := d["contact"]; leaks {
			named = append(named, "CONTACT LEAKED")
		}
		who := d["donation"].(string) + " " + d["displayName"].(string)
		if d["publicNaming"] == true {
			who += " (public)"
		}
		named = append(named, who)
	}
	others, _ := stop["otherDonorCount"].(float64)
	return named, others
}

func TestADeliveredDropNamesItsDonorsAsFarAsTheCallerMaySee(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)

	// A stall gives apples; two people give money (one will not be named
	// publicly), and the money buys more apples, which keep less long, so
	// the run takes them first.
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{
		"donor": object{"displayName": "Stall 12", "contact": "+7 777 000 1212", "publicNaming": true},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 5, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 4, "day": 10}},
		}}})
	kaspi := moneyGift("Aigerim S.", "KZT", "5000", 0)
	kaspi["donor"].(object)["publicNaming"] = true
	s.mustREST(200, "POST", "/v1/donations?donationId=kaspi", kaspi)
	s.mustREST(200, "POST", "/v1/donations?donationId=bank", moneyGift("Тимур Оспанов", "KZT", "10000", 0))
	bought := purchase("KZT", 8000, "donations/kaspi", "donations/bank")
	bought["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": 10, "unit": "KILOGRAM",
		"bestBefore": object{"year": 2026, "month": 4, "day": 6}}}
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=market", bought)

	need := s.apples("hospitals/gkb-7/wards/icu", 12)
	s.stockRun("run-a", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{need}})
	s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})
	run := s.mustREST(200, "POST", "/v1/runs/run-a:start", object{})
	stop := run["stops"].([]any)[0].(object)
	if named, others := donorsOf(stop); len(named) != 0 || others != 0 {
		t.Errorf("a stop not yet delivered names %v and %v others", named, others)
	}

	// The driver hands it over, over gRPC: the money donors first (their
	// apples were taken first), then the stall; the driver does not see
	// the donor who would not be named, only that there is one more.
	driver := s.as(s.issue(supply.RoleDriver, "", "aigerim"))
	s.clock.Advance(20 * time.Minute)
	delivered, err := driver.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: stop["name"].(string), ReceivedBy: "Nurse Aliya",
		Lines: []*aqjurekv1.DeliveredLine{{DeliveryRequest: need, Quantity: 12}}})
	if err != nil {
		t.Fatal(err)
	}
	public := []*aqjurekv1.StopDonor{
		{Donation: "donations/kaspi", DisplayName: "Aigerim S.", PublicNaming: true},
		{Donation: "donations/crates", DisplayName: "Stall 12", PublicNaming: true},
	}
	got := delivered.GetStops()[0]
	if diff := cmp.Diff(public, got.GetDonors(), protocmp.Transform()); diff != "" || got.GetOtherDonorCount() != 1 {
		t.Errorf("the driver's drop names (-want +got):\n%s\nand %d others, want 1", diff, got.GetOtherDonorCount())
	}
	driverREST := []string{"donations/kaspi Aigerim S. (public)", "donations/crates Stall 12 (public)"}
	named, others := donorsOf(driver.mustREST(200, "GET", "/v1/runs/run-a", nil)["stops"].([]any)[0].(object))
	if diff := cmp.Diff(driverREST, named); diff != "" || others != 1 {
		t.Errorf("the driver's run over REST names (-want +got):\n%s\nand %v others, want 1", diff, others)
	}
	listed := driver.mustREST(200, "GET", "/v1/runs?volunteer=volunteers/aigerim", nil)["runs"].([]any)
	if named, others := donorsOf(listed[0].(object)["stops"].([]any)[0].(object)); !cmp.Equal(driverREST, named) || others != 1 {
		t.Errorf("the driver's list names %v and %v others", named, others)
	}

	// The coordinator sees every donor, over both faces, never a contact.
	everyone := []*aqjurekv1.StopDonor{
		{Donation: "donations/kaspi", DisplayName: "Aigerim S.", PublicNaming: true},
		{Donation: "donations/bank", DisplayName: "Тимур Оспанов"},
		{Donation: "donations/crates", DisplayName: "Stall 12", PublicNaming: true},
	}
	got2, err := s.runs.GetRun(ctx, &aqjurekv1.GetRunRequest{Name: "runs/run-a"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(everyone, got2.GetStops()[0].GetDonors(), protocmp.Transform()); diff != "" || got2.GetStops()[0].GetOtherDonorCount() != 0 {
		t.Errorf("the coordinator's run names (-want +got):\n%s", diff)
	}
	list, err := s.runs.ListRuns(ctx, &aqjurekv1.ListRunsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(everyone, list.GetRuns()[0].GetStops()[0].GetDonors(), protocmp.Transform()); diff != "" {
		t.Errorf("the coordinator's list names (-want +got):\n%s", diff)
	}
	named, others = donorsOf(s.mustREST(200, "GET", "/v1/runs?pageSize=5", nil)["runs"].([]any)[0].(object)["stops"].([]any)[0].(object))
	if diff := cmp.Diff([]string{"donations/kaspi Aigerim S. (public)", "donations/bank Тимур Оспанов", "donations/crates Stall 12 (public)"}, named); diff != "" || others != 0 {
		t.Errorf("the coordinator's list over REST names (-want +got):\n%s\nand %v others", diff, others)
	}
}

func TestADropFromADepotWithoutStockNamesNobody(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.seed("gkb-7", "icu")
	s.fleet("olga", 500)
	// Money came in, but the kitchen never received goods: its runs carry
	// what it cooks, from outside the service's stock.
	s.mustREST(200, "POST", "/v1/donations?donationId=kaspi", moneyGift("Aigerim S.", "KZT", "5000", 0))
	s.mustREST(200, "POST", "/v1/depots?depotId=kitchen", object{"displayName": "Volunteer kitchen"})
	if _, err := s.runs.CreateRun(context.Background(), &aqjurekv1.CreateRunRequest{RunId: "soup", Run: &aqjurekv1.Run{
		Volunteer: "volunteers/olga", Depot: "depots/kitchen", PlannedStartTime: timestamppb.New(s.clock.Now().Add(30 * time.Minute)),
	}}); err != nil {
		t.Fatal(err)
	}
	need := s.apples("hospitals/gkb-7/wards/icu", 4)
	s.mustREST(200, "POST", "/v1/runs/soup:assign", object{"deliveryRequests": []string{need}})
	s.mustREST(200, "POST", "/v1/runs/soup:dispatch", object{})
	run := s.mustREST(200, "POST", "/v1/runs/soup:start", object{})
	stop := run["stops"].([]any)[0].(object)["name"].(string)
	run = s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse Aliya",
		"lines": []any{object{"deliveryRequest": need, "line": 0, "quantity": 4}}})
	delivered := run["stops"].([]any)[0].(object)
	if named, others := donorsOf(delivered); delivered["state"] != "DELIVERED" || len(named) != 0 || others != 0 {
		t.Errorf("a drop from outside the stock: %v names %v and %v others", delivered["state"], named, others)
	}
	got, err := s.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: "runs/soup"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*aqjurekv1.StopDonor(nil), got.GetStops()[0].GetDonors(), protocmp.Transform(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("over gRPC (-want +got):\n%s", diff)
	}
}
