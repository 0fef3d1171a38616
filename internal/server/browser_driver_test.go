package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
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
		chromedp.WaitVisible(`li.stop.current`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.pick-list`, chromedp.ByQuery))
}

// texts reads the text of every element matching selector.
func texts(selector string, into *[]string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent)`, selector), into)
}

func TestBrowserDriverCurrentStopLargeDoneStopsFoldAndFinishSums(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	phone := b.tab(390, 844)
	stop := func(i int) string { return fmt.Sprintf(`li.stop[data-stop=%q]`, d.stops[i]) }

	// Started, the first stop is the one to make, large, with what to hand
	// over, where and whom to call; the others are a line each.
	var items, later []string
	var address, phoneLink, eta string
	var finish bool
	b.run(phone, "sign in and start", signIn(d.token), press(`button[data-action=start]`),
		chromedp.WaitVisible(stop(0)+`.current form.deliver`, chromedp.ByQuery),
		texts(stop(0)+` ul.to-hand-over li`, &items),
		text(stop(0)+` .address`, &address),
		attr(stop(0)+` a.tel`, "href", &phoneLink),
		text(stop(0)+` .arrival time`, &eta),
		chromedp.Evaluate(`[...document.querySelectorAll('li.stop.later')].map(li => li.dataset.stop)`, &later),
		chromedp.Evaluate(`!!document.querySelector('button[data-action=complete]')`, &finish))
	if diff := cmp.Diff([]string{"12.5 kg apples", "40 portions plov", "5 kg apples", "2 boxes juice"}, items); diff != "" {
		t.Errorf("the current stop's goods (-want +got):\n%s", diff)
	}
	if address != "Kazybek bi St 99" || phoneLink != "tel:+77010000000" || !strings.HasPrefix(eta, "arrives about ") {
		t.Errorf("the current stop shows address %q, phone %q, arrival %q", address, phoneLink, eta)
	}
	if diff := cmp.Diff(d.stops[1:], later); diff != "" {
		t.Errorf("later stops (-want +got):\n%s", diff)
	}
	if finish {
		t.Error("Finish the run is offered before any stop is made")
	}

	// Plov short at the first stop: the stop folds away, and the next is
	// the one to make. After a reload the fold still says what was handed
	// over, though the request short of plov has left the run.
	b.run(phone, "deliver the first stop short",
		chromedp.Evaluate(fmt.Sprintf(`(() => {
			const label = [...document.querySelectorAll(%q)].find(l => l.textContent.startsWith('plov'));
			const input = document.getElementById(label.htmlFor);
			input.value = '30';
		})()`, stop(0)+` form.deliver label`), nil),
		choose(stop(0)+` [data-field="received_by"]`, "Nurse Aliya"),
		press(stop(0)+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(stop(0)+`.done.DELIVERED details:not([open]) summary`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(1)+`.current form.deliver`, chromedp.ByQuery))
	var folded, open bool
	b.run(phone, "reload and open the folded stop", chromedp.Reload(),
		chromedp.WaitVisible(stop(1)+`.current form.deliver`, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).checkVisibility()`, stop(0)+` ul.handed-over`), &folded),
		press(stop(0)+` summary`),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).open`, stop(0)+` details`), &open),
		chromedp.WaitVisible(stop(0)+` ul.handed-over`, chromedp.ByQuery),
		texts(stop(0)+` ul.handed-over li`, &items),
		text(stop(0)+` dl`, &address))
	if folded || !open {
		t.Errorf("the stop made shows its goods before it is opened (%v), or does not open (%v)", folded, open)
	}
	if diff := cmp.Diff([]string{"12.5 kg apples", "30 portions plov", "5 kg apples", "2 boxes juice"}, items); diff != "" {
		t.Errorf("handed over at the first stop (-want +got):\n%s", diff)
	}
	if !strings.Contains(address, "Nurse Aliya") {
		t.Errorf("the first stop, folded, reads %q; want whom it was handed to", address)
	}

	// The second cannot be made: it folds with the reason.
	var why string
	b.run(phone, "fail the second stop",
		press(stop(1)+` [data-action=fail]`),
		choose(stop(1)+` [data-field="reason"]`, "gate locked, nobody answered"),
		press(stop(1)+` form.reason button[type=submit]`),
		chromedp.WaitVisible(stop(1)+`.done.FAILED summary`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(2)+`.current form.deliver`, chromedp.ByQuery),
		text(stop(1)+` dl`, &why),
		chromedp.Evaluate(`!!document.querySelector('button[data-action=complete]')`, &finish))
	if !strings.Contains(why, "gate locked, nobody answered") {
		t.Errorf("the failed stop reads %q", why)
	}
	if finish {
		t.Error("Finish the run is offered with a stop still to make")
	}
	b.screenshot(phone, "driver-under-way")

	// The last drop, then Finish: the summary counts the stops and adds
	// up what was handed over.
	var delivered, failed string
	b.run(phone, "deliver the last and finish",
		choose(stop(2)+` [data-field="received_by"]`, "Dr Serik"),
		press(stop(2)+` form.deliver button[type=submit]`),
		press(`button[data-action=complete]`),
		chromedp.WaitVisible(`.finished`, chromedp.ByQuery),
		text(`.finished [data-count=delivered]`, &delivered),
		text(`.finished [data-count=failed]`, &failed),
		texts(`.finished ul.handed-over-total li`, &items))
	if delivered != "2 stops delivered" || failed != "1 stop not delivered" {
		t.Errorf("the summary counts %q and %q", delivered, failed)
	}
	if diff := cmp.Diff([]string{"17.5 kg apples", "30 portions plov", "2 boxes juice", "4 l juice"}, items); diff != "" {
		t.Errorf("handed over in all (-want +got):\n%s", diff)
	}
	b.screenshot(phone, "driver-finished")
	r, err := d.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: d.run})
	if err != nil || r.GetState() != aqjurekv1.Run_COMPLETED {
		t.Errorf("after Finish the run is %v, %v; want COMPLETED", r.GetState(), err)
	}
}

// navLink is a navigation button as the driver's phone has it.
type navLink struct{ Kind, Href, Label string }

func TestBrowserDriverAddressOpensNavigation(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	phone := b.tab(390, 844)
	current := fmt.Sprintf(`li.stop.current[data-stop=%q]`, d.stops[0])
	var links []navLink
	var sizes [][2]float64
	b.run(phone, "sign in and start", signIn(d.token), press(`button[data-action=start]`),
		chromedp.WaitVisible(current+` .nav-links a`, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(a => ({Kind: a.dataset.nav, Href: a.getAttribute('href'), Label: a.getAttribute('aria-label')}))`, current+` .nav-links a`), &links),
		chromedp.Evaluate(`[...document.querySelectorAll('.nav-links a')].map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })`, &sizes))
	want := []navLink{
		{"geo", "geo:43.2567,76.943?q=43.2567,76.943(Hospital%20gkb-7)", "Navigate to Hospital gkb-7 in the phone's maps app"},
		{"2gis", "https://2gis.kz/almaty/geo/76.943,43.2567", "Open Hospital gkb-7 in 2GIS"},
		{"yandex", "https://yandex.kz/maps/?pt=76.943,43.2567&z=17&l=map", "Open Hospital gkb-7 in Yandex Maps"},
	}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("navigation links (-want +got):\n%s", diff)
	}
	for i, wh := range sizes {
		if wh[0] < 44 || wh[1] < 44 {
			t.Errorf("navigation button %d is %.0f×%.0f px, want at least 44×44", i, wh[0], wh[1])
		}
	}
	b.screenshot(phone, "driver-navigation")

	// A hospital with no place on the map has its address and no buttons.
	d.mustREST(200, "PATCH", "/v1/hospitals/gkb-7?updateMask=location", object{})
	var address string
	var buttons int
	b.run(phone, "reload without a location", chromedp.Reload(),
		chromedp.WaitVisible(current+` .address`, chromedp.ByQuery), text(current+` .address`, &address),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll(%q).length`, current+` .nav-links a`), &buttons))
	if address != "Kazybek bi St 99" || buttons != 0 {
		t.Errorf("without a location the stop shows address %q and %d navigation buttons", address, buttons)
	}
}
