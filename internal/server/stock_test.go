package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// stockRun plans a run of the volunteer from the green bazaar.
func (s *ledger) stockRun(id, volunteer string) {
	s.t.Helper()
	if _, err := s.runs.CreateRun(context.Background(), &aqjurekv1.CreateRunRequest{RunId: id, Run: &aqjurekv1.Run{
		Volunteer: "volunteers/" + volunteer, Depot: "depots/green-bazaar", PlannedStartTime: timestamppb.New(s.clock.Now().Add(30 * time.Minute)),
	}}); err != nil {
		s.t.Fatal(err)
	}
}

// apples files a need of the ward for kg of apples and returns its name.
func (s *ledger) apples(ward string, kg float64) string {
	s.t.Helper()
	need := s.need(ward)
	need["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": kg, "unit": "KILOGRAM"}}
	return s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
}

func TestRunsTakeTheirLoadFromStockAndEveryDropIsTracedToItsDonor(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 5, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 4, "day": 10}},
		}}})
	need := s.apples("hospitals/gkb-7/wards/icu", 12)
	s.stockRun("run-a", "aigerim")

	// Short: refused, saying exactly what is short, unless overridden.
	code, out := s.rest("POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{need}})
	if code != 400 || !strings.HasPrefix(fmt.Sprint(out["message"]), "Green Bazaar has 5 kg of apples; this run needs 12; ") {
		t.Errorf("assigning beyond the stock: %d %v", code, out)
	}
	run := s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{need}, "overrideStock": true})
	if run["stockOverride"] != true {
		t.Errorf("run assigned by override = %v", run)
	}

	// A purchase brings more apples, which keep less long: they go first.
	s.give("kaspi", "KZT", 20000, time.Hour)
	bought := purchase("KZT", 8000)
	bought["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": 10, "unit": "KILOGRAM",
		"bestBefore": object{"year": 2026, "month": 4, "day": 6}}}
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=market", bought)
	run = s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})
	if run["stockOverride"] != false {
		t.Errorf("a run with enough stock still counts as overridden: %v", run)
	}
	s.mustREST(200, "POST", "/v1/runs/run-a:start", object{})
	if diff := cmp.Diff([]lotView{
		{What: "FRUIT KILOGRAM apples", OnHand: 0, Received: 10, Taken: 10, BestBefore: "2026-4-6", Source: "purchases/market"},
		{What: "FRUIT KILOGRAM apples", OnHand: 3, Received: 5, Taken: 2, BestBefore: "2026-4-10", Source: "donations/crates"},
	}, s.lots("")); diff != "" {
		t.Errorf("lots after the run set off (-want +got):\n%s", diff)
	}
	stop := run["stops"].([]any)[0].(object)["name"].(string)
	s.clock.Advance(20 * time.Minute)
	s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse Aliya",
		"lines": []any{object{"deliveryRequest": need, "line": 0, "quantity": 12}}})

	// The trace: from the gift, through the purchase, to the ward.
	donations := aqjurekv1.NewDonationServiceClient(s.conn())
	traced := func(name string) *aqjurekv1.TraceDonationResponse {
		t.Helper()
		tr, err := donations.TraceDonation(context.Background(), &aqjurekv1.TraceDonationRequest{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	drop := func(lot, purchase string, kg float64) *aqjurekv1.TracedDrop {
		return &aqjurekv1.TracedDrop{Hospital: "hospitals/gkb-7", Ward: "hospitals/gkb-7/wards/icu", Stop: stop, DeliveryRequest: need,
			Lot: lot, Purchase: purchase, Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: kg,
			Unit: aqjurekv1.Unit_KILOGRAM, DeliverTime: timestamppb.New(s.clock.Now())}
	}
	goods := traced("donations/crates")
	crateLot := goods.GetLots()[0].GetName()
	if diff := cmp.Diff([]*aqjurekv1.TracedDrop{drop(crateLot, "", 2)}, goods.GetDrops(), protocmp.Transform()); diff != "" {
		t.Errorf("trace of the crates (-want +got):\n%s", diff)
	}
	money := traced("donations/kaspi")
	marketLot := money.GetLots()[0].GetName()
	if diff := cmp.Diff([]*aqjurekv1.TracedDrop{drop(marketLot, "purchases/market", 10)}, money.GetDrops(), protocmp.Transform()); diff != "" {
		t.Errorf("trace of the money (-want +got):\n%s", diff)
	}
	if p := money.GetPurchases(); len(p) != 1 || p[0].GetPurchase() != "purchases/market" || p[0].GetPaid().GetUnits() != 8000 {
		t.Errorf("purchases the money paid for = %v", p)
	}
	if code, _ := s.rest("GET", "/v1/donations/crates:trace", nil); code != 200 {
		t.Errorf("trace over REST: %d", code)
	}
	if code, _ := s.rest("GET", "/v1/donations/nothing:trace", nil); code != 404 {
		t.Errorf("trace of a donation that does not exist: %d, want 404", code)
	}
	if code, out := s.rest("POST", "/v1/donations/crates:reverse", object{"reason": "x"}); code != 400 ||
		!strings.Contains(fmt.Sprint(out["message"]), "2 kg taken") {
		t.Errorf("reversing goods a run took: %d %v", code, out)
	}
}

func TestRunsRacingForTheLastLotExactlyOneLeavesWithIt(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 3, "unit": "KILOGRAM"}}}})
	const racers = 6
	for i := range racers {
		volunteer := fmt.Sprintf("driver-%d", i)
		s.fleet(volunteer, 500)
		s.stockRun("run-"+volunteer, volunteer)
		// Each run alone fits what the depot has.
		s.mustREST(200, "POST", "/v1/runs/run-"+volunteer+":assign", object{"deliveryRequests": []string{s.apples("hospitals/gkb-7/wards/icu", 3)}})
		s.mustREST(200, "POST", "/v1/runs/run-"+volunteer+":dispatch", object{})
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var started, refused []string
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("runs/run-driver-%d", i)
			_, err := s.runs.StartRun(context.Background(), &aqjurekv1.StartRunRequest{Name: name})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				started = append(started, name)
			case status.Code(err) == codes.FailedPrecondition &&
				strings.HasPrefix(status.Convert(err).Message(), "Green Bazaar has 0 kg of apples; this run needs 3"):
				refused = append(refused, name)
			default:
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	wg.Wait()
	if len(started) != 1 || len(refused) != racers-1 {
		t.Errorf("started %v, refused %v; want exactly one to start", started, refused)
	}
	if diff := cmp.Diff([]lotView{{What: "FRUIT KILOGRAM apples", Received: 3, Taken: 3, Source: "donations/crates"}}, s.lots(""),
		cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("the last lot (-want +got):\n%s", diff)
	}
}

func TestWhatARunBringsBackReturnsToStock(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	s.fleet("aigerim", 500)
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 10, "unit": "KILOGRAM"}}}})
	icu, er := s.apples("hospitals/gkb-7/wards/icu", 4), s.apples("hospitals/gkb-1/wards/er", 3)
	s.stockRun("run-a", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{icu, er}})
	s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})
	run := s.mustREST(200, "POST", "/v1/runs/run-a:start", object{})
	if got := s.lots(""); len(got) != 1 || got[0].Taken != 7 || got[0].OnHand != 3 {
		t.Fatalf("lot after the start = %+v", got)
	}
	stops := map[string]string{}
	for _, st := range run["stops"].([]any) {
		stops[st.(object)["ward"].(string)] = st.(object)["name"].(string)
	}
	s.mustREST(200, "POST", "/v1/"+stops["hospitals/gkb-7/wards/icu"]+":deliver", object{"receivedBy": "Nurse Aliya",
		"lines": []any{object{"deliveryRequest": icu, "line": 0, "quantity": 2.5}}})
	s.mustREST(200, "POST", "/v1/"+stops["hospitals/gkb-1/wards/er"]+":fail", object{"reason": "ward closed for disinfection"})
	s.mustREST(200, "POST", "/v1/runs/run-a:complete", object{})
	if diff := cmp.Diff([]lotView{{What: "FRUIT KILOGRAM apples", OnHand: 7.5, Received: 10, Taken: 2.5, Source: "donations/crates"}},
		s.lots("")); diff != "" {
		t.Errorf("lot after the run came back (-want +got):\n%s", diff)
	}
	trace := s.mustREST(200, "GET", "/v1/donations/crates:trace", nil)
	drops := trace["drops"].([]any)
	if len(drops) != 1 || drops[0].(object)["quantity"] != 2.5 || drops[0].(object)["ward"] != "hospitals/gkb-7/wards/icu" {
		t.Errorf("drops of the crates = %v", drops)
	}
}
