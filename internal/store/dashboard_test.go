package store

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestDashboardEqualsARecount makes a mix of changes (requests filed in
// three hospitals, one moved and resized, two cancelled, a run that
// delivers at one stop and fails at another) and asks for the dashboard,
// of the city and of each hospital: every figure must equal a recount from
// the requests and runs as the store lists them.
func TestDashboardEqualsARecount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		wards := [][2]string{{"gkb-7", "icu"}, {"gkb-1", "er"}, {"gkb-4", "maternity"}}
		for _, w := range wards {
			seedWard(t, db, w[0], w[1])
		}
		seedDepotAndDriver(t, db)
		priorities := []supply.Priority{supply.Critical, supply.Urgent, supply.Routine, supply.Urgent}
		var ids []string
		for i := range 12 {
			w := wards[i%len(wards)]
			r := newRequest(w[0], w[1], priorities[i%len(priorities)], time.Duration(i%5+1)*time.Hour)
			r.Lines = append(r.Lines, supply.LineItem{Category: supply.Meals, Description: "plov", Quantity: supply.Quantity(10+i) * supply.QuantityScale, Unit: supply.Portion})
			if _, err := createRequest(ctx, db, r, testOp); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if _, err := updateRequest(ctx, db, ids[0], testOp, func(r *supply.DeliveryRequest) error {
			r.HospitalID, r.WardID, r.Lines[0].Quantity = "gkb-4", "maternity", 3000
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[1:3] {
			if _, err := cancelRequest(ctx, db, id, "duplicate", testOp); err != nil {
				t.Fatal(err)
			}
		}
		createRun(t, db)
		for _, step := range []struct {
			kind supply.EventKind
			do   func(w *supply.RunWork) error
		}{
			{supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids[3:9], false) }},
			{supply.EventDispatched, (*supply.RunWork).Dispatch},
			{supply.EventStarted, (*supply.RunWork).Start},
			{supply.EventDelivered, func(w *supply.RunWork) error {
				s := w.Run.Stops[0]
				var lines []supply.DeliveredLine
				for _, id := range s.RequestIDs {
					lines = append(lines, supply.DeliveredLine{RequestID: id, Line: 0, Quantity: 5000},
						supply.DeliveredLine{RequestID: id, Line: 1, Quantity: 5 * supply.QuantityScale})
				}
				return w.Deliver(s.ID, "Nurse", lines, "")
			}},
			{supply.EventFailed, func(w *supply.RunWork) error { return w.Fail(w.Run.Stops[1].ID, "closed") }},
		} {
			if _, err := changeRun(ctx, db, "r1", testOp, step.kind, step.do); err != nil {
				t.Fatal(err)
			}
		}
		checkTotals(t, db)

		now := testNow.Add(3 * time.Hour)
		days := []time.Time{testNow.Add(-24 * time.Hour), testNow.Add(-time.Minute)}
		for _, hospital := range []string{"", "gkb-7", "gkb-1", "gkb-4"} {
			got, err := db.Dashboard(ctx, now, days, hospital)
			if err != nil {
				t.Fatal(err)
			}
			// A state no request is in any more may keep a total of zero.
			for state, n := range got.RequestsByState {
				if n == 0 {
					delete(got.RequestsByState, state)
				}
			}
			if diff := gocmp.Diff(recountDashboard(t, db, now, days, hospital), got); diff != "" {
				t.Errorf("dashboard of %q differs from a recount (-recount +dashboard):\n%s", hospital, diff)
			}
			// The mix reaches every figure, so the comparison is not of empties.
			if hospital == "" && (got.Overdue == 0 || got.RequestsByState[supply.Cancelled] != 2 || len(got.Hospitals) != 3 ||
				len(got.Outstanding) != 2 || len(got.RunsInProgress) != 1 || len(got.DeliveredByDay[1].Quantities) != 2) {
				t.Errorf("the city's dashboard misses a figure the changes made: %+v", got)
			}
		}
	})
}

// recountDashboard computes the dashboard from every request and run the
// store lists, as a person with the lists in hand would.
func recountDashboard(t *testing.T, db *DB, now time.Time, days []time.Time, hospitalID string) *supply.Dashboard {
	t.Helper()
	ctx := context.Background()
	all := supply.Page{Size: 10000}
	requests, _, err := db.ListDeliveryRequests(ctx, supply.DeliveryRequestQuery{HospitalID: hospitalID, Order: supply.DefaultDeliveryRequestOrder, Now: now, Page: all})
	if err != nil {
		t.Fatal(err)
	}
	hospitals, _, err := db.ListHospitals(ctx, supply.HospitalQuery{ShowArchived: true, Page: all})
	if err != nil {
		t.Fatal(err)
	}
	runs, _, err := db.ListRuns(ctx, supply.RunQuery{Page: all})
	if err != nil {
		t.Fatal(err)
	}
	d := &supply.Dashboard{RequestsByState: map[supply.RequestState]int64{}, OpenByPriority: map[supply.Priority]int64{}, ComputeTime: now}
	byID := map[string]*supply.DeliveryRequest{}
	needs := map[string]*supply.HospitalNeeds{}
	outstanding := map[supply.CategoryQuantity]supply.Quantity{}
	for _, r := range requests {
		byID[r.ID] = r
		d.RequestsByState[r.State]++
		if !r.State.Pending() {
			continue
		}
		d.OpenByPriority[r.Priority]++
		n := needs[r.HospitalID]
		if n == nil {
			n = &supply.HospitalNeeds{HospitalID: r.HospitalID}
			needs[r.HospitalID] = n
		}
		n.Open++
		if r.Priority == supply.Critical {
			n.Critical++
		}
		if r.Overdue(now) {
			n.Overdue++
			d.Overdue++
		}
		for _, l := range r.Lines {
			outstanding[supply.CategoryQuantity{Category: l.Category, Unit: l.Unit}] += l.Outstanding()
		}
	}
	for _, h := range hospitals {
		if n, ok := needs[h.ID]; ok {
			n.DisplayName = h.DisplayName
			d.Hospitals = append(d.Hospitals, *n)
		}
	}
	slices.SortFunc(d.Hospitals, func(a, b supply.HospitalNeeds) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Critical, a.Critical), cmp.Compare(b.Open, a.Open),
			cmp.Compare(a.DisplayName, b.DisplayName))
	})
	d.Outstanding = quantities(outstanding)
	d.DeliveredByDay = make([]supply.DayQuantities, len(days))
	delivered := make([]map[supply.CategoryQuantity]supply.Quantity, len(days))
	for i := range days {
		d.DeliveredByDay[i].Day = days[i]
		delivered[i] = map[supply.CategoryQuantity]supply.Quantity{}
	}
	for _, run := range runs {
		p := supply.RunProgress{RunID: run.ID, VolunteerID: run.VolunteerID}
		for _, s := range run.Stops {
			if hospitalID != "" && s.HospitalID != hospitalID {
				continue
			}
			p.StopsTotal++
			if s.State != supply.Pending {
				p.StopsDone++
			}
			day := -1
			for i := range days {
				if !s.DeliverTime.Before(days[i]) {
					day = i
				}
			}
			if s.State != supply.StopDone || day < 0 {
				continue
			}
			for _, dl := range s.Delivered {
				line := byID[dl.RequestID].Lines[dl.Line]
				delivered[day][supply.CategoryQuantity{Category: line.Category, Unit: line.Unit}] += dl.Quantity
			}
		}
		if run.State == supply.InProgress && (hospitalID == "" || p.StopsTotal > 0) {
			v, err := db.GetVolunteer(ctx, run.VolunteerID)
			if err != nil {
				t.Fatal(err)
			}
			p.VolunteerName = v.DisplayName
			d.RunsInProgress = append(d.RunsInProgress, p)
		}
	}
	for i := range days {
		d.DeliveredByDay[i].Quantities = quantities(delivered[i])
	}
	return d
}

// quantities lists the amounts above zero by category and unit, as the
// dashboard does.
func quantities(m map[supply.CategoryQuantity]supply.Quantity) []supply.CategoryQuantity {
	var out []supply.CategoryQuantity
	for k, q := range m {
		if q > 0 {
			k.Quantity = q
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b supply.CategoryQuantity) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Unit, b.Unit))
	})
	return out
}
