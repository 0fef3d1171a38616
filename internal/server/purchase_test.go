package server_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// give records a money donation received ago before now, over REST.
func (s *ledger) give(id, currency string, units int, ago time.Duration) {
	s.t.Helper()
	body := moneyGift("Donor "+id, currency, strconv.Itoa(units), 0)
	body["receiveTime"] = s.clock.Now().Add(-ago).Format(time.RFC3339)
	s.mustREST(200, "POST", "/v1/donations?donationId="+id, body)
}

// purchase is a REST body of a purchase of apples into the depot.
func purchase(currency string, units int, funding ...string) object {
	body := object{
		"supplier": "Magnum Cash&Carry", "receiptReference": "R-17", "depot": "depots/green-bazaar",
		"amount": object{"currencyCode": currency, "units": strconv.Itoa(units)},
		"lines":  []any{object{"category": "FRUIT", "description": "apples", "quantity": 25, "unit": "KILOGRAM"}},
	}
	if len(funding) > 0 {
		body["fundingDonations"] = funding
	}
	return body
}

// minor reads a google.type.Money of a two-digit currency from JSON.
func minor(t *testing.T, m any) int64 {
	t.Helper()
	o := m.(object)
	units, err := strconv.ParseInt(o["units"].(string), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	nanos, _ := o["nanos"].(float64)
	return units*100 + int64(nanos)/10_000_000
}

// checkBooks asserts, for currency, that every amount given is spent or
// left: the sum of the entries (reversals negative) is what the donations
// say was spent plus what they say is left, and what they say was spent
// is what the purchases cost. It returns spent and left.
func (s *ledger) checkBooks(t *testing.T, currency string) (spent, left int64) {
	t.Helper()
	var in int64
	for _, d := range s.listAll("/v1/donations?pageSize=1000&currencyCode="+currency, "donations") {
		m := d["money"].(object)
		in += minor(t, m["amount"])
		spent += minor(t, m["spent"])
		left += minor(t, m["left"])
	}
	var bought int64
	for _, p := range s.listAll("/v1/purchases?pageSize=1000&currencyCode="+currency, "purchases") {
		bought += minor(t, p["amount"])
		var paid int64
		for _, a := range p["allocations"].([]any) {
			paid += minor(t, a.(object)["amount"])
		}
		if paid != minor(t, p["amount"]) {
			t.Errorf("%s: allocations sum to %d, the purchase is %d", p["name"], paid, minor(t, p["amount"]))
		}
	}
	if in != spent+left || spent != bought {
		t.Errorf("%s: in %d, spent %d, left %d, bought %d: money in must be spent + left, spent must be bought", currency, in, spent, left, bought)
	}
	return spent, left
}

func TestPurchasesSpendDonationsOldestFirstNeverMoreThanTheyHold(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	ctx := context.Background()
	purchases := aqjurekv1.NewPurchaseServiceClient(s.conn())
	s.give("reversed", "KZT", 50000, 4*time.Hour)
	s.mustREST(200, "POST", "/v1/donations/reversed:reverse", object{"reason": "card payment bounced"})
	s.give("old", "KZT", 10000, 3*time.Hour)
	s.give("mid", "KZT", 5000, 2*time.Hour)
	s.give("usd", "USD", 100, 2*time.Hour)
	s.give("new", "KZT", 20000, time.Hour)

	// Oldest first, across as many donations as it takes.
	p := s.mustREST(200, "POST", "/v1/purchases?purchaseId=apples-1", purchase("KZT", 12000))
	got, err := purchases.GetPurchase(ctx, &aqjurekv1.GetPurchaseRequest{Name: "purchases/apples-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []*aqjurekv1.Allocation{
		{Donation: "donations/old", Amount: &money.Money{CurrencyCode: "KZT", Units: 10000}},
		{Donation: "donations/mid", Amount: &money.Money{CurrencyCode: "KZT", Units: 2000}},
	}
	if diff := cmp.Diff(want, got.GetAllocations(), protocmp.Transform()); diff != "" || p["name"] != "purchases/apples-1" {
		t.Errorf("allocations (-want +got):\n%s", diff)
	}
	mid := s.mustREST(200, "GET", "/v1/donations/mid", nil)["money"].(object)
	if minor(t, mid["spent"]) != 200000 || minor(t, mid["left"]) != 300000 {
		t.Errorf("donations/mid after the purchase = %v", mid)
	}
	if code, out := s.rest("POST", "/v1/donations/old:reverse", object{"reason": "oops"}); code != 400 ||
		!strings.Contains(fmt.Sprint(out["message"]), "KZT 10,000.00 of donations/old was already spent") {
		t.Errorf("reversing a spent donation: %d %v", code, out)
	}

	// Short: the error says what there is, and nothing is spent.
	code, out := s.rest("POST", "/v1/purchases", purchase("KZT", 30000))
	if code != 400 || out["message"] != "KZT 23,000.00 available, purchase is KZT 30,000.00" {
		t.Errorf("short purchase: %d %v", code, out)
	}
	code, out = s.rest("POST", "/v1/purchases", purchase("KZT", 25000, "donations/new"))
	if code != 400 || out["message"] != "KZT 20,000.00 available in donations/new, purchase is KZT 25,000.00" {
		t.Errorf("short named purchase: %d %v", code, out)
	}
	_, err = purchases.CreatePurchase(ctx, &aqjurekv1.CreatePurchaseRequest{Purchase: &aqjurekv1.Purchase{
		Supplier: "Kaspi shop", Depot: "depots/green-bazaar", Amount: &money.Money{CurrencyCode: "EUR", Units: 1},
		Lines: []*aqjurekv1.GoodsLine{{Category: aqjurekv1.Category_WATER, Quantity: 6, Unit: aqjurekv1.Unit_LITER}},
	}})
	if status.Code(err) != codes.FailedPrecondition || status.Convert(err).Message() != "EUR 0.00 available, purchase is EUR 1.00" {
		t.Errorf("purchase in a currency nobody gave: %v", err)
	}

	// Named donations pay in the order named.
	named := s.mustREST(200, "POST", "/v1/purchases", purchase("KZT", 21000, "donations/new", "donations/mid"))
	if diff := cmp.Diff([]any{
		object{"donation": "donations/new", "amount": object{"currencyCode": "KZT", "units": "20000", "nanos": 0.0}},
		object{"donation": "donations/mid", "amount": object{"currencyCode": "KZT", "units": "1000", "nanos": 0.0}},
	}, named["allocations"]); diff != "" {
		t.Errorf("named allocations (-want +got):\n%s", diff)
	}
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{object{"category": "FRUIT", "quantity": 5, "unit": "KILOGRAM"}}}})
	for _, c := range []struct {
		what  string
		body  object
		field string
	}{
		{"another currency", purchase("USD", 10, "donations/mid"), "purchase.funding_donations[0]"},
		{"goods", purchase("KZT", 10, "donations/crates"), "purchase.funding_donations[0]"},
		{"a reversed donation", purchase("KZT", 10, "donations/mid", "donations/reversed"), "purchase.funding_donations[1]"},
		{"no such donation", purchase("KZT", 10, "donations/none"), "purchase.funding_donations[0]"},
		{"twice", purchase("KZT", 10, "donations/mid", "donations/mid"), "purchase.funding_donations[1]"},
		{"not a donation", purchase("KZT", 10, "purchases/apples-1"), "purchase.funding_donations[0]"},
		{"no supplier", func() object { b := purchase("KZT", 10); delete(b, "supplier"); return b }(), "purchase.supplier"},
		{"no lines", func() object { b := purchase("KZT", 10); delete(b, "lines"); return b }(), "purchase.lines"},
		{"no depot", func() object { b := purchase("KZT", 10); delete(b, "depot"); return b }(), "purchase.depot"},
		{"archived depot", func() object { b := purchase("KZT", 10); b["depot"] = "depots/old-shop"; return b }(), "purchase.depot"},
		{"finer than a cent", func() object {
			b := purchase("USD", 10)
			b["amount"].(object)["nanos"] = 1000
			return b
		}(), "purchase.amount"},
	} {
		if c.what == "archived depot" {
			s.mustREST(200, "POST", "/v1/depots?depotId=old-shop", object{"displayName": "Old shop", "archived": true})
		}
		code, out := s.rest("POST", "/v1/purchases", c.body)
		if v := fieldViolations(out); code != 400 || v[c.field] == "" || len(v) != 1 {
			t.Errorf("%s: %d %v, want 400 naming %s", c.what, code, out, c.field)
		}
	}

	// A retry with the request id spends once.
	const requestID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
	first := s.mustREST(200, "POST", "/v1/purchases?requestId="+requestID, purchase("USD", 40))
	again := s.mustREST(200, "POST", "/v1/purchases?requestId="+requestID, purchase("USD", 40))
	if first["name"] != again["name"] {
		t.Errorf("replayed purchase made another: %v, %v", first["name"], again["name"])
	}
	if spent, left := s.checkBooks(t, "USD"); spent != 4000 || left != 6000 {
		t.Errorf("USD spent %d, left %d; want 4000, 6000", spent, left)
	}
	if spent, left := s.checkBooks(t, "KZT"); spent != 3300000 || left != 200000 {
		t.Errorf("KZT spent %d, left %d; want 3300000, 200000", spent, left)
	}
	// What purchases may still spend: the reversed gift, its reversing
	// entry and the gifts spent to the last tiyn are not in it.
	var withMoney []string
	for _, d := range s.listAll("/v1/donations?pageSize=1&moneyLeft=true", "donations") {
		withMoney = append(withMoney, d["name"].(string))
	}
	slices.Sort(withMoney)
	if diff := cmp.Diff([]string{"donations/mid", "donations/usd"}, withMoney); diff != "" {
		t.Errorf("donations with money left (-want +got):\n%s", diff)
	}

	// Lists: by the donation that paid, by currency, newest first.
	list := func(query string) []string {
		var names []string
		for _, p := range s.listAll("/v1/purchases?pageSize=1&"+query, "purchases") {
			names = append(names, p["name"].(string))
		}
		return names
	}
	if diff := cmp.Diff([]string{named["name"].(string), "purchases/apples-1"}, list("donation=donations/mid")); diff != "" {
		t.Errorf("purchases paid by donations/mid (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{first["name"].(string)}, list("currencyCode=USD")); diff != "" {
		t.Errorf("USD purchases (-want +got):\n%s", diff)
	}
	for _, query := range []string{"donation=mid", "orderBy=amount", "currencyCode=usd"} {
		if code, _ := s.rest("GET", "/v1/purchases?"+query, nil); code != 400 {
			t.Errorf("%s: %d, want 400", query, code)
		}
	}
}

func TestConcurrentPurchasesNeverSpendMoneyTwice(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	for i := range 3 {
		s.give(fmt.Sprintf("gift-%d", i), "KZT", 50000, time.Duration(3-i)*time.Hour)
	}
	purchases := aqjurekv1.NewPurchaseServiceClient(s.conn())
	const buyers = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	made, short := 0, 0
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ok, refused bool
			var why string
			if i%2 == 0 {
				code, out := s.rest("POST", "/v1/purchases", purchase("KZT", 10000))
				ok, refused, why = code == 200, code == 400 && strings.Contains(fmt.Sprint(out["message"]), "available, purchase is KZT 10,000.00"), fmt.Sprint(out)
			} else {
				_, err := purchases.CreatePurchase(context.Background(), &aqjurekv1.CreatePurchaseRequest{Purchase: &aqjurekv1.Purchase{
					Supplier: "Magnum", Depot: "depots/green-bazaar", Amount: &money.Money{CurrencyCode: "KZT", Units: 10000},
					Lines: []*aqjurekv1.GoodsLine{{Category: aqjurekv1.Category_FRUIT, Quantity: 25, Unit: aqjurekv1.Unit_KILOGRAM}},
				}})
				ok, refused, why = err == nil, status.Code(err) == codes.FailedPrecondition, fmt.Sprint(err)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case ok:
				made++
			case refused:
				short++
			default:
				t.Errorf("buyer %d: %s", i, why)
			}
		}()
	}
	wg.Wait()
	if made != 15 || short != 5 {
		t.Errorf("%d purchases made, %d refused as short; want 15 and 5", made, short)
	}
	if spent, left := s.checkBooks(t, "KZT"); spent != 15000000 || left != 0 {
		t.Errorf("spent %d, left %d; want all 15000000 spent", spent, left)
	}
}

// Money is spent only once it has come: a purchase dated before a gift
// is never paid from it, so no period's money goes below zero, whether
// the gift is taken oldest first or named.
func TestAPurchaseIsPaidOnlyFromMoneyReceivedBeforeIt(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	purchases := aqjurekv1.NewPurchaseServiceClient(s.conn())
	s.give("early", "KZT", 3000, 5*time.Hour)
	s.give("late", "KZT", 20000, time.Hour)
	backdated := func(funding ...string) object {
		b := purchase("KZT", 5000, funding...)
		b["purchaseTime"] = s.clock.Now().Add(-2 * time.Hour).Format(time.RFC3339)
		return b
	}
	at := supply.CityTime(s.clock.Now().Add(-2 * time.Hour))

	code, out := s.rest("POST", "/v1/purchases", backdated())
	if want := "KZT 3,000.00 available at " + at + ", when the purchase was made; purchase is KZT 5,000.00"; code != 400 || out["message"] != want {
		t.Errorf("a purchase before the money came: %d %v, want 400 %q", code, out, want)
	}
	_, err := purchases.CreatePurchase(context.Background(), &aqjurekv1.CreatePurchaseRequest{Purchase: &aqjurekv1.Purchase{
		Supplier: "Magnum Cash&Carry", Depot: "depots/green-bazaar", Amount: &money.Money{CurrencyCode: "KZT", Units: 5000},
		PurchaseTime: timestamppb.New(s.clock.Now().Add(-2 * time.Hour)), FundingDonations: []string{"donations/early", "donations/late"},
		Lines: []*aqjurekv1.GoodsLine{{Category: aqjurekv1.Category_FRUIT, Quantity: 25, Unit: aqjurekv1.Unit_KILOGRAM}},
	}})
	if code, v := grpcViolations(err); code != codes.InvalidArgument || len(v) != 1 ||
		!strings.Contains(v["purchase.funding_donations[1]"], "after the purchase was made") {
		t.Errorf("a purchase naming a gift that came after it: %v", err)
	}
	if n := len(s.listAll("/v1/purchases", "purchases")); n != 0 {
		t.Errorf("%d purchases stored after the refusals", n)
	}

	// Made now, the same purchase is paid oldest first from both.
	p := s.mustREST(200, "POST", "/v1/purchases", purchase("KZT", 5000))
	if diff := cmp.Diff([]any{
		object{"donation": "donations/early", "amount": object{"currencyCode": "KZT", "units": "3000", "nanos": 0.0}},
		object{"donation": "donations/late", "amount": object{"currencyCode": "KZT", "units": "2000", "nanos": 0.0}},
	}, p["allocations"]); diff != "" {
		t.Errorf("allocations (-want +got):\n%s", diff)
	}
	s.checkBooks(t, "KZT")
}
