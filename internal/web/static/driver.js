// The driver's page, phone-sized with big buttons: the run, its stops in
// order with where to go and whom to ask, start, deliver, fail, finish.
// Deliveries go through api.once, so a retry after a lost connection
// reuses the request id and is never counted twice.
import { h, replace, field, showErrors, reasonForm } from './dom.js';
import * as api from './api.js';
import { arrival, atRisk } from './arrival.js';
import { t, fmtTime, fmtNumber, unitLabel } from './i18n.js';

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
      h('p', { class: 'muted' }, t('stopsDone', { done: stops.length - pending, total: stops.length })),
      run.state === 'DISPATCHED' ? h('button', { type: 'button', class: 'big', 'data-action': 'start',
        onclick: () => step(run, () => api.once(`start:${run.name}`, (requestId) => api.post(`/v1/${run.name}:start`, { requestId }))) }, t('startRun')) : null,
      error,
      h('ol', { class: 'stops' }, stops.map((stop, i) => stopView(run, stop, i))),
      run.state === 'IN_PROGRESS' && pending === 0 ? h('button', { type: 'button', class: 'big', 'data-action': 'complete',
        onclick: () => step(run, () => api.once(`complete:${run.name}`, (requestId) => api.post(`/v1/${run.name}:complete`, { requestId }))) }, t('finishRun')) : null);
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
