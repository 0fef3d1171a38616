package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// Config is how a bench runs.
type Config struct {
	// Duration is how long each throughput figure is measured.
	Duration time.Duration
	// Concurrency is how many clients call at once.
	Concurrency int
	// Rows is how many delivery requests the database holds before the run.
	Rows int
	// Watchers is how many event streams follow the log in the watcher
	// figure; 0 skips it.
	Watchers int
	// DB, when set, is a PostgreSQL server's URL: the run then works in a
	// schema of its own there, dropped at the end. Empty is an SQLite file
	// in a temporary folder.
	DB string
	// Executable is the aqjurek binary to run as the server.
	Executable string
	// Progress, when set, hears what the bench is doing.
	Progress io.Writer
}

// Figure is one measured value.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Report is what a run measured.
type Report struct {
	// Engine is sqlite or postgres; Database names the database the run
	// made (without a password) and Durability how commits were made
	// durable.
	Engine     string   `json:"engine"`
	Database   string   `json:"database"`
	Durability string   `json:"durability"`
	Figures    []Figure `json:"figures"`
	Ratios     []Figure `json:"ratios"`
	// Errors counts calls that failed; a sound run has none.
	Errors int `json:"errors"`
	// Missing counts acknowledged creates not found afterwards.
	Missing int `json:"missing"`
}

func (r *Report) add(name string, value float64, unit string) {
	r.Figures = append(r.Figures, Figure{Name: name, Value: value, Unit: unit})
}

func (r *Report) value(name string) float64 {
	for _, f := range r.Figures {
		if f.Name == name {
			return f.Value
		}
	}
	return 0
}

// Print writes the engine, then one line per figure, then the ratios.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "engine: %s (%s), %s\n", r.Engine, r.Durability, r.Database)
	for _, f := range append(append([]Figure(nil), r.Figures...), r.Ratios...) {
		fmt.Fprintf(w, "%s: %s %s\n", f.Name, strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit)
	}
}

// JSON writes the report as JSON.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (c Config) say(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

// Run measures every figure in one run, on a fresh database that is
// removed afterwards, whether the run succeeds, fails or is interrupted
// (ctx done).
func Run(ctx context.Context, cfg Config) (report *Report, err error) {
	t, err := newTarget(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	defer func() {
		if removeErr := t.remove(); removeErr != nil && err == nil {
			err = removeErr
		}
	}()
	r := &Report{Engine: "sqlite", Database: t.display}
	if t.postgres {
		r.Engine = "postgres"
	}
	now := time.Now()
	cfg.say("benchmarking %s", t.display)

	cfg.say("measuring raw %s inserts, one row per transaction", r.Engine)
	rate, limitName, durability, err := t.limit(ctx, cfg.Duration)
	if err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	r.Durability = durability
	r.add(limitName, round(rate), "rows/s")

	cfg.say("seeding %d delivery requests", cfg.Rows)
	start := time.Now()
	if err := seed(ctx, t, cfg.Rows, now); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	r.add("seed_rows", round(float64(cfg.Rows)/time.Since(start).Seconds()), "rows/s")
	token, err := adminToken(ctx, t.dsn)
	if err != nil {
		return nil, err
	}

	srv, err := startServer(ctx, cfg.Executable, t.dsn)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	r.add("startup", ms(srv.startup), "ms")
	r.add("rss_after_start", float64(srv.rss("VmRSS"))/1024, "MiB")

	conn, err := grpc.NewClient(srv.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithPerRPCCredentials(bearer(token)))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	c := &clients{
		ctx: ctx, cfg: cfg, token: token, base: "http://" + srv.httpAddr,
		http:     &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency}, Timeout: 30 * time.Second},
		requests: aqjurekv1.NewDeliveryRequestServiceClient(conn),
		runs:     aqjurekv1.NewRunServiceClient(conn),
		events:   aqjurekv1.NewEventServiceClient(conn),
		grpcAddr: srv.grpcAddr,
		now:      now,
	}

	var created []string
	var mu sync.Mutex
	record := func(name string) {
		mu.Lock()
		created = append(created, name)
		mu.Unlock()
	}
	cfg.say("filing requests over gRPC with %d clients", cfg.Concurrency)
	c.measure(r, "file_request_grpc", "requests/s", cfg.Concurrency, func(i int) error {
		out, err := c.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: c.need(i)})
		if err == nil {
			record(out.GetName())
		}
		return err
	})
	cfg.say("filing requests over REST with %d clients", cfg.Concurrency)
	c.measure(r, "file_request_rest", "requests/s", cfg.Concurrency, func(i int) error {
		body, _ := json.Marshal(map[string]any{
			"ward": fmt.Sprintf("hospitals/h%d/wards/w%d", i%benchHospitals, i%benchWards), "deliverBefore": now.Add(6 * time.Hour).Format(time.RFC3339),
			"lines": []any{map[string]any{"category": "FRUIT", "quantity": 12.5, "unit": "KILOGRAM"}, map[string]any{"category": "MEALS", "quantity": 40, "unit": "PORTION"}},
		})
		var out struct{ Name string }
		if err := c.rest("POST", "/v1/deliveryRequests", body, &out); err != nil {
			return err
		}
		record(out.Name)
		return nil
	})
	listOpen := func(i int) error {
		_, err := c.requests.ListDeliveryRequests(ctx, &aqjurekv1.ListDeliveryRequestsRequest{
			Hospital: fmt.Sprintf("hospitals/h%d", i%benchHospitals), PageSize: 50,
			State: []aqjurekv1.DeliveryRequest_State{aqjurekv1.DeliveryRequest_OPEN, aqjurekv1.DeliveryRequest_SCHEDULED, aqjurekv1.DeliveryRequest_IN_TRANSIT},
		})
		return err
	}
	cfg.say("listing open requests of one hospital on %d rows", cfg.Rows)
	c.measure(r, "list_open_requests", "requests/s", cfg.Concurrency, listOpen)
	// With every client on two shared cores, latency is mostly the wait for
	// a core; one client shows what a list itself takes.
	cfg.say("listing open requests of one hospital with one client")
	c.measure(r, "list_open_requests_one_client", "requests/s", 1, listOpen)
	cfg.say("computing the dashboard summary")
	c.measure(r, "dashboard_summary", "requests/s", min(cfg.Concurrency, 4), func(int) error {
		return c.rest("GET", "/v1/dashboard", nil, nil)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg.say("preparing runs for the drivers")
	stops, err := c.prepareStops(ctx, t)
	if err != nil {
		return nil, err
	}
	cfg.say("delivering %d stops with %d drivers", len(stops), cfg.Concurrency)
	var next sync.Mutex
	c.measure(r, "deliver_stop", "stops/s", cfg.Concurrency, func(int) error {
		next.Lock()
		if len(stops) == 0 {
			next.Unlock()
			return errDone
		}
		s := stops[0]
		stops = stops[1:]
		next.Unlock()
		_, err := c.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: s.name, ReceivedBy: "Bench nurse", Lines: s.lines})
		return err
	})
	if cfg.Watchers > 0 && ctx.Err() == nil {
		if err := c.measureWatchers(ctx, r, t.dsn, srv); err != nil {
			return nil, fmt.Errorf("watchers: %w", err)
		}
	}
	r.add("peak_rss", float64(srv.rss("VmHWM"))/1024, "MiB")
	r.Errors = c.errors

	srv.stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Missing, err = missing(ctx, t, created)
	if err != nil {
		return nil, err
	}
	r.add("acknowledged_creates", float64(len(created)), "requests")
	r.add("acknowledged_creates_missing", float64(r.Missing), "requests")
	if limit := r.value(limitName); limit > 0 {
		r.Ratios = append(r.Ratios, Figure{Name: "file_request_grpc/" + limitName, Value: round2(r.value("file_request_grpc") / limit), Unit: "(target ≥ 0.8)"})
	}
	if g := r.value("file_request_grpc"); g > 0 {
		r.Ratios = append(r.Ratios, Figure{Name: "file_request_rest/file_request_grpc", Value: round2(r.value("file_request_rest") / g), Unit: "(target ≥ 0.6)"})
	}
	if r.Errors > 0 || r.Missing > 0 {
		return r, fmt.Errorf("%d calls failed and %d acknowledged creates are missing", r.Errors, r.Missing)
	}
	return r, nil
}

// errDone ends a measurement early: there is nothing left to do.
var errDone = errors.New("done")

// clients call the server under measurement.
type clients struct {
	// ctx ends every measurement early when the run is interrupted.
	ctx      context.Context
	cfg      Config
	token    string
	base     string
	http     *http.Client
	requests aqjurekv1.DeliveryRequestServiceClient
	runs     aqjurekv1.RunServiceClient
	events   aqjurekv1.EventServiceClient
	grpcAddr string
	now      time.Time

	mu     sync.Mutex
	errors int
}

func (c *clients) need(i int) *aqjurekv1.DeliveryRequest {
	return &aqjurekv1.DeliveryRequest{
		Ward: fmt.Sprintf("hospitals/h%d/wards/w%d", i%benchHospitals, i%benchWards),
		Lines: []*aqjurekv1.LineItem{
			{Category: aqjurekv1.Category_FRUIT, Quantity: 12.5, Unit: aqjurekv1.Unit_KILOGRAM},
			{Category: aqjurekv1.Category_MEALS, Quantity: 40, Unit: aqjurekv1.Unit_PORTION},
		},
		DeliverBefore: timestamppb.New(c.now.Add(6 * time.Hour)),
	}
}

func (c *clients) rest(method, path string, body []byte, out any) error {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// measure runs call from n clients for the configured duration and adds
// the rate and the 50th and 99th percentile latencies.
func (c *clients) measure(r *Report, name, unit string, n int, call func(i int) error) {
	var mu sync.Mutex
	var latencies []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	stop := start.Add(c.cfg.Duration)
	for w := range n {
		wg.Go(func() {
			var mine []time.Duration
			for i := w; time.Now().Before(stop) && c.ctx.Err() == nil; i += n {
				t := time.Now()
				err := call(i)
				if errors.Is(err, errDone) {
					break
				}
				if err != nil {
					c.mu.Lock()
					if c.errors < 5 {
						c.cfg.say("%s: %v", name, err)
					}
					c.errors++
					c.mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(start)
	slices.Sort(latencies)
	r.add(name, round(float64(len(latencies))/took.Seconds()), unit)
	r.add(name+"_p50", ms(percentile(latencies, 0.50)), "ms")
	r.add(name+"_p99", ms(percentile(latencies, 0.99)), "ms")
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) float64 { return round2(float64(d.Microseconds()) / 1000) }

func round(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// stop is one stop ready for a drop, with the lines to hand over.
type stop struct {
	name  string
	lines []*aqjurekv1.DeliveredLine
}

// prepareStops puts open seeded requests on started runs, one stop per
// ward, and returns the stops to deliver.
func (c *clients) prepareStops(ctx context.Context, t *target) ([]stop, error) {
	if err := c.rest("POST", "/v1/volunteers?volunteerId=bench-driver", []byte(`{"displayName":"Bench driver","capacityKg":10000}`), nil); err != nil {
		return nil, err
	}
	raw, err := t.open(readOnly)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	// Enough stops for the measurement at the rate requests were filed.
	want := int(c.cfg.Duration.Seconds()*1000) + 100
	rows, err := raw.QueryContext(ctx, `SELECT id, hospital_id || '/' || ward_id FROM delivery_requests
		WHERE state = 'OPEN' AND id LIKE 'seed%' ORDER BY id LIMIT ?`, want)
	if err != nil {
		return nil, err
	}
	byWard := map[string][]string{}
	var wards []string
	for rows.Next() {
		var id, ward string
		if err := rows.Scan(&id, &ward); err != nil {
			rows.Close()
			return nil, err
		}
		if byWard[ward] == nil {
			wards = append(wards, ward)
		}
		byWard[ward] = append(byWard[ward], id)
	}
	rows.Close()
	var stops []stop
	for run := 0; ; run++ {
		var names []string
		for _, w := range wards {
			if ids := byWard[w]; len(ids) > 0 {
				names = append(names, "deliveryRequests/"+ids[0])
				byWard[w] = ids[1:]
			}
		}
		if len(names) == 0 {
			return stops, nil
		}
		id := fmt.Sprintf("bench-%d", run)
		r, err := c.runs.CreateRun(ctx, &aqjurekv1.CreateRunRequest{RunId: id, Run: &aqjurekv1.Run{
			Volunteer: "volunteers/bench-driver", Depot: "depots/depot", PlannedStartTime: timestamppb.New(time.Now().Add(time.Minute))}})
		if err == nil {
			r, err = c.runs.AssignRun(ctx, &aqjurekv1.AssignRunRequest{Name: r.GetName(), DeliveryRequests: names, OverrideCapacity: true})
		}
		if err == nil {
			_, err = c.runs.DispatchRun(ctx, &aqjurekv1.DispatchRunRequest{Name: r.GetName()})
		}
		if err == nil {
			_, err = c.runs.StartRun(ctx, &aqjurekv1.StartRunRequest{Name: r.GetName()})
		}
		if err != nil {
			return nil, fmt.Errorf("prepare run %s: %w", id, err)
		}
		for _, s := range r.GetStops() {
			var lines []*aqjurekv1.DeliveredLine
			for _, req := range s.GetDeliveryRequests() {
				lines = append(lines, &aqjurekv1.DeliveredLine{DeliveryRequest: req, Line: 0, Quantity: 10},
					&aqjurekv1.DeliveredLine{DeliveryRequest: req, Line: 1, Quantity: 20})
			}
			stops = append(stops, stop{name: s.GetName(), lines: lines})
		}
	}
}

// missing counts acknowledged creates the database does not hold.
func missing(ctx context.Context, t *target, names []string) (int, error) {
	raw, err := t.open(readOnly)
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	n := 0
	for _, name := range names {
		var found int
		if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM delivery_requests WHERE id = ?", strings.TrimPrefix(name, "deliveryRequests/")).Scan(&found); err != nil {
			return 0, err
		}
		if found == 0 {
			n++
		}
	}
	return n, nil
}

func adminToken(ctx context.Context, dsn string) (string, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	t, secret, err := auth.Issue("Bench", supply.RoleAdmin, "", "", time.Now())
	if err != nil {
		return "", err
	}
	return secret, db.CreateToken(ctx, t)
}

type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

func (bearer) RequireTransportSecurity() bool { return false }

// server is the aqjurek server under measurement, as its own process.
type server struct {
	cmd                *exec.Cmd
	grpcAddr, httpAddr string
	startup            time.Duration
	stopOnce           sync.Once
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startServer(ctx context.Context, exe, dsn string) (*server, error) {
	grpcAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, "serve")
	cmd.Env = append(os.Environ(), "AQJUREK_TEST_CHILD=serve", "AQJUREK_DB="+dsn, "AQJUREK_GRPC_ADDR="+grpcAddr,
		"AQJUREK_HTTP_ADDR="+httpAddr, "AQJUREK_RATE_LIMIT=1000000000", "AQJUREK_LOG_LEVEL=error")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, grpcAddr: grpcAddr, httpAddr: httpAddr}
	for {
		if resp, err := http.Get("http://" + httpAddr + "/healthz"); err == nil {
			resp.Body.Close()
			s.startup = time.Since(start)
			return s, nil
		}
		if time.Since(start) > 60*time.Second {
			s.stop()
			return nil, fmt.Errorf("the server did not start: %s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// rss reads a memory figure of the server from /proc, in KiB.
func (s *server) rss(field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.Atoi(strings.Fields(rest)[0])
			return kb
		}
	}
	return 0
}

func (s *server) stop() {
	s.stopOnce.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
	})
}
