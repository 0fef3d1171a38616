// Package demo loads a realistic Almaty data set (hospitals with their
// wards, depots, volunteer drivers, delivery requests filed over the last
// day and a half, thirteen days of needs delivered before today, and a
// fortnight of donations, purchases and depot stock that the runs take
// their load from) so a newcomer sees a living system at once. The names
// of the hospitals are real; addresses, phones and people are made up.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// Actor is who the demo data is recorded as in the event log.
var Actor = supply.Actor{Name: "Demo data", Role: "system"}

type ward struct{ id, name, building, instructions string }

type hospital struct {
	id, name, address, phone, notes string
	lat, lng                        float64
	wards                           []ward
}

var hospitals = []hospital{
	{"central-city", "Central City Clinical Hospital (Орталық қалалық клиникалық аурухана)", "Kazybek Bi St 50 (demo address)", "+7 727 000 0101", "Deliveries through the service gate on the east side.", 43.2567, 76.9430, []ward{
		{"icu", "Intensive care unit", "Main block, 3rd floor", "Hand over at the ICU nurses' post; ring the bell."},
		{"covid-1", "COVID ward 1 (Инфекционное отделение №1)", "Block B, 2nd floor", "Leave at the red zone's clean-side table; call the duty nurse."},
	}},
	{"gkb-1", "City Clinical Hospital No. 1 (ГКБ №1)", "Kalkaman St 1 (demo address)", "+7 727 000 0102", "Security checks vehicles at gate 2.", 43.2194, 76.8522, []ward{
		{"emergency", "Emergency department (Приёмное отделение)", "Ground floor", "Ambulance entrance; ask for the senior nurse."},
		{"therapy", "Therapy ward", "Block A, 4th floor", "Staff room next to the lift."},
	}},
	{"gkb-4", "City Clinical Hospital No. 4 (ГКБ №4)", "Papanin St 220 (demo address)", "+7 727 000 0104", "", 43.2711, 76.9144, []ward{
		{"pulmonology", "Pulmonology (Пульмонология)", "Block C, 2nd floor", "Hand over to the ward's head nurse."},
		{"icu", "Intensive care unit", "Block C, 1st floor", "Ring at the ICU door; do not enter."},
	}},
	{"gkb-5", "City Clinical Hospital No. 5 (ГКБ №5)", "Jandosov St 6 (demo address)", "+7 727 000 0105", "Parking only for 15 minutes by the pharmacy.", 43.2336, 76.8844, []ward{
		{"covid", "COVID ward (Провизорное отделение)", "Infectious block", "Clean-side hatch by the entrance."},
	}},
	{"gkb-7", "City Clinical Hospital No. 7 (ГКБ №7)", "Kalkaman microdistrict (demo address)", "+7 727 000 0107", "Large site: follow signs to the infectious block.", 43.2273, 76.8030, []ward{
		{"infectious-1", "Infectious block 1", "Infectious block, floors 1-2", "Hand over at the clean-zone desk."},
		{"infectious-2", "Infectious block 2", "Infectious block, floors 3-4", "Hand over at the clean-zone desk."},
		{"icu", "Intensive care unit (Реанимация)", "Main block, 2nd floor", "Call the duty doctor from the gate."},
	}},
	{"infectious", "City Infectious Diseases Hospital (Қалалық жұқпалы аурулар ауруханасы)", "Bekmakhanov St 93 (demo address)", "+7 727 000 0110", "Drivers stay outside the red zone; staff collect from the gate.", 43.2975, 76.9405, []ward{
		{"red-zone", "Red zone staff room", "Gate house", "Leave on the trolley by the gate house."},
		{"children", "Children's infectious ward", "Block 3", "Hand over to the ward sister."},
	}},
	{"emergency", "City Emergency Hospital (Жедел медициналық жәрдем ауруханасы)", "Kazybayev St 26 (demo address)", "+7 727 000 0103", "Ambulance crews eat in the dispatch building.", 43.2495, 76.9022, []ward{
		{"ambulance-crews", "Ambulance crews (Станция скорой помощи)", "Dispatch building", "Kitchen on the ground floor; crews change at 08:00 and 20:00."},
		{"trauma", "Trauma surgery", "Main block, 5th floor", "Nurses' post by the lift."},
	}},
	{"children-2", "Children's City Clinical Hospital No. 2 (ДГКБ №2)", "Utepov St 32 (demo address)", "+7 727 000 0112", "", 43.2083, 76.8942, []ward{
		{"paediatric-icu", "Paediatric ICU", "Block A, 2nd floor", "Hand over at the parents' room."},
		{"staff", "Staff room, night shift", "Block A, ground floor", "Ring the staff room; night shift starts at 20:00."},
	}},
}

var depots = []supply.Depot{
	{ID: "green-bazaar", DisplayName: "Green Bazaar donation point (Зелёный базар)", Address: "Zhibek Zholy Ave 53 (demo address)",
		Location: &supply.LatLng{Latitude: 43.2636, Longitude: 76.9535}, Hours: "Daily 07:00-19:00", Phone: "+7 700 000 0201"},
	{ID: "auezov-kitchen", DisplayName: "Volunteer kitchen, Auezov district", Address: "Zhubanov St 10 (demo address)",
		Location: &supply.LatLng{Latitude: 43.2290, Longitude: 76.8610}, Hours: "Daily 06:00-22:00", Phone: "+7 700 000 0202"},
}

var volunteers = []supply.Volunteer{
	{ID: "aigerim", DisplayName: "Aigerim Seitkali", Phone: "+7 701 000 0301", VehicleKind: supply.Car, CapacityKG: 150, Active: true},
	{ID: "daniyar", DisplayName: "Daniyar Zhakupov", Phone: "+7 701 000 0302", VehicleKind: supply.Van, CapacityKG: 600, Active: true},
	{ID: "olga", DisplayName: "Olga Kim", Phone: "+7 701 000 0303", VehicleKind: supply.Car, CapacityKG: 120, Active: true},
	{ID: "yerlan", DisplayName: "Yerlan Abenov", Phone: "+7 701 000 0304", VehicleKind: supply.Truck, CapacityKG: 1500, Active: true},
	{ID: "madina", DisplayName: "Мадина Ахметова", Phone: "+7 701 000 0305", VehicleKind: supply.Car, CapacityKG: 100, Active: true},
	{ID: "timur", DisplayName: "Timur Ospanov", Phone: "+7 701 000 0306", VehicleKind: supply.Van, CapacityKG: 700, Active: true},
	{ID: "asel", DisplayName: "Әсел Бекова", Phone: "+7 701 000 0307", VehicleKind: supply.Car, CapacityKG: 150, Active: true},
	{ID: "sergey", DisplayName: "Sergey Li", Phone: "+7 701 000 0308", VehicleKind: supply.Bicycle, CapacityKG: 20, Active: true},
	{ID: "gulnara", DisplayName: "Гульнара Исаева", Phone: "+7 701 000 0309", VehicleKind: supply.Car, CapacityKG: 130, Active: false},
	{ID: "nurlan", DisplayName: "Nurlan Tokayev", Phone: "+7 701 000 0310", VehicleKind: supply.Van, CapacityKG: 800, Active: true},
}

// goods is what wards ask for, with a typical amount per person.
var goods = []struct {
	category    supply.Category
	description string
	unit        supply.Unit
	perPerson   float64
}{
	{supply.Fruit, "apples (Апорт)", supply.Kilogram, 0.3},
	{supply.Fruit, "bananas", supply.Kilogram, 0.25},
	{supply.Fruit, "oranges and mandarins", supply.Kilogram, 0.3},
	{supply.Vegetables, "cucumbers and tomatoes", supply.Kilogram, 0.2},
	{supply.Vegetables, "carrots and cabbage for the kitchen", supply.Kilogram, 0.15},
	{supply.Juice, "apple juice, 1 l packs", supply.Piece, 0.5},
	{supply.Juice, "orange juice", supply.Liter, 0.4},
	{supply.Meals, "plov with beef (палау)", supply.Portion, 1},
	{supply.Meals, "chicken soup with bread", supply.Portion, 1},
	{supply.Meals, "manty (мәнті)", supply.Portion, 1},
	{supply.Water, "still water, 5 l bottles", supply.Piece, 0.2},
	{supply.Other, "green tea and sugar", supply.Box, 0.05},
	{supply.Other, "baursaks (бауырсақ)", supply.Box, 0.05},
}

var cancelReasons = []string{
	"A donor brought it to the ward directly.",
	"Filed twice by mistake.",
	"Shift moved to another ward.",
}

// Load fills an empty store with the demo data set and reports whether it
// did. Each change is filed at its own past time (the operation's time),
// so the data has history: some requests are overdue, some were cancelled.
func Load(ctx context.Context, store supply.Store, now time.Time) (bool, error) {
	existing, _, err := store.ListHospitals(ctx, supply.HospitalQuery{ShowArchived: true, Page: supply.Page{Size: 1}})
	if err != nil || len(existing) > 0 {
		return false, err
	}
	// The hospitals, depots and drivers are registered a day before the
	// ledger's fortnight begins.
	start := now.Add(-15 * day)
	op := supply.Op{Actor: Actor, Method: "LoadDemoData", Time: start}

	var wards []*supply.Ward
	for _, h := range hospitals {
		if _, err := store.CreateHospital(ctx, &supply.Hospital{ID: h.id, DisplayName: h.name, Address: h.address,
			Location: &supply.LatLng{Latitude: h.lat, Longitude: h.lng}, Phone: h.phone, DeliveryNotes: h.notes}, op); err != nil {
			return false, fmt.Errorf("hospital %s: %w", h.id, err)
		}
		for i, w := range h.wards {
			created := &supply.Ward{HospitalID: h.id, ID: w.id, DisplayName: w.name, Building: w.building,
				DropOffInstructions: w.instructions, StaffOnShift: 12 + 9*i + len(w.name)%17,
				ContactPhone: fmt.Sprintf("+7 727 000 %02d%02d", len(wards), i)}
			err := store.Update(ctx, op, func(tx supply.Tx) (err error) {
				created, err = supply.CreateWard(tx, created)
				return err
			})
			if err != nil {
				return false, fmt.Errorf("ward %s/%s: %w", h.id, w.id, err)
			}
			wards = append(wards, created)
		}
	}
	for _, d := range depots {
		if _, err := store.CreateDepot(ctx, &d, op); err != nil {
			return false, fmt.Errorf("depot %s: %w", d.ID, err)
		}
	}
	for _, v := range volunteers {
		if _, err := store.CreateVolunteer(ctx, &v, op); err != nil {
			return false, fmt.Errorf("volunteer %s: %w", v.ID, err)
		}
	}

	// Requests are filed over the last day and a half, and runs go out
	// among them; everything is played in time order, so the event log
	// reads as the day happened.
	var timeline []action
	rng := rand.New(rand.NewPCG(2020, 4))
	for i := range 40 {
		w := wards[rng.IntN(len(wards))]
		filed := now.Add(-time.Duration(rng.IntN(36*60)) * time.Minute)
		r := &supply.DeliveryRequest{
			ID:         fmt.Sprintf("demo-%02d", i+1),
			HospitalID: w.HospitalID,
			WardID:     w.ID,
			Priority:   []supply.Priority{supply.Routine, supply.Routine, supply.Routine, supply.Urgent, supply.Urgent, supply.Critical}[rng.IntN(6)],
			Headcount:  max(4, w.StaffOnShift+rng.IntN(10)-5),
		}
		// Deadlines are whole half hours from now, so which requests the
		// runs take does not depend on the time of day the demo is loaded.
		due := filed.Add(time.Duration(3+rng.IntN(30)) * time.Hour).Sub(now)
		r.DeliverBefore = now.Add(due.Round(30 * time.Minute))
		if rng.IntN(3) == 0 {
			r.DeliverAfter = r.DeliverBefore.Add(-2 * time.Hour)
		}
		if rng.IntN(4) == 0 {
			r.DietaryNotes = []string{"Halal only.", "Two diabetic staff: no sugar in juice.", "No nuts (allergy)."}[rng.IntN(3)]
		}
		for _, g := range rng.Perm(len(goods))[:1+rng.IntN(3)] {
			item := goods[g]
			amount := max(1, float64(r.Headcount)*item.perPerson)
			q, _ := supply.QuantityFromFloat(float64(int(amount + 0.5)))
			r.Lines = append(r.Lines, supply.LineItem{Category: item.category, Description: item.description, Unit: item.unit, Quantity: q})
		}
		timeline = append(timeline, action{filed, func(op supply.Op) error {
			if err := r.PrepareNew(filed, supply.NewViolations("delivery_request")); err != nil {
				return fmt.Errorf("request %s: %w", r.ID, err)
			}
			err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.CreateDeliveryRequest(tx, r)
				return err
			})
			return err
		}})
		if i%7 == 3 {
			reason := cancelReasons[rng.IntN(len(cancelReasons))]
			timeline = append(timeline, action{filed.Add(40 * time.Minute), func(op supply.Op) error {
				err := store.Update(ctx, op, func(tx supply.Tx) error {
					_, err := supply.CancelDeliveryRequest(tx, r.ID, "", reason)
					return err
				})
				return err
			}})
		}
	}
	timeline = append(timeline, ledgerActions(ctx, store, now)...)
	timeline = append(timeline, pastActions(ctx, store, now, wards)...)
	for _, plan := range runPlans {
		timeline = append(timeline, plan.actions(ctx, store, now)...)
	}
	sort.SliceStable(timeline, func(i, j int) bool { return timeline[i].at.Before(timeline[j].at) })
	for _, a := range timeline {
		op.Time = a.at
		if err := a.do(op); err != nil {
			return false, err
		}
	}
	return true, nil
}

// action is one thing that happened in the demo's day: do makes the
// change with an operation whose time is at.
type action struct {
	at time.Time
	do func(op supply.Op) error
}

// runPlan is a run of the demo's day: when it was planned, who drove it,
// how many of the open requests it took, and how far it got.
type runPlan struct {
	id, volunteer, depot string
	planned              time.Duration // before now
	requests             int
	got                  supply.RunState
	note                 string
}

var runPlans = []runPlan{
	{"morning-bazaar", "daniyar", "green-bazaar", 7 * time.Hour, 4, supply.Completed, "Ward closed for disinfection; nobody at the door."},
	{"lunch-kitchen", "yerlan", "auezov-kitchen", 90 * time.Minute, 4, supply.InProgress, "Only half the apples were left at the bazaar."},
	{"afternoon-bazaar", "timur", "green-bazaar", 30 * time.Minute, 2, supply.Dispatched, ""},
	{"evening-kitchen", "aigerim", "auezov-kitchen", 10 * time.Minute, 2, supply.Planned, ""},
	{"night-bazaar", "nurlan", "green-bazaar", 9 * time.Hour, 2, supply.RunCancelled, "The van broke down."},
}

func (p runPlan) actions(ctx context.Context, store supply.Store, now time.Time) []action {
	planned := now.Add(-p.planned)
	step := func(at time.Duration, kind supply.EventKind, do func(w *supply.RunWork) error) action {
		return action{planned.Add(at), func(op supply.Op) error {
			err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.ChangeRun(tx, p.id, "", kind, do)
				return err
			})
			if err != nil {
				return fmt.Errorf("run %s: %w", p.id, err)
			}
			return nil
		}}
	}
	actions := []action{
		{planned, func(op supply.Op) error {
			r := &supply.Run{ID: p.id, VolunteerID: p.volunteer, DepotID: p.depot, PlannedStartTime: planned.Add(45 * time.Minute)}
			if err := r.PrepareNew(planned, supply.NewViolations("run")); err != nil {
				return fmt.Errorf("run %s: %w", p.id, err)
			}
			err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.CreateRun(tx, r)
				return err
			})
			return err
		}},
		step(5*time.Minute, supply.EventAssigned, func(w *supply.RunWork) error {
			open, _, err := store.ListDeliveryRequests(ctx, supply.DeliveryRequestQuery{
				States: []supply.RequestState{supply.Open}, Order: supply.DefaultDeliveryRequestOrder, Now: w.Now,
				Page: supply.Page{Size: p.requests},
			})
			if err != nil {
				return err
			}
			ids := make([]string, len(open))
			for i, r := range open {
				ids[i] = r.ID
			}
			return w.Assign(ids, true)
		}),
	}
	switch p.got {
	case supply.Planned:
		return actions
	case supply.RunCancelled:
		return append(actions, step(time.Hour, supply.EventCancelled, func(w *supply.RunWork) error { return w.Cancel(p.note) }))
	}
	actions = append(actions, step(10*time.Minute, supply.EventDispatched, (*supply.RunWork).Dispatch))
	if p.got == supply.Dispatched {
		return actions
	}
	actions = append(actions, step(45*time.Minute, supply.EventStarted, (*supply.RunWork).Start))
	// Drops, 25 minutes apart: the completed run hands everything over but
	// fails its last stop; the run in progress has made one drop so far,
	// short by half of the first line.
	drops := p.requests
	if p.got == supply.InProgress {
		drops = 1
	}
	for i := range drops {
		actions = append(actions, step(time.Duration(70+25*i)*time.Minute, supply.EventDelivered, func(w *supply.RunWork) error {
			var s *supply.Stop
			pending := 0
			for j := range w.Run.Stops {
				if w.Run.Stops[j].State == supply.Pending {
					if s == nil {
						s = &w.Run.Stops[j]
					}
					pending++
				}
			}
			switch {
			case s == nil:
				return nil
			case p.got == supply.Completed && pending == 1:
				return w.Fail(s.ID, p.note)
			}
			lines, err := handOver(w, s, p.got == supply.InProgress)
			if err != nil {
				return err
			}
			receivers := []string{"Гүлнар, аға мейірбике", "Dr. Serik Akhmetov", "Нина Павловна, старшая медсестра"}
			return w.Deliver(s.ID, receivers[i%len(receivers)], lines, "")
		}))
	}
	if p.got == supply.Completed {
		actions = append(actions, step(3*time.Hour, supply.EventCompleted, (*supply.RunWork).Complete))
	}
	return actions
}

// handOver is what a drop at stop s hands over: of each line of its
// requests what the run carries, the first line halved (in whole units)
// when short is set. A line of one unit cannot be halved and goes whole,
// so a short drop still hands something over.
func handOver(w *supply.RunWork, s *supply.Stop, short bool) ([]supply.DeliveredLine, error) {
	var lines []supply.DeliveredLine
	for _, id := range s.RequestIDs {
		r, err := w.Requests.Request(id)
		if err != nil {
			return nil, err
		}
		for k, l := range r.Lines {
			q := l.Scheduled
			if q <= 0 {
				continue // handed over in full on an earlier run
			}
			if short && k == 0 && q >= 2*supply.QuantityScale {
				q = q / 2 / supply.QuantityScale * supply.QuantityScale
			}
			lines = append(lines, supply.DeliveredLine{RequestID: id, Line: k, Quantity: q})
		}
	}
	return lines, nil
}
