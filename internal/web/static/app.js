// The application's entry: sign in with a token, then the page for the
// caller's role, kept live by following the change log.
import { h, replace, field, showErrors } from './dom.js';
import * as api from './api.js';
import { t, lang, setLang, applyStatic } from './i18n.js';
import { follow } from './live.js';
import { board } from './board.js';
import { staff } from './staff.js';
import { driver } from './driver.js';
import { keepFiles, rememberCaller, knownCaller, forgetCaller } from './offline.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const liveBadge = document.getElementById('live');
const signOutButton = document.getElementById('signout');
const langSelect = document.getElementById('lang');

let page = null;
let caller = null;
let stopFollowing = null;
let streamState = '';
let reachable = true;

function showLive() {
  const state = !caller ? '' : (streamState === 'live' && reachable ? 'live' : 'offline');
  liveBadge.className = state;
  liveBadge.textContent = state ? t(state) : '';
  liveBadge.dataset.state = state;
}

api.watchReach((ok) => { reachable = ok; showLive(); });

function showWho() {
  who.textContent = t('signedInAs', { name: caller.displayName, role: t(`role_${caller.role}`) });
}

function signInView(message = '') {
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', id: 'token' });
  const form = h('form', { class: 'panel phone', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) { showErrors(form, { violations: [{ field: 'token', description: t('tokenMissing') }] }); return; }
    api.setToken(value);
    await start();
  } },
  h('h1', {}, t('signInTitle')),
  h('p', {}, t('signInIntro')),
  h('p', { class: 'form-error', role: 'alert' }),
  field(t('token'), input, 'token'),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'big' }, t('signIn'))),
  // Donors and the city read what the gifts became with no token.
  h('p', { class: 'public-link' }, h('a', { href: '/public' }, t('publicLink'))));
  replace(main, form);
  if (message) showErrors(form, { violations: [{ field: 'token', description: message }] });
  input.focus();
}

function signOut() {
  if (stopFollowing) stopFollowing();
  stopFollowing = null;
  api.clearToken();
  forgetCaller();
  caller = null;
  page = null;
  who.textContent = '';
  signOutButton.hidden = true;
  showLive();
  signInView();
}

// refreshSoon reloads the page's data shortly after changes, once for a
// burst of them, and not while someone is typing in one of its forms.
let timer = null;
function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const active = document.activeElement;
    if (active && main.contains(active) && active.matches('input, textarea, select') && active.closest('form')) {
      active.addEventListener('blur', refreshSoon, { once: true });
      return;
    }
    try { await page?.refresh(); } catch (e) { /* shown by the offline badge, retried on the next change */ }
  }, 250);
}

async function start() {
  if (!api.token()) { signInView(); return; }
  try {
    caller = await api.get('/v1/caller');
    rememberCaller(caller);
    // Drivers work where the network does not reach: their phone keeps
    // the application's files.
    if (caller.role === 'driver') keepFiles();
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) { api.clearToken(); forgetCaller(); caller = null; signInView(t('tokenRejected')); return; }
    setTimeout(start, 3000);
    if (e instanceof api.Offline && await startOffline()) return;
    replace(main, h('p', { class: 'form-error', role: 'alert' }, e.message));
    return;
  }
  signOutButton.hidden = false;
  showWho();
  // The newest events show what just happened; the log is followed from
  // the newest on.
  const recent = await api.get(`/v1/events${api.query({ orderBy: 'sequence desc', pageSize: 20 })}`);
  const events = recent.events || [];
  const pages = { admin: board, coordinator: board, staff, driver };
  page = pages[caller.role](main, caller, events);
  try {
    await page.start();
  } catch (e) {
    replace(main, h('p', { class: 'form-error', role: 'alert' }, e.message));
    setTimeout(start, 3000);
    return;
  }
  main.focus();
  if (stopFollowing) stopFollowing();
  stopFollowing = follow(events.length ? events[0].sequence : 0, async (e) => {
    await page.onEvent(e);
    refreshSoon();
  }, (state) => {
    if (state === 'unauthorized') { signOut(); return; }
    const back = state === 'live' && streamState === 'offline';
    streamState = state;
    showLive();
    if (back) refreshSoon();
  });
}

// startOffline opens a driver's page, with no connection, as the driver
// last signed in here, from what the page kept; start() is tried again
// until the server answers. Other pages wait for the server.
async function startOffline() {
  if (page) return true;
  const known = knownCaller();
  if (!known || known.role !== 'driver') return false;
  caller = known;
  signOutButton.hidden = false;
  showWho();
  showLive();
  page = driver(main, caller, []);
  try {
    await page.start();
  } catch (e) {
    page = null;
    return false;
  }
  return true;
}

langSelect.value = lang();
applyStatic();
langSelect.addEventListener('change', () => {
  setLang(langSelect.value);
  applyStatic();
  if (caller) {
    showWho();
    page.render();
  } else {
    signInView();
  }
  showLive();
});
signOutButton.addEventListener('click', signOut);
// A tab the person turns to, or acts in, is the one a new tab follows.
for (const type of ['focus', 'pointerdown', 'keydown']) window.addEventListener(type, api.markUsed, true);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') api.markUsed(); });
start();
