// Plan the day: the server proposes runs for every open need across the
// drivers and depots (PlanRuns with validateOnly); the board shows the
// proposal, runs in colours on the map, and stores exactly it with one
// press. Nothing is stored until then.
import { h, replace } from './dom.js';
import * as api from './api.js';
import { t, lang, fmtTime, fmtNumber, fmtDuration, linesText } from './i18n.js';
import { cityMap, runRoute, routeClass } from './map.js';
import { arrival } from './arrival.js';

// FAILED_PRECONDITION: the proposal no longer fits what is stored.
const FAILED_PRECONDITION = 9;

// planner keeps the proposal of the board s (its places, needs and names)
// across redraws; onApplied is called once a plan is stored.
export function planner(s, names, onApplied) {
  const p = {
    open: false, busy: '', proposal: null, requests: new Map(), error: '', stale: false, notice: '',
    // The apply's request id is made once per proposal: pressing again,
    // or retrying after a lost answer, can only store it once.
    applyId: '',
  };
  let slot = null;

  // mount draws the panel into el, after the board has redrawn itself.
  function mount(el) { slot = el; draw(); }

  async function propose() {
    Object.assign(p, { open: true, busy: 'planning', proposal: null, error: '', stale: false, notice: '' });
    draw();
    try {
      const proposal = await api.post('/v1/runs:plan', { validateOnly: true, requestId: api.uuid() });
      // What each left-out need is, even when the board's filters hide it.
      const known = new Map(s.needs.map((r) => [r.name, r]));
      const left = (proposal.unplanned || []).map((u) => u.deliveryRequest);
      const found = await Promise.all(left.map((n) => known.get(n) || api.get(`/v1/${n}`).catch(() => null)));
      p.requests = new Map(left.map((n, i) => [n, found[i]]));
      Object.assign(p, { proposal, applyId: api.uuid() });
    } catch (e) {
      p.error = e instanceof api.Offline ? t('notSent') : e.message;
    }
    p.busy = '';
    draw();
    slot.querySelector('#plan-h')?.focus();
  }

  async function apply() {
    if (p.busy || !p.proposal) return;
    p.busy = 'applying';
    p.error = '';
    draw();
    const runs = (p.proposal.runs || []).map((r) => ({
      volunteer: r.volunteer, depot: r.depot, plannedStartTime: r.plannedStartTime,
      stops: (r.stops || []).map((x) => ({ ward: x.ward, deliveryRequests: x.deliveryRequests })),
    }));
    try {
      const stored = await api.post('/v1/runs:plan', { runs, requestId: p.applyId });
      Object.assign(p, { open: false, proposal: null, notice: t('planApplied', { n: (stored.runs || []).length }) });
      p.busy = '';
      draw();
      await onApplied(stored.runs || []);
    } catch (e) {
      p.busy = '';
      p.stale = e instanceof api.ApiError && e.code === FAILED_PRECONDITION;
      p.error = e instanceof api.Offline ? t('notSent') : e.message;
      draw();
    }
  }

  function discard() {
    Object.assign(p, { open: false, proposal: null, error: '', stale: false, notice: '' });
    draw();
  }

  function draw() {
    if (!slot) return;
    if (!p.open) {
      replace(slot, p.notice ? h('p', { class: 'notice', role: 'status' }, p.notice) : null);
      return;
    }
    // A proposal the server refused as stale is of no more use.
    const plan = p.stale ? null : p.proposal;
    const empty = plan && !(plan.runs || []).length && !(plan.unplanned || []).length;
    replace(slot, h('section', { class: 'plan', id: 'plan', 'aria-labelledby': 'plan-h', 'aria-busy': String(Boolean(p.busy)) },
      h('h2', { id: 'plan-h', tabindex: '-1' }, t('planTitle')),
      p.busy === 'planning' ? h('p', { class: 'muted', role: 'status' }, t('planning')) : null,
      p.error ? h('div', { class: 'form-error', role: 'alert' },
        h('p', {}, p.stale ? t('planStale') : t('planFailed')), h('p', { class: 'server-says' }, p.error)) : null,
      empty ? h('p', { class: 'empty' }, t('nothingToPlan')) : null,
      plan && !empty ? [summary(plan.summary || {}), runsAndMap(plan.runs || []), leftOut(plan.unplanned || [])] : null,
      h('div', { class: 'actions' },
        plan && (plan.runs || []).length ? h('button', { type: 'button', 'data-action': 'apply-plan', disabled: Boolean(p.busy), onclick: apply },
          p.busy === 'applying' ? t('applying') : t('applyPlan')) : null,
        p.error && !plan ? h('button', { type: 'button', 'data-action': 'plan-again', onclick: propose }, t('planAgain')) : null,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'discard-plan', disabled: p.busy === 'applying', onclick: discard }, t('discard')))));
    if (p.error) slot.querySelector('[role=alert]').scrollIntoView({ block: 'nearest' });
  }

  function summary(x) {
    const figure = (id, n, label, alert) => h('div', { class: `tile ${alert && n > 0 ? 'alert' : ''}`, 'data-figure': id },
      h('span', { class: 'n' }, n), label);
    return h('div', { class: 'tiles plan-summary' },
      figure('planned', fmtNumber(x.plannedRequests), t('sumPlanned', { n: x.plannedRequests || 0 })),
      figure('unplanned', fmtNumber(x.unplannedRequests), t('sumUnplanned', { n: x.unplannedRequests || 0 }), true),
      figure('runs', fmtNumber(x.runs), t('sumRuns', { n: x.runs || 0 })),
      figure('distance', fmtNumber(Math.round((x.distanceKm || 0) * 10) / 10), t('sumDistance')),
      figure('driving', fmtDuration(x.drivingTime), t('sumDriving')),
      figure('at-risk', fmtNumber(x.stopsAtRisk), t('sumAtRisk', { n: x.stopsAtRisk || 0 }), true));
  }

  function runsAndMap(runs) {
    const label = t('planMapLabel');
    const map = [...s.hospitals.values(), ...s.depots.values()].some((x) => x.location && !x.archived)
      ? cityMap({ hospitals: s.hospitals, depots: s.depots, label, width: 400,
        routes: runs.map((r, i) => runRoute(r, s.hospitals, s.depots, { className: routeClass(i), numbered: true })) })
      : h('p', { class: 'empty' }, t('noPlaces'));
    return h('div', { class: 'plan-body' },
      h('div', { class: 'plan-runs' }, runs.map(runCard)),
      h('figure', { class: 'map plan-map' }, map,
        h('figcaption', {}, h('ul', { class: 'legend' }, runs.map((r, i) => h('li', {},
          h('span', { class: `swatch ${routeClass(i)}`, 'aria-hidden': 'true' }), t('runN', { n: i + 1 }), ': ', names.volunteer(r.volunteer)))))));
  }

  function runCard(run, i) {
    const capacity = s.volunteers.get(run.volunteer)?.capacityKg;
    const load = fmtNumber(Math.round((run.loadKg || 0) * 10) / 10);
    return h('article', { class: `plan-run ${routeClass(i)}`, 'data-volunteer': run.volunteer },
      h('h3', {}, h('span', { class: `swatch ${routeClass(i)}`, 'aria-hidden': 'true' }), t('runN', { n: i + 1 }), ': ',
        names.volunteer(run.volunteer), ' — ', names.depot(run.depot)),
      h('p', {}, t('startsAt', { time: fmtTime(run.plannedStartTime) }), ' · ',
        capacity ? t('loadOf', { load, capacity: fmtNumber(capacity) }) : t('loadKg', { n: load })),
      h('ol', {}, (run.stops || []).map((stop) => h('li', { 'data-requests': stop.deliveryRequests.join(' ') },
        h('span', { class: 'place' }, `${names.ward(stop.ward)}, ${names.hospital(api.hospitalOf(stop.ward))}`), ' ',
        h('span', { class: 'muted' }, t('requests', { n: stop.deliveryRequests.length })),
        arrival(stop)))));
  }

  function leftOut(unplanned) {
    return h('section', { class: 'left-out', 'aria-labelledby': 'left-out-h' },
      h('h3', { id: 'left-out-h' }, t('leftOut')),
      unplanned.length ? h('ul', {}, unplanned.map((u) => {
        const r = p.requests.get(u.deliveryRequest);
        return h('li', { 'data-name': u.deliveryRequest, 'data-reason': u.reason },
          r ? [h('span', { class: `badge ${r.priority}` }, t(r.priority)),
            h('strong', {}, `${names.ward(r.ward)}, ${names.hospital(api.hospitalOf(r.ward))}`), ': ', linesText(r.lines),
            ' · ', t('dueBy', { time: fmtTime(r.deliverBefore) })] : h('strong', {}, api.idOf(u.deliveryRequest)),
          h('p', {}, h('span', { class: 'badge reason' }, t(`reason_${u.reason}`)), ' ', explanation(u, r)));
      })) : h('p', { class: 'empty' }, t('noneLeftOut')));
  }

  // explanation is the server's sentence, which carries the figures, in
  // English; in another language the reason's own sentence.
  function explanation(u, r) {
    if (lang() === 'en' && u.explanation) return `${u.explanation[0].toUpperCase()}${u.explanation.slice(1)}.`;
    return t(`why_${u.reason}`, { time: r ? fmtTime(r.deliverBefore) : '' });
  }

  return { mount, propose, busy: () => Boolean(p.busy) };
}
