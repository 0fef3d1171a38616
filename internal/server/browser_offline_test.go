package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

// awaitTrue waits until a JavaScript expression, a promise perhaps, comes
// true in the page.
func awaitTrue(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			err := chromedp.Evaluate(expr, &ok, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx)
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w (last error %v)", expr, ctx.Err(), err)
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// keptForOffline is true once the service worker controls the page and
// holds the page and the driver's module.
const keptForOffline = `(async () => !!navigator.serviceWorker.controller &&
	!!(await caches.match('/')) && !!(await caches.match('/driver.js')) && !!(await caches.match('/app.js')))()`

// setOffline cuts the tab, and the service worker serving it, off the
// network, or puts them back, as a dead zone would: the browser says it
// is offline, and every request to the server fails before it is sent.
func (b *browser) setOffline(tab context.Context, offline bool) {
	b.t.Helper()
	conditions := network.EmulateNetworkConditions(offline, 0, -1, -1)
	cut := chromedp.Action(fetch.Disable())
	if offline {
		cut = fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: b.base + "/*", RequestStage: fetch.RequestStageRequest}})
	}
	b.run(tab, fmt.Sprintf("set the page offline: %v", offline), conditions, cut)
	targets, err := chromedp.Targets(tab)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, info := range targets {
		if info.Type != "service_worker" || !strings.HasPrefix(info.URL, b.base) {
			continue
		}
		worker, _ := chromedp.NewContext(tab, chromedp.WithTargetID(info.TargetID))
		b.run(worker, fmt.Sprintf("set the service worker offline: %v", offline), conditions)
	}
}

// failPaused fails every request the tab holds back while it is offline.
func failPaused(tab context.Context) {
	chromedp.ListenTarget(tab, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go func() {
				c := chromedp.FromContext(tab)
				_ = fetch.FailRequest(e.RequestID, network.ErrorReasonInternetDisconnected).Do(cdp.WithExecutor(tab, c.Target))
			}()
		}
	})
}

// A driver in a dead zone marks a drop and a stop that could not be made:
// both wait on the phone, through a reload with no connection, and are
// sent once the connection is back, each counted once.
func TestBrowserOfflineDropsWaitAndAreSentOnce(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	phone := b.tab(390, 844)
	stop := func(i int) string { return fmt.Sprintf(`li.stop[data-stop=%q]`, d.stops[i]) }

	b.run(phone, "sign in, start, and let the page be kept", signIn(d.token), press(`button[data-action=start]`),
		chromedp.WaitVisible(stop(0)+`.current form.deliver`, chromedp.ByQuery),
		awaitTrue(keptForOffline))
	failPaused(phone)
	b.setOffline(phone, true)

	// Out of reach, the first stop is handed over and the second cannot be
	// made: both wait, and the third is the stop to make now.
	var waiting, note, badge string
	b.run(phone, "deliver and fail offline",
		choose(stop(0)+` [data-field="received_by"]`, "Nurse Aliya"),
		press(stop(0)+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(stop(0)+`.queued`, chromedp.ByQuery),
		press(stop(1)+` [data-action=fail]`),
		choose(stop(1)+` [data-field="reason"]`, "gate locked, nobody answered"),
		press(stop(1)+` form.reason button[type=submit]`),
		chromedp.WaitVisible(stop(1)+`.queued`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(2)+`.current form.deliver`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &waiting),
		text(`.outbox .offline-note`, &note),
		text(stop(0)+` .badge.queued`, &badge))
	if waiting != "2 drops waiting to send." || !strings.HasPrefix(note, "Offline · last updated ") || badge != "Waiting to send" {
		t.Errorf("offline the page says %q, %q, and the stop %q", waiting, note, badge)
	}
	// A reload with no connection opens the page from the service worker
	// and the run from what the page kept, drops still waiting. The worker
	// itself cannot reach the server either.
	var reached bool
	b.run(phone, "try the server through the service worker",
		chromedp.Evaluate(`fetch('/not-kept.js').then(() => true, () => false)`, &reached, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if reached {
		t.Fatal("offline, the service worker still reaches the server")
	}
	var later []string
	b.run(phone, "reload offline", chromedp.Reload(),
		chromedp.WaitVisible(stop(2)+`.current form.deliver`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(0)+`.queued`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(1)+`.queued`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &waiting),
		text(`.outbox .offline-note`, &note),
		texts(stop(2)+` ul.to-hand-over li`, &later))
	if waiting != "2 drops waiting to send." || !strings.HasPrefix(note, "Offline · last updated ") {
		t.Errorf("reloaded offline the page says %q, %q", waiting, note)
	}
	if diff := cmp.Diff([]string{"4 l juice"}, later); diff != "" {
		t.Errorf("reloaded offline, the stop to make (-want +got):\n%s", diff)
	}
	run, err := d.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: d.run})
	if err != nil {
		t.Fatal(err)
	}
	if s := run.GetStops(); s[0].GetState() != aqjurekv1.Stop_PENDING || s[1].GetState() != aqjurekv1.Stop_PENDING {
		t.Fatalf("offline, the server already has stops %v and %v", s[0].GetState(), s[1].GetState())
	}

	// The last stop is handed over offline too; meanwhile, from another
	// phone, the same stop is marked as not delivered, so the server will
	// refuse this drop.
	b.run(phone, "deliver the last stop offline",
		choose(stop(2)+` [data-field="received_by"]`, "Dr Serik"),
		press(stop(2)+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(stop(2)+`.queued`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &waiting))
	if waiting != "3 drops waiting to send." {
		t.Errorf("with three drops waiting the page says %q", waiting)
	}
	b.screenshot(phone, "driver-offline-waiting")
	var inRussian, inKazakh string
	b.run(phone, "read what waits in Russian and Kazakh",
		choose("#lang", "ru"), text(`.outbox [data-waiting]`, &inRussian),
		choose("#lang", "kk"), text(`.outbox [data-waiting]`, &inKazakh),
		choose("#lang", "en"))
	if inRussian != "3 отметки ждут отправки." || inKazakh != "3 белгі жіберуді күтуде." {
		t.Errorf("three drops waiting read %q in Russian and %q in Kazakh", inRussian, inKazakh)
	}
	// What waits is what would have been sent, request id and all.
	var sentAs []object
	b.run(phone, "read the drops waiting",
		chromedp.Evaluate(`JSON.parse(localStorage.getItem('aqjurek.outbox')).waiting.map(x => ({...x.body, requestId: x.requestId}))`, &sentAs))
	driver := d.as(d.token)
	driver.mustREST(200, "POST", "/v1/"+d.stops[2]+":fail", object{"reason": "ward closed for disinfection", "requestId": "7d1c2e4a-5b6f-4a8e-9c0d-1e2f3a4b5c61"})
	status, refusal := driver.rest("POST", "/v1/"+d.stops[2]+":deliver", object{"receivedBy": "Dr Serik", "requestId": "7d1c2e4a-5b6f-4a8e-9c0d-1e2f3a4b5c62"})
	if status < 400 || status >= 500 || refusal["message"] == "" {
		t.Fatalf("delivering a failed stop answers %d %v, want a refusal with a message", status, refusal)
	}

	// Back in reach: the drops go in order and the page shows them made;
	// the one refused is shown with the server's word on why.
	var refused string
	b.setOffline(phone, false)
	b.run(phone, "come back online",
		chromedp.WaitVisible(stop(0)+`.done.DELIVERED:not(.queued)`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(1)+`.done.FAILED:not(.queued)`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(2)+`.done.FAILED:not(.queued)`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.outbox [data-waiting]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.outbox .offline-note`, chromedp.ByQuery),
		text(fmt.Sprintf(`.refused[data-stop=%q]`, d.stops[2]), &refused))
	if !strings.HasPrefix(refused, "The drop at Ward icu, Hospital covid-1 was not accepted: ") || !strings.Contains(refused, refusal["message"].(string)) {
		t.Errorf("the refused drop reads %q; want the server's %q", refused, refusal["message"])
	}
	b.screenshot(phone, "driver-offline-refused")
	b.run(phone, "read the refusal and finish",
		press(fmt.Sprintf(`.refused[data-stop=%q] button[data-action=dismiss]`, d.stops[2])),
		chromedp.WaitNotPresent(`.refused`, chromedp.ByQuery),
		chromedp.WaitVisible(`button[data-action=complete]`, chromedp.ByQuery))

	// The same request ids again, as a phone whose answer was lost would
	// send them, change nothing: each drop is counted once.
	if len(sentAs) != 3 || sentAs[0]["requestId"] == sentAs[1]["requestId"] {
		t.Fatalf("the drops waited as %v", sentAs)
	}
	driver.mustREST(200, "POST", "/v1/"+d.stops[0]+":deliver", sentAs[0])
	driver.mustREST(200, "POST", "/v1/"+d.stops[1]+":fail", sentAs[1])
	after, err := d.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: d.run})
	if err != nil {
		t.Fatal(err)
	}
	got := after.GetStops()
	if got[0].GetState() != aqjurekv1.Stop_DELIVERED || got[0].GetReceivedBy() != "Nurse Aliya" ||
		got[1].GetState() != aqjurekv1.Stop_FAILED || got[1].GetFailureReason() != "gate locked, nobody answered" ||
		got[2].GetState() != aqjurekv1.Stop_FAILED || got[2].GetFailureReason() != "ward closed for disinfection" {
		t.Errorf("after the drops were sent the stops are %v", got)
	}
	first := got[0].GetDeliveryRequests()
	want := []*aqjurekv1.DeliveredLine{
		{DeliveryRequest: first[0], Line: 0, Quantity: 12.5}, {DeliveryRequest: first[0], Line: 1, Quantity: 40},
		{DeliveryRequest: first[1], Line: 0, Quantity: 5}, {DeliveryRequest: first[1], Line: 1, Quantity: 2},
	}
	if diff := cmp.Diff(want, got[0].GetDeliveredLines(), protocmp.Transform()); diff != "" {
		t.Errorf("handed over at the first stop (-want +got):\n%s", diff)
	}
	// Each line of the requests counts what was handed over once.
	for _, name := range first {
		r, err := d.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range r.GetLines() {
			if l.GetDeliveredQuantity() != l.GetQuantity() {
				t.Errorf("%s line %d: %v of %v delivered, want it once", name, i, l.GetDeliveredQuantity(), l.GetQuantity())
			}
		}
	}
}

// A driver starts the run, makes every stop and finishes it in a dead
// zone: the start, the drops and the finish wait on the phone, through a
// reload, and reach the server in the order they were made once the
// connection is back, each counted once; the page then sums the run up.
func TestBrowserOfflineStartAndFinishWaitAndGoInOrder(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	phone := b.tab(390, 844)
	stop := func(i int) string { return fmt.Sprintf(`li.stop[data-stop=%q]`, d.stops[i]) }
	card := fmt.Sprintf(`article.card[data-name=%q]`, d.run)

	b.run(phone, "sign in and let the page be kept", signIn(d.token),
		chromedp.WaitVisible(`button[data-action=start]`, chromedp.ByQuery),
		awaitTrue(keptForOffline))
	failPaused(phone)
	b.setOffline(phone, true)

	// Started out of reach, the run is on the road as far as the driver
	// is concerned: the first stop is the one to make, marked as waiting.
	var started, waiting string
	b.run(phone, "start offline", press(`button[data-action=start]`),
		chromedp.WaitVisible(card+`[data-state=IN_PROGRESS]`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(0)+`.current form.deliver`, chromedp.ByQuery),
		text(card+` h2`, &started),
		text(`.outbox [data-waiting]`, &waiting))
	if !strings.HasSuffix(started, "Under way Waiting to send") || waiting != "1 step waiting to send." {
		t.Errorf("started offline the run reads %q and the page %q", started, waiting)
	}
	b.run(phone, "make every stop and finish offline",
		choose(stop(0)+` [data-field="received_by"]`, "Nurse Aliya"),
		press(stop(0)+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(stop(0)+`.queued`, chromedp.ByQuery),
		press(stop(1)+` [data-action=fail]`),
		choose(stop(1)+` [data-field="reason"]`, "gate locked, nobody answered"),
		press(stop(1)+` form.reason button[type=submit]`),
		chromedp.WaitVisible(stop(1)+`.queued`, chromedp.ByQuery),
		choose(stop(2)+` [data-field="received_by"]`, "Dr Serik"),
		press(stop(2)+` form.deliver button[type=submit]`),
		chromedp.WaitVisible(stop(2)+`.queued`, chromedp.ByQuery),
		press(`button[data-action=complete]`),
		chromedp.WaitVisible(card+`[data-state=COMPLETED]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`button[data-action=complete]`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &waiting))
	if waiting != "5 steps waiting to send." {
		t.Errorf("with the start, three drops and the finish waiting the page says %q", waiting)
	}
	b.screenshot(phone, "driver-offline-finished-waiting-en")
	var inRussian, inKazakh string
	b.run(phone, "read what waits in Russian", choose("#lang", "ru"), text(`.outbox [data-waiting]`, &inRussian))
	b.screenshot(phone, "driver-offline-finished-waiting-ru")
	b.run(phone, "read what waits in Kazakh", choose("#lang", "kk"), text(`.outbox [data-waiting]`, &inKazakh))
	b.screenshot(phone, "driver-offline-finished-waiting-kk")
	b.run(phone, "back to English", choose("#lang", "en"))
	if inRussian != "5 отметок ждут отправки." || inKazakh != "5 белгі жіберуді күтуде." {
		t.Errorf("five steps waiting read %q in Russian and %q in Kazakh", inRussian, inKazakh)
	}

	// A reload with no connection keeps it all; the server has none of it.
	b.run(phone, "reload offline", chromedp.Reload(),
		chromedp.WaitVisible(card+`[data-state=COMPLETED]`, chromedp.ByQuery),
		chromedp.WaitVisible(stop(2)+`.queued`, chromedp.ByQuery),
		text(`.outbox [data-waiting]`, &waiting))
	if waiting != "5 steps waiting to send." {
		t.Errorf("reloaded offline the page says %q", waiting)
	}
	run, err := d.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: d.run})
	if err != nil {
		t.Fatal(err)
	}
	if run.GetState() != aqjurekv1.Run_DISPATCHED {
		t.Fatalf("offline, the server already has the run %v", run.GetState())
	}

	// Back in reach: the start goes first, then the drops, then the finish,
	// and the page sums up the run as the server has it.
	var delivered, failed string
	b.setOffline(phone, false)
	b.run(phone, "come back online",
		chromedp.WaitVisible(`.finished`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.outbox [data-waiting]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.refused`, chromedp.ByQuery),
		text(`.finished [data-count=delivered]`, &delivered),
		text(`.finished [data-count=failed]`, &failed))
	if delivered != "2 stops delivered" || failed != "1 stop not delivered" {
		t.Errorf("the summary says %q and %q", delivered, failed)
	}
	b.screenshot(phone, "driver-offline-finished-sent")
	after, err := d.runs.GetRun(context.Background(), &aqjurekv1.GetRunRequest{Name: d.run})
	if err != nil {
		t.Fatal(err)
	}
	got := after.GetStops()
	if after.GetState() != aqjurekv1.Run_COMPLETED || got[0].GetState() != aqjurekv1.Stop_DELIVERED || got[0].GetReceivedBy() != "Nurse Aliya" ||
		got[1].GetState() != aqjurekv1.Stop_FAILED || got[2].GetState() != aqjurekv1.Stop_DELIVERED || got[2].GetReceivedBy() != "Dr Serik" {
		t.Errorf("after the steps were sent the run is %v with stops %v", after.GetState(), got)
	}
	// The log has each step once, in the order the driver made them.
	log, err := d.events.ListEvents(context.Background(), &aqjurekv1.ListEventsRequest{Resource: d.run, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []aqjurekv1.Event_Kind
	for _, e := range log.GetEvents() {
		kinds = append(kinds, e.GetKind())
	}
	want := []aqjurekv1.Event_Kind{aqjurekv1.Event_CREATED, aqjurekv1.Event_ASSIGNED, aqjurekv1.Event_DISPATCHED, aqjurekv1.Event_STARTED,
		aqjurekv1.Event_DELIVERED, aqjurekv1.Event_FAILED, aqjurekv1.Event_DELIVERED, aqjurekv1.Event_COMPLETED}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("the run's events (-want +got):\n%s", diff)
	}
}
