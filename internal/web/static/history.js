// A need's attempts: every stop that carried it and was made (handed over
// in full or short, or failed), and every run carrying it that was called
// off. They come from the runs the need rode on (ListRuns by
// delivery_request), each need read once per version of it.
import { h } from './dom.js';
import * as api from './api.js';
import { t, fmtTime } from './i18n.js';
import { part, list } from './words.js';

// How many needs' runs are read at once, so a long list does not flood
// the server.
const PARALLEL = 4;

// attempts lists what happened to need r on runs, oldest first. A drop is
// "short" when something was still to bring after it; its figures are
// "x of what was still to bring then".
export function attempts(r, runs) {
  const found = [];
  for (const run of runs) {
    for (const stop of run.stops || []) {
      if (!stop.deliveryRequests.includes(r.name)) continue;
      if (stop.state === 'DELIVERED' || stop.state === 'FAILED') {
        const given = (r.lines || []).map((_, i) => (stop.deliveredLines || [])
          .filter((d) => d.deliveryRequest === r.name && (d.line || 0) === i).reduce((sum, d) => sum + d.quantity, 0));
        found.push({ kind: stop.state === 'FAILED' ? 'failed' : 'delivered', run, stop, time: stop.deliverTime, given });
      } else if (run.state === 'CANCELLED') {
        found.push({ kind: 'cancelled', run, stop, time: run.updateTime });
      }
    }
  }
  found.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const left = (r.lines || []).map((l) => l.quantity);
  for (const a of found) {
    if (a.kind !== 'delivered') continue;
    a.before = [...left];
    a.given.forEach((x, i) => { left[i] = Math.max(left[i] - x, 0); });
    if (left.some((x) => x > 0)) a.kind = 'short';
  }
  return found;
}

// history keeps the runs of each need shown, read in the background;
// changed is called when some arrive.
export function history(changed) {
  const cache = new Map();
  const queue = [];
  let running = 0;
  let again = null;

  function pump() {
    while (running < PARALLEL && queue.length) {
      const r = queue.shift();
      running += 1;
      api.listAll('/v1/runs', 'runs', { deliveryRequest: r.name })
        .then((runs) => { if (cache.get(r.name)?.etag === r.etag) cache.get(r.name).runs = runs; })
        // Not read: shown without its attempts until the need changes,
        // rather than asked for again at every redraw.
        .catch(() => { if (cache.get(r.name)?.etag === r.etag) cache.get(r.name).runs = []; })
        .finally(() => {
          running -= 1;
          pump();
          clearTimeout(again);
          again = setTimeout(changed, 30);
        });
    }
  }

  // of returns need r's attempts, or null while they are being read. A
  // need not changed since it was filed has been on no run.
  function of(r) {
    if (r.updateTime === r.createTime) return [];
    const c = cache.get(r.name);
    if (c && c.etag === r.etag) return c.runs ? attempts(r, c.runs) : null;
    cache.set(r.name, { etag: r.etag, runs: null });
    queue.push(r);
    pump();
    return null;
  }

  return { of };
}

// attemptList shows a need's attempts; names turns ids into names and
// showRun leads to a run's card when the board shows it.
export function attemptList(r, found, { volunteer, hasRun, showRun }) {
  if (!found || !found.length) return null;
  return h('ul', { class: 'attempts', 'aria-label': t('attemptsLabel') }, found.map((a) => {
    const driver = volunteer(a.run.volunteer);
    const lines = r.lines || [];
    let text;
    if (a.kind === 'failed') text = t('histFailed', { reason: a.stop.failureReason || '' });
    else if (a.kind === 'cancelled') text = t('histCancelled', { reason: a.run.cancelReason || '' });
    else {
      const parts = lines.map((l, i) => part(l, a.given[i], a.before[i])).filter((_, i) => a.before[i] > 0);
      text = t(a.kind === 'short' ? 'histShort' : 'histFull', { items: list(parts) });
    }
    const problem = a.kind !== 'delivered';
    const who = hasRun(a.run.name)
      ? h('a', { href: '#runs', onclick: (e) => { e.preventDefault(); showRun(a.run.name); } }, t('histDriver', { name: driver }))
      : t('histDriver', { name: driver });
    return h('li', { class: `attempt ${a.kind}`, 'data-kind': a.kind, 'data-run': a.run.name },
      h('time', { datetime: a.time }, fmtTime(a.time)), ' ',
      problem ? h('span', { class: 'icon', 'aria-hidden': 'true' }, a.kind === 'short' ? '◐' : '⚠') : null,
      h('span', { class: 'what' }, text), ' · ', who,
      a.stop.receivedBy && a.kind !== 'failed' ? [' · ', t('receivedByWho', { name: a.stop.receivedBy })] : null);
  }));
}
