package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// freePort returns a loopback address nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// lockedBuffer is a buffer the server writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveUntil runs "aqjurek serve" with args until check has run with what
// the server printed, then stops it as SIGTERM would and returns its logs.
func serveUntil(t *testing.T, args []string, httpAddr string, check func(printed string)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs, printed lockedBuffer
	done := make(chan error, 1)
	go func() { done <- realMain(ctx, append([]string{"serve"}, args...), &printed, &logs) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + httpAddr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not come up: %v\n%s", <-done, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	check(printed.String())
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	return logs.String()
}

// demoToken is the coordinator token a demo start printed.
func demoToken(t *testing.T, printed string) string {
	t.Helper()
	_, after, ok := strings.Cut(printed, "export TOKEN=")
	if !ok {
		t.Fatalf("no token printed:\n%s", printed)
	}
	return strings.Fields(after)[0]
}

func getJSON(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return out
}

func TestServeDemoLoadsAnAlmatyDataSetOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	httpAddr := freePort(t)
	// Flags may come from the environment; the command line wins.
	t.Setenv("AQJUREK_HTTP_ADDR", httpAddr)
	t.Setenv("AQJUREK_DB", "/nonexistent/ignored.db")
	args := []string{"--demo", "--db", db, "--grpc-addr", freePort(t)}

	var firstToken string
	past := 0 // needs of the fortnight before today
	logs := serveUntil(t, args, httpAddr, func(printed string) {
		base := "http://" + httpAddr + "/v1/"
		token := demoToken(t, printed)
		firstToken = token
		for _, role := range []string{"admin", "coordinator", "staff", "driver"} {
			if !strings.Contains(printed, "  "+role+" ") {
				t.Errorf("no %s token printed:\n%s", role, printed)
			}
		}
		if hs := getJSON(t, base+"hospitals?pageSize=100", token)["hospitals"].([]any); len(hs) != 8 {
			t.Errorf("%d hospitals, want 8", len(hs))
		} else {
			for _, h := range hs {
				loc := h.(map[string]any)["location"].(map[string]any)
				lat, lng := loc["latitude"].(float64), loc["longitude"].(float64)
				if lat < 43.15 || lat > 43.40 || lng < 76.75 || lng > 77.10 {
					t.Errorf("%v lies outside Almaty", h.(map[string]any)["name"])
				}
			}
		}
		if ds := getJSON(t, base+"depots", token)["depots"].([]any); len(ds) != 2 {
			t.Errorf("%d depots, want 2", len(ds))
		}
		if vs := getJSON(t, base+"volunteers", token)["volunteers"].([]any); len(vs) != 10 {
			t.Errorf("%d volunteers, want 10", len(vs))
		}
		// Today's 40 needs, and the fortnight's before them, all delivered.
		var requests []any
		for _, r := range getJSON(t, base+"deliveryRequests?pageSize=1000", token)["deliveryRequests"].([]any) {
			if name := r.(map[string]any)["name"].(string); !strings.HasPrefix(name, "deliveryRequests/demo-") {
				if state := r.(map[string]any)["state"]; state != "DELIVERED" {
					t.Errorf("%s of the past fortnight is %v", name, state)
				}
				past++
				continue
			}
			requests = append(requests, r)
		}
		if past < 90 {
			t.Errorf("%d needs delivered before today, want the fortnight's", past)
		}
		states, categories, priorities, overdue := map[any]int{}, map[any]int{}, map[any]int{}, 0
		for _, r := range requests {
			r := r.(map[string]any)
			states[r["state"]]++
			priorities[r["priority"]]++
			if r["overdue"] == true {
				overdue++
			}
			for _, l := range r["lines"].([]any) {
				categories[l.(map[string]any)["category"]]++
			}
		}
		if len(requests) != 40 || len(states) != 5 || overdue == 0 || len(categories) < 5 || len(priorities) != 3 {
			t.Errorf("%d requests; states %v, priorities %v, categories %v, %d overdue", len(requests), states, priorities, categories, overdue)
		}
		runStates := map[any]int{}
		for _, r := range getJSON(t, base+"runs?pageSize=1000", token)["runs"].([]any) {
			runStates[r.(map[string]any)["state"]]++
		}
		if len(runStates) != 5 {
			t.Errorf("runs in states %v, want one in each of the five", runStates)
		}
		// The ledger's fortnight: gifts of money and goods, purchases, and a
		// firm's transfer traced through what it bought to a ward.
		if ds := getJSON(t, base+"donations?pageSize=100", token)["donations"].([]any); len(ds) < 20 {
			t.Errorf("%d donations, want the demo's fortnight of them", len(ds))
		}
		if ps := getJSON(t, base+"purchases", token)["purchases"].([]any); len(ps) < 5 {
			t.Errorf("%d purchases, want the demo's bazaar purchases", len(ps))
		}
		if drops, _ := getJSON(t, base+"donations/transfer-alatau-logistic:trace", token)["drops"].([]any); len(drops) == 0 ||
			!strings.HasPrefix(fmt.Sprint(drops[0].(map[string]any)["ward"]), "hospitals/") {
			t.Errorf("the demo's transfer traces to drops %v, want a ward", drops)
		}
		summary := getJSON(t, base+"dashboard", token)
		if len(summary["runsInProgress"].([]any)) != 1 || len(summary["outstanding"].([]any)) == 0 {
			t.Errorf("dashboard = %v", summary)
		}
	})
	if !strings.Contains(logs, "demo data loaded") {
		t.Errorf("logs do not say the demo was loaded:\n%s", logs)
	}

	// A second start on the same database keeps what is there.
	logs = serveUntil(t, args, httpAddr, func(printed string) {
		token := demoToken(t, printed)
		if rs := getJSON(t, "http://"+httpAddr+"/v1/deliveryRequests?pageSize=1000", token)["deliveryRequests"].([]any); len(rs) != 40+past {
			t.Errorf("%d requests after restart, want 40 of today and the %d before", len(rs), past)
		}
		// The demo's tokens are new at every start; the old ones stop working.
		req, _ := http.NewRequest("GET", "http://"+httpAddr+"/v1/hospitals", nil)
		req.Header.Set("Authorization", "Bearer "+firstToken)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the first start's token after a restart: %v %v, want 401", resp.Status, err)
		} else {
			resp.Body.Close()
		}
	})
	if !strings.Contains(logs, "demo data not loaded") {
		t.Errorf("second start:\n%s", logs)
	}
}

func TestCommandLineErrorsAreClear(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"serve", "--log-level", "loud"}, "--log-level"},
		{[]string{"serve", "--grpc-addr", "nohost", "--db", ""}, "--grpc-addr"},
		{[]string{"serve", "--db", t.TempDir(), "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"}, "is a directory"},
		{[]string{"serve", "extra"}, "unexpected arguments"},
	} {
		err := realMain(context.Background(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("aqjurek %v = %v, want %q", tc.args, err, tc.says)
		}
	}
	var out bytes.Buffer
	db := filepath.Join(t.TempDir(), "m.db")
	if err := realMain(context.Background(), []string{"migrate", "--db", db}, &out, &bytes.Buffer{}); err != nil ||
		!strings.Contains(out.String(), "up to date") {
		t.Errorf("migrate: %v %q", err, out.String())
	}
}
