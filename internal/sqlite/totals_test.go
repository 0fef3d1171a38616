package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// totalsRecount finds rows of the running totals that differ from a recount
// of the requests, in either direction.
var totalsRecount = []struct{ what, query string }{
	{"request totals", `SELECT count(*) FROM request_totals t WHERE t.requests != (SELECT count(*) FROM delivery_requests r
		WHERE r.hospital_id = t.hospital_id AND r.state = t.state AND r.priority = t.priority)`},
	{"requests missing from the totals", `SELECT count(*) FROM (SELECT hospital_id, state, priority FROM delivery_requests GROUP BY 1, 2, 3) c
		WHERE NOT EXISTS (SELECT 1 FROM request_totals t WHERE t.hospital_id = c.hospital_id AND t.state = c.state AND t.priority = c.priority)`},
	{"outstanding totals", `SELECT count(*) FROM outstanding_totals o WHERE o.quantity != (
		SELECT coalesce(sum(max(0, l.quantity - l.delivered_quantity)), 0) FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
		WHERE r.waiting = 1 AND r.hospital_id = o.hospital_id AND l.category = o.category AND l.unit = o.unit)`},
	{"outstanding missing from the totals", `SELECT count(*) FROM (SELECT r.hospital_id, l.category, l.unit FROM delivery_requests r
		JOIN delivery_request_lines l ON l.delivery_request_id = r.id WHERE r.waiting = 1 GROUP BY 1, 2, 3
		HAVING sum(max(0, l.quantity - l.delivered_quantity)) > 0) x
		WHERE NOT EXISTS (SELECT 1 FROM outstanding_totals o WHERE o.hospital_id = x.hospital_id AND o.category = x.category AND o.unit = x.unit)`},
}

func checkTotals(t *testing.T, db *DB) {
	t.Helper()
	for _, c := range totalsRecount {
		if n := count(t, db, c.query); n != 0 {
			t.Errorf("%s: %d rows differ from a recount", c.what, n)
		}
	}
}

func TestTotalsFollowEveryChange(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	ctx := context.Background()
	seedWard(t, db, "gkb-7", "icu")
	seedWard(t, db, "gkb-1", "er")
	db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, testOp)
	db.CreateVolunteer(ctx, &supply.Volunteer{ID: "d", DisplayName: "Driver", CapacityKG: 1000, Active: true}, testOp)
	var ids []string
	for i := range 6 {
		r := newRequest([]string{"gkb-7", "gkb-1"}[i%2], []string{"icu", "er"}[i%2], supply.Urgent, time.Hour)
		r.Lines = append(r.Lines, supply.LineItem{Category: supply.Meals, Quantity: 20000, Unit: supply.Portion})
		if _, err := db.CreateDeliveryRequest(ctx, r, testOp); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	checkTotals(t, db)
	// New lines, a move to another hospital, and a cancel.
	if _, err := db.UpdateDeliveryRequest(ctx, ids[0], "", testOp, func(r *supply.DeliveryRequest) error {
		r.Lines[0].Quantity, r.HospitalID, r.WardID, r.Priority = 3000, "gkb-1", "er", supply.Critical
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CancelDeliveryRequest(ctx, ids[1], "", "duplicate", testOp, nil); err != nil {
		t.Fatal(err)
	}
	checkTotals(t, db)
	// A run: assigned, started, one stop short, one failed, then the rest delivered in full.
	run := &supply.Run{ID: "r1", VolunteerID: "d", DepotID: "bazaar", PlannedStartTime: testNow.Add(time.Hour)}
	run.PrepareNew(testNow, supply.NewViolations("run"))
	if _, err := db.CreateRun(ctx, run, testOp); err != nil {
		t.Fatal(err)
	}
	step := func(kind supply.EventKind, do func(w *supply.RunWork) error) {
		t.Helper()
		if _, err := db.ChangeRun(ctx, "r1", "", testOp, kind, do); err != nil {
			t.Fatal(err)
		}
		checkTotals(t, db)
	}
	step(supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids[2:6], false) })
	step(supply.EventDispatched, (*supply.RunWork).Dispatch)
	step(supply.EventStarted, (*supply.RunWork).Start)
	step(supply.EventDelivered, func(w *supply.RunWork) error {
		s := w.Run.Stops[0]
		var lines []supply.DeliveredLine
		for _, id := range s.RequestIDs {
			lines = append(lines, supply.DeliveredLine{RequestID: id, Line: 0, Quantity: 5000})
		}
		return w.Deliver(s.ID, "Nurse", lines, "")
	})
	step(supply.EventFailed, func(w *supply.RunWork) error { return w.Fail(w.Run.Stops[1].ID, "closed") })
	var open int64
	for _, id := range ids[2:6] {
		r, _ := db.GetDeliveryRequest(ctx, id)
		if r.State == supply.Open {
			open++
		}
	}
	d, err := db.Dashboard(ctx, testNow, []time.Time{testNow.Add(-time.Hour)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.RequestsByState[supply.Cancelled] != 1 || d.RequestsByState[supply.Open] != open+1 {
		t.Errorf("dashboard states %v, want 1 cancelled and %d open", d.RequestsByState, open+1)
	}
}
