package server_test

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aqjurek/tracker/internal/server"
)

func TestRESTRefusesQueryParametersItCannotUse(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-1/wards/er"))

	// Both spellings of a field are parameters; the filter applies.
	for _, query := range []string{"hospital=hospitals/gkb-7&pageSize=5", "hospital=hospitals/gkb-7&page_size=5&state=OPEN&overdue=false"} {
		out := s.mustREST(200, "GET", "/v1/deliveryRequests?"+query, nil)
		if got, _ := out["deliveryRequests"].([]any); len(got) != 1 {
			t.Errorf("?%s: %d requests, want the 1 of gkb-7", query, len(got))
		}
	}
	for _, tc := range []struct {
		query string
		says  []string
	}{
		{"hosptial=hospitals/gkb-7", []string{`unknown query parameter "hosptial"`}},
		{"hospital=hospitals/gkb-7&lines.quantity=1", []string{`unknown query parameter "lines.quantity"`}},
		{"pageSize=abc", []string{`pageSize: "abc" is not a whole number`}},
		{"page_size=99999999999", []string{`page_size: "99999999999" is not a whole number`}},
		{"state=SHIPPED", []string{"state:", `"SHIPPED" is not one of OPEN`}},
		{"overdue=maybe", []string{`overdue: "maybe" is not true or false`}},
		{"pageSize=1&pageSize=2", []string{"pageSize: takes one value, got 2"}},
	} {
		code, out := s.rest("GET", "/v1/deliveryRequests?"+tc.query, nil)
		message, _ := out["message"].(string)
		if code != 400 || strings.Contains(message, "strconv") || strings.Contains(message, "parsing field") {
			t.Errorf("?%s: %d %q, want 400 without Go's own text", tc.query, code, message)
		}
		for _, want := range tc.says {
			if !strings.Contains(message, want) {
				t.Errorf("?%s: %q, want it to say %q", tc.query, message, want)
			}
		}
	}
	// A typo on a change is refused before anything is changed.
	code, out := s.rest("POST", "/v1/hospitals?hospitalID=gkb-9", object{"displayName": "Typo", "location": object{"latitude": 43.25, "longitude": 76.9}})
	if message, _ := out["message"].(string); code != 400 || !strings.Contains(message, `"hospitalID"`) {
		t.Errorf("create with ?hospitalID=: %d %q, want 400 naming hospitalID", code, message)
	}
	if n := len(s.listAll("/v1/hospitals", "hospitals")); n != 2 {
		t.Errorf("%d hospitals after a refused create, want 2", n)
	}
}

func TestRESTRefusesABodyWithDataAfterIt(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	body := s.needJSON()
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"text after the object", body + "xyz", 400},
		{"two objects", body + body, 400},
		{"an object and a number", body + " 1", 400},
		{"an unclosed second object", body + "{", 400},
		{"white space after the object", body + " \n\t ", 200},
	} {
		code, out := s.rest("POST", "/v1/deliveryRequests", tc.body)
		if code != tc.code {
			t.Errorf("%s: %d %v, want %d", tc.name, code, truncateMap(out), tc.code)
		}
		if message, _ := out["message"].(string); tc.code == 400 && !strings.Contains(message, "one JSON value and nothing after it") {
			t.Errorf("%s: %q, want it to say the body holds more than one value", tc.name, message)
		}
	}
	if n := len(s.listAll("/v1/deliveryRequests", "deliveryRequests")); n != 1 {
		t.Errorf("%d requests stored, want only the one sent alone", n)
	}
}

func TestRESTAnswers413ToABodyOverTheLimit(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	big := `{"notes":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, tc := range []struct {
		name   string
		length int64 // -1: chunked, with no Content-Length
	}{{"with its length", int64(len(big))}, {"chunked", -1}} {
		req, err := http.NewRequest("POST", s.base+"/v1/deliveryRequests", io.NopCloser(strings.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = tc.length
		req.Header.Set("Authorization", "Bearer "+s.bearer)
		resp, err := s.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(data), "over the limit of 1048576 bytes") {
			t.Errorf("a 2 MiB body %s: %d %.200s, want 413 saying the limit", tc.name, resp.StatusCode, data)
		}
	}
	// A body just under the limit is read, and refused only for what it says.
	under := `{"notes":"` + strings.Repeat("a", 1<<20-100) + `"}`
	if code, out := s.rest("POST", "/v1/deliveryRequests", under); code != 400 || !strings.Contains(out["message"].(string), "notes") {
		t.Errorf("a body under the limit: %d %v, want 400 about its notes", code, truncateMap(out))
	}
}

func TestAPIAnswersAreNotCachedAndTLSAsksForHSTS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSignedCert(t)
	plain := startServer(t)
	onTLS := startServer(t, func(c *server.Config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	onTLS.base = "https://" + onTLS.HTTPAddr()
	onTLS.http = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}, Timeout: 10 * time.Second}
	for _, s := range []*testServer{plain, onTLS} {
		hsts := ""
		if s == onTLS {
			hsts = "max-age=31536000"
		}
		for _, tc := range []struct {
			path, bearer, cache string
			code                int
		}{
			{"/v1/hospitals", s.bearer, "no-store", 200},
			{"/v1/hospitals", "aqj_no_such", "no-store", 401},
			{"/v1/hospitalz", s.bearer, "no-store", 404},
			{"/", "", "no-cache", 200}, // the application's files keep their caching
			{"/app.js", "", "no-cache", 200},
		} {
			req, err := http.NewRequest("GET", s.base+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			resp, err := s.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := [3]string{strconv.Itoa(resp.StatusCode), resp.Header.Get("Cache-Control"), resp.Header.Get("Strict-Transport-Security")}
			if want := [3]string{strconv.Itoa(tc.code), tc.cache, hsts}; got != want {
				t.Errorf("GET %s: status, Cache-Control, HSTS = %q, want %q", s.base+tc.path, got, want)
			}
		}
		resp := s.open("/v1/events:watch")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Strict-Transport-Security") != hsts {
			t.Errorf("%s events:watch: %d %v", s.base, resp.StatusCode, resp.Header)
		}
	}
}

func TestTheHTTPServersComplaintsAreJSON(t *testing.T) {
	t.Parallel()
	certFile, keyFile, _ := selfSignedCert(t)
	var logs lockedLog
	s := startServer(t, func(c *server.Config) {
		c.TLSCert, c.TLSKey = certFile, keyFile
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	// Plain HTTP to the TLS listener: the HTTP server complains of the handshake.
	resp, err := http.Get("http://" + s.HTTPAddr() + "/healthz")
	if err == nil {
		resp.Body.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "TLS handshake error") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	found := false
	for line := range strings.Lines(logs.String()) {
		var entry struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line is not JSON: %q", line)
		}
		found = found || strings.Contains(entry.Msg, "TLS handshake error")
	}
	if !found {
		t.Errorf("the failed handshake is not in the JSON log:\n%s", logs.String())
	}
}

// lockedLog is a log the server's goroutines write while the test reads.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestMetricsAreServedOnlyOnTheirOwnAddress(t *testing.T) {
	t.Parallel()
	get := func(url string) int {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	without := startServer(t)
	with := startServer(t, func(c *server.Config) { c.MetricsAddr = "127.0.0.1:0" })
	if without.MetricsAddr() != "" {
		t.Errorf("metrics served on %s without --metrics-addr", without.MetricsAddr())
	}
	for _, s := range []*testServer{without, with} {
		if code := get(s.base + "/metrics"); code != 404 {
			t.Errorf("/metrics on the API's address answered %d, want 404", code)
		}
	}
	if code := get("http://" + with.MetricsAddr() + "/metrics"); code != 200 {
		t.Errorf("/metrics on --metrics-addr answered %d", code)
	}
	if code := get("http://" + with.MetricsAddr() + "/v1/hospitals"); code != 404 {
		t.Errorf("the API on --metrics-addr answered %d, want 404", code)
	}
	if err := (server.Config{DBPath: "a.db", GRPCAddr: ":0", HTTPAddr: ":0", MetricsAddr: "9464", RateLimit: 1, ShutdownTimeout: time.Second}).Validate(); err == nil ||
		!strings.Contains(err.Error(), "--metrics-addr") {
		t.Errorf("--metrics-addr 9464: Validate() = %v, want it to name --metrics-addr", err)
	}
}
