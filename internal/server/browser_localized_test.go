package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/supply"
)

// refusedAt is what a form shows after the server refused it: the text at
// a field, the form's summary, and how often the field's text appears in
// the whole form.
type refusedAt struct {
	Field, Summary string
	Times          int
}

// submit clears what the form says and sends it.
func submit(form string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll('%s .field-error, %s .form-error').forEach((x) => { x.textContent = ''; })`, form, form), nil),
		press(form + ` button[type=submit]`),
	}
}

// refused reads a refusal in the form matching form, at the field whose
// API path is path.
func refused(form, path string, into *refusedAt) chromedp.Action {
	slot := fmt.Sprintf(`%s [data-error-for=%q]`, form, path)
	return chromedp.Tasks{
		chromedp.WaitVisible(slot+`:not(:empty)`, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`(() => {
			const form = document.querySelector(%q);
			const field = form.querySelector(%q).textContent;
			return { Field: field, Summary: form.querySelector('.form-error').textContent,
				Times: field ? form.textContent.split(field).length - 1 : 0 };
		})()`, form, fmt.Sprintf(`[data-error-for=%q]`, path)), into),
	}
}

// localized is a language of the app and what a field says in it.
type localized struct{ lang, want string }

// inputsLang is the language of the page and of its date and time inputs,
// which follow it where the browser can.
func inputsLang(into *[]string) chromedp.Action {
	return chromedp.Evaluate(`[document.documentElement.lang,
		...[...document.querySelectorAll('input[type=datetime-local]')].map((x) => x.closest('[lang]').lang)]`, into)
}

func TestBrowserLocalizedErrorsOnTheStaffForm(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	staff := d.issue(supply.RoleStaff, "gkb-7", "")
	b := newBrowser(t, d.base)
	form := `section[aria-labelledby=need-h] form`
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as staff", signIn(staff), chromedp.WaitVisible(form, chromedp.ByQuery))
		for _, c := range []localized{
			{"en", "quantity must be greater than 0 (line 1)"},
			{"ru", "Количество должно быть больше 0 (позиция 1)"},
			{"kk", "Мөлшері 0-ден көп болуы керек (1-позиция)"},
		} {
			var got refusedAt
			var langs []string
			b.run(tab, "file a line of nothing in "+c.lang, choose("#lang", c.lang),
				choose(form+` input[data-field="lines[0].quantity"]`, "0"), submit(form),
				refused(form, "lines[0].quantity", &got), inputsLang(&langs))
			if want := (refusedAt{Field: c.want, Times: 1}); got != want {
				t.Errorf("%d px, %s: the refused need shows %+v, want %+v", width, c.lang, got, want)
			}
			if strings.Join(langs, " ") != strings.TrimSpace(strings.Repeat(c.lang+" ", 3)) {
				t.Errorf("%d px, %s: the page and its two time inputs are in %v", width, c.lang, langs)
			}
			b.screenshot(tab, fmt.Sprintf("localized-staff-%s-%d", c.lang, width))
		}
	}
}

func TestBrowserLocalizedErrorsOnTheBoard(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	// A drop, so the chart has a bar to label.
	d.mustREST(200, "POST", "/v1/runs/evening:start", object{})
	run := d.mustREST(200, "GET", "/v1/runs/evening", nil)
	first := run["stops"].([]any)[0].(object)
	d.mustREST(200, "POST", "/v1/"+first["name"].(string)+":deliver", object{"receivedBy": "Nurse Aliya", "lines": []any{
		object{"deliveryRequest": first["deliveryRequests"].([]any)[0], "line": 0, "quantity": 12.5},
	}})
	coordinator := d.issue(supply.RoleCoordinator, "", "")
	b := newBrowser(t, d.base)
	form := `form.new-run`
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as coordinator", signIn(coordinator), chromedp.WaitVisible(form, chromedp.ByQuery))
		for _, c := range []struct {
			localized
			max string
		}{
			{localized{"en", "planned_start_time must be within 30 days"}, "kg · max 12"},
			{localized{"ru", "Время выезда — не дальше чем через 30 дней"}, "кг · макс. 12"},
			{localized{"kk", "Шығу уақыты 30 күн ішінде болуы керек"}, "кг · ең көбі 12"},
		} {
			// The browser's clock is today's, the server's months before:
			// the run the form offers leaves too late for the server.
			var got refusedAt
			var langs, chart []string
			b.run(tab, "plan a run too far ahead in "+c.lang, choose("#lang", c.lang),
				choose(form+` select[data-field=volunteer]`, "volunteers/olga"), choose(form+` select[data-field=depot]`, "depots/bazaar"),
				submit(form), refused(form, "planned_start_time", &got), inputsLang(&langs),
				chromedp.Evaluate(`[...document.querySelectorAll('.chart svg text')].map((x) => x.textContent)`, &chart))
			if want := (refusedAt{Field: c.want, Times: 1}); got != want {
				t.Errorf("%d px, %s: the refused run shows %+v, want %+v", width, c.lang, got, want)
			}
			// The page, the run's start and the donation's time received.
			if strings.Join(langs, " ") != strings.TrimSpace(strings.Repeat(c.lang+" ", 3)) {
				t.Errorf("%d px, %s: the page and its two time inputs are in %v", width, c.lang, langs)
			}
			// (Chromium lacks Kazakh number formats: 12.5 may read 12,5 or 12.5.)
			if len(chart) < 2 || !strings.HasPrefix(chart[1], c.max) {
				t.Errorf("%d px, %s: the chart reads %q, want the second label to start %q", width, c.lang, chart, c.max)
			}
			b.screenshot(tab, fmt.Sprintf("localized-board-%s-%d", c.lang, width))
		}
	}
}

func TestBrowserLocalizedErrorsOnTheDriversDrop(t *testing.T) {
	t.Parallel()
	d := newDriverRun(t)
	b := newBrowser(t, d.base)
	form := fmt.Sprintf(`li.stop[data-stop=%q] form.deliver`, d.stops[0])
	for _, width := range []int64{390, 1280} {
		tab := b.tab(width, 900)
		b.run(tab, "sign in as the driver", signIn(d.token))
		if width == 390 {
			b.run(tab, "start the run", press(`button[data-action=start]`))
		}
		b.run(tab, "see the first stop", chromedp.WaitVisible(form, chromedp.ByQuery))
		for _, c := range []localized{
			{"en", "received_by is required"},
			{"ru", "Заполните поле «Кто принял»"},
			{"kk", "«Кім қабылдады» өрісін толтырыңыз"},
		} {
			var got refusedAt
			b.run(tab, "hand over to no one in "+c.lang, choose("#lang", c.lang),
				choose(form+` input[data-field=received_by]`, ""), submit(form), refused(form, "received_by", &got))
			if want := (refusedAt{Field: c.want, Times: 1}); got != want {
				t.Errorf("%d px, %s: who received it shows %+v, want %+v", width, c.lang, got, want)
			}
			b.screenshot(tab, fmt.Sprintf("localized-driver-%s-%d", c.lang, width))
		}
	}
}
