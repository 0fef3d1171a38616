package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

func TestStaffFileANeedOverRESTAndReadItOverGRPC(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	due := s.clock.Now().Add(5 * time.Hour).Truncate(time.Minute)
	body := object{
		"ward": "hospitals/gkb-7/wards/icu",
		"lines": []any{
			object{"category": "FRUIT", "description": "алма (яблоки Апорт)", "quantity": 12.5, "unit": "KILOGRAM"},
			object{"category": "MEALS", "description": "палау / плов с говядиной", "quantity": 40, "unit": "PORTION"},
			object{"category": "JUICE", "description": "apple juice", "quantity": 24, "unit": "PIECE"},
		},
		"priority":      "CRITICAL",
		"deliverAfter":  due.Add(-2 * time.Hour).Format(time.RFC3339),
		"deliverBefore": due.Format(time.RFC3339),
		"headcount":     40,
		"dietaryNotes":  "Халал. Без орехов.",
		"notes":         "Түнгі ауысым 20:00-де басталады.\nНочная смена с 20:00.",
	}
	created := s.mustREST(200, "POST", "/v1/deliveryRequests?deliveryRequestId=icu-night-shift", body)
	if created["name"] != "deliveryRequests/icu-night-shift" || created["state"] != "OPEN" || created["hospital"] != "hospitals/gkb-7" ||
		created["overdue"] != false || created["priority"] != "CRITICAL" {
		t.Errorf("created = %v", created)
	}
	lines := created["lines"].([]any)
	first := lines[0].(object)
	if len(lines) != 3 || first["quantity"] != 12.5 || first["scheduledQuantity"] != 0.0 || first["deliveredQuantity"] != 0.0 ||
		first["description"] != "алма (яблоки Апорт)" {
		t.Errorf("lines = %v", lines)
	}

	got, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: "deliveryRequests/icu-night-shift"})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetNotes() != body["notes"] || got.GetDietaryNotes() != "Халал. Без орехов." || got.GetLines()[1].GetDescription() != "палау / плов с говядиной" ||
		!got.GetDeliverBefore().AsTime().Equal(due) || got.GetHeadcount() != 40 || got.GetEtag() != created["etag"] {
		t.Errorf("GetDeliveryRequest = %v", got)
	}
	listed := s.listAll("/v1/deliveryRequests?ward="+url.QueryEscape("hospitals/gkb-7/wards/icu"), "deliveryRequests")
	if len(listed) != 1 || listed[0]["name"] != "deliveryRequests/icu-night-shift" {
		t.Errorf("listed = %v", listed)
	}
}

func TestBadInputIsRefusedNamingTheFieldAndStoresNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=closed", object{"displayName": "Closed ward", "archived": true})
	now := s.clock.Now()
	with := func(change func(b object)) object {
		b := s.need("hospitals/gkb-7/wards/icu")
		change(b)
		return b
	}
	line := func(b object) object { return b["lines"].([]any)[0].(object) }
	for _, tc := range []struct {
		name  string
		query string
		body  any
		field string // "" when the JSON itself is refused before any field is read
		says  string
	}{
		{"no ward", "", with(func(b object) { delete(b, "ward") }), "delivery_request.ward", "ward is required"},
		{"malformed ward", "", with(func(b object) { b["ward"] = "icu" }), "delivery_request.ward", "hospitals/{hospital}/wards/{ward}"},
		{"ward that does not exist", "", with(func(b object) { b["ward"] = "hospitals/gkb-7/wards/nope" }), "delivery_request.ward", "does not exist"},
		{"archived ward", "", with(func(b object) { b["ward"] = "hospitals/gkb-7/wards/closed" }), "delivery_request.ward", "archived"},
		{"SQL in the ward name", "", with(func(b object) { b["ward"] = "hospitals/x' OR '1'='1/wards/icu" }), "delivery_request.ward", "invalid id"},
		{"no lines", "", with(func(b object) { b["lines"] = []any{} }), "delivery_request.lines", "at least one"},
		{"zero quantity", "", with(func(b object) { line(b)["quantity"] = 0 }), "delivery_request.lines[0].quantity", "greater than 0 (line 1)"},
		{"negative quantity", "", with(func(b object) { line(b)["quantity"] = -3 }), "delivery_request.lines[0].quantity", "greater than 0"},
		{"NaN quantity", "", with(func(b object) { line(b)["quantity"] = "NaN" }), "delivery_request.lines[0].quantity", "must be a number"},
		{"huge quantity", "", with(func(b object) { line(b)["quantity"] = 1e300 }), "delivery_request.lines[0].quantity", "at most 10000"},
		{"too precise", "", with(func(b object) { line(b)["quantity"] = 1.0005 }), "delivery_request.lines[0].quantity", "3 decimal places"},
		{"unit that does not suit", "", with(func(b object) { line(b)["unit"] = "PORTION" }), "delivery_request.lines[0].unit", "PORTION does not suit FRUIT"},
		{"no category", "", with(func(b object) { delete(line(b), "category") }), "delivery_request.lines[0].category", "category must be one of"},
		{"many lines", "", with(func(b object) {
			var many []any
			for range 51 {
				many = append(many, line(b))
			}
			b["lines"] = many
		}), "delivery_request.lines", "at most 50"},
		{"deadline passed", "", with(func(b object) { b["deliverBefore"] = now.Add(-time.Hour).Format(time.RFC3339) }), "delivery_request.deliver_before", "past"},
		{"window backwards", "", with(func(b object) { b["deliverAfter"] = now.Add(8 * time.Hour).Format(time.RFC3339) }), "delivery_request.deliver_before", "after deliver_after"},
		{"no deadline", "", with(func(b object) { delete(b, "deliverBefore") }), "delivery_request.deliver_before", "required"},
		{"negative headcount", "", with(func(b object) { b["headcount"] = -1 }), "delivery_request.headcount", "between 0 and"},
		{"long notes", "", with(func(b object) { b["notes"] = strings.Repeat("ж", 2001) }), "delivery_request.notes", "at most 2000"},
		{"control characters", "", with(func(b object) { b["dietaryNotes"] = "halal\u0007" }), "delivery_request.dietary_notes", "control characters"},
		{"request id not a UUID", "?requestId=retry-1", s.need("hospitals/gkb-7/wards/icu"), "request_id", "UUID"},
		{"bad id", "?deliveryRequestId=Night_Shift", s.need("hospitals/gkb-7/wards/icu"), "delivery_request_id", "not a valid id"},
		{"unknown field", "", with(func(b object) { b["colour"] = "red" }), "", `colour: (line 1:`},
		{"time that is not a time", "", with(func(b object) { b["deliverBefore"] = "tomorrow" }), "", `deliverBefore: (line 1:`},
		{"unknown category", "", with(func(b object) { line(b)["category"] = "BREAD" }), "", `lines[0].category: (line 1:`},
		{"invalid UTF-8", "", []byte(`{"ward":"hospitals/gkb-7/wards/icu","notes":"` + "\xff\xfe" + `"}`), "", "UTF-8"},
		{"not JSON", "", "{lines: [", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := s.rest("POST", "/v1/deliveryRequests"+tc.query, tc.body)
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %v", code, out)
			}
			msg, _ := out["message"].(string)
			if tc.field != "" && !strings.Contains(fieldViolations(out)[tc.field], tc.says) {
				t.Errorf("violations %v, want %s to say %q", fieldViolations(out), tc.field, tc.says)
			}
			if !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
		})
	}
	if all := s.listAll("/v1/deliveryRequests?pageSize=100", "deliveryRequests"); len(all) != 0 {
		t.Errorf("refused requests stored: %v", all)
	}

	// The same rules hold over gRPC, with every problem reported at once.
	_, err := s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{
		DeliveryRequest: &aqjurekv1.DeliveryRequest{
			Ward:          "hospitals/gkb-7/wards/icu",
			Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_MEALS, Quantity: 2.5, Unit: aqjurekv1.Unit_PORTION}},
			DeliverBefore: timestamppb.New(now.Add(-time.Hour)),
			Priority:      aqjurekv1.Priority(17),
		},
	})
	c, v := grpcViolations(err)
	if c != codes.InvalidArgument || len(v) != 3 || !strings.Contains(v["delivery_request.lines[0].quantity"], "whole number") ||
		v["delivery_request.deliver_before"] == "" || v["delivery_request.priority"] == "" {
		t.Errorf("gRPC create: %v %v", c, v)
	}
}

func TestUpdateAndCancelFollowTheRules(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=er", object{"displayName": "Emergency"})
	r := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
	name := r["name"].(string)

	s.clock.Advance(time.Minute)
	changed := s.mustREST(200, "PATCH", "/v1/"+name, object{"notes": "Ring the ICU bell.", "headcount": 35, "etag": r["etag"]})
	if changed["notes"] != "Ring the ICU bell." || changed["headcount"] != 35.0 || changed["priority"] != "URGENT" ||
		changed["etag"] == r["etag"] || changed["updateTime"] == r["updateTime"] {
		t.Errorf("PATCH = %v", changed)
	}
	if code, out := s.rest("PATCH", "/v1/"+name, object{"notes": "stale", "etag": r["etag"]}); code != http.StatusConflict ||
		!strings.Contains(out["message"].(string), "get it again") {
		t.Errorf("stale etag: %d %v, want 409", code, out)
	}
	moved := s.mustREST(200, "PATCH", "/v1/"+name+"?updateMask=ward,lines", object{
		"ward":  "hospitals/gkb-7/wards/er",
		"lines": []any{object{"category": "WATER", "quantity": 20, "unit": "LITER"}},
	})
	if moved["ward"] != "hospitals/gkb-7/wards/er" || len(moved["lines"].([]any)) != 1 || moved["notes"] != "Ring the ICU bell." {
		t.Errorf("move and relist = %v", moved)
	}
	if code, out := s.rest("PATCH", "/v1/"+name, object{"lines": []any{object{"category": "WATER", "quantity": 0, "unit": "LITER"}}}); code != 400 ||
		fieldViolations(out)["delivery_request.lines[0].quantity"] == "" {
		t.Errorf("update with a bad line: %d %v", code, out)
	}
	if code, _ := s.rest("PATCH", "/v1/"+name, object{"state": "DELIVERED"}); code != 200 {
		t.Errorf("state is output only and ignored, got %d", code)
	} else if got := s.mustREST(200, "GET", "/v1/"+name, nil); got["state"] != "OPEN" {
		t.Errorf("a PATCH set the state to %v", got["state"])
	}

	if code, out := s.rest("POST", "/v1/"+name+":cancel", object{}); code != 400 || fieldViolations(out)["reason"] == "" {
		t.Errorf("cancel without a reason: %d %v", code, out)
	}
	cancelled := s.mustREST(200, "POST", "/v1/"+name+":cancel", object{"reason": "Жертводатель привёз сам."})
	if cancelled["state"] != "CANCELLED" || cancelled["cancelReason"] != "Жертводатель привёз сам." {
		t.Errorf("cancelled = %v", cancelled)
	}
	if code, out := s.rest("POST", "/v1/"+name+":cancel", object{"reason": "again"}); code != 400 ||
		!strings.Contains(out["message"].(string), "is CANCELLED") {
		t.Errorf("cancel twice: %d %v, want FailedPrecondition naming the state", code, out)
	}
	_, err := s.requests.UpdateDeliveryRequest(context.Background(), &aqjurekv1.UpdateDeliveryRequestRequest{
		DeliveryRequest: &aqjurekv1.DeliveryRequest{Name: name, Notes: "too late"},
		UpdateMask:      &fieldmaskpb.FieldMask{Paths: []string{"notes"}},
	})
	if status.Code(err) != codes.FailedPrecondition || !strings.Contains(status.Convert(err).Message(), "only an OPEN request") {
		t.Errorf("update a cancelled request: %v", err)
	}
	if code, _ := s.rest("GET", "/v1/deliveryRequests/nope", nil); code != 404 {
		t.Errorf("missing request: %d, want 404", code)
	}
	if code, _ := s.rest("POST", "/v1/deliveryRequests/nope:cancel", object{"reason": "x"}); code != 404 {
		t.Errorf("cancel a missing request: %d, want 404", code)
	}
}

func TestRetriesWithARequestIDNeverDuplicate(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	body := s.need("hospitals/gkb-7/wards/icu")
	const id = "6f9619ff-8b86-4011-b42d-00c04fc964ff"
	first := s.mustREST(200, "POST", "/v1/deliveryRequests?requestId="+id, body)
	var wg sync.WaitGroup
	names := make(chan any, 8)
	for range 8 {
		wg.Go(func() {
			code, out := s.rest("POST", "/v1/deliveryRequests?requestId="+id, body)
			if code != 200 {
				t.Errorf("retry: %d %v", code, out)
			}
			names <- out["name"]
		})
	}
	wg.Wait()
	close(names)
	for n := range names {
		if n != first["name"] {
			t.Errorf("retry answered %v, want %v", n, first["name"])
		}
	}
	body["headcount"] = 99
	if code, out := s.rest("POST", "/v1/deliveryRequests?requestId="+id, body); code != 400 || fieldViolations(out)["request_id"] == "" {
		t.Errorf("request id reused for another request: %d %v", code, out)
	}
	if all := s.listAll("/v1/deliveryRequests", "deliveryRequests"); len(all) != 1 {
		t.Errorf("%d requests stored, want 1", len(all))
	}

	cancel := &aqjurekv1.CancelDeliveryRequestRequest{Name: first["name"].(string), Reason: "duplicate", RequestId: "0b5a7c9e-2222-4333-8444-abcdefabcdef"}
	for i := range 3 {
		r, err := s.requests.CancelDeliveryRequest(context.Background(), cancel)
		if err != nil || r.GetState() != aqjurekv1.DeliveryRequest_CANCELLED {
			t.Fatalf("cancel attempt %d: %v, %v", i+1, r, err)
		}
	}
}

func TestConcurrentFilingOverBothFacesLosesNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	const perFace = 25
	var wg sync.WaitGroup
	names := make(chan string, 2*perFace)
	for i := range perFace {
		wg.Go(func() {
			code, out := s.rest("POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))
			if code != 200 {
				t.Errorf("REST create %d: %d %v", i, code, out)
				return
			}
			names <- out["name"].(string)
		})
		wg.Go(func() {
			r, err := s.requests.CreateDeliveryRequest(context.Background(), &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
				Ward:          "hospitals/gkb-7/wards/icu",
				Lines:         []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 10, Unit: aqjurekv1.Unit_LITER}},
				DeliverBefore: timestamppb.New(s.clock.Now().Add(time.Hour)),
			}})
			if err != nil {
				t.Errorf("gRPC create %d: %v", i, err)
				return
			}
			names <- r.GetName()
		})
	}
	wg.Wait()
	close(names)
	acknowledged := map[string]bool{}
	for n := range names {
		acknowledged[n] = true
	}
	stored := map[string]bool{}
	for _, r := range s.listAll("/v1/deliveryRequests?pageSize=7", "deliveryRequests") {
		if stored[r["name"].(string)] {
			t.Errorf("%s listed twice", r["name"])
		}
		stored[r["name"].(string)] = true
	}
	if len(acknowledged) != 2*perFace || len(stored) != 2*perFace {
		t.Errorf("%d acknowledged, %d stored, want %d of each", len(acknowledged), len(stored), 2*perFace)
	}
	for n := range acknowledged {
		if !stored[n] {
			t.Errorf("acknowledged %s is missing", n)
		}
	}
}

func TestListFiltersOrderAndOverdue(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.seed("gkb-1", "er")
	file := func(ward, priority, category, unit string, due time.Duration) string {
		b := s.need(ward)
		b["priority"] = priority
		b["deliverBefore"] = s.clock.Now().Add(due).Format(time.RFC3339)
		b["lines"] = []any{object{"category": category, "quantity": 10, "unit": unit}}
		s.clock.Advance(time.Second) // distinct create times, for order_by=create_time
		return s.mustREST(200, "POST", "/v1/deliveryRequests", b)["name"].(string)
	}
	a := file("hospitals/gkb-7/wards/icu", "CRITICAL", "FRUIT", "KILOGRAM", time.Hour)
	b := file("hospitals/gkb-7/wards/icu", "ROUTINE", "MEALS", "PORTION", 3*time.Hour)
	c := file("hospitals/gkb-1/wards/er", "URGENT", "MEALS", "PORTION", 2*time.Hour)
	d := file("hospitals/gkb-1/wards/er", "ROUTINE", "JUICE", "LITER", 5*time.Hour)
	s.mustREST(200, "POST", "/v1/"+d+":cancel", object{"reason": "duplicate"})
	s.clock.Advance(150 * time.Minute) // a (due in 1 h) and c (2 h) are now overdue

	names := func(query string) string {
		var got []string
		for _, r := range s.listAll("/v1/deliveryRequests?"+query, "deliveryRequests") {
			got = append(got, r["name"].(string))
		}
		return strings.Join(got, " ")
	}
	for _, tc := range []struct{ query, want string }{
		{"", strings.Join([]string{a, c, b, d}, " ")},
		{"pageSize=1", strings.Join([]string{a, c, b, d}, " ")},
		{"hospital=hospitals/gkb-1", strings.Join([]string{c, d}, " ")},
		{"ward=hospitals/gkb-7/wards/icu", strings.Join([]string{a, b}, " ")},
		{"state=OPEN&state=CANCELLED&priority=ROUTINE", strings.Join([]string{b, d}, " ")},
		{"category=MEALS", strings.Join([]string{c, b}, " ")},
		{"overdue=true", strings.Join([]string{a, c}, " ")},
		{"overdue=false", strings.Join([]string{b, d}, " ")},
		{"orderBy=" + url.QueryEscape("deliver_before desc"), strings.Join([]string{d, b, c, a}, " ")},
		{"orderBy=create_time&pageSize=3", strings.Join([]string{a, b, c, d}, " ")},
	} {
		if got := names(tc.query); got != tc.want {
			t.Errorf("?%s = %s, want %s", tc.query, got, tc.want)
		}
	}
	if got := s.mustREST(200, "GET", "/v1/"+a, nil); got["overdue"] != true {
		t.Errorf("%s past its deadline is not overdue: %v", a, got)
	}

	page := s.mustREST(200, "GET", "/v1/deliveryRequests?pageSize=1&category=MEALS", nil)
	token := url.QueryEscape(page["nextPageToken"].(string))
	for _, tc := range []struct{ query, field string }{
		{"pageSize=1&category=FRUIT&pageToken=" + token, "page_token"},
		{"pageToken=garbage", "page_token"},
		{"pageSize=-1", "page_size"},
		{"orderBy=" + url.QueryEscape("notes"), "order_by"},
		{"hospital=gkb-7", "hospital"},
		{"ward=hospitals/gkb-7/wards/icu&hospital=hospitals/gkb-1", "ward"},
	} {
		if code, out := s.rest("GET", "/v1/deliveryRequests?"+tc.query, nil); code != 400 || fieldViolations(out)[tc.field] == "" {
			t.Errorf("?%s: %d %v, want 400 naming %s", tc.query, code, out, tc.field)
		}
	}
	_, err := s.requests.ListDeliveryRequests(context.Background(), &aqjurekv1.ListDeliveryRequestsRequest{
		State: []aqjurekv1.DeliveryRequest_State{aqjurekv1.DeliveryRequest_STATE_UNSPECIFIED},
	})
	if c, v := grpcViolations(err); c != codes.InvalidArgument || v["state"] == "" {
		t.Errorf("unspecified state filter: %v", err)
	}
}
