package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// receive reads n events from a watch stream, failing after a few seconds.
func receive(t *testing.T, stream aqjurekv1.EventService_WatchEventsClient, n int) []*aqjurekv1.Event {
	t.Helper()
	got := make(chan *aqjurekv1.Event)
	errs := make(chan error, 1)
	go func() {
		for range n {
			e, err := stream.Recv()
			if err != nil {
				errs <- err
				return
			}
			got <- e
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
	var msg struct{ Result map[string]any }
	if err := json.Unmarshal(lines.Bytes(), &msg); err != nil || msg.Result["resource"] != third || msg.Result["kind"] != "CREATED" {
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
