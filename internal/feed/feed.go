// Package feed follows the change log once for every watcher: one reader
// takes each commit's events from the store, keeps the latest in memory and
// hands each watcher those it may see. A watcher that resumes from further
// back than memory holds reads the gap from the store, then joins; one that
// cannot keep up is cut off with the sequence to resume from.
package feed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// Source is the store the feed reads.
type Source interface {
	// ListEvents returns up to Limit events after AfterSequence, oldest
	// first, narrowed to Resource, HospitalID and VolunteerID when set.
	ListEvents(ctx context.Context, q supply.EventQuery) ([]*supply.Event, error)
	// Changed returns a channel that is closed when the next change commits.
	Changed() <-chan struct{}
}

// Config tunes a feed; zero values take the defaults.
type Config struct {
	// Window is how many of the latest events are kept in memory (4096).
	Window int
	// Backlog is how many events a watcher may have waiting before it is
	// cut off as too slow (1024).
	Backlog int
	// Poll is how often the log is read without a commit signal, so that
	// changes committed by another process are seen too (1 s).
	Poll time.Duration
	// Heartbeat is how long a watch may stay silent: after that long
	// without events its watcher is handed an empty batch, so the client
	// learns the stream is alive (5 s).
	Heartbeat time.Duration
	// Log hears about reads that failed; they are retried at the next poll.
	Log *slog.Logger
}

// readBatch is how many events one read of the store returns at most.
const readBatch = 500

// Filter is what a watcher may and wants to see; empty fields do not narrow.
type Filter struct {
	HospitalID  string
	VolunteerID string
	Resource    string
}

func (f Filter) matches(e *supply.Event) bool {
	return (f.HospitalID == "" || f.HospitalID == e.HospitalID) &&
		(f.VolunteerID == "" || f.VolunteerID == e.VolunteerID) &&
		(f.Resource == "" || f.Resource == e.Resource)
}

func (f Filter) query(after int64) supply.EventQuery {
	return supply.EventQuery{AfterSequence: after, HospitalID: f.HospitalID, VolunteerID: f.VolunteerID, Resource: f.Resource, Limit: readBatch}
}

// BehindError ends a watch whose watcher fell too far behind the log.
type BehindError struct {
	// After is the sequence of the last event handed to the watcher: it
	// resumes from there and misses nothing.
	After int64
}

func (e *BehindError) Error() string {
	return fmt.Sprintf("watcher fell behind the log; resume with afterSequence=%d", e.After)
}

// Feed is the one follower of the change log.
type Feed struct {
	src Source
	cfg Config

	mu sync.Mutex
	// window holds every event with a sequence above floor, up to head,
	// oldest first.
	window      []*supply.Event
	floor, head int64
	// Watchers by what they see, so an event visits only those it concerns.
	all         set
	byHospital  map[string]set
	byVolunteer map[string]set
	stopped     bool

	stop chan struct{}
	done chan struct{}
}

type set map[*watcher]struct{}

// New reads the latest events into memory and starts following the log
// until Close.
func New(ctx context.Context, src Source, cfg Config) (*Feed, error) {
	cfg.Window = cmp.Or(cfg.Window, 4096)
	cfg.Backlog = cmp.Or(cfg.Backlog, 1024)
	cfg.Poll = cmp.Or(cfg.Poll, time.Second)
	cfg.Heartbeat = cmp.Or(cfg.Heartbeat, 5*time.Second)
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	f := &Feed{src: src, cfg: cfg, all: set{}, byHospital: map[string]set{}, byVolunteer: map[string]set{},
		stop: make(chan struct{}), done: make(chan struct{})}
	changed := src.Changed()
	latest, err := src.ListEvents(ctx, supply.EventQuery{Newest: true, Limit: cfg.Window})
	if err != nil {
		return nil, fmt.Errorf("read the latest events: %w", err)
	}
	for i := len(latest) - 1; i >= 0; i-- {
		f.window = append(f.window, latest[i])
	}
	if n := len(f.window); n > 0 {
		f.head = f.window[n-1].Sequence
		if n == cfg.Window {
			f.floor = f.window[0].Sequence - 1
		}
	}
	go f.follow(changed)
	return f, nil
}

// Head is the sequence of the latest event the feed has read: it moves
// with every change, so a figure computed at one head holds until it
// moves, and asking costs no read of the store.
func (f *Feed) Head() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.head
}

// Close stops following the log; every watch ends cleanly.
func (f *Feed) Close() {
	f.mu.Lock()
	if !f.stopped {
		f.stopped = true
		close(f.stop)
	}
	f.mu.Unlock()
	<-f.done
}

// follow reads the log after every commit signal, and at every poll.
func (f *Feed) follow(changed <-chan struct{}) {
	defer close(f.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-f.stop
		cancel()
	}()
	poll := time.NewTicker(f.cfg.Poll)
	defer poll.Stop()
	for {
		select {
		case <-changed:
		case <-poll.C:
		case <-f.stop:
			return
		}
		// Taken before reading, so a commit during the read is not missed.
		changed = f.src.Changed()
		if err := f.read(ctx); err != nil && ctx.Err() == nil {
			f.cfg.Log.Warn("could not read the change log; retrying", "error", err)
		}
	}
}

// read takes every event after head from the store and hands it out.
func (f *Feed) read(ctx context.Context) error {
	for {
		f.mu.Lock()
		after := f.head
		f.mu.Unlock()
		events, err := f.src.ListEvents(ctx, supply.EventQuery{AfterSequence: after, Limit: readBatch})
		if err != nil {
			return err
		}
		f.publish(events)
		if len(events) < readBatch {
			return nil
		}
	}
}

// publish appends events to the window and to the backlog of every
// watcher they concern, cutting off the watchers whose backlog is full.
func (f *Feed) publish(events []*supply.Event) {
	if len(events) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.window = append(f.window, events...)
	if over := len(f.window) - f.cfg.Window; over > 0 {
		f.floor = f.window[over-1].Sequence
		// Copy rather than reslice, so the dropped events can be freed.
		f.window = append(make([]*supply.Event, 0, f.cfg.Window+readBatch), f.window[over:]...)
	}
	f.head = events[len(events)-1].Sequence
	pending := map[*watcher][]*supply.Event{}
	for _, e := range events {
		for _, s := range []set{f.all, f.byHospital[e.HospitalID], f.byVolunteer[e.VolunteerID]} {
			for w := range s {
				if w.filter.matches(e) {
					pending[w] = append(pending[w], e)
				}
			}
		}
	}
	for w, es := range pending {
		if !w.push(es, f.cfg.Backlog) {
			f.remove(w)
		}
	}
}

// add puts a watcher in the feed under what it sees; f.mu is held.
func (f *Feed) add(w *watcher) {
	switch {
	case w.filter.VolunteerID != "":
		addTo(f.byVolunteer, w.filter.VolunteerID, w)
	case w.filter.HospitalID != "":
		addTo(f.byHospital, w.filter.HospitalID, w)
	default:
		f.all[w] = struct{}{}
	}
}

func addTo(m map[string]set, key string, w *watcher) {
	s := m[key]
	if s == nil {
		s = set{}
		m[key] = s
	}
	s[w] = struct{}{}
}

// remove takes a watcher out of the feed; f.mu is held.
func (f *Feed) remove(w *watcher) {
	switch {
	case w.filter.VolunteerID != "":
		removeFrom(f.byVolunteer, w.filter.VolunteerID, w)
	case w.filter.HospitalID != "":
		removeFrom(f.byHospital, w.filter.HospitalID, w)
	default:
		delete(f.all, w)
	}
}

func removeFrom(m map[string]set, key string, w *watcher) {
	delete(m[key], w)
	if len(m[key]) == 0 {
		delete(m, key)
	}
}

// watcher is one follower's place in the feed.
type watcher struct {
	filter Filter
	wake   chan struct{} // holds a token when the backlog has news

	mu      sync.Mutex
	backlog []*supply.Event
	behind  bool
}

// push adds events to the backlog; false when it is full and the watcher
// is cut off.
func (w *watcher) push(events []*supply.Event, limit int) bool {
	w.mu.Lock()
	if len(w.backlog)+len(events) > limit {
		w.behind = true
		w.backlog = nil
	} else {
		w.backlog = append(w.backlog, events...)
	}
	behind := w.behind
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return !behind
}

// take returns the waiting events and whether the watcher was cut off.
func (w *watcher) take() ([]*supply.Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	events := w.backlog
	w.backlog = nil
	return events, w.behind
}

// ErrStopped is returned by Watch for a feed that was closed.
var ErrStopped = errors.New("the change log's feed has stopped")

// Watch hands send every event after the sequence after that the filter
// matches, in order, first those already logged, then each as it commits.
// Events that are waiting together go to one call, so a watcher that is
// handed a busy commit's events pays for one message, not one per event.
// After Heartbeat without events, send is called with none.
// It returns nil when the feed closes, send's error, ctx's error, or a
// *BehindError when the events came faster than send took them.
func (f *Feed) Watch(ctx context.Context, after int64, filter Filter, send func([]*supply.Event) error) error {
	w := &watcher{filter: filter, wake: make(chan struct{}, 1)}
	last := after
	heartbeat := time.NewTimer(f.cfg.Heartbeat)
	defer heartbeat.Stop()
	deliver := func(events []*supply.Event) error {
		first := 0
		for first < len(events) && events[first].Sequence <= last {
			first++
		}
		if first == len(events) {
			return nil
		}
		if err := send(events[first:]); err != nil {
			return err
		}
		last = events[len(events)-1].Sequence
		heartbeat.Reset(f.cfg.Heartbeat)
		return nil
	}
	// Catch up until what is left fits in the backlog, then join.
	for {
		joined, events, h := f.join(w, last)
		if joined {
			break
		}
		if events == nil {
			if h < 0 {
				return nil // stopped
			}
			// Older than memory: read the store. Everything up to h was
			// committed before this read began, so once a read comes back
			// short, nothing up to h is left unseen.
			var err error
			if events, err = f.src.ListEvents(ctx, filter.query(last)); err != nil {
				return err
			}
			if err := deliver(events); err != nil {
				return err
			}
			if len(events) < readBatch {
				last = max(last, h)
			}
			continue
		}
		if err := deliver(events); err != nil {
			return err
		}
	}
	defer func() {
		f.mu.Lock()
		f.remove(w)
		f.mu.Unlock()
	}()
	for {
		events, behind := w.take()
		if behind {
			return &BehindError{After: last}
		}
		if err := deliver(events); err != nil {
			return err
		}
		if len(events) > 0 {
			continue
		}
		select {
		case <-w.wake:
		case <-heartbeat.C:
			if err := send(nil); err != nil {
				return err
			}
			heartbeat.Reset(f.cfg.Heartbeat)
		case <-ctx.Done():
			return ctx.Err()
		case <-f.stop:
			return nil
		}
	}
}

// join registers w when every event after last that it may see is in
// memory and fits its backlog, which it then holds. Otherwise it returns a
// batch of those events to send first, or nil and the head when they are
// no longer in memory (-1 when the feed has stopped).
func (f *Feed) join(w *watcher, last int64) (joined bool, events []*supply.Event, head int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return false, nil, -1
	}
	if last < f.floor {
		return false, nil, f.head
	}
	// The window is in order: find the first event after last.
	lo, hi := 0, len(f.window)
	for lo < hi {
		mid := (lo + hi) / 2
		if f.window[mid].Sequence <= last {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for _, e := range f.window[lo:] {
		if w.filter.matches(e) {
			events = append(events, e)
		}
	}
	if len(events) > f.cfg.Backlog/2 {
		return false, events[:f.cfg.Backlog/2], f.head
	}
	w.backlog = events
	f.add(w)
	return true, nil, f.head
}
