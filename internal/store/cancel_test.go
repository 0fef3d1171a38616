package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestCallersGivingUpSpoilNoOtherChange files, updates and creates from many
// callers at once while a random third of them give up at a random moment.
// The writer commits changes in groups, and interrupting one statement
// inside SQLite's transaction rolls the whole group back: every caller that
// did not give up must be answered with success, and every change answered
// with success must be stored. Each call carries a request id, so whether a
// change was committed can be read from the idempotency keys.
func TestCallersGivingUpSpoilNoOtherChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu")
		seedWard(t, db, "gkb-1", "er")

		const workers, calls = 16, 150
		type call struct {
			method, requestID string
			cancelled         bool
			err               error
			// got is what the call returned; headcount is what an update set.
			got       any
			headcount int
		}
		results := make([][]call, workers)
		owned := make([]string, workers) // the request each worker updates
		for w := range owned {
			r := newRequest("gkb-7", "icu", supply.Routine, time.Hour)
			if _, err := createRequest(ctx, db, r, testOp); err != nil {
				t.Fatal(err)
			}
			owned[w] = r.ID
		}

		// giveUp cancels a call at a random moment. The writer runs the changes
		// waiting for it right after each commit, so three moments in four fall
		// just after one, when the change may be running; the others fall
		// anywhere from before the change is queued to after it is committed.
		giveUp := func(cancel context.CancelFunc, done <-chan struct{}) {
			if rand.IntN(4) != 0 {
				select {
				case <-db.Changed():
				case <-done:
					return
				}
				time.Sleep(rand.N(time.Millisecond))
			} else {
				time.Sleep(rand.N(5 * time.Millisecond))
			}
			cancel()
		}

		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range calls {
					c := call{requestID: fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", w, i)}
					callCtx, cancel := context.WithCancel(ctx)
					if rand.IntN(2) == 0 {
						c.cancelled = true
						go giveUp(cancel, callCtx.Done())
					}
					op := testOp
					op.RequestID, op.Fingerprint = c.requestID, []byte(c.requestID)
					switch i % 3 {
					case 0:
						c.method = "CreateDeliveryRequest"
						op.Method = c.method
						h, ward := "gkb-7", "icu"
						if i%2 == 1 {
							h, ward = "gkb-1", "er"
						}
						r := newRequest(h, ward, supply.Urgent, time.Hour)
						r.Lines = append(r.Lines, supply.LineItem{Category: supply.Meals, Description: "plov", Quantity: 40000, Unit: supply.Portion})
						c.got, c.err = createRequest(callCtx, db, r, op)
					case 1:
						c.method, c.headcount = "UpdateDeliveryRequest", i
						op.Method = c.method
						c.got, c.err = updateRequest(callCtx, db, owned[w], op, func(r *supply.DeliveryRequest) error {
							r.Headcount = i
							return nil
						})
					case 2:
						c.method = "CreateWard"
						op.Method = c.method
						c.got, c.err = createWard(callCtx, db, &supply.Ward{HospitalID: "gkb-1", ID: fmt.Sprintf("ward-%d-%d", w, i), DisplayName: "Ward"}, op)
					}
					cancel()
					results[w] = append(results[w], c)
				}
			})
		}
		wg.Wait()
		// A caller that gave up may have returned while its change still waits
		// in the writer's queue. The writer takes changes in order, so once a
		// change queued now is done, every earlier one is done too.
		if err := db.update(ctx, testOp, func(*tx) error { return nil }); err != nil {
			t.Fatal(err)
		}

		committed := map[string]bool{}
		rows, err := db.read.Query("SELECT request_id FROM idempotency_keys")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			committed[id] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()

		failed, cancelled, anyway, creates, wards := 0, 0, 0, 0, 0
		for w, calls := range results {
			lastHeadcount := 0
			for _, c := range calls {
				if c.cancelled {
					cancelled++
					if committed[c.requestID] {
						anyway++
					}
				}
				if !c.cancelled && c.err != nil {
					failed++
					if failed <= 10 {
						t.Errorf("%s %s: its caller did not give up, yet it failed: %v", c.method, c.requestID, c.err)
					}
				}
				if c.err == nil && !committed[c.requestID] {
					t.Errorf("%s %s was answered with success but is not stored", c.method, c.requestID)
				}
				if !committed[c.requestID] {
					continue
				}
				switch c.method {
				case "CreateDeliveryRequest":
					creates++
					if c.err == nil {
						r := c.got.(*supply.DeliveryRequest)
						stored, err := db.GetDeliveryRequest(ctx, r.ID)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(stored, r) {
							t.Errorf("%s returned\n%+v\na read returns\n%+v", c.requestID, r, stored)
						}
					}
				case "UpdateDeliveryRequest":
					lastHeadcount = c.headcount
				case "CreateWard":
					wards++
					if c.err == nil {
						ward := c.got.(*supply.Ward)
						stored, err := db.GetWard(ctx, ward.HospitalID, ward.ID)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(stored, ward) {
							t.Errorf("%s returned\n%+v\na read returns\n%+v", c.requestID, ward, stored)
						}
					}
				}
			}
			r, err := db.GetDeliveryRequest(ctx, owned[w])
			if err != nil {
				t.Fatal(err)
			}
			if r.Headcount != lastHeadcount {
				t.Errorf("request %s has headcount %d, want %d from its last committed update", owned[w], r.Headcount, lastHeadcount)
			}
		}
		if failed > 0 {
			t.Errorf("%d of %d changes whose callers did not give up failed", failed, workers*calls-cancelled)
		}
		// A change whose key is not stored left nothing either: the change and
		// its key are one.
		if n := count(t, db, "SELECT count(*) FROM delivery_requests"); n != workers+creates {
			t.Errorf("%d requests stored, want %d seeded and %d committed", n, workers, creates)
		}
		if n := count(t, db, "SELECT count(*) FROM wards WHERE hospital_id = 'gkb-1' AND id != 'er'"); n != wards {
			t.Errorf("%d wards stored, want %d committed", n, wards)
		}
		checkTotals(t, db)
		t.Logf("%d calls, %d callers gave up, %d of those changes committed anyway", workers*calls, cancelled, anyway)
	})
}
