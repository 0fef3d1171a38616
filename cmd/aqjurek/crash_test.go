package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// TestMain lets the test binary be the server: with AQJUREK_TEST_CHILD set
// it runs "aqjurek serve", configured by the AQJUREK_* variables, so a test
// can start the real server as a separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("AQJUREK_TEST_CHILD") == "serve" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		err := realMain(ctx, []string{"serve"}, os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the server running as a separate process.
type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, db string) *child {
	t.Helper()
	httpAddr := freePort(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "AQJUREK_TEST_CHILD=serve", "AQJUREK_DB="+db, "AQJUREK_GRPC_ADDR="+freePort(t),
		"AQJUREK_HTTP_ADDR="+httpAddr, "AQJUREK_RATE_LIMIT=1000000", "AQJUREK_LOG_LEVEL=error")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, base: "http://" + httpAddr}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(c.base + "/healthz"); err == nil {
			resp.Body.Close()
			return c
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the server did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// driver is a REST client of the child with a token.
type driver struct {
	base, token string
	client      *http.Client
}

func (d *driver) call(method, path string, body any) (int, map[string]any) {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, d.base+path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs the server as a process several times")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "crash.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	op := supply.Op{Actor: supply.Anonymous}
	db.CreateHospital(ctx, &supply.Hospital{ID: "gkb-7", DisplayName: "ГКБ №7", Location: &supply.LatLng{Latitude: 43.22, Longitude: 76.8}}, op)
	db.CreateWard(ctx, &supply.Ward{HospitalID: "gkb-7", ID: "icu", DisplayName: "ICU"}, op)
	db.CreateDepot(ctx, &supply.Depot{ID: "bazaar", DisplayName: "Green Bazaar", Location: &supply.LatLng{Latitude: 43.26, Longitude: 76.95}}, op)
	db.CreateVolunteer(ctx, &supply.Volunteer{ID: "daniyar", DisplayName: "Daniyar", CapacityKG: 100000, Active: true}, op)
	token, bearer, _ := auth.Issue("Crash test", supply.RoleAdmin, "", "", time.Now())
	if err := db.CreateToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	var migrationsApplied string
	db.Close()

	var mu sync.Mutex
	acknowledged := map[string]bool{} // created requests
	delivered := map[string]float64{} // request → quantity acknowledged as delivered
	rng := rand.New(rand.NewPCG(7, 11))
	for cycle := range 4 {
		c := startChild(t, dbPath)
		if cycle == 0 {
			raw, _ := sql.Open("sqlite3", dbPath+"?_query_only=1")
			raw.QueryRow("SELECT group_concat(apply_time) FROM schema_migrations").Scan(&migrationsApplied)
			raw.Close()
		}
		d := &driver{base: c.base, token: bearer, client: &http.Client{Timeout: 3 * time.Second}}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					code, out := d.call("POST", "/v1/deliveryRequests", map[string]any{
						"ward":          "hospitals/gkb-7/wards/icu",
						"lines":         []any{map[string]any{"category": "FRUIT", "quantity": 10, "unit": "KILOGRAM"}},
						"deliverBefore": time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339),
					})
					if code == 200 {
						mu.Lock()
						acknowledged[out["name"].(string)] = true
						mu.Unlock()
					}
				}
			})
		}
		wg.Go(func() { // a coordinator and a driver working runs meanwhile
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				run := fmt.Sprintf("c%dr%d", cycle, i)
				if code, _ := d.call("POST", "/v1/runs?runId="+run, map[string]any{"volunteer": "volunteers/daniyar", "depot": "depots/bazaar",
					"plannedStartTime": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}); code != 200 {
					continue
				}
				_, open := d.call("GET", "/v1/deliveryRequests?state=OPEN&pageSize=3", nil)
				var names []string
				for _, r := range asList(open["deliveryRequests"]) {
					names = append(names, r["name"].(string))
				}
				if len(names) == 0 {
					continue
				}
				code, assigned := d.call("POST", "/v1/runs/"+run+":assign", map[string]any{"deliveryRequests": names})
				if code != 200 {
					continue
				}
				d.call("POST", "/v1/runs/"+run+":dispatch", map[string]any{})
				d.call("POST", "/v1/runs/"+run+":start", map[string]any{})
				for _, s := range asList(assigned["stops"]) {
					var lines []any
					for _, r := range s["deliveryRequests"].([]any) {
						lines = append(lines, map[string]any{"deliveryRequest": r, "line": 0, "quantity": 4})
					}
					if code, _ := d.call("POST", "/v1/"+s["name"].(string)+":deliver", map[string]any{"receivedBy": "Nurse", "lines": lines}); code == 200 {
						mu.Lock()
						for _, r := range s["deliveryRequests"].([]any) {
							delivered[r.(string)] += 4
						}
						mu.Unlock()
					}
				}
			}
		})
		time.Sleep(time.Duration(300+rng.IntN(700)) * time.Millisecond)
		c.cmd.Process.Kill() // SIGKILL: no shutdown, no checkpoint
		c.cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if len(acknowledged) < 50 || len(delivered) == 0 {
		t.Fatalf("too little load to prove anything: %d creates, %d deliveries", len(acknowledged), len(delivered))
	}
	t.Logf("%d creates and %d deliveries acknowledged across 4 kills", len(acknowledged), len(delivered))

	// Restart once more: every acknowledged write is served.
	c := startChild(t, dbPath)
	d := &driver{base: c.base, token: bearer, client: &http.Client{Timeout: 10 * time.Second}}
	served := map[string]map[string]any{}
	for token := ""; ; {
		_, page := d.call("GET", "/v1/deliveryRequests?pageSize=1000&pageToken="+token, nil)
		for _, r := range asList(page["deliveryRequests"]) {
			served[r["name"].(string)] = r
		}
		if token, _ = page["nextPageToken"].(string); token == "" {
			break
		}
	}
	for name := range acknowledged {
		if served[name] == nil {
			t.Errorf("%s was acknowledged but is gone", name)
		}
	}
	for name, q := range delivered {
		if got := served[name]["lines"].([]any)[0].(map[string]any)["deliveredQuantity"].(float64); got < q {
			t.Errorf("%s: %v delivered was acknowledged, %v stored", name, q, got)
		}
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("clean shutdown after the crashes: %v", err)
	}

	// Nothing is half-written: the data, the runs and the log agree.
	raw, err := sql.Open("sqlite3", dbPath+"?_query_only=1")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, check := range []struct{ what, query, want string }{
		{"integrity", "PRAGMA integrity_check", "ok"},
		{"foreign keys", "SELECT count(*) FROM pragma_foreign_key_check", "0"},
		{"migrations ran once", "SELECT group_concat(apply_time) FROM schema_migrations", migrationsApplied},
		{"requests on a run are on its pending stop, in the run's state", `SELECT count(*) FROM delivery_requests r
			WHERE r.state IN ('SCHEDULED', 'IN_TRANSIT') AND NOT EXISTS (
				SELECT 1 FROM stop_requests q JOIN stops s ON s.run_id = q.run_id AND s.id = q.stop_id JOIN runs u ON u.id = s.run_id
				WHERE q.delivery_request_id = r.id AND q.run_id = r.run_id AND s.state = 'PENDING'
				AND (r.state = 'SCHEDULED' AND u.state IN ('PLANNED', 'DISPATCHED') OR r.state = 'IN_TRANSIT' AND u.state = 'IN_PROGRESS'))`, "0"},
		{"pending stops of active runs hold only requests on that run", `SELECT count(*) FROM stop_requests q
			JOIN stops s ON s.run_id = q.run_id AND s.id = q.stop_id JOIN runs u ON u.id = s.run_id
			JOIN delivery_requests r ON r.id = q.delivery_request_id
			WHERE s.state = 'PENDING' AND u.state IN ('PLANNED', 'DISPATCHED', 'IN_PROGRESS') AND coalesce(r.run_id, '') != u.id`, "0"},
		{"delivered quantities are the sum of the drops", `SELECT count(*) FROM delivery_request_lines l
			WHERE l.delivered_quantity != coalesce((SELECT sum(d.quantity) FROM stop_deliveries d
				WHERE d.delivery_request_id = l.delivery_request_id AND d.line = l.position), 0)`, "0"},
		{"every request has its creation event", `SELECT count(*) FROM delivery_requests r
			WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.resource = 'deliveryRequests/' || r.id AND e.kind = 'CREATED')`, "0"},
		{"every run has its creation event", `SELECT count(*) FROM runs r
			WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.resource = 'runs/' || r.id AND e.kind = 'CREATED')`, "0"},
		{"the dashboard's request totals equal a recount", `SELECT count(*) FROM request_totals t WHERE t.requests != (
			SELECT count(*) FROM delivery_requests r WHERE r.hospital_id = t.hospital_id AND r.state = t.state AND r.priority = t.priority)`, "0"},
		{"the dashboard's outstanding totals equal a recount", `SELECT count(*) FROM outstanding_totals o WHERE o.quantity != (
			SELECT coalesce(sum(max(0, l.quantity - l.delivered_quantity)), 0) FROM delivery_requests r
			JOIN delivery_request_lines l ON l.delivery_request_id = r.id
			WHERE r.waiting = 1 AND r.hospital_id = o.hospital_id AND l.category = o.category AND l.unit = o.unit)`, "0"},
	} {
		var got string
		if err := raw.QueryRow(check.query).Scan(&got); err != nil || got != check.want {
			t.Errorf("%s: got %q (%v), want %q", check.what, got, err, check.want)
		}
	}
}

func asList(v any) []map[string]any {
	items, _ := v.([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
