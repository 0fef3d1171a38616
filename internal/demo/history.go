package demo

// The fortnight's work before the demo's today: each day wards file needs
// in the morning, and two to four runs from both depots take them, load at
// the depot, hand them over (mostly in full; now and then short, or a stop
// that fails), and finish by the early evening. What a short or failed drop
// left goes on the next morning's run from the same depot, so nothing of
// the past is still open when today's runs are planned.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// pastDays is how many days of work come before the demo's today.
const pastDays = 13

// pastGoods is what each depot's runs carry, with a typical amount per
// person: the bazaar's runs take fruit, juice packs, water and tea; the
// kitchen's cook and so also carry meals, vegetables and baursaks.
var pastGoods = map[string][]struct {
	category    supply.Category
	description string
	unit        supply.Unit
	perPerson   float64
}{
	"green-bazaar": {
		{supply.Fruit, "apples (Апорт)", supply.Kilogram, 0.3},
		{supply.Fruit, "bananas", supply.Kilogram, 0.25},
		{supply.Juice, "apple juice, 1 l packs", supply.Piece, 0.5},
		{supply.Water, "still water, 5 l bottles", supply.Piece, 0.2},
		{supply.Other, "green tea and sugar", supply.Box, 0.05},
	},
	"auezov-kitchen": {
		{supply.Meals, "plov with beef (палау)", supply.Portion, 1},
		{supply.Meals, "chicken soup with bread", supply.Portion, 1},
		{supply.Meals, "manty (мәнті)", supply.Portion, 1},
		{supply.Vegetables, "carrots and cabbage for the kitchen", supply.Kilogram, 0.15},
		{supply.Fruit, "apples and pears", supply.Kilogram, 0.3},
		{supply.Juice, "orange juice", supply.Liter, 0.4},
		{supply.Water, "still water, 5 l bottles", supply.Piece, 0.2},
	},
}

// pastSlots are the local times runs are planned at: the last is planned
// early enough that every need of a day is on a run by 15:00, before the
// earliest of today's runs looks for open needs.
var pastSlots = []time.Duration{8 * time.Hour, 10 * time.Hour, 12*time.Hour + 30*time.Minute, 14 * time.Hour}

// pastDrivers take the past runs in turn: vans first, cars for lighter
// loads, never one driver on two runs of a day.
var pastDrivers = []string{"daniyar", "aigerim", "timur", "olga", "nurlan", "asel", "yerlan", "madina"}

var failReasons = []string{
	"Ward closed for disinfection; nobody at the door.",
	"Gate closed: quarantine drill, no vehicles let in.",
	"Nobody answered the ward's phone for twenty minutes.",
}

var shortNotes = []string{
	"Half the load was bruised on the road; the rest comes tomorrow.",
	"The ward had a delivery from another donor and took half.",
	"Only half fitted in the car; the rest goes on the next run.",
}

var receivers = []string{"Гүлнар, аға мейірбике", "Dr. Serik Akhmetov", "Нина Павловна, старшая медсестра",
	"Айжан, постовая медсестра", "Dr. Yelena Pak", "Бауыржан, фельдшер"}

// pastRun is a run of the fortnight before today.
type pastRun struct {
	id, volunteer, depot string
	planned              time.Time
	requests             []string
	// outcome says, for each drop in the order the run makes them, whether
	// it goes in full, short or fails.
	outcome []dropOutcome
	// carries takes what earlier days' short or failed drops of the same
	// depot left open.
	carries bool
	day     int
	needs   map[string]pastNeed
}

type dropOutcome int

const (
	inFull dropOutcome = iota
	short
	failed
)

// pastActions plays the fortnight's needs and runs before today, from a
// fixed seed so every start loads the same history.
func pastActions(ctx context.Context, store supply.Store, now time.Time, wards []*supply.Ward) []action {
	rng := rand.New(rand.NewPCG(2020, 13))
	today := now.In(supply.City)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, supply.City)
	var actions []action
	n := 0
	needs := map[string]pastNeed{}
	for k := pastDays; k >= 1; k-- {
		date := midnight.AddDate(0, 0, -k)
		runs := 2 + rng.IntN(3)
		slots := pastSlots
		if runs < len(slots) {
			slots = slices.Clone(slots)
			for len(slots) > runs {
				i := rng.IntN(len(slots))
				slots = append(slots[:i], slots[i+1:]...)
			}
		}
		used := map[string]bool{}
		carried := map[string]bool{}
		for i, slot := range slots {
			planned := date.Add(slot)
			depot := depots[(i+k)%2].ID
			p := pastRun{depot: depot, planned: planned, carries: !carried[depot], day: k, needs: needs}
			carried[depot] = true
			p.id = fmt.Sprintf("%s-%s-%02d%02d", map[string]string{"green-bazaar": "bazaar", "auezov-kitchen": "kitchen"}[depot],
				strings.ToLower(date.Format("Jan02")), planned.Hour(), planned.Minute())
			kg := 0.0
			for range 2 + rng.IntN(3) {
				n++
				w := wards[rng.IntN(len(wards))]
				filed := planned.Add(-time.Duration(20+rng.IntN(100)) * time.Minute)
				if earliest := date.Add(6*time.Hour + 30*time.Minute); filed.Before(earliest) {
					filed = earliest.Add(time.Duration(rng.IntN(20)) * time.Minute)
				}
				r := &supply.DeliveryRequest{
					ID:            fmt.Sprintf("need-%s-%02d", strings.ToLower(date.Format("Jan02")), n),
					HospitalID:    w.HospitalID,
					WardID:        w.ID,
					Priority:      []supply.Priority{supply.Routine, supply.Routine, supply.Routine, supply.Urgent, supply.Urgent, supply.Critical}[rng.IntN(6)],
					Headcount:     max(4, w.StaffOnShift+rng.IntN(10)-5),
					DeliverBefore: filed.Add(time.Duration(6+rng.IntN(5)) * time.Hour).Truncate(30 * time.Minute),
				}
				menu := pastGoods[depot]
				for _, g := range rng.Perm(len(menu))[:1+rng.IntN(2)] {
					item := menu[g]
					q, _ := supply.QuantityFromFloat(float64(int(max(1, float64(r.Headcount)*item.perPerson) + 0.5)))
					r.Lines = append(r.Lines, supply.LineItem{Category: item.category, Description: item.description, Unit: item.unit, Quantity: q})
					kg += supply.WeightKG(item.unit, q)
				}
				p.requests = append(p.requests, r.ID)
				needs[r.ID] = pastNeed{depot, k}
				actions = append(actions, action{filed, func(op supply.Op) error {
					if err := r.PrepareNew(filed, supply.NewViolations("delivery_request")); err != nil {
						return fmt.Errorf("request %s: %w", r.ID, err)
					}
					err := store.Update(ctx, op, func(tx supply.Tx) error {
						_, err := supply.CreateDeliveryRequest(tx, r)
						return err
					})
					return err
				}})
			}
			// The first driver in turn not yet out that day whose vehicle
			// carries the load with room for what earlier days left; the
			// truck when none does.
			for _, id := range pastDrivers {
				v := volunteers[slices.IndexFunc(volunteers, func(v supply.Volunteer) bool { return v.ID == id })]
				if !used[id] && v.CapacityKG >= kg*1.5 {
					p.volunteer, used[id] = id, true
					break
				}
			}
			if p.volunteer == "" {
				p.volunteer = "yerlan"
			}
			for range p.requests {
				o := inFull
				// Yesterday's drops all go in full, so nothing of the past
				// is open when today's runs are planned.
				if x := rng.IntN(100); k > 1 && x < 6 {
					o = failed
				} else if k > 1 && x < 18 {
					o = short
				}
				p.outcome = append(p.outcome, o)
			}
			actions = append(actions, p.actions(ctx, store)...)
		}
	}
	return actions
}

func (p pastRun) actions(ctx context.Context, store supply.Store) []action {
	step := func(at time.Duration, kind supply.EventKind, do func(w *supply.RunWork) error) action {
		return action{p.planned.Add(at), func(op supply.Op) error {
			if err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.ChangeRun(tx, p.id, "", kind, do)
				return err
			}); err != nil {
				return fmt.Errorf("run %s: %w", p.id, err)
			}
			return nil
		}}
	}
	actions := []action{
		{p.planned, func(op supply.Op) error {
			r := &supply.Run{ID: p.id, VolunteerID: p.volunteer, DepotID: p.depot, PlannedStartTime: p.planned.Add(45 * time.Minute)}
			if err := r.PrepareNew(p.planned, supply.NewViolations("run")); err != nil {
				return fmt.Errorf("run %s: %w", p.id, err)
			}
			err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.CreateRun(tx, r)
				return err
			})
			return err
		}},
		step(5*time.Minute, supply.EventAssigned, func(w *supply.RunWork) error {
			ids := slices.Clone(p.requests)
			if p.carries {
				left, err := leftOpen(ctx, store, p.needs, p.depot, p.day, w.Now)
				if err != nil {
					return err
				}
				ids = append(left, ids...)
			}
			return w.Assign(ids, false)
		}),
		step(15*time.Minute, supply.EventDispatched, (*supply.RunWork).Dispatch),
		step(55*time.Minute, supply.EventStarted, (*supply.RunWork).Start),
	}
	// A stop for each need, and room for the stops of needs carried over;
	// a step that finds no stop pending changes nothing.
	drops := len(p.requests)
	if p.carries {
		drops += 3
	}
	for i := range drops {
		actions = append(actions, step(time.Duration(80+22*i)*time.Minute, supply.EventDelivered, func(w *supply.RunWork) error {
			var s *supply.Stop
			for j := range w.Run.Stops {
				if w.Run.Stops[j].State == supply.Pending {
					s = &w.Run.Stops[j]
					break
				}
			}
			if s == nil {
				return nil // two needs of one ward share a stop
			}
			o := inFull
			if i < len(p.outcome) {
				o = p.outcome[i]
			}
			if o == failed {
				return w.Fail(s.ID, failReasons[(i+len(p.id))%len(failReasons)])
			}
			lines, err := handOver(w, s, o == short)
			if err != nil {
				return err
			}
			note := ""
			if o == short {
				note = shortNotes[(i+len(p.id))%len(shortNotes)]
			}
			return w.Deliver(s.ID, receivers[(i+len(p.id))%len(receivers)], lines, note)
		}))
	}
	last := time.Duration(80+22*(drops-1)) * time.Minute
	actions = append(actions, step(last+35*time.Minute, supply.EventCompleted, (*supply.RunWork).Complete))
	return actions
}

// pastNeed is where a past need was first carried from, and on which day.
type pastNeed struct {
	depot string
	day   int
}

// leftOpen returns the needs of earlier days' runs from depot that a short
// or failed drop left open.
func leftOpen(ctx context.Context, store supply.Store, needs map[string]pastNeed, depot string, day int, now time.Time) ([]string, error) {
	open, _, err := store.ListDeliveryRequests(ctx, supply.DeliveryRequestQuery{
		States: []supply.RequestState{supply.Open}, Order: supply.DefaultDeliveryRequestOrder, Now: now,
		Page: supply.Page{Size: 100},
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range open {
		if n, ok := needs[r.ID]; ok && n.depot == depot && n.day > day {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}
