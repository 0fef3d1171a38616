package server_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
)

func TestMetricsCountCallsAndState(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.MetricsAddr = "127.0.0.1:0" })
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	s.rest("GET", "/v1/deliveryRequests/nope", nil)
	resp, err := http.Get("http://" + s.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/metrics on --metrics-addr: %d %v", resp.StatusCode, err)
	}
	for _, want := range []string{
		`aqjurek_calls_total{code="OK",method="/aqjurek.v1.DeliveryRequestService/CreateDeliveryRequest"} 1`,
		`aqjurek_calls_total{code="NotFound",method="/aqjurek.v1.DeliveryRequestService/GetDeliveryRequest"} 1`,
		`aqjurek_call_duration_seconds_count{method="/aqjurek.v1.DeliveryRequestService/CreateDeliveryRequest"} 1`,
		`aqjurek_delivery_requests{state="OPEN"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The database's size: the SQLite file and its log, or the schema's
	// tables on PostgreSQL. The log may have just been checkpointed; the
	// rest holds a need.
	files := []string{"db", "wal"}
	if store.IsPostgres(s.dbPath) {
		files = []string{"postgres"}
	}
	for _, file := range files {
		m := regexp.MustCompile(`(?m)^aqjurek_database_bytes\{file="` + file + `"\} (\d+)$`).FindStringSubmatch(string(body))
		if m == nil || (m[1] == "0" && file != "wal") {
			t.Errorf("/metrics gives the %s size as %v, want bytes", file, m)
		}
	}
}

func TestOverloadIsRefusedFastAndServiceResumes(t *testing.T) {
	t.Parallel()
	// The token may call without limit: what refuses here is the server's bound.
	s := startServer(t, func(c *server.Config) { c.MaxWrites, c.RateLimit = 4, 1e9 })
	s.seed("gkb-7", "icu")
	ctx := context.Background()
	create := func() error {
		_, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
			Ward:          "hospitals/gkb-7/wards/icu",
			Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 5, Unit: aqjurekv1.Unit_LITER}},
			DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
		}})
		return err
	}
	// Far more writers than the server takes at once, for a bounded time.
	var mu sync.Mutex
	counts := map[codes.Code]int{}
	var wg sync.WaitGroup
	stop := time.Now().Add(time.Second)
	for range 80 {
		wg.Go(func() {
			for time.Now().Before(stop) {
				code := status.Code(create())
				mu.Lock()
				counts[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if counts[codes.OK] == 0 || counts[codes.ResourceExhausted] == 0 {
		t.Errorf("under overload: %v; want some served and some refused", counts)
	}
	for code, n := range counts {
		if code != codes.OK && code != codes.ResourceExhausted {
			t.Errorf("%d calls ended %v under overload", n, code)
		}
	}
	t.Logf("under overload: %v", counts)
	// Once the load drops, calls are served again.
	if err := create(); err != nil {
		t.Errorf("after the load: %v", err)
	}
	stored := len(s.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests"))
	if stored != counts[codes.OK]+1 {
		t.Errorf("%d requests stored, %d acknowledged", stored, counts[codes.OK]+1)
	}
}

func TestAClientDeadlineCancelsAWaitingWrite(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	release := s.holdWriteLock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward:          "hospitals/gkb-7/wards/icu",
		Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 5, Unit: aqjurekv1.Unit_LITER}},
		DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
	}})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("a write stuck behind a lock: %v, want DeadlineExceeded", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("the client waited %v", waited)
	}
	release()
	time.Sleep(100 * time.Millisecond) // let the abandoned write give up
	if n := len(s.listAll("/v1/deliveryRequests", "deliveryRequests")); n != 0 {
		t.Errorf("a cancelled create stored %d requests", n)
	}
}
