// The outbox holds a driver's steps made with no connection (a run's
// start, its drops, its finish), in local storage so a reload does not
// lose them, each with the request id it was first sent with. They are
// sent again in the order they were made when the connection is back: the
// server counts a request id once, so a step that did reach it before is
// not counted twice. A step the server refuses is set aside with the
// server's message for the driver to read.
import * as api from './api.js';

const KEY = 'aqjurek.outbox';
const RETRY_MS = 15000;

function load() {
  try {
    const kept = JSON.parse(localStorage.getItem(KEY) || '{}');
    return { waiting: kept.waiting || [], refused: kept.refused || [] };
  } catch {
    return { waiting: [], refused: [] };
  }
}

function save(box) { localStorage.setItem(KEY, JSON.stringify(box)); }

// waiting lists the drops of owner (a driver's resource name) still to
// send, oldest first.
export const waiting = (owner) => load().waiting.filter((x) => x.owner === owner);

// refused lists the drops of owner the server did not accept.
export const refused = (owner) => load().refused.filter((x) => x.owner === owner);

// add queues a step: {owner, key, path, body, requestId, run, stop, kind},
// kind one of start, deliver, fail and complete, and key the api.once key
// it was first sent under.
export function add(drop) {
  const box = load();
  if (box.waiting.some((x) => x.key === drop.key)) return;
  box.waiting.push({ ...drop, at: new Date().toISOString() });
  save(box);
}

// dismiss lets go of a refused drop once the driver has read why.
export function dismiss(requestId) {
  const box = load();
  box.refused = box.refused.filter((x) => x.requestId !== requestId);
  save(box);
}

// A refusal is final when the server answered and said no; a request
// timeout, a rate limit or a server error may pass, and is tried again.
const final = (err) => err instanceof api.ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;

let sending = null;

// send tries owner's waiting drops in order, stopping at the first that
// cannot be sent now. It resolves to whether anything changed.
export function send(owner) {
  if (!sending) sending = sendAll(owner).finally(() => { sending = null; });
  return sending;
}

async function sendAll(owner) {
  let changed = false;
  for (const drop of waiting(owner)) {
    try {
      await api.once(drop.key, () => api.post(drop.path, { ...drop.body, requestId: drop.requestId }));
    } catch (err) {
      if (!final(err)) break;
      const box = load();
      box.refused.push({ ...drop, message: err.message, status: err.status });
      box.waiting = box.waiting.filter((x) => x.requestId !== drop.requestId);
      save(box);
      changed = true;
      continue;
    }
    const box = load();
    box.waiting = box.waiting.filter((x) => x.requestId !== drop.requestId);
    save(box);
    changed = true;
  }
  return changed;
}

let watcher = null;

// watch sends owner's drops when the browser says it is online again and
// every RETRY_MS while any wait (a dead zone often keeps the phone
// "online"), calling changed() after anything was sent or refused. One
// page watches at a time; a new call replaces the last.
export function watch(owner, changed) {
  if (watcher) watcher.stop();
  const attempt = async () => {
    if (!waiting(owner).length) return;
    if (await send(owner)) changed();
  };
  const timer = setInterval(attempt, RETRY_MS);
  window.addEventListener('online', attempt);
  watcher = { stop() { clearInterval(timer); window.removeEventListener('online', attempt); } };
  return attempt;
}
