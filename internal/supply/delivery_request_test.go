package supply

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC)

func validRequest() *DeliveryRequest {
	return &DeliveryRequest{
		ID: "r1", HospitalID: "gkb-7", WardID: "icu",
		Lines: []LineItem{
			{Category: Fruit, Description: "apples", Quantity: 12500, Unit: Kilogram},
			{Category: Meals, Description: "плов", Quantity: 40000, Unit: Portion},
		},
		DeliverBefore: now.Add(6 * time.Hour),
		Headcount:     40,
	}
}

// violations returns the field → description of an Invalid error.
func violations(t *testing.T, err error) map[string]string {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) || de.Code != Invalid {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	out := map[string]string{}
	for _, v := range de.Violations {
		out[v.Field] = v.Description
	}
	return out
}

func TestPrepareNewRefusesBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(r *DeliveryRequest)
		field  string
		says   string
	}{
		{"no ward", func(r *DeliveryRequest) { r.WardID = "" }, "ward", "ward is required"},
		{"no lines", func(r *DeliveryRequest) { r.Lines = nil }, "lines", "at least one line"},
		{"too many lines", func(r *DeliveryRequest) { r.Lines = make([]LineItem, 51) }, "lines", "at most 50"},
		{"zero quantity", func(r *DeliveryRequest) { r.Lines[1].Quantity = 0 }, "lines[1].quantity", "quantity must be greater than 0 (line 2)"},
		{"negative quantity", func(r *DeliveryRequest) { r.Lines[0].Quantity = -5 }, "lines[0].quantity", "greater than 0 (line 1)"},
		{"huge quantity", func(r *DeliveryRequest) { r.Lines[0].Quantity = 10001 * QuantityScale }, "lines[0].quantity", "at most 10000"},
		{"half a portion", func(r *DeliveryRequest) { r.Lines[1].Quantity = 1500 }, "lines[1].quantity", "whole number of PORTION"},
		{"no category", func(r *DeliveryRequest) { r.Lines[0].Category = "" }, "lines[0].category", "category must be one of FRUIT"},
		{"unknown unit", func(r *DeliveryRequest) { r.Lines[0].Unit = "99" }, "lines[0].unit", "unit must be one of KILOGRAM"},
		{"meals by the kilo", func(r *DeliveryRequest) { r.Lines[1].Unit = Kilogram }, "lines[1].unit", "KILOGRAM does not suit MEALS"},
		{"juice in portions", func(r *DeliveryRequest) { r.Lines[0].Category = Juice; r.Lines[0].Unit = Portion }, "lines[0].unit", "does not suit JUICE"},
		{"long description", func(r *DeliveryRequest) { r.Lines[0].Description = strings.Repeat("я", 201) }, "lines[0].description", "at most 200 characters"},
		{"unknown priority", func(r *DeliveryRequest) { r.Priority = "SOON" }, "priority", "priority must be one of"},
		{"no deadline", func(r *DeliveryRequest) { r.DeliverBefore = time.Time{} }, "deliver_before", "deliver_before is required"},
		{"window backwards", func(r *DeliveryRequest) { r.DeliverAfter = r.DeliverBefore.Add(time.Hour) }, "deliver_before", "after deliver_after"},
		{"deadline passed", func(r *DeliveryRequest) { r.DeliverBefore = now.Add(-10 * time.Minute) }, "deliver_before", "not be in the past"},
		{"deadline far away", func(r *DeliveryRequest) { r.DeliverBefore = now.Add(100 * 24 * time.Hour) }, "deliver_before", "within 90 days"},
		{"negative headcount", func(r *DeliveryRequest) { r.Headcount = -1 }, "headcount", "between 0 and 10000"},
		{"invalid UTF-8", func(r *DeliveryRequest) { r.Notes = "ok \xff" }, "notes", "valid UTF-8"},
		{"control character", func(r *DeliveryRequest) { r.DietaryNotes = "halal\x00" }, "dietary_notes", "control characters"},
		{"long notes", func(r *DeliveryRequest) { r.Notes = strings.Repeat("a", 2001) }, "notes", "at most 2000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := validRequest()
			tc.change(r)
			got := violations(t, r.PrepareNew(now, NewViolations("")))
			if !strings.Contains(got[tc.field], tc.says) {
				t.Errorf("violations = %v, want %s to say %q", got, tc.field, tc.says)
			}
		})
	}
}

func TestPrepareNewAcceptsAndDefaults(t *testing.T) {
	t.Parallel()
	r := validRequest()
	r.Lines[0].Delivered = 5 // a caller cannot claim deliveries
	r.DeliverBefore = now.Add(-4 * time.Minute)
	r.Notes = "Кешкі ауысым: 40 адам.\nНочная смена."
	if err := r.PrepareNew(now, NewViolations("")); err != nil {
		t.Fatalf("PrepareNew: %v", err)
	}
	if r.State != Open || r.Priority != Routine || r.Lines[0].Delivered != 0 {
		t.Errorf("got state %s, priority %s, delivered %d; want OPEN, ROUTINE, 0", r.State, r.Priority, r.Lines[0].Delivered)
	}
}

func TestViolationsReportEveryProblemOnce(t *testing.T) {
	t.Parallel()
	v := NewViolations("delivery_request")
	v.Add("lines[0].quantity", "quantity must be a number (line 1)")
	r := validRequest()
	r.Lines[0].Quantity = 0
	r.Headcount = -3
	got := violations(t, r.PrepareNew(now, v))
	want := map[string]string{
		"delivery_request.lines[0].quantity": "quantity must be a number (line 1)",
		"delivery_request.headcount":         "headcount must be between 0 and 10000",
	}
	if len(got) != len(want) {
		t.Fatalf("violations = %v, want %v", got, want)
	}
	for f, d := range want {
		if got[f] != d {
			t.Errorf("%s: got %q, want %q", f, got[f], d)
		}
	}
}

func TestQuantityFromFloat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   float64
		want Quantity
		err  string
	}{
		{2.5, 2500, ""},
		{0.001, 1, ""},
		{0.1 + 0.2, 300, ""},
		{10000, 10000000, ""},
		{-1, -1000, ""}, // refused later as not greater than 0
		{1.0005, 0, "3 decimal places"},
		{math.NaN(), 0, "must be a number"},
		{math.Inf(1), 0, "must be a number"},
		{1e300, 0, "at most 10000"},
	} {
		got, err := QuantityFromFloat(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("QuantityFromFloat(%v) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("QuantityFromFloat(%v) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	if s := Quantity(12500).String(); s != "12.5" {
		t.Errorf("Quantity(12500).String() = %q, want 12.5", s)
	}
}

func TestReviseOnlyOpenAndKeepsDeliveryRecord(t *testing.T) {
	t.Parallel()
	r := validRequest()
	if err := r.PrepareNew(now, NewViolations("")); err != nil {
		t.Fatal(err)
	}
	// A short delivery re-opened the request with 5 kg handed over.
	r.Lines[0].Delivered = 5000

	next := validRequest()
	next.Notes = "Leave at the side door."
	next.DeliverBefore = r.DeliverBefore
	if err := r.Revise(next, now.Add(48*time.Hour), NewViolations("")); err != nil {
		t.Fatalf("Revise notes after the deadline passed: %v", err)
	}
	if r.Notes != next.Notes || r.Lines[0].Delivered != 5000 {
		t.Errorf("notes %q, delivered %d; want the new notes and the 5 kg record kept", r.Notes, r.Lines[0].Delivered)
	}

	more := validRequest()
	more.Lines[0].Quantity = 20000
	err := r.Revise(more, now, NewViolations(""))
	var de *Error
	if !errors.As(err, &de) || de.Code != FailedPrecondition {
		t.Errorf("changing lines after a delivery: got %v, want FailedPrecondition", err)
	}

	r.State = Scheduled
	if err := r.Revise(validRequest(), now, NewViolations("")); !errors.As(err, &de) || de.Code != FailedPrecondition ||
		!strings.Contains(de.Message, "SCHEDULED") {
		t.Errorf("revising a SCHEDULED request: got %v, want FailedPrecondition naming the state", err)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		state  RequestState
		reason string
		code   Code
	}{
		{Open, "duplicate", 0},
		{Scheduled, "ward closed", 0},
		{Open, "  ", Invalid},
		{InTransit, "too late", FailedPrecondition},
		{Delivered, "too late", FailedPrecondition},
		{Cancelled, "again", FailedPrecondition},
	} {
		r := validRequest()
		r.State, r.RunID = tc.state, "run1"
		err := r.Cancel(tc.reason)
		var de *Error
		switch {
		case tc.code == 0 && (err != nil || r.State != Cancelled || r.RunID != "" || r.CancelReason != tc.reason):
			t.Errorf("cancel %s: err %v, state %s, run %q", tc.state, err, r.State, r.RunID)
		case tc.code != 0 && (!errors.As(err, &de) || de.Code != tc.code):
			t.Errorf("cancel %s with %q: got %v, want code %d", tc.state, tc.reason, err, tc.code)
		}
	}
}

func TestOverdue(t *testing.T) {
	t.Parallel()
	r := validRequest()
	r.State = Open
	if r.Overdue(now) || !r.Overdue(now.Add(7*time.Hour)) {
		t.Error("an OPEN request must be overdue only after deliver_before")
	}
	r.State = Delivered
	if r.Overdue(now.Add(7 * time.Hour)) {
		t.Error("a DELIVERED request is never overdue")
	}
}
