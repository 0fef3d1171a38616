package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

// The demo holds a working fortnight: on each of the thirteen days before
// today two to four runs from both depots delivered the wards' needs,
// mostly in full, some short, a stop now and then failed with its reason,
// and nothing of those days is left open. A donor on the public page sees
// deliveries in the last two weeks, a coordinator's chart has them on
// most of its fourteen days, over gRPC and REST alike.
func TestTheDemoShowsAFortnightOfDeliveries(t *testing.T) {
	t.Parallel()
	admin := startServer(t, func(c *server.Config) { c.Demo = true })
	s := admin.as(admin.issue(supply.RoleCoordinator, "", ""))
	ctx := context.Background()

	public, err := aqjurekv1.NewPublicServiceClient(s.grpcConn()).GetPublicSummary(ctx, &aqjurekv1.GetPublicSummaryRequest{})
	if err != nil {
		t.Fatal(err)
	}
	weeks := 0
	for _, w := range public.GetWeeks()[len(public.GetWeeks())-3:] {
		if len(w.GetDelivered()) > 0 && w.GetHeadcount() > 0 {
			weeks++
		}
	}
	if weeks < 2 || public.GetDrops() < 80 || len(public.GetHospitals()) != 8 {
		t.Errorf("public summary: deliveries in %d of the last three weeks, %d drops, %d hospitals; want a fortnight of drops to all 8",
			weeks, public.GetDrops(), len(public.GetHospitals()))
	}
	if rest := s.mustREST(200, "GET", "/v1/public", nil); rest["drops"] != float64(public.GetDrops()) {
		t.Errorf("REST public summary shows %v drops, gRPC %d", rest["drops"], public.GetDrops())
	}

	dash, err := aqjurekv1.NewDashboardServiceClient(s.conn()).GetDashboardSummary(ctx, &aqjurekv1.GetDashboardSummaryRequest{})
	if err != nil {
		t.Fatal(err)
	}
	busy := 0
	for _, d := range dash.GetDeliveredByDay() {
		for _, q := range d.GetQuantities() {
			if q.GetQuantity() > 0 {
				busy++
				break
			}
		}
	}
	if len(dash.GetDeliveredByDay()) != 14 || busy < 12 {
		t.Errorf("the dashboard's %d days have deliveries on %d; want them on most of 14", len(dash.GetDeliveredByDay()), busy)
	}
	restBusy := 0
	for _, d := range s.mustREST(200, "GET", "/v1/dashboard", nil)["deliveredByDay"].([]any) {
		for _, q := range d.(object)["quantities"].([]any) {
			if q.(object)["quantity"].(float64) > 0 {
				restBusy++
				break
			}
		}
	}
	if restBusy != busy {
		t.Errorf("REST dashboard has deliveries on %d days, gRPC on %d", restBusy, busy)
	}

	// The runs of the past days: all completed, from both depots, with
	// short drops and failed stops among them, at Almaty's working hours.
	runs, err := aqjurekv1.NewRunServiceClient(s.conn()).ListRuns(ctx, &aqjurekv1.ListRunsRequest{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	today := s.clock.Now().In(supply.City).Format(time.DateOnly)
	perDay, depots := map[string]int{}, map[string]bool{}
	failed, shortDrops := 0, 0
	for _, r := range runs.GetRuns() {
		start := r.GetPlannedStartTime().AsTime().In(supply.City)
		if !strings.HasPrefix(r.GetName(), "runs/bazaar-") && !strings.HasPrefix(r.GetName(), "runs/kitchen-") {
			continue // today's runs
		}
		if start.Format(time.DateOnly) >= today {
			t.Errorf("%s of the past days starts %s", r.GetName(), start.Format(time.DateTime))
		}
		if r.GetState() != aqjurekv1.Run_COMPLETED || start.Hour() < 7 || start.Hour() > 16 {
			t.Errorf("%s: %v, starting %s", r.GetName(), r.GetState(), start.Format(time.DateTime))
		}
		perDay[start.Format(time.DateOnly)]++
		depots[r.GetDepot()] = true
		for _, st := range r.GetStops() {
			switch {
			case st.GetState() == aqjurekv1.Stop_FAILED && st.GetFailureReason() != "":
				failed++
			case st.GetState() == aqjurekv1.Stop_DELIVERED && st.GetNote() != "":
				shortDrops++
			}
		}
	}
	for day, n := range perDay {
		if n < 2 || n > 4 {
			t.Errorf("%d runs on %s, want 2 to 4", n, day)
		}
	}
	if len(perDay) != 13 || len(depots) != 2 || failed == 0 || shortDrops == 0 {
		t.Errorf("past runs on %d days from depots %v, %d failed stops, %d short drops; want 13 days from both, some of each",
			len(perDay), depots, failed, shortDrops)
	}
	for _, r := range s.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
		if name := r["name"].(string); strings.HasPrefix(name, "deliveryRequests/need-") && r["state"] != "DELIVERED" {
			t.Errorf("%s of the past days is %v", name, r["state"])
		}
	}
}

// Today's demo day does not depend on the hour the demo is loaded at:
// the fortnight before it leaves nothing open for today's runs to take,
// and their stock suffices at any hour.
func TestTheDemoDayIsTheSameAtAnyHour(t *testing.T) {
	t.Parallel()
	var first map[string]any
	for _, hour := range []int{0, 6, 14, 23} {
		at := time.Date(2026, 4, 3, hour, 40, 0, 0, supply.City)
		s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, func() time.Time { return at } })
		day := map[string]any{}
		for _, r := range s.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
			name := r["name"].(string)
			switch {
			case strings.HasPrefix(name, "deliveryRequests/demo-"):
				day[name] = fmt.Sprint(r["state"], r["lines"])
			case r["state"] != "DELIVERED":
				t.Errorf("at %02d:40 %s of the past days is %v", hour, name, r["state"])
			}
		}
		runs, err := aqjurekv1.NewRunServiceClient(s.conn()).ListRuns(context.Background(), &aqjurekv1.ListRunsRequest{PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs.GetRuns() {
			if r.GetStockOverride() || r.GetCapacityOverride() {
				t.Errorf("at %02d:40 %s went by override", hour, r.GetName())
			}
			if !strings.HasPrefix(r.GetName(), "runs/bazaar-") && !strings.HasPrefix(r.GetName(), "runs/kitchen-") {
				day[r.GetName()] = fmt.Sprint(r.GetState(), len(r.GetStops()))
			}
		}
		if len(day) != 45 {
			t.Errorf("at %02d:40 today holds %d requests and runs, want 40 and 5", hour, len(day))
		}
		if first == nil {
			first = day
			continue
		}
		for k, v := range first {
			if day[k] != v {
				t.Errorf("at %02d:40 %s is %v; at 00:40 it was %v", hour, k, day[k], v)
			}
		}
	}
}
