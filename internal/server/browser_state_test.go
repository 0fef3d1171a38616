package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// sibling opens another tab in the browser of tab, sharing its storage as
// two tabs of one person's browser do.
func (b *browser) sibling(tab context.Context, width, height int64) context.Context {
	ctx, cancel := chromedp.NewContext(tab)
	b.t.Cleanup(cancel)
	// The first run opens the tab, which lives as long as ctx.
	if err := chromedp.Run(ctx); err != nil {
		b.t.Fatalf("open a tab: %v", err)
	}
	b.run(ctx, "open another tab", chromedp.EmulateViewport(width, height), chromedp.Navigate(b.base+"/"))
	return ctx
}

// shot brings a tab to the front, where it is painted, and takes its
// screenshot.
func (b *browser) shot(tab context.Context, name string) {
	b.run(tab, "bring the tab to the front", page.BringToFront())
	b.screenshot(tab, name)
}

// pages lists the browser's tabs.
func pages(ctx context.Context) map[target.ID]bool {
	all, err := chromedp.Targets(ctx)
	if err != nil {
		panic(err)
	}
	ids := map[target.ID]bool{}
	for _, x := range all {
		if x.Type == "page" {
			ids[x.TargetID] = true
		}
	}
	return ids
}

// whoIs waits for the header to name a role and the page for that role.
func whoIs(role, shows string, into *string) chromedp.Action {
	// A tab behind others is not painted, and polling by animation frame
	// would never end there: the tab comes to the front, and polls by time.
	return chromedp.Tasks{
		page.BringToFront(),
		chromedp.WaitVisible(shows, chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelector('#who').textContent.includes(%q)`, role), nil,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)),
		text("#who", into),
	}
}

func TestBrowserStateEachTabKeepsItsOwnSignIn(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, time.Now })
	b := newBrowser(t, s.base)
	const board, driverPage = `#needs .need`, `#driver-runs article`
	run := `article[data-name="runs/afternoon-bazaar"]`

	// The coordinator signs in in one tab; a second tab of the same
	// browser starts as the tab last used.
	coordinator := b.tab(1280, 900)
	var who string
	b.run(coordinator, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")), whoIs("coordinator", board, &who))
	second := b.sibling(coordinator, 390, 900)
	b.run(second, "open a second tab", whoIs("coordinator", board, &who))

	// In the second tab the same person signs out and back in as a driver.
	b.run(second, "sign in as a driver in the second tab", press("#signout"),
		signIn(s.issue(supply.RoleDriver, "", "timur")), whoIs("driver", driverPage, &who))
	b.shot(second, "state16-tabs-driver-390")

	// Reloaded, each tab is still who it was.
	b.run(coordinator, "reload the coordinator's tab", chromedp.Reload(), whoIs("coordinator", board, &who),
		chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))
	b.run(second, "reload the driver's tab", chromedp.Reload(), whoIs("driver", driverPage, &who),
		chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery))

	// Both keep working: the driver sets off, and the coordinator's board
	// sees it live.
	b.run(second, "start the run", press(run+` button[data-action=start]`), chromedp.WaitVisible(run+` form.deliver`, chromedp.ByQuery))
	b.run(coordinator, "see the run start", chromedp.WaitVisible(`article.run.IN_PROGRESS[data-name="runs/afternoon-bazaar"]`, chromedp.ByQuery))
	b.shot(coordinator, "state16-tabs-coordinator-1280")

	// A link opened in a new tab (ctrl+click) from the coordinator's tab
	// is the coordinator's, though the driver signed in last; one opened
	// from the driver's tab is the driver's.
	opened := func(from context.Context, role, shows string) {
		t.Helper()
		var brand []float64
		b.run(from, "find the link", page.BringToFront(), chromedp.Evaluate(`(() => { window.scrollTo(0, 0); const r = document.querySelector('.brand').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, &brand))
		before := pages(from)
		b.run(from, "middle-click the link", chromedp.MouseClickXY(brand[0], brand[1], chromedp.ButtonType(input.Middle)))
		// A tab opened from a link without an opener (as a middle click
		// opens one) names none: it is found as the page that is new.
		var id target.ID
		for deadline := time.Now().Add(10 * time.Second); id == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			for p := range pages(from) {
				if !before[p] {
					id = p
				}
			}
		}
		if id == "" {
			t.Fatalf("a middle click on the link in the %s's tab opened no tab (at %v)", role, brand)
		}
		tab, cancel := chromedp.NewContext(from, chromedp.WithTargetID(id))
		defer cancel()
		if err := chromedp.Run(tab); err != nil {
			t.Fatalf("attach to the new tab: %v", err)
		}
		b.run(tab, "read who the new tab is", page.BringToFront(), chromedp.EmulateViewport(390, 900), whoIs(role, shows, &who))
		b.shot(tab, "state16-tabs-new-"+role)
	}
	opened(coordinator, "coordinator", board)
	opened(second, "driver", driverPage)

	// Signing out in one tab leaves the other signed in, reloads included.
	b.run(second, "sign out in the driver's tab", press("#signout"), chromedp.WaitVisible("#token", chromedp.ByQuery),
		chromedp.Reload(), chromedp.WaitVisible("#token", chromedp.ByQuery))
	b.run(coordinator, "reload the coordinator's tab", chromedp.Reload(), whoIs("coordinator", board, &who))
	if !strings.Contains(who, "coordinator") {
		t.Errorf("after the other tab signed out, the coordinator's tab says %q", who)
	}
}

func TestBrowserStateOnTheWayOnlyOnceTheDriverSetsOff(t *testing.T) {
	t.Parallel()
	w := newStaffShift(t)
	// A third request on a run dispatched to its driver, who has not set off.
	w.mustREST(200, "POST", "/v1/volunteers?volunteerId=marat", object{"displayName": "Marat Aliyev", "vehicleKind": "CAR", "capacityKg": 500})
	dispatched := w.mustREST(200, "POST", "/v1/deliveryRequests", object{
		"ward":          "hospitals/gkb-7/wards/icu",
		"lines":         []any{object{"category": "FRUIT", "description": "kiwis", "quantity": 4, "unit": "KILOGRAM"}},
		"deliverBefore": time.Now().Add(6 * time.Hour).Format(time.RFC3339),
	})["name"].(string)
	w.mustREST(200, "POST", "/v1/runs?runId=run-m", object{"volunteer": "volunteers/marat", "depot": "depots/bazaar",
		"plannedStartTime": time.Now().Add(20 * time.Minute).Format(time.RFC3339)})
	w.mustREST(200, "POST", "/v1/runs/run-m:assign", object{"deliveryRequests": []string{dispatched}})
	w.mustREST(200, "POST", "/v1/runs/run-m:dispatch", object{})

	b := newBrowser(t, w.base)
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as staff", signIn(w.issue(supply.RoleStaff, "gkb-7", "")),
			chromedp.WaitVisible(fmt.Sprintf(`.request-card[data-name=%q] .coming`, dispatched), chromedp.ByQuery))
		for _, c := range []struct{ lang, onTheWay, planned string }{
			{"en", "on the way", "on a planned run"},
			{"ru", "в пути", "в плане рейса"},
			{"kk", "жолда", "рейс жоспарында"},
		} {
			var planned, onDispatched, underWay string
			b.run(tab, "read the cards in "+c.lang, choose("#lang", c.lang),
				text(fmt.Sprintf(`.request-card[data-name=%q] .lines`, w.scheduled), &planned),
				text(fmt.Sprintf(`.request-card[data-name=%q] .lines`, dispatched), &onDispatched),
				text(fmt.Sprintf(`.request-card[data-name=%q] .lines`, w.inTransit), &underWay))
			// Goods on a planned or dispatched run are still at the depot.
			for what, line := range map[string]string{"planned": planned, "dispatched": onDispatched} {
				if strings.Contains(line, c.onTheWay) || !strings.Contains(line, c.planned) {
					t.Errorf("%s at %d px: goods on a %s run read %q, want %q and not %q", c.lang, width, what, line, c.planned, c.onTheWay)
				}
			}
			if !strings.Contains(underWay, "10 "+c.onTheWay) && !strings.Contains(underWay, c.onTheWay+" 10") {
				t.Errorf("%s at %d px: goods on a run under way read %q, want them %q", c.lang, width, underWay, c.onTheWay)
			}
			b.screenshot(tab, fmt.Sprintf("state16-on-the-way-%s-%d", c.lang, width))
		}
	}
}

func TestBrowserStateCancelledRunDrawsNoRoute(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Now = time.Now })
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=aigerim", object{"displayName": "Aigerim Sadykova", "vehicleKind": "CAR", "capacityKg": 500})
	body := s.need("hospitals/gkb-7/wards/icu")
	body["deliverBefore"] = time.Now().Add(6 * time.Hour).Format(time.RFC3339)
	need := s.mustREST(200, "POST", "/v1/deliveryRequests", body)["name"].(string)
	// Leaving now, so the run is the day's on the board, even just before
	// midnight, when the board's day ends (and a cancelled run of another
	// day is not shown).
	s.mustREST(200, "POST", "/v1/runs?runId=run-a", object{"volunteer": "volunteers/aigerim", "depot": "depots/bazaar",
		"plannedStartTime": time.Now().Format(time.RFC3339)})
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{need}})

	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	card := `article.run[data-name="runs/run-a"]`
	var routes, buttons int
	b.run(tab, "show the route of the planned run", signIn(s.issue(supply.RoleCoordinator, "", "")),
		press(card+` [data-action=route]`), chromedp.WaitVisible(`.map polyline.route`, chromedp.ByQuery))

	// Cancelled while its route is shown, the run leaves the map, and
	// offers to show its route no more.
	s.mustREST(200, "POST", "/v1/runs/run-a:cancel", object{"reason": "van broke down"})
	b.run(tab, "see it cancelled",
		chromedp.WaitVisible(card+`.CANCELLED`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.map polyline.route').length`, &routes),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll('%s [data-action=route]').length`, card), &buttons))
	if routes != 0 {
		t.Errorf("the map draws %d routes for a cancelled run", routes)
	}
	if buttons != 0 {
		t.Errorf("a cancelled run offers to show its route")
	}
	var selected int
	b.run(tab, "look for a selected run", chromedp.Evaluate(`document.querySelectorAll('article.run.selected').length`, &selected))
	if selected != 0 {
		t.Errorf("the cancelled run is still marked as shown on the map")
	}
	b.screenshot(tab, "state16-cancelled-no-route-1280")
}

// forms reads t(key, {n}) in each language straight from the page's own
// dictionaries, as "lang key n" → text.
func forms(cases [][3]any, into *map[string]string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(async () => {
		const i18n = await import('/i18n.js');
		const was = i18n.lang();
		const out = {};
		for (const [lang, key, n] of %s) { i18n.setLang(lang); out[lang + ' ' + key + ' ' + n] = i18n.t(key, { n, done: 0, total: n }); }
		i18n.setLang(was);
		return out;
	})()`, mustJSON(cases)), into, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestBrowserStatePluralForms(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Now = time.Now })
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=aigerim", object{"displayName": "Aigerim Sadykova", "vehicleKind": "CAR", "capacityKg": 500})
	need := func(headcount int, lines ...any) string {
		return s.mustREST(200, "POST", "/v1/deliveryRequests", object{"ward": "hospitals/gkb-7/wards/icu", "lines": lines, "headcount": headcount,
			"deliverBefore": time.Now().Add(6 * time.Hour).Format(time.RFC3339)})["name"].(string)
	}
	line := func(category, what string, quantity float64, unit string) object {
		return object{"category": category, "description": what, "quantity": quantity, "unit": unit}
	}
	open := need(1, line("FRUIT", "apples", 1, "BOX"))
	meals := need(21, line("MEALS", "plov", 2, "PORTION"), line("MEALS", "soup", 1, "PORTION"))
	water := need(5, line("WATER", "water", 5, "BOX"))
	s.mustREST(200, "POST", "/v1/runs?runId=run-a", object{"volunteer": "volunteers/aigerim", "depot": "depots/bazaar",
		"plannedStartTime": time.Now().Add(30 * time.Minute).Format(time.RFC3339)})
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{meals, water}})
	s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})

	b := newBrowser(t, s.base)

	// The forms themselves, for the numbers that pick each: Russian has
	// one (1, 21), few (2–4, 22) and many (0, 5–20); Kazakh keeps the noun
	// singular after any number.
	cases := map[string]string{
		"en tileOpen 1": "open need", "en tileOpen 2": "open needs", "en tileOpen 5": "open needs",
		"en u_BOX 1": "box", "en u_BOX 2": "boxes", "en u_BOX 1.5": "boxes", "en u_PORTION 1": "portion", "en u_PORTION 0": "portions",
		"en people 1": "1 person", "en people 2": "2 people", "en requests 1": "(1 request)", "en requests 3": "(3 requests)",
		"en stopsDone 1": "0 of 1 stop done", "en stopsDone 4": "0 of 4 stops done", "en sumRuns 1": "run", "en sumRuns 3": "runs",
		"en finishedHidden 1": "1 finished request hidden", "en finishedHidden 1500": "1,500 finished requests hidden",
		"ru tileOpen 1": "открытая заявка", "ru tileOpen 2": "открытые заявки", "ru tileOpen 5": "открытых заявок",
		"ru tileOpen 21": "открытая заявка", "ru tileOpen 22": "открытые заявки", "ru tileOpen 11": "открытых заявок", "ru tileOpen 0": "открытых заявок",
		"ru tileOnRoad 1": "рейс в пути", "ru tileOnRoad 3": "рейса в пути", "ru tileOnRoad 12": "рейсов в пути",
		"ru sumAtRisk 1": "остановка под угрозой", "ru sumAtRisk 2": "остановки под угрозой", "ru sumAtRisk 7": "остановок под угрозой",
		"ru finishedHidden 1": "Скрыта 1 завершённая заявка", "ru finishedHidden 3": "Скрыты 3 завершённые заявки", "ru finishedHidden 25": "Скрыто 25 завершённых заявок",
		"ru stopsDelivered 1": "Доставлено на 1 остановку", "ru stopsDelivered 4": "Доставлено на 4 остановки", "ru stopsDelivered 5": "Доставлено на 5 остановок",
		"kk tileOpen 1": "ашық өтінім", "kk tileOpen 5": "ашық өтінім", "kk u_BOX 1": "қорап", "kk u_BOX 2": "қорап",
		"kk requests 1": "(1 өтінім)", "kk requests 5": "(5 өтінім)", "kk finishedHidden 1": "1 аяқталған өтінім жасырылды",
		"kk finishedHidden 2": "2 аяқталған өтінім жасырылды", "kk sumRuns 1": "рейс", "kk sumRuns 4": "рейс",
	}
	var ask [][3]any
	for k := range cases {
		var lang, key string
		var n float64
		if _, err := fmt.Sscan(k, &lang, &key, &n); err != nil {
			t.Fatal(err)
		}
		ask = append(ask, [3]any{lang, key, n})
	}
	tab := b.tab(390, 900)
	var got map[string]string
	b.run(tab, "read the forms", chromedp.WaitVisible("#token", chromedp.ByQuery), forms(ask, &got))
	for k, want := range cases {
		if got[k] != want {
			t.Errorf("%s reads %q, want %q", k, got[k], want)
		}
	}

	// On the pages, every count reads in its form, in each language.
	type page struct {
		role, hospital, volunteer, ready string
		// selector → what it says, by language
		want map[string]map[string]string
	}
	cardOf := func(name string) string { return fmt.Sprintf(`.request-card[data-name=%q]`, name) }
	needOf := func(name string) string { return fmt.Sprintf(`li.need[data-name=%q]`, name) }
	pagesToRead := []page{
		{supply.RoleStaff, "gkb-7", "", `#requests .request-card`, map[string]map[string]string{
			cardOf(open):       {"en": "1 box apples", "ru": "1 кор. apples", "kk": "1 қорап apples"},
			cardOf(open) + " ": {"en": "1 person", "ru": "1 чел.", "kk": "1 адам"},
			cardOf(water):      {"en": "5 boxes water", "ru": "5 кор. water", "kk": "5 қорап water"},
			cardOf(meals):      {"en": "1 portion soup", "ru": "1 порц. soup", "kk": "1 порц. soup"},
		}},
		{supply.RoleCoordinator, "", "", `#needs .need`, map[string]map[string]string{
			`[data-tile=open]`:                     {"en": "1open need", "ru": "1открытая заявка", "kk": "1ашық өтінім"},
			`[data-tile=scheduled]`:                {"en": "2on a planned run", "ru": "2в плане рейса", "kk": "2рейс жоспарында"},
			needOf(open):                           {"en": "1 box apples", "ru": "1 кор. apples", "kk": "1 қорап apples"},
			needOf(open) + " ":                     {"en": "1 person", "ru": "1 чел.", "kk": "1 адам"},
			`article.run[data-name="runs/run-a"]`:  {"en": "0 of 1 stop done", "ru": "Пройдено остановок: 0 из 1", "kk": "1 аялдаманың 0 өтті"},
			`article.run[data-name="runs/run-a"] `: {"en": "(2 requests)", "ru": "(заявок: 2)", "kk": "(2 өтінім)"},
		}},
		{supply.RoleDriver, "", "aigerim", `.pick-list`, map[string]map[string]string{
			`.pick-list [data-item=soup]`:  {"en": "1 portion", "ru": "1 порц.", "kk": "1 порц."},
			`.pick-list [data-item=plov]`:  {"en": "2 portions", "ru": "2 порц.", "kk": "2 порц."},
			`.pick-list [data-item=water]`: {"en": "5 boxes", "ru": "5 кор.", "kk": "5 қорап"},
			`#driver-runs article`:         {"en": "0 of 1 stop done", "ru": "Пройдено остановок: 0 из 1", "kk": "1 аялдаманың 0 өтті"},
		}},
	}
	for _, p := range pagesToRead {
		for _, width := range []int64{390, 1280} {
			tab := b.tab(width, 900)
			b.run(tab, "sign in as "+p.role, signIn(s.issue(p.role, p.hospital, p.volunteer)), chromedp.WaitVisible(p.ready, chromedp.ByQuery))
			for _, lang := range []string{"en", "ru", "kk"} {
				b.run(tab, "switch to "+lang, choose("#lang", lang))
				for sel, by := range p.want {
					var said string
					b.run(tab, "read "+sel, text(strings.TrimSpace(sel), &said))
					if !strings.Contains(said, by[lang]) {
						t.Errorf("%s page, %s, %d px: %s says %q, want %q in it", p.role, lang, width, sel, said, by[lang])
					}
				}
				b.screenshot(tab, fmt.Sprintf("state16-plural-%s-%s-%d", p.role, lang, width))
			}
		}
	}
}
