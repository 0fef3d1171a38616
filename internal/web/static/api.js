// The REST API client: every call carries the signed-in token and the
// page's language; errors come back as ApiError with the server's message
// and field violations in that language.

import { lang } from './i18n.js';

const TOKEN_KEY = 'aqjurek.token';

// Each tab keeps its own sign-in in session storage, which lives as long
// as the tab, through reloads: a coordinator's tab and a driver's tab in
// one browser stay who they are. Local storage holds the sign-in of the
// tab last used, which a new tab (a link opened in one, a bookmark) starts
// with: it is signed in as the tab the person just came from. A tab signed
// out stays signed out, even when reloaded.
export function token() {
  const own = sessionStorage.getItem(TOKEN_KEY);
  if (own !== null) return own;
  const last = localStorage.getItem(TOKEN_KEY) || '';
  if (last) sessionStorage.setItem(TOKEN_KEY, last);
  return last;
}
export function setToken(t) { sessionStorage.setItem(TOKEN_KEY, t); localStorage.setItem(TOKEN_KEY, t); }
export function clearToken() {
  // A new tab must not come up as someone who just signed out.
  if (localStorage.getItem(TOKEN_KEY) === sessionStorage.getItem(TOKEN_KEY)) localStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(TOKEN_KEY, '');
}
// markUsed makes this tab's sign-in the one a new tab starts with; it is
// called whenever the person turns to the tab.
export function markUsed() {
  const own = sessionStorage.getItem(TOKEN_KEY);
  if (own) localStorage.setItem(TOKEN_KEY, own);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(localized(body) || (body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    // english is the server's message for developers; message is the one
    // for the person, in the language the call asked for.
    this.english = (body && body.message) || '';
    this.violations = [];
    for (const d of (body && body.details) || []) {
      for (const v of d.fieldViolations || []) {
        this.violations.push({ field: v.field, description: v.localizedMessage?.message || v.description });
      }
    }
  }
}

// localized is the google.rpc.LocalizedMessage of an error body (AIP-193).
function localized(body) {
  const d = ((body && body.details) || []).find((x) => x['@type'] === 'type.googleapis.com/google.rpc.LocalizedMessage');
  return d ? d.message : '';
}

// offline is thrown when the server could not be reached: the call may or
// may not have been carried out.
export class Offline extends Error {}

let onReach = () => {};
// watchReach is told, after every call, whether the server answered.
export function watchReach(f) { onReach = f; }

// answer sends a call with the token and the page's language and returns
// the server's answer when it is a success; a refusal throws an ApiError,
// no answer at all Offline.
async function answer(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}`, 'Accept-Language': lang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    onReach(false);
    throw new Offline(e.message);
  }
  onReach(true);
  if (!res.ok) throw new ApiError(res.status, parse(await res.text()));
  return res;
}

function parse(text) {
  try { return text ? JSON.parse(text) : {}; } catch { return { message: text }; }
}

export async function call(method, path, body) {
  return parse(await (await answer(method, path, body)).text());
}

// file fetches a download, such as a CSV, with the token, which a plain
// link would not carry: the name the server gives it, and its contents.
export async function file(path) {
  const res = await answer('GET', path);
  const named = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '');
  return { name: named ? named[1] : '', blob: await res.blob() };
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);
export const patch = (path, body) => call('PATCH', path, body);

// query builds a query string from an object; arrays repeat the key and
// empty values are left out.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const x of Array.isArray(v) ? v : [v]) if (x !== '' && x !== undefined && x !== null) q.append(k, x);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// listAll follows next_page_token, up to limit items.
export async function listAll(path, field, params = {}, limit = 5000) {
  const items = [];
  let pageToken = '';
  do {
    const page = await get(path + query({ ...params, pageSize: 1000, pageToken }));
    items.push(...(page[field] || []));
    pageToken = page.nextPageToken;
  } while (pageToken && items.length < limit);
  return items;
}

// uuid makes a request id; crypto.randomUUID needs a secure context, and
// the service is often reached over plain http on a local network.
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const PENDING_KEY = 'aqjurek.pending';

// once runs an action that must happen at most once, such as a delivery,
// under a request id kept in local storage until the server has answered.
// A retry after a lost connection, even after a reload, sends the same id,
// and the server returns the first result instead of acting twice.
export async function once(key, act) {
  const pending = JSON.parse(localStorage.getItem(PENDING_KEY) || '{}');
  const requestId = pending[key] || uuid();
  pending[key] = requestId;
  localStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const settle = () => {
    const now = JSON.parse(localStorage.getItem(PENDING_KEY) || '{}');
    delete now[key];
    localStorage.setItem(PENDING_KEY, JSON.stringify(now));
  };
  try {
    const result = await act(requestId);
    settle();
    return result;
  } catch (e) {
    // Refused outright: a corrected retry is a new request. Not reached,
    // overloaded or failed on the server: the same id goes again.
    if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) settle();
    throw e;
  }
}

// hospitalOf returns the hospital of a ward, `hospitals/{h}/wards/{w}`.
export const hospitalOf = (ward) => ward.split('/').slice(0, 2).join('/');

// idOf returns the last segment of a resource name.
export const idOf = (name) => (name || '').split('/').pop();
