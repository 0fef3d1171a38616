// The driver's page, phone-sized with big buttons: before leaving, what to
// load and in which order; then the run, its stops in order with where to
// go and whom to ask, start, deliver, fail, finish.
// Deliveries go through api.once, so a retry after a lost connection
// reuses the request id and is never counted twice.
import { h, replace, field, showErrors, reasonForm } from './dom.js';
import * as api from './api.js';
import { arrival, atRisk } from './arrival.js';
import { t, fmtTime, fmtNumber, unitLabel } from './i18n.js';

// UNIT_KG is what a unit weighs, as the server counts a run's load
// (supply.unitWeightKG): the pick list's weights add up to the run's.
const UNIT_KG = { KILOGRAM: 1, LITER: 1, PORTION: 0.5, PIECE: 1, BOX: 10 };

export function driver(main, caller) {
  const s = { runs: [], places: new Map(), requests: new Map(), failing: '', errors: new Map() };
  const el = {};

  // place fetches a hospital, ward or depot once.
  async function place(name) {
    if (!s.places.has(name)) s.places.set(name, await api.get(`/v1/${name}`));
    return s.places.get(name);
  }

  let shown = '';
  async function refresh() {
    s.runs = await api.listAll('/v1/runs', 'runs', { state: ['IN_PROGRESS', 'DISPATCHED'] });
    s.runs.sort((a, b) => (a.state === 'IN_PROGRESS' ? -1 : 0) - (b.state === 'IN_PROGRESS' ? -1 : 0) || a.plannedStartTime.localeCompare(b.plannedStartTime));
    const wanted = [];
    for (const run of s.runs) {
      wanted.push(place(run.depot));
      for (const stop of run.stops || []) {
        wanted.push(place(stop.ward), place(api.hospitalOf(stop.ward)));
        // What to hand over matters at stops still to make; a request
        // dropped short or failed elsewhere has left the run, and with it
        // the driver's reach.
        if (stop.state !== 'PENDING') continue;
        for (const name of stop.deliveryRequests) wanted.push(api.get(`/v1/${name}`).then((r) => s.requests.set(name, r)));
      }
    }
    await Promise.all(wanted);
    // Redraw only on a change: a form half filled in stays as it is.
    const now = JSON.stringify([s.runs, [...s.requests]]);
    if (now === shown) return;
    shown = now;
    renderRuns();
  }

  function render() {
    el.runs = h('div', { id: 'driver-runs' });
    replace(main, h('div', { class: 'phone' }, h('h1', {}, t('yourRun')), el.runs));
    renderRuns();
  }

  function renderRuns() {
    if (!el.runs) return;
    if (!s.runs.length) { replace(el.runs, h('p', { class: 'empty' }, t('noRunForYou'))); return; }
    replace(el.runs, s.runs.map(runView));
  }

  // placeName is "Ward, Hospital" of a stop.
  function placeName(stop) {
    const ward = s.places.get(stop.ward) || {};
    const hospital = s.places.get(api.hospitalOf(stop.ward)) || {};
    return [ward.displayName || stop.ward, hospital.displayName].filter(Boolean).join(', ');
  }

  // scheduled is what is to be handed over at a stop: the scheduled
  // quantity of each line of its requests.
  function scheduled(stop) {
    const lines = [];
    for (const name of stop.deliveryRequests) {
      const r = s.requests.get(name);
      for (const l of (r && r.lines) || []) if (l.scheduledQuantity) lines.push({ ...l, quantity: l.scheduledQuantity });
    }
    return lines;
  }

  // total adds up lines of the same item (category, description, unit),
  // in the order they first appear, with their weight.
  function total(lines) {
    const items = new Map();
    for (const l of lines) {
      const key = [l.category, l.description || '', l.unit].join('\u0000');
      const item = items.get(key) || { category: l.category, description: l.description, unit: l.unit, quantity: 0, kg: 0 };
      item.quantity += l.quantity;
      item.kg += l.quantity * (UNIT_KG[l.unit] ?? 0);
      items.set(key, item);
    }
    return [...items.values()];
  }

  const itemName = (l) => l.description || t(l.category) || '';
  const amount = (l) => (l.unit ? `${fmtNumber(l.quantity)} ${unitLabel(l.unit)}` : fmtNumber(l.quantity));
  const itemList = (lines, cls) => h('ul', { class: `items ${cls || ''}` }, lines.map((l) => h('li', {}, h('strong', {}, amount(l)), ' ', itemName(l))));

  function runView(run) {
    const depot = s.places.get(run.depot) || {};
    const stops = run.stops || [];
    const pending = stops.filter((x) => x.state === 'PENDING').length;
    const error = h('p', { class: 'form-error', role: 'alert' }, s.errors.get(run.name) || '');
    return h('article', { class: 'card', 'data-name': run.name },
      h('h2', {}, t('runFrom', { depot: depot.displayName || run.depot }), ' ', h('span', { class: `badge ${run.state}` }, t(run.state))),
      h('p', {}, t('startsAt', { time: fmtTime(run.plannedStartTime) }), ' · ', t('loadKg', { n: fmtNumber(run.loadKg) })),
      depot.address ? h('p', { class: 'muted' }, t('pickUpAt', { address: depot.address })) : null,
      run.notes ? h('p', {}, run.notes) : null,
      run.state === 'DISPATCHED' ? pickList(run) : null,
      h('p', { class: 'muted' }, t('stopsDone', { done: stops.length - pending, total: stops.length })),
      run.state === 'DISPATCHED' ? h('button', { type: 'button', class: 'big', 'data-action': 'start',
        onclick: () => step(run, () => api.once(`start:${run.name}`, (requestId) => api.post(`/v1/${run.name}:start`, { requestId }))) }, t('startRun')) : null,
      error,
      h('ol', { class: 'stops' }, stops.map((stop, i) => stopView(run, stop, i))),
      run.state === 'IN_PROGRESS' && pending === 0 ? h('button', { type: 'button', class: 'big', 'data-action': 'complete',
        onclick: () => step(run, () => api.once(`complete:${run.name}`, (requestId) => api.post(`/v1/${run.name}:complete`, { requestId }))) }, t('finishRun')) : null);
  }

  // pickList is everything to load at the depot, totalled by item, and the
  // order to load it in: what is dropped last goes in first, so each stop's
  // goods are at the door when the car gets there.
  function pickList(run) {
    const stops = (run.stops || []).map((stop, i) => ({ stop, n: i + 1, lines: scheduled(stop) })).filter((x) => x.lines.length);
    const items = total(stops.flatMap((x) => x.lines));
    const kg = items.reduce((sum, x) => sum + x.kg, 0);
    const order = [...stops].reverse();
    return h('section', { class: 'pick-list', 'aria-labelledby': `pick-${run.name}` },
      h('h3', { id: `pick-${run.name}` }, t('pickList')),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('pickItem')), h('th', { scope: 'col' }, t('quantity')), h('th', { scope: 'col' }, t('pickWeight')))),
        h('tbody', {}, items.map((x) => h('tr', { 'data-item': x.description || x.category },
          h('th', { scope: 'row' }, itemName(x)), h('td', {}, amount(x)), h('td', {}, t('loadKg', { n: fmtNumber(x.kg) }))))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 2 }, t('pickTotal')), h('td', { 'data-total': '' }, t('loadKg', { n: fmtNumber(kg) }))))),
      h('h4', {}, t('loadOrder')),
      h('ol', { class: 'load-order' }, order.map((x, i) => h('li', { 'data-stop': x.stop.name },
        h('strong', {}, t(i === 0 ? 'loadFirst' : i === order.length - 1 ? 'loadLast' : 'loadThen', { stop: x.n })), ' ',
        placeName(x.stop), ': ', x.lines.map((l) => `${amount(l)} ${itemName(l)}`).join(', ')))));
  }

  function stopView(run, stop, i) {
    const ward = s.places.get(stop.ward) || {};
    const hospital = s.places.get(api.hospitalOf(stop.ward)) || {};
    const requests = stop.deliveryRequests.map((n) => s.requests.get(n)).filter(Boolean);
    const detail = (label, value) => (value ? [h('dt', {}, label), h('dd', {}, value)] : null);
    return h('li', { class: `card stop ${stop.state} ${atRisk(stop) ? 'at-risk' : ''}`, 'data-stop': stop.name },
      h('h3', {}, `${i + 1}. ${ward.displayName || stop.ward}, ${hospital.displayName || ''} `, h('span', { class: `badge ${stop.state}` }, t(stop.state))),
      arrival(stop) ? h('p', {}, arrival(stop)) : null,
      h('dl', {},
        detail(t('address'), hospital.address),
        detail(t('building'), ward.building),
        detail(t('dropOff'), ward.dropOffInstructions),
        detail(t('hospitalNotes'), hospital.deliveryNotes),
        ward.contactPhone ? [h('dt', {}, t('phone')), h('dd', {}, h('a', { href: `tel:${ward.contactPhone}` }, ward.contactPhone))] : null,
        detail(t('receivedBy'), stop.receivedBy),
        detail(t('failureReason'), stop.failureReason)),
      requests.map((r) => h('p', { class: 'muted' }, r.dietaryNotes ? `${t('diet')}: ${r.dietaryNotes}` : null)),
      stop.state === 'PENDING' && run.state === 'IN_PROGRESS' ? deliverForm(run, stop, requests) : null,
      stop.state === 'PENDING' && run.state === 'IN_PROGRESS' ? failForm(run, stop) : null);
  }

  function deliverForm(run, stop, requests) {
    const inputs = [];
    const lines = [];
    for (const r of requests) {
      r.lines.forEach((l, line) => {
        if (!l.scheduledQuantity) return;
        const input = h('input', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', value: l.scheduledQuantity });
        inputs.push({ input, deliveryRequest: r.name, line });
        lines.push(field(`${l.description || t(l.category)} (${unitLabel(l.unit)}), ${t('ofN', { n: fmtNumber(l.scheduledQuantity) })}`, input,
          `lines[${inputs.length - 1}].quantity`));
      });
    }
    const receivedBy = h('input', { type: 'text', autocomplete: 'name' });
    const note = h('input', { type: 'text' });
    const form = h('form', { novalidate: true, class: 'deliver', onsubmit: async (e) => {
      e.preventDefault();
      const body = {
        receivedBy: receivedBy.value, note: note.value,
        lines: inputs.map((x) => ({ deliveryRequest: x.deliveryRequest, line: x.line, quantity: x.input.value === '' ? 0 : Number(x.input.value) })),
      };
      await submit(form, run, () => api.once(`deliver:${stop.name}`, (requestId) => api.post(`/v1/${stop.name}:deliver`, { ...body, requestId })));
    } },
    h('h4', {}, t('handOver')),
    h('p', { class: 'form-error', role: 'alert' }),
    lines,
    field(t('receivedByName'), receivedBy, 'received_by'),
    field(t('driverNote'), note, 'note'),
    h('button', { type: 'submit', class: 'big', 'data-action': 'deliver' }, t('markDelivered')));
    return form;
  }

  function failForm(run, stop) {
    if (s.failing !== stop.name) {
      return h('button', { type: 'button', class: 'big secondary', 'data-action': 'fail', onclick: () => { s.failing = stop.name; renderRuns(); } }, t('couldNotDeliver'));
    }
    return reasonForm({
      label: t('failureReason'), confirm: t('markFailed'), backLabel: t('back'), buttonClass: 'big',
      onBack: () => { s.failing = ''; renderRuns(); },
      send: async (reason) => {
        try {
          await api.once(`fail:${stop.name}`, (requestId) => api.post(`/v1/${stop.name}:fail`, { reason, requestId }));
        } catch (err) {
          throw err instanceof api.Offline ? { message: t('notSent') } : err;
        }
        s.failing = '';
        await refresh();
      },
    });
  }

  // submit sends a stop's form; a lost connection leaves the form as it is
  // with a message, and pressing the button again retries the same call.
  async function submit(form, run, send) {
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await send();
      await refresh();
    } catch (err) {
      button.disabled = false;
      if (err instanceof api.Offline) showErrors(form, { message: t('notSent'), violations: [] });
      else showErrors(form, err);
    }
  }

  async function step(run, send) {
    s.errors.delete(run.name);
    try {
      await send();
    } catch (err) {
      s.errors.set(run.name, err instanceof api.Offline ? t('notSent') : err.message);
    }
    await refresh().catch(() => {});
    if (s.errors.has(run.name)) renderRuns();
  }

  return {
    async start() { render(); await refresh(); },
    render,
    refresh,
    async onEvent() {},
  };
}
