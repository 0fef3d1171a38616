package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/feed"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestEventSequenceIsGapFreeInCommitOrder writes from many callers through
// two handles on one database at once while a reader follows the log as a
// watcher does, asking each time for the events after the last it saw. The
// log must number every change 1..n without a gap, and the reader must
// never see an event before every earlier one is visible: it would resume
// after it and miss the earlier one for good.
func TestEventSequenceIsGapFreeInCommitOrder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		// Two handles write, as two servers (PostgreSQL) or a server and a
		// command beside it (SQLite) do; a third reads.
		handles := []*DB{openDB(t, dsn), openDB(t, dsn)}
		reader := openDB(t, dsn)
		const writers, each = 8, 25
		total := int64(writers * each)

		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			db := handles[w%len(handles)]
			wg.Go(func() {
				for i := range each {
					h := &supply.Hospital{ID: fmt.Sprintf("h-%d-%d", w, i), DisplayName: "Hospital"}
					if _, err := db.CreateHospital(ctx, h, testOp); err != nil {
						errs <- err
					}
				}
			})
		}

		// The reader follows until it has seen every change, or the
		// writers are done and a last read finds nothing new.
		var seen []int64
		var last int64
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		deadline := time.Now().Add(time.Minute)
	follow:
		for last < total && time.Now().Before(deadline) {
			finished := false
			select {
			case <-done:
				finished = true
			default:
			}
			events, err := reader.ListEvents(ctx, supply.EventQuery{AfterSequence: last, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.Sequence != last+1 {
					t.Errorf("after event %d the reader saw %d", last, e.Sequence)
					break follow
				}
				seen = append(seen, e.Sequence)
				last = e.Sequence
			}
			if finished && len(events) == 0 {
				break
			}
		}
		<-done
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if last != total {
			t.Errorf("the reader followed the log to %d, want %d", last, total)
		}
		// The whole log, once the writers are done: exactly 1..n.
		var first, latest, n int64
		if err := reader.read.QueryRow("SELECT min(sequence), max(sequence), count(*) FROM events").Scan(&first, &latest, &n); err != nil {
			t.Fatal(err)
		}
		if first != 1 || latest != total || n != total {
			t.Errorf("the log holds %d events numbered %d..%d, want 1..%d", n, first, latest, total)
		}
	})
}

// TestAFeedHearsAnotherServersCommits is PostgreSQL's: only there do
// several servers share one database, and a commit by one must wake the
// watchers of the others (SQLite's file has one server, whose watchers its
// own writer wakes). The feed is told to poll only once an hour, so only
// the notification can bring each change within the second.
func TestAFeedHearsAnotherServersCommits(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t, storetest.Postgres)
	ctx := context.Background()
	writer, watched := openDB(t, dsn), openDB(t, dsn)
	f, err := feed.New(ctx, watched, feed.Config{Poll: time.Hour, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	got := make(chan *supply.Event, 16)
	watchCtx, stop := context.WithCancel(ctx)
	watching := make(chan error, 1)
	go func() {
		watching <- f.Watch(watchCtx, 0, feed.Filter{}, func(events []*supply.Event) error {
			for _, e := range events {
				got <- e
			}
			return nil
		})
	}()
	t.Cleanup(func() {
		stop()
		<-watching
	})
	for i := range 3 {
		id := fmt.Sprintf("h-%d", i)
		start := time.Now()
		if _, err := writer.CreateHospital(ctx, &supply.Hospital{ID: id, DisplayName: "Hospital"}, testOp); err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-got:
			if e.Resource != "hospitals/"+id || e.Sequence != int64(i+1) {
				t.Errorf("the watcher got %+v, want the creation of hospitals/%s as event %d", e, id, i+1)
			}
			t.Logf("change %d reached the other handle's watcher in %v", i+1, time.Since(start).Round(time.Millisecond))
		case <-time.After(time.Second):
			t.Fatalf("change %d made through one handle did not reach a watcher on the other within a second", i+1)
		}
	}
}

// TestEventsNarrowAndPage reads the log as the API's lists of events do:
// newest first, before a sequence, narrowed to a hospital, a volunteer or
// a resource.
func TestEventsNarrowAndPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn)
		ctx := context.Background()
		seedWard(t, db, "gkb-7", "icu") // 1, 2
		seedWard(t, db, "gkb-1", "er")  // 3, 4
		seedDepotAndDriver(t, db)       // 5, 6
		createRun(t, db)                // 7
		sequences := func(q supply.EventQuery) []int64 {
			t.Helper()
			events, err := db.ListEvents(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return names(events, func(e *supply.Event) int64 { return e.Sequence })
		}
		for _, c := range []struct {
			what string
			q    supply.EventQuery
			want []int64
		}{
			{"all", supply.EventQuery{Limit: 100}, []int64{1, 2, 3, 4, 5, 6, 7}},
			{"after 5", supply.EventQuery{AfterSequence: 5, Limit: 100}, []int64{6, 7}},
			{"newest 3", supply.EventQuery{Newest: true, Limit: 3}, []int64{7, 6, 5}},
			{"newest before 5", supply.EventQuery{Newest: true, BeforeSequence: 5, Limit: 2}, []int64{4, 3}},
			{"a hospital's", supply.EventQuery{HospitalID: "gkb-1", Limit: 100}, []int64{3, 4}},
			{"a volunteer's", supply.EventQuery{VolunteerID: "d", Limit: 100}, []int64{7}},
			{"a resource's", supply.EventQuery{Resource: "hospitals/gkb-7/wards/icu", Limit: 100}, []int64{2}},
		} {
			if got := sequences(c.q); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: sequences %v, want %v", c.what, got, c.want)
			}
		}
	})
}
