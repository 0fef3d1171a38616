package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// The demo's ledger holds: money in is spent plus left in each currency,
// every lot's stock on hand is what it received less what was taken,
// written off and reversed, every quantity the demo's runs delivered is
// traced to lots and through them to donors, and no run was held short.
func TestTheDemoLedgerHoldsAndTracesEveryDeliveredQuantityToItsDonors(t *testing.T) {
	t.Parallel()
	admin := startServer(t, func(c *server.Config) { c.Demo = true })
	s := &ledger{testServer: admin.as(admin.issue(supply.RoleCoordinator, "", "")), donations: aqjurekv1.NewDonationServiceClient(admin.conn())}

	// Money: per currency, in = spent + left, and spent = what was bought.
	spent, left := s.checkBooks(t, "KZT")
	if spent == 0 || left <= 0 {
		t.Errorf("KZT spent %d, left %d: the demo's purchases should spend some and leave some", spent, left)
	}
	if spent, left := s.checkBooks(t, "USD"); spent != 0 || left == 0 {
		t.Errorf("USD spent %d, left %d: dollars are given and kept, never converted", spent, left)
	}
	donations := s.listAll("/v1/donations?pageSize=1000", "donations")
	kinds, publicNaming, reversed := map[any]int{}, map[any]int{}, 0
	for _, d := range donations {
		kinds[d["kind"]]++
		publicNaming[d["donor"].(object)["publicNaming"] == true]++
		if d["reverses"] != nil && d["reverses"] != "" {
			reversed++
		}
	}
	if kinds["MONEY"] < 10 || kinds["GOODS"] < 8 || publicNaming[true] == 0 || publicNaming[false] == 0 || reversed != 1 {
		t.Errorf("demo donations: kinds %v, named publicly %v, %d reversing entries; want both kinds, both namings, one reversal", kinds, publicNaming, reversed)
	}

	// Stock: on hand = received - taken - written off - reversed, at both
	// depots, and one lot spoiled.
	var writtenOff float64
	for _, depot := range []string{"green-bazaar", "auezov-kitchen"} {
		lots := s.listAll("/v1/depots/"+depot+"/lots?pageSize=1000", "lots")
		if len(lots) < 5 {
			t.Errorf("%s holds %d lots", depot, len(lots))
		}
		for _, l := range lots {
			q := func(f string) float64 { v, _ := l[f].(float64); return v }
			if got, want := q("quantityOnHand"), q("receivedQuantity")-q("takenQuantity")-q("writtenOffQuantity")-q("reversedQuantity"); got != want || got < 0 {
				t.Errorf("%s: %v on hand, want %v = received - taken - written off - reversed", l["name"], got, want)
			}
			writtenOff += q("writtenOffQuantity")
		}
	}
	if writtenOff == 0 {
		t.Error("no demo lot was written off as spoiled")
	}

	// Every delivered quantity is traced to lots: the drops of every
	// donation's trace (a purchase's goods appear under each donation
	// that paid for it, so a lot's drop is counted once) sum, by stop,
	// request and kind of goods, to what each stop handed over.
	type line struct{ stop, request, kind string }
	kindOf := map[string]string{}
	kind := func(request string, i int32) string {
		if k, ok := kindOf[fmt.Sprint(request, i)]; ok {
			return k
		}
		r, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: request})
		if err != nil {
			t.Fatal(err)
		}
		for j, l := range r.GetLines() {
			kindOf[fmt.Sprint(request, j)] = fmt.Sprint(l.GetCategory(), " ", l.GetUnit())
		}
		return kindOf[fmt.Sprint(request, i)]
	}
	delivered := map[line]float64{}
	runs, err := s.runs.ListRuns(context.Background(), &aqjurekv1.ListRunsRequest{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	states := map[aqjurekv1.Run_State]bool{}
	for _, r := range runs.GetRuns() {
		states[r.GetState()] = true
		if r.GetStockOverride() {
			t.Errorf("%s went short of stock by override", r.GetName())
		}
		for _, st := range r.GetStops() {
			handed := 0.0
			for _, d := range st.GetDeliveredLines() {
				delivered[line{st.GetName(), d.GetDeliveryRequest(), kind(d.GetDeliveryRequest(), d.GetLine())}] += d.GetQuantity()
				handed += d.GetQuantity()
			}
			if handed > 0 && len(st.GetDonors()) == 0 {
				t.Errorf("%s handed over goods from stock but names no donor", st.GetName())
			}
		}
	}
	if len(states) != 5 || len(delivered) < 3 {
		t.Fatalf("demo runs in states %v with %d delivered lines", states, len(delivered))
	}
	traced := map[line]float64{}
	// seen holds the lots whose drops an earlier trace counted.
	seen := map[string]bool{}
	moneyToWard := ""
	for _, d := range donations {
		out := s.mustREST(200, "GET", "/v1/"+d["name"].(string)+":trace", nil)
		drops, _ := out["drops"].([]any)
		counted := map[string]bool{}
		for _, x := range drops {
			drop := x.(object)
			lot := drop["lot"].(string)
			if d["kind"] == "MONEY" && drop["purchase"] != nil && strings.HasPrefix(fmt.Sprint(drop["ward"]), "hospitals/") && moneyToWard == "" {
				moneyToWard = fmt.Sprintf("%s paid %s, whose %s reached %s", d["name"], drop["purchase"], drop["description"], drop["ward"])
			}
			if seen[lot] && !counted[lot] {
				continue
			}
			seen[lot], counted[lot] = true, true
			traced[line{drop["stop"].(string), drop["deliveryRequest"].(string), fmt.Sprint(drop["category"], " ", drop["unit"])}] += drop["quantity"].(float64)
		}
	}
	for l, q := range delivered {
		if q > 0 && traced[l] != q {
			t.Errorf("%s %s %s: delivered %v, traced to lots %v", l.stop, l.request, l.kind, q, traced[l])
		}
	}
	if moneyToWard == "" {
		t.Error("no demo money donation traces through a purchase to a ward")
	}
	t.Log(moneyToWard)
}
