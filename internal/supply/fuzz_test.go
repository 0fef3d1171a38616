package supply

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzPrepareNew(f *testing.F) {
	f.Add("gkb-7", "icu", "FRUIT", "KILOGRAM", 12.5, "apples", 6*3600, int64(0), 40, "Halal.", "URGENT")
	f.Add("", "", "", "", math.NaN(), "\xff", -3600, int64(7200), -1, strings.Repeat("ж", 3000), "SOON")
	f.Add("x' OR 1=1--", "icu", "MEALS", "PORTION", 0.5, "плов", 90*24*3600+1, int64(-1), 10001, "\x00", "")
	f.Fuzz(func(t *testing.T, hospital, ward, category, unit string, quantity float64, description string,
		dueSeconds int, afterSeconds int64, headcount int, notes, priority string) {
		r := &DeliveryRequest{HospitalID: hospital, WardID: ward, Priority: Priority(priority), Headcount: headcount, Notes: notes,
			DeliverBefore: now.Add(time.Duration(dueSeconds) * time.Second)}
		if afterSeconds != 0 {
			r.DeliverAfter = now.Add(time.Duration(afterSeconds) * time.Second)
		}
		q, qerr := QuantityFromFloat(quantity)
		r.Lines = []LineItem{{Category: Category(category), Unit: Unit(unit), Quantity: q, Description: description}}
		err := r.PrepareNew(now, NewViolations("delivery_request"))
		var de *Error
		if err != nil && (!errors.As(err, &de) || de.Code != Invalid || len(de.Violations) == 0) {
			t.Fatalf("PrepareNew returned %v, want nil or an Invalid error with violations", err)
		}
		if err != nil {
			return
		}
		// What passes holds every rule.
		l := r.Lines[0]
		switch {
		case qerr != nil, l.Quantity <= 0, l.Quantity > maxQuantity, l.Unit.Whole() && l.Quantity%QuantityScale != 0:
			t.Fatalf("accepted quantity %v (%d)", quantity, l.Quantity)
		case !utf8.ValidString(r.Notes + l.Description), r.Headcount < 0 || r.Headcount > maxHeadcount:
			t.Fatalf("accepted text or headcount: %+v", r)
		case r.State != Open, r.Priority.Rank() == 0, !r.DeliverAfter.IsZero() && !r.DeliverBefore.After(r.DeliverAfter):
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzQuantityFromFloat(f *testing.F) {
	for _, seed := range []float64{0, 1, 2.5, 0.001, 0.0005, -1, 10000, 1e300, math.Inf(-1), math.NaN(), 0.1 + 0.2} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in float64) {
		q, err := QuantityFromFloat(in)
		if err != nil {
			return
		}
		if math.Abs(q.Float()-in) > 1e-9*math.Max(1, math.Abs(in)) {
			t.Fatalf("QuantityFromFloat(%v) = %v", in, q.Float())
		}
		if back, err := QuantityFromFloat(q.Float()); err != nil || back != q {
			t.Fatalf("%v does not round-trip: %v %v", q, back, err)
		}
	})
}

func FuzzParseName(f *testing.F) {
	for _, seed := range []string{"hospitals/gkb-7/wards/icu", "hospitals//wards/", "hospitals/a/wards/b/c", "x", "",
		"hospitals/%2e%2e/wards/icu", "hospitals/ГКБ/wards/icu", strings.Repeat("hospitals/a/", 1000)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		var h, w string
		err := ParseName("ward", name, WardPattern, &h, &w)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) || de.Code != Invalid || de.Violations[0].Field != "ward" {
				t.Fatalf("ParseName(%q) = %v, want an Invalid error naming ward", name, err)
			}
			return
		}
		if got := Name(WardPattern, h, w); got != name {
			t.Fatalf("ParseName(%q) read %q %q, which name %q", name, h, w, got)
		}
	})
}

// FuzzResourceValidators feeds the other validators (hospitals, wards,
// depots, volunteers, runs, drops): each refuses cleanly or accepts a
// resource that keeps the rules.
func FuzzResourceValidators(f *testing.F) {
	f.Add("ГКБ №7", "+7 727 000 0107", 43.2, 76.9, 25, 150.0, "CAR", int64(3600), "Nurse", "apples", 1, int64(5000))
	f.Add("", "call me", math.NaN(), 181.0, -1, -1.0, "ROCKET", int64(-7200), "", "\xff", -1, int64(-1))
	f.Add(strings.Repeat("я", 201), "++7", 90.0, -180.0, 5001, 1e9, "", int64(40*24*3600), strings.Repeat("x", 201), "\x00", 5, int64(1<<40))
	f.Fuzz(func(t *testing.T, name, phone string, lat, lng float64, staff int, capacity float64, vehicle string,
		startSeconds int64, receivedBy, note string, line int, quantity int64) {
		check := func(what string, err error) {
			t.Helper()
			var de *Error
			if err != nil && (!errors.As(err, &de) || de.Code != Invalid || len(de.Violations) == 0) {
				t.Fatalf("%s: %v, want nil or an Invalid error with violations", what, err)
			}
		}
		loc := &LatLng{Latitude: lat, Longitude: lng}
		h := &Hospital{DisplayName: name, Phone: phone, Location: loc, DeliveryNotes: note}
		err := h.Validate("hospital")
		check("hospital", err)
		if err == nil && (strings.TrimSpace(name) == "" || !utf8.ValidString(note) || math.IsNaN(lat) || math.Abs(lat) > 90 || math.Abs(lng) > 180) {
			t.Fatalf("accepted hospital %+v", h)
		}
		check("ward", (&Ward{DisplayName: name, StaffOnShift: staff, ContactPhone: phone, DropOffInstructions: note}).Validate("ward"))
		check("depot", (&Depot{DisplayName: name, Location: loc, Hours: note, Phone: phone}).Validate("depot"))
		v := &Volunteer{DisplayName: name, Phone: phone, VehicleKind: VehicleKind(vehicle), CapacityKG: capacity}
		err = v.Validate("volunteer")
		check("volunteer", err)
		if err == nil && (math.IsNaN(capacity) || capacity < 0 || capacity > maxCapacityKG) {
			t.Fatalf("accepted volunteer %+v", v)
		}
		r := &Run{VolunteerID: "v", DepotID: "d", PlannedStartTime: now.Add(time.Duration(startSeconds) * time.Second), Notes: note}
		check("run", r.PrepareNew(now, NewViolations("run")))

		w, fr := onTheRoad(t)
		before := fr.requests["x"].Lines[0].Delivered
		err = w.Deliver("stop-1", receivedBy, []DeliveredLine{{RequestID: "x", Line: line, Quantity: Quantity(quantity)}}, note)
		check("deliver", err)
		x := fr.requests["x"]
		if err == nil && (quantity < 0 || line != 0 && line != 1 || x.Lines[0].Delivered < before ||
			x.Lines[0].Delivered > x.Lines[0].Quantity+x.Lines[0].Quantity/10) {
			t.Fatalf("accepted a drop of %d on line %d: %+v", quantity, line, x.Lines)
		}
	})
}
