package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// The watchers' city: each hospital's staff follow its events on a few
// devices, and a few coordinators follow everything.
const (
	staffPerHospital  = 8
	watchersPerOffice = 200 // one coordinator watcher per this many
)

// Phases of the watcher figure whose deliveries are timed.
const (
	notTiming = iota
	fullSpeed
	paced
	phases
)

// pacedRate is the steady rate, in requests a second, at which deliveries
// are timed besides full speed.
const pacedRate = 100

// pace files requests at a steady rate for the configured duration.
func (c *clients) pace(rate int, file func(int) error) {
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	stop := time.Now().Add(c.cfg.Duration)
	for i := 0; time.Now().Before(stop) && c.ctx.Err() == nil; i++ {
		<-tick.C
		wg.Go(func() {
			if err := file(i); err != nil {
				c.mu.Lock()
				if c.errors < 5 {
					c.cfg.say("paced filing: %v", err)
				}
				c.errors++
				c.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// watchCity is what the watcher figure files into and who watches it.
type watchCity struct {
	hospitals   int
	staff       []string // one staff token per hospital
	coordinator string
}

// measureWatchers files requests with and without cfg.Watchers watchers
// following the log, each on its own connection, and adds how long an
// event took from its commit to each watcher, the two filing rates, and
// the server's memory with the watchers open.
func (c *clients) measureWatchers(ctx context.Context, r *Report, dsn string, srv *server) error {
	n := c.cfg.Watchers
	city, err := c.prepareWatchCity(ctx, dsn, n)
	if err != nil {
		return err
	}
	file := func(i int) error {
		_, err := c.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
			Ward: fmt.Sprintf("hospitals/wh%d/wards/icu", i%city.hospitals),
			Lines: []*aqjurekv1.LineItem{
				{Category: aqjurekv1.Category_FRUIT, Quantity: 12.5, Unit: aqjurekv1.Unit_KILOGRAM},
				{Category: aqjurekv1.Category_MEALS, Quantity: 40, Unit: aqjurekv1.Unit_PORTION},
			},
			DeliverBefore: timestamppb.New(c.now.Add(6 * time.Hour)),
		}})
		return err
	}
	// Filing is measured without watchers before and after, so that a
	// machine whose load drifts does not decide the ratio.
	c.cfg.say("filing requests across %d hospitals with no watchers", city.hospitals)
	c.measureCPU(r, srv, "watch_file_before_watchers", file)

	head, err := c.events.ListEvents(ctx, &aqjurekv1.ListEventsRequest{OrderBy: "sequence desc", PageSize: 1})
	if err != nil || len(head.GetEvents()) == 0 {
		return fmt.Errorf("read the log's head: %v", err)
	}
	after := head.GetEvents()[0].GetSequence()

	c.cfg.say("opening %d watchers, each on its own connection", n)
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	var (
		phase     atomic.Int32 // which of latencies a delivery counts in, if any
		mu        sync.Mutex
		latencies [phases][]time.Duration
		opened    sync.WaitGroup
		running   sync.WaitGroup
		cuts      atomic.Int64
		gaps      atomic.Int64
		failures  atomic.Int64
		firstErr  atomic.Value
	)
	opened.Add(n)
	for i := range n {
		token, all := city.staff[i%city.hospitals], false
		if i%watchersPerOffice == 0 {
			token, all = city.coordinator, true
		}
		running.Go(func() {
			var mine [phases][]time.Duration
			err := watch(watchCtx, c.grpcAddr, token, after, opened.Done, func(e *aqjurekv1.Event, previous int64) {
				if all && e.GetSequence() != previous+1 {
					gaps.Add(1)
				}
				if p := phase.Load(); p != notTiming {
					mine[p] = append(mine[p], time.Since(e.GetEventTime().AsTime()))
				}
			}, func() { cuts.Add(1) })
			if err != nil && watchCtx.Err() == nil {
				failures.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
			mu.Lock()
			for p := range phases {
				latencies[p] = append(latencies[p], mine[p]...)
			}
			mu.Unlock()
		})
	}
	waited := make(chan struct{})
	go func() {
		opened.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-time.After(2 * time.Minute):
		return fmt.Errorf("%d watchers did not open in 2 minutes: %v", n, firstErr.Load())
	}
	if f := failures.Load(); f > 0 {
		return fmt.Errorf("%d watchers failed: %v", f, firstErr.Load())
	}
	r.add("watch_rss_open", float64(srv.rss("VmRSS"))/1024, "MiB")

	c.cfg.say("filing requests across %d hospitals with %d watchers", city.hospitals, n)
	phase.Store(fullSpeed)
	c.measureCPU(r, srv, "watch_file_with_watchers", file)
	r.add("watch_rss", float64(srv.rss("VmRSS"))/1024, "MiB")
	time.Sleep(time.Second) // the last commits reach every watcher
	// Filing at full speed keeps both cores busy, so its deliveries wait
	// for a core; at a steady rate they show what a delivery takes.
	c.cfg.say("filing %d requests a second with %d watchers", pacedRate, n)
	phase.Store(paced)
	c.pace(pacedRate, file)
	time.Sleep(time.Second)
	phase.Store(notTiming)
	stopWatching()
	running.Wait()
	if f := failures.Load(); f > 0 {
		return fmt.Errorf("%d watchers failed: %v", f, firstErr.Load())
	}
	c.cfg.say("filing requests across %d hospitals with the watchers gone", city.hospitals)
	c.measureCPU(r, srv, "watch_file_after_watchers", file)
	r.add("watchers", float64(n), "streams")
	for _, timed := range []struct {
		phase int32
		name  string
	}{{fullSpeed, "watch_delivery"}, {paced, fmt.Sprintf("watch_delivery_at_%d_per_second", pacedRate)}} {
		l := latencies[timed.phase]
		slices.Sort(l)
		r.add(timed.name+"_count", float64(len(l)), "events")
		r.add(timed.name+"_p50", ms(percentile(l, 0.50)), "ms")
		r.add(timed.name+"_p99", ms(percentile(l, 0.99)), "ms")
	}
	r.add("watch_cut_off", float64(cuts.Load()), "streams")
	r.add("watch_gaps", float64(gaps.Load()), "events")
	if g := gaps.Load(); g > 0 {
		c.mu.Lock()
		c.errors += int(g)
		c.mu.Unlock()
	}
	if base := (r.value("watch_file_before_watchers") + r.value("watch_file_after_watchers")) / 2; base > 0 {
		r.Ratios = append(r.Ratios, Figure{Name: "watch_file_with_watchers/watch_file_without_watchers",
			Value: round2(r.value("watch_file_with_watchers") / base), Unit: "(target ≥ 0.8)"})
	}
	return nil
}

// watch follows the log as one device would: on its own connection, and
// when cut off for falling behind, again from the last event it saw.
func watch(ctx context.Context, addr, token string, after int64, opened func(), seen func(e *aqjurekv1.Event, previous int64), cut func()) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithPerRPCCredentials(bearer(token)))
	if err != nil {
		opened()
		return err
	}
	defer conn.Close()
	events := aqjurekv1.NewEventServiceClient(conn)
	once := sync.OnceFunc(opened)
	defer once()
	for {
		stream, err := events.WatchEvents(ctx, &aqjurekv1.WatchEventsRequest{AfterSequence: after})
		if err == nil {
			_, err = stream.Header()
		}
		if err != nil {
			return err
		}
		once()
		for {
			msg, err := stream.Recv()
			if err != nil {
				if status.Code(err) == codes.Aborted {
					cut()
					break
				}
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			for _, e := range msg.GetEvents() {
				seen(e, after)
				after = e.GetSequence()
			}
		}
	}
}

// prepareWatchCity makes hospitals for n watchers, staffPerHospital to
// each, and their tokens, the way "aqjurek token create" does: through the
// store, on either engine, while the server runs.
func (c *clients) prepareWatchCity(ctx context.Context, dsn string, n int) (*watchCity, error) {
	city := &watchCity{hospitals: max(1, n/staffPerHospital)}
	var wg sync.WaitGroup
	errs := make(chan error, city.hospitals)
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for h := range next {
				id := fmt.Sprintf("wh%d", h)
				if err := c.rest("POST", "/v1/hospitals?hospitalId="+id, []byte(fmt.Sprintf(
					`{"displayName":"Hospital %s","location":{"latitude":%g,"longitude":%g}}`, id, 43.1+float64(h%50)/200, 76.8+float64(h/50)/50)), nil); err != nil {
					errs <- err
					continue
				}
				if err := c.rest("POST", "/v1/hospitals/"+id+"/wards?wardId=icu", []byte(`{"displayName":"ICU"}`), nil); err != nil {
					errs <- err
				}
			}
		})
	}
	for h := range city.hospitals {
		next <- h
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, fmt.Errorf("prepare the watchers' hospitals: %w", err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	issue := func(role, hospital string) (string, error) {
		t, secret, err := auth.Issue("Bench watcher "+role+" "+hospital, role, hospital, "", time.Now())
		if err != nil {
			return "", err
		}
		return secret, db.CreateToken(ctx, t)
	}
	for h := range city.hospitals {
		token, err := issue(supply.RoleStaff, fmt.Sprintf("wh%d", h))
		if err != nil {
			return nil, err
		}
		city.staff = append(city.staff, token)
	}
	if city.coordinator, err = issue(supply.RoleCoordinator, ""); err != nil {
		return nil, err
	}
	if staffPerHospital > 20 || n/watchersPerOffice > 20 {
		return nil, errors.New("the watchers' city puts more streams on a token than a server allows by default")
	}
	return city, nil
}

// measureCPU is measure for filing, adding the server's processor time per
// request: on a machine shared with other work, a steadier figure than the
// rate of how much the watchers cost.
func (c *clients) measureCPU(r *Report, srv *server, name string, file func(int) error) {
	before, start := srv.cpu(), time.Now()
	c.measure(r, name, "requests/s", c.cfg.Concurrency, file)
	used, requests := srv.cpu()-before, r.value(name)*time.Since(start).Seconds()
	if requests > 0 {
		r.add(name+"_server_cpu", ms(time.Duration(float64(used)/requests)), "ms/request")
	}
}

// cpu reads the processor time the server has used, user and system.
func (s *server) cpu() time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses: utime
	// and stime are the 14th and 15th of the line, in clock ticks (1/100 s).
	_, rest, _ := strings.Cut(string(data), ") ")
	fields := strings.Fields(rest)
	if len(fields) < 13 {
		return 0
	}
	user, _ := strconv.ParseInt(fields[11], 10, 64)
	system, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(user+system) * 10 * time.Millisecond
}
