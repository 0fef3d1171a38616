package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/supply"
)

// inLanguages is the board in each language: en, ru, kk.
var inLanguages = []string{"en", "ru", "kk"}

func TestBrowserCoordinatorNeedShowsWhatIsLeftAndItsAttempts(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.twoAttempts()
	b := newBrowser(t, s.base)
	need := fmt.Sprintf(`#needs li.need[data-name=%q]`, d.plov)
	want := map[string]struct{ left, failed, short, driver, received string }{
		"en": {"6 of 13 portions of plov still to bring", "Not delivered: " + d.reason, "Delivered short: 7 of 13 portions of plov", "driver Timur Akhmetov", "received by Nurse Saule"},
		"ru": {"plov — ещё не привезено: 6 порций из 13", "Не доставлено: " + d.reason, "Привезено не всё: plov — 7 порций из 13", "водитель Timur Akhmetov", "принял(а): Nurse Saule"},
		"kk": {"plov — 13 порция ішінен әлі 6 порция жеткізілмеген", "Жеткізілмеді: " + d.reason, "Толық жеткізілмеді: plov — 13 порция ішінен 7 порция", "жүргізуші Timur Akhmetov", "қабылдаған: Nurse Saule"},
	}
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
			chromedp.WaitVisible(need+` .attempts li.short`, chromedp.ByQuery))
		for _, lang := range inLanguages {
			var left string
			var kinds, attempts []string
			b.run(tab, "in "+lang, choose("#lang", lang), chromedp.WaitVisible(need+` .attempts li.short`, chromedp.ByQuery),
				text(need+` .outstanding`, &left),
				chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(li => li.dataset.kind)`, need+` .attempts li`), &kinds),
				chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll(%q)].map(li => li.textContent)`, need+` .attempts li`), &attempts))
			w := want[lang]
			if left != w.left {
				t.Errorf("%s at %d px: the plov reads %q, want %q", lang, width, left, w.left)
			}
			// Oldest first: the night's failed drop, then the morning's short one.
			if len(kinds) != 2 || kinds[0] != "failed" || kinds[1] != "short" {
				t.Fatalf("%s: the plov's attempts are %v, want failed then short", lang, kinds)
			}
			if !strings.Contains(attempts[0], w.failed) || !strings.Contains(attempts[0], w.driver) {
				t.Errorf("%s: the failed attempt reads %q, want %q by %q", lang, attempts[0], w.failed, w.driver)
			}
			if !strings.Contains(attempts[1], w.short) || !strings.Contains(attempts[1], w.received) || !strings.Contains(attempts[1], "Olga Kim") {
				t.Errorf("%s: the short drop reads %q, want %q, by Olga Kim, %q", lang, attempts[1], w.short, w.received)
			}
			b.run(tab, "scroll to the plov", chromedp.ScrollIntoView(need, chromedp.ByQuery))
			b.screenshot(tab, fmt.Sprintf("coordinator-attempts-%s-%d", lang, width))
		}
		// The attempt leads to its run's card.
		var focused string
		b.run(tab, "follow the short drop to its run", choose("#lang", "en"),
			press(need+` .attempts li.short a`),
			chromedp.WaitVisible(`#runs article.run.highlight[data-name="runs/morning"]`, chromedp.ByQuery),
			chromedp.Evaluate(`document.activeElement.dataset.name`, &focused))
		if focused != "runs/morning" {
			t.Errorf("following the short drop focuses %q, want runs/morning", focused)
		}
	}

	// A need nobody has carried yet shows what was asked for, and no attempts.
	var other string
	tab := b.tab(1280, 900)
	b.run(tab, "read a fresh need", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(need+` .attempts`, chromedp.ByQuery),
		text(fmt.Sprintf(`#needs li.need[data-name=%q]`, d.other), &other))
	if !strings.Contains(other, "4 kg apples") || strings.Contains(other, "still to bring") {
		t.Errorf("the apples on their first run read %q", other)
	}
}

// startAt sets a datetime-local input to t, in the browser's own time zone,
// as a person picking that moment would.
func startAt(selector string, at time.Time) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => {
		const d = new Date(%q), p = (n) => String(n).padStart(2, '0');
		const el = document.querySelector(%q);
		el.value = d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, at.Format(time.RFC3339), selector), nil)
}

func TestBrowserCoordinatorWarnsBeforeBookingADriverTwice(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.twoAttempts()
	_ = d
	// Olga's morning run is under way; Timur's night run is over.
	b := newBrowser(t, s.base)
	runs := func() int { return len(s.listAll("/v1/runs", "runs")) }
	before := runs()
	fill := func(volunteer string, at time.Time) chromedp.Action {
		return chromedp.Tasks{
			choose(`.new-run [data-field="volunteer"]`, volunteer),
			choose(`.new-run [data-field="depot"]`, "depots/bazaar"),
			startAt(`.new-run [data-field="planned_start_time"]`, at),
		}
	}
	soon := s.clock.Now().Add(20 * time.Minute)
	warn := map[string]string{"en": "Olga Kim is already on a run at that time", "ru": "Olga Kim в это время уже в рейсе", "kk": "Olga Kim бұл уақытта басқа рейсте"}
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
			chromedp.WaitVisible(`.new-run button[type=submit]`, chromedp.ByQuery))
		for _, lang := range inLanguages {
			var says, run string
			b.run(tab, "plan Olga again in "+lang, choose("#lang", lang), chromedp.WaitVisible(`.new-run button[type=submit]`, chromedp.ByQuery),
				fill("volunteers/olga", soon), press(`.new-run button[type=submit]`),
				chromedp.WaitVisible(`.new-run .busy-warning [data-action=plan-anyway]`, chromedp.ByQuery),
				text(`.new-run .busy-warning strong`, &says), attr(`.new-run .busy-warning li`, "data-run", &run),
				chromedp.ScrollIntoView(`.new-run .busy-warning`, chromedp.ByQuery))
			if says != warn[lang] || run != "runs/morning" {
				t.Errorf("%s at %d px: the warning reads %q about %q, want %q about runs/morning", lang, width, says, run, warn[lang])
			}
			b.screenshot(tab, fmt.Sprintf("coordinator-busy-%s-%d", lang, width))
			if n := runs(); n != before {
				t.Fatalf("the warning planned a run: %d runs, want %d", n, before)
			}
			b.run(tab, "change my mind", press(`.new-run [data-action=change-run]`),
				chromedp.WaitNotPresent(`.new-run .busy-warning [data-action]`, chromedp.ByQuery))
		}
		b.run(tab, "back to English", choose("#lang", "en"))
	}

	tab := b.tab(1280, 900)
	b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
		chromedp.WaitVisible(`.new-run button[type=submit]`, chromedp.ByQuery))
	// Timur is free: his run is planned at once.
	b.run(tab, "plan Timur", fill("volunteers/timur", soon), press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`.new-run .notice`, chromedp.ByQuery))
	if n := runs(); n != before+1 {
		t.Fatalf("planning a free driver left %d runs, want %d", n, before+1)
	}
	// Olga in the evening, long after her run: no warning either.
	b.run(tab, "plan Olga in the evening", fill("volunteers/olga", s.clock.Now().Add(8*time.Hour)), press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`#runs article.run.PLANNED[data-name]`, chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelectorAll('#runs article.run').length === %d`, before+2), nil))
	// Olga now, confirmed: the run is planned only after "Plan anyway".
	var notice string
	b.run(tab, "plan Olga anyway", fill("volunteers/olga", soon), press(`.new-run button[type=submit]`),
		chromedp.WaitVisible(`.new-run [data-action=plan-anyway]`, chromedp.ByQuery))
	if n := runs(); n != before+2 {
		t.Fatalf("before confirming there are %d runs, want %d", n, before+2)
	}
	b.run(tab, "confirm", press(`.new-run [data-action=plan-anyway]`),
		chromedp.WaitNotPresent(`.new-run [data-action=plan-anyway]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.new-run .notice`, chromedp.ByQuery), text(`.new-run .notice`, &notice))
	if n := runs(); n != before+3 || notice != "Run planned." {
		t.Errorf("after confirming: %d runs (want %d), notice %q", n, before+3, notice)
	}
}
