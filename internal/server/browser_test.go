package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// screenshots is where the browser tests leave a picture of each page;
// the folder is git-ignored.
var screenshots = filepath.Join("..", "..", "artifacts", "screenshots")

// chromium finds a Chromium to drive, or skips the test on a developer
// machine without one. In CI (CI set) a missing Chromium fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("AQJUREK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "headless-shell"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if path, err := exec.LookPath(c); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI runs the browser tests: install Chromium (apt-get install chromium) or set AQJUREK_CHROMIUM")
	}
	t.Skip("browser tests skipped: no Chromium found (apt-get install chromium, or set AQJUREK_CHROMIUM)")
	return ""
}

// wallShift moves the real clock of the browser tests that run on it,
// server and browser alike, so that they can be run at any hour of the
// city's day: AQJUREK_CITY_TIME=23:50 runs them as if the city's clocks
// read 23:50 today. CI runs at every hour; this is how a developer runs
// the hour that broke.
var wallShift = func() time.Duration {
	at := os.Getenv("AQJUREK_CITY_TIME")
	if at == "" {
		return 0
	}
	clock, err := time.Parse("15:04", at)
	if err != nil {
		panic(fmt.Sprintf("AQJUREK_CITY_TIME=%q: want the city's time as 15:04", at))
	}
	now := time.Now().In(supply.City)
	want := time.Date(now.Year(), now.Month(), now.Day(), clock.Hour(), clock.Minute(), 0, 0, supply.City)
	return want.Sub(now)
}()

// wallNow is the real time, moved by wallShift.
func wallNow() time.Time { return time.Now().Add(wallShift) }

// shiftDate moves the page's Date by wallShift, the browser's side of
// wallNow.
const shiftDate = `(() => {
	const shift = %d, Real = Date;
	class Shifted extends Real {
		constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
		static now() { return Real.now() + shift; }
	}
	globalThis.Date = Shifted;
})()`

// browser drives headless Chromium for the test. Each tab is a browser
// of its own, with its own profile and storage, as each person's phone or
// desk would be.
type browser struct {
	t    *testing.T
	exec string
	base string
}

func newBrowser(t *testing.T, base string) *browser {
	b := &browser{t: t, exec: chromium(t), base: base}
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

// tab starts a browser showing the application, width by height pixels.
func (b *browser) tab(width, height int64) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(b.exec), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "en-GB"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	b.t.Cleanup(func() { cancel(); cancelAlloc() })
	// The page's errors go to the test log.
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.t.Logf("page exception: %s", e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				for _, a := range e.Args {
					b.t.Logf("page console %s: %s", e.Type, a.Value)
				}
			}
		}
	})
	// The first run starts the browser, which lives as long as ctx; later
	// runs have deadlines of their own.
	if err := chromedp.Run(ctx); err != nil {
		b.t.Fatalf("start Chromium: %v", err)
	}
	if wallShift != 0 {
		b.run(ctx, "move the page's clock", chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(fmt.Sprintf(shiftDate, wallShift.Milliseconds())).Do(ctx)
			return err
		}))
	}
	b.run(ctx, "open the application", chromedp.EmulateViewport(width, height), chromedp.Navigate(b.base+"/"))
	return ctx
}

// run runs browser actions, failing the test with what was being done.
func (b *browser) run(ctx context.Context, doing string, actions ...chromedp.Action) {
	b.t.Helper()
	timed, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(timed, actions...); err != nil {
		b.screenshot(ctx, "failed")
		b.t.Fatalf("%s: %v", doing, err)
	}
}

func (b *browser) screenshot(ctx context.Context, name string) {
	var png []byte
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(screenshots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// choose sets a select or input the way a person would, so the page's
// input and change handlers run.
func choose(selector, value string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.value = %q;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, selector, value), nil)
}

// press clicks the first element matching a CSS selector once it is
// visible. Finding and clicking happen in one step in the page, so a page
// that redraws in between cannot leave the test holding a removed node.
func press(selector string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(selector, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).click()`, selector), nil),
	}
}

// signIn pastes a token on the sign-in page.
func signIn(bearer string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible("#token", chromedp.ByQuery),
		choose("#token", bearer),
		press("main form button[type=submit]"),
	}
}

// text reads the text of the first visible element matching selector.
func text(selector string, into *string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(selector, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).textContent`, selector), into),
	}
}

// attr reads an attribute of the first visible element matching selector.
func attr(selector, name string, into *string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(selector, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).getAttribute(%q)`, selector, name), into),
	}
}

// needNamed reads the resource name of the first need on the board whose
// text holds what.
func needNamed(what string, into *string) chromedp.Action {
	xpath := fmt.Sprintf(`//li[contains(@class, "need")][contains(., %q)]`, what)
	return chromedp.Tasks{
		chromedp.WaitVisible(xpath, chromedp.BySearch),
		chromedp.Evaluate(fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.dataset.name`, xpath), into),
	}
}

func TestBrowserFromNeedToDeliveredLive(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, wallNow })
	b := newBrowser(t, s.base)
	coordinator := b.tab(1280, 1000)
	staff := b.tab(360, 740)
	driver := b.tab(360, 740)

	// Sign in: a wrong token is refused at the field, then each role gets its page.
	var msg string
	b.run(staff, "refuse a wrong token", signIn("aqj_wrong_token"),
		chromedp.WaitVisible(`#token[aria-invalid=true]`, chromedp.ByQuery), text(`[data-error-for="token"]`, &msg))
	if !strings.Contains(msg, "not accepted") {
		t.Errorf("a wrong token shows %q", msg)
	}
	b.run(coordinator, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#needs .need`, chromedp.ByQuery), chromedp.WaitVisible(`#live[data-state=live]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.chart svg`, chromedp.ByQuery), chromedp.WaitVisible(`.map svg circle`, chromedp.ByQuery))
	var who string
	b.run(coordinator, "read who is signed in", text("#who", &who))
	if !strings.Contains(who, "coordinator") {
		t.Errorf("header says %q, want the coordinator's role", who)
	}
	b.screenshot(coordinator, "board")
	b.run(staff, "sign in as staff", signIn(s.issue(supply.RoleStaff, "gkb-7", "")),
		chromedp.WaitVisible(`#requests`, chromedp.ByQuery))
	b.screenshot(staff, "staff")

	// Staff file a need without a ward or a quantity: the server's words
	// appear at those fields, and nothing is filed.
	b.run(staff, "file an incomplete need", press(`main form button[type=submit]`),
		chromedp.WaitVisible(`[data-field="lines[0].quantity"][aria-invalid=true]`, chromedp.ByQuery),
		text(`[data-error-for="lines[0].quantity"]`, &msg))
	if !strings.Contains(msg, "quantity must be greater than 0") {
		t.Errorf("quantity error shows %q", msg)
	}
	b.run(staff, "read the ward error", text(`[data-error-for="ward"]`, &msg))
	if !strings.Contains(msg, "ward") {
		t.Errorf("ward error shows %q", msg)
	}
	b.screenshot(staff, "staff-validation")

	// Then a proper need; the coordinator's board shows it without a reload.
	b.run(staff, "file a need",
		choose(`[data-field="ward"]`, "hospitals/gkb-7/wards/icu"),
		choose(`[data-field="lines[0].description"]`, "pears"),
		choose(`[data-field="lines[0].quantity"]`, "7.5"),
		choose(`[data-field="headcount"]`, "20"),
		choose(`[data-field="priority"]`, "CRITICAL"),
		press(`main form button[type=submit]`),
		chromedp.WaitVisible(`//article[contains(@class, "request-card")][contains(., "pears")]`, chromedp.BySearch))
	var need string
	b.run(coordinator, "see the need arrive live",
		needNamed("pears", &need))

	// The coordinator plans a run, assigns the need and dispatches it. The
	// driver is one the demo's day leaves free: planning one already on a
	// run at that time would ask first.
	var run string
	b.run(coordinator, "plan a run",
		choose(`.new-run [data-field="volunteer"]`, "volunteers/nurlan"),
		choose(`.new-run [data-field="depot"]`, "depots/green-bazaar"),
		press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`article.run.selected.PLANNED`, chromedp.ByQuery),
		attr(`article.run.selected`, "data-name", &run))
	card := fmt.Sprintf(`article.run[data-name=%q]`, run)
	b.run(coordinator, "assign and dispatch",
		press(fmt.Sprintf(`li.need[data-name=%q] input`, need)),
		press(card+` button[data-action=assign]`),
		chromedp.WaitVisible(fmt.Sprintf(`li.need[data-name=%q] .badge.SCHEDULED`, need), chromedp.ByQuery),
		chromedp.WaitVisible(card+` .map-route, `+card+` button[data-action=dispatch]`, chromedp.ByQuery),
		press(card+` button[data-action=dispatch]`),
		chromedp.WaitVisible(card+`.DISPATCHED`, chromedp.ByQuery),
		chromedp.WaitVisible(`.map polyline.route`, chromedp.ByQuery))

	// The driver starts the run; the quantities are prefilled.
	runCard := fmt.Sprintf(`article[data-name=%q]`, run)
	var prefilled string
	b.run(driver, "sign in as the driver and start", signIn(s.issue(supply.RoleDriver, "", "nurlan")),
		chromedp.WaitVisible(runCard+` button[data-action=start]`, chromedp.ByQuery),
		press(runCard+` button[data-action=start]`),
		chromedp.WaitVisible(runCard+` form.deliver`, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).value`, runCard+` form.deliver [data-field="lines[0].quantity"]`), &prefilled))
	if prefilled != "7.5" {
		t.Errorf("delivered quantity prefilled with %q, want 7.5", prefilled)
	}
	b.screenshot(driver, "driver")

	// The connection drops: the first press reaches the server but its
	// answer is lost on the way back, and the page cannot reload the run
	// either, so the drop waits on the phone. Sent again, it goes with the
	// same request id and gets the first result, so the drop counts once.
	lost := make(chan struct{}, 1)
	chromedp.ListenTarget(driver, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go func() {
				c := chromedp.FromContext(driver)
				_ = fetch.FailRequest(e.RequestID, network.ErrorReasonConnectionReset).Do(cdp.WithExecutor(driver, c.Target))
				if strings.Contains(e.Request.URL, ":deliver") {
					select {
					case lost <- struct{}{}:
					default:
					}
				}
			}()
		}
	})
	b.run(driver, "deliver with the answer lost",
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{
			{URLPattern: "*:deliver*", RequestStage: fetch.RequestStageResponse},
			{URLPattern: "*/v1/runs?*", RequestStage: fetch.RequestStageRequest},
			{URLPattern: "*/v1/deliveryRequests/*", RequestStage: fetch.RequestStageRequest},
		}),
		choose(runCard+` form.deliver [data-field="received_by"]`, "Nurse Aliya"),
		press(runCard+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(runCard+` li.stop.queued`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &msg))
	select {
	case <-lost:
	case <-time.After(10 * time.Second):
		t.Fatal("the deliver call never reached the point where its answer is dropped")
	}
	if msg != "1 drop waiting to send." {
		t.Errorf("a lost answer shows %q", msg)
	}
	b.run(driver, "send it again", fetch.Disable(),
		press(`.outbox button[data-action=send-now]`),
		// A drop that waits already reads as delivered, and the finish
		// shows beside it (it would wait behind the drop): the server has
		// the drop once the page no longer marks it as waiting.
		chromedp.WaitVisible(runCard+` li.stop.DELIVERED:not(.queued)`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.outbox [data-waiting]`, chromedp.ByQuery),
		chromedp.WaitVisible(runCard+` button[data-action=complete]`, chromedp.ByQuery))
	got, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: need})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetState() != aqjurekv1.DeliveryRequest_DELIVERED || got.GetLines()[0].GetDeliveredQuantity() != 7.5 {
		t.Errorf("after two presses the need is %v with %v delivered, want DELIVERED with 7.5", got.GetState(), got.GetLines()[0].GetDeliveredQuantity())
	}

	// The board follows: the need leaves the waiting list, the run shows its progress.
	b.run(coordinator, "see the delivery live",
		chromedp.WaitNotPresent(fmt.Sprintf(`li.need[data-name=%q]`, need), chromedp.ByQuery),
		chromedp.WaitVisible(card+`.IN_PROGRESS progress[value="1"]`, chromedp.ByQuery))
	b.screenshot(coordinator, "board-after-delivery")
	b.screenshot(driver, "driver-delivered")

	// The whole board follows a language switch.
	var heading, tile string
	b.run(coordinator, "switch the board to Kazakh", choose("#lang", "kk"), text("main h1", &heading), text(`[data-tile="overdue"]`, &tile))
	if heading != "Үйлестіру тақтасы" || !strings.Contains(tile, "мерзімі өткен") {
		t.Errorf("in Kazakh the board reads %q, %q", heading, tile)
	}
	b.screenshot(coordinator, "board-kk")
}

func TestBrowserLanguagesAndSignOut(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, wallNow })
	b := newBrowser(t, s.base)
	tab := b.tab(360, 740)
	b.run(tab, "sign in as staff", signIn(s.issue(supply.RoleStaff, "gkb-7", "")), chromedp.WaitVisible(`#requests`, chromedp.ByQuery))

	var heading, lang string
	for _, c := range []struct{ lang, heading string }{{"kk", "Өтінім беру"}, {"ru", "Подать заявку"}, {"en", "File a need"}} {
		b.run(tab, "switch to "+c.lang, choose("#lang", c.lang), text("#need-h", &heading))
		if heading != c.heading {
			t.Errorf("in %s the form is headed %q, want %q", c.lang, heading, c.heading)
		}
	}
	// The choice is remembered across a reload; hospital names stay as entered.
	var hospital string
	b.run(tab, "reload in Russian", choose("#lang", "ru"), chromedp.Reload(),
		chromedp.WaitVisible(`#requests`, chromedp.ByQuery), text("#need-h", &heading),
		attr("html", "lang", &lang), text("main h1", &hospital))
	if heading != "Подать заявку" || lang != "ru" {
		t.Errorf("after a reload: heading %q, lang %q; want Russian", heading, lang)
	}
	if hospital != "City Clinical Hospital No. 7 (ГКБ №7)" {
		t.Errorf("hospital shown as %q", hospital)
	}
	b.screenshot(tab, "staff-ru")

	// Signing out forgets the token.
	var stored string
	b.run(tab, "sign out", press("#signout"), chromedp.WaitVisible("#token", chromedp.ByQuery),
		chromedp.Evaluate(`localStorage.getItem('aqjurek.token') || ''`, &stored))
	if stored != "" {
		t.Errorf("token still stored after signing out: %q", stored)
	}
	b.screenshot(tab, "sign-in")
}

func TestBrowserReorderCancelFailAndEdit(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, wallNow })
	b := newBrowser(t, s.base)
	coordinator := b.tab(1280, 1000)
	staff := b.tab(360, 740)

	// Staff change an open need and cancel another.
	b.run(staff, "sign in as staff", signIn(s.issue(supply.RoleStaff, "gkb-1", "")), chromedp.WaitVisible(`#requests .request-card`, chromedp.ByQuery))
	var open []string
	b.run(staff, "pick two open needs", chromedp.Evaluate(`[...document.querySelectorAll('.request-card')]
		.filter(c => c.querySelector('[data-action=edit]')).slice(0, 2).map(c => c.dataset.name)`, &open))
	if len(open) != 2 {
		t.Fatalf("open needs of gkb-1 on the staff page: %v", open)
	}
	first, second := open[0], open[1]
	card := func(name string) string { return fmt.Sprintf(`article[data-name=%q]`, name) }
	b.run(staff, "change the first",
		press(card(first)+` [data-action=edit]`),
		chromedp.WaitVisible(`#need-h`, chromedp.ByQuery),
		choose(`[data-field="lines[0].description"]`, "quince jam"),
		press(`main form button[type=submit]`),
		chromedp.WaitVisible(`//article[@data-name="`+first+`"][contains(., "quince jam")]`, chromedp.BySearch))
	b.run(staff, "cancel the second",
		press(card(second)+` [data-action=cancel]`),
		choose(card(second)+` [data-field="reason"]`, "patients discharged"),
		press(card(second)+` form button[type=submit]`),
		chromedp.WaitVisible(card(second)+` .badge.CANCELLED`, chromedp.ByQuery))
	got, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: first})
	if err != nil || got.GetLines()[0].GetDescription() != "quince jam" {
		t.Errorf("changed need = %v, %v", got, err)
	}

	// The coordinator filters by hospital, then plans a run with two stops,
	// swaps them and cancels the run.
	b.run(coordinator, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#needs .need`, chromedp.ByQuery),
		choose(`[data-filter="hospital"]`, "hospitals/gkb-1"),
		chromedp.WaitNotPresent(`#needs [data-hospital]:not([data-hospital="hospitals/gkb-1"])`, chromedp.ByQuery))
	var wards []string
	b.run(coordinator, "read the open needs of two wards", chromedp.Evaluate(`[...document.querySelectorAll('.ward-group')]
		.map(g => g.querySelector('li.need input')).filter(Boolean).slice(0, 2).map(i => i.closest('li').dataset.name)`, &wards))
	if len(wards) != 2 {
		t.Fatalf("open needs in two wards of gkb-1: %v", wards)
	}
	var run string
	b.run(coordinator, "plan and assign",
		choose(`.new-run [data-field="volunteer"]`, "volunteers/nurlan"),
		choose(`.new-run [data-field="depot"]`, "depots/green-bazaar"),
		press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`article.run.selected.PLANNED`, chromedp.ByQuery),
		attr(`article.run.selected`, "data-name", &run),
		press(fmt.Sprintf(`li.need[data-name=%q] input`, wards[0])),
		press(fmt.Sprintf(`li.need[data-name=%q] input`, wards[1])),
		press(`article.run.selected button[data-action=assign]`),
		chromedp.WaitVisible(`article.run.selected li[data-stop]:nth-child(2)`, chromedp.ByQuery))
	order := func() []string {
		var stops []string
		b.run(coordinator, "read the stops", chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll('%s li[data-stop]')].map(li => li.dataset.stop)`,
			strings.ReplaceAll(card(run), `"`, `\"`)), &stops))
		return stops
	}
	before := order()
	b.run(coordinator, "move the second stop up", press(card(run)+` li[data-stop]:nth-child(2) [data-action=up]`),
		chromedp.WaitVisible(fmt.Sprintf(`%s li[data-stop=%q]:nth-child(1)`, card(run), before[1]), chromedp.ByQuery))
	if after := order(); len(after) != 2 || after[0] != before[1] || after[1] != before[0] {
		t.Errorf("stops %v after moving the second up, from %v", after, before)
	}
	// Cancelling asks why: without a reason the server's word shows at the field.
	var msg string
	b.run(coordinator, "cancel the run without a reason",
		press(card(run)+` [data-action=cancel]`),
		press(card(run)+` form.cancel-run button[type=submit]`),
		chromedp.WaitVisible(card(run)+` [data-field="reason"][aria-invalid=true]`, chromedp.ByQuery),
		text(card(run)+` [data-error-for="reason"]`, &msg))
	if !strings.Contains(msg, "reason") {
		t.Errorf("cancelling without a reason shows %q", msg)
	}
	b.run(coordinator, "cancel the run",
		choose(card(run)+` [data-field="reason"]`, "van broke down"),
		press(card(run)+` form.cancel-run button[type=submit]`),
		chromedp.WaitVisible(card(run)+`.CANCELLED`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`li.need[data-name=%q] .badge.OPEN`, wards[0]), chromedp.ByQuery))
	b.screenshot(coordinator, "board-filtered")

	// A driver who cannot make a drop says why, and the stop shows it.
	driver := b.tab(360, 740)
	runCard := `article[data-name="runs/afternoon-bazaar"]`
	b.run(driver, "sign in as the driver and start", signIn(s.issue(supply.RoleDriver, "", "timur")),
		press(runCard+` button[data-action=start]`),
		chromedp.WaitVisible(runCard+` li.stop.PENDING [data-action=fail]`, chromedp.ByQuery))
	var stop string
	b.run(driver, "say the first drop failed without a reason",
		attr(runCard+` li.stop.PENDING`, "data-stop", &stop),
		press(runCard+` li.stop.PENDING [data-action=fail]`),
		press(runCard+` li.stop.PENDING form.reason button[type=submit]`),
		chromedp.WaitVisible(runCard+` li.stop.PENDING [data-field="reason"][aria-invalid=true]`, chromedp.ByQuery))
	b.run(driver, "say why the drop failed",
		choose(runCard+` li.stop.PENDING [data-field="reason"]`, "ward closed for disinfection"),
		press(runCard+` li.stop.PENDING form.reason button[type=submit]`),
		chromedp.WaitVisible(fmt.Sprintf(`%s li.stop.FAILED[data-stop=%q]`, runCard, stop), chromedp.ByQuery),
		text(fmt.Sprintf(`%s li[data-stop=%q] dl`, runCard, stop), &msg))
	if !strings.Contains(msg, "ward closed for disinfection") {
		t.Errorf("the failed stop reads %q", msg)
	}
	b.screenshot(driver, "driver-failed-stop")
	r, err := s.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: "runs/afternoon-bazaar"})
	if err != nil || r.GetStops()[0].GetState() != aqjurekv1.Stop_FAILED || r.GetStops()[0].GetFailureReason() != "ward closed for disinfection" {
		t.Errorf("after the driver's report the run is %v, %v", r, err)
	}
}
