// The board's stock panel: what each depot holds on hand, and against the
// open needs what can be delivered now from stock and what must still be
// bought, per depot and in all. Goods meet a need by category and unit, as
// the server matches them; units are never converted. Lots near their
// best-before are told in words and with a mark, each with a write-off.
import { h, replace, field, showErrors, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, cityDay, fmtDay, quantityText, enumOptions } from './i18n.js';

// Runs that have not left yet: the depot still holds what they will take.
const NOT_STARTED = ['PLANNED', 'DISPATCHED'];
// A lot to use within this many days of today is warned of.
const SOON_DAYS = 2;
const CATEGORY_ORDER = enumOptions('category').map(([v]) => v);

// Quantities are sums of decimals; a millionth is below anything weighed.
const round = (x) => Math.round(x * 1e6) / 1e6;
const keyOf = (category, unit) => `${category}/${unit}`;

// sum adds quantities kind by kind.
function sum(maps) {
  const out = new Map();
  for (const m of maps) for (const [k, v] of m) out.set(k, round((out.get(k) || 0) + v));
  return out;
}

// waitingOf sums what the open needs still wait for, by category and unit.
function waitingOf(requests) {
  const need = new Map();
  for (const r of requests) {
    for (const l of r.lines || []) {
      const q = round(l.quantity - (l.deliveredQuantity || 0) - (l.scheduledQuantity || 0));
      if (q > 0) need.set(keyOf(l.category, l.unit), round((need.get(keyOf(l.category, l.unit)) || 0) + q));
    }
  }
  return need;
}

// daysLeft is how many days from today (in the city) a best-before date
// is: negative once it has passed.
function daysLeft(bestBefore, today) {
  if (!bestBefore?.year) return Infinity;
  const [y, m, d] = today.split('-').map(Number);
  return Math.round((Date.UTC(bestBefore.year, bestBefore.month - 1, bestBefore.day) - Date.UTC(y, m - 1, d)) / 86400000);
}

// stockPanel draws into the board's stock section from board state s (its
// depots, open needs, runs and the requests they carry); changed is called
// once a lot is written off.
export function stockPanel(s, { depotName, changed }) {
  const p = { lots: new Map(), writingOff: '', draft: { quantity: '', reason: '' }, requestId: '' };
  let slot = null;
  let shown = '';

  function section() {
    slot = h('div', { id: 'stock' });
    shown = '';
    if (s.summary) draw();
    return h('section', { class: 'stock', 'aria-labelledby': 'stock-h' }, h('h2', { id: 'stock-h' }, t('stockTitle')), slot);
  }

  const depots = () => [...s.depots.values()].filter((d) => !d.archived);

  async function refresh() {
    const list = depots();
    const lots = await Promise.all(list.map((d) => (d.noStock ? [] : api.listAll(`/v1/${d.name}/lots`, 'lots', { onHandOnly: true }))));
    p.lots = new Map(list.map((d, i) => [d.name, lots[i]]));
    const now = JSON.stringify([[...p.lots], s.open, s.runs.map((r) => [r.name, r.state, r.depot, (r.stops || []).map((x) => x.deliveryRequests)]), list.map((d) => [d.name, d.noStock]),
      cityDay(new Date(Date.parse(s.summary.computeTime)))]);
    if (now === shown) return;
    shown = now;
    draw();
  }

  // reserved is what the depot's runs not yet set off will take from it,
  // by category and unit: on hand, but not free for other needs.
  function reserved(depot) {
    const taken = new Map();
    for (const run of s.runs) {
      if (run.depot !== depot || !NOT_STARTED.includes(run.state)) continue;
      for (const stop of run.stops || []) {
        for (const name of stop.deliveryRequests || []) {
          for (const l of s.carried.get(name)?.lines || []) {
            const q = round(l.quantity - (l.deliveredQuantity || 0));
            if (q > 0) taken.set(keyOf(l.category, l.unit), round((taken.get(keyOf(l.category, l.unit)) || 0) + q));
          }
        }
      }
    }
    return taken;
  }

  function onHand(lots) {
    const held = new Map();
    for (const l of lots) held.set(keyOf(l.category, l.unit), round((held.get(keyOf(l.category, l.unit)) || 0) + l.quantityOnHand));
    return held;
  }

  function draw() {
    if (!slot) return;
    const open = waitingOf(s.open);
    const today = cityDay(new Date(Date.parse(s.summary.computeTime)));
    // What the depots hold and what their runs not yet set off will take:
    // those runs' needs are waiting too, and are met from their depot.
    const perDepot = depots().map((d) => (d.noStock ? { depot: d }
      : { depot: d, held: onHand(p.lots.get(d.name) || []), planned: reserved(d.name) }));
    const stocked = perDepot.filter((x) => x.held);
    const held = sum(stocked.map((x) => x.held));
    const planned = sum(stocked.map((x) => x.planned));
    const byOrder = (a, b) => CATEGORY_ORDER.indexOf(a.split('/')[0]) - CATEGORY_ORDER.indexOf(b.split('/')[0]) || a.localeCompare(b);
    const keys = [...new Set([...open.keys(), ...planned.keys()])].sort(byOrder);
    replace(slot,
      h('article', { class: 'depot-stock all', 'data-depot': 'all' },
        h('h3', {}, t('stockInAll')),
        match(keys, sum([open, planned]), held, planned)),
      perDepot.map((x) => h('article', { class: 'depot-stock', 'data-depot': x.depot.name },
        h('h3', {}, depotName(x.depot.name)),
        x.depot.noStock ? h('p', { class: 'to-order' }, t('toOrder')) : depotMatch(x, open, today, byOrder))));
  }

  // depotMatch is a depot's lots and, for the kinds it holds or its runs
  // need, what it can deliver now of the open needs and its runs' needs.
  function depotMatch({ depot, held, planned }, open, today, byOrder) {
    const lots = p.lots.get(depot.name) || [];
    const keys = [...new Set([...held.keys(), ...planned.keys()])].filter((k) => open.has(k) || planned.has(k)).sort(byOrder);
    const other = [...open.keys()].some((k) => !keys.includes(k));
    return [
      lotList(lots, today),
      keys.length ? [h('h4', {}, t('againstNeeds')), match(keys, sum([open, planned]), held, planned)] : null,
      lots.length && other ? h('p', { class: 'muted' }, t(keys.length ? 'holdsNoneElse' : 'holdsNone')) : null,
    ];
  }

  // match says, kind by kind, what is needed (the open needs and runs not
  // yet set off), what of it stock on hand meets now and what must still
  // be bought.
  function match(keys, need, held, planned) {
    if (!keys.length) return h('p', { class: 'empty' }, t('noWaiting'));
    return h('ul', { class: 'match' }, keys.map((key) => {
      const [category, unit] = key.split('/');
      const now = Math.min(held.get(key) || 0, need.get(key));
      const buy = round(need.get(key) - now);
      const onRuns = planned.get(key) || 0;
      return h('li', { 'data-key': key, class: buy > 0 ? 'short' : 'covered' },
        h('strong', {}, t('kindNeeded', { what: t(category), q: quantityText(need.get(key), unit) })),
        onRuns > 0 ? h('span', { class: 'on-runs muted' }, t('ofItOnRuns', { q: quantityText(onRuns, unit) })) : null,
        h('span', { class: 'now' }, h('span', { 'aria-hidden': 'true' }, '✓ '), t('canDeliverNow', { q: quantityText(now, unit) })),
        buy > 0 ? h('span', { class: 'buy' }, h('span', { 'aria-hidden': 'true' }, '✗ '), t('mustBuy', { q: quantityText(buy, unit) })) : null);
    }));
  }

  // lotList groups the lots by kind, description and unit, each group with
  // its lots earliest best-before first, as the server lists them.
  function lotList(lots, today) {
    if (!lots.length) return h('p', { class: 'empty' }, t('nothingOnHand'));
    const groups = new Map();
    for (const l of lots) {
      const key = `${l.category}/${l.description.toLowerCase()}/${l.unit}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(l);
    }
    return h('ul', { class: 'lot-groups' }, [...groups.values()].map((group) => {
      const first = group[0];
      const total = round(group.reduce((sum, l) => sum + l.quantityOnHand, 0));
      return h('li', { class: 'lot-group' },
        h('p', { class: 'kind' }, h('strong', {}, first.description || t(first.category)), ' ',
          h('span', { class: 'muted' }, `${t(first.category)} · `), t('onHandQ', { q: quantityText(total, first.unit) })),
        h('ul', { class: 'lots' }, group.map((l) => lotItem(l, today))));
    }));
  }

  function lotItem(l, today) {
    const days = daysLeft(l.bestBefore, today);
    const near = days <= SOON_DAYS;
    const warning = !near ? null : days < 0 ? t('expired')
      : days === 0 ? t('expiresToday') : t('expiresIn', { n: days });
    const label = `${quantityText(l.quantityOnHand, l.unit)} ${l.description || t(l.category)}`;
    return h('li', { class: `lot ${near ? (days < 0 ? 'expired' : 'near') : ''}`, 'data-lot': l.name },
      h('span', { class: 'q' }, quantityText(l.quantityOnHand, l.unit)),
      l.bestBefore?.year ? h('span', { class: 'muted' }, ` · ${t('bestBefore', { day: fmtDay(l.bestBefore) })}`) : null,
      warning ? h('span', { class: 'expiry' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), warning) : null,
      p.writingOff === l.name ? writeOffForm(l) : h('button', { type: 'button', class: near ? 'small danger' : 'small secondary', 'data-action': 'write-off',
        'aria-label': t('writeOffLabel', { what: label }), onclick: () => open(l) }, t('writeOff')));
  }

  function open(l) {
    p.writingOff = l.name;
    p.draft = { quantity: String(l.quantityOnHand), reason: '' };
    p.requestId = api.uuid();
    draw();
    slot.querySelector(`[data-lot="${CSS.escape(l.name)}"] input[data-field=reason]`)?.focus();
  }

  function writeOffForm(l) {
    const quantity = h('input', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', value: p.draft.quantity, oninput: (e) => { p.draft.quantity = e.target.value; } });
    const reason = h('input', { type: 'text', autocomplete: 'off', value: p.draft.reason, oninput: (e) => { p.draft.reason = e.target.value; } });
    const form = h('form', { class: 'write-off', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        await api.post(`/v1/${l.name}:writeOff`, { quantity: p.draft.quantity === '' ? 0 : Number(p.draft.quantity), reason: p.draft.reason,
          etag: l.etag, requestId: p.requestId });
        p.writingOff = '';
        await changed();
      } catch (err) {
        // Refused: a corrected write-off is a new one.
        if (err instanceof api.ApiError && err.status < 500) p.requestId = api.uuid();
        button.disabled = false;
        showErrors(form, err);
      }
    } },
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'row' }, field(t('writeOffQuantity', { unit: quantityText(l.quantityOnHand, l.unit) }), quantity, 'quantity'),
      field(t('writeOffReason'), reason, 'reason')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger' }, t('confirmWriteOff')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { p.writingOff = ''; draw(); } }, t('back'))));
    return form;
  }

  return { section, refresh };
}
