package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// FuzzCreateOverREST sends any body to the REST create of a delivery
// request: the answer is a created request or a 4xx, never a 5xx.
func FuzzCreateOverREST(f *testing.F) {
	for _, seed := range []string{
		`{"ward":"hospitals/gkb-7/wards/icu","lines":[{"category":"FRUIT","quantity":12.5,"unit":"KILOGRAM"}],"deliverBefore":"2026-04-03T10:00:00Z"}`,
		`{"ward":"hospitals/gkb-7/wards/icu","lines":[{"category":"FRUIT","quantity":"NaN","unit":"KILOGRAM"}]}`,
		`{"ward":"hospitals/x'); DROP TABLE delivery_requests;--/wards/icu"}`,
		`{"lines":[{"quantity":-1e308},{"quantity":1e308}],"headcount":-2147483649}`,
		`{"priority":"NOT_A_PRIORITY","deliverBefore":"9999-12-31T23:59:59Z"}`,
		`{"deliverBefore":"0001-01-01T00:00:00Z","deliverAfter":"-1"}`,
		"{\"notes\":\"\xff\xfe\xfd\"}",
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`,
		`{"lines":` + strings.Repeat(`[`, 500) + `}`,
		`{"ward":"hospitals/gkb-7/wards/icu","lines":[{"category":99,"unit":-1,"quantity":1}]}`,
		``, `null`, `"string"`, `{"name":"deliveryRequests/x","state":"DELIVERED","etag":"x"}`,
	} {
		f.Add([]byte(seed))
	}
	s := startServer(f)
	s.seed("gkb-7", "icu")
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _ := http.NewRequest("POST", s.base+"/v1/deliveryRequests", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.bearer)
		resp, err := s.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
			t.Fatalf("body %q answered %d", body, resp.StatusCode)
		}
	})
}

func TestHostileInputGetsACleanRefusal(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	manyLines := `{"ward":"hospitals/gkb-7/wards/icu","deliverBefore":"` + s.clock.Now().Add(time.Hour).Format(time.RFC3339) + `","lines":[` +
		strings.TrimSuffix(strings.Repeat(`{"category":"WATER","quantity":1,"unit":"LITER"},`, 5000), ",") + `]}`
	for _, tc := range []struct {
		name string
		body string
		code int
		says string
	}{
		{"a body over 1 MiB", `{"notes":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "over the limit"},
		{"deeply nested JSON", strings.Repeat(`{"lines":[`, 20000), 400, ""},
		{"5000 lines", manyLines, 400, "at most 50 line items"},
		{"SQL in the notes", strings.Replace(s.needJSON(), `"headcount":30`, `"headcount":30,"notes":"'; DROP TABLE delivery_requests; --"`, 1), 200, ""},
	} {
		code, out := s.rest("POST", "/v1/deliveryRequests", tc.body)
		if code != tc.code || (tc.says != "" && !strings.Contains(out["message"].(string), tc.says)) {
			t.Errorf("%s: %d %v, want %d saying %q", tc.name, code, truncateMap(out), tc.code, tc.says)
		}
	}
	// The SQL was stored as text, and the table is still there.
	if got := s.listAll("/v1/deliveryRequests", "deliveryRequests"); len(got) != 1 || got[0]["notes"] != "'; DROP TABLE delivery_requests; --" {
		t.Errorf("after hostile input: %v", got)
	}

	// Over gRPC: a message above 1 MiB is refused by the transport, a huge
	// repeated field by the rules.
	huge := &aqjurekv1.DeliveryRequest{Ward: "hospitals/gkb-7/wards/icu", Notes: strings.Repeat("я", 700_000)}
	_, err := s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: huge},
		grpc.MaxCallSendMsgSize(8<<20))
	if code := status.Code(err); code != codes.ResourceExhausted {
		t.Errorf("a 1.4 MB message: %v, want ResourceExhausted", err)
	}
	lines := make([]*aqjurekv1.LineItem, 20000)
	for i := range lines {
		lines[i] = &aqjurekv1.LineItem{Category: aqjurekv1.Category_WATER, Quantity: 1, Unit: aqjurekv1.Unit_LITER}
	}
	_, err = s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward: "hospitals/gkb-7/wards/icu", Lines: lines, DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
	}})
	if c, v := grpcViolations(err); c != codes.InvalidArgument || v["delivery_request.lines"] == "" {
		t.Errorf("20000 lines over gRPC: %v", err)
	}
	if n := len(s.listAll("/v1/deliveryRequests", "deliveryRequests")); n != 1 {
		t.Errorf("%d requests stored after hostile input, want the 1 legitimate one", n)
	}
}

// needJSON is need as JSON text.
func (s *testServer) needJSON() string {
	return `{"ward":"hospitals/gkb-7/wards/icu","lines":[{"category":"FRUIT","quantity":12.5,"unit":"KILOGRAM"}],"deliverBefore":"` +
		s.clock.Now().Add(6*time.Hour).Format(time.RFC3339) + `","headcount":30}`
}

func truncateMap(m object) string {
	s := strings.ReplaceAll(strings.TrimSpace(strings.Join(strings.Fields(strings.TrimSpace(fmtAny(m))), " ")), "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
