package server_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
)

// closedWithin reports whether the server closes c within d, reading
// (and dropping) whatever it sends before.
func closedWithin(t *testing.T, c net.Conn, d time.Duration) bool {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(d)); err != nil {
		t.Fatal(err)
	}
	_, err := io.Copy(io.Discard, c)
	var timeout net.Error
	return !(errors.As(err, &timeout) && timeout.Timeout())
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSlowAndIdleRESTClientsAreCutOffButStreamsStay(t *testing.T) {
	t.Parallel()
	const bound = 400 * time.Millisecond
	s := startServer(t, func(c *server.Config) {
		c.Timeouts = server.Timeouts{ReadHeader: bound, Read: 2 * bound, Write: 2 * bound, Idle: 2 * bound, Authenticate: time.Minute}
	})
	s.seed("gkb-7", "icu")

	// A stream opened before the bounds pass still delivers after them.
	watch := s.open("/v1/events:watch")
	if watch.StatusCode != 200 {
		t.Fatalf("events:watch: %d", watch.StatusCode)
	}
	events := bufio.NewScanner(watch.Body)

	headers := dial(t, s.HTTPAddr())
	if _, err := io.WriteString(headers, "GET /healthz HTTP/1.1\r\nHost: aqjurek\r\n"); err != nil {
		t.Fatal(err)
	}
	body := dial(t, s.HTTPAddr())
	if _, err := io.WriteString(body, "POST /v1/hospitals?hospitalId=slow HTTP/1.1\r\nHost: aqjurek\r\nAuthorization: Bearer "+s.bearer+
		"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"displayName\":"); err != nil {
		t.Fatal(err)
	}
	idle := dial(t, s.HTTPAddr())
	if _, err := io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: aqjurek\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]net.Conn{"headers sent halfway": headers, "a body sent halfway": body, "an idle keep-alive": idle} {
		if !closedWithin(t, c, 10*bound) {
			t.Errorf("a connection with %s is still open after %v", name, 10*bound)
		}
	}

	// A call that cannot be answered within Write is ended, not waited for.
	release := s.holdWriteLock()
	start := time.Now()
	code, answer, err := s.try("POST", "/v1/hospitals?hospitalId=late", `{"displayName":"Late","location":{"latitude":43.2,"longitude":76.9}}`)
	took := time.Since(start)
	release()
	if err != nil || code != http.StatusGatewayTimeout || took > 2*bound+time.Second {
		t.Errorf("a call held past the write bound: %d %q %v after %v, want 504 within %v", code, answer, err, took, 2*bound)
	}

	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=after", object{"displayName": "After", "location": object{"latitude": 43.25, "longitude": 76.9}})
	lines := make(chan string)
	go func() {
		for events.Scan() {
			lines <- events.Text()
		}
		close(lines)
	}()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended after %v: %v", time.Since(start), events.Err())
			}
			if strings.Contains(line, "hospitals/after") {
				return
			}
		case <-deadline:
			t.Fatal("no event on the stream after the bounds passed")
		}
	}
}

// try sends a REST call with the caller's token and returns its status and
// body, or the transport's error.
func (s *testServer) try(method, path, body string) (int, string, error) {
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.bearer)
	resp, err := (&http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), err
}

func TestConnectionsThatNeverAuthenticateAreClosed(t *testing.T) {
	t.Parallel()
	const within = 500 * time.Millisecond
	s := startServer(t, func(c *server.Config) { c.Timeouts = server.Timeouts{Authenticate: within} })

	// Connections that send nothing.
	for name, addr := range map[string]string{"REST": s.HTTPAddr(), "gRPC": s.GRPCAddr()} {
		if c := dial(t, addr); !closedWithin(t, c, 6*within) {
			t.Errorf("a %s connection that sent nothing is open after %v", name, 6*within)
		}
	}

	// Clients that call twice, apart by more than the bound: only those
	// whose calls authenticate keep their connection.
	for _, tc := range []struct {
		name, bearer, query string
		dials               int64
	}{
		{"a valid token", s.bearer, "", 1},
		{"a bad token", "aqj_nosuch_token", "", 2},
		{"no token", "", "", 2},
		// Refused by the REST side before the token is checked.
		{"a bad token and a bad query", "aqj_nosuch_token", "?pageSize=x", 2},
	} {
		var restDials, grpcDials atomic.Int64
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				restDials.Add(1)
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			},
		}}
		conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithPerRPCCredentials(bearerToken(tc.bearer)),
			grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) {
				grpcDials.Add(1)
				return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			}))
		if err != nil {
			t.Fatal(err)
		}
		hospitals := aqjurekv1.NewHospitalServiceClient(conn)
		for range 2 {
			req, err := http.NewRequest("GET", s.base+"/v1/hospitals"+tc.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s over REST: %v", tc.name, err)
			}
			// Read to the end, so the client may use the connection again.
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 200, false: 401}[tc.dials == 1]; resp.StatusCode != want && tc.query == "" {
				t.Errorf("%s over REST: %d, want %d", tc.name, resp.StatusCode, want)
			}
			_, err = hospitals.ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{})
			if want := map[bool]codes.Code{true: codes.OK, false: codes.Unauthenticated}[tc.dials == 1]; status.Code(err) != want {
				t.Errorf("%s over gRPC: %v, want %v", tc.name, err, want)
			}
			time.Sleep(3 * within)
		}
		conn.Close()
		if restDials.Load() != tc.dials || grpcDials.Load() != tc.dials {
			t.Errorf("%s: %d REST and %d gRPC connections for two calls, want %d", tc.name, restDials.Load(), grpcDials.Load(), tc.dials)
		}
	}
}

func TestAStreamOverHTTP2OutlivesTheWriteBound(t *testing.T) {
	t.Parallel()
	const bound = 300 * time.Millisecond
	certFile, keyFile, pool := selfSignedCert(t)
	s := startServer(t, func(c *server.Config) {
		c.TLSCert, c.TLSKey = certFile, keyFile
		c.Timeouts = server.Timeouts{ReadHeader: bound, Read: bound, Write: bound, Idle: bound}
	})
	s.base = "https://" + s.HTTPAddr()
	s.http = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ForceAttemptHTTP2: true,
	}}
	watch := s.open("/v1/events:watch")
	if watch.StatusCode != 200 || watch.ProtoMajor != 2 {
		t.Fatalf("events:watch: %d over %s, want 200 over HTTP/2", watch.StatusCode, watch.Proto)
	}
	time.Sleep(4 * bound)
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=late", object{"displayName": "Late", "location": object{"latitude": 43.25, "longitude": 76.9}})
	events := bufio.NewScanner(watch.Body)
	found := make(chan bool, 1)
	go func() {
		for events.Scan() {
			if strings.Contains(events.Text(), "hospitals/late") {
				found <- true
				return
			}
		}
		found <- false
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Errorf("the HTTP/2 stream ended before the event: %v", events.Err())
		}
	case <-time.After(10 * time.Second):
		t.Error("no event on the HTTP/2 stream")
	}
}
