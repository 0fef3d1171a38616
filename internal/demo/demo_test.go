package demo_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/demo"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// storeClock is what the store's own clock says in these tests: far from
// any operation's time, so a record made at it stands out.
var storeClock = time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return storeClock }
	t.Cleanup(func() { db.Close() })
	return db
}

// eventsOf returns every event of the resource, oldest first.
func eventsOf(t *testing.T, db *store.DB, resource string) []*supply.Event {
	t.Helper()
	events, err := db.ListEvents(context.Background(), supply.EventQuery{Resource: resource, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestAChangeIsRecordedAtItsOperationsTime: the store files a change at
// the time its operation carries (in UTC, to the microsecond it keeps),
// whatever its own clock says, and falls back to its clock for an
// operation without one.
func TestAChangeIsRecordedAtItsOperationsTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openStore(t, dsn)
		almaty := time.FixedZone("Almaty", 5*60*60)
		created := time.Date(2026, 4, 3, 14, 30, 0, 123456789, almaty)
		wantCreated := time.Date(2026, 4, 3, 9, 30, 0, 123456000, time.UTC)
		op := supply.Op{Actor: demo.Actor, Method: "CreateHospital", RequestID: "123e4567-e89b-12d3-a456-426614174000",
			Fingerprint: []byte("hospital h1"), Time: created}
		h, err := db.CreateHospital(ctx, &supply.Hospital{ID: "h1", DisplayName: "Hospital One"}, op)
		if err != nil {
			t.Fatal(err)
		}
		if !h.CreateTime.Equal(wantCreated) || !h.UpdateTime.Equal(wantCreated) {
			t.Errorf("created hospital answers create time %v, update time %v; want both %v", h.CreateTime, h.UpdateTime, wantCreated)
		}
		got, err := db.GetHospital(ctx, "h1")
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreateTime.Equal(wantCreated) || !got.UpdateTime.Equal(wantCreated) {
			t.Errorf("stored hospital has create time %v, update time %v; want both %v", got.CreateTime, got.UpdateTime, wantCreated)
		}
		if events := eventsOf(t, db, "hospitals/h1"); len(events) != 1 || !events[0].Time.Equal(wantCreated) {
			t.Errorf("events of the creation: %+v; want one at %v", events, wantCreated)
		}
		if key := idempotencyKeyTime(t, dsn, op.RequestID); key != "2026-04-03T09:30:00.123456Z" {
			t.Errorf("request id recorded at %q, want the operation's time 2026-04-03T09:30:00.123456Z", key)
		}

		updated := created.Add(time.Hour)
		op = supply.Op{Actor: demo.Actor, Method: "UpdateHospital", Time: updated}
		err = db.Update(ctx, op, func(tx supply.Tx) (err error) {
			h, err = supply.UpdateHospital(tx, "h1", "", func(h *supply.Hospital) error {
				h.Phone = "+7 727 000 0000"
				return nil
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !h.CreateTime.Equal(wantCreated) || !h.UpdateTime.Equal(wantCreated.Add(time.Hour)) {
			t.Errorf("updated hospital: create time %v, update time %v; want %v and %v", h.CreateTime, h.UpdateTime, wantCreated, wantCreated.Add(time.Hour))
		}

		// Without a time of its own the change takes the store's clock.
		op = supply.Op{Actor: demo.Actor, Method: "UpdateHospital"}
		if err = db.Update(ctx, op, func(tx supply.Tx) (err error) {
			h, err = supply.UpdateHospital(tx, "h1", "", func(h *supply.Hospital) error {
				h.Phone = "+7 727 000 0001"
				return nil
			})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !h.UpdateTime.Equal(storeClock) {
			t.Errorf("change without a time updated at %v, want the store's clock %v", h.UpdateTime, storeClock)
		}
		events := eventsOf(t, db, "hospitals/h1")
		var times []time.Time
		for _, e := range events {
			times = append(times, e.Time)
		}
		want := []time.Time{wantCreated, wantCreated.Add(time.Hour), storeClock}
		if len(times) != len(want) {
			t.Fatalf("event times %v, want %v", times, want)
		}
		for i := range want {
			if !times[i].Equal(want[i]) {
				t.Errorf("event %d at %v, want %v", i+1, times[i], want[i])
			}
		}
	})
}

// idempotencyKeyTime reads when the store recorded a request id, straight
// from its table: no API shows it.
func idempotencyKeyTime(t *testing.T, dsn, requestID string) string {
	t.Helper()
	driver := "sqlite3"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	query := "SELECT create_time FROM idempotency_keys WHERE request_id = ?"
	if store.IsPostgres(dsn) {
		query = "SELECT create_time FROM idempotency_keys WHERE request_id = $1"
	}
	var at string
	if err := raw.QueryRowContext(context.Background(), query, requestID).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

// TestLoadFilesEachChangeAtItsPastTime: the demo's history is recorded
// at the times it happened, carried by each change, with no clock of the
// store's swapped: the event log starts with the registrations fifteen
// days back, runs forward in time, ends by now, and holds nothing at the
// store's own clock.
func TestLoadFilesEachChangeAtItsPastTime(t *testing.T) {
	ctx := context.Background()
	db := openStore(t, storetest.DefaultDSN(t))
	now := time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC)
	loaded, err := demo.Load(ctx, db, now)
	if err != nil || !loaded {
		t.Fatalf("Load = %v, %v; want the demo loaded", loaded, err)
	}
	if !db.Now().Equal(storeClock) {
		t.Errorf("the store's clock says %v after the load, want it untouched at %v", db.Now(), storeClock)
	}
	registered := now.Add(-15 * 24 * time.Hour)
	h, err := db.GetHospital(ctx, "central-city")
	if err != nil {
		t.Fatal(err)
	}
	if !h.CreateTime.Equal(registered) {
		t.Errorf("hospital registered at %v, want %v", h.CreateTime, registered)
	}

	var events []*supply.Event
	for after := int64(0); ; {
		page, err := db.ListEvents(ctx, supply.EventQuery{AfterSequence: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		events = append(events, page...)
		after = page[len(page)-1].Sequence
	}
	if len(events) < 100 {
		t.Fatalf("%d events after the load, want the demo's history", len(events))
	}
	if !events[0].Time.Equal(registered) {
		t.Errorf("first event %s at %v, want the registrations at %v", events[0].Resource, events[0].Time, registered)
	}
	for i, e := range events {
		if e.Time.After(now) {
			t.Errorf("event %d (%s %s) at %v, after now %v", e.Sequence, e.Kind, e.Resource, e.Time, now)
		}
		if i > 0 && e.Time.Before(events[i-1].Time) {
			t.Errorf("event %d (%s %s) at %v, before the one it follows at %v", e.Sequence, e.Kind, e.Resource, e.Time, events[i-1].Time)
		}
	}

	r, err := db.GetDeliveryRequest(ctx, "demo-01")
	if err != nil {
		t.Fatal(err)
	}
	filed := eventsOf(t, db, r.Name())
	if len(filed) == 0 || filed[0].Kind != supply.EventCreated || !filed[0].Time.Equal(r.CreateTime) {
		t.Fatalf("events of %s: %+v; want its creation first, at its create time %v", r.Name(), filed, r.CreateTime)
	}
	if age := now.Sub(r.CreateTime); age <= 0 || age > 36*time.Hour {
		t.Errorf("%s filed %v before now, want within the last day and a half", r.Name(), age)
	}
}
