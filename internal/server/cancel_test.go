package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/store"
)

// TestClientsGivingUpSpoilNoOtherFiling files needs from many gRPC clients
// at once while half of them give up at random moments. Every filing whose
// client waited must be answered with success, and every filing answered
// with success must be stored as answered; the database must pass the
// check afterwards.
func TestClientsGivingUpSpoilNoOtherFiling(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	const clients, calls = 16, 60
	type filing struct {
		id        string
		cancelled bool
		got       *aqjurekv1.DeliveryRequest
		err       error
	}
	results := make([][]filing, clients)
	// nextCommit is closed at the next event the server streams, that is
	// just after a commit: the writer then runs the changes that waited
	// for it.
	var mu sync.Mutex
	next := make(chan struct{})
	nextCommit := func() <-chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		return next
	}
	watchCtx, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	stream, err := s.events.WatchEvents(watchCtx, &aqjurekv1.WatchEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
			mu.Lock()
			close(next)
			next = make(chan struct{})
			mu.Unlock()
		}
	}()
	// giveUp cancels a call at a random moment: three in four just after a
	// commit, when the change may be running; the others anywhere from
	// before the change is queued to after it is committed.
	giveUp := func(cancel context.CancelFunc, done <-chan struct{}) {
		if rand.IntN(4) != 0 {
			select {
			case <-nextCommit():
			case <-done:
				return
			}
			time.Sleep(rand.N(2 * time.Millisecond))
		} else {
			time.Sleep(rand.N(100 * time.Millisecond))
		}
		cancel()
	}

	var latencies []time.Duration
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range calls {
				f := filing{id: fmt.Sprintf("c%d-%d", c, i)}
				ctx, cancel := context.WithCancel(context.Background())
				if rand.IntN(2) == 0 {
					f.cancelled = true
					go giveUp(cancel, ctx.Done())
				}
				start := time.Now()
				f.got, f.err = s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{
					DeliveryRequestId: f.id,
					RequestId:         fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", c, i),
					DeliveryRequest: &aqjurekv1.DeliveryRequest{
						Ward: "hospitals/gkb-7/wards/icu",
						Lines: []*aqjurekv1.LineItem{
							{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 12.5, Unit: aqjurekv1.Unit_KILOGRAM},
							{Category: aqjurekv1.Category_MEALS, Description: "plov", Quantity: 40, Unit: aqjurekv1.Unit_PORTION},
						},
						Priority:      aqjurekv1.Priority_URGENT,
						DeliverBefore: timestamppb.New(s.clock.Now().Add(6 * time.Hour)),
						Headcount:     int32(i),
					},
				})
				cancel()
				if !f.cancelled {
					mu.Lock()
					latencies = append(latencies, time.Since(start))
					mu.Unlock()
				}
				results[c] = append(results[c], f)
			}
		})
	}
	wg.Wait()

	ctx := context.Background()
	failed, gaveUp, acknowledged := 0, 0, 0
	for _, filings := range results {
		for _, f := range filings {
			if f.cancelled {
				gaveUp++
			}
			if f.err != nil {
				if !f.cancelled {
					failed++
					if failed <= 10 {
						t.Errorf("filing %s: its client waited, yet it failed: %v", f.id, f.err)
					}
				} else if code := status.Code(f.err); code != codes.Canceled {
					t.Errorf("filing %s: its client gave up, yet it failed with %v", f.id, f.err)
				}
				continue
			}
			acknowledged++
			stored, err := s.requests.GetDeliveryRequest(ctx, &aqjurekv1.GetDeliveryRequestRequest{Name: "deliveryRequests/" + f.id})
			if err != nil {
				t.Errorf("filing %s was acknowledged, but reading it: %v", f.id, err)
				continue
			}
			if !proto.Equal(stored, f.got) {
				t.Errorf("filing %s was acknowledged as\n%v\nbut is stored as\n%v", f.id, f.got, stored)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d filings whose clients waited failed", failed, clients*calls-gaveUp)
	}
	findings, err := store.Check(ctx, s.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	slices.Sort(latencies)
	t.Logf("latency p10 %v p50 %v p90 %v", latencies[len(latencies)/10], latencies[len(latencies)/2], latencies[len(latencies)*9/10])
	t.Logf("%d filings, %d clients gave up, %d acknowledged", clients*calls, gaveUp, acknowledged)
}
