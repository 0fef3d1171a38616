package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// ledger is a server with a depot and the clients of the ledger's services,
// calling as a coordinator.
type ledger struct {
	*testServer
	donations aqjurekv1.DonationServiceClient
}

func newLedger(t *testing.T, options ...func(*server.Config)) *ledger {
	t.Helper()
	s := startServer(t, options...)
	s.mustREST(200, "POST", "/v1/depots?depotId=green-bazaar", object{"displayName": "Green Bazaar"})
	c := s.as(s.issue(supply.RoleCoordinator, "", ""))
	return &ledger{testServer: c, donations: aqjurekv1.NewDonationServiceClient(c.conn())}
}

// moneyGift is a REST body of a money donation.
func moneyGift(donor, currency, units string, nanos int) object {
	return object{
		"donor": object{"displayName": donor, "contact": "+7 701 000 0000"},
		"money": object{"amount": object{"currencyCode": currency, "units": units, "nanos": nanos}, "channel": "KASPI_GOLD", "paymentReference": "KP-1"},
	}
}

func TestDonationsAreRecordedListedAndReversedNeverEdited(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	ctx := context.Background()

	// Money over REST, exact to the tiyn.
	kzt := s.mustREST(200, "POST", "/v1/donations?donationId=kaspi-1", moneyGift("Aigerim S.", "KZT", "50000", 500000000))
	wantMoney := object{"amount": object{"currencyCode": "KZT", "units": "50000", "nanos": float64(500000000)},
		"channel": "KASPI_GOLD", "paymentReference": "KP-1",
		"spent": object{"currencyCode": "KZT", "units": "0", "nanos": float64(0)},
		"left":  object{"currencyCode": "KZT", "units": "50000", "nanos": float64(500000000)}}
	if diff := cmp.Diff(wantMoney, kzt["money"]); diff != "" || kzt["kind"] != "MONEY" || kzt["name"] != "donations/kaspi-1" {
		t.Errorf("money donation (-want +got):\n%s\n%v", diff, kzt)
	}

	// Dollars and goods over gRPC.
	s.clock.Advance(time.Minute)
	usd, err := s.donations.CreateDonation(ctx, &aqjurekv1.CreateDonationRequest{DonationId: "wire-1", Donation: &aqjurekv1.Donation{
		Donor: &aqjurekv1.Donor{DisplayName: "Diaspora fund", PublicNaming: true},
		Gift: &aqjurekv1.Donation_Money{Money: &aqjurekv1.MoneyGift{
			Amount: &money.Money{CurrencyCode: "USD", Units: 300}, Channel: aqjurekv1.MoneyGift_BANK_TRANSFER}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Minute)
	goods, err := s.donations.CreateDonation(ctx, &aqjurekv1.CreateDonationRequest{DonationId: "crates-1", Donation: &aqjurekv1.Donation{
		Donor: &aqjurekv1.Donor{DisplayName: "Green Bazaar stall 12"},
		Gift: &aqjurekv1.Donation_Goods{Goods: &aqjurekv1.GoodsGift{Depot: "depots/green-bazaar", Lines: []*aqjurekv1.GoodsLine{
			{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 40, Unit: aqjurekv1.Unit_KILOGRAM,
				BestBefore: &date.Date{Year: 2026, Month: 4, Day: 10}},
			{Category: aqjurekv1.Category_JUICE, Description: "apple juice", Quantity: 24, Unit: aqjurekv1.Unit_LITER},
		}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.donations.GetDonation(ctx, &aqjurekv1.GetDonationRequest{Name: "donations/crates-1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(goods, got, protocmp.Transform()); diff != "" {
		t.Errorf("GetDonation differs from what CreateDonation returned (-want +got):\n%s", diff)
	}
	if got.GetKind() != aqjurekv1.Donation_GOODS || got.GetReceiveTime().AsTime() != s.clock.Now() ||
		got.GetGoods().GetLines()[0].GetBestBefore().GetDay() != 10 {
		t.Errorf("goods donation = %v", got)
	}

	// Bad input is refused naming each field.
	for _, c := range []struct {
		what   string
		body   object
		fields []string
	}{
		{"finer than a tiyn", moneyGift("A", "KZT", "1", 5), []string{"donation.money.amount"}},
		{"lower-case currency", moneyGift("A", "kzt", "1", 0), []string{"donation.money.amount"}},
		{"unknown currency", moneyGift("A", "ABC", "1", 0), []string{"donation.money.amount"}},
		{"signs differ", moneyGift("A", "USD", "1", -5), []string{"donation.money.amount"}},
		{"nothing given", moneyGift("A", "KZT", "0", 0), []string{"donation.money.amount"}},
		{"neither money nor goods, no donor", object{"notes": "?"}, []string{"donation.gift", "donation.donor.display_name"}},
		{"no channel", object{"donor": object{"displayName": "A"}, "money": object{"amount": object{"currencyCode": "KZT", "units": "5"}}},
			[]string{"donation.money.channel"}},
		{"goods without depot, bad lines", object{"donor": object{"displayName": "A"}, "goods": object{"lines": []any{
			object{"category": "FRUIT", "quantity": 0, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 2, "day": 30}},
			object{"category": "MEALS", "quantity": 3, "unit": "LITER"},
		}}}, []string{"donation.goods.depot", "donation.goods.lines[0].quantity", "donation.goods.lines[0].best_before", "donation.goods.lines[1].unit"}},
		{"unknown depot", object{"donor": object{"displayName": "A"}, "goods": object{"depot": "depots/nowhere", "lines": []any{
			object{"category": "FRUIT", "quantity": 1, "unit": "KILOGRAM"}}}}, []string{"donation.goods.depot"}},
		{"received in the future", object{"donor": object{"displayName": "A"}, "receiveTime": s.clock.Now().Add(time.Hour).Format(time.RFC3339),
			"money": object{"amount": object{"currencyCode": "KZT", "units": "5"}, "channel": "CASH"}}, []string{"donation.receive_time"}},
	} {
		code, out := s.rest("POST", "/v1/donations", c.body)
		got := fieldViolations(out)
		if code != http.StatusBadRequest || len(got) != len(c.fields) {
			t.Errorf("%s: %d %v, want 400 naming %v", c.what, code, out, c.fields)
			continue
		}
		for _, f := range c.fields {
			if got[f] == "" {
				t.Errorf("%s: %v does not name %s", c.what, got, f)
			}
		}
	}

	// A retry with the same request id records one donation; the same id
	// for another donation is refused.
	body := moneyGift("Cash box", "KZT", "7000", 0)
	const requestID = "3f1c2b4e-1d2a-4c3b-9e8f-0a1b2c3d4e5f"
	first := s.mustREST(200, "POST", "/v1/donations?requestId="+requestID, body)
	again := s.mustREST(200, "POST", "/v1/donations?requestId="+requestID, body)
	if first["name"] != again["name"] || first["etag"] != again["etag"] {
		t.Errorf("replay made another donation: %v then %v", first["name"], again["name"])
	}
	if code, out := s.rest("POST", "/v1/donations?requestId="+requestID, moneyGift("Cash box", "KZT", "7001", 0)); code != 400 || fieldViolations(out)["request_id"] == "" {
		t.Errorf("request id reused for another donation: %d %v", code, out)
	}

	// Lists: filters, order, pages.
	names := func(items []object) []string {
		var out []string
		for _, it := range items {
			out = append(out, it["name"].(string))
		}
		return out
	}
	all := names(s.listAll("/v1/donations?pageSize=1", "donations"))
	if diff := cmp.Diff([]string{first["name"].(string), "donations/crates-1", "donations/wire-1", "donations/kaspi-1"}, all); diff != "" {
		t.Errorf("donations newest first (-want +got):\n%s", diff)
	}
	for query, want := range map[string][]string{
		"kind=GOODS":                      {"donations/crates-1"},
		"currencyCode=USD":                {"donations/wire-1"},
		"depot=depots/green-bazaar":       {"donations/crates-1"},
		"orderBy=receive_time&kind=MONEY": {"donations/kaspi-1", "donations/wire-1", first["name"].(string)},
		"receivedAfter=" + usd.GetReceiveTime().AsTime().Format(time.RFC3339) + "&receivedBefore=" + goods.GetReceiveTime().AsTime().Format(time.RFC3339): {"donations/wire-1"},
	} {
		if diff := cmp.Diff(want, names(s.listAll("/v1/donations?"+query, "donations"))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", query, diff)
		}
	}
	for _, query := range []string{"currencyCode=tenge", "kind=BOTH", "orderBy=amount", "depot=shop"} {
		if code, _ := s.rest("GET", "/v1/donations?"+query, nil); code != 400 {
			t.Errorf("%s: %d, want 400", query, code)
		}
	}

	// A mistake is reversed, once, by an opposite entry naming it; both stay.
	if code, out := s.rest("POST", "/v1/donations/kaspi-1:reverse", object{}); code != 400 || fieldViolations(out)["reason"] == "" {
		t.Errorf("reverse without a reason: %d %v", code, out)
	}
	if code, _ := s.rest("POST", "/v1/donations/kaspi-1:reverse", object{"reason": "x", "etag": "stale"}); code != http.StatusConflict {
		t.Errorf("reverse with a stale etag: %d, want 409", code)
	}
	const reverseID = "9b2c4d6e-8f0a-4b1c-a2d3-e4f5a6b7c8d9"
	reversal := s.mustREST(200, "POST", "/v1/donations/kaspi-1:reverse", object{"reason": "entered twice", "requestId": reverseID})
	wantReversal := object{"currencyCode": "KZT", "units": "-50000", "nanos": float64(-500000000)}
	if diff := cmp.Diff(wantReversal, reversal["money"].(object)["amount"]); diff != "" || reversal["reverses"] != "donations/kaspi-1" ||
		reversal["reverseReason"] != "entered twice" {
		t.Errorf("reversing entry (-want +got):\n%s\n%v", diff, reversal)
	}
	replayed := s.mustREST(200, "POST", "/v1/donations/kaspi-1:reverse", object{"reason": "entered twice", "requestId": reverseID})
	if replayed["name"] != reversal["name"] {
		t.Errorf("replayed reverse = %v, want %v", replayed["name"], reversal["name"])
	}
	original := s.mustREST(200, "GET", "/v1/donations/kaspi-1", nil)
	if original["reversedBy"] != reversal["name"] || original["etag"] == kzt["etag"] ||
		original["money"].(object)["left"].(object)["units"] != "0" {
		t.Errorf("reversed donation = %v", original)
	}
	for _, name := range []string{"kaspi-1", reversal["name"].(string)[len("donations/"):]} {
		if code, out := s.rest("POST", "/v1/donations/"+name+":reverse", object{"reason": "again"}); code != 400 && code != 409 {
			t.Errorf("reversing %s again: %d %v, want refused", name, code, out)
		}
	}
	if got := len(s.listAll("/v1/donations?kind=MONEY", "donations")); got != 4 {
		t.Errorf("%d money entries listed, want 4 (both entries of the reversal stay)", got)
	}
	goodsReversal := s.mustREST(200, "POST", "/v1/donations/crates-1:reverse", object{"reason": "stall took them back"})
	if l := goodsReversal["goods"].(object)["lines"].([]any)[0].(object); l["quantity"] != -40.0 {
		t.Errorf("goods reversal line = %v", l)
	}

	// Every change is in the log.
	var summaries []string
	for _, e := range s.listAll("/v1/events?pageSize=1000", "events") {
		if r, _ := e["resource"].(string); len(r) > 10 && r[:10] == "donations/" {
			summaries = append(summaries, e["kind"].(string)+" "+r)
		}
	}
	if len(summaries) != 8 { // 4 created, 2 reversals created, 2 originals updated
		t.Errorf("donation events = %v", summaries)
	}
}

func TestOnlyTheOfficeReachesTheLedger(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	s.mustREST(200, "POST", "/v1/donations?donationId=d1", moneyGift("A", "KZT", "100", 0))
	for _, role := range []struct{ name, bearer string }{
		{"staff", s.issue(supply.RoleStaff, "gkb-7", "")},
		{"driver", s.issue(supply.RoleDriver, "", "aigerim")},
	} {
		c := s.as(role.bearer)
		for _, call := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/v1/donations", nil}, {"GET", "/v1/donations/d1", nil}, {"POST", "/v1/donations", moneyGift("A", "KZT", "1", 0)},
			{"POST", "/v1/donations/d1:reverse", object{"reason": "mine"}},
			{"GET", "/v1/purchases", nil}, {"GET", "/v1/purchases/p1", nil}, {"POST", "/v1/purchases", purchase("KZT", 1)},
		} {
			if code, _ := c.rest(call.method, call.path, call.body); code != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", call.method, call.path, role.name, code)
			}
		}
		_, err := aqjurekv1.NewDonationServiceClient(c.conn()).ListDonations(context.Background(), &aqjurekv1.ListDonationsRequest{
			ReceivedAfter: timestamppb.Now()})
		if code, _ := grpcViolations(err); code != codes.PermissionDenied {
			t.Errorf("ListDonations as %s: %v", role.name, err)
		}
		for _, e := range c.listAll("/v1/events?pageSize=1000", "events") {
			if e["resource"] == "donations/d1" {
				t.Errorf("%s sees the ledger's event %v", role.name, e)
			}
		}
	}
}
