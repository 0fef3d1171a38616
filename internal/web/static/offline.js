// Working through a dead zone: the service worker keeps the application's
// files, and who signed in is kept with the token, so a page reloaded with
// no connection opens as the same person, from what it saved.
import { token } from './api.js';

// keepFiles registers the service worker and hands it the files this page
// loaded before it ran. Browsers allow a worker only in a secure context
// (https, or the machine itself); elsewhere the page works as before,
// online only.
export async function keepFiles() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const ready = await navigator.serviceWorker.ready;
    const own = (u) => u.origin === location.origin && !u.pathname.startsWith('/v1/');
    const files = performance.getEntriesByType('resource').map((e) => new URL(e.name)).filter(own).map((u) => u.pathname);
    ready.active.postMessage({ keep: ['/', ...new Set(files)] });
  } catch (e) {
    console.warn('the page will not open offline:', e.message);
  }
}

const CALLER_KEY = 'aqjurek.caller';

// tokenMark tells one token from another without keeping a second copy
// of it (FNV-1a).
function tokenMark(tok) {
  let x = 0x811c9dc5;
  for (let i = 0; i < tok.length; i += 1) x = Math.imul(x ^ tok.charCodeAt(i), 0x01000193) >>> 0;
  return x.toString(16);
}

// rememberCaller keeps who the server said the token belongs to.
export function rememberCaller(caller) {
  localStorage.setItem(CALLER_KEY, JSON.stringify({ mark: tokenMark(token()), caller }));
}

// knownCaller is who the current token belonged to when the server last
// answered, or null.
export function knownCaller() {
  try {
    const kept = JSON.parse(localStorage.getItem(CALLER_KEY) || 'null');
    return kept && token() && kept.mark === tokenMark(token()) ? kept.caller : null;
  } catch {
    return null;
  }
}

export function forgetCaller() { localStorage.removeItem(CALLER_KEY); }
