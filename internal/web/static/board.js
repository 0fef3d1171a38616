// The coordinator's board: the day's figures, open needs by hospital and
// ward, the runs of the day, a schematic map and the latest activity.
import { h, replace, field, options, uid, reasonForm } from './dom.js';
import * as api from './api.js';
import { cityMap, runRoute } from './map.js';
import { planner } from './plan.js';
import { arrival, atRisk } from './arrival.js';
import { history, attemptList } from './history.js';
import { outstanding } from './words.js';
import { feed } from './activity.js';
import { newRunForm } from './newrun.js';
import { reportPanel } from './report.js';
import { stockPanel } from './stock.js';
import { ledgerPanel } from './ledger.js';
import { bandChart, bandSeries } from './chart.js';
import { t, cityDay, fmtTime, fmtDay, fmtDuration, fmtNumber, linesText, unitLabel, quantityText, enumOptions } from './i18n.js';

const WAITING = ['OPEN', 'SCHEDULED', 'IN_TRANSIT'];
const OPEN_RUNS = ['PLANNED', 'DISPATCHED', 'IN_PROGRESS'];
const RUN_ORDER = ['IN_PROGRESS', 'DISPATCHED', 'PLANNED', 'COMPLETED', 'CANCELLED'];
// A run still waiting this long after its planned start is late.
const LATE_START_MS = 15 * 60000;
// How far from now a finished run of another day still shows on the board.
const NEAR_MS = 6 * 3600000;
// The weight a unit counts for, as the server counts a run's load.
const KG_PER_UNIT = { KILOGRAM: 1, LITER: 1, PORTION: 0.5, PIECE: 1, BOX: 10 };
// What each figure's tile shows in the needs list when pressed.
const TILE_FILTERS = {
  open: { state: 'OPEN', priority: '' },
  overdue: { state: 'waiting', priority: '', overdue: true },
  critical: { state: 'waiting', priority: 'CRITICAL' },
  scheduled: { state: 'SCHEDULED', priority: '' },
  'in-transit': { state: 'IN_TRANSIT', priority: '' },
  delivered: { state: 'DELIVERED', priority: '' },
};

export function board(main, caller, events) {
  const s = {
    hospitals: new Map(), wards: new Map(), depots: new Map(), volunteers: new Map(),
    summary: null, needs: [], open: [], runs: [], events: [...events],
    selected: new Set(), selectedRun: '', cancelling: '',
    filters: { hospital: '', category: '', priority: '', state: 'waiting' },
    errors: new Map(), capacityRun: '', tile: '',
    // The requests on the runs shown, by name, for their lines' units.
    carried: new Map(),
    // Every need the board has loaded, as last seen, so the activity can
    // name one that has since left the lists.
    known: new Map(),
  };
  const el = {};
  const names = { hospital: (n) => hospitalName(n), ward: (n) => wardName(n), volunteer: (n) => volunteerName(n), depot: (n) => depotName(n) };
  // Each need's attempts, read in the background and added to its item.
  const past = history(showAttempts);
  const plan = planner(s, names, async (runs) => {
    s.selectedRun = runs[0]?.name || '';
    await refresh();
  });
  // Depot stock against the open needs, and the ledger's forms.
  const stock = stockPanel(s, { depotName: (n) => depotName(n), changed: () => refresh() });
  const ledger = ledgerPanel(s, { depotName: (n) => depotName(n), changed: () => refresh() });
  // The period's report, kept across redraws.
  const report = reportPanel(names);

  async function loadPlaces() {
    const [hospitals, depots, volunteers] = await Promise.all([
      api.listAll('/v1/hospitals', 'hospitals'), api.listAll('/v1/depots', 'depots'), api.listAll('/v1/volunteers', 'volunteers'),
    ]);
    s.hospitals = new Map(hospitals.map((x) => [x.name, x]));
    s.depots = new Map(depots.map((x) => [x.name, x]));
    s.volunteers = new Map(volunteers.map((x) => [x.name, x]));
    const wards = await Promise.all(hospitals.map((x) => api.listAll(`/v1/${x.name}/wards`, 'wards')));
    s.wards = new Map(wards.flat().map((x) => [x.name, x]));
  }

  async function loadNeeds() {
    const f = s.filters;
    s.needs = await api.listAll('/v1/deliveryRequests', 'deliveryRequests', {
      state: f.state === 'waiting' ? WAITING : f.state, hospital: f.hospital, category: f.category, priority: f.priority,
      overdue: TILE_FILTERS[s.tile]?.overdue ? true : '',
    }, 2000);
    for (const r of s.needs) s.known.set(r.name, r);
    const open = new Set(s.needs.filter((r) => r.state === 'OPEN').map((r) => r.name));
    for (const name of s.selected) if (!open.has(name)) s.selected.delete(name);
  }

  // The open needs, whatever the list's filters, for the attention list.
  async function loadOpen() {
    s.open = await api.listAll('/v1/deliveryRequests', 'deliveryRequests', { state: 'OPEN' }, 2000);
    for (const r of s.open) s.known.set(r.name, r);
  }

  async function loadRuns() {
    // The server's clock and day, in the city's time zone. Runs still to
    // finish show whatever their day; finished ones show for today and,
    // around midnight, for the hours either side, so a run planned at
    // 23:45 for 00:15 and then cancelled stays in sight of the night shift.
    const now = Date.parse(s.summary.computeTime);
    const today = cityDay(new Date(now));
    const days = [...new Set([now - NEAR_MS, now, now + NEAR_MS].map((t) => cityDay(new Date(t))))];
    const [open, ...near] = await Promise.all([
      api.listAll('/v1/runs', 'runs', { state: OPEN_RUNS }),
      ...days.map((d) => {
        const [year, month, day] = d.split('-').map(Number);
        return api.listAll('/v1/runs', 'runs', { 'day.year': year, 'day.month': month, 'day.day': day });
      }),
    ]);
    const finished = near.flat().filter((r) => cityDay(new Date(r.plannedStartTime)) === today ||
      Math.abs(Date.parse(r.plannedStartTime) - now) <= NEAR_MS);
    const byName = new Map([...finished, ...open].map((r) => [r.name, r]));
    // A run cancelled while shown goes nowhere: it is let go.
    if (byName.get(s.selectedRun)?.state === 'CANCELLED') s.selectedRun = '';
    s.runs = [...byName.values()].sort((a, b) => RUN_ORDER.indexOf(a.state) - RUN_ORDER.indexOf(b.state) ||
      a.plannedStartTime.localeCompare(b.plannedStartTime));
    // A request's lines do not change once it is on a run, so each is
    // fetched once.
    const missing = [...new Set(s.runs.flatMap((r) => (r.stops || []).flatMap((x) => x.deliveryRequests)))].filter((n) => !s.carried.has(n));
    const fetched = await Promise.all(missing.map((n) => api.get(`/v1/${n}`).catch(() => null)));
    for (const r of fetched) if (r) { s.carried.set(r.name, r); if (!s.known.has(r.name)) s.known.set(r.name, r); }
  }

  // refresh reloads the figures, needs and runs, and redraws only when
  // something changed, so a change elsewhere does not disturb a hand on
  // this page.
  let shown = '';
  async function refresh() {
    s.summary = await api.get('/v1/dashboard');
    await Promise.all([loadNeeds(), loadOpen(), loadRuns(), ledger.refresh()]);
    await stock.refresh();
    const { computeTime, ...figures } = s.summary;
    const now = JSON.stringify([figures, s.needs, s.open, s.runs]);
    if (now === shown) return;
    shown = now;
    renderData();
  }

  // --- names -------------------------------------------------------------
  const hospitalName = (n) => s.hospitals.get(n)?.displayName || n;
  const wardName = (n) => s.wards.get(n)?.displayName || n.split('/').pop();
  const volunteerName = (n) => s.volunteers.get(n)?.displayName || n;
  const depotName = (n) => s.depots.get(n)?.displayName || n;

  // --- the page ----------------------------------------------------------
  function render() {
    shown = '';
    el.attention = h('div', { id: 'attention' });
    el.tiles = h('div', { class: 'tiles', 'aria-live': 'polite' });
    el.needs = h('div', { id: 'needs' });
    el.runs = h('div', { id: 'runs' });
    el.map = h('div', { class: 'map' });
    el.chart = h('div', { class: 'delivered-chart' });
    el.activity = h('ol', { class: 'activity', id: 'activity' });
    el.selection = h('p', { class: 'muted', 'aria-live': 'polite' });
    el.plan = h('div', { class: 'plan-slot' });
    replace(main,
      h('div', { class: 'board-head' }, h('h1', {}, t('boardTitle')),
        h('button', { type: 'button', 'data-action': 'plan-day', onclick: () => { if (!plan.busy()) plan.propose(); } }, t('planDay'))),
      // On a phone the board is one long column: links to its parts.
      h('nav', { class: 'board-nav', 'aria-label': t('boardParts') },
        [['needs-h', 'openNeeds'], ['stock-h', 'stockTitle'], ['runs-h', 'todaysRuns'], ['ledger-h', 'ledgerTitle'], ['report-h', 'reportTitle']]
          .map(([id, word]) => h('a', { href: `#${id}`, 'data-part': id }, t(word)))),
      h('section', { class: 'attention', 'aria-labelledby': 'attention-h' }, h('h2', { id: 'attention-h' }, t('attentionTitle')), el.attention),
      el.tiles,
      el.plan,
      h('div', { class: 'board' },
        h('div', {},
          h('section', { 'aria-labelledby': 'needs-h' }, h('h2', { id: 'needs-h' }, t('openNeeds')), filters(), el.selection, el.needs),
          // What the depots hold stands beside the needs it can meet.
          stock.section(),
          h('section', { 'aria-labelledby': 'chart-h' }, h('h2', { id: 'chart-h' }, t('deliveredChart')), el.chart)),
        h('div', {},
          h('section', { 'aria-labelledby': 'runs-h' }, h('h2', { id: 'runs-h' }, t('todaysRuns')), el.runs, newRunForm(s, { volunteerName, showRun, refresh })),
          h('section', { 'aria-labelledby': 'map-h' }, h('h2', { id: 'map-h' }, t('map')), el.map),
          h('section', { 'aria-labelledby': 'activity-h' }, h('h2', { id: 'activity-h' }, t('activity')), el.activity),
          ledger.section())),
      el.report = h('section', { class: 'report', id: 'report', 'aria-labelledby': 'report-h' }));
    plan.mount(el.plan);
    report.mount(el.report);
    if (s.summary) renderData();
  }

  function renderData() {
    renderAttention();
    renderTiles();
    renderNeeds();
    renderRuns();
    renderMap();
    renderChart();
    renderActivity();
  }

  function renderTiles() {
    const byState = Object.fromEntries((s.summary.requestsByState || []).map((x) => [x.state, x.count]));
    const critical = (s.summary.openRequestsByPriority || []).find((x) => x.priority === 'CRITICAL')?.count || 0;
    // Each label takes the form of its figure: "1 open need", "2 open needs".
    const tile = (id, label, n, alert) => h('button', { type: 'button', class: `tile ${alert && n > 0 ? 'alert' : ''}`, 'data-tile': id,
      'aria-pressed': String(s.tile === id), 'aria-controls': 'needs', onclick: () => pressTile(id) },
    h('span', { class: 'n' }, fmtNumber(n)), t(label, { n }));
    const outstanding = (s.summary.outstanding || []).map((q) => `${quantityText(q.quantity, q.unit)} ${t(q.category)}`);
    const onRoad = (s.summary.runsInProgress || []).length;
    replace(el.tiles,
      tile('open', 'tileOpen', byState.OPEN || 0),
      tile('overdue', 'tileOverdue', s.summary.overdueRequests || 0, true),
      tile('critical', 'tileCritical', critical, true),
      tile('scheduled', 'tileScheduled', byState.SCHEDULED || 0),
      tile('in-transit', 'tileInTransit', byState.IN_TRANSIT || 0),
      h('div', { class: 'tile', 'data-tile': 'on-road' }, h('span', { class: 'n' }, fmtNumber(onRoad)), t('tileOnRoad', { n: onRoad })),
      tile('delivered', 'tileDelivered', byState.DELIVERED || 0),
      h('div', { class: 'tile', 'data-tile': 'outstanding' }, h('strong', {}, t('tileOutstanding')), h('br'),
        outstanding.length ? outstanding.join(', ') : t('nothing')));
  }

  // --- what needs attention now -----------------------------------------
  // Each item says what went wrong and leads to where it is put right: the
  // run's card or the need in the list.
  function renderAttention() {
    // The server's clock, so the page agrees with the figures it shows.
    const now = Date.parse(s.summary.computeTime);
    const place = (ward) => `${wardName(ward)}, ${hospitalName(api.hospitalOf(ward))}`;
    const open = new Set(s.open.map((r) => r.name));
    const items = [];
    for (const run of s.runs) {
      const driver = volunteerName(run.volunteer);
      for (const stop of run.stops || []) {
        // A failed drop matters while what it carried still waits for a run.
        if (stop.state === 'FAILED' && stop.deliveryRequests.some((n) => open.has(n))) {
          items.push({ kind: 'failed', run: run.name, text: t('attFailed', { place: place(stop.ward), reason: stop.failureReason || '' }), who: t('attDriver', { name: driver }) });
        }
        if (OPEN_RUNS.includes(run.state) && atRisk(stop)) {
          items.push({ kind: 'at-risk', run: run.name, text: t('attAtRisk', { place: place(stop.ward), time: fmtTime(stop.estimatedArrivalTime) }), who: t('attDriver', { name: driver }) });
        }
      }
      const late = now - Date.parse(run.plannedStartTime);
      if (['PLANNED', 'DISPATCHED'].includes(run.state) && late > LATE_START_MS) {
        items.push({ kind: 'late', run: run.name, text: t('attLate', { driver, time: fmtTime(run.plannedStartTime), late: fmtDuration(`${late / 1000}s`) }) });
      }
    }
    for (const r of s.open) {
      const overdue = now - Date.parse(r.deliverBefore);
      if (overdue > 0) {
        items.push({ kind: 'overdue', need: r.name, text: t('attOverdue', { time: fmtDuration(`${overdue / 1000}s`), place: place(r.ward) }), who: needLines(r) });
      }
    }
    if (!items.length) { replace(el.attention, h('p', { class: 'empty' }, t('nothingNeedsAttention'))); return; }
    replace(el.attention, h('ul', {}, items.map((x) => h('li', { class: `attention-item ${x.kind}`, 'data-kind': x.kind, 'data-run': x.run || null, 'data-need': x.need || null },
      h('a', { href: x.run ? '#runs' : '#needs', onclick: (e) => { e.preventDefault(); if (x.run) showRun(x.run); else showNeed(x.need); } }, x.text),
      x.who ? h('span', { class: 'muted who' }, x.who) : null))));
  }

  // reveal scrolls to an element, moves the focus there and marks it for a
  // moment, so the eye finds it.
  function reveal(target) {
    if (!target) return;
    target.setAttribute('tabindex', '-1');
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    target.classList.add('highlight');
    setTimeout(() => target.classList.remove('highlight'), 4000);
  }

  function showRun(name) {
    s.selectedRun = name;
    renderRuns();
    renderMap();
    reveal(el.runs.querySelector(`[data-name="${CSS.escape(name)}"]`));
  }

  // showNeed finds the need in the list, clearing the filters first when
  // they hide it.
  async function showNeed(name) {
    const find = () => el.needs.querySelector(`li.need[data-name="${CSS.escape(name)}"]`);
    // Waiting needs first; one delivered or cancelled is among all of them.
    for (const state of ['waiting', '']) {
      if (find()) break;
      s.filters = { hospital: '', category: '', priority: '', state };
      s.tile = '';
      for (const select of main.querySelectorAll('[data-filter]')) select.value = s.filters[select.dataset.filter];
      await reloadNeeds();
      renderTiles();
    }
    reveal(find());
  }

  // pressTile shows the needs behind a figure; pressed again, every need
  // waiting.
  async function pressTile(id) {
    s.tile = s.tile === id ? '' : id;
    const { state, priority } = TILE_FILTERS[s.tile] || { state: 'waiting', priority: '' };
    Object.assign(s.filters, { state, priority });
    for (const select of main.querySelectorAll('[data-filter]')) select.value = s.filters[select.dataset.filter];
    renderTiles();
    await reloadNeeds();
  }

  function filters() {
    const f = s.filters;
    const select = (key, label, pairs) => {
      const control = h('select', { 'data-filter': key, onchange: async (e) => {
        f[key] = e.target.value;
        if (s.tile) { s.tile = ''; renderTiles(); }
        await reloadNeeds();
      } },
        options(pairs, f[key]));
      return field(label, control);
    };
    return h('form', { class: 'filters', onsubmit: (e) => e.preventDefault(), 'aria-label': t('filters') },
      select('hospital', t('hospital'), [['', t('all')], ...[...s.hospitals.values()].map((x) => [x.name, x.displayName])]),
      select('category', t('category'), [['', t('all')], ...enumOptions('category')]),
      select('priority', t('priority'), [['', t('all')], ...enumOptions('priority')]),
      select('state', t('state'), [['waiting', t('waiting')], ['', t('all')], ...enumOptions('requestState')]));
  }

  async function reloadNeeds() {
    try { await loadNeeds(); renderNeeds(); } catch (e) { showFailure(e); }
  }

  function renderNeeds() {
    const groups = new Map();
    for (const r of s.needs) {
      const hospital = r.hospital;
      if (!groups.has(hospital)) groups.set(hospital, new Map());
      const wards = groups.get(hospital);
      if (!wards.has(r.ward)) wards.set(r.ward, []);
      wards.get(r.ward).push(r);
    }
    showSelection();
    if (!s.needs.length) { replace(el.needs, h('p', { class: 'empty' }, t('noNeeds'))); return; }
    replace(el.needs, [...groups].map(([hospital, wards]) => h('section', { class: 'hospital-group', 'data-hospital': hospital },
      h('h3', {}, hospitalName(hospital)),
      [...wards].map(([ward, list]) => h('div', { class: 'ward-group' },
        h('h4', {}, wardName(ward)),
        h('ul', { class: 'needs' }, list.map(needItem)))))));
  }

  function showSelection() {
    el.selection.textContent = s.selected.size ? t('selectedCount', { n: s.selected.size }) : t('selectHint');
  }

  function needItem(r) {
    const id = uid('need');
    const body = [
      h('span', { class: `badge ${r.priority}` }, t(r.priority)),
      r.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
      h('span', { class: `badge ${r.state}` }, t(r.state)), ' ',
      needLines(r), ' · ', t('dueBy', { time: fmtTime(r.deliverBefore) }),
      r.headcount ? ` · ${t('people', { n: r.headcount })}` : '',
      r.dietaryNotes ? ` · ${r.dietaryNotes}` : '',
      r.run ? ` · ${volunteerName(s.runs.find((x) => x.name === r.run)?.volunteer || '')}` : '',
    ];
    const item = h('li', { class: `need ${r.overdue ? 'is-overdue' : ''}`, 'data-name': r.name });
    if (r.state === 'OPEN') {
      item.append(h('input', { type: 'checkbox', id, checked: s.selected.has(r.name), onchange: (e) => {
        if (e.target.checked) s.selected.add(r.name); else s.selected.delete(r.name);
        showSelection();
        renderRuns();
      } }), h('label', { for: id }, body));
    } else {
      item.append(h('span', {}, body));
    }
    const list = attempts(r, past.of(r));
    if (list) item.append(list);
    return item;
  }

  // needLines says what a need still waits for: a line partly handed over
  // shows what is left of it, not what was first asked for.
  function needLines(r) {
    const waiting = WAITING.includes(r.state);
    return (r.lines || []).map((l, i) => {
      const short = waiting && l.deliveredQuantity > 0 && l.deliveredQuantity < l.quantity;
      return [i ? ', ' : '', short ? h('strong', { class: 'outstanding' }, outstanding(l)) : linesText([l])];
    });
  }

  function attempts(r, found) {
    return attemptList(r, found, { volunteer: volunteerName, hasRun: (n) => s.runs.some((x) => x.name === n), showRun });
  }

  // showAttempts adds the attempts that have just been read to the needs
  // shown, leaving the rest of the list, and any hand on it, alone.
  function showAttempts() {
    for (const r of s.needs) {
      const item = el.needs?.querySelector(`li.need[data-name="${CSS.escape(r.name)}"]`);
      const found = past.of(r);
      if (!item || !found || item.querySelector('.attempts')) continue;
      const list = attempts(r, found);
      if (list) item.append(list);
    }
  }

  // --- runs --------------------------------------------------------------
  function renderRuns() {
    if (!s.runs.length) { replace(el.runs, h('p', { class: 'empty' }, t('noRuns'))); return; }
    replace(el.runs, s.runs.map(runCard));
  }

  function runCard(run) {
    const stops = run.stops || [];
    const done = stops.filter((x) => x.state !== 'PENDING').length;
    const planned = run.state === 'PLANNED';
    const error = h('p', { class: 'form-error', role: 'alert' }, s.errors.get(run.name) || '');
    const card = h('article', { class: `run ${run.state} ${s.selectedRun === run.name ? 'selected' : ''}`, 'data-name': run.name },
      h('h3', {}, volunteerName(run.volunteer), ' — ', depotName(run.depot)),
      h('p', {}, h('span', { class: `badge ${run.state}` }, t(run.state)), ' ',
        t('startsAt', { time: fmtTime(run.plannedStartTime) }), ' · ', loadText(run)),
      stops.length ? [
        h('progress', { value: done, max: stops.length, 'aria-label': t('progress') }),
        h('p', { class: 'muted' }, t('stopsDone', { done, total: stops.length, n: stops.length })),
        h('ol', {}, stops.map((stop, i) => h('li', { 'data-stop': stop.name, class: atRisk(stop) ? 'at-risk' : null },
          `${wardName(stop.ward)}, ${hospitalName(api.hospitalOf(stop.ward))} `,
          h('span', { class: `badge ${stop.state}` }, t(stop.state)),
          h('span', { class: 'muted' }, ` ${t('requests', { n: stop.deliveryRequests.length })} `),
          stop.state === 'DELIVERED' && stop.receivedBy ? h('span', { class: 'received' }, t('receivedByWho', { name: stop.receivedBy })) : null,
          stop.state === 'DELIVERED' ? donorsText(stop) : null,
          stop.state === 'FAILED' ? h('span', { class: 'failure' }, t('failedBecause', { reason: stop.failureReason || '' })) : null,
          planned && i > 0 ? h('button', { type: 'button', class: 'small secondary', 'data-action': 'up', 'aria-label': t('moveUpLabel', { stop: wardName(stop.ward) }),
            onclick: () => move(run, i, -1) }, '↑') : null,
          planned && i < stops.length - 1 ? h('button', { type: 'button', class: 'small secondary', 'data-action': 'down', 'aria-label': t('moveDownLabel', { stop: wardName(stop.ward) }),
            onclick: () => move(run, i, 1) }, '↓') : null,
          arrival(stop)))),
      ] : h('p', { class: 'empty' }, t('noStops')),
      run.notes ? h('p', { class: 'muted' }, run.notes) : null,
      run.cancelReason ? h('p', { class: 'muted' }, t('cancelledBecause', { reason: run.cancelReason })) : null,
      h('div', { class: 'actions' },
        run.state !== 'CANCELLED' ? h('button', { type: 'button', class: 'secondary', 'data-action': 'route', 'aria-pressed': String(s.selectedRun === run.name),
          onclick: () => { s.selectedRun = s.selectedRun === run.name ? '' : run.name; renderRuns(); renderMap(); } }, t('showRoute')) : null,
        planned ? h('button', { type: 'button', 'data-action': 'assign', disabled: s.selected.size === 0,
          onclick: () => assign(run, false) }, t('assignSelected', { n: s.selected.size })) : null,
        planned && s.capacityRun === run.name ? h('button', { type: 'button', class: 'danger', onclick: () => assign(run, true) }, t('assignAnyway')) : null,
        planned && stops.length ? h('button', { type: 'button', 'data-action': 'dispatch', onclick: () => act(run, () => api.post(`/v1/${run.name}:dispatch`, { etag: run.etag, requestId: api.uuid() })) }, t('dispatch')) : null,
        ['PLANNED', 'DISPATCHED'].includes(run.state) && s.cancelling !== run.name ? h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => { s.cancelling = run.name; renderRuns(); } }, t('cancelRun')) : null),
      s.cancelling === run.name ? cancelForm(run) : null,
      error);
    return card;
  }

  // donorsText says whom a delivered drop's goods came from: the first two
  // donors by name, then how many more, counting those not named.
  function donorsText(stop) {
    const names = [...new Set((stop.donors || []).map((d) => d.displayName))];
    const more = Math.max(0, names.length - 2) + (stop.otherDonorCount || 0);
    if (!names.length && !more) return null;
    const shown = names.slice(0, 2).join(', ');
    const text = !names.length ? t('fromUnnamedDonors', { n: more })
      : more ? t('fromDonorsAndOthers', { names: shown, n: more }) : t('fromDonors', { names: shown });
    return h('span', { class: 'donors' }, text);
  }

  // loadText is a run's load: before it leaves, what it will carry; once
  // under way, "x of y kg delivered". y is what was on it when it left,
  // taken as the full quantities of the requests on its stops (a request is
  // carried whole; one re-planned after a short drop counts whole again);
  // x is what the stops' drops handed over.
  function loadText(run) {
    if (['PLANNED', 'DISPATCHED', 'CANCELLED'].includes(run.state)) return t('loadKg', { n: fmtNumber(run.loadKg) });
    const unit = (name, line) => s.carried.get(name)?.lines?.[line]?.unit;
    let x = 0; let y = 0;
    for (const stop of run.stops || []) {
      for (const name of stop.deliveryRequests) {
        for (const l of s.carried.get(name)?.lines || []) y += (KG_PER_UNIT[l.unit] || 0) * l.quantity;
      }
      for (const d of stop.deliveredLines || []) x += (KG_PER_UNIT[unit(d.deliveryRequest, d.line || 0)] || 0) * d.quantity;
    }
    return h('span', { class: 'load' }, t('deliveredOfKg', { x: fmtNumber(x), y: fmtNumber(y) }));
  }

  function cancelForm(run) {
    const close = () => { s.cancelling = ''; renderRuns(); };
    return reasonForm({
      label: t('cancelReason'), confirm: t('confirmCancel'), backLabel: t('keepRun'), onBack: close, className: 'cancel-run',
      send: async (reason) => {
        await api.post(`/v1/${run.name}:cancel`, { reason, etag: run.etag, requestId: api.uuid() });
        s.cancelling = '';
        await refresh();
      },
    });
  }

  async function act(run, call) {
    s.errors.delete(run.name);
    try {
      await call();
      await refresh();
      return true;
    } catch (e) {
      s.errors.set(run.name, e.message || t('failed'));
      s.failure = e;
      renderRuns();
      return false;
    }
  }

  async function assign(run, override) {
    const names = [...s.selected];
    s.capacityRun = '';
    const ok = await act(run, () => api.post(`/v1/${run.name}:assign`, {
      deliveryRequests: names, overrideCapacity: override, etag: run.etag, requestId: api.uuid(),
    }));
    if (ok) { s.selected.clear(); s.selectedRun = run.name; renderData(); return; }
    if ((s.failure?.english || '').includes('override_capacity')) { s.capacityRun = run.name; renderRuns(); }
  }

  async function move(run, i, by) {
    const stops = run.stops.map((x) => ({ name: x.name }));
    [stops[i], stops[i + by]] = [stops[i + by], stops[i]];
    await act(run, () => api.patch(`/v1/${run.name}?updateMask=stops`, { stops, etag: run.etag }));
    const moved = el.runs.querySelector(`[data-name="${CSS.escape(run.name)}"] [data-stop="${CSS.escape(stops[i + by].name)}"] button`);
    if (moved) moved.focus();
  }

  // --- map ---------------------------------------------------------------
  function renderMap() {
    if (![...s.hospitals.values(), ...s.depots.values()].some((p) => p.location && !p.archived)) {
      replace(el.map, h('p', { class: 'empty' }, t('noPlaces')));
      return;
    }
    // A cancelled run goes nowhere: its route is not drawn.
    const run = s.runs.find((r) => r.name === s.selectedRun && r.state !== 'CANCELLED');
    replace(el.map, cityMap({
      hospitals: s.hospitals, depots: s.depots,
      routes: run ? [runRoute(run, s.hospitals, s.depots, { numbered: true })] : [],
      label: run ? t('mapRouteLabel', { driver: volunteerName(run.volunteer) }) : t('mapLabel'),
    }));
  }

  // --- chart -------------------------------------------------------------
  function renderChart() {
    const days = s.summary.deliveredByDay || [];
    const series = bandSeries(days.map((d) => d.quantities));
    if (!series.length) { replace(el.chart, h('p', { class: 'empty' }, t('noDeliveries'))); return; }
    replace(el.chart, bandChart({
      label: t('deliveredChart'), corner: t('day'),
      columns: days.map((d) => fmtDay(d.day)),
      series: series.map((r) => ({
        name: t(r.category), unit: unitLabel(r.unit), values: r.values,
        cell: (v) => `${quantityText(v, r.unit)} ${t(r.category)}`,
      })),
    }));
  }

  // --- activity ----------------------------------------------------------
  function renderActivity() {
    if (!s.events.length) { replace(el.activity, h('li', { class: 'empty' }, t('noActivity'))); return; }
    replace(el.activity, feed(s.events, {
      runs: s.runs, events: s.events, need: (name) => s.known.get(name), showRun, showNeed,
      hospitalName, wardName, volunteerName, depotName,
    }));
  }


  function showFailure(e) {
    replace(el.needs, h('p', { class: 'form-error', role: 'alert' }, e.message));
  }

  return {
    async start() { await loadPlaces(); render(); await refresh(); },
    render,
    refresh,
    async onEvent(e) {
      s.events.unshift(e);
      s.events.length = Math.min(s.events.length, 30);
      // A depot's lots change with every gift and run; they are the stock
      // panel's, redrawn by the refresh that follows, not a change of places.
      if (/^(hospitals|volunteers)\/|^depots\/[^/]+$/.test(e.resource)) { await loadPlaces(); render(); } else if (el.activity) renderActivity();
    },
  };
}
