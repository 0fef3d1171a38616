package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/api"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// receive reads n events from a watch stream, failing after a few seconds.
func receive(t *testing.T, stream aqjurekv1.EventService_WatchEventsClient, n int) []*aqjurekv1.Event {
	t.Helper()
	got := make(chan *aqjurekv1.Event)
	errs := make(chan error, 1)
	go func() {
		for sent := 0; sent < n; {
			msg, err := stream.Recv()
			if err != nil {
				errs <- err
				return
			}
			for _, e := range msg.GetEvents() {
				got <- e
				sent++
			}
		}
	}()
	var events []*aqjurekv1.Event
	for len(events) < n {
		select {
		case e := <-got:
			events = append(events, e)
		case err := <-errs:
			t.Fatalf("after %d events: %v", len(events), err)
		case <-time.After(5 * time.Second):
			t.Fatalf("received %d events, want %d", len(events), n)
		}
	}
	return events
}

func TestEventsReplayFollowLiveAndResume(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu") // 2 events
	first := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)

	// The log: every change, in order, with who and what.
	all := s.listAll("/v1/events?pageSize=2", "events")
	if len(all) != 3 || all[2]["resource"] != first || all[2]["kind"] != "CREATED" || all[2]["actor"] == "" ||
		!strings.Contains(all[2]["summary"].(string), "12.5 KILOGRAM FRUIT") {
		t.Fatalf("events = %v", all)
	}
	if only := s.listAll("/v1/events?resource="+first, "events"); len(only) != 1 {
		t.Errorf("events of %s = %v", first, only)
	}
	if after := s.listAll("/v1/events?afterSequence=2", "events"); len(after) != 1 || after[0]["sequence"] != "3" {
		t.Errorf("events after 2 = %v", after)
	}
	for _, path := range []string{"/v1/events?afterSequence=-1", "/v1/events:watch?afterSequence=-1"} {
		if code, _ := s.rest("GET", path, nil); code != 400 {
			t.Errorf("%s: %d, want 400", path, code)
		}
	}

	// A watcher replays from the start, then sees new changes as they commit.
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := s.events.WatchEvents(ctx, &aqjurekv1.WatchEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	replayed := receive(t, stream, 3)
	if replayed[0].GetSequence() != 1 || replayed[2].GetResource() != first {
		t.Errorf("replay = %v", replayed)
	}
	second := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	if live := receive(t, stream, 1); live[0].GetResource() != second || live[0].GetSequence() != 4 {
		t.Errorf("live = %v", live)
	}
	cancel() // the phone loses its connection

	// Meanwhile changes go on; on reconnect nothing is missed or repeated.
	s.mustREST(200, "POST", "/v1/"+second+":cancel", object{"reason": "duplicate"})
	third := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	stream, err = s.events.WatchEvents(context.Background(), &aqjurekv1.WatchEventsRequest{AfterSequence: 4})
	if err != nil {
		t.Fatal(err)
	}
	missed := receive(t, stream, 2)
	if missed[0].GetSequence() != 5 || missed[0].GetKind() != aqjurekv1.Event_CANCELLED || missed[1].GetResource() != third {
		t.Errorf("after reconnect = %v", missed)
	}

	// Over REST the stream is newline-delimited JSON; it needs a token too.
	if resp := s.as("").open("/v1/events:watch"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("watch without a token: %d, want 401", resp.StatusCode)
	}
	resp := s.open("/v1/events:watch?afterSequence=4&resource=" + third)
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() {
		t.Fatalf("no line: %v", lines.Err())
	}
	var msg struct {
		Result struct{ Events []map[string]any }
	}
	if err := json.Unmarshal(lines.Bytes(), &msg); err != nil || len(msg.Result.Events) != 1 ||
		msg.Result.Events[0]["resource"] != third || msg.Result.Events[0]["kind"] != "CREATED" {
		t.Errorf("REST watch line %s: %v", lines.Bytes(), err)
	}
}

func TestShutdownEndsWatchStreamsCleanly(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	stream, err := s.events.WatchEvents(context.Background(), &aqjurekv1.WatchEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Header(); err != nil { // the server is following the log
		t.Fatal(err)
	}
	resp := s.open("/v1/events:watch") // returns once the REST stream has opened
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	if _, err := stream.Recv(); err != io.EOF {
		t.Errorf("gRPC watcher got %v, want a clean end of stream", err)
	}
	if rest, err := io.ReadAll(resp.Body); err != nil {
		t.Errorf("REST watcher: %v (%s)", err, rest)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Error("Shutdown waited on the watchers")
	}
}

func TestDashboardAgreesWithTheData(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	s.fleet("aigerim", 500)
	file := func(ward, priority string, kg float64, due time.Duration) string {
		b := s.need(ward)
		b["priority"] = priority
		b["deliverBefore"] = s.clock.Now().Add(due).Format(time.RFC3339)
		b["lines"] = []any{object{"category": "FRUIT", "quantity": kg, "unit": "KILOGRAM"}, object{"category": "MEALS", "quantity": 10, "unit": "PORTION"}}
		return s.mustREST(200, "POST", "/v1/deliveryRequests", b)["name"].(string)
	}
	a := file("hospitals/gkb-7/wards/icu", "CRITICAL", 10, time.Hour)
	b := file("hospitals/gkb-7/wards/icu", "ROUTINE", 4, 5*time.Hour)
	c := file("hospitals/gkb-1/wards/er", "URGENT", 6, 5*time.Hour)
	d := file("hospitals/gkb-1/wards/er", "ROUTINE", 1, 5*time.Hour)
	s.mustREST(200, "POST", "/v1/"+d+":cancel", object{"reason": "duplicate"})
	s.plan("morning", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{b, c}})
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	run := s.mustREST(200, "POST", "/v1/runs/morning:start", object{})
	var stopOfB string
	for _, st := range run["stops"].([]any) {
		if st.(object)["ward"] == "hospitals/gkb-7/wards/icu" {
			stopOfB = st.(object)["name"].(string)
		}
	}
	s.mustREST(200, "POST", "/v1/"+stopOfB+":deliver", object{"receivedBy": "Nurse", "lines": []any{
		object{"deliveryRequest": b, "line": 0, "quantity": 4}, object{"deliveryRequest": b, "line": 1, "quantity": 6},
	}})
	s.clock.Advance(2 * time.Hour) // a is now overdue

	sum := s.mustREST(200, "GET", "/v1/dashboard", nil)
	counts := func(field, key string) map[string]float64 {
		out := map[string]float64{}
		for _, x := range sum[field].([]any) {
			out[x.(object)[key].(string)] = x.(object)["count"].(float64)
		}
		return out
	}
	quantities := func(field string) string {
		var parts []string
		for _, x := range sum[field].([]any) {
			q := x.(object)
			parts = append(parts, fmt.Sprintf("%v %v %v", q["quantity"], q["unit"], q["category"]))
		}
		return strings.Join(parts, ", ")
	}
	// b was short on meals, so it is OPEN again; c is in transit; d cancelled.
	wantStates := map[string]float64{"OPEN": 2, "SCHEDULED": 0, "IN_TRANSIT": 1, "DELIVERED": 0, "CANCELLED": 1}
	for st, n := range wantStates {
		if listed := len(s.listAll("/v1/deliveryRequests?state="+st, "deliveryRequests")); float64(listed) != n {
			t.Fatalf("setup: %d %s, want %v", listed, st, n)
		}
		if got := counts("requestsByState", "state")[st]; got != n {
			t.Errorf("requestsByState[%s] = %v, want %v", st, got, n)
		}
	}
	if got := counts("openRequestsByPriority", "priority"); got["CRITICAL"] != 1 || got["URGENT"] != 1 || got["ROUTINE"] != 1 {
		t.Errorf("openRequestsByPriority = %v", got)
	}
	// Two hours on, only a (due within the hour, never scheduled) is overdue.
	var overdue []string
	for _, r := range s.listAll("/v1/deliveryRequests?overdue=true", "deliveryRequests") {
		overdue = append(overdue, r["name"].(string))
	}
	if diff := cmp.Diff([]string{a}, overdue); diff != "" {
		t.Errorf("overdue requests (-want +got):\n%s", diff)
	}
	if sum["overdueRequests"] != 1.0 {
		t.Errorf("overdueRequests = %v, want 1 (%s)", sum["overdueRequests"], a)
	}
	// Outstanding: a 10 kg + 10 portions, b 4 portions, c 6 kg + 10 portions.
	if got := quantities("outstanding"); got != "16 KILOGRAM FRUIT, 24 PORTION MEALS" {
		t.Errorf("outstanding = %s", got)
	}
	if got := quantities("deliveredToday"); got != "4 KILOGRAM FRUIT, 6 PORTION MEALS" {
		t.Errorf("deliveredToday = %s", got)
	}
	hospitals := sum["hospitals"].([]any)
	if len(hospitals) != 2 {
		t.Fatalf("hospitals = %v", hospitals)
	}
	top := hospitals[0].(object)
	if top["hospital"] != "hospitals/gkb-7" || top["openRequests"] != 2.0 || top["overdueRequests"] != 1.0 || top["criticalRequests"] != 1.0 {
		t.Errorf("most pressing hospital = %v", top)
	}
	progress := sum["runsInProgress"].([]any)
	if len(progress) != 1 || progress[0].(object)["stopsDone"] != 1.0 || progress[0].(object)["stopsTotal"] != 2.0 ||
		progress[0].(object)["volunteerDisplayName"] != "Driver aigerim" {
		t.Errorf("runsInProgress = %v", progress)
	}
}

// deliverAll files a need of kg of fruit and hands it all over on a run of
// its own, now.
func (s *testServer) deliverAll(run, ward string, kg float64) {
	s.t.Helper()
	b := s.need(ward)
	b["lines"] = []any{object{"category": "FRUIT", "quantity": kg, "unit": "KILOGRAM"}}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", b)["name"].(string)
	s.plan(run, "aigerim")
	s.mustREST(200, "POST", "/v1/runs/"+run+":assign", object{"deliveryRequests": []string{name}})
	s.mustREST(200, "POST", "/v1/runs/"+run+":dispatch", object{})
	stop := s.mustREST(200, "POST", "/v1/runs/"+run+":start", object{})["stops"].([]any)[0].(object)["name"].(string)
	s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse", "lines": []any{
		object{"deliveryRequest": name, "line": 0, "quantity": kg},
	}})
}

func TestDashboardChartsTheLastFourteenDays(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	s.deliverAll("monday", "hospitals/gkb-7/wards/icu", 4)
	s.clock.Advance(24 * time.Hour)
	s.deliverAll("tuesday", "hospitals/gkb-7/wards/icu", 6)
	s.deliverAll("tuesday-late", "hospitals/gkb-7/wards/icu", 0.5)

	// Over REST, today is last: 09:00 on 4 April in Almaty.
	days := s.mustREST(200, "GET", "/v1/dashboard", nil)["deliveredByDay"].([]any)
	if len(days) != 14 {
		t.Fatalf("%d days, want 14", len(days))
	}
	fruit := func(day any) any {
		q := day.(object)["quantities"].([]any)
		if len(q) == 0 {
			return 0.0
		}
		return q[0].(object)["quantity"]
	}
	if got := days[13].(object)["day"]; fmt.Sprint(got) != "map[day:4 month:4 year:2026]" {
		t.Errorf("last day = %v, want 2026-04-04", got)
	}
	if fruit(days[13]) != 6.5 || fruit(days[12]) != 4.0 || fruit(days[11]) != 0.0 {
		t.Errorf("fruit by day = %v, %v, %v; want 0, 4, 6.5", fruit(days[11]), fruit(days[12]), fruit(days[13]))
	}

	// Over gRPC, thirteen days on, Monday has left the chart and Tuesday is first.
	s.clock.Advance(13 * 24 * time.Hour)
	sum, err := s.summary.GetDashboardSummary(context.Background(), &aqjurekv1.GetDashboardSummaryRequest{})
	if err != nil {
		t.Fatal(err)
	}
	first := sum.GetDeliveredByDay()[0]
	if first.GetDay().GetDay() != 4 || len(first.GetQuantities()) != 1 || first.GetQuantities()[0].GetQuantity() != 6.5 {
		t.Errorf("first day = %v, want 4 April with 6.5 kg", first)
	}
	for _, d := range sum.GetDeliveredByDay()[1:] {
		if len(d.GetQuantities()) != 0 {
			t.Errorf("day %v has %v, want nothing", d.GetDay(), d.GetQuantities())
		}
	}
	if len(sum.GetDeliveredToday()) != 0 {
		t.Errorf("deliveredToday = %v, want nothing", sum.GetDeliveredToday())
	}
}

func TestEventsListNewestFirstForRecentActivity(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu") // events 1 and 2
	for range 3 {          // events 3 to 5
		s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	}
	var sequences []string // int64 travels as a JSON string
	for _, e := range s.listAll("/v1/events?pageSize=2&orderBy=sequence%20desc", "events") {
		sequences = append(sequences, e["sequence"].(string))
	}
	if fmt.Sprint(sequences) != "[5 4 3 2 1]" {
		t.Errorf("newest first, over pages of 2: %v", sequences)
	}
	recent, err := s.events.ListEvents(context.Background(), &aqjurekv1.ListEventsRequest{OrderBy: "sequence desc", PageSize: 1, AfterSequence: 1})
	if err != nil || len(recent.GetEvents()) != 1 || recent.GetEvents()[0].GetSequence() != 5 {
		t.Errorf("newest over gRPC = %v, %v", recent, err)
	}
	code, out := s.rest("GET", "/v1/events?orderBy=time", nil)
	if code != 400 || !strings.Contains(fmt.Sprint(out), "order_by") {
		t.Errorf("unknown order: %d %v, want 400 naming order_by", code, out)
	}
}

// watch opens a gRPC watch and waits until the server has taken it.
func (s *testServer) watch(ctx context.Context, after int64) (aqjurekv1.EventService_WatchEventsClient, error) {
	stream, err := s.events.WatchEvents(ctx, &aqjurekv1.WatchEventsRequest{AfterSequence: after})
	if err != nil {
		return nil, err
	}
	md, err := stream.Header()
	if err == nil && len(md.Get(api.StreamOpenHeader)) == 0 {
		_, err = stream.Recv() // refused: the status comes at the end
	}
	return stream, err
}

func TestWatchStreamsAreLimitedPerTokenAndInAll(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.MaxWatchersPerToken, c.MaxWatchers = 2, 3 })
	a := s.as(s.issue(supply.RoleCoordinator, "", ""))
	b := s.as(s.issue(supply.RoleCoordinator, "", ""))
	c := s.as(s.issue(supply.RoleCoordinator, "", ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	first, firstCancel := context.WithCancel(ctx)
	for i, watchCtx := range []context.Context{first, ctx} {
		if _, err := a.watch(watchCtx, 0); err != nil {
			t.Fatalf("watch %d of a token: %v", i+1, err)
		}
	}
	_, err := a.watch(ctx, 0)
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "2 event streams are already open with this token") {
		t.Errorf("third watch of a token over gRPC: %v, want RESOURCE_EXHAUSTED naming the limit of 2", err)
	}
	// Over REST a stream's error comes as {"error": status}.
	code, out := a.rest("GET", "/v1/events:watch", nil)
	if message, _ := out["error"].(object); code != http.StatusTooManyRequests || !strings.Contains(fmt.Sprint(message["message"]), "with this token") {
		t.Errorf("third watch of a token over REST: %d %v, want 429 naming the token's limit", code, out)
	}

	// Another token may open one more; then the server is full for everyone.
	if _, err := b.watch(ctx, 0); err != nil {
		t.Fatalf("another token's watch: %v", err)
	}
	_, err = c.watch(ctx, 0)
	var retry *errdetails.RetryInfo
	for _, d := range status.Convert(err).Details() {
		if r, ok := d.(*errdetails.RetryInfo); ok {
			retry = r
		}
	}
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "already follows 3 event streams") || retry == nil {
		t.Errorf("watch past the server's limit: %v, want RESOURCE_EXHAUSTED with a RetryInfo", err)
	}
	if code, out := c.rest("GET", "/v1/events:watch", nil); code != http.StatusTooManyRequests {
		t.Errorf("watch past the server's limit over REST: %d %v, want 429", code, out)
	}

	// A stream that ends gives its place back.
	firstCancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := a.watch(ctx, 0)
		if err == nil {
			break
		}
		if status.Code(err) != codes.ResourceExhausted || time.Now().After(deadline) {
			t.Fatalf("watch after one of the token's streams ended: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRevokingATokenEndsItsOpenWatches(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	bearer := s.issue(supply.RoleStaff, "gkb-7", "")
	staff := s.as(bearer)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := staff.watch(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	resp := staff.open("/v1/events:watch?afterSequence=2")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("REST watch: %d", resp.StatusCode)
	}
	admin, err := s.watch(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}

	// Revoked the way "aqjurek token revoke" does: another process, the same file.
	db, err := store.Open(context.Background(), s.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	revoked := time.Now()
	if err := db.RevokeToken(context.Background(), strings.Split(bearer, "_")[1], s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ended := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				ended <- err
				return
			}
		}
	}()
	select {
	case err := <-ended:
		if status.Code(err) != codes.Unauthenticated {
			t.Errorf("gRPC watch of a revoked token ended with %v, want UNAUTHENTICATED", err)
		}
		if took := time.Since(revoked); took > 2*time.Second {
			t.Errorf("the gRPC watch ended %v after the revocation", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the gRPC watch of a revoked token is still open")
	}

	// Over REST the stream's last line is the error, then it ends.
	lines := make(chan []string, 1)
	go func() {
		var got []string
		scanner := bufio.NewScanner(resp.Body)
		for scanner.Scan() {
			got = append(got, scanner.Text())
		}
		lines <- got
	}()
	select {
	case got := <-lines:
		var last struct{ Error struct{ Code int } }
		if len(got) == 0 || json.Unmarshal([]byte(got[len(got)-1]), &last) != nil || last.Error.Code != int(codes.Unauthenticated) {
			t.Errorf("REST watch of a revoked token ended with %q, want an UNAUTHENTICATED error line", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the REST watch of a revoked token is still open")
	}
	if code, _ := staff.rest("GET", "/v1/events:watch", nil); code != http.StatusUnauthorized {
		t.Errorf("a new watch with the revoked token: %d, want 401", code)
	}

	// Other tokens' streams go on.
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	if got := receive(t, admin, 1); got[0].GetResource() != name {
		t.Errorf("admin watch after the revocation: %v, want %s", got, name)
	}
}

func TestSlowWatcherIsCutOffAndResumesWithoutGaps(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.WatchBacklog = 8 })
	s.seed("gkb-7", "icu") // events 1 and 2
	// The smallest flow-control windows gRPC allows, so a watcher that
	// stops reading soon holds up the server's sends.
	conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(bearerToken(s.bearer)), grpc.WithInitialWindowSize(1<<16), grpc.WithInitialConnWindowSize(1<<16))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	events := aqjurekv1.NewEventServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stream, err := events.WatchEvents(ctx, &aqjurekv1.WatchEventsRequest{AfterSequence: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Header(); err != nil {
		t.Fatal(err)
	}

	// The watcher reads nothing while 1,200 requests are filed.
	const filed = 1200
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for range filed / 8 {
				if _, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
					Ward: "hospitals/gkb-7/wards/icu", Notes: fmt.Sprintf("filer %d", w),
					Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_FRUIT, Quantity: 1, Unit: aqjurekv1.Unit_KILOGRAM}},
					DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
				}}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	var got []int64
	for {
		msg, err := stream.Recv()
		if err == nil {
			for _, e := range msg.GetEvents() {
				got = append(got, e.GetSequence())
			}
			continue
		}
		if status.Code(err) != codes.Aborted {
			t.Fatalf("slow watcher ended with %v after %d events, want ABORTED", err, len(got))
		}
		last := int64(2)
		if len(got) > 0 {
			last = got[len(got)-1]
		}
		if want := fmt.Sprintf("watcher fell behind the log; resume with afterSequence=%d", last); status.Convert(err).Message() != want {
			t.Errorf("message %q, want %q", status.Convert(err).Message(), want)
		}
		var info *errdetails.ErrorInfo
		for _, d := range status.Convert(err).Details() {
			if i, ok := d.(*errdetails.ErrorInfo); ok {
				info = i
			}
		}
		if info.GetReason() != "WATCHER_BEHIND" || info.GetMetadata()["afterSequence"] != fmt.Sprint(last) {
			t.Errorf("error info %v, want WATCHER_BEHIND with afterSequence %d", info, last)
		}
		break
	}
	if len(got) >= filed {
		t.Fatalf("the watcher received all %d events; it was never behind", len(got))
	}

	// Resuming where it was cut off, it misses and repeats nothing.
	after := int64(2)
	if len(got) > 0 {
		after = got[len(got)-1]
	}
	resumed, err := s.watch(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range receive(t, resumed, int(2+filed-after)) {
		got = append(got, e.GetSequence())
	}
	for i, seq := range got {
		if seq != int64(3+i) {
			t.Fatalf("event %d has sequence %d, want %d: a gap or a repeat", i, seq, 3+i)
		}
	}
}

func TestQuietWatchStreamsSendHeartbeats(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.WatchHeartbeat = 100 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := s.watch(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := range 3 {
		msg, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if len(msg.GetEvents()) != 0 || msg.GetSendTime().AsTime().Before(start.Add(-time.Second)) {
			t.Errorf("heartbeat %d over gRPC = %v, want no events and the time it was sent", i, msg)
		}
	}
	if took := time.Since(start); took < 200*time.Millisecond || took > 5*time.Second {
		t.Errorf("three heartbeats took %v at 100 ms apart", took)
	}

	// Over REST, a heartbeat is a line with no events and the send time.
	resp := s.open("/v1/events:watch")
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() {
		t.Fatalf("no heartbeat line: %v", lines.Err())
	}
	var msg struct {
		Result struct {
			Events   []any
			SendTime time.Time
		}
	}
	if err := json.Unmarshal(lines.Bytes(), &msg); err != nil || len(msg.Result.Events) != 0 || msg.Result.SendTime.IsZero() {
		t.Errorf("REST heartbeat line %s: %v, want no events and a sendTime", lines.Bytes(), err)
	}
}
