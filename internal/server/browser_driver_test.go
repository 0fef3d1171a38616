package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/supply"
)

// driverRun is a dispatched run of three stops for the driver olga: the
// first ward has two requests, the juice comes in boxes to one ward and in
// litres to another, and the hospitals have addresses, places and phones.
type driverRun struct {
	*testServer
	run   string
	stops []string // in driving order
	wards []string // of each stop
	token string
}

func newDriverRun(t *testing.T) *driverRun {
	t.Helper()
	s := startServer(t)
	for _, h := range []struct {
		id, ward, address string
		lat, lng          float64
	}{
		{"gkb-7", "icu", "Kazybek bi St 99", 43.2567, 76.9430},
		{"gkb-4", "er", "Papanin St 220", 43.2336, 76.8844},
		{"covid-1", "icu", "Ryskulov Ave 57", 43.2273, 76.8030},
	} {
		s.mustREST(200, "POST", "/v1/hospitals?hospitalId="+h.id, object{"displayName": "Hospital " + h.id, "address": h.address,
			"location": object{"latitude": h.lat, "longitude": h.lng}})
		s.mustREST(200, "POST", "/v1/hospitals/"+h.id+"/wards?wardId="+h.ward, object{"displayName": "Ward " + h.ward,
			"building": "Block B, 2nd floor", "dropOffInstructions": "Ring at the side door", "contactPhone": "+77010000000"})
	}
	s.fleet("olga", 200)
	file := func(ward string, lines ...object) string {
		need := s.need(ward)
		need["lines"] = lines
		return s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
	}
	needs := []string{
		file("hospitals/gkb-7/wards/icu",
			object{"category": "FRUIT", "description": "apples", "quantity": 12.5, "unit": "KILOGRAM"},
			object{"category": "MEALS", "description": "plov", "quantity": 40, "unit": "PORTION"}),
		file("hospitals/gkb-7/wards/icu",
			object{"category": "FRUIT", "description": "apples", "quantity": 5, "unit": "KILOGRAM"},
			object{"category": "JUICE", "description": "juice", "quantity": 2, "unit": "BOX"}),
		file("hospitals/gkb-4/wards/er",
			object{"category": "FRUIT", "description": "apples", "quantity": 3, "unit": "KILOGRAM"},
			object{"category": "WATER", "description": "water", "quantity": 6, "unit": "LITER"}),
		file("hospitals/covid-1/wards/icu",
			object{"category": "JUICE", "description": "juice", "quantity": 4, "unit": "LITER"}),
	}
	s.plan("evening", "olga")
	s.mustREST(200, "POST", "/v1/runs/evening:assign", object{"deliveryRequests": needs})
	run := s.mustREST(200, "POST", "/v1/runs/evening:dispatch", object{})
	d := &driverRun{testServer: s, run: "runs/evening", token: s.issue(supply.RoleDriver, "", "olga")}
	for _, st := range run["stops"].([]any) {
		d.stops = append(d.stops, st.(object)["name"].(string))
		d.wards = append(d.wards, st.(object)["ward"].(string))
	}
	if len(d.stops) != 3 || d.wards[0] != "hospitals/gkb-7/wards/icu" {
		t.Fatalf("the run's stops are %v at %v, want three, the first at gkb-7's icu", d.stops, d.wards)
	}
	return d
}

// stopNo is the number a stop has on the driver's page, from 1.
func (d *driverRun) stopNo(ward string) int {
	for i, w := range d.wards {
		if w == ward {
			return i + 1
		}
	}
	return 0
}

// pickRow is a line of the pick list as the driver reads it.
type pickRow struct{ Item, Quantity, Weight string }

func TestBrowserDriverPickListTotalsByItemAndLoadsInReverse(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	phone := b.tab(390, 844)
	var rows []pickRow
	var total string
	var order []string
	var firstLine string
	b.run(phone, "sign in and read the pick list", signIn(d.token),
		chromedp.WaitVisible(`.pick-list tbody tr`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('.pick-list tbody tr')].map(tr => ({Item: tr.cells[0].textContent, Quantity: tr.cells[1].textContent, Weight: tr.cells[2].textContent}))`, &rows),
		text(`.pick-list [data-total]`, &total),
		chromedp.Evaluate(`[...document.querySelectorAll('.pick-list .load-order li')].map(li => li.dataset.stop)`, &order),
		text(`.pick-list .load-order li`, &firstLine))
	// Apples from three requests at two stops are one row; juice in boxes
	// and juice in litres are two, as they are loaded apart.
	want := []pickRow{
		{"apples", "20.5 kg", "20.5 kg"},
		{"plov", "40 portions", "20 kg"},
		{"juice", "2 boxes", "20 kg"},
		{"water", "6 l", "6 kg"},
		{"juice", "4 l", "4 kg"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("pick list (-want +got):\n%s", diff)
	}
	if total != "70.5 kg" {
		t.Errorf("the pick list totals %q, want 70.5 kg", total)
	}
	if diff := cmp.Diff([]string{d.stops[2], d.stops[1], d.stops[0]}, order); diff != "" {
		t.Errorf("load order, want the last stop first (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(firstLine, "Load first: stop 3") || !strings.Contains(firstLine, "4 l juice") {
		t.Errorf("the first to load reads %q", firstLine)
	}
	b.screenshot(phone, "driver-pick-list")

	// Once started, the pick list has done its job.
	b.run(phone, "start the run", press(`button[data-action=start]`),
		chromedp.WaitVisible(`form.deliver`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.pick-list`, chromedp.ByQuery))
}
