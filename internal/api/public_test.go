package api

import (
	"context"
	"sync"
	"testing"
	"time"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/feed"
	"github.com/aqjurek/tracker/internal/supply"
)

// countingStore counts the public summary's reads of the store and keeps
// a change log the feed follows.
type countingStore struct {
	supply.Store
	mu      sync.Mutex
	reads   int
	events  []*supply.Event
	changed chan struct{}
}

func (s *countingStore) Public(context.Context, time.Time) (*supply.PublicData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	return &supply.PublicData{Drops: s.reads}, nil
}

func (s *countingStore) ListEvents(_ context.Context, q supply.EventQuery) ([]*supply.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*supply.Event
	for _, e := range s.events {
		if e.Sequence > q.AfterSequence {
			out = append(out, e)
		}
	}
	if q.Newest {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

func (s *countingStore) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// commit records a change and tells the feed.
func (s *countingStore) commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, &supply.Event{Sequence: int64(len(s.events) + 1)})
	close(s.changed)
	s.changed = make(chan struct{})
}

func TestAFloodOfPublicCallsReadsTheStoreOncePerChange(t *testing.T) {
	store := &countingStore{changed: make(chan struct{})}
	store.commit()
	f, err := feed.New(context.Background(), store, feed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := &publicService{Services: &Services{Store: store, Now: func() time.Time { return time.Date(2026, 4, 3, 4, 0, 0, 0, time.UTC) }, Feed: f}}
	ask := func() *aqjurekv1.PublicSummary {
		t.Helper()
		p, err := s.GetPublicSummary(context.Background(), &aqjurekv1.GetPublicSummaryRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				ask()
			}
		})
	}
	wg.Wait()
	if store.reads != 1 {
		t.Errorf("1000 calls with no change read the store %d times, want once", store.reads)
	}
	store.commit()
	for deadline := time.Now().Add(5 * time.Second); f.Head() != 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the feed did not read the change")
		}
	}
	if p := ask(); p.GetDrops() != 2 || store.reads != 2 {
		t.Errorf("after a change: %d drops from %d reads, want figures read again", p.GetDrops(), store.reads)
	}
	if len(ask().GetWeeks()) != publicWeeks || store.reads != 2 {
		t.Errorf("a call after the change read the store again (%d reads)", store.reads)
	}
}
