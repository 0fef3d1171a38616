package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// newStockBoard is a city with one open need for 12 kg of apples, a
// depot that keeps stock and a kitchen that cooks to order, on the real
// clock: the ledger's forms record gifts as received now. It returns the
// need's name too.
func newStockBoard(t *testing.T) (*testServer, string) {
	t.Helper()
	s := startServer(t, func(c *server.Config) { c.Now = wallNow })
	s.seed("gkb-7", "icu")
	s.mustREST(200, "POST", "/v1/depots?depotId=bazaar", object{"displayName": "Green Bazaar", "location": object{"latitude": 43.2636, "longitude": 76.9535}})
	s.mustREST(200, "POST", "/v1/depots?depotId=kitchen", object{"displayName": "Plov Kitchen", "noStock": true,
		"location": object{"latitude": 43.24, "longitude": 76.92}})
	need := s.mustREST(200, "POST", "/v1/deliveryRequests", object{"ward": "hospitals/gkb-7/wards/icu", "priority": "URGENT",
		"lines":         []any{object{"category": "FRUIT", "description": "apples", "quantity": 12, "unit": "KILOGRAM"}},
		"deliverBefore": wallNow().Add(6 * time.Hour).Format(time.RFC3339)})["name"].(string)
	return s, need
}

// cityDate is the day a number of days from today in the city, as a date
// input takes it.
func cityDate(days int) string {
	return wallNow().In(supply.City).AddDate(0, 0, days).Format("2006-01-02")
}

func TestBrowserStockMoneyPurchaseGoodsAndWriteOff(t *testing.T) {
	t.Parallel()
	s, need := newStockBoard(t)
	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	all := `[data-depot=all] li[data-key="FRUIT/KILOGRAM"]`
	b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(all+`.short .buy`, chromedp.ByQuery))
	var msg string
	b.run(tab, "read what must be bought", text(all, &msg))
	if !strings.Contains(msg, "can be delivered now: 0 kg") || !strings.Contains(msg, "must be bought: 12 kg") {
		t.Errorf("before any stock the need reads %q", msg)
	}
	b.run(tab, "read the kitchen", text(`[data-depot="depots/kitchen"] .to-order`, &msg))
	if msg != "Cooks or buys to order: keeps no stock." {
		t.Errorf("the kitchen says %q", msg)
	}

	// A money donation: the money left shows it.
	donation := `form.donation`
	b.run(tab, "record 50,000 tenge",
		choose(donation+` [data-field="donor.display_name"]`, "Aliya Nurlanovna"),
		choose(donation+` [data-field="money.amount"]`, "50000"),
		choose(donation+` [data-field="money.channel"]`, "KASPI_GOLD"),
		choose(donation+` [data-field="money.payment_reference"]`, "KSP-778"),
		press(donation+` button[type=submit]`),
		chromedp.WaitVisible(`//li[contains(@class, "donation")][contains(., "Aliya Nurlanovna")]`, chromedp.BySearch),
		text(`.money-left [data-currency=KZT]`, &msg))
	if msg != "50,000.00\u00a0KZT" {
		t.Errorf("after the donation the money left reads %q", msg)
	}

	// A purchase from it: the money left goes down, the stock up, and the
	// need can be delivered now.
	purchase := `form.purchase`
	b.run(tab, "buy 12 kg of apples for 15,000.50",
		choose(purchase+` [data-field="supplier"]`, "Bazaar stall 14"),
		choose(purchase+` [data-field="amount"]`, "15000.50"),
		choose(purchase+` [data-field="receipt_reference"]`, "R-1001"),
		choose(purchase+` [data-field="depot"]`, "depots/bazaar"),
		choose(purchase+` [data-field="lines[0].description"]`, "apples"),
		choose(purchase+` [data-field="lines[0].quantity"]`, "12"),
		choose(purchase+` [data-field="lines[0].best_before"]`, cityDate(10)),
		press(purchase+` .funding-list input[type=checkbox]`),
		press(purchase+` button[type=submit]`),
		chromedp.WaitVisible(all+`.covered`, chromedp.ByQuery),
		text(`.money-left [data-currency=KZT]`, &msg))
	if msg != "34,999.50\u00a0KZT" {
		t.Errorf("after the purchase the money left reads %q", msg)
	}
	b.run(tab, "read the need against stock", text(all, &msg))
	if !strings.Contains(msg, "can be delivered now: 12 kg") || strings.Contains(msg, "must be bought") {
		t.Errorf("with stock the need reads %q", msg)
	}
	b.run(tab, "read the depot's stock", text(`[data-depot="depots/bazaar"] .lot-group`, &msg))
	if !strings.Contains(msg, "apples") || !strings.Contains(msg, "12 kg on hand") {
		t.Errorf("the depot's stock reads %q", msg)
	}
	// The server has the purchase paid from the donation to the tiyn.
	purchases := s.listAll("/v1/purchases", "purchases")
	if len(purchases) != 1 || purchases[0]["receiptReference"] != "R-1001" {
		t.Fatalf("purchases stored: %v", purchases)
	}
	amount := purchases[0]["amount"].(object)
	if amount["units"] != "15000" || amount["nanos"] != float64(500000000) || amount["currencyCode"] != "KZT" {
		t.Errorf("the purchase's amount is %v, want KZT 15000 and 500000000 nanos", amount)
	}
	paid := purchases[0]["allocations"].([]any)
	if len(paid) != 1 || !strings.HasPrefix(paid[0].(object)["donation"].(string), "donations/") {
		t.Errorf("the purchase was paid by %v, want the one donation ticked", paid)
	}
	b.run(tab, "see the ticks cleared", chromedp.WaitNotPresent(purchase+` .funding-list input:checked`, chromedp.ByQuery))
	b.screenshot(tab, "stock-purchased-en-1280")

	// Once the need is on a run not yet set off, it still counts, met from
	// that run's depot.
	s.mustREST(200, "POST", "/v1/volunteers?volunteerId=olga", object{"displayName": "Olga", "vehicleKind": "CAR", "capacityKg": 200})
	run := s.mustREST(200, "POST", "/v1/runs", object{"volunteer": "volunteers/olga", "depot": "depots/bazaar",
		"plannedStartTime": wallNow().Add(30 * time.Minute).Format(time.RFC3339)})["name"].(string)
	s.mustREST(200, "POST", "/v1/"+run+":assign", object{"deliveryRequests": []any{need}})
	b.run(tab, "see the need on its run", chromedp.WaitVisible(all+` .on-runs`, chromedp.ByQuery), text(all, &msg))
	if !strings.Contains(msg, "12 kg needed") || !strings.Contains(msg, "of it 12 kg on runs not yet set off") ||
		!strings.Contains(msg, "can be delivered now: 12 kg") || strings.Contains(msg, "must be bought") {
		t.Errorf("with the need on a planned run it reads %q", msg)
	}

	// Goods given with a day to go: the lot is warned of in words, then
	// written off and gone from stock.
	b.run(tab, "record a gift of carrots that keep until tomorrow",
		choose(donation+` [data-field="gift"]`, "GOODS"),
		choose(donation+` [data-field="donor.display_name"]`, "Market row 3"),
		choose(donation+` [data-field="goods.depot"]`, "depots/bazaar"),
		choose(donation+` [data-field="goods.lines[0].category"]`, "VEGETABLES"),
		choose(donation+` [data-field="goods.lines[0].description"]`, "carrots"),
		choose(donation+` [data-field="goods.lines[0].quantity"]`, "5"),
		choose(donation+` [data-field="goods.lines[0].best_before"]`, cityDate(1)),
		press(donation+` button[type=submit]`),
		chromedp.WaitVisible(`//li[contains(@class, "lot")][contains(@class, "near")][contains(., "5 kg")]`, chromedp.BySearch))
	var lot string
	b.run(tab, "read the warning", attr(`li.lot.near`, "data-lot", &lot), text(`li.lot.near .expiry`, &msg))
	if msg != "⚠ Best before tomorrow" {
		t.Errorf("the lot near its best-before says %q", msg)
	}
	b.screenshot(tab, "stock-near-en-1280")
	sel := fmt.Sprintf(`li.lot[data-lot=%q]`, lot)
	b.run(tab, "write it off without a reason", press(sel+` [data-action=write-off]`),
		press(sel+` form.write-off button[type=submit]`),
		chromedp.WaitVisible(sel+` [data-field=reason][aria-invalid=true]`, chromedp.ByQuery),
		text(sel+` [data-error-for=reason]`, &msg))
	if !strings.Contains(msg, "reason") {
		t.Errorf("a write-off without a reason shows %q", msg)
	}
	b.run(tab, "write it off", choose(sel+` [data-field=reason]`, "wilted in the heat"),
		press(sel+` form.write-off button[type=submit]`),
		chromedp.WaitNotPresent(sel, chromedp.ByQuery))
	got, err := aqjurekv1.NewLotServiceClient(s.conn()).GetLot(context.Background(), &aqjurekv1.GetLotRequest{Name: lot})
	if err != nil || got.GetQuantityOnHand() != 0 || got.GetWrittenOffQuantity() != 5 {
		t.Errorf("after the write-off the lot is %v, %v", got, err)
	}

	// A donation recorded elsewhere shows without a reload; reversed, it
	// says why and its money is gone.
	gift := s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "John Smith"},
		"money": object{"amount": object{"currencyCode": "USD", "units": "120", "nanos": 250000000}, "channel": "BANK_TRANSFER"}})["name"].(string)
	item := fmt.Sprintf(`li.donation[data-name=%q]`, gift)
	b.run(tab, "see the gift arrive live", chromedp.WaitVisible(item, chromedp.ByQuery), text(`.money-left [data-currency=USD]`, &msg))
	if msg != "120.25\u00a0USD" {
		t.Errorf("after a gift of USD 120.25 the money left reads %q", msg)
	}
	b.run(tab, "reverse it", press(item+` [data-action=reverse]`),
		choose(item+` form.reverse [data-field=reason]`, "recorded twice"),
		press(item+` form.reverse button[type=submit]`),
		chromedp.WaitVisible(item+` .reversal`, chromedp.ByQuery), text(item+` .reversal`, &msg))
	if msg != "↩ Reversed: recorded twice" {
		t.Errorf("the reversed gift says %q", msg)
	}
	// With no dollars left to spend, the money left names tenge alone.
	b.run(tab, "read the money left", chromedp.WaitNotPresent(`.money-left [data-currency=USD]`, chromedp.ByQuery),
		text(`.money-left [data-currency=KZT]`, &msg))
	if msg != "34,999.50\u00a0KZT" {
		t.Errorf("after the reversal the tenge left read %q", msg)
	}
}

func TestBrowserStockRefusalsInRussian(t *testing.T) {
	t.Parallel()
	s, _ := newStockBoard(t)
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Aliya Nurlanovna"},
		"money": object{"amount": object{"currencyCode": "KZT", "units": "10000"}, "channel": "CASH"}})
	b := newBrowser(t, s.base)
	coordinator := s.issue(supply.RoleCoordinator, "", "")
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(coordinator), chromedp.WaitVisible(`.money-left [data-currency=KZT]`, chromedp.ByQuery),
			choose("#lang", "ru"), chromedp.WaitVisible(`form.donation`, chromedp.ByQuery))
		// Tiyn are the finest KZT holds: a ten-thousandth is refused at the
		// amount by the server.
		var got refusedAt
		donation := `form.donation`
		b.run(tab, "give 12.3456 tenge",
			choose(donation+` [data-field="donor.display_name"]`, "Ерлан"),
			choose(donation+` [data-field="money.amount"]`, "12.3456"),
			choose(donation+` [data-field="money.channel"]`, "CASH"),
			submit(donation), refused(donation, "money.amount", &got))
		if !strings.Contains(got.Field, "слишком много знаков после запятой") || got.Times != 1 || got.Summary != "" {
			t.Errorf("%d px: 12.3456 KZT shows %+v", width, got)
		}
		// "12,000" is twelve thousand in Russian and twelve in English: the
		// page asks rather than guess.
		b.run(tab, "give 12,000 tenge",
			choose(donation+` [data-field="money.amount"]`, "12,000"),
			submit(donation), refused(donation, "money.amount", &got))
		if !strings.Contains(got.Field, "может означать и тысячи, и дробь") || got.Times != 1 || got.Summary != "" {
			t.Errorf("%d px: 12,000 KZT shows %+v", width, got)
		}
		b.screenshot(tab, fmt.Sprintf("stock-refused-amount-ru-%d", width))
		// A purchase beyond what the donations hold is refused at its amount,
		// saying what there is.
		purchase := `form.purchase`
		b.run(tab, "buy for more than is left",
			choose(purchase+` [data-field="supplier"]`, "Базар"),
			choose(purchase+` [data-field="amount"]`, "15000"),
			choose(purchase+` [data-field="depot"]`, "depots/bazaar"),
			choose(purchase+` [data-field="lines[0].description"]`, "яблоки"),
			choose(purchase+` [data-field="lines[0].quantity"]`, "12"),
			submit(purchase), refused(purchase, "amount", &got))
		if !strings.HasPrefix(got.Field, "Доступно KZT 10,000.00") || !strings.Contains(got.Field, "KZT 15,000.00") || got.Times != 1 {
			t.Errorf("%d px: a purchase beyond the donations shows %+v", width, got)
		}
		b.screenshot(tab, fmt.Sprintf("stock-refused-purchase-ru-%d", width))
	}
	if n := len(s.listAll("/v1/purchases", "purchases")); n != 0 {
		t.Errorf("%d purchases stored after two refusals", n)
	}
	if n := len(s.listAll("/v1/donations", "donations")); n != 1 {
		t.Errorf("%d donations stored; only the one given before the refusals should be", n)
	}
}

// TestBrowserStockScreens leaves the stock panel and the ledger, with a
// lot past its best-before and one near it, at phone and desktop width in
// each language.
func TestBrowserStockScreens(t *testing.T) {
	t.Parallel()
	s, _ := newStockBoard(t)
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Aliya Nurlanovna", "publicNaming": true},
		"money": object{"amount": object{"currencyCode": "KZT", "units": "50000"}, "channel": "KASPI_GOLD", "paymentReference": "KSP-778"}})
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "John Smith"},
		"money": object{"amount": object{"currencyCode": "USD", "units": "120", "nanos": 250000000}, "channel": "BANK_TRANSFER"}})
	date := func(days int) object {
		d := wallNow().In(supply.City).AddDate(0, 0, days)
		return object{"year": d.Year(), "month": int(d.Month()), "day": d.Day()}
	}
	s.mustREST(200, "POST", "/v1/purchases", object{"supplier": "Bazaar stall 14", "amount": object{"currencyCode": "KZT", "units": "9000"},
		"depot": "depots/bazaar", "lines": []any{object{"category": "FRUIT", "description": "apples", "quantity": 8, "unit": "KILOGRAM", "bestBefore": date(6)}}})
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Market row 3"},
		"goods": object{"depot": "depots/bazaar", "lines": []any{
			object{"category": "VEGETABLES", "description": "carrots", "quantity": 5, "unit": "KILOGRAM", "bestBefore": date(-1)},
			object{"category": "JUICE", "description": "apple juice", "quantity": 2, "unit": "BOX", "bestBefore": date(0)},
		}}})
	coordinator := s.issue(supply.RoleCoordinator, "", "")
	b := newBrowser(t, s.base)
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(coordinator), chromedp.WaitVisible(`li.lot.expired`, chromedp.ByQuery))
		for _, c := range []struct{ lang, expired, buy string }{
			{"en", "Expired", "must be bought: 4 kg"},
			{"ru", "Срок вышел", "нужно купить: 4 кг"},
			{"kk", "Мерзімі өтті", "сатып алу керек: 4 кг"},
		} {
			var expired, buy string
			b.run(tab, "show the stock in "+c.lang, choose("#lang", c.lang), chromedp.WaitVisible(`li.lot.expired`, chromedp.ByQuery),
				text(`li.lot.expired .expiry`, &expired), text(`[data-depot=all] li[data-key="FRUIT/KILOGRAM"] .buy`, &buy),
				chromedp.ScrollIntoView(`section.stock`, chromedp.ByQuery))
			if !strings.Contains(expired, c.expired) || !strings.Contains(buy, c.buy) {
				t.Errorf("%d px, %s: the expired lot says %q, the need %q", width, c.lang, expired, buy)
			}
			b.screenshot(tab, fmt.Sprintf("stock-%s-%d", c.lang, width))
		}
	}
}

// TestBrowserStockAmountsAreReadDigitByDigit reads typed amounts the way
// the ledger's forms send them: google.type.Money from the digits, with no
// floating point on the way, and shown back to the minor unit.
func TestBrowserStockAmountsAreReadDigitByDigit(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := newBrowser(t, s.base)
	tab := b.tab(390, 800)
	type money struct {
		CurrencyCode string `json:"currencyCode"`
		Units        string `json:"units"`
		Nanos        int64  `json:"nanos"`
	}
	var got struct {
		Parsed        []*money
		ThreeDecimals *money
		Shown         []string
	}
	b.run(tab, "read amounts", chromedp.WaitVisible("#token", chromedp.ByQuery), chromedp.Evaluate(`(async () => {
		const l = await import('/ledger.js');
		const typed = ['12000.50', '12 000,50', '0.1', '999999999999999999.999999999', '007', '12.3456', '1e3', '-5', '', '1.',
			'1,234,567', '12,000.50', '1.234.567,89', '1.2,3', '12,34.5', '1,2345', '12,000', '1.500'];
		return {
			Parsed: typed.map((x) => l.parseAmount(x, 'KZT')).map((x) => (x === l.AMBIGUOUS ? { currencyCode: 'ambiguous' } : x)),
			ThreeDecimals: l.parseAmount('1.500', 'KWD'),
			Shown: [l.fmtMoney({ currencyCode: 'KZT', units: '999999999999999999', nanos: 990000000 }),
				l.fmtMoney({ currencyCode: 'USD', units: '-5', nanos: -500000000 }),
				l.fmtMoney({ currencyCode: 'JPY', units: '1500' }),
				l.fmtNanos(l.nanosOf({ currencyCode: 'KZT', units: '0', nanos: 100000000 }) * 3n, 'KZT'),
				l.fmtMoney({ currencyCode: 'HUF', units: '100', nanos: 500000000 })],
		};
	})()`, &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	want := []*money{
		{"KZT", "12000", 500000000}, {"KZT", "12000", 500000000}, {"KZT", "0", 100000000},
		{"KZT", "999999999999999999", 999999999}, {"KZT", "7", 0}, {"KZT", "12", 345600000},
		nil, nil, nil, nil,
		// Thousands grouped by commas or points, the decimal point the other.
		{"KZT", "1234567", 0}, {"KZT", "12000", 500000000}, {"KZT", "1234567", 890000000},
		// Not amounts: a point and a comma each standing once, then groups
		// that are not thousands; four decimals cannot be thousands, so the
		// server is left to refuse them as finer than a tiyn.
		nil, nil, {"KZT", "1", 234500000},
		// One separator before three digits is thousands in one language and
		// decimals in another: "12,000" is never read as twelve tenge.
		{CurrencyCode: "ambiguous"}, {CurrencyCode: "ambiguous"},
	}
	if diff := cmp.Diff(want, got.Parsed); diff != "" {
		t.Errorf("typed amounts read as (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&money{"KWD", "1", 500000000}, got.ThreeDecimals); diff != "" {
		t.Errorf("1.500 KWD, a currency with three decimals, read as (-want +got):\n%s", diff)
	}
	// Three tenths of a tenge are 0.30, exactly.
	// Forints the server takes to the filler, which the browser writes
	// without decimals, keep their fraction.
	if diff := cmp.Diff([]string{"999,999,999,999,999,999.99\u00a0KZT", "−5.50\u00a0USD", "1,500\u00a0JPY", "0.30\u00a0KZT", "100.50\u00a0HUF"}, got.Shown); diff != "" {
		t.Errorf("amounts shown as (-want +got):\n%s", diff)
	}
}
