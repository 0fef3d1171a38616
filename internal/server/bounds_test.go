package server_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.einride.tech/aip/pagination"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// refusal is what a bounded input must get: InvalidArgument (400) with a
// violation of field that says the limit.
type refusal struct {
	field, says string
}

func (r refusal) checkGRPC(t *testing.T, what string, err error) {
	t.Helper()
	code, violations := grpcViolations(err)
	if code != codes.InvalidArgument || !strings.Contains(violations[r.field], r.says) {
		t.Errorf("%s: %v (violations %v), want InvalidArgument on %s saying %q", what, err, violations, r.field, r.says)
	}
}

func (r refusal) checkREST(t *testing.T, what string, code int, out object) {
	t.Helper()
	if got := fieldViolations(out)[r.field]; code != 400 || !strings.Contains(got, r.says) {
		t.Errorf("%s: %d %s, want 400 on %s saying %q", what, code, truncateMap(out), r.field, r.says)
	}
}

func TestAHugeOrderByIsRefusedFast(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	orderBy := strings.TrimSuffix(strings.Repeat("priority, ", 250), ", ")

	start := time.Now()
	_, err := s.requests.ListDeliveryRequests(context.Background(), &aqjurekv1.ListDeliveryRequestsRequest{OrderBy: orderBy})
	refusal{"order_by", "at most 5 fields"}.checkGRPC(t, "250 fields over gRPC", err)
	code, out := s.rest("GET", "/v1/deliveryRequests?orderBy="+url.QueryEscape(orderBy), nil)
	refusal{"order_by", "at most 5 fields"}.checkREST(t, "250 fields over REST", code, out)
	if took := time.Since(start); took > time.Second {
		t.Errorf("refusing two 250-field order_by took %v, want well under a second", took)
	}
}

func TestListInputsAreBounded(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	for range 3 {
		s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	}
	open := aqjurekv1.DeliveryRequest_OPEN
	for _, tc := range []struct {
		name  string
		query string
		req   *aqjurekv1.ListDeliveryRequestsRequest
		want  refusal
	}{
		{"a field ordered by twice", "orderBy=priority,deliver_before,priority%20desc",
			&aqjurekv1.ListDeliveryRequestsRequest{OrderBy: "priority, deliver_before, priority desc"},
			refusal{"order_by", "names priority twice"}},
		{"six fields", "orderBy=" + url.QueryEscape("priority, deliver_before, create_time, priority, deliver_before, create_time"),
			&aqjurekv1.ListDeliveryRequestsRequest{OrderBy: "priority, deliver_before, create_time, priority, deliver_before, create_time"},
			refusal{"order_by", "at most 5 fields"}},
		{"an unknown field", "orderBy=ward",
			&aqjurekv1.ListDeliveryRequestsRequest{OrderBy: "ward"},
			refusal{"order_by", "priority, deliver_before, create_time"}},
		{"a long order_by", "orderBy=" + strings.Repeat("x", 300),
			&aqjurekv1.ListDeliveryRequestsRequest{OrderBy: strings.Repeat("x", 300)},
			refusal{"order_by", "at most 200 characters"}},
		{"a state given twice", "state=OPEN&state=SCHEDULED&state=OPEN",
			&aqjurekv1.ListDeliveryRequestsRequest{State: []aqjurekv1.DeliveryRequest_State{open, aqjurekv1.DeliveryRequest_SCHEDULED, open}},
			refusal{"state", "lists OPEN twice"}},
		{"a state list longer than the states", strings.Repeat("state=OPEN&", 10) + "state=OPEN",
			&aqjurekv1.ListDeliveryRequestsRequest{State: repeatState(open, 40000)},
			refusal{"state", "at most 5 states"}},
	} {
		_, err := s.requests.ListDeliveryRequests(ctx, tc.req)
		tc.want.checkGRPC(t, tc.name+" over gRPC", err)
		code, out := s.rest("GET", "/v1/deliveryRequests?"+tc.query, nil)
		tc.want.checkREST(t, tc.name+" over REST", code, out)
	}

	_, err := s.runs.ListRuns(ctx, &aqjurekv1.ListRunsRequest{State: []aqjurekv1.Run_State{aqjurekv1.Run_PLANNED, aqjurekv1.Run_PLANNED}})
	refusal{"state", "lists PLANNED twice"}.checkGRPC(t, "a run state given twice", err)
	code, out := s.rest("GET", "/v1/runs?"+strings.Repeat("state=PLANNED&", 6), nil)
	refusal{"state", "at most 5 states"}.checkREST(t, "six run states over REST", code, out)

	// A page token is only ever what the server made: a well-formed token
	// the server would never make (a long cursor, a forged one) is refused.
	req := &aqjurekv1.ListDeliveryRequestsRequest{PageSize: 1}
	checksum, err := pagination.CalculateRequestChecksum(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		after []any
		says  string
	}{
		{"a 10 kB token", []any{int64(2), strings.Repeat("2026-04-03T10:00:00Z", 400), "x"}, "not valid (longer than any"},
		{"a forged cursor", []any{int64(2), "2026-04-03T10:00:00Z"}, "not valid"},
		{"a cursor of the wrong type", []any{true, "2026-04-03T10:00:00Z", "x"}, "not valid"},
	} {
		token := pagination.EncodePageTokenStruct(testPageToken{Checksum: checksum, After: tc.after})
		_, err := s.requests.ListDeliveryRequests(ctx, &aqjurekv1.ListDeliveryRequestsRequest{PageSize: 1, PageToken: token})
		refusal{"page_token", tc.says}.checkGRPC(t, tc.name+" over gRPC", err)
		code, out := s.rest("GET", "/v1/deliveryRequests?pageSize=1&pageToken="+url.QueryEscape(token), nil)
		refusal{"page_token", tc.says}.checkREST(t, tc.name+" over REST", code, out)
	}
	// The tokens the server makes pass, page after page, even after the
	// longest names.
	if got := s.listAll("/v1/deliveryRequests?pageSize=1&orderBy=create_time,deliver_before,priority", "deliveryRequests"); len(got) != 3 {
		t.Errorf("paging through 3 requests one at a time gave %d", len(got))
	}
	for _, id := range []string{"a", "b"} {
		s.mustREST(200, "POST", "/v1/hospitals?hospitalId=longest-name-"+id, object{"displayName": strings.Repeat("🏥", 200)})
	}
	if got := s.listAll("/v1/hospitals?pageSize=1", "hospitals"); len(got) != 3 {
		t.Errorf("paging through hospitals with 200-emoji names gave %d", len(got))
	}

	// An update names each field at most once.
	paths := make([]string, 100)
	for i := range paths {
		paths[i] = "display_name"
	}
	_, err = s.hospital.UpdateHospital(ctx, &aqjurekv1.UpdateHospitalRequest{
		Hospital: &aqjurekv1.Hospital{Name: "hospitals/gkb-7", DisplayName: "City Hospital No. 7"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
	refusal{"update_mask", "at most 32 paths"}.checkGRPC(t, "100 mask paths over gRPC", err)
	code, out = s.rest("PATCH", "/v1/hospitals/gkb-7?updateMask="+strings.Join(paths, ","), object{"displayName": "City Hospital No. 7"})
	refusal{"update_mask", "at most 32 paths"}.checkREST(t, "100 mask paths over REST", code, out)
}

// testPageToken has the shape of the server's page tokens.
type testPageToken struct {
	Checksum uint32
	After    []any
}

func repeatState(st aqjurekv1.DeliveryRequest_State, n int) []aqjurekv1.DeliveryRequest_State {
	out := make([]aqjurekv1.DeliveryRequest_State, n)
	for i := range out {
		out[i] = st
	}
	return out
}

func TestRunInputsAreBounded(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 5000)
	s.plan("big", "aigerim")

	var names []string
	for range 101 {
		names = append(names, s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string))
	}
	tooMany := refusal{"delivery_requests", "at most 100"}
	_, err := s.runs.AssignRun(ctx, &aqjurekv1.AssignRunRequest{Name: "runs/big", DeliveryRequests: names})
	tooMany.checkGRPC(t, "assigning 101 requests over gRPC", err)
	code, out := s.rest("POST", "/v1/runs/big:assign", object{"deliveryRequests": names})
	tooMany.checkREST(t, "assigning 101 requests over REST", code, out)
	code, out = s.rest("POST", "/v1/runs/big:unassign", object{"deliveryRequests": names})
	tooMany.checkREST(t, "taking 101 requests off over REST", code, out)

	// A run holds at most 100 requests, however many calls bring them.
	s.mustREST(200, "POST", "/v1/runs/big:assign", object{"deliveryRequests": names[:60]})
	code, out = s.rest("POST", "/v1/runs/big:assign", object{"deliveryRequests": names[60:]})
	if code != 400 || out["code"] != float64(codes.FailedPrecondition) || !strings.Contains(out["message"].(string), "at most 100 delivery requests") {
		t.Errorf("a run of 101 requests: %d %s", code, truncateMap(out))
	}
	run := s.mustREST(200, "POST", "/v1/runs/big:assign", object{"deliveryRequests": names[60:100]})

	// A reorder lists at most the run's stops.
	stops := make([]any, 101)
	for i := range stops {
		stops[i] = object{"name": fmt.Sprintf("runs/big/stops/stop-%d", i)}
	}
	code, out = s.rest("PATCH", "/v1/runs/big?updateMask=stops", object{"stops": stops})
	refusal{"run.stops", "at most 100"}.checkREST(t, "a reorder of 101 stops", code, out)

	// A drop names at most 500 lines.
	s.mustREST(200, "POST", "/v1/runs/big:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/big:start", object{})
	stop := run["stops"].([]any)[0].(object)["name"].(string)
	lines := make([]*aqjurekv1.DeliveredLine, 501)
	for i := range lines {
		lines[i] = &aqjurekv1.DeliveredLine{DeliveryRequest: names[i%100], Line: int32(i / 100), Quantity: 1}
	}
	_, err = s.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: stop, ReceivedBy: "Nurse", Lines: lines})
	refusal{"lines", "at most 500 lines"}.checkGRPC(t, "a drop of 501 lines", err)
}

func TestAHugeListOfBadLinesIsRefusedFast(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	// Every line wrong: each would add its own violations.
	lines := make([]*aqjurekv1.LineItem, 40000)
	for i := range lines {
		lines[i] = &aqjurekv1.LineItem{Category: 99, Quantity: math.NaN(), Unit: 77, Description: "\x01"}
	}
	start := time.Now()
	_, err := s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward: "hospitals/gkb-7/wards/icu", Lines: lines, DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour))}})
	took := time.Since(start)
	refusal{"delivery_request.lines", "at most 50 line items (got 40000)"}.checkGRPC(t, "40000 bad lines", err)
	if msg := status.Convert(err).Message(); len(msg) > 200 {
		t.Errorf("the refusal lists every line: %.300s…", msg)
	}
	if took > 3*time.Second {
		t.Errorf("refusing 40000 bad lines took %v", took)
	}
}
