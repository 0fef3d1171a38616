package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// staffShift is a hospital's day as its ward staff see it: a request on a
// planned run, one on a run under way, one delivered, one cancelled and
// one still open.
type staffShift struct {
	*testServer
	scheduled, inTransit, delivered, cancelled, open string
	// etaScheduled and etaInTransit are the estimated arrivals of the stops
	// carrying those requests.
	etaScheduled, etaInTransit time.Time
}

func newStaffShift(t *testing.T) *staffShift {
	t.Helper()
	s := startServer(t, func(c *server.Config) { c.Now = wallNow })
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=surgery", object{"displayName": "Surgery"})
	s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=aigerim", object{"displayName": "Aigerim Sadykova", "vehicleKind": "CAR", "capacityKg": 500})
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=daniyar", object{"displayName": "Daniyar Bekov", "vehicleKind": "CAR", "capacityKg": 500})

	now := wallNow()
	need := func(ward, what string) string {
		return s.mustREST(200, "POST", "/v1/deliveryRequests", object{
			"ward":          "hospitals/gkb-7/wards/" + ward,
			"lines":         []any{object{"category": "FRUIT", "description": what, "quantity": 10, "unit": "KILOGRAM"}},
			"deliverBefore": now.Add(6 * time.Hour).Format(time.RFC3339),
		})["name"].(string)
	}
	run := func(id, volunteer string) {
		s.mustREST(200, "POST", "/v1/runs?runId="+id, object{
			"volunteer": "volunteers/" + volunteer, "depot": "depots/bazaar",
			"plannedStartTime": now.Add(30 * time.Minute).Format(time.RFC3339),
		})
	}
	w := &staffShift{testServer: s,
		scheduled: need("icu", "apples"), inTransit: need("icu", "pears"), delivered: need("surgery", "plums"),
		cancelled: need("surgery", "grapes"), open: need("icu", "oranges"),
	}
	// stopOf is the stop of a run carrying a request.
	stopOf := func(run object, request string) object {
		for _, stop := range run["stops"].([]any) {
			for _, r := range stop.(object)["deliveryRequests"].([]any) {
				if r == request {
					return stop.(object)
				}
			}
		}
		t.Fatalf("%s is on no stop of %v", request, run)
		return nil
	}
	// eta is when the stop carrying a request is expected.
	eta := func(run object, request string) time.Time {
		stop := stopOf(run, request)
		at, err := time.Parse(time.RFC3339, fmtAny(stop["estimatedArrivalTime"]))
		if err != nil {
			t.Fatalf("estimate of %s: %v (%v)", request, err, stop)
		}
		return at
	}
	run("run-a", "aigerim")
	w.etaScheduled = eta(s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{w.scheduled}}), w.scheduled)

	run("run-d", "daniyar")
	runD := s.mustREST(200, "POST", "/v1/runs/run-d:assign", object{"deliveryRequests": []string{w.delivered, w.inTransit}})
	s.mustREST(200, "POST", "/v1/runs/run-d:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/run-d:start", object{})
	s.mustREST(200, "POST", "/v1/"+stopOf(runD, w.delivered)["name"].(string)+":deliver", object{"receivedBy": "Nurse Aliya", "lines": []any{
		object{"deliveryRequest": w.delivered, "line": 0, "quantity": 10},
	}})
	w.etaInTransit = eta(s.mustREST(200, "GET", "/v1/runs/run-d", nil), w.inTransit)
	s.mustREST(200, "POST", "/v1/"+w.cancelled+":cancel", object{"reason": "Patients moved"})
	return w
}

// card is the text of a request's card on the staff page.
func card(name string, into *string) chromedp.Action {
	return text(fmt.Sprintf(`.request-card[data-name=%q]`, name), into)
}

// coming reads who is coming for a request and whether they have set
// off, as "who | set off".
func coming(name string, into *string) chromedp.Action {
	sel := fmt.Sprintf(`.request-card[data-name=%q] .coming`, name)
	return chromedp.Tasks{
		chromedp.WaitVisible(sel, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`(() => { const c = document.querySelector(%q);
			return c.querySelector('.who').textContent + ' | ' + c.querySelector('.set-off').textContent; })()`, sel), into),
	}
}

// cardsShown lists the requests on the staff page, in order.
func cardsShown(into *[]string) chromedp.Action {
	return chromedp.Evaluate(`[...document.querySelectorAll('#requests .request-card')].map((c) => c.dataset.name)`, into)
}

// cityToday is the city's calendar day by the tests' wall clock.
func cityToday() string { return wallNow().In(supply.City).Format(time.DateOnly) }

// shortMonths are the months as each language abbreviates them after a
// day's number.
var shortMonths = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"},
	"ru": {"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."},
	"kk": {"қаң.", "ақп.", "нау.", "сәу.", "мам.", "мау.", "шіл.", "там.", "қыр.", "қаз.", "қар.", "жел."},
}

// arrivesAt is how the page writes a time in lang when its day is today:
// the city's clock alone on that day, with the day and month on another.
func arrivesAt(lang string, at time.Time, today string) string {
	at = at.In(supply.City)
	if at.Format(time.DateOnly) == today {
		return at.Format("15:04")
	}
	return fmt.Sprintf("%d %s, %s", at.Day(), shortMonths[lang][at.Month()-1], at.Format("15:04"))
}

func TestBrowserStaffSeeWhichDriverIsComingAndWhen(t *testing.T) {
	t.Parallel()
	w := newStaffShift(t)
	b := newBrowser(t, w.base)
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as staff", signIn(w.issue(supply.RoleStaff, "gkb-7", "")),
			chromedp.WaitVisible(fmt.Sprintf(`.request-card[data-name=%q] .coming`, w.scheduled), chromedp.ByQuery))
		for _, c := range []struct{ lang, scheduled, inTransit string }{
			{"en", "Driver Aigerim Sadykova, arrives about %s | Not set off yet", "Driver Daniyar Bekov, arrives about %s | On the way now"},
			{"ru", "Водитель Aigerim Sadykova, прибытие около %s | Ещё не выехали", "Водитель Daniyar Bekov, прибытие около %s | Уже в пути"},
			{"kk", "Жүргізуші Aigerim Sadykova, шамамен %s жетеді | Әлі жолға шықпады", "Жүргізуші Daniyar Bekov, шамамен %s жетеді | Қазір жолда"},
		} {
			var scheduled, inTransit, open, delivered string
			// The page writes the date only for an arrival on another day
			// than its own; should midnight pass while it is read, either
			// day's way is right.
			before := cityToday()
			b.run(tab, "read the cards in "+c.lang, choose("#lang", c.lang),
				coming(w.scheduled, &scheduled), coming(w.inTransit, &inTransit),
				card(w.open, &open), card(w.delivered, &delivered))
			after := cityToday()
			reads := func(got, format string, at time.Time) bool {
				return got == fmt.Sprintf(format, arrivesAt(c.lang, at, before)) || got == fmt.Sprintf(format, arrivesAt(c.lang, at, after))
			}
			if !reads(scheduled, c.scheduled, w.etaScheduled) {
				t.Errorf("%s at %d px: the scheduled request says %q, want %q", c.lang, width, scheduled, fmt.Sprintf(c.scheduled, arrivesAt(c.lang, w.etaScheduled, after)))
			}
			if !reads(inTransit, c.inTransit, w.etaInTransit) {
				t.Errorf("%s at %d px: the request under way says %q, want %q", c.lang, width, inTransit, fmt.Sprintf(c.inTransit, arrivesAt(c.lang, w.etaInTransit, after)))
			}
			// Only a request still on its way names a driver.
			for _, other := range []string{open, delivered} {
				if strings.Contains(other, "Sadykova") || strings.Contains(other, "Bekov") {
					t.Errorf("%s: a request not on its way names a driver: %q", c.lang, other)
				}
			}
			b.screenshot(tab, fmt.Sprintf("staff16-coming-%s-%d", c.lang, width))
		}
		// With finished requests hidden, each language counts them in its own words.
		b.run(tab, "hide finished requests", press(`label.hide-finished`), chromedp.WaitVisible(`.hidden-count`, chromedp.ByQuery))
		for lang, want := range map[string]string{"en": "2 finished requests hidden", "ru": "Скрыты 2 завершённые заявки", "kk": "2 аяқталған өтінім жасырылды"} {
			var count string
			b.run(tab, "read the count in "+lang, choose("#lang", lang), text(`.hidden-count`, &count))
			if count != want {
				t.Errorf("%s at %d px: the page says %q, want %q", lang, width, count, want)
			}
			b.screenshot(tab, fmt.Sprintf("staff16-hidden-%s-%d", lang, width))
		}
	}
}

func TestBrowserStaffHideFinishedRequests(t *testing.T) {
	t.Parallel()
	w := newStaffShift(t)
	b := newBrowser(t, w.base)
	tab := b.tab(390, 900)
	var shown []string
	b.run(tab, "sign in as staff", signIn(w.issue(supply.RoleStaff, "gkb-7", "")),
		chromedp.WaitVisible(`#requests .request-card`, chromedp.ByQuery), cardsShown(&shown))
	if len(shown) != 5 {
		t.Fatalf("at first the page shows %v, want all five requests", shown)
	}

	// The switch is labelled and large enough for a thumb.
	var box struct{ Width, Height float64 }
	var label string
	b.run(tab, "measure the switch",
		chromedp.Evaluate(`(() => { const r = document.querySelector('label.hide-finished').getBoundingClientRect(); return { Width: r.width, Height: r.height }; })()`, &box),
		text(`label.hide-finished`, &label))
	if box.Width < 44 || box.Height < 44 {
		t.Errorf("the switch is %v×%v px, want at least 44×44", box.Width, box.Height)
	}
	if strings.TrimSpace(label) != "Hide cancelled and delivered" {
		t.Errorf("the switch is labelled %q", label)
	}

	visible := []string{w.scheduled, w.inTransit, w.open}
	hides := func(doing string, then ...chromedp.Action) {
		t.Helper()
		var count string
		b.run(tab, doing, append(then,
			chromedp.WaitNotPresent(fmt.Sprintf(`.request-card[data-name=%q]`, w.delivered), chromedp.ByQuery),
			cardsShown(&shown), text(`.hidden-count`, &count))...)
		for _, name := range []string{w.delivered, w.cancelled} {
			for _, s := range shown {
				if s == name {
					t.Errorf("%s: %s still shown", doing, name)
				}
			}
		}
		if len(shown) != len(visible) {
			t.Errorf("%s: shown %v, want %v", doing, shown, visible)
		}
		if count != "2 finished requests hidden" {
			t.Errorf("%s: the page says %q", doing, count)
		}
	}
	hides("tick the switch", press(`label.hide-finished`))
	b.screenshot(tab, "staff16-hidden-en-390")

	// The choice is remembered on this browser.
	hides("reload", chromedp.Reload(), chromedp.WaitVisible(`#requests .request-card`, chromedp.ByQuery))
	var checked bool
	b.run(tab, "read the switch", chromedp.Evaluate(`document.querySelector('#hide-finished').checked`, &checked))
	if !checked {
		t.Error("after a reload the switch is not ticked")
	}

	// In Russian, the count takes its plural form.
	var count string
	b.run(tab, "switch to Russian", choose("#lang", "ru"), text(`.hidden-count`, &count))
	if count != "Скрыты 2 завершённые заявки" {
		t.Errorf("in Russian the page says %q", count)
	}
	b.run(tab, "switch back to English", choose("#lang", "en"), chromedp.WaitVisible(`.hidden-count`, chromedp.ByQuery))

	// Unticked, the finished requests come back.
	b.run(tab, "untick the switch", press(`label.hide-finished`),
		chromedp.WaitVisible(fmt.Sprintf(`.request-card[data-name=%q]`, w.delivered), chromedp.ByQuery),
		cardsShown(&shown), chromedp.WaitNotPresent(`.hidden-count`, chromedp.ByQuery))
	if len(shown) != 5 {
		t.Errorf("unticked, the page shows %v, want all five", shown)
	}
}
