package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// boardDay is a coordinator's morning gone partly wrong: on aigerim's run
// the first drop was handed over short and the second failed; a need
// nobody planned is 2 h 15 min past its deadline; daniyar's run should
// have left 2 h 45 min ago. The run's apples came from the bazaar's stock:
// those three people's money bought, then a stall's.
type boardDay struct {
	delivered, failed, overdue string
	handedTo, reason           string
}

func (s *testServer) boardDay() boardDay {
	s.t.Helper()
	s.city()
	d := boardDay{handedTo: "Nurse Saule", reason: "ward closed for disinfection"}
	d.delivered = s.file("hospitals/gkb-7/wards/icu", 10, "URGENT", 6*time.Hour)
	d.failed = s.file("hospitals/covid-1/wards/icu", 5, "ROUTINE", 6*time.Hour)
	d.overdue = s.file("hospitals/gkb-4/wards/er", 3, "CRITICAL", time.Hour)
	for i, donor := range []object{
		{"displayName": "Aigerim S.", "publicNaming": true},
		{"displayName": "Тимур О.", "contact": "+7 701 000 0000"},
		{"displayName": "Ерлан С.", "contact": "+7 701 000 0001"},
	} {
		s.mustREST(200, "POST", fmt.Sprintf("/v1/donations?donationId=kaspi-%d", i), object{"donor": donor,
			"money": object{"amount": object{"currencyCode": "KZT", "units": "2000"}, "channel": "KASPI_GOLD"}})
	}
	s.mustREST(200, "POST", "/v1/purchases?purchaseId=bazaar", object{"supplier": "Green Bazaar, row 4", "depot": "depots/bazaar",
		"amount": object{"currencyCode": "KZT", "units": "5000"},
		"lines":  []any{object{"category": "FRUIT", "description": "apples", "quantity": 6, "unit": "KILOGRAM", "bestBefore": object{"year": 2026, "month": 4, "day": 5}}}})
	s.mustREST(200, "POST", "/v1/donations?donationId=stall", object{"donor": object{"displayName": "Stall 12", "publicNaming": true},
		"goods": object{"depot": "depots/bazaar", "lines": []any{object{"category": "FRUIT", "description": "apples", "quantity": 30, "unit": "KILOGRAM"}}}})
	s.plan("morning", "aigerim")
	s.mustREST(200, "POST", "/v1/runs/morning:assign", object{"deliveryRequests": []string{d.delivered, d.failed}})
	s.mustREST(200, "POST", "/v1/runs/morning:dispatch", object{})
	stops := s.mustREST(200, "POST", "/v1/runs/morning:start", object{})["stops"].([]any)
	stop := func(i int) string { return stops[i].(object)["name"].(string) }
	s.mustREST(200, "POST", "/v1/"+stop(0)+":deliver", object{"receivedBy": d.handedTo, "lines": []any{
		object{"deliveryRequest": d.delivered, "line": 0, "quantity": 8},
	}})
	s.mustREST(200, "POST", "/v1/"+stop(1)+":fail", object{"reason": d.reason})
	s.plan("idle", "daniyar")
	s.clock.Advance(3*time.Hour + 15*time.Minute)
	return d
}

func TestBrowserBoardAttentionLeadsToWhatToFix(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.boardDay()

	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	failed := `#attention li[data-kind=failed][data-run="runs/morning"]`
	overdue := fmt.Sprintf(`#attention li[data-kind=overdue][data-need=%q]`, d.overdue)
	late := `#attention li[data-kind=late][data-run="runs/idle"]`
	var failedText, overdueText, lateText string
	b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(failed, chromedp.ByQuery),
		text(failed, &failedText), text(overdue, &overdueText), text(late, &lateText))
	if !strings.Contains(failedText, d.reason) || !strings.Contains(failedText, "Driver aigerim") {
		t.Errorf("the failed drop reads %q, want its reason and driver", failedText)
	}
	if !strings.Contains(overdueText, "2 h 15 min overdue") {
		t.Errorf("the overdue need reads %q, want how much overdue", overdueText)
	}
	if !strings.Contains(lateText, "Not started") || !strings.Contains(lateText, "Driver daniyar") || !strings.Contains(lateText, "2 h 45 min") {
		t.Errorf("the late run reads %q", lateText)
	}

	// Each item leads to where it is put right.
	var focused string
	b.run(tab, "follow the failed drop", press(failed+` a`),
		chromedp.WaitVisible(`#runs article.run.highlight[data-name="runs/morning"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.dataset.name`, &focused))
	if focused != "runs/morning" {
		t.Errorf("following the failed drop focuses %q, want its run", focused)
	}
	// Even when the list's filters hide the need.
	b.run(tab, "hide the need and follow it", choose(`[data-filter="hospital"]`, "hospitals/gkb-7"),
		chromedp.WaitNotPresent(fmt.Sprintf(`li.need[data-name=%q]`, d.overdue), chromedp.ByQuery),
		press(overdue+` a`),
		chromedp.WaitVisible(fmt.Sprintf(`li.need.highlight[data-name=%q]`, d.overdue), chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.dataset.name`, &focused))
	if focused != d.overdue {
		t.Errorf("following the overdue need focuses %q, want %s", focused, d.overdue)
	}

	for _, l := range []struct{ lang, failed, overdue string }{
		{"ru", "Не доставлено", "Просрочено на 2 ч 15 мин"},
		{"kk", "Жеткізілмеді", "Мерзімі 2 сағ 15 мин өтті"},
	} {
		b.run(tab, "in "+l.lang, choose("#lang", l.lang), chromedp.WaitVisible(failed, chromedp.ByQuery),
			text(failed, &failedText), text(overdue, &overdueText))
		if !strings.Contains(failedText, l.failed) || !strings.Contains(overdueText, l.overdue) {
			t.Errorf("in %s the attention list reads %q, %q", l.lang, failedText, overdueText)
		}
	}
	b.run(tab, "back to English", choose("#lang", "en"))

	// With nothing wrong, the list says so.
	quiet := startServer(t)
	quiet.city()
	b2 := newBrowser(t, quiet.base)
	calm := b2.tab(390, 844)
	var empty string
	b2.run(calm, "a quiet morning", signIn(quiet.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#attention .empty`, chromedp.ByQuery), text(`#attention .empty`, &empty))
	if empty != "Nothing needs attention." {
		t.Errorf("an empty attention list reads %q", empty)
	}
}

func TestBrowserBoardRunCardShowsWhatWasHandedOver(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.boardDay()
	b := newBrowser(t, s.base)
	card := `#runs article.run[data-name="runs/morning"]`
	for _, width := range []int64{1280, 390} {
		tab := b.tab(width, 900)
		var load, received, failure, donors string
		b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
			chromedp.WaitVisible(card+` .load`, chromedp.ByQuery),
			text(card+` .load`, &load), text(card+` li[data-stop] .received`, &received),
			text(card+` li[data-stop] .failure`, &failure), text(card+` li[data-stop] .donors`, &donors))
		// The money's apples were taken first (they keep less long), then
		// the stall's; the coordinator sees every donor.
		if donors != "From: Aigerim S., Тимур О. and 2 others" {
			t.Errorf("the delivered stop's donors read %q", donors)
		}
		if load != "8 of 15 kg delivered" {
			t.Errorf("the run's load reads %q, want 8 of 15 kg delivered", load)
		}
		if received != "received by "+d.handedTo {
			t.Errorf("the delivered stop reads %q", received)
		}
		if failure != "Reason: "+d.reason {
			t.Errorf("the failed stop reads %q", failure)
		}
		for _, l := range []struct{ lang, load, donors string }{
			{"en", "8 of 15 kg delivered", "From: Aigerim S., Тимур О. and 2 others"},
			{"ru", "доставлено 8 из 15 кг", "Пожертвовали: Aigerim S., Тимур О. и ещё 2"},
			{"kk", "15 кг-ның 8 кг жеткізілді", "Демеушілер: Aigerim S., Тимур О. және тағы 2 адам"},
		} {
			b.run(tab, "in "+l.lang, choose("#lang", l.lang), chromedp.WaitVisible(card+` .load`, chromedp.ByQuery), text(card+` .load`, &load),
				text(card+` li[data-stop] .donors`, &donors))
			if load != l.load {
				t.Errorf("in %s the load reads %q, want %q", l.lang, load, l.load)
			}
			if donors != l.donors {
				t.Errorf("in %s the donors read %q, want %q", l.lang, donors, l.donors)
			}
			b.screenshot(tab, fmt.Sprintf("board16-%s-%d", l.lang, width))
		}
		b.run(tab, "back to English", choose("#lang", "en"))
	}
}

func TestBrowserBoardTilesFilterTheNeedsAndTheHeaderStays(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.boardDay()
	b := newBrowser(t, s.base)
	tab := b.tab(390, 844)
	needs := func() []string {
		var names []string
		b.run(tab, "read the needs", chromedp.Evaluate(`[...document.querySelectorAll('#needs li.need')].map(li => li.dataset.name)`, &names))
		return names
	}
	b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#needs li.need`, chromedp.ByQuery))
	all := needs()
	if len(all) != 3 {
		t.Fatalf("the board lists %v, want the three waiting needs", all)
	}
	var pressed string
	b.run(tab, "press the overdue tile", press(`button[data-tile=overdue]`),
		chromedp.WaitNotPresent(fmt.Sprintf(`li.need[data-name=%q]`, d.failed), chromedp.ByQuery),
		attr(`button[data-tile=overdue]`, "aria-pressed", &pressed))
	if got := needs(); pressed != "true" || len(got) != 1 || got[0] != d.overdue {
		t.Errorf("the overdue tile (aria-pressed %s) lists %v, want only %s", pressed, got, d.overdue)
	}
	b.screenshot(tab, "board16-tile-overdue-390")
	b.run(tab, "press it again", press(`button[data-tile=overdue]`),
		chromedp.WaitVisible(fmt.Sprintf(`li.need[data-name=%q]`, d.failed), chromedp.ByQuery),
		attr(`button[data-tile=overdue]`, "aria-pressed", &pressed))
	if got := needs(); pressed != "false" || len(got) != 3 {
		t.Errorf("pressed again (aria-pressed %s) the list shows %v, want all three", pressed, got)
	}
	b.run(tab, "press the open tile", press(`button[data-tile=open]`),
		chromedp.WaitNotPresent(`#needs .badge.SCHEDULED, #needs .badge.IN_TRANSIT`, chromedp.ByQuery),
		attr(`button[data-tile=open]`, "aria-pressed", &pressed))
	if pressed != "true" {
		t.Errorf("the open tile is aria-pressed %s after pressing", pressed)
	}

	// Scrolled to the bottom of the board, the live badge is still in view.
	var top float64
	b.run(tab, "scroll to the end", chromedp.Evaluate(`window.scrollTo(0, document.body.scrollHeight)`, nil),
		chromedp.Sleep(100*time.Millisecond),
		chromedp.Evaluate(`document.querySelector('#live').getBoundingClientRect().top`, &top))
	if top < 0 || top > 100 {
		t.Errorf("scrolled down, the live badge is at %v px from the top of the window", top)
	}
}

func TestBrowserBoardPlanningARunTwiceQuicklyPlansOne(t *testing.T) {
	t.Parallel()
	// The form starts from the browser's clock: the server's must agree.
	s := startServer(t, func(c *server.Config) { c.Now = wallNow })
	s.city()
	b := newBrowser(t, s.base)
	tab := b.tab(1280, 1000)
	fill := chromedp.Tasks{
		choose(`.new-run [data-field="volunteer"]`, "volunteers/aigerim"),
		choose(`.new-run [data-field="depot"]`, "depots/bazaar"),
	}
	var cleared string
	b.run(tab, "plan a run with a double click", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`.new-run button[type=submit]`, chromedp.ByQuery), fill,
		chromedp.Evaluate(`(() => { const b = document.querySelector('.new-run button[type=submit]'); b.click(); b.click(); })()`, nil),
		chromedp.WaitVisible(`.new-run .notice`, chromedp.ByQuery),
		chromedp.WaitVisible(`#runs article.run.PLANNED`, chromedp.ByQuery),
		chromedp.Value(`.new-run [data-field="volunteer"]`, &cleared, chromedp.ByQuery))
	if runs := s.listAll("/v1/runs", "runs"); len(runs) != 1 {
		t.Errorf("a double click planned %d runs, want 1", len(runs))
	}
	if cleared != "" {
		t.Errorf("after planning, the form still names %q", cleared)
	}
	// The cleared form is a new filling: it plans a run of its own (for
	// another driver: aigerim is on the first one by then).
	b.run(tab, "plan another", fill, choose(`.new-run [data-field="volunteer"]`, "volunteers/daniyar"), press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`#runs article.run.PLANNED:nth-child(2)`, chromedp.ByQuery))
	if runs := s.listAll("/v1/runs", "runs"); len(runs) != 2 {
		t.Errorf("a second filling planned %d runs in all, want 2", len(runs))
	}
}

// runsShown lists the runs on the board, by name.
func runsShown(into *[]string) chromedp.Action {
	return chromedp.Evaluate(`[...document.querySelectorAll('#runs article.run')].map((r) => r.dataset.name).sort()`, into)
}

func TestBrowserBoardKeepsRunsAcrossMidnightInSight(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.city()
	startAt := func(id, volunteer string, at time.Time) {
		s.mustREST(200, "POST", "/v1/runs?runId="+id, object{
			"volunteer": "volunteers/" + volunteer, "depot": "depots/bazaar", "plannedStartTime": at.Format(time.RFC3339),
		})
		s.mustREST(200, "POST", "/v1/runs/"+id+":cancel", object{"reason": "van broke down"})
	}
	// 22:30 on the city's clocks: a run for 23:00 is planned and called off.
	s.clock.Advance(13*time.Hour + 30*time.Minute)
	if got := s.clock.Now().In(supply.City).Format("15:04"); got != "22:30" {
		t.Fatalf("the city's clocks read %s, want 22:30", got)
	}
	startAt("evening", "aigerim", s.clock.Now().Add(30*time.Minute))
	// 23:45: one run for 00:15, one for tomorrow morning, both called off.
	s.clock.Advance(75 * time.Minute)
	startAt("after-midnight", "daniyar", s.clock.Now().Add(30*time.Minute))
	startAt("tomorrow-morning", "aigerim", s.clock.Now().Add(9*time.Hour+15*time.Minute))
	s.plan("next", "daniyar")

	b := newBrowser(t, s.base)
	tab := b.tab(1280, 900)
	var runs []string
	b.run(tab, "sign in as coordinator at 23:45", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#runs article.run[data-name="runs/after-midnight"].CANCELLED`, chromedp.ByQuery), runsShown(&runs))
	if want := []string{"runs/after-midnight", "runs/evening", "runs/next"}; !slices.Equal(runs, want) {
		t.Errorf("at 23:45 the board shows %v, want %v", runs, want)
	}
	b.screenshot(tab, "board16-midnight")

	// 00:30: yesterday's evening is still in sight, and the new day's runs
	// join it.
	s.clock.Advance(45 * time.Minute)
	b.run(tab, "reload at 00:30", chromedp.Reload(),
		chromedp.WaitVisible(`#runs article.run[data-name="runs/tomorrow-morning"]`, chromedp.ByQuery), runsShown(&runs))
	if want := []string{"runs/after-midnight", "runs/evening", "runs/next", "runs/tomorrow-morning"}; !slices.Equal(runs, want) {
		t.Errorf("at 00:30 the board shows %v, want %v", runs, want)
	}
	// 07:00: the night is over; yesterday's evening has left the board.
	s.clock.Advance(6*time.Hour + 30*time.Minute)
	b.run(tab, "reload at 07:00", chromedp.Reload(),
		chromedp.WaitVisible(`#runs article.run[data-name="runs/tomorrow-morning"]`, chromedp.ByQuery), runsShown(&runs))
	if want := []string{"runs/after-midnight", "runs/next", "runs/tomorrow-morning"}; !slices.Equal(runs, want) {
		t.Errorf("at 07:00 the board shows %v, want %v", runs, want)
	}
}

// On a phone the board is one long column: the links at its head bring
// each part's heading into view below the sticky header, in each language.
func TestBrowserBoardPartsAreLinkedFromItsHead(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.boardDay()
	b := newBrowser(t, s.base)
	tab := b.tab(390, 844)
	b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`#needs li.need`, chromedp.ByQuery), chromedp.WaitVisible(`#report-h`, chromedp.ByQuery))
	for _, part := range []string{"report-h", "ledger-h", "runs-h", "stock-h", "needs-h"} {
		var where struct{ Top, Header float64 }
		b.run(tab, "follow the link to "+part, press(fmt.Sprintf(`nav.board-nav a[data-part=%q]`, part)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(fmt.Sprintf(`({Top: document.getElementById(%q).getBoundingClientRect().top,
				Header: document.querySelector('header.top').getBoundingClientRect().bottom})`, part), &where))
		if where.Top < where.Header || where.Top > 844/2 {
			t.Errorf("after its link, %s is at %v px, under a header ending at %v px or out of the top half", part, where.Top, where.Header)
		}
	}
	for _, lang := range []string{"en", "ru", "kk"} {
		var words []string
		b.run(tab, "read the links in "+lang, choose("#lang", lang), chromedp.Evaluate(`window.scrollTo(0, 0)`, nil),
			chromedp.Evaluate(`[...document.querySelectorAll('nav.board-nav a')].map((a) => a.textContent)`, &words))
		if len(words) != 5 || slices.Contains(words, "") {
			t.Errorf("in %s the board's links read %q", lang, words)
		}
		b.screenshot(tab, "board-parts-"+lang+"-390")
	}
}
