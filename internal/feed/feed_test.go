package feed_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/feed"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

var op = supply.Op{Actor: supply.Actor{Name: "test", Role: supply.RoleAdmin}}

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func startFeed(t *testing.T, db feed.Source, cfg feed.Config) *feed.Feed {
	t.Helper()
	f, err := feed.New(context.Background(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// hospital creates a hospital with a ward: two events that concern it.
func hospital(t testing.TB, db *store.DB, id string) {
	t.Helper()
	if _, err := db.CreateHospital(context.Background(), &supply.Hospital{ID: id, DisplayName: "Hospital " + id}, op); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(context.Background(), op, func(tx supply.Tx) error {
		_, err := supply.CreateWard(tx, &supply.Ward{HospitalID: id, ID: "icu", DisplayName: "ICU"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// logged is the store's own answer: the sequences a filter matches.
func logged(t *testing.T, db *store.DB, f feed.Filter) []int64 {
	t.Helper()
	var seqs []int64
	for after := int64(0); ; {
		events, err := db.ListEvents(context.Background(), supply.EventQuery{AfterSequence: after, HospitalID: f.HospitalID, VolunteerID: f.VolunteerID, Resource: f.Resource, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			return seqs
		}
		for _, e := range events {
			seqs = append(seqs, e.Sequence)
		}
		after = events[len(events)-1].Sequence
	}
}

// collect watches until it has seen the event with sequence until, and
// returns the sequences it was handed.
func collect(ctx context.Context, f *feed.Feed, after int64, filter feed.Filter, until int64) ([]int64, error) {
	var seqs []int64
	errEnough := errors.New("enough")
	err := f.Watch(ctx, after, filter, func(events []*supply.Event) error {
		for _, e := range events {
			seqs = append(seqs, e.Sequence)
			if e.Sequence >= until {
				return errEnough
			}
		}
		return nil
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	return seqs, err
}

func TestWatchersSeeEveryEventInOrderUnderConcurrentCommits(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	hospital(t, db, "h0")
	hospital(t, db, "h1") // events 1 to 4
	// A small window, so watchers starting from the beginning read the
	// store while commits go on, then join.
	f := startFeed(t, db, feed.Config{Window: 16, Backlog: 4096})

	const writers, each = 4, 25 // two events a hospital: 200 more events
	final := int64(4 + 2*writers*each)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	type result struct {
		name         string
		filter       feed.Filter
		after, until int64
		got          []int64
		err          error
	}
	var results []*result
	var wg sync.WaitGroup
	watch := func(name string, after int64, filter feed.Filter, until int64) {
		r := &result{name: name, filter: filter, after: after, until: until}
		results = append(results, r)
		wg.Go(func() { r.got, r.err = collect(ctx, f, after, filter, until) })
	}
	for i := range 3 {
		watch(fmt.Sprintf("everything, from the start #%d", i), 0, feed.Filter{}, final)
	}
	watch("everything, from 3", 3, feed.Filter{}, final)
	var writing sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			for i := range each {
				hospital(t, db, fmt.Sprintf("w%d-%d", w, i))
			}
		})
	}
	// Watchers that start while the log grows.
	time.Sleep(20 * time.Millisecond)
	watch("everything, joining late", 0, feed.Filter{}, final)
	watch("hospital h1, from the start", 0, feed.Filter{HospitalID: "h1"}, 4)
	writing.Wait()
	late := feed.Filter{HospitalID: fmt.Sprintf("w%d-%d", writers-1, each-1)}
	lateEvents := logged(t, db, late)
	watch("one late hospital", 0, late, lateEvents[len(lateEvents)-1])
	// Resuming from around the oldest event held in memory.
	for back := int64(14); back <= 20; back++ {
		watch(fmt.Sprintf("everything, resuming %d back", back), final-back, feed.Filter{}, final)
	}
	wg.Wait()

	all := logged(t, db, feed.Filter{})
	if int64(len(all)) != final {
		t.Fatalf("setup: %d events logged, want %d", len(all), final)
	}
	for _, r := range results {
		if r.err != nil {
			t.Errorf("%s: %v", r.name, r.err)
			continue
		}
		var want []int64
		for _, seq := range logged(t, db, r.filter) {
			if seq > r.after && seq <= r.until {
				want = append(want, seq)
			}
		}
		if diff := cmp.Diff(want, r.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", r.name, diff)
		}
	}
}

func TestSlowWatcherIsCutOffAndResumesWithoutGaps(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	f := startFeed(t, db, feed.Config{Window: 8, Backlog: 4})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// The watcher takes its first event, then stalls while 20 more commit.
	first, release := make(chan struct{}), make(chan struct{})
	var got []int64
	done := make(chan error, 1)
	go func() {
		done <- f.Watch(ctx, 0, feed.Filter{}, func(events []*supply.Event) error {
			for _, e := range events {
				got = append(got, e.Sequence)
			}
			if len(got) == len(events) && len(got) > 0 {
				close(first)
				<-release
			}
			return nil
		})
	}()
	hospital(t, db, "h0")
	<-first
	for i := range 10 {
		hospital(t, db, fmt.Sprintf("h%d", i+1))
	}
	close(release)
	var behind *feed.BehindError
	select {
	case err := <-done:
		if !errors.As(err, &behind) {
			t.Fatalf("slow watcher ended with %v, want a BehindError", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the slow watcher was not cut off")
	}
	if behind.After != got[len(got)-1] {
		t.Errorf("resume from %d, but the last event handed over was %d", behind.After, got[len(got)-1])
	}
	if want := "watcher fell behind the log; resume with afterSequence=" + fmt.Sprint(behind.After); behind.Error() != want {
		t.Errorf("message %q, want %q", behind.Error(), want)
	}

	// Resuming from there (older than the window by now) misses nothing.
	rest, err := collect(ctx, f, behind.After, feed.Filter{}, 22)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(logged(t, db, feed.Filter{}), append(got, rest...)); diff != "" {
		t.Errorf("before and after the cut (-want +got):\n%s", diff)
	}
}

func TestFeedSeesCommitsOfAnotherProcess(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	f := startFeed(t, db, feed.Config{Poll: 20 * time.Millisecond})
	other, err := store.Open(context.Background(), db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan []int64, 1)
	go func() {
		seqs, err := collect(ctx, f, 0, feed.Filter{Resource: "hospitals/elsewhere/wards/icu"}, 2)
		if err != nil {
			t.Error(err)
		}
		got <- seqs
	}()
	hospital(t, other, "elsewhere")
	if diff := cmp.Diff([]int64{2}, <-got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCloseEndsWatchesCleanly(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	f, err := feed.New(context.Background(), db, feed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	watching := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- f.Watch(context.Background(), 0, feed.Filter{}, func([]*supply.Event) error {
			once.Do(func() { close(watching) })
			return nil
		})
	}()
	hospital(t, db, "h0")
	<-watching
	f.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch after Close: %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch went on after Close")
	}
	if err := f.Watch(context.Background(), 0, feed.Filter{}, func([]*supply.Event) error { return nil }); err != nil {
		t.Errorf("Watch on a closed feed: %v, want nil", err)
	}
}

func TestQuietWatchGetsHeartbeatsAndBusyOneGetsBatches(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	f := startFeed(t, db, feed.Config{Heartbeat: 50 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	calls := make(chan []int64)
	release := make(chan struct{})
	go f.Watch(ctx, 0, feed.Filter{}, func(events []*supply.Event) error {
		var seqs []int64
		for _, e := range events {
			seqs = append(seqs, e.Sequence)
		}
		calls <- seqs
		<-release
		return nil
	})
	start := time.Now()
	for range 3 {
		if seqs := <-calls; len(seqs) != 0 {
			t.Fatalf("a quiet log handed over events %v", seqs)
		}
		release <- struct{}{}
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("three heartbeats after %v, want at least two intervals apart", took)
	}

	// While the watcher is busy with a heartbeat, two commits land; it
	// then gets both events in one call.
	if seqs := <-calls; len(seqs) != 0 {
		t.Fatalf("a quiet log handed over events %v", seqs)
	}
	hospital(t, db, "h0") // two commits, events 1 and 2
	if _, err := collect(ctx, f, 0, feed.Filter{}, 2); err != nil {
		t.Fatal(err)
	}
	release <- struct{}{}
	if seqs := <-calls; len(seqs) != 2 || seqs[0] != 1 || seqs[1] != 2 {
		t.Fatalf("two waiting events arrived as %v, want [1 2] at once", seqs)
	}
	close(release)
}
