package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// lotView is what a person reads of a lot in a list.
type lotView struct {
	What                                          string
	OnHand, Received, Taken, WrittenOff, Reversed float64
	BestBefore, Source                            string
}

func (s *ledger) lots(query string) []lotView {
	s.t.Helper()
	var out []lotView
	for _, l := range s.listAll("/v1/depots/green-bazaar/lots?pageSize=2"+query, "lots") {
		v := lotView{
			What:   fmt.Sprintf("%v %v %v", l["category"], l["unit"], l["description"]),
			OnHand: l["quantityOnHand"].(float64), Received: l["receivedQuantity"].(float64), Taken: l["takenQuantity"].(float64),
			WrittenOff: l["writtenOffQuantity"].(float64), Reversed: l["reversedQuantity"].(float64), Source: l["source"].(string),
		}
		if b, ok := l["bestBefore"].(object); ok {
			v.BestBefore = fmt.Sprintf("%v-%v-%v", b["year"], b["month"], b["day"])
		}
		if v.OnHand != v.Received-v.Taken-v.WrittenOff-v.Reversed || v.OnHand < 0 {
			s.t.Errorf("lot %v: on hand is not received - taken - written off - reversed", l)
		}
		out = append(out, v)
	}
	return out
}

// lotNamed returns the name of the depot's lot from source with description.
func (s *ledger) lotNamed(source, description string) string {
	s.t.Helper()
	for _, l := range s.listAll("/v1/depots/green-bazaar/lots", "lots") {
		if l["source"] == source && l["description"] == description {
			return l["name"].(string)
		}
	}
	s.t.Fatalf("no lot of %s from %s", description, source)
	return ""
}

func TestDepotStockIsWhatWasReceivedLessWhatWasWrittenOff(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.mustREST(200, "POST", "/v1/depots?depotId=kitchen", object{"displayName": "Plov kitchen", "noStock": true})
	if d := s.mustREST(200, "GET", "/v1/depots/kitchen", nil); d["noStock"] != true {
		t.Errorf("kitchen = %v", d)
	}
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 40, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 4, "day": 10}},
			object{"category": "JUICE", "description": "apple juice", "quantity": 24, "unit": "LITER"},
		}}})
	s.give("kaspi", "KZT", 100000, 0)
	bought := purchase("KZT", 15000)
	bought["lines"] = []any{
		object{"category": "FRUIT", "description": "apples", "quantity": 25, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 4, "day": 6}},
		object{"category": "MEALS", "description": "plov", "quantity": 30, "unit": "PORTION", "bestBefore": object{"year": 2026, "month": 4, "day": 4}},
	}
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=market", bought)
	cooking := purchase("KZT", 5000)
	cooking["depot"] = "depots/kitchen"
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=rice", cooking)

	want := []lotView{
		{What: "MEALS PORTION plov", OnHand: 30, Received: 30, BestBefore: "2026-4-4", Source: "purchases/market"},
		{What: "FRUIT KILOGRAM apples", OnHand: 25, Received: 25, BestBefore: "2026-4-6", Source: "purchases/market"},
		{What: "FRUIT KILOGRAM apples", OnHand: 40, Received: 40, BestBefore: "2026-4-10", Source: "donations/crates"},
		{What: "JUICE LITER apple juice", OnHand: 24, Received: 24, Source: "donations/crates"},
	}
	if diff := cmp.Diff(want, s.lots("")); diff != "" {
		t.Errorf("lots, earliest best-before first (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:2], s.lots("&expireBefore.year=2026&expireBefore.month=4&expireBefore.day=7")); diff != "" {
		t.Errorf("lots expiring before 7 April (-want +got):\n%s", diff)
	}
	if got := s.listAll("/v1/depots/kitchen/lots", "lots"); len(got) != 0 {
		t.Errorf("a kitchen that keeps no stock has lots: %v", got)
	}
	if code, _ := s.rest("GET", "/v1/depots/nowhere/lots", nil); code != http.StatusNotFound {
		t.Errorf("lots of a depot that does not exist: %d, want 404", code)
	}

	// Write-offs: never below zero, with a reason, once per request id.
	apples := s.lotNamed("donations/crates", "apples")
	const requestID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	first := s.mustREST(200, "POST", "/v1/"+apples+":writeOff", object{"quantity": 10, "reason": "bruised", "requestId": requestID})
	again := s.mustREST(200, "POST", "/v1/"+apples+":writeOff", object{"quantity": 10, "reason": "bruised", "requestId": requestID})
	if first["quantityOnHand"] != 30.0 || again["quantityOnHand"] != 30.0 || first["writtenOffQuantity"] != 10.0 {
		t.Errorf("write-off then its replay: %v, %v", first, again)
	}
	code, out := s.rest("POST", "/v1/"+apples+":writeOff", object{"quantity": 31, "reason": "rotten"})
	if code != 400 || out["message"] != apples+" has 30 kg of apples on hand; 31 kg cannot be written off" {
		t.Errorf("writing off more than is on hand: %d %v", code, out)
	}
	for _, c := range []struct {
		what  string
		body  object
		field string
	}{
		{"no reason", object{"quantity": 1}, "reason"},
		{"nothing", object{"quantity": 0, "reason": "x"}, "quantity"},
		{"a part of a portion", object{"quantity": 1.5, "reason": "x"}, "quantity"},
	} {
		lot := apples
		if c.what == "a part of a portion" {
			lot = s.lotNamed("purchases/market", "plov")
		}
		if code, out := s.rest("POST", "/v1/"+lot+":writeOff", c.body); code != 400 || fieldViolations(out)[c.field] == "" {
			t.Errorf("%s: %d %v, want 400 naming %s", c.what, code, out, c.field)
		}
	}
	if code, _ := s.rest("POST", "/v1/"+apples+":writeOff", object{"quantity": 1, "reason": "x", "etag": first["etag"]}); code != 200 {
		t.Errorf("write-off with the current etag: %d", code)
	}
	if code, _ := s.rest("POST", "/v1/"+apples+":writeOff", object{"quantity": 1, "reason": "x", "etag": first["etag"]}); code != http.StatusConflict {
		t.Errorf("write-off with a stale etag: %d, want 409", code)
	}
	plov := s.lotNamed("purchases/market", "plov")
	s.mustREST(200, "POST", "/v1/"+plov+":writeOff", object{"quantity": 30, "reason": "not eaten by the evening"})
	if got := s.lots("&onHandOnly=true"); len(got) != 3 || got[0].What == "MEALS PORTION plov" {
		t.Errorf("lots on hand = %v", got)
	}

	// A donation whose goods were used is not reversed; an untouched one
	// takes its lots back with it.
	code, out = s.rest("POST", "/v1/donations/crates:reverse", object{"reason": "entered twice"})
	if code != 400 || !strings.Contains(fmt.Sprint(out["message"]), "goods of donations/crates were already used") {
		t.Errorf("reversing used goods: %d %v", code, out)
	}
	s.mustREST(200, "POST", "/v1/donations?donationId=water", object{"donor": object{"displayName": "Shop"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{object{"category": "WATER", "quantity": 60, "unit": "LITER"}}}})
	s.mustREST(200, "POST", "/v1/donations/water:reverse", object{"reason": "delivered to the other team"})
	if got := s.lots("")[4]; got != (lotView{What: "WATER LITER ", Received: 60, Reversed: 60, Source: "donations/water"}) {
		t.Errorf("reversed donation's lot = %+v", got)
	}

	// Drivers see stock but write nothing off; staff see none.
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	driver := s.as(s.issue(supply.RoleDriver, "", "aigerim"))
	// A driver reads what a depot holds, not whose gift it was: the ledger
	// is the office's, and a donation's id may name its donor.
	code, out = driver.rest("GET", "/v1/depots/green-bazaar/lots", nil)
	if lots, _ := out["lots"].([]any); code != 200 || len(lots) != 5 {
		t.Fatalf("driver lists lots: %d %v", code, out)
	}
	for _, l := range out["lots"].([]any) {
		if source := l.(object)["source"]; source != "" {
			t.Errorf("a driver reads the source %v of %v", source, l.(object)["name"])
		}
	}
	if got := driver.mustREST(200, "GET", "/v1/"+apples, nil); got["source"] != "" {
		t.Errorf("a driver reads the source %v of %s", got["source"], apples)
	}
	if got := s.mustREST(200, "GET", "/v1/"+apples, nil); got["source"] != "donations/crates" {
		t.Errorf("the coordinator reads the source %v of %s, want donations/crates", got["source"], apples)
	}
	if code, _ := driver.rest("POST", "/v1/"+apples+":writeOff", object{"quantity": 1, "reason": "x"}); code != http.StatusForbidden {
		t.Errorf("driver writes off: %d, want 403", code)
	}
	staff := s.as(s.issue(supply.RoleStaff, "gkb-7", ""))
	if code, _ := staff.rest("GET", "/v1/depots/green-bazaar/lots", nil); code != http.StatusForbidden {
		t.Errorf("staff lists lots: %d, want 403", code)
	}
}

func TestConcurrentWriteOffsNeverTakeALotBelowZero(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{object{"category": "FRUIT", "description": "apples", "quantity": 30, "unit": "KILOGRAM"}}}})
	apples := s.lotNamed("donations/crates", "apples")
	lotsClient := aqjurekv1.NewLotServiceClient(s.conn())
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, refused := 0, 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := lotsClient.WriteOffLot(context.Background(), &aqjurekv1.WriteOffLotRequest{Name: apples, Quantity: 5, Reason: "spoiled"})
			mu.Lock()
			defer mu.Unlock()
			switch status.Code(err) {
			case codes.OK:
				done++
			case codes.FailedPrecondition:
				refused++
			default:
				t.Errorf("write-off: %v", err)
			}
		}()
	}
	wg.Wait()
	lot, err := lotsClient.GetLot(context.Background(), &aqjurekv1.GetLotRequest{Name: apples})
	if err != nil {
		t.Fatal(err)
	}
	if done != 6 || refused != 4 || lot.GetQuantityOnHand() != 0 || lot.GetWrittenOffQuantity() != 30 {
		t.Errorf("%d write-offs of 5 kg done, %d refused; lot = %v; want 6, 4 and nothing on hand", done, refused, lot)
	}
}
