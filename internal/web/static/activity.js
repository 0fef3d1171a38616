// The activity feed as sentences: "Olga Kim delivered 7 of 13 portions of
// plov to ICU, City Hospital No. 7". Names come from what the board has
// loaded (runs, needs, volunteers, places); an event about something it has
// not loaded reads as a plainer sentence of the same kind. Failed drops and
// cancellations are marked with an icon and a word, not colour alone.
import { h } from './dom.js';
import * as api from './api.js';
import { t, fmtTime, dictionaries } from './i18n.js';
import { part, list, listParts } from './words.js';

// Kinds of a run's step that also write an event for each need it touched;
// the run's own event tells the whole step.
const RUN_STEPS = ['ASSIGNED', 'UNASSIGNED', 'DISPATCHED', 'STARTED', 'DELIVERED', 'FAILED', 'CANCELLED', 'COMPLETED'];
const PLACES = { hospitals: 'hospital', depots: 'depot', volunteers: 'volunteer' };

// same reports whether two times are one instant: a step's events and its
// stop's deliver_time carry the transaction's clock.
const same = (a, b) => Boolean(a && b) && Date.parse(a) === Date.parse(b);

// steps finds the needs' events that belong to a run's step: a step
// writes one event for each need it changed, then the run's own, in one
// transaction, so they are neighbours in the log with one kind and time.
// It returns the needs' events of each run event, by the run event's name.
function steps(events) {
  const bySequence = [...events].sort((a, b) => Number(a.sequence) - Number(b.sequence));
  const out = new Map();
  let streak = [];
  for (const e of bySequence) {
    const last = streak[streak.length - 1];
    const continues = last && last.kind === e.kind && same(last.eventTime, e.eventTime) && Number(e.sequence) === Number(last.sequence) + 1;
    if (e.resource.startsWith('runs/') && RUN_STEPS.includes(e.kind)) {
      out.set(e.name, continues ? streak : []);
      streak = [];
    } else if (e.resource.startsWith('deliveryRequests/')) {
      streak = continues ? [...streak, e] : [e];
    } else {
      streak = [];
    }
  }
  return out;
}

// feed returns the list items of events, newest first, leaving out a
// need's share of a run's step when the run's own event is there. b holds
// what the board knows: runs, need(name), names, and showRun / showNeed.
export function feed(events, b) {
  const shares = steps(events);
  const told = new Set([...shares.values()].flat().map((e) => e.name));
  return events.filter((e) => !told.has(e.name)).map((e) => item(e, { ...b, shares }));
}

function item(e, b) {
  const s = sentence(e, b);
  const problem = s.problem ? h('span', { class: 'flag' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('actProblem')) : null;
  return h('li', { class: s.problem ? 'problem' : null, 'data-kind': e.kind, 'data-resource': e.resource },
    h('time', { datetime: e.eventTime }, fmtTime(e.eventTime)), problem, ' ',
    h('span', { class: 'sentence' }, s.parts || e.summary),
    s.byDriver && e.actorRole === 'driver' ? null : h('span', { class: 'muted' }, ` — ${e.actor}`));
}

// fill puts values into a label: strings as text, nodes (links) as they
// are; a count n picks the label's plural form.
// A kind of event the page has no words for yet is left to the server's
// summary.
function fill(key, vars) {
  if (!(key in dictionaries.en) && !(`${key}_one` in dictionaries.en)) return null;
  const text = {};
  for (const [k, v] of Object.entries(vars)) if (!(v instanceof Node)) text[k] = v;
  return t(key, text).split(/\{(\w+)\}/).map((x, i) => (i % 2 ? vars[x] ?? '' : x));
}

function link(label, go) {
  return h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); go(); } }, label);
}

function sentence(e, b) {
  const [collection] = e.resource.split('/');
  if (collection === 'runs') return runSentence(e, b);
  if (collection === 'deliveryRequests') return needSentence(e, b);
  if (collection === 'hospitals' && e.resource.includes('/wards/')) {
    return { parts: fill(`actWard_${e.kind}`, { name: b.wardName(e.resource), hospital: b.hospitalName(api.hospitalOf(e.resource)) }) };
  }
  // A depot's lot is stock, not the depot: told as what happened at it.
  if (collection === 'depots' && e.resource.includes('/lots/')) {
    const depot = b.depotName(e.resource.split('/').slice(0, 2).join('/'));
    return { parts: fill(e.kind === 'CREATED' ? 'actLot_CREATED' : 'actLot_UPDATED', { depot }) };
  }
  const type = PLACES[collection];
  if (type) {
    const name = { hospital: b.hospitalName, depot: b.depotName, volunteer: b.volunteerName }[type](e.resource);
    return { parts: fill(`act_${type}_${e.kind}`, { name: name === e.resource ? api.idOf(name) : name }) };
  }
  return { parts: [e.summary] };
}

// place names a ward with its hospital, in the words each language puts
// round them.
const place = (ward, b) => ({ place: `${b.wardName(ward)}, ${b.hospitalName(api.hospitalOf(ward))}`, ward: b.wardName(ward), hospital: b.hospitalName(api.hospitalOf(ward)) });

function runSentence(e, b) {
  const run = b.runs.find((r) => r.name === e.resource);
  const problem = e.kind === 'FAILED' || e.kind === 'CANCELLED';
  if (!run) return { parts: fill(`actRunSome_${e.kind}`, {}), problem };
  const driver = link(b.volunteerName(run.volunteer), () => b.showRun(run.name));
  const stops = run.stops || [];
  switch (e.kind) {
    case 'CREATED': return { parts: fill('actRun_CREATED', { driver, time: fmtTime(run.plannedStartTime) }) };
    case 'ASSIGNED':
    case 'UNASSIGNED': {
      const count = b.shares.get(e.name)?.length || 0;
      return { parts: fill(count ? `actRun_${e.kind}` : `actRunSome_${e.kind}`, { driver, n: count }) };
    }
    case 'DISPATCHED': return { parts: fill('actRun_DISPATCHED', { driver, n: stops.length }) };
    case 'STARTED': return { parts: fill('actRun_STARTED', { driver, depot: b.depotName(run.depot) }), byDriver: true };
    case 'COMPLETED': return { parts: fill('actRun_COMPLETED', { driver }), byDriver: true };
    case 'CANCELLED': return { parts: fill('actRun_CANCELLED', { driver, reason: run.cancelReason || '' }), problem };
    case 'DELIVERED':
    case 'FAILED': {
      const stop = stops.find((x) => x.state === e.kind && same(x.deliverTime, e.eventTime));
      if (!stop) return { parts: fill(`actRunSome_${e.kind}`, {}), problem };
      const where = place(stop.ward, b);
      if (e.kind === 'FAILED') return { parts: fill('actRun_FAILED', { driver, ...where, reason: stop.failureReason || '' }), problem, byDriver: true };
      const items = handedOver(stop, b);
      const parts = fill(items.length ? 'actRun_DELIVERED' : 'actRun_DROPPED', { driver, ...where, items: h('span', {}, listParts(items)) });
      if (stop.receivedBy) parts?.push(t('actReceived', { name: stop.receivedBy }));
      return { parts, byDriver: true };
    }
    default: return { parts: fill('actRun_UPDATED', { driver }) };
  }
}

// handedOver is what a stop's drop gave, a phrase for each line of each
// need the board knows, each leading to its need: "7 of 13 portions of
// plov".
function handedOver(stop, b) {
  const out = [];
  for (const d of stop.deliveredLines || []) {
    const line = b.need(d.deliveryRequest)?.lines?.[d.line || 0];
    if (!line || !d.quantity) continue;
    out.push(link(part(line, d.quantity, line.quantity), () => b.showNeed(d.deliveryRequest)));
  }
  return out;
}

function needSentence(e, b) {
  const r = b.need(e.resource);
  // A need's CANCELLED event outside a run's step is its own
  // cancellation; the reason is known once the board has seen the need
  // cancelled.
  const kind = e.kind === 'CANCELLED' && r && r.state !== 'CANCELLED' ? 'CANCELLED_BARE' : e.kind;
  const problem = ['FAILED', 'CANCELLED', 'CANCELLED_BARE'].includes(kind);
  if (!r) return { parts: fill(`actNeedSome_${kind}`, {}), problem };
  const where = place(r.ward, b);
  const go = () => b.showNeed(r.name);
  const vars = { ...where, place: link(where.place, go), ward: link(where.ward, go), reason: r.cancelReason || '',
    items: list((r.lines || []).map((l) => part(l, l.quantity))) };
  return { parts: fill(`actNeed_${kind}`, vars), problem };
}
