package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
)

// books is a ledger with a known history, seeded through the API: gifts
// of money in two currencies (one reversed) and of goods at two depots,
// purchases, two runs (a full drop, a short one, a failed one) and a
// write-off. Its figures are written out in the tests.
type books struct {
	*ledger
	icuNeed, erNeed, mealsNeed string
	// private holds what was seeded that no one outside the team may read.
	private []string
}

// gift records a donation over REST, received ago before now.
func (s *ledger) gift(id string, ago time.Duration, body object) {
	s.t.Helper()
	body["receiveTime"] = s.clock.Now().Add(-ago).Format(time.RFC3339)
	s.mustREST(200, "POST", "/v1/donations?donationId="+id, body)
}

// donor is the donor of a gift as REST takes it.
func donor(name, contact string, public bool) object {
	return object{"displayName": name, "contact": contact, "publicNaming": public}
}

// cash is a money gift as REST takes it.
func cash(currency string, units, nanos int) object {
	return object{"amount": object{"currencyCode": currency, "units": strconv.Itoa(units), "nanos": nanos}, "channel": "KASPI_GOLD",
		"paymentReference": "KP-" + currency}
}

func newBooks(t *testing.T, options ...func(*server.Config)) *books {
	t.Helper()
	s := &books{ledger: newLedger(t, options...)}
	s.private = []string{"+7 727 255 0007", "gate 3 after 22:00", "Реанимация", "+7 701 555 1234", "lift B to floor 4",
		"Приёмный покой", "+7 701 111 2233", "fund@example.org", "+7 702 999 8877", "+7 705 444 5566", "quiet@example.org",
		"stall12@example.org", "for the ICU only", "Secret donor", "Changed mind", "Quiet giver", "Bazaar stall 12", "Driver Aigerim"}
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=gkb-7", object{"displayName": "City Hospital No. 7", "phone": "+7 727 255 0007",
		"deliveryNotes": "gate 3 after 22:00", "location": object{"latitude": 43.25, "longitude": 76.9}})
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=icu", object{"displayName": "Реанимация", "contactPhone": "+7 701 555 1234",
		"dropOffInstructions": "lift B to floor 4"})
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=gkb-1", object{"displayName": "Central Hospital", "location": object{"latitude": 43.24, "longitude": 76.95}})
	s.mustREST(200, "POST", "/v1/hospitals/gkb-1/wards?wardId=er", object{"displayName": "Приёмный покой"})
	s.mustREST(200, "POST", "/v1/depots?depotId=kitchen", object{"displayName": "Қазақ асханасы"})
	for _, v := range []string{"aigerim", "daniyar"} {
		s.mustREST(200, "POST", "/v1/volunteers?volunteerId="+v, object{"displayName": "Driver " + strings.ToUpper(v[:1]) + v[1:],
			"vehicleKind": "CAR", "capacityKg": 500})
	}

	// Money: tenge and dollars; a gift that is reversed, named or not, names
	// no one and counts for nothing.
	s.gift("aigerim", 50*time.Hour, object{"donor": donor("Aigerim S.", "+7 701 111 2233", true), "money": cash("KZT", 50000, 500000000),
		"notes": "for the ICU only"})
	s.gift("fund", 49*time.Hour, object{"donor": donor(`Diaspora fund, "Almaty"`, "fund@example.org", true), "money": cash("USD", 300, 0)})
	s.gift("secret", 48*time.Hour, object{"donor": donor("Secret donor", "+7 702 999 8877", false), "money": cash("KZT", 20000, 0)})
	s.gift("changed", 47*time.Hour, object{"donor": donor("Changed mind", "+7 705 444 5566", true), "money": cash("KZT", 1000, 0)})
	s.gift("quiet", 46*time.Hour, object{"donor": donor("Quiet giver", "quiet@example.org", false), "money": cash("USD", 50, 0)})
	s.gift("aigerim-again", 45*time.Hour, object{"donor": donor("Aigerim S.", "+7 701 111 2233", true), "money": cash("KZT", 5000, 0)})
	for _, id := range []string{"secret", "changed"} {
		s.mustREST(200, "POST", "/v1/donations/"+id+":reverse", object{"reason": "entered twice"})
	}
	// Goods at both depots.
	s.gift("crates", 44*time.Hour, object{"donor": donor("Bazaar stall 12", "stall12@example.org", false),
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "алма / яблоки", "quantity": 40, "unit": "KILOGRAM"},
			object{"category": "JUICE", "description": "=SUM(A1:A9)", "quantity": 24, "unit": "LITER"},
		}}})
	s.gift("plov", 43*time.Hour, object{"donor": donor("Қазақ Әйелдері", "", true),
		"goods": object{"depot": "depots/kitchen", "lines": []any{
			object{"category": "MEALS", "description": "палау, with beef", "quantity": 30, "unit": "PORTION"},
		}}})
	// Purchases in both currencies.
	bought := purchase("KZT", 8000)
	bought["purchaseTime"] = s.clock.Now().Add(-42 * time.Hour).Format(time.RFC3339)
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=magnum", bought)
	dollars := purchase("USD", 120)
	dollars["supplier"] = "Small, \"Green\" shop"
	dollars["lines"] = []any{object{"category": "WATER", "description": "still water", "quantity": 48, "unit": "LITER"}}
	dollars["purchaseTime"] = s.clock.Now().Add(-41 * time.Hour).Format(time.RFC3339)
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=water", dollars)

	// Needs: the ICU's apples, the ER's apples and juice, the ICU's meals.
	s.icuNeed = s.apples("hospitals/gkb-7/wards/icu", 12)
	er := s.need("hospitals/gkb-1/wards/er")
	er["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": 5, "unit": "KILOGRAM"},
		object{"category": "JUICE", "description": "juice", "quantity": 6, "unit": "LITER"}}
	er["headcount"] = 20
	s.erNeed = s.mustREST(200, "POST", "/v1/deliveryRequests", er)["name"].(string)
	meals := s.need("hospitals/gkb-7/wards/icu")
	meals["lines"] = []any{object{"category": "MEALS", "description": "hot meals", "quantity": 20, "unit": "PORTION"}}
	meals["headcount"] = 15
	s.mealsNeed = s.mustREST(200, "POST", "/v1/deliveryRequests", meals)["name"].(string)

	// Run A: the ICU gets its 12 kg, the ER 3 kg of its 5 and all its
	// juice; 2 kg come back. Run B fails at the ICU; its meals come back.
	s.stockRun("run-a", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{s.icuNeed, s.erNeed}})
	if _, err := s.runs.CreateRun(context.Background(), &aqjurekv1.CreateRunRequest{RunId: "run-b", Run: &aqjurekv1.Run{
		Volunteer: "volunteers/daniyar", Depot: "depots/kitchen", PlannedStartTime: timestamppb.New(s.clock.Now().Add(30 * time.Minute)),
	}}); err != nil {
		t.Fatal(err)
	}
	s.mustREST(200, "POST", "/v1/runs/run-b:assign", object{"deliveryRequests": []string{s.mealsNeed}})
	stops := map[string]string{}
	for _, run := range []string{"run-a", "run-b"} {
		s.mustREST(200, "POST", "/v1/runs/"+run+":dispatch", object{})
		for _, st := range s.mustREST(200, "POST", "/v1/runs/"+run+":start", object{})["stops"].([]any) {
			stops[run+" "+st.(object)["ward"].(string)] = st.(object)["name"].(string)
		}
	}
	s.clock.Advance(20 * time.Minute)
	s.mustREST(200, "POST", "/v1/"+stops["run-a hospitals/gkb-7/wards/icu"]+":deliver", object{"receivedBy": "Nurse Aliya",
		"lines": []any{object{"deliveryRequest": s.icuNeed, "line": 0, "quantity": 12}}})
	s.clock.Advance(20 * time.Minute)
	s.mustREST(200, "POST", "/v1/"+stops["run-a hospitals/gkb-1/wards/er"]+":deliver", object{"receivedBy": "Dr Serik",
		"lines": []any{object{"deliveryRequest": s.erNeed, "line": 0, "quantity": 3}, object{"deliveryRequest": s.erNeed, "line": 1, "quantity": 6}}})
	s.mustREST(200, "POST", "/v1/"+stops["run-b hospitals/gkb-7/wards/icu"]+":fail", object{"reason": "ward closed for disinfection"})
	for _, run := range []string{"run-a", "run-b"} {
		s.mustREST(200, "POST", "/v1/runs/"+run+":complete", object{})
	}
	// Write-offs of the crates' apples and juice.
	s.clock.Advance(10 * time.Minute)
	s.mustREST(200, "POST", "/v1/"+s.lotNamed("donations/crates", "алма / яблоки")+":writeOff", object{"quantity": 1.5, "reason": "bruised, gone soft"})
	s.mustREST(200, "POST", "/v1/"+s.lotNamed("donations/crates", "=SUM(A1:A9)")+":writeOff", object{"quantity": 2, "reason": `leaking, "bad" caps`})
	return s
}

func TestThePublicSummaryNamesOnlyWhoAgreedAndNoPersonalData(t *testing.T) {
	t.Parallel()
	s := newBooks(t)
	// 2026-04-03 is a Friday: its week started on Monday, March 30.
	weeks := []*aqjurekv1.PublicSummary_Week{}
	for i := range 8 {
		weeks = append(weeks, &aqjurekv1.PublicSummary_Week{StartDate: cityDay(time.Date(2026, 2, 9+7*i, 0, 0, 0, 0, time.UTC))})
	}
	weeks[7].Delivered = []*aqjurekv1.CategoryAmount{
		{Category: aqjurekv1.Category_FRUIT, Unit: aqjurekv1.Unit_KILOGRAM, Quantity: 15},
		{Category: aqjurekv1.Category_JUICE, Unit: aqjurekv1.Unit_LITER, Quantity: 6},
	}
	weeks[7].Headcount = 50
	want := &aqjurekv1.PublicSummary{
		Delivered: weeks[7].Delivered,
		Drops:     2,
		Headcount: 50,
		Hospitals: []string{"Central Hospital", "City Hospital No. 7"},
		Weeks:     weeks,
		Money: []*aqjurekv1.PublicSummary_Money{
			{CurrencyCode: "KZT", Received: &money.Money{CurrencyCode: "KZT", Units: 55000, Nanos: 500000000}, Spent: &money.Money{CurrencyCode: "KZT", Units: 8000}},
			{CurrencyCode: "USD", Received: &money.Money{CurrencyCode: "USD", Units: 350}, Spent: &money.Money{CurrencyCode: "USD", Units: 120}},
		},
		NamedDonors:   []string{"Aigerim S.", `Diaspora fund, "Almaty"`, "Қазақ Әйелдері"},
		UnnamedDonors: 2,
		ComputeTime:   timestamppb.New(s.clock.Now()),
	}

	// Over REST with no Authorization header at all.
	resp, err := http.Get(s.base + "/v1/public")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /v1/public with no token: %d %s %v", resp.StatusCode, body, err)
	}
	got := &aqjurekv1.PublicSummary{}
	if err := protojson.Unmarshal(body, got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("public summary over REST (-want +got):\n%s", diff)
	}
	for _, private := range s.private {
		if strings.Contains(string(body), private) {
			t.Errorf("the public summary holds %q: %s", private, body)
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"wards", "phone", "contact", "notes", "drivers", "volunteers"} {
		if _, ok := fields[f]; ok {
			t.Errorf("the public summary has a field %q", f)
		}
	}

	// Over gRPC with no token.
	public := aqjurekv1.NewPublicServiceClient(s.grpcConn())
	g, err := public.GetPublicSummary(context.Background(), &aqjurekv1.GetPublicSummaryRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, g, protocmp.Transform()); diff != "" {
		t.Errorf("public summary over gRPC (-want +got):\n%s", diff)
	}

	// A new named gift shows once the change is recorded, without waiting
	// for the summary to grow stale.
	s.gift("late", time.Minute, object{"donor": donor("Late Bloomer", "late@example.org", true), "money": cash("KZT", 100, 0)})
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, err = public.GetPublicSummary(context.Background(), &aqjurekv1.GetPublicSummaryRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if names := g.GetNamedDonors(); len(names) == 4 && names[3] == "Late Bloomer" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a named gift is not in the public summary: %v", g.GetNamedDonors())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCallsWithoutATokenAreLimitedByAddress(t *testing.T) {
	t.Parallel()
	// One call a second on average, two at once.
	s := startServer(t, func(c *server.Config) { c.RateLimit = 1 })
	public := aqjurekv1.NewPublicServiceClient(s.grpcConn())
	var refused error
	for range 3 {
		if _, refused = public.GetPublicSummary(context.Background(), &aqjurekv1.GetPublicSummaryRequest{}); refused != nil {
			break
		}
	}
	if status.Code(refused) != codes.ResourceExhausted {
		t.Errorf("the third call at once from one address: %v, want ResourceExhausted", refused)
	}
	// A REST call counts for the address the gateway was called from, not
	// for the gateway's own connection, which comes from 127.0.0.1 and has
	// spent its allowance above: from 127.0.0.2 two calls pass, the third
	// does not.
	from := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext}}
	var answers []int
	for range 3 {
		r, err := from.Get(s.base + "/v1/public")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		answers = append(answers, r.StatusCode)
		if r.StatusCode == http.StatusTooManyRequests && r.Header.Get("Retry-After") == "" {
			t.Error("a REST call refused for its address says no Retry-After")
		}
	}
	if diff := cmp.Diff([]int{200, 200, http.StatusTooManyRequests}, answers); diff != "" {
		t.Errorf("three REST calls at once from another address (-want +got):\n%s", diff)
	}
}

// cityDay is the calendar day of t's date, as google.type.Date.
func cityDay(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}
