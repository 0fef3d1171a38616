package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/aqjurek/tracker/internal/server"
	"github.com/aqjurek/tracker/internal/supply"
)

// reachAndRead is run in the page: it measures every control a person
// taps and every piece of text they read, and returns what falls short of
// WCAG: a target smaller than 44×44 px (a checkbox counts with its label,
// which taps it too), text below 4.5:1 against what is behind it (3:1 for
// large text), and a focus ring that is missing or below 3:1 against the
// background around its control. Colours are composed as the page paints
// them: backgrounds from the page down, and an ancestor's opacity over
// what lies beneath it.
const reachAndRead = `(() => {
  const problems = [];
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const mix = (c, under, o) => [0, 1, 2].map((i) => c[i] * o + under[i] * (1 - o)).concat(1);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const styles = new Map();
  const style = (el) => { if (!styles.has(el)) styles.set(el, getComputedStyle(el)); return styles.get(el); };
  // backdrop is what is painted inside el before its content: the
  // backgrounds from the page down, with the opacity layers entered on
  // the way ([what was beneath, opacity]); null under an image.
  const backdrops = new Map();
  const backdrop = (el) => {
    if (backdrops.has(el)) return backdrops.get(el);
    const parent = el.parentElement ? backdrop(el.parentElement) : { bg: [255, 255, 255, 1], layers: [] };
    let got = parent;
    if (parent && !(el instanceof SVGElement)) {
      const cs = style(el);
      const o = Number(cs.opacity);
      const layers = o < 1 ? parent.layers.concat([[parent.bg, o]]) : parent.layers;
      got = cs.backgroundImage !== 'none' ? null : { bg: over(parse(cs.backgroundColor), parent.bg), layers };
    }
    backdrops.set(el, got);
    return got;
  };
  // paint is what a colour fg (or the background alone) looks like
  // painted inside el, over every background and opacity above it.
  const paint = (el, fg, under) => {
    const d = backdrop(el);
    if (!d) return null;
    let back = under ? over(under, d.bg) : d.bg;
    let text = fg ? over(fg, back) : back;
    for (const [beneath, o] of [...d.layers].reverse()) { text = mix(text, beneath, o); back = mix(back, beneath, o); }
    return { text, back };
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && r.right > 0 && cs.visibility !== 'hidden' && el.closest('[hidden]') === null;
  };
  const name = (el) => {
    const what = (el.getAttribute('aria-label') || el.textContent || el.value || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
      (el.type && el.tagName === 'INPUT' ? '[' + el.type + ']' : '') + ' "' + what + '"';
  };
  const seen = new Set();
  const report = (p) => { if (!seen.has(p)) { seen.add(p); problems.push(p); } };

  // Targets.
  const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')].filter(visible);
  for (const el of controls) {
    let r = el.getBoundingClientRect();
    let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    if (el.labels && (el.type === 'checkbox' || el.type === 'radio')) {
      for (const l of el.labels) {
        const q = l.getBoundingClientRect();
        box = { left: Math.min(box.left, q.left), top: Math.min(box.top, q.top), right: Math.max(box.right, q.right), bottom: Math.max(box.bottom, q.bottom) };
      }
    }
    const [w, h] = [box.right - box.left, box.bottom - box.top];
    if (w < 43.5 || h < 43.5) report('target ' + name(el) + ': ' + w.toFixed(0) + '×' + h.toFixed(0) + ' px');
  }

  // Text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const check = (el, color) => {
    if (el.closest(':disabled, option, title, [hidden]') || !visible(el)) return;
    const cs = style(el);
    // SVG text stands on the shape drawn before it under its middle, or
    // on the picture's background.
    let under = null;
    if (el instanceof SVGGraphicsElement && el.ownerSVGElement) {
      const b = el.getBBox();
      const point = new DOMPoint(b.x + b.width / 2, b.y + b.height / 2);
      for (const shape of el.ownerSVGElement.querySelectorAll('circle, rect, path, polygon, ellipse')) {
        if (!(shape.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
        if (style(shape).fill !== 'none' && shape.isPointInFill(point)) under = parse(style(shape).fill);
      }
    }
    const p = paint(el, parse(color), under);
    if (!p) return;
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(p.text, p.back);
    if (got < need) report('text ' + name(el) + ': ' + got.toFixed(2) + ':1, needs ' + need + ':1 (' + color + ' on rgb(' + p.back.slice(0, 3).map(Math.round).join(',') + '))');
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    check(el, el instanceof SVGElement ? style(el).fill : style(el).color);
  }
  for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, textarea')) {
    check(el, style(el).color);
  }

  // Focus rings: drawn outside the control, so they stand against what
  // is around it.
  const had = document.activeElement;
  const kinds = new Set();
  for (const el of controls) {
    const around = paint(el.parentElement || el, null);
    if (!around) continue;
    const kind = el.tagName + el.className + el.type + around.back.join();
    if (kinds.has(kind)) continue;
    kinds.add(kind);
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    const cs = getComputedStyle(el);
    const width = parseFloat(cs.outlineWidth);
    if (cs.outlineStyle === 'none' || width < 2) { report('focus ' + name(el) + ': no ring (' + cs.outlineStyle + ' ' + cs.outlineWidth + ')'); continue; }
    const got = ratio(over(parse(cs.outlineColor), around.back), around.back);
    if (got < 3) report('focus ' + name(el) + ': ring ' + got.toFixed(2) + ':1, needs 3:1 (' + cs.outlineColor + ' on rgb(' + around.back.slice(0, 3).map(Math.round).join(',') + '))');
  }
  if (had && had.focus) had.focus({ preventScroll: true }); else document.activeElement.blur();
  return problems;
})()`

func TestBrowserStateReachAndReadOnEveryPage(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *server.Config) { c.Demo, c.Now = true, time.Now })
	// Money to spend and a lot near its best-before, for the board's stock
	// panel and ledger.
	tomorrow := time.Now().In(supply.City).AddDate(0, 0, 1)
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Aliya Nurlanovna", "publicNaming": true},
		"money": object{"amount": object{"currencyCode": "KZT", "units": "50000"}, "channel": "KASPI_GOLD"}})
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Market row 3"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{object{"category": "VEGETABLES", "description": "carrots", "quantity": 5,
			"unit": "KILOGRAM", "bestBefore": object{"year": tomorrow.Year(), "month": int(tomorrow.Month()), "day": tomorrow.Day()}}}}})

	type view struct {
		name  string
		token string
		ready string
		then  []chromedp.Action
	}
	views := []view{
		{"sign-in", "", "#token", nil},
		{"public", "", "#token", []chromedp.Action{
			chromedp.Navigate(s.base + "/public"), chromedp.WaitVisible(`#totals, main .form-error`, chromedp.ByQuery),
		}},
		{"board", s.issue(supply.RoleCoordinator, "", ""), `#needs .need`, nil},
		{"board-forms", s.issue(supply.RoleCoordinator, "", ""), `#needs .need`, []chromedp.Action{
			press(`article.run.PLANNED [data-action=cancel]`), chromedp.WaitVisible(`form.cancel-run`, chromedp.ByQuery),
			press(`li.need input[type=checkbox]`),
		}},
		{"plan", s.issue(supply.RoleCoordinator, "", ""), `#needs .need`, []chromedp.Action{
			press(`[data-action=plan-day]`), chromedp.WaitVisible(`.plan .plan-run, .plan .empty, .plan .form-error`, chromedp.ByQuery),
		}},
		{"board-stock", s.issue(supply.RoleCoordinator, "", ""), `li.lot.near`, []chromedp.Action{
			press(`li.lot.near [data-action=write-off]`), chromedp.WaitVisible(`form.write-off`, chromedp.ByQuery),
			press(`li.donation [data-action=reverse]`), chromedp.WaitVisible(`form.reverse`, chromedp.ByQuery),
			choose(`form.purchase select:not([data-field])`, "other"), chromedp.WaitVisible(`form.purchase input[maxlength="3"]`, chromedp.ByQuery),
			choose(`form.donation [data-field=gift]`, "GOODS"), chromedp.WaitVisible(`form.donation [data-field="goods.depot"]`, chromedp.ByQuery),
		}},
		{"staff", s.issue(supply.RoleStaff, "gkb-7", ""), `#requests .request-card`, []chromedp.Action{
			press(`[data-action=cancel]`), chromedp.WaitVisible(`.request-card form.reason`, chromedp.ByQuery),
		}},
		{"staff-edit", s.issue(supply.RoleStaff, "gkb-1", ""), `#requests .request-card`, []chromedp.Action{
			press(`[data-action=edit]`), press(`main form button.secondary`), chromedp.WaitVisible(`fieldset[data-line="1"]`, chromedp.ByQuery),
		}},
		{"driver-dispatched", s.issue(supply.RoleDriver, "", "timur"), `.pick-list`, nil},
		{"driver-under-way", s.issue(supply.RoleDriver, "", "yerlan"), `li.stop.current`, []chromedp.Action{
			chromedp.Evaluate(`document.querySelectorAll('li.stop.done details').forEach((d) => { d.open = true; })`, nil),
			press(`li.stop.current [data-action=fail]`), chromedp.WaitVisible(`li.stop.current form.reason`, chromedp.ByQuery),
		}},
	}
	for _, v := range views {
		// One page at a time: each is a browser of its own, closed when
		// its page is measured.
		t.Run(v.name, func(t *testing.T) {
			b := newBrowser(t, s.base)
			tab := b.tab(390, 900)
			// A page in a headless browser has no focus of its own, and
			// without it no control shows its focus ring.
			b.run(tab, "give the page focus", emulation.SetFocusEmulationEnabled(true))
			if v.token != "" {
				b.run(tab, "sign in for "+v.name, signIn(v.token))
			}
			b.run(tab, "open "+v.name, append([]chromedp.Action{chromedp.WaitVisible(v.ready, chromedp.ByQuery)}, v.then...)...)
			for _, lang := range []string{"en", "ru", "kk"} {
				var problems []string
				b.run(tab, "measure "+v.name+" in "+lang, choose("#lang", lang), chromedp.Sleep(100*time.Millisecond),
					chromedp.Evaluate(reachAndRead, &problems))
				if len(problems) > 0 {
					t.Errorf("%s in %s at 390 px:\n  %s", v.name, lang, strings.Join(problems, "\n  "))
				}
				if lang == "en" {
					b.screenshot(tab, fmt.Sprintf("state16-reach-%s-%s-390", v.name, lang))
				}
			}
		})
	}
}
