package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

func TestADropOfWholeThingsIsWhole(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	need := s.need("hospitals/gkb-7/wards/icu")
	need["lines"] = []any{
		object{"category": "JUICE", "quantity": 6, "unit": "PIECE"},
		object{"category": "MEALS", "quantity": 10, "unit": "PORTION"},
		object{"category": "WATER", "quantity": 2, "unit": "BOX"},
		object{"category": "FRUIT", "quantity": 3, "unit": "KILOGRAM"},
	}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
	s.plan("morning", "aigerim")
	run := s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{name}})
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/morning:start", object{})
	stop := run["stops"].([]any)[0].(object)["name"].(string)

	code, out := s.rest("POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse", "lines": []any{
		object{"deliveryRequest": name, "line": 0, "quantity": 2.5},
		object{"deliveryRequest": name, "line": 1, "quantity": 9.5},
		object{"deliveryRequest": name, "line": 2, "quantity": 0.1},
		object{"deliveryRequest": name, "line": 3, "quantity": 2.75},
	}})
	got := fieldViolations(out)
	if code != 400 || !strings.Contains(got["lines[0].quantity"], "whole number of PIECE") ||
		!strings.Contains(got["lines[1].quantity"], "whole number of PORTION") || !strings.Contains(got["lines[2].quantity"], "whole number of BOX") ||
		got["lines[3].quantity"] != "" {
		t.Errorf("fractional drop over REST: %d %v", code, out)
	}
	_, err := s.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: stop, ReceivedBy: "Nurse",
		Lines: []*aqjurekv1.DeliveredLine{{DeliveryRequest: name, Line: 0, Quantity: 0.5}}})
	refusal{"lines[0].quantity", "whole number of PIECE (line 1)"}.checkGRPC(t, "half a bottle over gRPC", err)
	if got := s.mustREST(200, "GET", "/v1/"+name, nil); got["state"] != "IN_TRANSIT" || line(got, 0)["deliveredQuantity"] != 0.0 {
		t.Errorf("after the refused drops: %v", got)
	}
	s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse", "lines": []any{
		object{"deliveryRequest": name, "line": 0, "quantity": 6}, object{"deliveryRequest": name, "line": 3, "quantity": 2.75},
	}})
}

func TestTimesOutOfRangeAreRefusedAsSuch(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	for _, when := range []string{"0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		need := s.need("hospitals/gkb-7/wards/icu")
		need["deliverBefore"] = when
		code, out := s.rest("POST", "/v1/deliveryRequests", need)
		refusal{"delivery_request.deliver_before", "out of range"}.checkREST(t, "deliverBefore "+when, code, out)
		if !strings.Contains(fieldViolations(out)["delivery_request.deliver_before"], when) {
			t.Errorf("deliverBefore %s: the message does not say what was sent: %v", when, out)
		}
		need = s.need("hospitals/gkb-7/wards/icu")
		need["deliverAfter"] = when
		code, out = s.rest("POST", "/v1/deliveryRequests", need)
		refusal{"delivery_request.deliver_after", "out of range"}.checkREST(t, "deliverAfter "+when, code, out)
	}
	// Over gRPC, a timestamp left at its zero value is 1970, not "not set".
	_, err := s.requests.CreateDeliveryRequest(ctx, &aqjurekv1.CreateDeliveryRequestRequest{DeliveryRequest: &aqjurekv1.DeliveryRequest{
		Ward: "hospitals/gkb-7/wards/icu", DeliverBefore: &timestamppb.Timestamp{},
		Lines: []*aqjurekv1.LineItem{{Category: aqjurekv1.Category_WATER, Quantity: 1, Unit: aqjurekv1.Unit_LITER}},
	}})
	refusal{"delivery_request.deliver_before", "between 2000 and 2100"}.checkGRPC(t, "a zero timestamp over gRPC", err)
	_, err = s.runs.CreateRun(ctx, &aqjurekv1.CreateRunRequest{Run: &aqjurekv1.Run{
		Volunteer: "volunteers/aigerim", Depot: "depots/bazaar", PlannedStartTime: timestamppb.New(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)),
	}})
	refusal{"run.planned_start_time", "out of range"}.checkGRPC(t, "a run planned for year 1", err)
	// Left out, it is still "required".
	need := s.need("hospitals/gkb-7/wards/icu")
	delete(need, "deliverBefore")
	code, out := s.rest("POST", "/v1/deliveryRequests", need)
	refusal{"delivery_request.deliver_before", "is required"}.checkREST(t, "no deliverBefore", code, out)
}

func TestARequestListedTwiceInOneAssignIsNamed(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	a := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	b := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	s.plan("morning", "aigerim")
	code, out := s.rest("POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{a, b, a}})
	refusal{"delivery_requests[2]", "lists " + a + " twice (items 1 and 3)"}.checkREST(t, "assign a, b, a", code, out)
	if strings.Contains(out["message"].(string), "runs/morning") {
		t.Errorf("the message blames the run: %v", out["message"])
	}
	_, err := s.runs.UnassignRun(ctx, &aqjurekv1.UnassignRunRequest{Name: "runs/morning", DeliveryRequests: []string{b, b}})
	refusal{"delivery_requests[1]", "lists " + b + " twice"}.checkGRPC(t, "unassign b, b", err)
	for _, name := range []string{a, b} {
		if got := s.mustREST(200, "GET", "/v1/"+name, nil); got["state"] != "OPEN" {
			t.Errorf("%s after the refused assign: %v", name, got["state"])
		}
	}
}

func TestInvisibleAndDirectionCharactersAreRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	// "City Hospital No. 7" that reads as "City Hospital No. 1" on a board.
	for _, tc := range []struct {
		name, text string
	}{
		{"right-to-left override", "City Hospital No. \u202e1\u202c7"},
		{"left-to-right isolate", "Aigerim \u2066S.\u2069"},
		{"zero-width space", "I\u200bCU"},
		{"zero-width joiner", "ICU\u200d"},
		{"byte order mark", "\ufeffICU"},
		{"line separator", "ICU\u2028B"},
		{"soft hyphen", "I\u00adCU"},
		{"Hangul filler", "\u3164"},
	} {
		code, out := s.rest("PATCH", "/v1/hospitals/gkb-7", object{"displayName": tc.text})
		refusal{"hospital.display_name", "invisible or direction-changing"}.checkREST(t, tc.name+" in a hospital's name", code, out)
	}
	code, out := s.rest("PATCH", "/v1/hospitals/gkb-7", object{"deliveryNotes": "Gate\u202e B"})
	refusal{"hospital.delivery_notes", "U+202E"}.checkREST(t, "an override in delivery notes", code, out)
	code, out = s.rest("POST", "/v1/hospitals/gkb-7/wards", object{"displayName": "ICU", "building": "B\u200b"})
	refusal{"ward.building", "invisible"}.checkREST(t, "a zero-width space in a building", code, out)
	code, out = s.rest("POST", "/v1/volunteers", object{"displayName": "Daniyar\u202e", "capacityKg": 100})
	refusal{"volunteer.display_name", "invisible"}.checkREST(t, "an override in a volunteer's name", code, out)
	code, out = s.rest("POST", "/v1/depots", object{"displayName": "Bazaar", "hours": "9\u200e-18"})
	refusal{"depot.hours", "invisible"}.checkREST(t, "a left-to-right mark in depot hours", code, out)

	need := s.need("hospitals/gkb-7/wards/icu")
	need["notes"] = "Side door\u2067"
	need["lines"] = []any{object{"category": "FRUIT", "description": "app\u200bles", "quantity": 1, "unit": "KILOGRAM"}}
	code, out = s.rest("POST", "/v1/deliveryRequests", need)
	got := fieldViolations(out)
	if code != 400 || !strings.Contains(got["delivery_request.notes"], "invisible") || !strings.Contains(got["delivery_request.lines[0].description"], "invisible") {
		t.Errorf("a request with hidden characters: %d %v", code, out)
	}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	code, out = s.rest("POST", "/v1/"+name+":cancel", object{"reason": "dup\u202elicate"})
	refusal{"reason", "invisible"}.checkREST(t, "an override in a cancel reason", code, out)

	_, err := s.runs.CreateRun(ctx, &aqjurekv1.CreateRunRequest{Run: &aqjurekv1.Run{
		Volunteer: "volunteers/aigerim", Depot: "depots/bazaar", PlannedStartTime: timestamppb.New(s.clock.Now().Add(time.Hour)), Notes: "\u2066x",
	}})
	refusal{"run.notes", "invisible"}.checkGRPC(t, "an isolate in run notes", err)
	s.plan("morning", "aigerim")
	onRun := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{onRun}})
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/morning:start", object{})
	stop := s.mustREST(200, "GET", "/v1/runs/morning", nil)["stops"].([]any)[0].(object)["name"].(string)
	_, err = s.runs.DeliverStop(ctx, &aqjurekv1.DeliverStopRequest{Name: stop, ReceivedBy: "Nurse\u202e Gulnar"})
	refusal{"received_by", "invisible"}.checkGRPC(t, "an override in received_by", err)
	_, err = s.runs.FailStop(ctx, &aqjurekv1.FailStopRequest{Name: stop, Reason: "closed\u200b"})
	refusal{"reason", "invisible"}.checkGRPC(t, "a zero-width space in a failure reason", err)

	// Kazakh, Russian, emoji and line breaks in notes stay welcome.
	h := s.mustREST(200, "PATCH", "/v1/hospitals/gkb-7", object{"displayName": "№7 қалалық аурухана 🏥", "deliveryNotes": "Кіреберіс B.\nSide door."})
	if h["displayName"] != "№7 қалалық аурухана 🏥" {
		t.Errorf("a clean name came back as %q", h["displayName"])
	}
}
