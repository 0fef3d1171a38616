package store

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// checkTotals fails the test unless every running total the triggers keep
// equals a recount of the rows, on either engine; on SQLite the file must
// also pass Check.
func checkTotals(t *testing.T, db *DB) {
	t.Helper()
	if db.engine == sqliteEngine {
		findings, err := Check(context.Background(), db.Path())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range findings {
			t.Error(f)
		}
	}
	for _, c := range []struct{ table, stored, recount string }{
		{"request_totals", "SELECT hospital_id, state, priority, requests FROM request_totals WHERE requests != 0",
			"SELECT hospital_id, state, priority, count(*) FROM delivery_requests GROUP BY hospital_id, state, priority"},
		{"outstanding_totals", "SELECT hospital_id, category, unit, quantity FROM outstanding_totals WHERE quantity != 0",
			`SELECT r.hospital_id, l.category, l.unit,
				CAST(sum(CASE WHEN l.quantity > l.delivered_quantity THEN l.quantity - l.delivered_quantity ELSE 0 END) AS bigint)
			FROM delivery_requests r JOIN delivery_request_lines l ON l.delivery_request_id = r.id
			WHERE r.waiting = 1 GROUP BY r.hospital_id, l.category, l.unit`},
	} {
		stored, recounted := totalsOf(t, db, c.stored), totalsOf(t, db, c.recount)
		for k, v := range recounted {
			if v == 0 {
				delete(recounted, k)
			}
		}
		if diff := cmp.Diff(recounted, stored); diff != "" {
			t.Errorf("%s differs from a recount of the rows (-recount +stored):\n%s", c.table, diff)
		}
	}
}

// totalsOf reads rows of three keys and a number into a map.
func totalsOf(t *testing.T, db *DB, query string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	err := each(context.Background(), db.read, query, nil, func(rows *sql.Rows) error {
		var a, b, c string
		var n int64
		err := rows.Scan(&a, &b, &c, &n)
		got[a+" "+b+" "+c] = n
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// seedDepotAndDriver creates the depot "bazaar" and the driver "d".
func seedDepotAndDriver(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Bazaar"}, testOp); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateVolunteer(ctx, &supply.Volunteer{ID: "d", DisplayName: "Driver", CapacityKG: 1000, Active: true}, testOp); err != nil {
		t.Fatal(err)
	}
}

// createRun creates the planned run "r1" of driver "d" from depot "bazaar".
func createRun(t *testing.T, db *DB) {
	t.Helper()
	run := &supply.Run{ID: "r1", VolunteerID: "d", DepotID: "bazaar", PlannedStartTime: testNow.Add(time.Hour)}
	if err := run.PrepareNew(testNow, supply.NewViolations("run")); err != nil {
		t.Fatal(err)
	}
	if _, err := storeRun(context.Background(), db, run, testOp); err != nil {
		t.Fatal(err)
	}
}

func TestTotalsFollowEveryChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		seedWard(t, db, "gkb-1", "er")
		seedDepotAndDriver(t, db)
		var ids []string
		for i := range 6 {
			r := newRequest([]string{"gkb-7", "gkb-1"}[i%2], []string{"icu", "er"}[i%2], supply.Urgent, time.Hour)
			r.Lines = append(r.Lines, supply.LineItem{Category: supply.Meals, Quantity: 20000, Unit: supply.Portion})
			if _, err := createRequest(ctx, db, r, testOp); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		checkTotals(t, db)
		// New lines, a move to another hospital, and a cancel.
		if _, err := updateRequest(ctx, db, ids[0], testOp, func(r *supply.DeliveryRequest) error {
			r.Lines[0].Quantity, r.HospitalID, r.WardID, r.Priority = 3000, "gkb-1", "er", supply.Critical
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := cancelRequest(ctx, db, ids[1], "duplicate", testOp); err != nil {
			t.Fatal(err)
		}
		checkTotals(t, db)
		// A run: assigned, started, one stop short, one failed, then the rest delivered in full.
		createRun(t, db)
		step := func(kind supply.EventKind, do func(w *supply.RunWork) error) {
			t.Helper()
			if _, err := changeRun(ctx, db, "r1", testOp, kind, do); err != nil {
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
			r, err := db.GetDeliveryRequest(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
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
	})
}

// A run's stops are written one by one as they change; whatever the change,
// the run read back must be the run the change made, and no stop, request or
// drop row may be left behind.
func TestRunStopsReadBackAsChanged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		wards := [][2]string{{"gkb-7", "icu"}, {"gkb-1", "er"}, {"gkb-4", "maternity"}}
		for _, w := range wards {
			seedWard(t, db, w[0], w[1])
		}
		seedDepotAndDriver(t, db)
		var ids []string
		for i := range 7 {
			w := wards[i%len(wards)]
			r := newRequest(w[0], w[1], supply.Urgent, time.Hour)
			if _, err := createRequest(ctx, db, r, testOp); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		createRun(t, db)
		// made is the run as the last change left it in memory, before writing;
		// returned is what the change returned, when it returns the run.
		var made, returned *supply.Run
		check := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			stored, err := db.GetRun(ctx, "r1")
			if err != nil {
				t.Fatal(err)
			}
			if returned != nil && !reflect.DeepEqual(stored, returned) {
				t.Errorf("%s: returned\n%+v\na read returns\n%+v", what, returned, stored)
			}
			if !reflect.DeepEqual(stored.Stops, made.Stops) {
				t.Errorf("%s: stored stops\n%+v\nwant\n%+v", what, stored.Stops, made.Stops)
			}
			requests, drops := 0, 0
			for _, s := range made.Stops {
				requests += len(s.RequestIDs)
				drops += len(s.Delivered)
			}
			for table, want := range map[string]int{"stops": len(made.Stops), "stop_requests": requests, "stop_deliveries": drops} {
				if n := count(t, db, "SELECT count(*) FROM "+table+" WHERE run_id = 'r1'"); n != want {
					t.Errorf("%s: %d rows in %s, want %d", what, n, table, want)
				}
			}
		}
		step := func(what string, kind supply.EventKind, do func(w *supply.RunWork) error) *supply.Run {
			t.Helper()
			var err error
			returned, err = changeRun(ctx, db, "r1", testOp, kind, func(w *supply.RunWork) error {
				err := do(w)
				made = w.Run.Clone()
				return err
			})
			check(what, err)
			return returned
		}
		r := step("assign", supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids[:6], false) })
		if len(r.Stops) != 3 {
			t.Fatalf("%d stops, want 3", len(r.Stops))
		}
		step("reorder", supply.EventUpdated, func(w *supply.RunWork) error {
			next := w.Run.Clone()
			next.Stops[0], next.Stops[2] = next.Stops[2], next.Stops[0]
			return w.Revise(next, supply.NewViolations("run"), false)
		})
		last := made.Stops[2]
		step("unassign a whole stop", supply.EventUnassigned, func(w *supply.RunWork) error { return w.Unassign(last.RequestIDs) })
		step("assign one more", supply.EventAssigned, func(w *supply.RunWork) error { return w.Assign(ids[6:], false) })
		_, err := cancelRequest(ctx, db, ids[6], "no longer needed", testOp)
		made.Withdraw(ids[6], 0)
		// The stops left get fresh estimates, each from the run's start.
		afterCancel, rerr := db.GetRun(ctx, "r1")
		if rerr != nil || len(afterCancel.Stops) != len(made.Stops) {
			t.Fatalf("after cancel: %v, %+v", rerr, afterCancel)
		}
		for i, s := range afterCancel.Stops {
			if s.EstimatedArrival.IsZero() || !s.EstimatedArrival.After(afterCancel.PlannedStartTime) {
				t.Errorf("after cancel, stop %s is estimated at %v", s.ID, s.EstimatedArrival)
			}
			made.Stops[i].EstimatedArrival, made.Stops[i].DeadlineAtRisk = s.EstimatedArrival, s.DeadlineAtRisk
		}
		returned = nil
		check("cancel a scheduled request", err)
		step("dispatch", supply.EventDispatched, (*supply.RunWork).Dispatch)
		step("start", supply.EventStarted, (*supply.RunWork).Start)
		r = step("deliver", supply.EventDelivered, func(w *supply.RunWork) error {
			s := w.Run.Stops[1]
			var lines []supply.DeliveredLine
			for _, id := range s.RequestIDs {
				lines = append(lines, supply.DeliveredLine{RequestID: id, Line: 0, Quantity: 5000})
			}
			return w.Deliver(s.ID, "Nurse", lines, "")
		})
		if r.Stops[1].State != supply.StopDone || len(r.Stops[1].Delivered) == 0 {
			t.Errorf("delivered stop %+v", r.Stops[1])
		}
		step("fail", supply.EventFailed, func(w *supply.RunWork) error { return w.Fail(w.Run.Stops[0].ID, "closed") })
		checkTotals(t, db)
	})
}
