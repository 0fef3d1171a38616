package supply

import (
	"strings"
	"testing"
	"time"
)

func TestParseName(t *testing.T) {
	t.Parallel()
	var h, w string
	if err := ParseName("ward", "hospitals/gkb-7/wards/icu", WardPattern, &h, &w); err != nil || h != "gkb-7" || w != "icu" {
		t.Fatalf("ParseName = %q %q %v", h, w, err)
	}
	for _, bad := range []string{"", "hospitals/gkb-7", "wards/icu", "hospitals/GKB/wards/icu", "hospitals/gkb-7/wards/icu/extra",
		"hospitals/'; DROP TABLE wards;--/wards/icu", "hospitals/-x/wards/icu"} {
		err := ParseName("ward", bad, WardPattern, &h, &w)
		if err == nil || !strings.Contains(err.Error(), "ward") {
			t.Errorf("ParseName(%q) = %v, want an error naming ward", bad, err)
		}
	}
}

func TestNewIDIsValid(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if err := ValidateID("id", id); err != nil || seen[id] {
			t.Fatalf("NewID() = %q: %v (seen before: %v)", id, err, seen[id])
		}
		seen[id] = true
	}
}

func TestNewIDsSortInTheOrderMade(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 21, 8, 0, 0, 0, time.UTC)
	prev := newIDAt(start)
	for _, later := range []time.Duration{time.Millisecond, time.Second, time.Hour, 24 * time.Hour, 100 * 365 * 24 * time.Hour} {
		id := newIDAt(start.Add(later))
		if id <= prev {
			t.Errorf("id made %v later = %q, not after %q", later, id, prev)
		}
		if err := ValidateID("id", id); err != nil {
			t.Error(err)
		}
		prev = id
	}
	if a, b := newIDAt(start), newIDAt(start); a[:9] != b[:9] || a == b {
		t.Errorf("ids of one millisecond: %q and %q, want the same time part and different ids", a, b)
	}
}

func TestValidateRequestID(t *testing.T) {
	t.Parallel()
	if err := ValidateRequestID("3f1b2c4d-1111-4222-8333-123456789abc"); err != nil {
		t.Error(err)
	}
	if err := ValidateRequestID("retry-1"); err == nil || !strings.Contains(err.Error(), "request_id must be a UUID") {
		t.Errorf("got %v", err)
	}
}

func TestCheckPhoneAndText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		phone string
		ok    bool
	}{{"+7 727 000 0107", true}, {"8(727)123-45-67", true}, {"", true}, {"call me", false}, {"12", false}, {"7+7 1234567", false}} {
		v := NewViolations("")
		checkPhone(v, "phone", "phone", tc.phone)
		if (v.Err() == nil) != tc.ok {
			t.Errorf("checkPhone(%q) = %v, want ok %v", tc.phone, v.Err(), tc.ok)
		}
	}
	h := &Hospital{DisplayName: "ГКБ №7", Location: &LatLng{Latitude: 91, Longitude: 76.9}}
	got := violations(t, h.Validate("hospital"))
	if !strings.Contains(got["hospital.location.latitude"], "between -90 and 90") {
		t.Errorf("violations = %v", got)
	}
}
