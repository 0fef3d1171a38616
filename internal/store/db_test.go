package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

var testNow = time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC)

var testOp = supply.Op{Actor: supply.Actor{Name: "Aigerim S.", Role: "coordinator"}, Method: "Test"}

// openDB opens the database dsn names (from storetest.Each or
// storetest.DSN), closed when the test ends, with the clock at testNow.
// Without a dsn it opens a fresh one on the engine storetest.DefaultDSN
// chooses, as the tests of Check still ask.
func openDB(tb testing.TB, dsn ...string) *DB {
	tb.Helper()
	if len(dsn) == 0 {
		dsn = append(dsn, storetest.DefaultDSN(tb))
	}
	db, err := Open(context.Background(), dsn[0])
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return testNow }
	tb.Cleanup(func() { db.Close() })
	return db
}

// seedWard creates hospital h with ward w.
func seedWard(tb testing.TB, db *DB, h, w string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.CreateHospital(ctx, &supply.Hospital{ID: h, DisplayName: "Hospital " + h}, testOp); err != nil {
		tb.Fatal(err)
	}
	if _, err := createWard(ctx, db, &supply.Ward{HospitalID: h, ID: w, DisplayName: "Ward " + w}, testOp); err != nil {
		tb.Fatal(err)
	}
}

func newRequest(h, w string, priority supply.Priority, due time.Duration) *supply.DeliveryRequest {
	r := &supply.DeliveryRequest{
		ID: supply.NewID(), HospitalID: h, WardID: w, Priority: priority,
		Lines:         []supply.LineItem{{Category: supply.Fruit, Description: "apples", Quantity: 12500, Unit: supply.Kilogram}},
		DeliverBefore: testNow.Add(due),
	}
	if err := r.PrepareNew(testNow, supply.NewViolations("")); err != nil {
		panic(err)
	}
	return r
}

func count(tb testing.TB, db *DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.read.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func codeOf(err error) supply.Code {
	var de *supply.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return 0
}

func TestChangesAndEventsAreWrittenTogether(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		r := newRequest("gkb-7", "icu", supply.Urgent, 6*time.Hour)
		if _, err := createRequest(ctx, db, r, testOp); err != nil {
			t.Fatal(err)
		}
		events, err := db.ListEvents(ctx, supply.EventQuery{Resource: r.Name(), Limit: 10})
		if err != nil || len(events) != 1 {
			t.Fatalf("events = %v, %v; want one", events, err)
		}
		e := events[0]
		if e.Kind != supply.EventCreated || e.Actor != testOp.Actor || e.HospitalID != "gkb-7" || !e.Time.Equal(testNow) ||
			!strings.Contains(e.Summary, "12.5 KILOGRAM FRUIT (apples)") {
			t.Errorf("event = %+v", e)
		}

		// A refused change writes neither the change nor an event.
		before := count(t, db, "SELECT count(*) FROM events")
		dup := newRequest("gkb-7", "icu", supply.Urgent, 6*time.Hour)
		dup.ID = r.ID
		if _, err := createRequest(ctx, db, dup, testOp); codeOf(err) != supply.AlreadyExists {
			t.Errorf("duplicate id: got %v, want AlreadyExists", err)
		}
		missingWard := newRequest("gkb-7", "nope", supply.Urgent, 6*time.Hour)
		if _, err := createRequest(ctx, db, missingWard, testOp); codeOf(err) != supply.Invalid {
			t.Errorf("missing ward: got %v, want Invalid", err)
		}
		if _, err := updateRequest(ctx, db, r.ID, testOp, func(r *supply.DeliveryRequest) error {
			r.Notes = "changed"
			return supply.Errorf(supply.FailedPrecondition, "refused")
		}); codeOf(err) != supply.FailedPrecondition {
			t.Errorf("refused update: got %v", err)
		}
		if n := count(t, db, "SELECT count(*) FROM events"); n != before {
			t.Errorf("events went from %d to %d after refused changes", before, n)
		}
		if got, _ := db.GetDeliveryRequest(ctx, r.ID); got.Notes != "" {
			t.Errorf("refused update left notes %q", got.Notes)
		}
	})
}

func TestUpdateChecksEtagAndSkipsNoOps(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		h, _ := db.GetHospital(ctx, "gkb-7")

		rename := func(name string) func(*supply.Hospital) error {
			return func(h *supply.Hospital) error { h.DisplayName = name; return nil }
		}
		db.Now = func() time.Time { return testNow.Add(time.Minute) }
		updated, err := updateHospital(ctx, db, "gkb-7", h.Etag, testOp, rename("ГКБ №7"))
		if err != nil || updated.Etag == h.Etag || updated.DisplayName != "ГКБ №7" || !updated.UpdateTime.After(updated.CreateTime) {
			t.Fatalf("update = %+v, %v", updated, err)
		}
		// An update returns what it wrote without reading it back: it must be
		// what a read returns, etag and times included.
		if stored, _ := db.GetHospital(ctx, "gkb-7"); !reflect.DeepEqual(stored, updated) {
			t.Errorf("update returned %+v, a read returns %+v", updated, stored)
		}
		if _, err := updateHospital(ctx, db, "gkb-7", h.Etag, testOp, rename("stale")); codeOf(err) != supply.Aborted {
			t.Errorf("stale etag: got %v, want Aborted", err)
		}
		events := count(t, db, "SELECT count(*) FROM events")
		same, err := updateHospital(ctx, db, "gkb-7", "", testOp, rename("ГКБ №7"))
		if err != nil || same.Etag != updated.Etag || count(t, db, "SELECT count(*) FROM events") != events {
			t.Errorf("no-op update changed the etag (%s → %s) or logged an event", updated.Etag, same.Etag)
		}
		if _, err := updateHospital(ctx, db, "nope", "", testOp, rename("x")); codeOf(err) != supply.NotFound {
			t.Errorf("missing hospital: got %v, want NotFound", err)
		}
	})
}

func TestRequestIDMakesCreateAndCancelIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		op := testOp
		op.RequestID, op.Fingerprint = "3f1b2c4d-1111-4222-8333-123456789abc", []byte("same request")
		first, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Routine, time.Hour), op)
		if err != nil {
			t.Fatal(err)
		}
		again, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Routine, time.Hour), op)
		if err != nil || again.ID != first.ID {
			t.Fatalf("retry created %v (%v), want %s", again, err, first.ID)
		}
		if n := count(t, db, "SELECT count(*) FROM delivery_requests"); n != 1 {
			t.Errorf("%d requests stored, want 1", n)
		}
		op.Fingerprint = []byte("another request")
		if _, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Routine, time.Hour), op); codeOf(err) != supply.Invalid {
			t.Errorf("request id reused for another request: got %v, want Invalid", err)
		}

		cancel := testOp
		cancel.Method, cancel.RequestID, cancel.Fingerprint = "Cancel", "0b5a7c9e-2222-4333-8444-abcdefabcdef", []byte("c")
		for i := range 2 {
			r, err := cancelRequest(ctx, db, first.ID, "duplicate", cancel)
			if err != nil || r.State != supply.Cancelled {
				t.Fatalf("cancel #%d = %v, %v", i+1, r, err)
			}
		}
		if _, err := cancelRequest(ctx, db, first.ID, "duplicate", testOp); codeOf(err) != supply.FailedPrecondition {
			t.Errorf("cancel without request id after cancel: got %v, want FailedPrecondition", err)
		}
		if n := count(t, db, "SELECT count(*) FROM events WHERE kind = 'CANCELLED'"); n != 1 {
			t.Errorf("%d cancel events, want 1", n)
		}
	})
}

func TestConcurrentCreatesLoseNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				_, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Urgent, time.Hour), testOp)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := count(t, db, "SELECT count(*) FROM delivery_requests"); got != n {
			t.Errorf("%d requests stored, want %d", got, n)
		}
		if got := count(t, db, "SELECT count(*) FROM events WHERE resource LIKE 'deliveryRequests/%'"); got != n {
			t.Errorf("%d events, want %d", got, n)
		}
	})
}

// TestPagingIsStableUnderConcurrentInserts pages through the most urgent
// requests while others are filed, between pages and through another
// handle at any moment: no page repeats a request, none there before the
// listing began is skipped, and the order holds across pages.
func TestPagingIsStableUnderConcurrentInserts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		priorities := []supply.Priority{supply.Routine, supply.Urgent, supply.Critical}
		want := map[string]bool{}
		for i := range 45 {
			r, err := createRequest(ctx, db, newRequest("gkb-7", "icu", priorities[i%3], time.Duration(i%5+1)*time.Hour), testOp)
			if err != nil {
				t.Fatal(err)
			}
			want[r.ID] = true
		}
		// Another handle files requests all the while, as another server
		// (or, on SQLite, another process) would.
		other := openDB(t, dsn)
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range 60 {
				if _, err := createRequest(ctx, other, newRequest("gkb-7", "icu", priorities[i%3], time.Duration(i%4+1)*time.Hour), testOp); err != nil {
					t.Error(err)
					return
				}
			}
		})
		defer wg.Wait()
		q := supply.DeliveryRequestQuery{Order: supply.DefaultDeliveryRequestOrder, Now: testNow, Page: supply.Page{Size: 7}}
		seen := map[string]bool{}
		var last *supply.DeliveryRequest
		for page := 0; ; page++ {
			items, cursor, err := db.ListDeliveryRequests(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range items {
				if seen[r.ID] {
					t.Fatalf("page %d repeats %s", page, r.ID)
				}
				seen[r.ID] = true
				if last != nil && (last.Priority.Rank() < r.Priority.Rank() ||
					last.Priority == r.Priority && last.DeliverBefore.After(r.DeliverBefore)) {
					t.Errorf("%s (%s %s) listed after %s (%s %s)", r.ID, r.Priority, r.DeliverBefore, last.ID, last.Priority, last.DeliverBefore)
				}
				last = r
			}
			if cursor == nil {
				break
			}
			// Others file requests of every priority between our pages.
			for i := range 3 {
				if _, err := createRequest(ctx, db, newRequest("gkb-7", "icu", priorities[i], time.Duration(i+1)*time.Hour), testOp); err != nil {
					t.Fatal(err)
				}
			}
			q.Page.After = cursor
		}
		for id := range want {
			if !seen[id] {
				t.Errorf("request %s, there before listing began, was skipped", id)
			}
		}
	})
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		seedWard(t, db, "gkb-1", "er")
		make := func(h, w string, p supply.Priority, due time.Duration, category supply.Category) string {
			r := newRequest(h, w, p, due)
			r.Lines[0].Category = category
			if category == supply.Meals {
				r.Lines[0].Unit, r.Lines[0].Quantity = supply.Portion, 20000
			}
			if _, err := createRequest(ctx, db, r, testOp); err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		a := make("gkb-7", "icu", supply.Critical, time.Hour, supply.Fruit)
		b := make("gkb-7", "icu", supply.Routine, 3*time.Hour, supply.Meals)
		c := make("gkb-1", "er", supply.Urgent, 2*time.Hour, supply.Meals)
		d := make("gkb-1", "er", supply.Routine, 5*time.Hour, supply.Fruit)
		cancelRequest(ctx, db, d, "duplicate", testOp)
		yes, no := true, false
		later := testNow.Add(150 * time.Minute)
		for _, tc := range []struct {
			name string
			q    supply.DeliveryRequestQuery
			want []string
		}{
			{"all, most urgent first", supply.DeliveryRequestQuery{}, []string{a, c, b, d}},
			{"hospital", supply.DeliveryRequestQuery{HospitalID: "gkb-1"}, []string{c, d}},
			{"ward", supply.DeliveryRequestQuery{HospitalID: "gkb-7", WardID: "icu"}, []string{a, b}},
			{"states", supply.DeliveryRequestQuery{States: []supply.RequestState{supply.Open, supply.Scheduled}}, []string{a, c, b}},
			{"cancelled", supply.DeliveryRequestQuery{States: []supply.RequestState{supply.Cancelled}}, []string{d}},
			{"category", supply.DeliveryRequestQuery{Category: supply.Meals}, []string{c, b}},
			{"priority", supply.DeliveryRequestQuery{Priority: supply.Routine}, []string{b, d}},
			{"overdue", supply.DeliveryRequestQuery{Overdue: &yes, Now: later}, []string{a, c}},
			{"not overdue", supply.DeliveryRequestQuery{Overdue: &no, Now: later}, []string{b, d}},
			{"combined", supply.DeliveryRequestQuery{HospitalID: "gkb-7", Category: supply.Meals, States: []supply.RequestState{supply.Open}}, []string{b}},
			{"by deadline, latest first", supply.DeliveryRequestQuery{Order: []supply.OrderField{{Field: "deliver_before", Desc: true}}}, []string{d, b, c, a}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.q.Order == nil {
					tc.q.Order = supply.DefaultDeliveryRequestOrder
				}
				if tc.q.Now.IsZero() {
					tc.q.Now = testNow
				}
				tc.q.Page.Size = 10
				items, cursor, err := db.ListDeliveryRequests(ctx, tc.q)
				if err != nil || cursor != nil {
					t.Fatalf("list: %v, cursor %v", err, cursor)
				}
				var got []string
				for _, r := range items {
					got = append(got, r.ID)
					if len(r.Lines) != 1 {
						t.Errorf("%s has %d lines, want 1", r.ID, len(r.Lines))
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestDeleteRefusedWhileRequestsExist(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		seedWard(t, db, "gkb-1", "er")
		if _, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Routine, time.Hour), testOp); err != nil {
			t.Fatal(err)
		}
		if err := deleteHospital(ctx, db, "gkb-7", "", testOp); codeOf(err) != supply.FailedPrecondition ||
			!strings.Contains(err.Error(), "archive it instead") {
			t.Errorf("delete hospital with requests: got %v", err)
		}
		if err := deleteWard(ctx, db, "gkb-7", "icu", "", testOp); codeOf(err) != supply.FailedPrecondition {
			t.Errorf("delete ward with requests: got %v", err)
		}
		if err := deleteHospital(ctx, db, "gkb-1", "", testOp); err != nil {
			t.Fatalf("delete hospital without requests: %v", err)
		}
		if _, err := db.GetWard(ctx, "gkb-1", "er"); codeOf(err) != supply.NotFound {
			t.Errorf("ward of deleted hospital: got %v, want NotFound", err)
		}
		if n := count(t, db, "SELECT count(*) FROM events WHERE kind = 'DELETED' AND resource = 'hospitals/gkb-1'"); n != 1 {
			t.Errorf("%d delete events, want 1", n)
		}
	})
}

// TestARefusedChangeRollsBackAloneInItsGroup files changes at once so the
// writer groups them into shared commits: the refused ones leave nothing
// behind, the others are all stored with their events.
func TestARefusedChangeRollsBackAloneInItsGroup(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		taken := newRequest("gkb-7", "icu", supply.Routine, time.Hour)
		if _, err := createRequest(ctx, db, taken, testOp); err != nil {
			t.Fatal(err)
		}
		const n = 200
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, refused := 0, 0
		for i := range n {
			wg.Go(func() {
				r := newRequest("gkb-7", "icu", supply.Urgent, time.Hour)
				if i%2 == 1 {
					r.ID = taken.ID // refused: the id is taken
				}
				_, err := createRequest(ctx, db, r, testOp)
				mu.Lock()
				defer mu.Unlock()
				switch codeOf(err) {
				case 0:
					stored++
				case supply.AlreadyExists:
					refused++
				default:
					t.Errorf("create %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if stored != n/2 || refused != n/2 {
			t.Fatalf("%d stored and %d refused, want %d of each", stored, refused, n/2)
		}
		if got := count(t, db, "SELECT count(*) FROM delivery_requests"); got != n/2+1 {
			t.Errorf("%d requests in the database, want %d", got, n/2+1)
		}
		if got := count(t, db, "SELECT count(*) FROM events WHERE resource LIKE 'deliveryRequests/%'"); got != n/2+1 {
			t.Errorf("%d events, want one per stored request (%d)", got, n/2+1)
		}
		if got := count(t, db, "SELECT count(*) FROM delivery_request_lines"); got != n/2+1 {
			t.Errorf("%d lines, want %d", got, n/2+1)
		}
	})
}

func TestAPanicInAChangeFailsThatChangeAlone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		_, err := updateHospital(ctx, db, "gkb-7", "", testOp, func(h *supply.Hospital) error {
			h.DisplayName = "half-changed"
			var m map[string]int
			m["boom"]++ // a bug
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "panic in a change") || !strings.Contains(err.Error(), "goroutine") {
			t.Fatalf("a panicking change: %v", err)
		}
		if h, _ := db.GetHospital(ctx, "gkb-7"); h.DisplayName != "Hospital gkb-7" {
			t.Errorf("the panicking change left %q", h.DisplayName)
		}
		if _, err := createRequest(ctx, db, newRequest("gkb-7", "icu", supply.Routine, time.Hour), testOp); err != nil {
			t.Errorf("the writer did not survive the panic: %v", err)
		}
	})
}

func TestUpdateEventsNameWhatChanged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		r := newRequest("gkb-7", "icu", supply.Routine, time.Hour)
		if _, err := createRequest(ctx, db, r, testOp); err != nil {
			t.Fatal(err)
		}
		if _, err := updateRequest(ctx, db, r.ID, testOp, func(r *supply.DeliveryRequest) error {
			r.Notes, r.Lines[0].Quantity = "Side door.", 20000
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		events, _ := db.ListEvents(ctx, supply.EventQuery{Resource: r.Name(), Limit: 10})
		if last := events[len(events)-1].Summary; !strings.HasSuffix(last, "updated: notes, lines") {
			t.Errorf("update event says %q", last)
		}
	})
}
