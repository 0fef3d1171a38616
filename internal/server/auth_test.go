package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/supply"
)

// town is two hospitals, two drivers and a run for each driver, with the
// tokens of everyone involved.
type town struct {
	*testServer
	coordinator, staff7, staff1, driverA, driverD string
	need7, need1, stopA                           string
}

func newTown(t *testing.T, options ...func(*server.Config)) *town {
	t.Helper()
	s := startServer(t, options...)
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	s.fleet("aigerim", 500)
	s.fleet("daniyar", 500)
	w := &town{testServer: s,
		coordinator: s.issue(supply.RoleCoordinator, "", ""),
		staff7:      s.issue(supply.RoleStaff, "gkb-7", ""),
		staff1:      s.issue(supply.RoleStaff, "gkb-1", ""),
		driverA:     s.issue(supply.RoleDriver, "", "aigerim"),
		driverD:     s.issue(supply.RoleDriver, "", "daniyar"),
	}
	w.need7 = s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	w.need1 = s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-1/wards/er"))["name"].(string)
	s.plan("run-a", "aigerim")
	s.plan("run-d", "daniyar")
	run := s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{w.need7}})
	w.stopA = run["stops"].([]any)[0].(object)["name"].(string)
	s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/run-a:start", object{})
	return w
}

func (w *town) eventCount() int {
	return len(w.listAll("/v1/events?pageSize=1000", "events"))
}

func TestEveryMethodIsAllowedOrRefusedAsThePolicySays(t *testing.T) {
	t.Parallel()
	// Every method is called without a token too: more failures from one
	// address than a client is allowed at once.
	w := newTown(t, func(c *server.Config) { c.FailedAuthBurst = 1000 })
	tokens := map[string]string{
		supply.RoleAdmin: w.bearer, supply.RoleCoordinator: w.coordinator, supply.RoleStaff: w.staff7, supply.RoleDriver: w.driverA,
	}
	conn := func(bearer string) *grpc.ClientConn { return w.as(bearer).conn() }

	var methods []string
	protoregistry.GlobalFiles.RangeFilesByPackage("aqjurek.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			svc := f.Services().Get(i)
			for j := range svc.Methods().Len() {
				m := svc.Methods().Get(j)
				name := "/" + string(svc.FullName()) + "/" + string(m.Name())
				methods = append(methods, name)
				if auth.Open(name) {
					// Open to anyone: with any token or none, it answers.
					for _, bearer := range []string{w.bearer, w.coordinator, w.staff7, w.driverA, ""} {
						if code := invoke(t, conn(bearer), name, m); code != codes.OK {
							t.Errorf("%s, open to anyone: %v, want OK", name, code)
						}
					}
					if _, listed := auth.Policy[name]; listed {
						t.Errorf("%s is open to anyone and in the policy too; it belongs in one place", name)
					}
					continue
				}
				if _, listed := auth.Policy[name]; !listed {
					t.Errorf("%s is not in the policy, so nobody may call it", name)
				}
				for role, bearer := range tokens {
					code := invoke(t, conn(bearer), name, m)
					allowed := auth.Allowed(name, role)
					switch {
					case allowed && (code == codes.PermissionDenied || code == codes.Unauthenticated):
						t.Errorf("%s as %s: %v, want it allowed", name, role, code)
					case !allowed && code != codes.PermissionDenied:
						t.Errorf("%s as %s: %v, want PermissionDenied", name, role, code)
					}
				}
				if code := invoke(t, conn(""), name, m); code != codes.Unauthenticated {
					t.Errorf("%s without a token: %v, want Unauthenticated", name, code)
				}
			}
		}
		return true
	})
	if len(methods) < 40 {
		t.Fatalf("only %d methods found", len(methods))
	}
	for name := range auth.Policy {
		if !slices.Contains(methods, name) {
			t.Errorf("the policy lists %s, which no service has", name)
		}
	}
}

// invoke calls a method with an empty request and returns the code; a
// stream is opened and read once, within a short deadline.
func invoke(t *testing.T, conn *grpc.ClientConn, method string, m protoreflect.MethodDescriptor) codes.Code {
	t.Helper()
	in, err := protoregistry.GlobalTypes.FindMessageByName(m.Input().FullName())
	if err != nil {
		t.Fatal(err)
	}
	out, err := protoregistry.GlobalTypes.FindMessageByName(m.Output().FullName())
	if err != nil {
		t.Fatal(err)
	}
	// A stream the caller may open stays open until the deadline; a call
	// gets longer, so a busy machine does not pass for a refusal.
	timeout := 5 * time.Second
	if m.IsStreamingServer() {
		timeout = time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if m.IsStreamingServer() {
		stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, method)
		if err == nil {
			err = stream.SendMsg(in.New().Interface())
		}
		if err == nil {
			err = stream.CloseSend()
		}
		if err == nil {
			err = stream.RecvMsg(out.New().Interface())
		}
		return status.Code(err)
	}
	return status.Code(conn.Invoke(ctx, method, in.New().Interface(), out.New().Interface()))
}

func TestRefusedCallsChangeNothing(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	before := w.eventCount()
	staff, driver := w.as(w.staff7), w.as(w.driverA)
	for _, tc := range []struct {
		who  *testServer
		path string
		body any
		code int
	}{
		{staff, "/v1/depots", object{"displayName": "My depot"}, 403},
		{staff, "/v1/runs/run-d:cancel", object{"reason": "x"}, 403},
		{staff, "/v1/hospitals?hospitalId=fake", object{"displayName": "x"}, 403},
		{driver, "/v1/runs/run-d:dispatch", object{}, 403},
		{driver, "/v1/deliveryRequests", w.need("hospitals/gkb-7/wards/icu"), 403},
		{driver, "/v1/" + w.need1 + ":cancel", object{"reason": "x"}, 403},
		{w.as(w.staff1), "/v1/" + w.need7 + ":cancel", object{"reason": "not ours"}, 404},
		{w.as(w.driverD), "/v1/" + w.stopA + ":deliver", object{"receivedBy": "x"}, 404},
		{w.as(w.driverD), "/v1/runs/run-a:complete", object{}, 404},
		{w.as("aqj_nope_nope"), "/v1/volunteers", object{"displayName": "x"}, 401},
	} {
		if code, out := tc.who.rest("POST", tc.path, tc.body); code != tc.code {
			t.Errorf("POST %s: %d %v, want %d", tc.path, code, out, tc.code)
		}
	}
	if code, _ := w.as(w.staff1).rest("PATCH", "/v1/"+w.need7, object{"notes": "not ours"}); code != 404 {
		t.Errorf("staff of another hospital updating: %d, want 404", code)
	}
	if after := w.eventCount(); after != before {
		t.Errorf("refused calls wrote %d events", after-before)
	}
	if got := w.mustREST(200, "GET", "/v1/"+w.need7, nil); got["notes"] != "" || got["state"] != "IN_TRANSIT" {
		t.Errorf("request after refused calls = %v", got)
	}
}

func TestStaffSeeAndChangeOnlyTheirHospital(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	staff := w.as(w.staff1)

	// Their own: read, file, change, cancel.
	mine := staff.mustREST(200, "POST", "/v1/deliveryRequests", staff.need("hospitals/gkb-1/wards/er"))["name"].(string)
	staff.mustREST(200, "PATCH", "/v1/"+mine, object{"notes": "Side door."})
	staff.mustREST(200, "POST", "/v1/"+mine+":cancel", object{"reason": "Filed twice."})
	staff.mustREST(200, "GET", "/v1/"+w.need1, nil)
	staff.mustREST(200, "GET", "/v1/hospitals/gkb-1/wards/er", nil)

	// Another hospital's: not found, never "forbidden", so ids are not confirmed.
	for _, path := range []string{"/v1/" + w.need7, "/v1/hospitals/gkb-7", "/v1/hospitals/gkb-7/wards/icu", "/v1/hospitals/gkb-7/wards"} {
		if code, out := staff.rest("GET", path, nil); code != 404 {
			t.Errorf("GET %s: %d %v, want 404", path, code, out)
		}
	}
	if code, out := staff.rest("POST", "/v1/deliveryRequests", staff.need("hospitals/gkb-7/wards/icu")); code != 400 ||
		!strings.Contains(fieldViolations(out)["delivery_request.ward"], "does not exist") {
		t.Errorf("filing for another hospital's ward: %d %v", code, out)
	}
	if code, out := staff.rest("PATCH", "/v1/"+w.need1+"?updateMask=ward", object{"ward": "hospitals/gkb-7/wards/icu"}); code != 400 ||
		!strings.Contains(fieldViolations(out)["delivery_request.ward"], "does not exist") {
		t.Errorf("moving a request to another hospital: %d %v", code, out)
	}

	// Lists are filtered, not refused.
	names := func(items []object) []string {
		var out []string
		for _, r := range items {
			out = append(out, r["name"].(string))
		}
		return out
	}
	if got := names(staff.listAll("/v1/deliveryRequests?state=OPEN&state=CANCELLED", "deliveryRequests")); len(got) != 2 || slices.Contains(got, w.need7) {
		t.Errorf("staff list = %v", got)
	}
	if got := staff.listAll("/v1/deliveryRequests?hospital=hospitals/gkb-7", "deliveryRequests"); len(got) != 0 {
		t.Errorf("filtering by another hospital = %v", got)
	}
	if got := names(staff.listAll("/v1/hospitals", "hospitals")); len(got) != 1 || got[0] != "hospitals/gkb-1" {
		t.Errorf("staff hospital list = %v", got)
	}
	for _, e := range staff.listAll("/v1/events?pageSize=500", "events") {
		if r := e["resource"].(string); strings.Contains(r, "gkb-7") || r == w.need7 || strings.HasPrefix(r, "runs/") {
			t.Errorf("staff of gkb-1 sees event %v", e)
		}
	}
	sum := staff.mustREST(200, "GET", "/v1/dashboard", nil)
	if hs := sum["hospitals"].([]any); len(hs) != 1 || hs[0].(object)["hospital"] != "hospitals/gkb-1" || len(sum["runsInProgress"].([]any)) != 0 {
		t.Errorf("staff dashboard = %v", sum)
	}

	// The watch carries only their hospital's events.
	stream, err := staff.events.WatchEvents(context.Background(), &aqjurekv1.WatchEventsRequest{AfterSequence: int64(w.eventCount())})
	if err != nil {
		t.Fatal(err)
	}
	w.mustREST(200, "POST", "/v1/deliveryRequests", w.need("hospitals/gkb-7/wards/icu"))
	ours := w.mustREST(200, "POST", "/v1/deliveryRequests", w.need("hospitals/gkb-1/wards/er"))["name"].(string)
	if got := receive(t, stream, 1); got[0].GetResource() != ours {
		t.Errorf("staff watch delivered %v, want only %s", got, ours)
	}
}

func TestDriversSeeAndWorkOnlyTheirRuns(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	a, d := w.as(w.driverA), w.as(w.driverD)

	if got := a.listAll("/v1/runs", "runs"); len(got) != 1 || got[0]["name"] != "runs/run-a" {
		t.Errorf("driver's runs = %v", got)
	}
	if got := a.listAll("/v1/runs?volunteer=volunteers/daniyar", "runs"); len(got) != 0 {
		t.Errorf("filtering by another driver = %v", got)
	}
	a.mustREST(200, "GET", "/v1/"+w.need7, nil) // on their run: quantities to hand over
	for _, path := range []string{"/v1/runs/run-d", "/v1/" + w.need1, "/v1/volunteers/daniyar"} {
		if code, _ := a.rest("GET", path, nil); code != 404 {
			t.Errorf("driver GET %s: %d, want 404", path, code)
		}
	}
	if code, _ := d.rest("POST", "/v1/"+w.stopA+":deliver", object{"receivedBy": "x"}); code != 404 {
		t.Errorf("another driver delivering: %d, want 404", code)
	}
	if _, err := d.runs.StartRun(context.Background(), &aqjurekv1.StartRunRequest{Name: "runs/run-a"}); status.Code(err) != codes.NotFound {
		t.Errorf("another driver starting: %v", err)
	}
	for _, e := range d.listAll("/v1/events?pageSize=500", "events") {
		if e["resource"] == "runs/run-a" || e["resource"] == w.need7 {
			t.Errorf("driver D sees %v", e)
		}
	}
	a.mustREST(200, "POST", "/v1/"+w.stopA+":deliver", object{"receivedBy": "Nurse", "lines": []any{
		object{"deliveryRequest": w.need7, "line": 0, "quantity": 12.5},
	}})
	a.mustREST(200, "POST", "/v1/runs/run-a:complete", object{})

	// The event log names who did it.
	events := w.listAll("/v1/events?resource=runs/run-a", "events")
	last := events[len(events)-1]
	if last["actor"] != "Test driver aigerim" || last["actorRole"] != "driver" || last["kind"] != "COMPLETED" {
		t.Errorf("last event = %v", last)
	}
	caller, err := a.callers.GetCaller(context.Background(), &aqjurekv1.GetCallerRequest{})
	if err != nil || caller.GetRole() != "driver" || caller.GetVolunteer() != "volunteers/aigerim" {
		t.Errorf("GetCaller = %v %v", caller, err)
	}
}

func TestBadRevokedAndForgedTokensAreRefusedAlike(t *testing.T) {
	t.Parallel()
	w := newTown(t)
	staff := w.issue(supply.RoleStaff, "gkb-7", "")
	w.as(staff).mustREST(200, "GET", "/v1/"+w.need7, nil)
	parts := strings.Split(staff, "_")
	forged := parts[0] + "_" + parts[1] + "_" + strings.Repeat("a", len(parts[2]))
	db, err := store.Open(context.Background(), w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(context.Background(), parts[1], w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for name, header := range map[string]string{
		"revoked":     "Bearer " + staff,
		"forged":      "Bearer " + forged,
		"unknown id":  "Bearer aqj_aaaaaaaa_" + parts[2],
		"no scheme":   staff,
		"basic":       "Basic " + staff,
		"empty":       "Bearer ",
		"malformed":   "Bearer not-a-token",
		"extra parts": "Bearer " + staff + "_x",
	} {
		req, _ := http.NewRequest("GET", w.base+"/v1/"+w.need7, nil)
		req.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s token: %d, want 401", name, resp.StatusCode)
		}
	}
	// A client cannot smuggle a token, or any identity, in gRPC metadata headers.
	req, _ := http.NewRequest("GET", w.base+"/v1/hospitals", nil)
	req.Header.Set("Grpc-Metadata-Authorization", "Bearer "+w.bearer)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("token in Grpc-Metadata-Authorization: %v %v, want 401", resp.Status, err)
	}
	_, err = w.as(forged).hospital.ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{})
	if status.Code(err) != codes.Unauthenticated || status.Convert(err).Message() != "missing or invalid bearer token" {
		t.Errorf("gRPC with a forged token: %v", err)
	}
}

func TestTooManyCallsAreSlowedWithARetryHint(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.RateLimit = 1 }) // 1 a second, 2 at once
	other := s.issue(supply.RoleCoordinator, "", "")
	var refused error
	for range 5 {
		if _, err := s.hospital.ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{}); err != nil {
			refused = err
			break
		}
	}
	if status.Code(refused) != codes.ResourceExhausted {
		t.Fatalf("after a burst: %v, want ResourceExhausted", refused)
	}
	var hint *errdetails.RetryInfo
	for _, d := range status.Convert(refused).Details() {
		if r, ok := d.(*errdetails.RetryInfo); ok {
			hint = r
		}
	}
	if hint == nil || hint.GetRetryDelay().AsDuration() <= 0 {
		t.Errorf("no retry hint in %v", status.Convert(refused).Details())
	}
	req, _ := http.NewRequest("GET", s.base+"/v1/hospitals", nil)
	req.Header.Set("Authorization", "Bearer "+s.bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("REST after the burst: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Each token has its own allowance.
	s.as(other).mustREST(200, "GET", "/v1/hospitals", nil)
}

func TestTLSOnBothListeners(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSignedCert(t)
	s := startServer(t, func(c *server.Config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	tlsConfig := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)),
		grpc.WithPerRPCCredentials(bearerToken(s.bearer)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := aqjurekv1.NewHospitalServiceClient(conn).ListHospitals(context.Background(), &aqjurekv1.ListHospitalsRequest{}); err != nil {
		t.Errorf("gRPC over TLS: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig}, Timeout: 5 * time.Second}
	req, _ := http.NewRequest("GET", "https://"+s.HTTPAddr()+"/v1/hospitals", nil)
	req.Header.Set("Authorization", "Bearer "+s.bearer)
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("REST over TLS (through the gateway's TLS connection to gRPC): %v %v", resp, err)
	}
	resp.Body.Close()
	if resp, err := http.Get("http://" + s.HTTPAddr() + "/healthz"); err == nil && resp.StatusCode == 200 {
		t.Error("plain HTTP was served on a TLS listener")
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and localhost.
func selfSignedCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "aqjurek test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
