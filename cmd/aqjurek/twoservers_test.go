package main

import (
	"bufio"
	"bytes"
	"context"
	cryptorand "crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/store/storetest"
)

// Two "aqjurek serve" processes on one PostgreSQL database must behave as
// one service: what one commits the other shows and streams, races between
// them have one winner, and killing one loses nothing the other needs.

// peer is one "aqjurek serve" process on the shared database, with a REST
// and a gRPC client calling it with an admin's token.
type peer struct {
	t        *testing.T
	name     string // A or B, as the test's messages call it
	cmd      *exec.Cmd
	done     chan struct{} // closed when the process has exited
	logs     *lockedBuffer
	base     string // http://host:port of the REST gateway
	grpcAddr string
	bearer   string
	http     *http.Client
	requests aqjurekv1.DeliveryRequestServiceClient
	runs     aqjurekv1.RunServiceClient
	events   aqjurekv1.EventServiceClient
	buy      aqjurekv1.PurchaseServiceClient
}

// startPeer starts "aqjurek serve --db dsn" as a process of its own and
// waits until it answers.
func startPeer(t *testing.T, name, dsn, bearer string) *peer {
	t.Helper()
	p := launchPeer(t, name, dsn)
	p.await(bearer)
	return p
}

// launchPeer starts "aqjurek serve --db dsn" as a process of its own on
// ports of its own (the flags given as AQJUREK_* variables, which serve
// reads as it reads its flags).
func launchPeer(t *testing.T, name, dsn string) *peer {
	t.Helper()
	httpAddr, grpcAddr := freePort(t), freePort(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "AQJUREK_TEST_CHILD=serve", "AQJUREK_DB="+dsn, "AQJUREK_GRPC_ADDR="+grpcAddr,
		"AQJUREK_HTTP_ADDR="+httpAddr, "AQJUREK_RATE_LIMIT=1000000", "AQJUREK_LOG_LEVEL=error")
	p := &peer{t: t, name: name, cmd: cmd, done: make(chan struct{}), logs: &lockedBuffer{}, base: "http://" + httpAddr,
		grpcAddr: grpcAddr, http: &http.Client{Timeout: 10 * time.Second}}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)
	return p
}

// await waits until the launched server answers and makes its clients,
// calling with bearer.
func (p *peer) await(bearer string) {
	t, name := p.t, p.name
	t.Helper()
	p.bearer = bearer
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case <-p.done:
			t.Fatalf("server %s exited while starting: %s", name, p.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s did not start: %s", name, p.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	conn, err := grpc.NewClient(p.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(bearerCredentials(bearer)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	p.requests = aqjurekv1.NewDeliveryRequestServiceClient(conn)
	p.runs = aqjurekv1.NewRunServiceClient(conn)
	p.events = aqjurekv1.NewEventServiceClient(conn)
	p.buy = aqjurekv1.NewPurchaseServiceClient(conn)
}

// stop ends the server as an operator would (SIGTERM), unless it has
// already exited; it must then exit cleanly.
func (p *peer) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.http.CloseIdleConnections()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if !p.cmd.ProcessState.Success() {
			p.t.Errorf("server %s: %v on SIGTERM: %s", p.name, p.cmd.ProcessState, p.logs.String())
		}
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		p.t.Errorf("server %s did not stop on SIGTERM", p.name)
	}
}

// kill ends the server with SIGKILL: no shutdown, nothing flushed.
func (p *peer) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// bearerCredentials sends a token with every gRPC call.
type bearerCredentials string

func (b bearerCredentials) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

func (bearerCredentials) RequireTransportSecurity() bool { return false }

// rest sends a JSON request and returns the status and the decoded answer;
// the status is 0 when no answer came.
func (p *peer) rest(method, path string, body any) (int, map[string]any) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			p.t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, p.base+path, reader)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.bearer)
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, map[string]any{"error": err.Error()}
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// must is rest that fails the test unless the answer is 200 OK.
func (p *peer) must(method, path string, body any) map[string]any {
	p.t.Helper()
	code, out := p.rest(method, path, body)
	if code != 200 {
		p.t.Fatalf("server %s: %s %s: %d %v", p.name, method, path, code, out)
	}
	return out
}

// listAll reads every page of a REST list.
func (p *peer) listAll(path, field string) []map[string]any {
	p.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var all []map[string]any
	for token := ""; ; {
		out := p.must("GET", path+sep+"pageToken="+url.QueryEscape(token), nil)
		all = append(all, asList(out[field])...)
		if token, _ = out["nextPageToken"].(string); token == "" {
			return all
		}
	}
}

// createToken makes a token with "aqjurek token create --db dsn" and
// returns the bearer string it printed.
func createToken(t *testing.T, dsn, role, name string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if err := realMain(context.Background(), []string{"token", "create", "--db", dsn, "--role", role, "--name", name}, &out, &errs); err != nil {
		t.Fatalf("token create: %v: %s", err, errs.String())
	}
	return strings.TrimSpace(out.String())
}

// twoServers starts servers A and B on a fresh PostgreSQL schema of their
// own and returns its --db value and the two, both calling as an admin.
func twoServers(t *testing.T) (string, *peer, *peer) {
	t.Helper()
	if testing.Short() {
		t.Skip("two servers run as processes on PostgreSQL")
	}
	dsn := storetest.DSN(t, storetest.Postgres)
	bearer := createToken(t, dsn, "admin", "Two servers test")
	a := startPeer(t, "A", dsn, bearer)
	b := startPeer(t, "B", dsn, bearer)
	return dsn, a, b
}

// seedWard creates a hospital and its ward through p.
func seedWard(p *peer, hospital, ward string) string {
	p.t.Helper()
	p.must("POST", "/v1/hospitals?hospitalId="+hospital, map[string]any{"displayName": "Hospital " + hospital,
		"location": map[string]any{"latitude": 43.25, "longitude": 76.9}})
	p.must("POST", "/v1/hospitals/"+hospital+"/wards?wardId="+ward, map[string]any{"displayName": "Ward " + ward})
	return "hospitals/" + hospital + "/wards/" + ward
}

// needBody is a REST body of a need of ward: kg of apples.
func needBody(ward string, kg float64) map[string]any {
	return map[string]any{
		"ward":          ward,
		"lines":         []any{map[string]any{"category": "FRUIT", "description": "apples", "quantity": kg, "unit": "KILOGRAM"}},
		"priority":      "URGENT",
		"deliverBefore": time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339),
		"headcount":     30,
	}
}

// seen is an event as a watcher received it, and when.
type seen struct {
	sequence       int64
	kind, resource string
	at             time.Time
}

// watchGRPC follows p's WatchEvents stream from after sequence after.
func watchGRPC(ctx context.Context, p *peer, after int64) <-chan seen {
	p.t.Helper()
	stream, err := p.events.WatchEvents(ctx, &aqjurekv1.WatchEventsRequest{AfterSequence: after})
	if err != nil {
		p.t.Fatal(err)
	}
	out := make(chan seen, 1024)
	go func() {
		defer close(out)
		for {
			msg, err := stream.Recv()
			if err != nil {
				return
			}
			at := time.Now()
			for _, e := range msg.GetEvents() {
				out <- seen{e.GetSequence(), e.GetKind().String(), e.GetResource(), at}
			}
		}
	}()
	return out
}

// watchREST follows p's events:watch stream (newline-delimited JSON) from
// after sequence after.
func watchREST(ctx context.Context, p *peer, after int64) <-chan seen {
	p.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", p.base+"/v1/events:watch?afterSequence="+strconv.FormatInt(after, 10), nil)
	req.Header.Set("Authorization", "Bearer "+p.bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		p.t.Fatalf("server %s: events:watch: %s", p.name, resp.Status)
	}
	out := make(chan seen, 1024)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		lines := bufio.NewScanner(resp.Body)
		lines.Buffer(make([]byte, 1<<20), 1<<24)
		for lines.Scan() {
			at := time.Now()
			var msg struct {
				Result struct {
					Events []struct {
						Sequence       string
						Kind, Resource string
					}
				}
			}
			if json.Unmarshal(lines.Bytes(), &msg) != nil {
				return
			}
			for _, e := range msg.Result.Events {
				n, _ := strconv.ParseInt(e.Sequence, 10, 64)
				out <- seen{n, e.Kind, e.Resource, at}
			}
		}
	}()
	return out
}

// awaitCreated reads the stream until the CREATED event of resource and
// returns it, with every event read on the way (and it) appended to log.
func awaitCreated(t *testing.T, stream <-chan seen, resource string, log *[]seen) (seen, bool) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e, ok := <-stream:
			if !ok {
				return seen{}, false
			}
			*log = append(*log, e)
			if e.resource == resource && e.kind == "CREATED" {
				return e, true
			}
		case <-timeout:
			return seen{}, false
		}
	}
}

func TestTwoServersStreamAndListEachOthersNeeds(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu") // events 1 and 2

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	onB := watchGRPC(ctx, b, 0) // gRPC WatchEvents on B follows A's needs
	onA := watchREST(ctx, a, 0) // REST events:watch on A follows B's needs
	var seenOnA, seenOnB []seen

	const rounds = 10
	var filedOnA, filedOnB []string
	var latencies []time.Duration
	for i := range rounds {
		for _, dir := range []struct {
			from, to *peer
			stream   <-chan seen
			log      *[]seen
			filed    *[]string
		}{{a, b, onB, &seenOnB, &filedOnA}, {b, a, onA, &seenOnA, &filedOnB}} {
			// Half the needs over gRPC, half over REST.
			sent := time.Now()
			var name string
			if i%2 == 0 {
				name = dir.from.must("POST", "/v1/deliveryRequests", needBody(ward, float64(10+i)))["name"].(string)
			} else {
				r, err := dir.from.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
					Ward:          ward,
					Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: float64(10 + i), Unit: aqjurekv1.Unit_KILOGRAM}},
					DeliverBefore: timestamppb.New(time.Now().Add(6 * time.Hour)),
				}})
				if err != nil {
					t.Fatalf("server %s: create: %v", dir.from.name, err)
				}
				name = r.GetName()
			}
			*dir.filed = append(*dir.filed, name)
			e, ok := awaitCreated(t, dir.stream, name, dir.log)
			if !ok {
				t.Fatalf("%s filed on %s never came on %s's watch stream", name, dir.from.name, dir.to.name)
			}
			latency := e.at.Sub(sent)
			latencies = append(latencies, latency)
			if latency >= time.Second {
				t.Errorf("%s filed on %s came on %s's watch stream after %v, want under 1 s", name, dir.from.name, dir.to.name, latency)
			}
			// The other server shows it at once, whole.
			got := dir.to.must("GET", "/v1/"+name, nil)
			if lines := asList(got["lines"]); got["state"] != "OPEN" || got["ward"] != ward || len(lines) != 1 || lines[0]["quantity"] != float64(10+i) {
				t.Errorf("%s filed on %s, as %s shows it: %v", name, dir.from.name, dir.to.name, got)
			}
		}
	}
	slices.Sort(latencies)
	t.Logf("filing on one server to its CREATED event on the other's watch stream, %d needs: median %v, max %v",
		len(latencies), latencies[len(latencies)/2], latencies[len(latencies)-1])
	// The other server is told of each commit; its once-a-second read of
	// the log, there for a lost signal, would take half a second on average.
	if median := latencies[len(latencies)/2]; median >= 200*time.Millisecond {
		t.Errorf("median %v from filing on one server to the event on the other's stream, want under 200 ms: the other server is not told of commits", median)
	}

	// Each server lists every need, whichever took it.
	all := append(slices.Clone(filedOnA), filedOnB...)
	slices.Sort(all)
	for _, p := range []*peer{a, b} {
		var listed []string
		for _, r := range p.listAll("/v1/deliveryRequests?pageSize=7", "deliveryRequests") {
			listed = append(listed, r["name"].(string))
		}
		slices.Sort(listed)
		if !slices.Equal(listed, all) {
			t.Errorf("server %s lists %v, want the %d needs filed on both: %v", p.name, listed, len(all), all)
		}
	}

	// The log is one log: both list the same events, numbered 1, 2, 3, …
	eventsOf := func(p *peer) []string {
		var out []string
		for i, e := range p.listAll("/v1/events?pageSize=6", "events") {
			if e["sequence"] != strconv.Itoa(i+1) {
				t.Errorf("server %s lists event %v at place %d", p.name, e["sequence"], i+1)
			}
			out = append(out, fmt.Sprint(e["sequence"], " ", e["kind"], " ", e["resource"], " ", e["eventTime"], " ", e["summary"]))
		}
		return out
	}
	onAList, onBList := eventsOf(a), eventsOf(b)
	if len(onAList) != 2+2*rounds || !slices.Equal(onAList, onBList) {
		t.Errorf("events listed on A:\n%s\nand on B:\n%s\nwant the same %d", strings.Join(onAList, "\n"), strings.Join(onBList, "\n"), 2+2*rounds)
	}
	// Each stream delivered the log in order, with no gap.
	for _, w := range []struct {
		name string
		log  []seen
	}{{"A's events:watch", seenOnA}, {"B's WatchEvents", seenOnB}} {
		for i, e := range w.log {
			if e.sequence != int64(i+1) {
				t.Errorf("%s sent sequence %d at place %d", w.name, e.sequence, i+1)
				break
			}
		}
	}
}

// outcome is how a call ended, the same for both faces: the gRPC code (a
// REST answer carries it too) and the message a user reads.
type outcome struct {
	code    codes.Code
	message string
}

func (o outcome) String() string { return o.code.String() + " " + strconv.Quote(o.message) }

func restOutcome(status int, out map[string]any) outcome {
	if status == 200 {
		return outcome{code: codes.OK}
	}
	code, ok := out["code"].(float64)
	if !ok {
		return outcome{code: codes.Unknown, message: fmt.Sprintf("HTTP %d: %v", status, out)}
	}
	message, _ := out["message"].(string)
	return outcome{code: codes.Code(code), message: message}
}

func grpcOutcome(err error) outcome {
	st := status.Convert(err)
	return outcome{code: st.Code(), message: st.Message()}
}

// atOnce runs the calls each in a goroutine of its own, released at the
// same moment, and waits for them all.
func atOnce(calls ...func()) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Go(func() {
			<-start
			call()
		})
	}
	close(start)
	wg.Wait()
}

// planRun creates a run of volunteer from depot through p.
func planRun(p *peer, id, volunteer, depot string) {
	p.t.Helper()
	p.must("POST", "/v1/runs?runId="+id, map[string]any{"volunteer": "volunteers/" + volunteer, "depot": "depots/" + depot,
		"plannedStartTime": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
}

func TestTwoServersPutARequestOnOneRunOnly(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	b.must("POST", "/v1/depots?depotId=bazaar", map[string]any{"displayName": "Green Bazaar",
		"location": map[string]any{"latitude": 43.2636, "longitude": 76.9535}})
	a.must("POST", "/v1/volunteers?volunteerId=aigerim", map[string]any{"displayName": "Aigerim", "vehicleKind": "CAR", "capacityKg": 500})
	b.must("POST", "/v1/volunteers?volunteerId=daniyar", map[string]any{"displayName": "Daniyar", "vehicleKind": "CAR", "capacityKg": 500})
	const rounds = 20
	wins := map[string]int{}
	for i := range rounds {
		need := []*peer{a, b}[i%2].must("POST", "/v1/deliveryRequests", needBody(ward, 12))["name"].(string)
		runA, runB := fmt.Sprintf("runs/a-%d", i), fmt.Sprintf("runs/b-%d", i)
		planRun(a, strings.TrimPrefix(runA, "runs/"), "aigerim", "bazaar")
		planRun(b, strings.TrimPrefix(runB, "runs/"), "daniyar", "bazaar")
		// A coordinator on each server puts the need on their run at the
		// same moment, over gRPC on one and REST on the other.
		var onA, onB outcome
		assignGRPC := func(p *peer, run string, o *outcome) func() {
			return func() {
				_, err := p.runs.AssignRun(context.Background(), &aqjurekv1.AssignRunRequest{Name: run, DeliveryRequests: []string{need}})
				*o = grpcOutcome(err)
			}
		}
		assignREST := func(p *peer, run string, o *outcome) func() {
			return func() {
				*o = restOutcome(p.rest("POST", "/v1/"+run+":assign", map[string]any{"deliveryRequests": []string{need}}))
			}
		}
		if i%2 == 0 {
			atOnce(assignGRPC(a, runA, &onA), assignREST(b, runB, &onB))
		} else {
			atOnce(assignREST(a, runA, &onA), assignGRPC(b, runB, &onB))
		}
		winner, loser, refusal := runA, runB, onB
		switch {
		case onA.code == codes.OK && onB.code != codes.OK:
			wins["A"]++
		case onB.code == codes.OK && onA.code != codes.OK:
			winner, loser, refusal = runB, runA, onA
			wins["B"]++
		default:
			t.Errorf("round %d: assigning %s through A: %v, through B: %v; want exactly one to succeed", i, need, onA, onB)
			continue
		}
		if want := need + " is SCHEDULED on " + winner + "; only an OPEN request can be assigned"; refusal != (outcome{codes.FailedPrecondition, want}) {
			t.Errorf("round %d: the loser %s was told %v, want FailedPrecondition %q", i, loser, refusal, want)
		}
		// Both servers tell the same story: the need is on the winner's run
		// and nowhere else.
		for _, p := range []*peer{a, b} {
			if r := p.must("GET", "/v1/"+need, nil); r["state"] != "SCHEDULED" || r["run"] != winner {
				t.Errorf("round %d: server %s shows %s %v on %v, want SCHEDULED on %s", i, p.name, need, r["state"], r["run"], winner)
			}
			if stops := asList(p.must("GET", "/v1/"+winner, nil)["stops"]); len(stops) != 1 {
				t.Errorf("round %d: server %s shows %s with %d stops, want the need's one", i, p.name, winner, len(stops))
			}
			if stops := asList(p.must("GET", "/v1/"+loser, nil)["stops"]); len(stops) != 0 {
				t.Errorf("round %d: server %s shows the loser %s with stops %v", i, p.name, loser, stops)
			}
		}
	}
	t.Logf("%d rounds: A won %d, B won %d", rounds, wins["A"], wins["B"])
}

func TestTwoServersRacingForTheLastLotOneLeavesWithIt(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	a.must("POST", "/v1/depots?depotId=green-bazaar", map[string]any{"displayName": "Green Bazaar"})
	const rounds = 20
	wins := map[string]int{}
	for i := range rounds {
		// 3 kg of apples come in; two runs, one planned on each server,
		// each carry a need of 3 kg.
		[]*peer{a, b}[i%2].must("POST", fmt.Sprintf("/v1/donations?donationId=crates-%d", i), map[string]any{
			"donor": map[string]any{"displayName": "Stall 12"},
			"goods": map[string]any{"depot": "depots/green-bazaar", "lines": []any{
				map[string]any{"category": "FRUIT", "description": "apples", "quantity": 3, "unit": "KILOGRAM"}}}})
		runs := map[*peer]string{}
		for _, p := range []*peer{a, b} {
			id := fmt.Sprintf("%s-%d", strings.ToLower(p.name), i)
			volunteer := "driver-" + id
			p.must("POST", "/v1/volunteers?volunteerId="+volunteer, map[string]any{"displayName": "Driver " + id, "vehicleKind": "CAR", "capacityKg": 500})
			planRun(p, id, volunteer, "green-bazaar")
			need := p.must("POST", "/v1/deliveryRequests", needBody(ward, 3))["name"].(string)
			p.must("POST", "/v1/runs/"+id+":assign", map[string]any{"deliveryRequests": []string{need}})
			p.must("POST", "/v1/runs/"+id+":dispatch", map[string]any{})
			runs[p] = "runs/" + id
		}
		// Both drivers start at the same moment, through their servers.
		var onA, onB outcome
		startGRPC := func(p *peer, o *outcome) func() {
			return func() {
				_, err := p.runs.StartRun(context.Background(), &aqjurekv1.StartRunRequest{Name: runs[p]})
				*o = grpcOutcome(err)
			}
		}
		startREST := func(p *peer, o *outcome) func() {
			return func() { *o = restOutcome(p.rest("POST", "/v1/"+runs[p]+":start", map[string]any{})) }
		}
		if i%2 == 0 {
			atOnce(startGRPC(a, &onA), startREST(b, &onB))
		} else {
			atOnce(startREST(a, &onA), startGRPC(b, &onB))
		}
		winner, loser, refusal := runs[a], runs[b], onB
		switch {
		case onA.code == codes.OK && onB.code != codes.OK:
			wins["A"]++
		case onB.code == codes.OK && onA.code != codes.OK:
			winner, loser, refusal = runs[b], runs[a], onA
			wins["B"]++
		default:
			t.Errorf("round %d: starting %s through A: %v, %s through B: %v; want exactly one to leave", i, runs[a], onA, runs[b], onB)
			continue
		}
		if refusal.code != codes.FailedPrecondition || !strings.HasPrefix(refusal.message, "Green Bazaar has 0 kg of apples; this run needs 3") {
			t.Errorf("round %d: the loser %s was told %v, want that the bazaar has 0 kg of the 3 it needs", i, loser, refusal)
		}
		for _, p := range []*peer{a, b} {
			if r := p.must("GET", "/v1/"+winner, nil); r["state"] != "IN_PROGRESS" {
				t.Errorf("round %d: server %s shows the winner %s %v", i, p.name, winner, r["state"])
			}
			if r := p.must("GET", "/v1/"+loser, nil); r["state"] != "DISPATCHED" {
				t.Errorf("round %d: server %s shows the loser %s %v, want it still DISPATCHED", i, p.name, loser, r["state"])
			}
		}
	}
	// Every lot left exactly once, whole; none below zero, on either server.
	for _, p := range []*peer{a, b} {
		lots := p.listAll("/v1/depots/green-bazaar/lots?pageSize=7", "lots")
		if len(lots) != rounds {
			t.Errorf("server %s lists %d lots, want %d", p.name, len(lots), rounds)
		}
		for _, l := range lots {
			if l["receivedQuantity"] != 3.0 || l["takenQuantity"] != 3.0 || l["quantityOnHand"] != 0.0 {
				t.Errorf("server %s: lot %v: received %v, taken %v, on hand %v; want all 3 kg taken by one run", p.name, l["name"],
					l["receivedQuantity"], l["takenQuantity"], l["quantityOnHand"])
			}
		}
	}
	t.Logf("%d rounds: A's run left %d times, B's %d", rounds, wins["A"], wins["B"])
}

func TestTwoServersNeverSpendAGiftTwice(t *testing.T) {
	_, a, b := twoServers(t)
	b.must("POST", "/v1/depots?depotId=green-bazaar", map[string]any{"displayName": "Green Bazaar"})
	const rounds, buyersEach = 20, 3
	received := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for i := range rounds {
		gift := fmt.Sprintf("donations/gift-%d", i)
		[]*peer{a, b}[i%2].must("POST", "/v1/"+strings.Replace(gift, "/", "?donationId=", 1), map[string]any{
			"donor":       map[string]any{"displayName": "Donor", "contact": "+7 701 000 0000"},
			"money":       map[string]any{"amount": map[string]any{"currencyCode": "KZT", "units": "50000"}, "channel": "KASPI_GOLD", "paymentReference": "KP-1"},
			"receiveTime": received})
		// Six buyers, three on each server (over both faces), each spend
		// KZT 20,000 of the gift's 50,000 at the same moment.
		var mu sync.Mutex
		var outcomes []outcome
		var calls []func()
		for _, p := range []*peer{a, b} {
			for j := range buyersEach {
				calls = append(calls, func() {
					var o outcome
					if j%2 == 0 {
						o = restOutcome(p.rest("POST", "/v1/purchases", map[string]any{
							"supplier": "Magnum Cash&Carry", "depot": "depots/green-bazaar", "fundingDonations": []string{gift},
							"amount": map[string]any{"currencyCode": "KZT", "units": "20000"},
							"lines":  []any{map[string]any{"category": "FRUIT", "description": "apples", "quantity": 25, "unit": "KILOGRAM"}}}))
					} else {
						_, err := p.buy.CreatePurchase(context.Background(), &aqjurekv1.CreatePurchaseRequest{Purchase: &aqjurekv1.Purchase{
							Supplier: "Magnum Cash&Carry", Depot: "depots/green-bazaar", FundingDonations: []string{gift},
							Amount: &money.Money{CurrencyCode: "KZT", Units: 20000},
							Lines:  []*aqjurekv1.GoodsLine{{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 25, Unit: aqjurekv1.Unit_KILOGRAM}},
						}})
						o = grpcOutcome(err)
					}
					mu.Lock()
					outcomes = append(outcomes, o)
					mu.Unlock()
				})
			}
		}
		atOnce(calls...)
		made := 0
		short := outcome{codes.FailedPrecondition, "KZT 10,000.00 available in " + gift + ", purchase is KZT 20,000.00"}
		for _, o := range outcomes {
			switch o {
			case outcome{code: codes.OK}:
				made++
			case short:
			default:
				t.Errorf("round %d: a buyer was told %v, want OK or %v", i, o, short)
			}
		}
		if made != 2 {
			t.Errorf("round %d: %d purchases of KZT 20,000 made from a gift of 50,000, want 2", i, made)
		}
	}
	// The books agree on both servers: each gift spent 40,000 and has
	// 10,000 left; what the purchases paid is what the gifts spent.
	for _, p := range []*peer{a, b} {
		var spent, bought int64
		for _, d := range p.listAll("/v1/donations?pageSize=7", "donations") {
			m := d["money"].(map[string]any)
			s, l := kzt(t, m["spent"]), kzt(t, m["left"])
			if s != 40000 || l != 10000 {
				t.Errorf("server %s: %v spent %d and has %d left, want 40000 and 10000", p.name, d["name"], s, l)
			}
			spent += s
		}
		purchases := p.listAll("/v1/purchases?pageSize=7", "purchases")
		for _, pu := range purchases {
			bought += kzt(t, pu["amount"])
		}
		if len(purchases) != 2*rounds || bought != spent {
			t.Errorf("server %s: %d purchases paying %d, gifts spent %d; want %d purchases and the same sums", p.name, len(purchases), bought, spent, 2*rounds)
		}
	}
}

// kzt reads whole tenge from a google.type.Money as REST shows it.
func kzt(t *testing.T, m any) int64 {
	t.Helper()
	o, _ := m.(map[string]any)
	units, err := strconv.ParseInt(fmt.Sprint(o["units"]), 10, 64)
	if err != nil || o["currencyCode"] != "KZT" {
		t.Fatalf("not an amount of whole tenge: %v", m)
	}
	if nanos, _ := o["nanos"].(float64); nanos != 0 {
		t.Fatalf("not an amount of whole tenge: %v", m)
	}
	return units
}

func TestTwoServersOneKilledLosesNothingAndTheOtherServesOn(t *testing.T) {
	dsn, a, b := twoServers(t)
	ward := seedWard(b, "gkb-7", "icu")
	// Gifts a coordinator on each server buys apples with meanwhile, KZT
	// 100 at a time, so some purchases are paid from two gifts.
	a.must("POST", "/v1/depots?depotId=green-bazaar", map[string]any{"displayName": "Green Bazaar"})
	const gifts, giftKZT, priceKZT = 30, 1050, 100
	for i := range gifts {
		[]*peer{a, b}[i%2].must("POST", fmt.Sprintf("/v1/donations?donationId=gift-%02d", i), map[string]any{
			"donor": map[string]any{"displayName": "Donor"}, "receiveTime": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
			"money": map[string]any{"amount": map[string]any{"currencyCode": "KZT", "units": strconv.Itoa(giftKZT)}, "channel": "KASPI_GOLD", "paymentReference": "KP"}})
	}
	// Each need has two lines, so a need stored without one is seen.
	act := func(p *peer, face int) (string, outcome) {
		if face == 4 {
			code, out := p.rest("POST", "/v1/purchases", map[string]any{
				"supplier": "Magnum Cash&Carry", "depot": "depots/green-bazaar", "amount": map[string]any{"currencyCode": "KZT", "units": strconv.Itoa(priceKZT)},
				"lines": []any{map[string]any{"category": "FRUIT", "description": "apples", "quantity": 25, "unit": "KILOGRAM"}}})
			name, _ := out["name"].(string)
			return name, restOutcome(code, out)
		}
		if face%2 == 0 {
			body := needBody(ward, 10)
			body["lines"] = append(body["lines"].([]any), map[string]any{"category": "WATER", "quantity": 6, "unit": "LITER"})
			code, out := p.rest("POST", "/v1/deliveryRequests", body)
			name, _ := out["name"].(string)
			return name, restOutcome(code, out)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r, err := p.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
			Ward: ward, Priority: aqjurekv1.Priority_URGENT, Headcount: 30, DeliverBefore: timestamppb.New(time.Now().Add(6 * time.Hour)),
			Lines: []*aqjurekv1.LineItem{
				{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 10, Unit: aqjurekv1.Unit_KILOGRAM},
				{Category: aqjurekv1.Category_WATER, Quantity: 6, Unit: aqjurekv1.Unit_LITER},
			},
		}})
		return r.GetName(), grpcOutcome(err)
	}

	// A coordinator's screen follows the log on B throughout.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := watchGRPC(ctx, b, 0)
	var watchMu sync.Mutex
	var watched []seen
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		for e := range stream {
			watchMu.Lock()
			watched = append(watched, e)
			watchMu.Unlock()
		}
	}()

	// Staff file needs through both servers as fast as they can, four
	// clients on each (two over REST, two over gRPC), beside a buyer on each.
	var mu sync.Mutex
	acknowledged := map[string]string{} // need or purchase → the server that acknowledged it
	var killed time.Time                // when A was killed; zero before
	beforeKill, bAfterKill := 0, 0
	var bSlowest time.Duration // B's slowest call that ended after the kill
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, p := range []*peer{a, b} {
		for face := range 5 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					sent := time.Now()
					name, o := act(p, face)
					mu.Lock()
					if p == b && !killed.IsZero() {
						bSlowest = max(bSlowest, time.Since(sent))
					}
					switch {
					case o.code == codes.OK:
						acknowledged[name] = p.name
						if face == 4 {
							break
						}
						if killed.IsZero() {
							beforeKill++
						} else if p == b {
							bAfterKill++
						}
					case p == a && !killed.IsZero():
						mu.Unlock()
						return // A is gone: its clients stop
					case face == 4 && o.code == codes.FailedPrecondition && strings.HasSuffix(o.message, "available, purchase is KZT 100.00"):
						mu.Unlock()
						return // the gifts are spent
					default:
						t.Errorf("server %s refused a need (A killed: %v): %v", p.name, !killed.IsZero(), o)
					}
					mu.Unlock()
				}
			})
		}
	}
	var stopOnce sync.Once
	stopLoad := func() { stopOnce.Do(func() { close(stop) }) }
	defer stopLoad()
	// The load runs until each side has done enough to prove something,
	// however busy the machine: A at least 20 needs and a purchase before
	// the kill, B at least 20 needs after it.
	acked := func(server, kind string) int {
		n := 0
		for name, by := range acknowledged {
			if by == server && strings.HasPrefix(name, kind+"/") {
				n++
			}
		}
		return n
	}
	enough := func(what string, done func() bool) time.Duration {
		t.Helper()
		start := time.Now()
		for deadline := start.Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			ok := done()
			mu.Unlock()
			if ok {
				return time.Since(start)
			}
			if time.Now().After(deadline) {
				t.Fatalf("a minute passed before %s", what)
			}
		}
	}
	before := enough("A acknowledged 20 needs and a purchase", func() bool {
		return acked(a.name, "deliveryRequests") >= 20 && acked(a.name, "purchases") > 0
	})
	mu.Lock()
	killed = time.Now()
	mu.Unlock()
	a.kill() // SIGKILL: its calls in flight, its transaction open, its connections dropped
	after := enough("B acknowledged 20 needs after the kill", func() bool { return bAfterKill >= 20 })
	stopLoad()
	wg.Wait()
	byServer := map[string]int{}
	for name, server := range acknowledged {
		byServer[strings.Split(name, "/")[0]+" "+server]++
	}
	t.Logf("filed %.0f needs/s through both servers before the kill (A %d, B %d in all), %.0f/s through B alone after it; purchases: A %d, B %d",
		float64(beforeKill)/before.Seconds(), byServer["deliveryRequests A"], byServer["deliveryRequests B"], float64(bAfterKill)/after.Seconds(),
		byServer["purchases A"], byServer["purchases B"])
	if byServer["deliveryRequests A"] < 20 || bAfterKill < 20 || byServer["purchases A"] == 0 {
		t.Fatalf("too little load to prove anything: A acknowledged %d needs and %d purchases, B %d needs after the kill",
			byServer["deliveryRequests A"], byServer["purchases A"], bAfterKill)
	}

	// Every acknowledged need is there, whole, through B and through A
	// restarted; any need A committed but could not acknowledge is whole too.
	restarted := startPeer(t, "A restarted", dsn, a.bearer)
	var stored []string
	for _, p := range []*peer{b, restarted} {
		needs := map[string]bool{}
		for _, r := range p.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
			name := r["name"].(string)
			needs[name] = true
			lines := asList(r["lines"])
			if r["state"] != "OPEN" || r["ward"] != ward || len(lines) != 2 || lines[0]["quantity"] != 10.0 || lines[1]["quantity"] != 6.0 {
				t.Errorf("server %s shows %s (acknowledged by %q) half-written: %v", p.name, name, acknowledged[name], r)
			}
		}
		// Each purchase whole: paid in full from the gifts, its apples a
		// lot at the depot.
		purchases := map[string]bool{}
		for _, pu := range p.listAll("/v1/purchases?pageSize=1000", "purchases") {
			name := pu["name"].(string)
			purchases[name] = true
			var paid int64
			for _, al := range asList(pu["allocations"]) {
				paid += kzt(t, al["amount"])
			}
			if kzt(t, pu["amount"]) != priceKZT || paid != priceKZT {
				t.Errorf("server %s shows %s (acknowledged by %q) paid %d of %v", p.name, name, acknowledged[name], paid, pu["amount"])
			}
		}
		var spent int64
		for _, d := range p.listAll("/v1/donations?pageSize=1000", "donations") {
			m := d["money"].(map[string]any)
			if kzt(t, m["spent"])+kzt(t, m["left"]) != giftKZT || kzt(t, m["left"]) < 0 {
				t.Errorf("server %s: %v: spent %v and left %v of %d", p.name, d["name"], m["spent"], m["left"], giftKZT)
			}
			spent += kzt(t, m["spent"])
		}
		if spent != int64(priceKZT*len(purchases)) {
			t.Errorf("server %s: the gifts spent %d, the %d purchases cost %d", p.name, spent, len(purchases), priceKZT*len(purchases))
		}
		lots := map[string]int{}
		for _, l := range p.listAll("/v1/depots/green-bazaar/lots?pageSize=1000", "lots") {
			if l["receivedQuantity"] == 25.0 {
				lots[l["source"].(string)]++
			}
		}
		for name := range purchases {
			if lots[name] != 1 {
				t.Errorf("server %s: %s brought %d lots of 25 kg, want 1", p.name, name, lots[name])
			}
		}
		if len(lots) != len(purchases) {
			t.Errorf("server %s: %d lots of 25 kg for %d purchases", p.name, len(lots), len(purchases))
		}
		for name, server := range acknowledged {
			if !needs[name] && !purchases[name] {
				t.Errorf("%s was acknowledged by %s; server %s does not have it", name, server, p.name)
			}
		}
		created := map[string]int{}
		for i, e := range p.listAll("/v1/events?pageSize=1000", "events") {
			if e["sequence"] != strconv.Itoa(i+1) {
				t.Fatalf("server %s lists event %v at place %d: the log has a gap", p.name, e["sequence"], i+1)
			}
			if resource := e["resource"].(string); e["kind"] == "CREATED" &&
				(strings.HasPrefix(resource, "deliveryRequests/") || strings.HasPrefix(resource, "purchases/")) {
				created[resource]++
			}
		}
		for name := range needs {
			if created[name] != 1 {
				t.Errorf("server %s: %s has %d CREATED events, want 1", p.name, name, created[name])
			}
		}
		for name := range purchases {
			if created[name] != 1 {
				t.Errorf("server %s: %s has %d CREATED events, want 1", p.name, name, created[name])
			}
		}
		for name := range created {
			if !needs[name] && !purchases[name] {
				t.Errorf("server %s: the log says %s was created, but there is no such thing", p.name, name)
			}
		}
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range needs {
				if !yield(n) {
					return
				}
			}
		})
		if stored == nil {
			stored = names
		} else if !slices.Equal(stored, names) {
			t.Errorf("B lists %d needs, A restarted %d: they differ", len(stored), len(names))
		}
	}
	// B's watcher saw the whole log, in order, A's last commits too.
	last := int64(len(b.listAll("/v1/events?pageSize=1000", "events")))
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		watchMu.Lock()
		n := len(watched)
		watchMu.Unlock()
		if n >= int(last) || time.Now().After(deadline) {
			break
		}
	}
	cancel()
	<-watching
	createdSeen := map[string]bool{}
	for i, e := range watched[:min(len(watched), int(last))] {
		if e.sequence != int64(i+1) {
			t.Fatalf("B's watch stream sent event %d at place %d", e.sequence, i+1)
		}
		if e.kind == "CREATED" && strings.HasPrefix(e.resource, "deliveryRequests/") {
			createdSeen[e.resource] = true
		}
	}
	if len(watched) < int(last) || len(createdSeen) != len(stored) {
		t.Errorf("B's watch stream sent %d of the %d events, the creation of %d of the %d needs", len(watched), last, len(createdSeen), len(stored))
	}

	if logs := b.logs.String(); logs != "" {
		t.Errorf("B logged errors around the kill:\n%s", logs)
	}
	t.Logf("%d needs acknowledged, %d stored (committed by A as it was killed, never acknowledged: %d); B's slowest call after the kill took %v",
		byServer["deliveryRequests A"]+byServer["deliveryRequests B"], len(stored),
		len(stored)-byServer["deliveryRequests A"]-byServer["deliveryRequests B"], bSlowest.Round(time.Millisecond))

	// And in the database itself nothing is half-written.
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, check := range []struct{ what, query string }{
		{"needs without their two lines", `SELECT count(*) FROM delivery_requests r
			WHERE (SELECT count(*) FROM delivery_request_lines l WHERE l.delivery_request_id = r.id) != 2`},
		{"needs without their creation event", `SELECT count(*) FROM delivery_requests r
			WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.resource = 'deliveryRequests/' || r.id AND e.kind = 'CREATED')`},
		{"creation events of needs that are not stored", `SELECT count(*) FROM events e WHERE e.kind = 'CREATED'
			AND e.resource LIKE 'deliveryRequests/%' AND NOT EXISTS (SELECT 1 FROM delivery_requests r WHERE e.resource = 'deliveryRequests/' || r.id)`},
		{"gaps in the event log", `SELECT max(sequence) - count(*) FROM events`},
		{"purchases not paid in full", `SELECT count(*) FROM purchases p
			WHERE p.amount_minor != (SELECT coalesce(sum(a.amount_minor), 0) FROM allocations a WHERE a.purchase_id = p.id)`},
		{"gifts spent beyond what they hold", `SELECT count(*) FROM donations d
			WHERE d.amount_minor < (SELECT coalesce(sum(a.amount_minor), 0) FROM allocations a WHERE a.donation_id = d.id)`},
		{"purchases without their line and its lot", `SELECT count(*) FROM purchases p
			WHERE (SELECT count(*) FROM purchase_lines l WHERE l.purchase_id = p.id) != 1
			OR (SELECT count(*) FROM lots l WHERE l.source_purchase_id = p.id) != 1`},
		{"purchases without their creation event", `SELECT count(*) FROM purchases p
			WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.resource = 'purchases/' || p.id AND e.kind = 'CREATED')`},
		{"dashboard request totals that differ from a recount", `SELECT count(*) FROM request_totals t WHERE t.requests != (
			SELECT count(*) FROM delivery_requests r WHERE r.hospital_id = t.hospital_id AND r.state = t.state AND r.priority = t.priority)`},
		{"dashboard outstanding totals that differ from a recount", `SELECT count(*) FROM outstanding_totals o WHERE o.quantity != (
			SELECT coalesce(sum(GREATEST(0, l.quantity - l.delivered_quantity)), 0) FROM delivery_requests r
			JOIN delivery_request_lines l ON l.delivery_request_id = r.id
			WHERE r.waiting = 1 AND r.hospital_id = o.hospital_id AND l.category = o.category AND l.unit = o.unit)`},
	} {
		var n int
		if err := raw.QueryRow(check.query).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d (%v), want 0", check.what, n, err)
		}
	}

	// The restarted A and B serve as one again.
	fromA := restarted.must("POST", "/v1/deliveryRequests", needBody(ward, 1))["name"].(string)
	fromB := b.must("POST", "/v1/deliveryRequests", needBody(ward, 2))["name"].(string)
	b.must("GET", "/v1/"+fromA, nil)
	restarted.must("GET", "/v1/"+fromB, nil)
}

// requestID is a fresh UUID (version 4) for a call's request_id.
func requestID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := cryptorand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func TestTwoServersCountACallRetriedThroughBothOnce(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	b.must("POST", "/v1/depots?depotId=bazaar", map[string]any{"displayName": "Green Bazaar",
		"location": map[string]any{"latitude": 43.2636, "longitude": 76.9535}})
	a.must("POST", "/v1/volunteers?volunteerId=aigerim", map[string]any{"displayName": "Aigerim", "vehicleKind": "CAR", "capacityKg": 500})

	// A phone on a bad network sends the same need four times at once, its
	// retries landing on both servers, over both faces.
	const rounds = 20
	var created []string
	for i := range rounds {
		id := requestID(t)
		// The same need each time, to the second.
		due := time.Now().Add(6 * time.Hour).UTC().Truncate(time.Second)
		body := needBody(ward, 7)
		body["deliverBefore"] = due.Format(time.RFC3339)
		var mu sync.Mutex
		names := map[string]int{}
		var calls []func()
		for _, p := range []*peer{a, b} {
			calls = append(calls, func() {
				code, out := p.rest("POST", "/v1/deliveryRequests?requestId="+id, body)
				mu.Lock()
				defer mu.Unlock()
				if code != 200 {
					t.Errorf("round %d: server %s: REST retry: %v", i, p.name, restOutcome(code, out))
					return
				}
				names[out["name"].(string)]++
			}, func() {
				r, err := p.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{RequestId: id,
					DeliveryRequest: &aqjurekv1.DeliveryRequest{Ward: ward, DeliverBefore: timestamppb.New(due), Priority: aqjurekv1.Priority_URGENT, Headcount: 30,
						Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 7, Unit: aqjurekv1.Unit_KILOGRAM}}}})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("round %d: server %s: gRPC retry: %v", i, p.name, grpcOutcome(err))
					return
				}
				names[r.GetName()]++
			})
		}
		atOnce(calls...)
		if len(names) != 1 {
			t.Errorf("round %d: four tries of one need were answered with %v, want one need", i, names)
		}
		for name := range names {
			created = append(created, name)
		}
	}
	slices.Sort(created)
	for _, p := range []*peer{a, b} {
		var listed []string
		for _, r := range p.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
			listed = append(listed, r["name"].(string))
		}
		slices.Sort(listed)
		if !slices.Equal(listed, created) {
			t.Errorf("server %s lists %d needs, want the %d filed, once each", p.name, len(listed), len(created))
		}
		if events := p.listAll("/v1/events?pageSize=1000", "events"); len(events) != 4+rounds {
			t.Errorf("server %s lists %d events, want %d: one CREATED a need", p.name, len(events), 4+rounds)
		}
	}

	// A driver's drop is sent four times at once the same way: it counts once.
	const drops = 10
	for i := range drops {
		need := created[i]
		id := fmt.Sprintf("r-%d", i)
		planRun(a, id, "aigerim", "bazaar")
		b.must("POST", "/v1/runs/"+id+":assign", map[string]any{"deliveryRequests": []string{need}})
		a.must("POST", "/v1/runs/"+id+":dispatch", map[string]any{})
		b.must("POST", "/v1/runs/"+id+":start", map[string]any{})
		stop := "runs/" + id + "/stops/stop-1"
		req := requestID(t)
		var calls []func()
		for _, p := range []*peer{a, b} {
			calls = append(calls, func() {
				code, out := p.rest("POST", "/v1/"+stop+":deliver", map[string]any{"receivedBy": "Nurse", "requestId": req,
					"lines": []any{map[string]any{"deliveryRequest": need, "line": 0, "quantity": 5}}})
				if code != 200 {
					t.Errorf("drop %d: server %s: REST retry: %v", i, p.name, restOutcome(code, out))
				}
			}, func() {
				_, err := p.runs.DeliverStop(context.Background(), &aqjurekv1.DeliverStopRequest{Name: stop, ReceivedBy: "Nurse", RequestId: req,
					Lines: []*aqjurekv1.DeliveredLine{{DeliveryRequest: need, Line: 0, Quantity: 5}}})
				if err != nil {
					t.Errorf("drop %d: server %s: gRPC retry: %v", i, p.name, grpcOutcome(err))
				}
			})
		}
		atOnce(calls...)
		for _, p := range []*peer{a, b} {
			r := p.must("GET", "/v1/"+need, nil)
			if got := asList(r["lines"])[0]["deliveredQuantity"]; got != 5.0 {
				t.Errorf("drop %d: server %s shows %v kg delivered after four tries of one 5 kg drop, want 5", i, p.name, got)
			}
		}
	}
}

func TestTwoServersFollowEachOtherAfterTheDatabaseCutsTheirListening(t *testing.T) {
	dsn, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	channel := `LISTEN "aqjurek_` + u.Query().Get("search_path") + `"`
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	listening := func() int {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE query = $1", channel).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := listening(); n != 2 {
		t.Fatalf("%d connections run %s, want one of each server", n, channel)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	onA, onB := watchREST(ctx, a, 0), watchGRPC(ctx, b, 0)
	var seenOnA, seenOnB []seen
	bothListen := func() {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); listening() != 2; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d servers listen after the cut, want both again", listening())
			}
		}
	}
	var latencies []time.Duration
	for round := range 5 {
		for _, w := range []struct {
			from   *peer
			name   string
			stream <-chan seen
			log    *[]seen
		}{{a, "B's WatchEvents", onB, &seenOnB}, {b, "A's events:watch", onA, &seenOnA}} {
			// The database ends both servers' listening connections (as a
			// restart, a failover or an operator would), and at once one
			// server files a need the other's watchers wait for: only its
			// listening tells the other of it.
			bothListen()
			var cut int
			if err := raw.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = $1", channel).Scan(&cut); err != nil || cut != 2 {
				t.Fatalf("round %d: cut %d listening connections (%v), want 2", round, cut, err)
			}
			sent := time.Now()
			need := w.from.must("POST", "/v1/deliveryRequests", needBody(ward, 3))["name"].(string)
			e, ok := awaitCreated(t, w.stream, need, w.log)
			if !ok {
				t.Fatalf("round %d: %s never sent the creation of %s, filed on %s after the cut", round, w.name, need, w.from.name)
			}
			latencies = append(latencies, e.at.Sub(sent))
			// The server reads what it missed as soon as it listens again
			// (a tenth of a second after the cut), not at its next
			// once-a-second read of the log.
			if took := e.at.Sub(sent); took >= 700*time.Millisecond {
				t.Errorf("round %d: %s sent the creation of %s %v after it was filed, want under 700 ms", round, w.name, need, took)
			}
		}
	}
	bothListen()
	t.Logf("filing on one server just after the cut to its event on the other's watch stream: %v", latencies)
	for _, w := range []struct {
		name string
		log  []seen
	}{{"A's events:watch", seenOnA}, {"B's WatchEvents", seenOnB}} {
		for i, e := range w.log {
			if e.sequence != int64(i+1) {
				t.Errorf("%s sent sequence %d at place %d", w.name, e.sequence, i+1)
				break
			}
		}
	}
}

func TestTwoServersGiveAnIDToOneCreateOnly(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	const rounds = 20
	var mu sync.Mutex
	bystanders := 0
	for i := range rounds {
		// Two wards' staff file needs under the same id through A and B at
		// once, while others file needs beside them through both.
		id := fmt.Sprintf("need-%d", i)
		var onA, onB outcome
		calls := []func(){
			func() {
				onA = restOutcome(a.rest("POST", "/v1/deliveryRequests?deliveryRequestId="+id, needBody(ward, 11)))
			},
			func() {
				_, err := b.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequestId: id,
					DeliveryRequest: &aqjurekv1.DeliveryRequest{Ward: ward, DeliverBefore: timestamppb.New(time.Now().Add(6 * time.Hour)),
						Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_FRUIT, Description: "apples", Quantity: 22, Unit: aqjurekv1.Unit_KILOGRAM}}}})
				onB = grpcOutcome(err)
			},
		}
		for _, p := range []*peer{a, b, a, b} {
			calls = append(calls, func() {
				code, out := p.rest("POST", "/v1/deliveryRequests", needBody(ward, 1))
				mu.Lock()
				defer mu.Unlock()
				if code != 200 {
					t.Errorf("round %d: server %s refused a need filed beside the race: %v", i, p.name, restOutcome(code, out))
					return
				}
				bystanders++
			})
		}
		atOnce(calls...)
		want, refusal := 11.0, onB
		switch {
		case onA.code == codes.OK && onB.code != codes.OK:
		case onB.code == codes.OK && onA.code != codes.OK:
			want, refusal = 22.0, onA
		default:
			t.Errorf("round %d: creating %s through A: %v, through B: %v; want exactly one to succeed", i, id, onA, onB)
			continue
		}
		if refusal != (outcome{codes.AlreadyExists, "deliveryRequests/" + id + " already exists"}) {
			t.Errorf("round %d: the second create of %s was told %v, want AlreadyExists", i, id, refusal)
		}
		for _, p := range []*peer{a, b} {
			if got := asList(p.must("GET", "/v1/deliveryRequests/"+id, nil)["lines"])[0]["quantity"]; got != want {
				t.Errorf("round %d: server %s shows %s for %v kg, want the winner's %v", i, p.name, id, got, want)
			}
		}
	}
	for _, p := range []*peer{a, b} {
		if n := len(p.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests")); n != rounds+bystanders {
			t.Errorf("server %s lists %d needs, want %d", p.name, n, rounds+bystanders)
		}
	}
}

func TestTwoServersLetOneOfTwoEditsFromOneVersionWin(t *testing.T) {
	_, a, b := twoServers(t)
	ward := seedWard(a, "gkb-7", "icu")
	need := b.must("POST", "/v1/deliveryRequests", needBody(ward, 5))["name"].(string)
	const rounds = 20
	for i := range rounds {
		// Two nurses opened the same version of the need, one on each
		// server, and save their notes at the same moment.
		etag := []*peer{a, b}[i%2].must("GET", "/v1/"+need, nil)["etag"].(string)
		notes := map[*peer]string{a: fmt.Sprintf("round %d: ring the bell", i), b: fmt.Sprintf("round %d: use the back door", i)}
		var onA, onB outcome
		editREST := func(p *peer, o *outcome) func() {
			return func() {
				*o = restOutcome(p.rest("PATCH", "/v1/"+need+"?updateMask=notes", map[string]any{"notes": notes[p], "etag": etag}))
			}
		}
		editGRPC := func(p *peer, o *outcome) func() {
			return func() {
				_, err := p.requests.UpdateDeliveryRequest(context.Background(), &aqjurekv1.UpdateDeliveryRequestRequest{
					DeliveryRequest: &aqjurekv1.DeliveryRequest{Name: need, Notes: notes[p], Etag: etag},
					UpdateMask:      &fieldmaskpb.FieldMask{Paths: []string{"notes"}}})
				*o = grpcOutcome(err)
			}
		}
		if i%2 == 0 {
			atOnce(editREST(a, &onA), editGRPC(b, &onB))
		} else {
			atOnce(editGRPC(a, &onA), editREST(b, &onB))
		}
		winner, refusal := a, onB
		switch {
		case onA.code == codes.OK && onB.code != codes.OK:
		case onB.code == codes.OK && onA.code != codes.OK:
			winner, refusal = b, onA
		default:
			t.Errorf("round %d: saving through A: %v, through B: %v; want exactly one to save", i, onA, onB)
			continue
		}
		if refusal.code != codes.Aborted || !strings.Contains(refusal.message, "get it again") {
			t.Errorf("round %d: the second nurse was told %v, want ABORTED telling them to get it again", i, refusal)
		}
		for _, p := range []*peer{a, b} {
			if got := p.must("GET", "/v1/"+need, nil); got["notes"] != notes[winner] || got["etag"] == etag {
				t.Errorf("round %d: server %s shows notes %q (etag %v), want the winner's %q under a new etag", i, p.name, got["notes"], got["etag"], notes[winner])
			}
		}
	}
	updated := 0
	for _, e := range a.listAll("/v1/events?resource="+need, "events") {
		if e["kind"] == "UPDATED" {
			updated++
		}
	}
	if updated != rounds {
		t.Errorf("%d UPDATED events of %s, want one a round: %d", updated, need, rounds)
	}
}

func TestTwoServersEndARevokedTokensStreamsOnBoth(t *testing.T) {
	dsn, a, b := twoServers(t)
	seedWard(a, "gkb-7", "icu")
	var out, errs bytes.Buffer
	if err := realMain(context.Background(), []string{"token", "create", "--db", dsn, "--role", "staff", "--hospital", "hospitals/gkb-7",
		"--name", "Aigerim S., ICU"}, &out, &errs); err != nil {
		t.Fatalf("token create: %v: %s", err, errs.String())
	}
	staffA, staffB := *a, *b
	staffA.bearer, staffB.bearer = strings.TrimSpace(out.String()), strings.TrimSpace(out.String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	onA, onB := watchREST(ctx, &staffA, 0), watchREST(ctx, &staffB, 0)
	for _, p := range []*peer{&staffA, &staffB} {
		if code, out := p.rest("GET", "/v1/caller", nil); code != 200 || out["role"] != "staff" {
			t.Fatalf("server %s: the staff token before its revocation: %d %v", p.name, code, out)
		}
	}

	// An admin revokes it on the database; neither server served the revocation.
	id := strings.Split(staffA.bearer, "_")[1]
	revoked := time.Now()
	if err := realMain(context.Background(), []string{"token", "revoke", id, "--db", dsn}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		name   string
		stream <-chan seen
	}{{"A", onA}, {"B", onB}} {
		timeout := time.After(5 * time.Second)
	drain:
		for {
			select {
			case _, open := <-w.stream:
				if !open {
					break drain
				}
			case <-timeout:
				t.Fatalf("server %s still streams to the revoked token", w.name)
			}
		}
		if took := time.Since(revoked); took > 2*time.Second {
			t.Errorf("server %s ended the revoked token's stream %v after the revocation, want within a second or so", w.name, took)
		}
	}
	for _, p := range []*peer{&staffA, &staffB} {
		if code, _ := p.rest("GET", "/v1/caller", nil); code != http.StatusUnauthorized {
			t.Errorf("server %s: the revoked token: %d, want 401", p.name, code)
		}
		if code, _ := p.rest("GET", "/v1/events:watch", nil); code != http.StatusUnauthorized {
			t.Errorf("server %s: a new watch with the revoked token: %d, want 401", p.name, code)
		}
	}
}

func TestTwoServersOneFrozenMidWriteDoesNotStallTheOther(t *testing.T) {
	dsn, a, b := twoServers(t)
	t.Cleanup(func() { a.cmd.Process.Signal(syscall.SIGCONT) }) // before a stops
	ward := seedWard(b, "gkb-7", "icu")
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	// Staff file needs through A as fast as they can.
	var mu sync.Mutex
	acknowledged := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if code, out := a.rest("POST", "/v1/deliveryRequests", needBody(ward, 10)); code == 200 {
					mu.Lock()
					acknowledged[out["name"].(string)] = true
					mu.Unlock()
				}
			}
		})
	}
	thaw := sync.OnceFunc(func() {
		a.cmd.Process.Signal(syscall.SIGCONT)
		close(stop)
		wg.Wait()
	})
	defer thaw()

	// A freezes (a paused VM or container, a stalled host, a network
	// partition all look the same to the database) in the middle of a
	// write: its transaction is open and holds the log's write lock.
	holding := func() int {
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM pg_locks WHERE relation = 'events'::regclass AND mode = 'ExclusiveLock' AND granted`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	frozen := false
	for attempt := 0; attempt < 100 && !frozen; attempt++ {
		time.Sleep(20 * time.Millisecond)
		a.cmd.Process.Signal(syscall.SIGSTOP)
		time.Sleep(50 * time.Millisecond)
		if frozen = holding() == 1; !frozen {
			a.cmd.Process.Signal(syscall.SIGCONT)
		}
	}
	if !frozen {
		t.Fatal("A was never caught inside a write transaction in 100 tries")
	}

	// B goes on serving: a nurse files a need through it and waits no
	// longer than a phone would.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := b.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward: ward, DeliverBefore: timestamppb.New(time.Now().Add(6 * time.Hour)),
		Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 6, Unit: aqjurekv1.Unit_LITER}},
	}})
	took := time.Since(start)
	if err != nil {
		t.Errorf("filing through B while A is frozen holding the log's write lock: %v after %v; want B to go on serving", grpcOutcome(err), took.Round(time.Millisecond))
	} else {
		t.Logf("B filed %s %v after A froze in a write", r.GetName(), took.Round(time.Millisecond))
	}

	// A thaws; both serve, and what either acknowledged is there.
	thaw()
	fromA := a.must("POST", "/v1/deliveryRequests", needBody(ward, 1))["name"].(string)
	b.must("GET", "/v1/"+fromA, nil)
	stored := map[string]bool{}
	for _, d := range b.listAll("/v1/deliveryRequests?pageSize=1000", "deliveryRequests") {
		stored[d["name"].(string)] = true
	}
	if err == nil && !stored[r.GetName()] {
		t.Errorf("%s, acknowledged by B, is gone", r.GetName())
	}
	for name := range acknowledged {
		if !stored[name] {
			t.Errorf("%s, acknowledged by A, is gone", name)
		}
	}
}

func TestTwoServersStartingTogetherOnAnEmptyDatabaseMigrateItOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("two servers run as processes on PostgreSQL")
	}
	dsn := storetest.DSN(t, storetest.Postgres)
	// Both start at the same moment on an empty schema; each would create
	// every table if it did not wait for the other.
	a, b := launchPeer(t, "A", dsn), launchPeer(t, "B", dsn)
	a.await("")
	b.await("")
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var versions, distinct int
	if err := raw.QueryRow("SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&versions, &distinct); err != nil ||
		versions == 0 || versions != distinct {
		t.Fatalf("schema_migrations holds %d rows of %d versions (%v), want each version once", versions, distinct, err)
	}
	// Only REST from here: the gRPC clients were made before the token.
	bearer := createToken(t, dsn, "admin", "Two servers test")
	a.bearer, b.bearer = bearer, bearer
	ward := seedWard(a, "gkb-7", "icu")
	name := b.must("POST", "/v1/deliveryRequests", needBody(ward, 5))["name"].(string)
	if got := a.must("GET", "/v1/"+name, nil); got["ward"] != ward {
		t.Errorf("A shows %s filed on B as %v", name, got)
	}
}
