package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// plannedRun is a run as the plan preview shows it or the store holds it:
// whose it is and the requests it carries, in driving order.
type plannedRun struct {
	Volunteer string
	Requests  []string
}

func sortRuns(runs []plannedRun) {
	slices.SortFunc(runs, func(a, b plannedRun) int {
		return strings.Compare(a.Volunteer+strings.Join(a.Requests, " "), b.Volunteer+strings.Join(b.Requests, " "))
	})
}

// cityClock reads a time as the city's clocks show it, 15:04.
func cityClock(t *testing.T, rfc3339 string) string {
	t.Helper()
	at, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		t.Fatalf("time %q: %v", rfc3339, err)
	}
	return at.In(supply.City).Format("15:04")
}

func TestBrowserPlanTheDayPreviewsAndAppliesOnce(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	needs := []string{
		s.file("hospitals/gkb-7/wards/icu", 20, "URGENT", 6*time.Hour),
		s.file("hospitals/gkb-4/wards/er", 20, "ROUTINE", 6*time.Hour),
		s.file("hospitals/covid-1/wards/icu", 20, "CRITICAL", 3*time.Hour),
		s.file("hospitals/gkb-7/wards/icu", 10, "ROUTINE", 6*time.Hour),
	}
	heavy := s.file("hospitals/gkb-4/wards/er", 500, "CRITICAL", 6*time.Hour)

	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	// The browser is far from the city: times on the page are still the
	// city's.
	b.run(tab, "move the browser to New York", emulation.SetTimezoneOverride("America/New_York"), chromedp.Reload(),
		signIn(s.issue(supply.RoleCoordinator, "", "")), chromedp.WaitVisible(`#needs .need`, chromedp.ByQuery))

	// The preview: runs with their stops in order, arrival times, load per
	// vehicle, the request no vehicle can carry with its reason, the totals.
	b.run(tab, "plan the day", press(`[data-action=plan-day]`),
		chromedp.WaitVisible(`#plan .plan-run`, chromedp.ByQuery),
		chromedp.WaitVisible(`#plan [data-action=apply-plan]`, chromedp.ByQuery))
	var proposed []plannedRun
	var arrivals, loads []string
	var planned, leftOut string
	b.run(tab, "read the proposal",
		chromedp.Evaluate(`[...document.querySelectorAll('#plan .plan-run')].map(a => ({Volunteer: a.dataset.volunteer,
			Requests: [...a.querySelectorAll('li[data-requests]')].flatMap(li => li.dataset.requests.split(' '))}))`, &proposed),
		chromedp.Evaluate(`[...document.querySelectorAll('#plan .plan-run li')].map(li => li.querySelector('.arrival time')?.textContent || '')`, &arrivals),
		chromedp.Evaluate(`[...document.querySelectorAll('#plan .plan-run > p')].map(p => p.textContent)`, &loads),
		text(`#plan [data-figure=planned] .n`, &planned),
		text(fmt.Sprintf(`#plan .left-out li[data-name=%q]`, heavy), &leftOut))
	var onPlan []string
	for _, r := range proposed {
		onPlan = append(onPlan, r.Requests...)
	}
	slices.Sort(onPlan)
	if want := slices.Sorted(slices.Values(needs)); !slices.Equal(onPlan, want) {
		t.Errorf("the preview plans %v, want %v", onPlan, want)
	}
	if len(arrivals) < len(proposed) {
		t.Errorf("the preview shows %d stops on %d runs", len(arrivals), len(proposed))
	}
	for _, a := range arrivals {
		if !strings.HasPrefix(a, "arrives about ") {
			t.Errorf("a proposed stop shows its arrival as %q", a)
		}
	}
	for _, l := range loads {
		if !strings.Contains(l, "of 60 kg") || !strings.Contains(l, "leaves ") {
			t.Errorf("a proposed run reads %q, want its start and load of 60 kg", l)
		}
	}
	if planned != "4" {
		t.Errorf("the summary plans %q requests, want 4", planned)
	}
	if !strings.Contains(leftOut, "Too heavy for any vehicle") || !strings.Contains(leftOut, "500.0 kg") {
		t.Errorf("the request no vehicle carries reads %q", leftOut)
	}
	b.screenshot(tab, "plan-preview")

	// Applied with two quick presses: stored once, exactly as proposed.
	b.run(tab, "apply the plan twice quickly",
		chromedp.Evaluate(`(() => { const b = document.querySelector('#plan [data-action=apply-plan]'); b.click(); b.click(); })()`, nil),
		chromedp.WaitVisible(`.plan-slot .notice`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#plan`, chromedp.ByQuery))
	list, err := s.runs.ListRuns(context.Background(), &aqjurekv1.ListRunsRequest{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var stored []plannedRun
	etas := map[string]string{}
	for _, r := range list.GetRuns() {
		if r.GetState() != aqjurekv1.Run_PLANNED {
			t.Errorf("run %s is %v, want PLANNED", r.GetName(), r.GetState())
		}
		stored = append(stored, plannedRun{Volunteer: r.GetVolunteer(), Requests: requestsOn(r)})
		for _, stop := range r.GetStops() {
			etas[stop.GetName()] = cityClock(t, stop.GetEstimatedArrivalTime().AsTime().Format(time.RFC3339))
		}
		for _, id := range requestsOn(r) {
			got, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: id})
			if err != nil {
				t.Fatal(err)
			}
			if got.GetState() != aqjurekv1.DeliveryRequest_SCHEDULED || got.GetRun() != r.GetName() {
				t.Errorf("%s is %v on %q, want SCHEDULED on %s", id, got.GetState(), got.GetRun(), r.GetName())
			}
		}
	}
	sortRuns(proposed)
	sortRuns(stored)
	if diff := cmp.Diff(proposed, stored); diff != "" {
		t.Errorf("stored runs differ from the proposal (-proposed +stored):\n%s", diff)
	}
	got, err := s.requests.GetDeliveryRequest(context.Background(), &aqjurekv1.GetDeliveryRequestRequest{Name: heavy})
	if err != nil || got.GetState() != aqjurekv1.DeliveryRequest_OPEN {
		t.Errorf("the request left out is %v, %v; want OPEN", got.GetState(), err)
	}

	// The board shows the stored runs, each pending stop with its arrival
	// in the city's time.
	var shown map[string]string
	b.run(tab, "see the runs on the board",
		chromedp.WaitVisible(`#runs article.run.PLANNED li[data-stop] .arrival`, chromedp.ByQuery),
		chromedp.Evaluate(`Object.fromEntries([...document.querySelectorAll('#runs li[data-stop]')].map(li => [li.dataset.stop, li.querySelector('.arrival time')?.textContent || '']))`, &shown))
	if len(shown) != len(etas) {
		t.Errorf("the board shows stops %v, want %d", shown, len(etas))
	}
	for stop, clock := range etas {
		if !strings.Contains(shown[stop], clock) {
			t.Errorf("stop %s shows %q, want its estimate %s in the city's time", stop, shown[stop], clock)
		}
	}
	b.screenshot(tab, "plan-applied")
}

func TestBrowserMarksAStopThatMayMissItsDeadline(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	soon := s.file("hospitals/gkb-4/wards/er", 5, "CRITICAL", 20*time.Minute)
	later := s.file("hospitals/gkb-7/wards/icu", 5, "ROUTINE", 6*time.Hour)
	s.plan("late", "daniyar") // leaves in 30 minutes: too late for the first
	run := s.mustREST(200, "POST", "/v1/runs/late:assign", object{"deliveryRequests": []string{soon, later}})
	risky := map[string]bool{}
	for _, st := range run["stops"].([]any) {
		stop := st.(object)
		risky[stop["name"].(string)] = stop["deadlineAtRisk"] == true
	}

	b := newBrowser(t, s.base)
	board := b.tab(1280, 1000)
	card := `article.run[data-name="runs/late"]`
	var marked []string
	var label string
	b.run(board, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(card+` li.at-risk .risk`, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll('%s li.at-risk')].map(li => li.dataset.stop)`, strings.ReplaceAll(card, `"`, `\"`)), &marked),
		text(card+` li.at-risk .risk`, &label))
	var want []string
	for name, r := range risky {
		if r {
			want = append(want, name)
		}
	}
	if len(want) != 1 || !slices.Equal(marked, want) {
		t.Errorf("stops marked at risk %v, want %v (of %v)", marked, want, risky)
	}
	if !strings.Contains(label, "Deadline at risk") {
		t.Errorf("the marked stop reads %q", label)
	}
	b.run(board, "in Russian", choose("#lang", "ru"), text(card+` li.at-risk .risk`, &label))
	if !strings.Contains(label, "Срок под угрозой") {
		t.Errorf("in Russian the marked stop reads %q", label)
	}
	// The run is on 3 April, not the browser's today: its date shows, with
	// the month named in Kazakh even where the browser knows no Kazakh.
	var when string
	b.run(board, "in Kazakh", choose("#lang", "kk"), text(card+` li.at-risk .risk`, &label), text(card+` li.at-risk .arrival time`, &when))
	if !strings.Contains(label, "Мерзімнен кешігу қаупі") || !strings.Contains(when, "3 сәу.") {
		t.Errorf("in Kazakh the marked stop reads %q, %q", when, label)
	}
	b.run(board, "back to English", choose("#lang", "en"))

	// The driver's phone marks it too, once the run is dispatched.
	s.mustREST(200, "POST", "/v1/runs/late:dispatch", object{})
	phone := b.tab(390, 844)
	b.run(phone, "sign in as the driver", signIn(s.issue(supply.RoleDriver, "", "daniyar")),
		chromedp.WaitVisible(fmt.Sprintf(`li.stop.at-risk[data-stop=%q] .risk`, want[0]), chromedp.ByQuery),
		text(fmt.Sprintf(`li.stop.at-risk[data-stop=%q] .risk`, want[0]), &label))
	if !strings.Contains(label, "Deadline at risk") {
		t.Errorf("the driver's stop reads %q", label)
	}
	b.screenshot(phone, "driver-at-risk")
}

func TestBrowserPlanThatNoLongerFitsIsExplained(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	first := s.file("hospitals/gkb-7/wards/icu", 20, "URGENT", 6*time.Hour)
	taken := s.file("hospitals/gkb-4/wards/er", 20, "URGENT", 6*time.Hour)

	b := newBrowser(t, s.base)
	tab := b.tab(390, 844)
	b.run(tab, "sign in and plan the day", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#needs .need`, chromedp.ByQuery),
		press(`[data-action=plan-day]`), chromedp.WaitVisible(`#plan [data-action=apply-plan]`, chromedp.ByQuery))

	// Meanwhile someone puts a proposed need on a run by hand: applying is
	// refused whole, and the panel says why and offers to plan again.
	s.plan("by-hand", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/by-hand:assign", object{"deliveryRequests": []string{taken}})
	var msg string
	b.run(tab, "apply the stale plan", press(`#plan [data-action=apply-plan]`),
		chromedp.WaitVisible(`#plan [data-action=plan-again]`, chromedp.ByQuery), text(`#plan .form-error`, &msg),
		chromedp.WaitNotPresent(`#plan [data-action=apply-plan]`, chromedp.ByQuery))
	if !strings.Contains(msg, "no longer fits") || !strings.Contains(msg, taken) {
		t.Errorf("a stale plan is explained as %q", msg)
	}
	b.screenshot(tab, "plan-stale")
	runs := s.listAll("/v1/runs", "runs")
	if len(runs) != 1 {
		t.Errorf("%d runs stored after a refused plan, want only the one made by hand", len(runs))
	}
	if got := s.mustREST(200, "GET", "/v1/"+first, nil)["state"]; got != "OPEN" {
		t.Errorf("after a refused plan %s is %v, want OPEN", first, got)
	}

	// Planned again, the proposal leaves the taken need alone.
	var proposed []string
	b.run(tab, "plan again", press(`#plan [data-action=plan-again]`),
		chromedp.WaitVisible(`#plan [data-action=apply-plan]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#plan li[data-requests]')].flatMap(li => li.dataset.requests.split(' '))`, &proposed))
	if !slices.Equal(proposed, []string{first}) {
		t.Errorf("planned again, the proposal carries %v, want only %s", proposed, first)
	}
	b.run(tab, "discard", press(`#plan [data-action=discard-plan]`), chromedp.WaitNotPresent(`#plan`, chromedp.ByQuery))
}
