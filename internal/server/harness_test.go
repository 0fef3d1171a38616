package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/auth"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/store"
	"github.com/aqjurek/tracker/internal/store/storetest"
	"github.com/aqjurek/tracker/internal/supply"
)

// clock is a settable clock shared by the test and the server.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testServer is the real server on free ports with a fresh database file,
// and clients for both of its faces, calling with a bearer token (an
// admin's, unless made with as).
type testServer struct {
	*server.Server
	t          testing.TB
	clock      *clock
	dbPath     string
	base       string
	bearer     string
	http       *http.Client
	hospital   aqjurekv1.HospitalServiceClient
	depot      aqjurekv1.DepotServiceClient
	vol        aqjurekv1.VolunteerServiceClient
	requests   aqjurekv1.DeliveryRequestServiceClient
	runs       aqjurekv1.RunServiceClient
	events     aqjurekv1.EventServiceClient
	summary    aqjurekv1.DashboardServiceClient
	callers    aqjurekv1.AuthServiceClient
	clientConn *grpc.ClientConn
}

// conn is the gRPC connection calling with the server's token.
func (s *testServer) conn() *grpc.ClientConn { return s.clientConn }

// sqliteOnly skips a test about the SQLite file itself when the suite runs
// against PostgreSQL.
func (s *testServer) sqliteOnly(why string) {
	s.t.Helper()
	if store.IsPostgres(s.dbPath) {
		s.t.Skip("about the SQLite file: " + why)
	}
}

func startServer(t testing.TB, options ...func(*server.Config)) *testServer {
	t.Helper()
	// 09:00 in Almaty: the day's figures do not cross midnight during a test.
	c := &clock{now: time.Date(2026, 4, 3, 4, 0, 0, 0, time.UTC)}
	dbPath := storetest.DefaultDSN(t)
	cfg := server.Config{
		DBPath: dbPath, GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", RateLimit: 1000,
		ShutdownTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: c.Now,
	}
	for _, o := range options {
		o(&cfg)
	}
	srv, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	httpClient := &http.Client{Timeout: 10 * time.Second}
	s := &testServer{Server: srv, t: t, clock: c, dbPath: cfg.DBPath, base: "http://" + srv.HTTPAddr(), http: httpClient}
	t.Cleanup(func() {
		httpClient.CloseIdleConnections()
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s.as(s.issue(supply.RoleAdmin, "", ""))
}

// issue makes a token the way "aqjurek token create" does, on the
// database file, and returns its bearer string.
func (s *testServer) issue(role, hospitalID, volunteerID string) string {
	s.t.Helper()
	db, err := store.Open(context.Background(), s.dbPath)
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	name := "Test " + role + " " + hospitalID + volunteerID
	token, bearer, err := auth.Issue(name, role, hospitalID, volunteerID, s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	if err := db.CreateToken(context.Background(), token); err != nil {
		s.t.Fatal(err)
	}
	return bearer
}

// bearerToken sends a token with every gRPC call.
type bearerToken string

func (b bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	if b == "" {
		return nil, nil
	}
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

func (bearerToken) RequireTransportSecurity() bool { return false }

// as returns the server's clients calling with another bearer token.
func (s *testServer) as(bearer string) *testServer {
	s.t.Helper()
	conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(bearerToken(bearer)))
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { conn.Close() })
	c := *s
	c.bearer = bearer
	c.clientConn = conn
	c.hospital = aqjurekv1.NewHospitalServiceClient(conn)
	c.depot = aqjurekv1.NewDepotServiceClient(conn)
	c.vol = aqjurekv1.NewVolunteerServiceClient(conn)
	c.requests = aqjurekv1.NewDeliveryRequestServiceClient(conn)
	c.runs = aqjurekv1.NewRunServiceClient(conn)
	c.events = aqjurekv1.NewEventServiceClient(conn)
	c.summary = aqjurekv1.NewDashboardServiceClient(conn)
	c.callers = aqjurekv1.NewAuthServiceClient(conn)
	return &c
}

// object is a JSON object as a REST client sees it.
type object = map[string]any

// rest sends a request with a JSON body (a string is sent as it is) and
// returns the status and the decoded JSON answer.
func (s *testServer) rest(method, path string, body any) (int, object) {
	s.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.base+path, reader)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+s.bearer)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out object
	if len(data) > 0 && json.Unmarshal(data, &out) != nil {
		s.t.Fatalf("%s %s: answer is not JSON: %s", method, path, data)
	}
	return resp.StatusCode, out
}

// mustREST is rest that fails the test unless the status is want.
func (s *testServer) mustREST(want int, method, path string, body any) object {
	s.t.Helper()
	code, out := s.rest(method, path, body)
	if code != want {
		s.t.Fatalf("%s %s: status %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

// fieldViolations returns the field → description pairs of a REST error.
func fieldViolations(out object) map[string]string {
	got := map[string]string{}
	details, _ := out["details"].([]any)
	for _, d := range details {
		violations, _ := d.(object)["fieldViolations"].([]any)
		for _, v := range violations {
			fv := v.(object)
			got[fv["field"].(string)] = fv["description"].(string)
		}
	}
	return got
}

// grpcViolations returns the code and the field → description pairs of a gRPC error.
func grpcViolations(err error) (codes.Code, map[string]string) {
	st := status.Convert(err)
	got := map[string]string{}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				got[v.GetField()] = v.GetDescription()
			}
		}
	}
	return st.Code(), got
}

// seed creates hospital h with ward w over REST.
func (s *testServer) seed(h, w string) {
	s.t.Helper()
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId="+h, object{"displayName": "Hospital " + h, "location": object{"latitude": 43.25, "longitude": 76.9}})
	s.mustREST(200, "POST", "/v1/hospitals/"+h+"/wards?wardId="+w, object{"displayName": "Ward " + w})
}

// need is a valid delivery request body for REST.
func (s *testServer) need(ward string) object {
	return object{
		"ward":          ward,
		"lines":         []any{object{"category": "FRUIT", "description": "apples", "quantity": 12.5, "unit": "KILOGRAM"}},
		"priority":      "URGENT",
		"deliverBefore": s.clock.Now().Add(6 * time.Hour).Format(time.RFC3339),
		"headcount":     30,
	}
}

// listAll follows next_page_token through every page of a REST list.
func (s *testServer) listAll(path, field string) []object {
	s.t.Helper()
	var all []object
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	token := ""
	for {
		out := s.mustREST(200, "GET", path+sep+"pageToken="+url.QueryEscape(token), nil)
		items, _ := out[field].([]any)
		for _, it := range items {
			all = append(all, it.(object))
		}
		token, _ = out["nextPageToken"].(string)
		if token == "" {
			return all
		}
	}
}

// grpcConn is a fresh client connection to the gRPC server.
func (s *testServer) grpcConn() *grpc.ClientConn {
	conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { conn.Close() })
	return conn
}

// open starts a GET with the caller's token and returns the response as
// soon as its headers arrive, for streams; the body is closed at the end.
func (s *testServer) open(path string) *http.Response {
	s.t.Helper()
	resp := s.getWith(&http.Client{Transport: s.http.Transport}, path) // no timeout: a stream stays open
	s.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// getWith sends a GET with the caller's token through client and returns
// the response, its body to be read and closed by the caller.
func (s *testServer) getWith(client *http.Client, path string) *http.Response {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if s.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+s.bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp
}

func fmtAny(v any) string { return fmt.Sprint(v) }

// holdWriteLock takes the database's write lock from another connection,
// as another process would, until release is called: SQLite's, or on
// PostgreSQL the lock on the event log every writer takes first.
func (s *testServer) holdWriteLock() (release func()) {
	s.t.Helper()
	driver, dsn, take := "sqlite3", s.dbPath+"?_txlock=immediate", ""
	if store.IsPostgres(s.dbPath) {
		driver, dsn, take = "pgx", s.dbPath, "LOCK TABLE events IN EXCLUSIVE MODE"
	}
	lock, err := sql.Open(driver, dsn)
	if err != nil {
		s.t.Fatal(err)
	}
	held, err := lock.Begin()
	if err == nil && take != "" {
		_, err = held.Exec(take)
	}
	if err != nil {
		lock.Close()
		s.t.Fatal(err)
	}
	return func() {
		held.Rollback()
		lock.Close()
	}
}
