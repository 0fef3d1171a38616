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

func TestBrowserCoordinatorActivityReadsAsSentences(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	d := s.twoAttempts()
	b := newBrowser(t, s.base)
	short := `#activity li[data-resource="runs/morning"][data-kind=DELIVERED]`
	failed := `#activity li[data-resource="runs/night"][data-kind=FAILED]`
	assigned := `#activity li[data-resource="runs/morning"][data-kind=ASSIGNED]`
	want := map[string]struct{ short, failed, flag, assigned string }{
		"en": {"Olga Kim delivered 7 of 13 portions of plov to ICU, City Hospital No. 7, received by Nurse Saule",
			"Timur Akhmetov could not deliver to ICU, City Hospital No. 7: " + d.reason, "⚠ Problem",
			"2 needs added to the run of Olga Kim"},
		"ru": {"Olga Kim — доставка в отделение «ICU» (City Hospital No. 7): plov — 7 порций из 13; принял(а): Nurse Saule",
			"Timur Akhmetov — не удалось доставить в отделение «ICU» (City Hospital No. 7): " + d.reason, "⚠ Проблема",
			"2 заявки добавлены в рейс (водитель Olga Kim)"},
		"kk": {"Olga Kim «ICU» бөлімшесіне (City Hospital No. 7) жеткізді: plov — 13 порция ішінен 7 порция; қабылдаған: Nurse Saule",
			"Timur Akhmetov «ICU» бөлімшесіне (City Hospital No. 7) жеткізе алмады: " + d.reason, "⚠ Мәселе",
			"Рейске (жүргізуші Olga Kim) 2 өтінім қосылды"},
	}
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(s.issue(supply.RoleCoordinator, "", "")),
			chromedp.WaitVisible(short, chromedp.ByQuery))
		for _, lang := range inLanguages {
			var shortText, failedText, flag, shortLi, assignedText string
			var needSteps int
			b.run(tab, "in "+lang, choose("#lang", lang), chromedp.WaitVisible(short, chromedp.ByQuery),
				text(short+` .sentence`, &shortText), text(short, &shortLi), text(failed+` .sentence`, &failedText), text(failed+` .flag`, &flag), text(assigned+` .sentence`, &assignedText),
				chromedp.Evaluate(`document.querySelectorAll('#activity li[data-resource^="deliveryRequests/"]:is([data-kind=DELIVERED], [data-kind=FAILED])').length`, &needSteps),
				chromedp.ScrollIntoView(`#activity`, chromedp.ByQuery))
			w := want[lang]
			if shortText != w.short {
				t.Errorf("%s at %d px: the short drop reads\n%q, want\n%q", lang, width, shortText, w.short)
			}
			if failedText != w.failed || flag != w.flag {
				t.Errorf("%s at %d px: the failed drop reads %q flagged %q, want %q flagged %q", lang, width, failedText, flag, w.failed, w.flag)
			}
			if assignedText != w.assigned {
				t.Errorf("%s at %d px: the assignment reads %q, want %q", lang, width, assignedText, w.assigned)
			}
			// The driver's own step names the driver; the token is not repeated.
			if strings.Contains(shortLi, " — Test") {
				t.Errorf("%s: the drop names its token too: %q", lang, shortLi)
			}
			// A need's share of a drop is told by the drop's own sentence.
			if needSteps != 0 {
				t.Errorf("%s: %d needs' drop events shown beside the runs'", lang, needSteps)
			}
			b.screenshot(tab, fmt.Sprintf("coordinator-activity-%s-%d", lang, width))
		}
		b.run(tab, "back to English", choose("#lang", "en"))
	}

	// What a sentence names leads to it: the driver to the run's card, the
	// goods to the need.
	tab := b.tab(1280, 900)
	var focused string
	b.run(tab, "follow the failed drop's driver", signIn(s.issue(supply.RoleCoordinator, "", "")),
		press(failed+` .sentence a`),
		chromedp.WaitVisible(`#runs article.run.highlight[data-name="runs/night"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.dataset.name`, &focused))
	if focused != "runs/night" {
		t.Errorf("the failed drop's driver leads to %q, want runs/night", focused)
	}
	b.run(tab, "follow the plov", press(short+` .sentence span a`),
		chromedp.WaitVisible(fmt.Sprintf(`li.need.highlight[data-name=%q]`, d.plov), chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.dataset.name`, &focused))
	if focused != d.plov {
		t.Errorf("the plov in the sentence leads to %q, want %s", focused, d.plov)
	}

	// Live: a run called off and a need withdrawn are told as they happen,
	// marked as problems.
	s.plan("spare", "timur")
	s.mustREST(200, "POST", "/v1/runs/spare:cancel", object{"reason": "car broke down"})
	cancelled := `#activity li.problem[data-resource="runs/spare"][data-kind=CANCELLED]`
	var runText string
	b.run(tab, "see the run called off", chromedp.WaitVisible(cancelled+` .flag`, chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelector(%q).textContent.startsWith('Run of')`, cancelled+` .sentence`), nil),
		text(cancelled+` .sentence`, &runText))
	if runText != "Run of Timur Akhmetov cancelled: car broke down" {
		t.Errorf("the cancelled run reads %q", runText)
	}
	need := s.need("hospitals/gkb-7/wards/surgery")
	need["lines"] = []any{object{"category": "JUICE", "description": "apple juice", "quantity": 1, "unit": "LITER"}, object{"category": "OTHER", "description": "napkins", "quantity": 1, "unit": "BOX"}}
	juice := s.mustREST(200, "POST", "/v1/deliveryRequests", need)["name"].(string)
	filed := fmt.Sprintf(`#activity li[data-resource=%q][data-kind=CREATED] .sentence`, juice)
	var filedText, withdrawnText string
	b.run(tab, "see the need filed", chromedp.WaitVisible(fmt.Sprintf(`li.need[data-name=%q]`, juice), chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelector(%q)?.textContent.startsWith('New need')`, filed), nil),
		text(filed, &filedText))
	if filedText != "New need at Surgery, City Hospital No. 7: 1 l of apple juice and 1 box of napkins" {
		t.Errorf("the new need reads %q", filedText)
	}
	for _, l := range []struct{ lang, filed string }{
		{"ru", "Новая заявка, отделение «Surgery» (City Hospital No. 7): apple juice — 1 л и napkins — 1 коробка"},
		{"kk", "Жаңа өтінім, «Surgery» бөлімшесі (City Hospital No. 7): 1 л apple juice және 1 қорап napkins"},
		{"en", "New need at Surgery, City Hospital No. 7: 1 l of apple juice and 1 box of napkins"},
	} {
		b.run(tab, "the new need in "+l.lang, choose("#lang", l.lang), chromedp.WaitVisible(filed, chromedp.ByQuery), text(filed, &filedText))
		if filedText != l.filed {
			t.Errorf("in %s the new need reads %q, want %q", l.lang, filedText, l.filed)
		}
	}
	s.mustREST(200, "POST", "/v1/"+juice+":cancel", object{"reason": "brought by relatives"})
	withdrawn := fmt.Sprintf(`#activity li.problem[data-resource=%q][data-kind=CANCELLED] .sentence`, juice)
	b.run(tab, "see the need withdrawn", chromedp.WaitVisible(withdrawn, chromedp.ByQuery), text(withdrawn, &withdrawnText))
	if withdrawnText != "Need at Surgery, City Hospital No. 7 cancelled" {
		t.Errorf("the withdrawn need, no longer on the board, reads %q", withdrawnText)
	}
}
