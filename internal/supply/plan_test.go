package supply

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// planWorld is the Green Bazaar depot, one 100 kg driver and hospitals at
// growing distances west of the depot.
func planWorld() PlanWorld {
	return PlanWorld{
		Volunteers: []*Volunteer{{ID: "aigerim", DisplayName: "Aigerim", CapacityKG: 100, Active: true}},
		Depots:     []*Depot{{ID: "bazaar", DisplayName: "Green Bazaar", Location: depotAt}},
		Hospitals: map[string]*Hospital{
			"near":    {ID: "near", Location: &LatLng{Latitude: 43.2567, Longitude: 76.9430}}, // ~1 km
			"far":     {ID: "far", Location: &LatLng{Latitude: 43.2273, Longitude: 76.8030}},  // ~13 km
			"steppe":  {ID: "steppe", Location: &LatLng{Latitude: 43.35, Longitude: 75.90}},   // ~85 km
			"unknown": {ID: "unknown"},
		},
		FreeFrom: map[string]time.Time{},
	}
}

func need(id, hospital, ward string, kg int64, c Category, due time.Duration, p Priority) *DeliveryRequest {
	u := Kilogram
	if c == Meals {
		u = Portion
		kg *= 2
	}
	return &DeliveryRequest{ID: id, HospitalID: hospital, WardID: ward, Priority: p, State: Open, DeliverBefore: now.Add(due),
		Lines: []LineItem{{Category: c, Quantity: Quantity(kg * QuantityScale), Unit: u}}}
}

func planOf(t *testing.T, world PlanWorld, shift time.Duration) *Plan {
	t.Helper()
	plan, err := MakePlan(context.Background(), world, PlanRequest{Start: now, ShiftEnd: now.Add(shift), TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func reasons(p *Plan) map[string]UnplannedReason {
	out := map[string]UnplannedReason{}
	for _, u := range p.Unplanned {
		if u.Explanation == "" {
			out[u.RequestID] = "no explanation"
			continue
		}
		out[u.RequestID] = u.Reason
	}
	return out
}

func TestMakePlanSaysWhyEachRequestIsLeftOut(t *testing.T) {
	t.Parallel()
	world := planWorld()
	world.Requests = []*DeliveryRequest{
		need("ok", "near", "icu", 10, Fruit, 6*time.Hour, Routine),
		need("heavy", "near", "er", 150, Fruit, 6*time.Hour, Critical),
		need("closed", "far", "icu", 5, Fruit, 10*time.Minute, Urgent),
		need("cold", "steppe", "icu", 5, Meals, 6*time.Hour, Urgent),
		need("nowhere", "unknown", "icu", 5, Fruit, 6*time.Hour, Routine),
	}
	plan := planOf(t, world, 8*time.Hour)
	want := map[string]UnplannedReason{
		"heavy": TooHeavy, "closed": WindowClosed, "cold": TooFarForPerishables, "nowhere": NoLocation,
	}
	if got := reasons(plan); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("unplanned = %v, want %v", got, want)
	}
	if plan.PlannedRequests() != 1 || len(plan.Runs) != 1 || plan.Runs[0].Stops[0].RequestIDs[0] != "ok" {
		t.Errorf("runs = %+v", plan.Runs)
	}

	// The steppe hospital takes 85 km each way: fruit can go, but not within a
	// two-hour shift.
	world.Requests = []*DeliveryRequest{need("steppe", "steppe", "icu", 5, Fruit, 6*time.Hour, Routine)}
	if got := reasons(planOf(t, world, 2*time.Hour)); got["steppe"] != ShiftTooShort {
		t.Errorf("short shift: unplanned = %v, want steppe SHIFT_TOO_SHORT", got)
	}
	if got := planOf(t, world, 10*time.Hour); got.PlannedRequests() != 1 {
		t.Errorf("long shift: %d planned, want 1", got.PlannedRequests())
	}
}

func TestMakePlanServesAWardOnceAndKeepsEveryRule(t *testing.T) {
	t.Parallel()
	world := planWorld()
	world.Volunteers = append(world.Volunteers, &Volunteer{ID: "daniyar", DisplayName: "Daniyar", CapacityKG: 40, Active: true})
	// Daniyar is back from an earlier run only in an hour.
	world.FreeFrom["daniyar"] = now.Add(time.Hour)
	for i := range 6 {
		world.Requests = append(world.Requests,
			need(fmt.Sprintf("icu-%d", i), "near", "icu", 8, Fruit, 5*time.Hour, Urgent),
			need(fmt.Sprintf("far-%d", i), "far", "covid", 9, Meals, 6*time.Hour, Routine))
	}
	plan := planOf(t, world, 8*time.Hour)
	if len(plan.Unplanned) != 0 || plan.PlannedRequests() != 12 {
		t.Fatalf("planned %d, unplanned %+v", plan.PlannedRequests(), plan.Unplanned)
	}
	capacity := map[string]float64{"aigerim": 100, "daniyar": 40}
	for _, r := range plan.Runs {
		wards := map[string]bool{}
		kg := 0.0
		for _, s := range r.Stops {
			if wards[s.WardID] {
				t.Errorf("%s visits ward %s twice: %+v", r.ID, s.WardID, r.Stops)
			}
			wards[s.WardID] = true
			for _, id := range s.RequestIDs {
				for _, q := range world.Requests {
					if q.ID != id {
						continue
					}
					kg += q.OutstandingKG()
					if s.EstimatedArrival.After(q.DeliverBefore) {
						t.Errorf("%s reaches %s at %v, after its deadline %v", r.ID, id, s.EstimatedArrival, q.DeliverBefore)
					}
					if q.Lines[0].Category == Meals && s.EstimatedArrival.Sub(r.PlannedStartTime) > PerishableMaxRide+time.Minute {
						t.Errorf("%s carries meals %v after leaving", r.ID, s.EstimatedArrival.Sub(r.PlannedStartTime))
					}
				}
			}
		}
		if kg > capacity[r.VolunteerID] || kg != r.LoadKG {
			t.Errorf("%s of %s carries %v kg (load %v), capacity %v", r.ID, r.VolunteerID, kg, r.LoadKG, capacity[r.VolunteerID])
		}
		if r.VolunteerID == "daniyar" && r.PlannedStartTime.Before(now.Add(time.Hour)) {
			t.Errorf("daniyar leaves at %v, before he is back at %v", r.PlannedStartTime, now.Add(time.Hour))
		}
	}
}
