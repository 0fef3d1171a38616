// The driver's page, phone-sized with big buttons: before leaving, what to
// load and in which order; on the road, the stop to make now, large, with
// where to go and whom to ask; done stops folded away; then the finish.
// Every step goes through api.once, so a retry after a lost connection
// reuses the request id and is never counted twice. In a dead zone the run
// stays on screen as last seen, and the steps made there (start, drops,
// finish) wait in the outbox to be sent in the order they were made.
import { h, replace, field, showErrors, reasonForm } from './dom.js';
import * as api from './api.js';
import * as outbox from './outbox.js';
import { arrival, atRisk } from './arrival.js';
import { t, fmtTime, fmtNumber, unitLabel, quantityText } from './i18n.js';

// UNIT_KG is what a unit weighs, as the server counts a run's load
// (supply.unitWeightKG): the pick list's weights add up to the run's.
const UNIT_KG = { KILOGRAM: 1, LITER: 1, PORTION: 0.5, PIECE: 1, BOX: 10 };

// The lines of requests seen on the driver's runs are kept in the browser:
// a request dropped short or failed leaves the run, and with it the
// driver's reach, yet the folded stop still says what was handed over.
const SEEN_KEY = 'aqjurek.driver.requests';

// The run as last seen, with its places and requests, for a reload with
// no connection.
const SNAPSHOT_KEY = 'aqjurek.driver.snapshot';

// DROPS are the steps made at a stop; the others are a run's start and finish.
const DROPS = ['deliver', 'fail'];

// NOT_ACCEPTED says which step the server refused, by its kind.
const NOT_ACCEPTED = { deliver: 'dropNotAccepted', fail: 'failNotAccepted', start: 'startNotAccepted', complete: 'finishNotAccepted' };

// The browser's word that it went offline goes to the page on screen.
let wentOffline = () => {};
window.addEventListener('offline', () => wentOffline());

export function driver(main, caller) {
  const seen = JSON.parse(localStorage.getItem(SEEN_KEY) || '{}');
  const el = {};
  const owner = caller.name;
  // finishing holds the runs whose finish waits in the outbox: once the
  // server has it, the run is summed up as a finish online is.
  const s = { runs: [], places: new Map(), requests: new Map(Object.entries(seen)), failing: '', errors: new Map(), finished: null,
    updatedAt: '', stale: false, finishing: new Set(outbox.waiting(owner).filter((x) => x.kind === 'complete').map((x) => x.run)) };

  // place fetches a hospital, ward or depot once; one kept from a run
  // seen offline is read again once the server answers.
  const fetched = new Set();
  async function place(name) {
    if (!fetched.has(name)) {
      s.places.set(name, await api.get(`/v1/${name}`));
      fetched.add(name);
    }
    return s.places.get(name);
  }

  function remember(r) {
    s.requests.set(r.name, r);
    const kept = JSON.parse(localStorage.getItem(SEEN_KEY) || '{}');
    kept[r.name] = { name: r.name, dietaryNotes: r.dietaryNotes, lines: r.lines.map(({ category, description, unit }) => ({ category, description, unit })) };
    localStorage.setItem(SEEN_KEY, JSON.stringify(kept));
  }

  // restore brings back the run as last seen, when the server cannot be
  // reached.
  function restore() {
    try {
      const kept = JSON.parse(localStorage.getItem(SNAPSHOT_KEY) || 'null');
      if (!kept || kept.owner !== owner) return;
      s.runs = kept.runs;
      s.places = new Map(kept.places);
      for (const [name, r] of kept.requests) s.requests.set(name, r);
      s.updatedAt = kept.at;
    } catch { /* nothing usable kept: wait for the server */ }
  }

  function keep() {
    const onRuns = new Set(s.runs.flatMap((run) => (run.stops || []).flatMap((x) => x.deliveryRequests)));
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ owner, at: s.updatedAt, runs: s.runs,
      places: [...s.places], requests: [...s.requests].filter(([name]) => onRuns.has(name)) }));
  }

  // refresh reads the driver's runs; with no connection the page keeps
  // what it shows and says since when.
  async function refresh() {
    try {
      await load();
    } catch (err) {
      if (err instanceof api.Offline) { s.stale = true; renderStatus(); }
      throw err;
    }
    s.stale = false;
    s.updatedAt = new Date().toISOString();
    keep();
    renderStatus();
  }

  let shown = '';
  async function load() {
    s.runs = await api.listAll('/v1/runs', 'runs', { state: ['IN_PROGRESS', 'DISPATCHED'] });
    s.runs.sort((a, b) => (a.state === 'IN_PROGRESS' ? -1 : 0) - (b.state === 'IN_PROGRESS' ? -1 : 0) || a.plannedStartTime.localeCompare(b.plannedStartTime));
    const wanted = [];
    for (const run of s.runs) {
      wanted.push(place(run.depot));
      for (const stop of run.stops || []) {
        wanted.push(place(stop.ward), place(api.hospitalOf(stop.ward)));
        // What to hand over matters at stops still to make; a request
        // dropped short or failed elsewhere has left the run, and with it
        // the driver's reach: what was seen of it stays.
        const pending = stop.state === 'PENDING';
        for (const name of stop.deliveryRequests) {
          if (!pending && s.requests.has(name)) continue;
          wanted.push(api.get(`/v1/${name}`).then(remember, (err) => { if (pending) throw err; }));
        }
      }
    }
    await Promise.all(wanted);
    // Lines of requests no longer on any of the driver's runs are let go.
    const onRuns = new Set(s.runs.flatMap((run) => (run.stops || []).flatMap((x) => x.deliveryRequests)));
    const kept = JSON.parse(localStorage.getItem(SEEN_KEY) || '{}');
    for (const name of Object.keys(kept)) if (!onRuns.has(name)) delete kept[name];
    localStorage.setItem(SEEN_KEY, JSON.stringify(kept));
    // Redraw only on a change: a form half filled in stays as it is.
    const now = JSON.stringify([s.runs, [...s.requests], [...s.places], outbox.waiting(owner), outbox.refused(owner)]);
    if (now === shown) return;
    shown = now;
    renderRuns();
  }

  function render() {
    el.runs = h('div', { id: 'driver-runs' });
    el.status = h('div', { class: 'outbox', role: 'status' });
    el.refused = h('div', { class: 'refused-drops' });
    replace(main, h('div', { class: 'phone' }, h('h1', {}, t('yourRun')), el.status, el.refused, el.runs));
    renderRuns();
  }

  // renderStatus says whether the run shown is as last seen, and what
  // waits to be sent.
  function renderStatus() {
    if (!el.status) return;
    const waiting = outbox.waiting(owner);
    const onlyDrops = waiting.every((x) => DROPS.includes(x.kind));
    replace(el.status,
      s.stale ? h('p', { class: 'offline-note' }, s.updatedAt ? t('offlineSince', { time: fmtTime(s.updatedAt) }) : t('offlineNothingKept')) : null,
      waiting.length ? h('div', { class: 'waiting' },
        h('p', {}, h('strong', { 'data-waiting': waiting.length }, t(onlyDrops ? 'dropsWaiting' : 'stepsWaiting', { n: waiting.length })), ' ', t('dropsWaitingHow')),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'send-now', onclick: sendNow }, t('sendNow'))) : null);
    el.status.hidden = !el.status.firstChild;
  }

  // renderRefused shows each drop the server did not accept, with its
  // word on why, until the driver has read it; the stop is to make again.
  function renderRefused() {
    if (!el.refused) return;
    replace(el.refused, outbox.refused(owner).map((x) => {
      const stop = s.runs.flatMap((run) => run.stops || []).find((st) => st.name === x.stop);
      const where = stop ? placeName(stop) : x.stop;
      return h('div', { class: 'refused', role: 'alert', 'data-stop': x.stop, 'data-kind': x.kind },
        h('p', {}, h('strong', {}, t(NOT_ACCEPTED[x.kind], { place: where })), ' ', x.message),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'dismiss', onclick: () => { outbox.dismiss(x.requestId); renderRefused(); } }, t('understood')));
    }));
  }

  // sendNow sends what waits; the outbox also does it by itself.
  async function sendNow() {
    const changed = await outbox.send(owner);
    await afterSend(changed);
  }

  async function afterSend(changed) {
    if (!changed) {
      if (outbox.waiting(owner).length) { s.stale = true; renderStatus(); }
      return;
    }
    await refresh().catch(() => {});
    await sumUpFinished();
    renderRuns();
  }

  // sumUpFinished shows the summary of a run whose finish waited, once the
  // server has taken it.
  async function sumUpFinished() {
    for (const name of [...s.finishing]) {
      if (outbox.waiting(owner).some((x) => x.run === name && x.kind === 'complete')) continue;
      s.finishing.delete(name);
      if (outbox.refused(owner).some((x) => x.run === name && x.kind === 'complete')) continue;
      const run = await api.get(`/v1/${name}`).catch(() => null);
      if (run && run.state === 'COMPLETED') s.finished = run;
    }
  }

  // queue keeps a step made with no connection in the outbox, under the
  // request id it was sent with, and moves on as if it were made.
  function queue(step) {
    outbox.add({ owner, ...step });
    if (step.kind === 'complete') s.finishing.add(step.run);
    s.stale = true;
    s.failing = '';
    renderRuns();
  }

  // act makes a step of a run: start, a drop, finish. It goes straight to
  // the server, or into the outbox when there is no connection or an
  // earlier step of the run still waits there, so the server always gets
  // a run's steps in the order the driver made them: a drop never arrives
  // before the start it follows. It resolves to the server's answer, or
  // to null when the step waits.
  async function act(run, step) {
    if (outbox.waiting(owner).some((x) => x.run === run.name)) {
      queue({ ...step, requestId: api.uuid(), run: run.name });
      sendNow();
      return null;
    }
    let sentAs = '';
    try {
      return await api.once(step.key, (requestId) => { sentAs = requestId; return api.post(step.path, { ...step.body, requestId }); });
    } catch (err) {
      if (!(err instanceof api.Offline)) throw err;
      queue({ ...step, requestId: sentAs, run: run.name });
      return null;
    }
  }

  function renderRuns() {
    if (!el.runs) return;
    renderStatus();
    renderRefused();
    const finished = s.finished ? finishView(s.finished) : null;
    // Offline with nothing kept, the note above says it all.
    const none = s.stale && !s.updatedAt ? null : h('p', { class: 'empty' }, t('noRunForYou'));
    if (!s.runs.length) { replace(el.runs, finished, finished ? null : none); return; }
    replace(el.runs, finished, s.runs.map(runView));
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

  // handedOver is what was handed over at a stop, line by line.
  function handedOver(stop) {
    return (stop.deliveredLines || []).filter((d) => d.quantity).map((d) => {
      const line = ((s.requests.get(d.deliveryRequest) || {}).lines || [])[d.line] || {};
      return { ...line, quantity: d.quantity };
    });
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
  const amount = (l) => (l.unit ? quantityText(l.quantity, l.unit) : fmtNumber(l.quantity));
  const itemList = (lines, cls) => h('ul', { class: `items ${cls || ''}` }, lines.map((l) => h('li', {}, h('strong', {}, amount(l)), ' ', itemName(l))));

  function runView(run) {
    const depot = s.places.get(run.depot) || {};
    const stops = run.stops || [];
    // A step that waits in the outbox is made, as far as the driver is
    // concerned: a run whose start waits is on the road, a stop whose drop
    // waits is done and the next one is the stop to make now, a run whose
    // finish waits is over.
    const waits = outbox.waiting(owner).filter((x) => x.run === run.name);
    const queued = new Map(waits.filter((x) => DROPS.includes(x.kind)).map((x) => [x.stop, x]));
    const starting = run.state === 'DISPATCHED' && waits.some((x) => x.kind === 'start');
    const finishing = waits.some((x) => x.kind === 'complete');
    const state = finishing ? 'COMPLETED' : starting ? 'IN_PROGRESS' : run.state;
    const pending = stops.filter((x) => x.state === 'PENDING' && !queued.has(x.name)).length;
    const current = state === 'IN_PROGRESS' ? stops.find((x) => x.state === 'PENDING' && !queued.has(x.name)) : null;
    const error = h('p', { class: 'form-error', role: 'alert' }, s.errors.get(run.name) || '');
    return h('article', { class: `card ${starting || finishing ? 'queued' : ''}`, 'data-name': run.name, 'data-state': state },
      h('h2', {}, t('runFrom', { depot: depot.displayName || run.depot }), ' ', h('span', { class: `badge ${state}` }, t(state)),
        starting || finishing ? [' ', h('span', { class: 'badge queued' }, t('waitingToSend'))] : null),
      h('p', {}, t('startsAt', { time: fmtTime(run.plannedStartTime) }), ' · ', t('loadKg', { n: fmtNumber(run.loadKg) })),
      depot.address || depot.location ? h('p', { class: 'muted' }, t('pickUpAt', { address: depot.address || depot.displayName || run.depot })) : null,
      state === 'DISPATCHED' ? navLinks(depot.location, depot.displayName || run.depot) : null,
      run.notes ? h('p', {}, run.notes) : null,
      state === 'DISPATCHED' ? pickList(run) : null,
      h('p', { class: 'muted' }, t('stopsDone', { done: stops.length - pending, total: stops.length, n: stops.length })),
      state === 'DISPATCHED' ? h('button', { type: 'button', class: 'big', 'data-action': 'start',
        onclick: () => step(run, () => act(run, { kind: 'start', key: `start:${run.name}`, path: `/v1/${run.name}:start`, body: {}, stop: '' })) }, t('startRun')) : null,
      error,
      h('ol', { class: 'stops' }, stops.map((stop, i) => {
        if (stop.state !== 'PENDING') return doneView(stop, i);
        if (queued.has(stop.name)) return queuedView(stop, i, queued.get(stop.name));
        return stop === current ? currentView(run, stop, i) : laterView(stop, i);
      })),
      state === 'IN_PROGRESS' && pending === 0 ? h('button', { type: 'button', class: 'big', 'data-action': 'complete',
        onclick: () => finish(run) }, t('finishRun')) : null);
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

  // navLinks opens a place in the phone's maps app (geo:), in 2GIS or in
  // Yandex Maps, as drivers in Almaty use them; nothing without a location.
  function navLinks(location, name) {
    if (!location) return null;
    // Proto3 JSON leaves out a zero coordinate.
    const [lat, lng] = [location.latitude ?? 0, location.longitude ?? 0];
    const link = (href, label, text, kind) => h('a', { href, class: 'nav', 'data-nav': kind, 'aria-label': label, target: kind === 'geo' ? null : '_blank', rel: 'noopener' }, text);
    return h('div', { class: 'nav-links', role: 'group', 'aria-label': t('navTo', { place: name }) },
      link(`geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(name)})`, t('navGeoLabel', { place: name }), t('navGeo'), 'geo'),
      link(`https://2gis.kz/almaty/geo/${lng},${lat}`, t('nav2gisLabel', { place: name }), t('nav2gis'), '2gis'),
      link(`https://yandex.kz/maps/?pt=${lng},${lat}&z=17&l=map`, t('navYandexLabel', { place: name }), t('navYandex'), 'yandex'));
  }

  const detail = (label, value) => (value ? [h('dt', {}, label), h('dd', {}, value)] : null);

  // currentView is the stop to make now: what to hand over, where, whom to
  // ask, and the forms to say how it went.
  function currentView(run, stop, i) {
    const ward = s.places.get(stop.ward) || {};
    const hospital = s.places.get(api.hospitalOf(stop.ward)) || {};
    const requests = stop.deliveryRequests.map((n) => s.requests.get(n)).filter(Boolean);
    return h('li', { class: `card stop current ${stop.state} ${atRisk(stop) ? 'at-risk' : ''}`, 'data-stop': stop.name },
      h('p', { class: 'eyebrow' }, t('currentStop')),
      h('h3', {}, `${i + 1}. ${placeName(stop)} `, h('span', { class: `badge ${stop.state}` }, t(stop.state))),
      arrival(stop) ? h('p', {}, arrival(stop)) : null,
      h('h4', {}, t('toHandOver')),
      itemList(scheduled(stop), 'to-hand-over'),
      h('dl', {},
        hospital.address || hospital.location ? [h('dt', {}, t('address')), h('dd', {},
          hospital.address ? h('span', { class: 'address' }, hospital.address) : null,
          navLinks(hospital.location, hospital.displayName || placeName(stop)))] : null,
        detail(t('building'), ward.building),
        detail(t('dropOff'), ward.dropOffInstructions),
        detail(t('hospitalNotes'), hospital.deliveryNotes),
        ward.contactPhone ? [h('dt', {}, t('phone')), h('dd', {}, h('a', { href: `tel:${ward.contactPhone}`, class: 'tel' }, ward.contactPhone))] : null),
      requests.map((r) => (r.dietaryNotes ? h('p', { class: 'muted' }, `${t('diet')}: ${r.dietaryNotes}`) : null)),
      deliverForm(run, stop, requests),
      failForm(run, stop));
  }

  // laterView is a stop still to come, in one or two lines.
  function laterView(stop, i) {
    return h('li', { class: `stop later ${stop.state} ${atRisk(stop) ? 'at-risk' : ''}`, 'data-stop': stop.name },
      h('span', { class: 'where' }, `${i + 1}. ${placeName(stop)}`), ' ',
      arrival(stop));
  }

  // doneView folds a stop made: its line says how it went; opened, what
  // was handed over.
  function doneView(stop, i) {
    const lines = handedOver(stop);
    return h('li', { class: `stop done ${stop.state}`, 'data-stop': stop.name },
      h('details', {},
        h('summary', {}, h('span', { class: 'where' }, `${i + 1}. ${placeName(stop)}`), ' ', h('span', { class: `badge ${stop.state}` }, t(stop.state))),
        lines.length ? [h('h4', {}, t('handedOver')), itemList(lines, 'handed-over')] : h('p', { class: 'muted' }, t('nothingHandedOver')),
        stop.note ? h('p', { class: 'muted' }, `${t('driverNoteShort')}: ${stop.note}`) : null),
      h('dl', {},
        detail(t('receivedBy'), stop.receivedBy),
        detail(t('failureReason'), stop.failureReason)));
  }

  // queuedView is a stop whose drop waits to be sent: how it went, as the
  // driver said, marked as not yet sent.
  function queuedView(stop, i, drop) {
    const lines = drop.kind === 'deliver' ? (drop.body.lines || []).filter((d) => d.quantity).map((d) => {
      const line = ((s.requests.get(d.deliveryRequest) || {}).lines || [])[d.line] || {};
      return { ...line, quantity: d.quantity };
    }) : [];
    const said = drop.kind === 'deliver' ? 'DELIVERED' : 'FAILED';
    return h('li', { class: `stop done queued ${said}`, 'data-stop': stop.name },
      h('details', {},
        h('summary', {}, h('span', { class: 'where' }, `${i + 1}. ${placeName(stop)}`), ' ',
          h('span', { class: `badge ${said}` }, t(said)), ' ', h('span', { class: 'badge queued' }, t('waitingToSend'))),
        drop.kind === 'deliver' ? (lines.length ? [h('h4', {}, t('handedOver')), itemList(lines, 'handed-over')] : h('p', { class: 'muted' }, t('nothingHandedOver'))) : null,
        drop.body.note ? h('p', { class: 'muted' }, `${t('driverNoteShort')}: ${drop.body.note}`) : null),
      h('dl', {},
        detail(t('receivedBy'), drop.body.receivedBy),
        detail(t('failureReason'), drop.body.reason)));
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
      await submit(form, () => act(run, { kind: 'deliver', key: `deliver:${stop.name}`, path: `/v1/${stop.name}:deliver`, body, stop: stop.name }));
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
        const made = await act(run, { kind: 'fail', key: `fail:${stop.name}`, path: `/v1/${stop.name}:fail`, body: { reason }, stop: stop.name });
        if (!made) return;
        s.failing = '';
        await refresh();
      },
    });
  }

  // finish completes the run and keeps it on screen as a summary: the run
  // leaves the driver's list once it is over. A finish that waits is
  // summed up once it is sent.
  async function finish(run) {
    let done = null;
    await step(run, async () => {
      done = await act(run, { kind: 'complete', key: `complete:${run.name}`, path: `/v1/${run.name}:complete`, body: {}, stop: '' });
    });
    if (done && done.name) {
      s.finished = done;
      renderRuns();
    }
  }

  // finishView sums up a finished run: stops delivered and not, and what
  // was handed over in all.
  function finishView(run) {
    const stops = run.stops || [];
    const delivered = stops.filter((x) => x.state === 'DELIVERED').length;
    const failed = stops.filter((x) => x.state === 'FAILED').length;
    const items = total(stops.flatMap(handedOver));
    return h('section', { class: 'finished', 'data-name': run.name, role: 'status' },
      h('h2', {}, t('runFinished')),
      h('p', { class: 'counts' },
        h('span', { 'data-count': 'delivered' }, t('stopsDelivered', { n: delivered })),
        failed ? h('span', { 'data-count': 'failed' }, t('stopsFailed', { n: failed })) : null),
      h('h3', {}, t('handedOverTotal')),
      items.length ? itemList(items, 'handed-over-total') : h('p', { class: 'muted' }, t('nothingHandedOver')),
      stops.filter((x) => x.state === 'FAILED').map((x) => h('p', { class: 'failed-stop' }, h('strong', {}, `${t('FAILED')}: `), `${placeName(x)} — ${x.failureReason}`)),
      h('button', { type: 'button', class: 'big secondary', 'data-action': 'close-summary', onclick: () => { s.finished = null; renderRuns(); } }, t('closeSummary')));
  }

  // submit sends a stop's form; a drop that waits in the outbox is shown
  // as made at once.
  async function submit(form, send) {
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    let made;
    try {
      made = await send();
    } catch (err) {
      button.disabled = false;
      showErrors(form, err);
      return;
    }
    if (made) await refresh().catch(() => {});
  }

  // step makes a run's start or finish; with no connection it waits in
  // the outbox (act), so what comes here is the server's refusal.
  async function step(run, send) {
    s.errors.delete(run.name);
    try {
      await send();
    } catch (err) {
      s.errors.set(run.name, err.message);
    }
    await refresh().catch(() => {});
    if (s.errors.has(run.name)) renderRuns();
  }

  // A retry sends what waits; the page redraws once the server has it.
  const sendWaiting = outbox.watch(owner, () => afterSend(true));
  wentOffline = () => { s.stale = true; renderStatus(); };

  return {
    async start() {
      render();
      try {
        await refresh();
      } catch (err) {
        if (!(err instanceof api.Offline)) throw err;
        restore();
        s.stale = true;
        renderRuns();
      }
      sendWaiting();
    },
    render,
    refresh,
    async onEvent() {},
  };
}
