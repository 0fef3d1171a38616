package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// from is a client of s whose connections leave from the loopback
// address ip (any 127.x address reaches a server on 127.0.0.1).
type from struct {
	t         *testing.T
	s         *testServer
	rest      *http.Client
	hospitals func(bearer string) aqjurekv1.HospitalServiceClient
}

func clientFrom(t *testing.T, s *testServer, ip string) *from {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	transport := &http.Transport{DialContext: dialer.DialContext}
	t.Cleanup(transport.CloseIdleConnections)
	return &from{t: t, s: s, rest: &http.Client{Transport: transport, Timeout: 10 * time.Second},
		hospitals: func(bearer string) aqjurekv1.HospitalServiceClient {
			conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithPerRPCCredentials(bearerToken(bearer)),
				grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) { return dialer.DialContext(ctx, "tcp", addr) }))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			return aqjurekv1.NewHospitalServiceClient(conn)
		}}
}

// get lists hospitals over REST with bearer, and returns the status and
// the Retry-After header.
func (f *from) get(bearer string, header ...string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest("GET", f.s.base+"/v1/hospitals", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.rest.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func TestAFloodOfBadTokensIsRefusedToItsAddressOnly(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	const bad = "aqj_nosuch_tokentokentoken"
	flooder, other := clientFrom(t, s, "127.0.0.2"), clientFrom(t, s, "127.0.0.1")

	// Over REST, through the gateway; a forwarded-for header does not
	// move the blame.
	refusedAfter := 0
	for i := 1; i <= 100 && refusedAfter == 0; i++ {
		code, retryAfter := flooder.get(bad, "X-Forwarded-For", "127.0.0.9")
		switch code {
		case 401:
		case 429:
			if seconds, err := strconv.Atoi(retryAfter); err != nil || seconds < 1 {
				t.Errorf("429 with Retry-After %q", retryAfter)
			}
			refusedAfter = i - 1
		default:
			t.Fatalf("bad token %d: %d", i, code)
		}
	}
	if refusedAfter < 5 || refusedAfter > 30 {
		t.Errorf("the flooding address was refused after %d bad tokens, want after 20 or so", refusedAfter)
	}
	// The flooding address is refused whatever it sends, until it waits.
	if code, _ := flooder.get(s.bearer); code != 429 {
		t.Errorf("the flooding address with a valid token: %d, want 429", code)
	}
	// Everyone else is served, and a bad token elsewhere is only a 401.
	if code, _ := other.get(s.bearer); code != 200 {
		t.Errorf("another address with a valid token over REST: %d", code)
	}
	if code, _ := other.get(bad); code != 401 {
		t.Errorf("another address with a bad token over REST: %d, want 401", code)
	}
	if _, err := other.hospitals(s.bearer).ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{}); err != nil {
		t.Errorf("another address over gRPC: %v", err)
	}

	// Over gRPC; metadata claiming to come through the gateway from
	// another address is not believed.
	forged := metadata.AppendToOutgoingContext(context.Background(), "aqjurek-gateway", "guess", "aqjurek-client-address", "127.0.0.1:1")
	grpcFlooder := clientFrom(t, s, "127.0.0.3").hospitals(bad)
	var last error
	for range 100 {
		if _, last = grpcFlooder.ListHospitals(forged, &aqjurekv1.ListHospitalsRequest{}); status.Code(last) != codes.Unauthenticated {
			break
		}
	}
	if status.Code(last) != codes.ResourceExhausted || !strings.Contains(status.Convert(last).Message(), "failed authentications") {
		t.Errorf("a gRPC flood of bad tokens ended with %v, want ResourceExhausted", last)
	}
	if code, _ := other.get(s.bearer); code != 200 {
		t.Errorf("after a gRPC flood, another address over REST: %d", code)
	}
	if _, err := other.hospitals(s.bearer).ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{}); err != nil {
		t.Errorf("after a gRPC flood, another address over gRPC: %v", err)
	}
}
