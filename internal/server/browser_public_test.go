package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/aqjurek/tracker/internal/supply"
)

// private is what the seeded ledger knows and the public page must never
// show: donors' contacts, notes, the unnamed donor, wards and their
// phones, hospital phones, drivers and who received a drop.
var private = []string{
	"+7 701 111 2233", "aigerim@example.kz", "thank them on Friday", "wants no publicity", "Aigerim Secretova",
	"Intensive care unit", "+7 727 200 0099", "Ring twice at door B", "+7 727 200 0007", "Call Dr. Serik on arrival",
	"Driver Marat", "+7 705 333 4455", "Nurse Aliya", "left at the nurses' station", "wards/",
}

// seedGifts records, through the REST API, two money donations (a fund
// that agreed to be named and a person who did not), crates of apples
// from a named stall, a purchase, and a run that delivered 12 kg of
// apples to a ward where 30 people work.
func seedGifts(t *testing.T) *ledger {
	t.Helper()
	s := newLedger(t)
	s.mustREST(200, "POST", "/v1/hospitals?hospitalId=gkb-7", object{"displayName": "City Hospital No. 7", "phone": "+7 727 200 0007",
		"location": object{"latitude": 43.25, "longitude": 76.9}})
	s.mustREST(200, "POST", "/v1/hospitals/gkb-7/wards?wardId=icu", object{"displayName": "Intensive care unit",
		"contactPhone": "+7 727 200 0099", "dropOffInstructions": "Ring twice at door B"})
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=marat", object{"displayName": "Driver Marat", "phone": "+7 705 333 4455",
		"vehicleKind": "CAR", "capacityKg": 500})
	s.mustREST(200, "POST", "/v1/donations?donationId=fund", object{
		"donor": object{"displayName": "Diaspora fund", "contact": "+7 701 111 2233", "publicNaming": true}, "notes": "thank them on Friday",
		"money": object{"amount": object{"currencyCode": "USD", "units": "300"}, "channel": "BANK_TRANSFER"}})
	s.clock.Advance(time.Minute)
	s.mustREST(200, "POST", "/v1/donations?donationId=secret", object{
		"donor": object{"displayName": "Aigerim Secretova", "contact": "aigerim@example.kz"}, "notes": "wants no publicity",
		"money": object{"amount": object{"currencyCode": "KZT", "units": "50000"}, "channel": "KASPI_GOLD", "paymentReference": "KP-9"}})
	s.clock.Advance(time.Minute)
	s.mustREST(200, "POST", "/v1/donations?donationId=crates", object{"donor": object{"displayName": "Green Bazaar stall 12", "publicNaming": true},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples", "quantity": 40, "unit": "KILOGRAM"}}}})
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=market", purchase("KZT", 8000))

	need := s.need("hospitals/gkb-7/wards/icu")
	need["notes"] = "Call Dr. Serik on arrival"
	need["lines"] = []any{object{"category": "FRUIT", "description": "apples", "quantity": 12, "unit": "KILOGRAM"}}
	name := s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
	s.stockRun("run-a", "marat")
	s.mustREST(200, "POST", "/v1/runs/run-a:assign", object{"deliveryRequests": []string{name}})
	run := s.mustREST(200, "POST", "/v1/runs/run-a:dispatch", object{})
	s.mustREST(200, "POST", "/v1/runs/run-a:start", object{})
	s.clock.Advance(20 * time.Minute)
	stop := run["stops"].([]any)[0].(object)["name"].(string)
	s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse Aliya", "note": "left at the nurses' station",
		"lines": []any{object{"deliveryRequest": name, "line": 0, "quantity": 12}}})
	return s
}

// publicShown is what the transparency page shows a reader.
type publicShown struct {
	Title, Drops, Fed, Hospitals string
	Delivered, Named             []string
	Unnamed                      string
	Given, Spent                 map[string]string
	Weeks                        int
	Computed, All                string
}

const readPublic = `(() => {
	const q = (s) => document.querySelector(s);
	const all = (s) => [...document.querySelectorAll(s)];
	const money = (cls) => Object.fromEntries(all('#money li').map((li) => [li.dataset.currency, li.querySelector(cls).textContent]));
	const got = {
		Title: q('main h1').textContent,
		Drops: q('[data-tile=drops]').textContent, Fed: q('[data-tile=fed]').textContent, Hospitals: q('[data-tile=hospitals]').textContent,
		Delivered: all('#delivered li').map((li) => li.textContent),
		Named: all('#donors .named-donors li').map((li) => li.textContent),
		Unnamed: (q('#donors .unnamed') || {}).textContent || '',
		Given: money('.given'), Spent: money('.spent'),
		Weeks: all('#weeks table tbody tr').length,
		Computed: q('#computed').textContent,
		All: document.body.innerText,
	};
	// Numbers are grouped with no-break spaces; read as plain spaces.
	const plain = (x) => x.replace(/[\u00a0\u202f]/g, ' ');
	for (const k of ['Given', 'Spent']) for (const c of Object.keys(got[k])) got[k][c] = plain(got[k][c]);
	for (const k of ['Drops', 'Fed', 'Hospitals', 'Computed', 'All']) got[k] = plain(got[k]);
	got.Delivered = got.Delivered.map(plain);
	return got;
})()`

// watchPublicCall records the page's call to GET /v1/public: its headers
// and the id to read its answer by.
type publicCall struct {
	mu      sync.Mutex
	id      network.RequestID
	headers network.Headers
}

func watchPublicCall(ctx context.Context) *publicCall {
	c := &publicCall{}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(e.Request.URL, "/v1/public") {
			c.mu.Lock()
			c.id, c.headers = e.RequestID, e.Request.Headers
			c.mu.Unlock()
		}
	})
	return c
}

// body is the answer the page loaded.
func (c *publicCall) body(b *browser, ctx context.Context) (string, network.Headers) {
	c.mu.Lock()
	id, headers := c.id, c.headers
	c.mu.Unlock()
	if id == "" {
		b.t.Fatal("the page never called GET /v1/public")
	}
	var data []byte
	b.run(ctx, "read the answer the page loaded", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		data, err = network.GetResponseBody(id).Do(ctx)
		return err
	}))
	return string(data), headers
}

func TestBrowserPublicPageShowsWhatGiftsBecameAndNoPersonalData(t *testing.T) {
	t.Parallel()
	s := seedGifts(t)
	b := newBrowser(t, s.base)

	want := map[string]publicShown{
		"en": {Title: "What your gifts became", Drops: "1drop delivered", Fed: "30medical workers fed", Hospitals: "1hospital servedCity Hospital No. 7",
			Delivered: []string{"12 kg of fruit"}, Named: []string{"Diaspora fund", "Green Bazaar stall 12"},
			Unnamed: "and one more who gave without being named."},
		"ru": {Title: "Во что превратились ваши пожертвования", Drops: "1доставка", Fed: "30медиков получили еду",
			Hospitals: "1больница получила помощьCity Hospital No. 7",
			Delivered: []string{"12 кг фруктов"}, Named: []string{"Diaspora fund", "Green Bazaar stall 12"},
			Unnamed: "и ещё 1 человек, пожелавший остаться неназванным."},
		"kk": {Title: "Сыйлықтарыңыз неге айналды", Drops: "1жеткізілім", Fed: "30медицина қызметкері тамақтандырылды",
			Hospitals: "1ауруханаға көмек жеттіCity Hospital No. 7",
			Delivered: []string{"12 кг жеміс-жидек"}, Named: []string{"Diaspora fund", "Green Bazaar stall 12"},
			Unnamed: "және атын атамай көмектескен тағы 1 адам."},
	}
	// Money as the language writes it, each currency as it came, never
	// converted: given, then spent.
	wantMoney := map[string]map[string][2]string{
		"en": {"USD": {"300.00 USD", "0.00 USD"}, "KZT": {"50,000.00 KZT", "8,000.00 KZT"}},
		"ru": {"USD": {"300,00 USD", "0,00 USD"}, "KZT": {"50 000,00 KZT", "8 000,00 KZT"}},
		"kk": {"USD": {"300,00 USD", "0,00 USD"}, "KZT": {"50 000,00 KZT", "8 000,00 KZT"}},
	}

	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		if width == 1280 {
			// A browser signed in to the application sends its token to
			// the API; the public page must not.
			b.run(tab, "sign in as a coordinator first", signIn(s.issue(supply.RoleCoordinator, "", "")),
				chromedp.WaitVisible(`#needs`, chromedp.ByQuery))
		} else {
			// The sign-in screen leads to the public page.
			b.run(tab, "follow the sign-in screen's link", chromedp.WaitVisible(`#token`, chromedp.ByQuery),
				press(`.public-link a`), chromedp.WaitVisible(`#totals`, chromedp.ByQuery))
		}
		call := watchPublicCall(tab)
		b.run(tab, "open the public page", network.Enable(), chromedp.Navigate(s.base+"/public"),
			chromedp.WaitVisible(`#totals [data-tile=drops]`, chromedp.ByQuery))
		loaded, headers := call.body(b, tab)
		for name := range headers {
			if strings.EqualFold(name, "Authorization") {
				t.Errorf("%d px: the public page sent a token: %v", width, headers)
			}
		}
		for _, lang := range []string{"en", "ru", "kk"} {
			var got publicShown
			b.run(tab, "read the page in "+lang, choose("#lang", lang), chromedp.Sleep(100*time.Millisecond),
				chromedp.Evaluate(readPublic, &got))
			w := want[lang]
			if diff := cmp.Diff(w, got, cmp.FilterPath(func(p cmp.Path) bool {
				n := p.Last().String()
				return n == ".Given" || n == ".Spent" || n == ".Weeks" || n == ".Computed" || n == ".All"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("%d px, %s: the page shows (-want +got):\n%s", width, lang, diff)
			}
			gotMoney := map[string][2]string{}
			for c, given := range got.Given {
				gotMoney[c] = [2]string{given, got.Spent[c]}
			}
			if diff := cmp.Diff(wantMoney[lang], gotMoney); diff != "" {
				t.Errorf("%d px, %s: money given and spent (-want +got):\n%s", width, lang, diff)
			}
			if got.Weeks != 8 {
				t.Errorf("%d px, %s: the week table has %d rows, want 8", width, lang, got.Weeks)
			}
			if !strings.Contains(got.Computed, "Almaty") && !strings.Contains(got.Computed, "Алматы") {
				t.Errorf("%d px, %s: when the figures were computed reads %q", width, lang, got.Computed)
			}
			for _, secret := range private {
				if strings.Contains(got.All, secret) {
					t.Errorf("%d px, %s: the page shows %q", width, lang, secret)
				}
			}
			b.screenshot(tab, fmt.Sprintf("public-%s-%d", lang, width))
		}
		for _, secret := range private {
			if strings.Contains(loaded, secret) {
				t.Errorf("%d px: the JSON the page loaded holds %q", width, secret)
			}
		}
		if !strings.Contains(loaded, "Diaspora fund") {
			t.Errorf("%d px: the JSON the page loaded does not name the donor who agreed: %s", width, loaded)
		}
		// And back to the application, in the language chosen here.
		var lang string
		b.run(tab, "go back to the application", press(`.top a.to-app`),
			chromedp.WaitVisible(`#token, #needs`, chromedp.ByQuery), attr("html", "lang", &lang))
		if lang != "kk" {
			t.Errorf("%d px: back in the application the language is %q, want kk as chosen on the public page", width, lang)
		}
	}
}

func TestBrowserBoardReportForAPeriodAndItsCSV(t *testing.T) {
	t.Parallel()
	s := seedGifts(t)
	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	folder := t.TempDir()
	b.run(tab, "let the board save files", cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(folder))
	b.run(tab, "sign in as a coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#report .report-body`, chromedp.ByQuery))

	// By default the last 14 days, ending on the server's today.
	var start, end string
	b.run(tab, "read the default period", attr(`#report .report-body`, "data-start", &start), attr(`#report .report-body`, "data-end", &end))
	if start != "2026-03-21" || end != "2026-04-03" {
		t.Errorf("the report's default period is %s to %s, want 2026-03-21 to 2026-04-03", start, end)
	}

	// A period before the delivery shows nothing delivered.
	var empty string
	b.run(tab, "pick a period in March", choose(`#report-start`, "2026-03-01"), choose(`#report-end`, "2026-03-10"),
		press(`[data-action=show-report]`),
		chromedp.WaitVisible(`#report .report-body[data-start="2026-03-01"]`, chromedp.ByQuery),
		text(`#report [data-section=deliveries] .empty`, &empty))
	if empty != "Nothing in this period." {
		t.Errorf("deliveries in early March read %q", empty)
	}

	// A start after the end is refused at the start's field, in the
	// board's language.
	var refusal string
	b.run(tab, "ask for a period that ends before it starts", choose(`#report-start`, "2026-04-05"), choose(`#report-end`, "2026-04-01"),
		press(`[data-action=show-report]`),
		chromedp.WaitVisible(`#report-start[aria-invalid=true]`, chromedp.ByQuery), text(`#report [data-error-for=start_date]`, &refusal))
	if refusal != "start_date 2026-04-05 is after end_date 2026-04-01" {
		t.Errorf("a period ending before it starts is refused with %q", refusal)
	}

	// The period of the delivery: its hospital, goods, money and stock.
	type shown struct{ Deliveries, Served, Money, Stock []string }
	var got shown
	b.run(tab, "pick the days of the delivery", choose(`#report-start`, "2026-04-01"), choose(`#report-end`, "2026-04-03"),
		press(`[data-action=show-report]`),
		chromedp.WaitVisible(`#report .report-body[data-start="2026-04-01"]`, chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const rows = (s) => [...document.querySelectorAll('#report [data-section=' + s + '] tbody tr')]
				.map((tr) => [...tr.children].map((td) => td.textContent).join(' | '));
			return { Deliveries: rows('deliveries'), Served: rows('served'), Money: rows('money'), Stock: rows('stock') };
		})()`, &got))
	wantRows := shown{
		Deliveries: []string{"City Hospital No. 7 | Fruit | 12 kg"},
		Served:     []string{"City Hospital No. 7 | 1 | 30"},
	}
	if diff := cmp.Diff(wantRows.Deliveries, got.Deliveries); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRows.Served, got.Served); diff != "" {
		t.Errorf("served (-want +got):\n%s", diff)
	}
	if len(got.Money) != 2 || !strings.HasPrefix(got.Money[0], "KZT | ") && !strings.HasPrefix(got.Money[1], "KZT | ") {
		t.Errorf("money rows %v, want one for KZT and one for USD", got.Money)
	}
	if len(got.Stock) == 0 || !strings.Contains(strings.Join(got.Stock, "\n"), "Green Bazaar | Fruit") {
		t.Errorf("stock rows %v, want the apples at Green Bazaar", got.Stock)
	}
	b.screenshot(tab, "report-en-1280")

	// Each section downloads as CSV, fetched with the token and saved.
	var saved string
	b.run(tab, "download the deliveries", press(`#report [data-csv=deliveries]`),
		chromedp.WaitVisible(`#report .report-status [data-saved]`, chromedp.ByQuery), attr(`#report .report-status [data-saved]`, "data-saved", &saved))
	var file string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		found, _ := filepath.Glob(filepath.Join(folder, "*.csv"))
		if len(found) == 1 {
			file = found[0]
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if file == "" {
		t.Fatalf("no CSV saved in %s after the page said %q", folder, saved)
	}
	if !strings.Contains(saved, filepath.Base(file)) {
		t.Errorf("the page says %q, the file saved is %s", saved, filepath.Base(file))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	csv := string(data)
	if !strings.Contains(csv, "City Hospital No. 7") || !strings.Contains(csv, "2026-04-03") || !strings.Contains(csv, "12") {
		t.Errorf("the deliveries CSV of 1 to 3 April reads:\n%s", csv)
	}
	for _, secret := range []string{"Intensive care unit", "Nurse Aliya", "+7 727 200 0099"} {
		if strings.Contains(csv, secret) {
			t.Errorf("the deliveries CSV holds %q:\n%s", secret, csv)
		}
	}

	// The report follows the board's language, and keeps its period.
	var heading, period string
	b.run(tab, "switch to Russian", choose("#lang", "ru"), text(`#report-h`, &heading),
		attr(`#report .report-body`, "data-start", &period))
	if heading != "Отчёт" || period != "2026-04-01" {
		t.Errorf("in Russian the report is headed %q for the period from %s", heading, period)
	}
	b.screenshot(tab, "report-ru-1280")
	b.run(tab, "switch to Kazakh", choose("#lang", "kk"), chromedp.WaitVisible(`#report .report-body`, chromedp.ByQuery))
	b.screenshot(tab, "report-kk-1280")
	phone := b.tab(390, 900)
	b.run(phone, "open the report on a phone", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#report .report-body`, chromedp.ByQuery), chromedp.ScrollIntoView(`#report`, chromedp.ByQuery))
	for _, lang := range []string{"en", "ru", "kk"} {
		b.run(phone, "switch to "+lang, choose("#lang", lang), chromedp.WaitVisible(`#report .report-body`, chromedp.ByQuery))
		b.screenshot(phone, "report-"+lang+"-390")
	}
}
