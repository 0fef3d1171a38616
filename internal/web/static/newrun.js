// The board's form to plan one run by hand. Planning a driver who is
// already on a run at that time warns first, naming that run, and plans
// only once the coordinator confirms.
import { h, replace, field, options, showErrors, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, fmtTime, fmtNumber, localInput, fromLocalInput } from './i18n.js';

const OPEN_RUNS = ['PLANNED', 'DISPATCHED', 'IN_PROGRESS'];

// How long a run keeps its driver, as the server plans it: six minutes to
// park at each stop, four to hand over each request, thirty for the way
// back; and an hour at the least for any run.
const PARKING_MIN = 6;
const HANDOVER_MIN = 4;
const RETURN_MIN = 30;
const BUSY_AT_LEAST_MS = 60 * 60000;

// newRunForm is the form on board state s (its volunteers, depots, runs and
// figures); showRun leads to a run's card, refresh reloads the board once a
// run is planned.
export function newRunForm(s, { volunteerName, showRun, refresh }) {
  const volunteer = h('select', { required: true }, options([['', t('choose')],
    ...[...s.volunteers.values()].filter((v) => v.active).map((v) => [v.name, `${v.displayName} (${t('loadKg', { n: fmtNumber(v.capacityKg) })})`])]));
  const depot = h('select', { required: true }, options([['', t('choose')], ...[...s.depots.values()].filter((d) => !d.archived).map((d) => [d.name, d.displayName])]));
  const start = h('input', { type: 'datetime-local', required: true, value: localInput(new Date(Date.now() + 30 * 60000)) });
  const notes = h('input', { type: 'text' });
  const notice = h('p', { class: 'notice', role: 'status' });
  // A driver already on a run at that time is planned again only once
  // the coordinator has seen the other run and confirmed: for this
  // driver and start.
  const warning = h('div', { class: 'busy-warning', role: 'alert' });
  let confirmed = '';
  const choice = () => `${volunteer.value} ${start.value}`;
  const unwarn = () => { replace(warning); confirmed = ''; };
  for (const control of [volunteer, start]) control.addEventListener('change', unwarn);
  // One request id per filling of the form: a second press, or a retry
  // after a lost answer, returns the run the first one planned. A new id
  // comes once the run is planned and the form is cleared.
  let requestId = api.uuid();
  const form = h('form', { class: 'new-run', 'aria-labelledby': 'new-run-h', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(form);
    notice.textContent = '';
    const busy = volunteer.value && start.value ? busyWith(s, volunteer.value, Date.parse(fromLocalInput(start.value))) : [];
    if (busy.length && confirmed !== choice()) {
      warn(busy);
      return;
    }
    try {
      // The body is the run; the request id travels in the query.
      const run = await api.post(`/v1/runs${api.query({ requestId })}`, { volunteer: volunteer.value, depot: depot.value,
        plannedStartTime: fromLocalInput(start.value), notes: notes.value });
      requestId = api.uuid();
      unwarn();
      volunteer.value = ''; depot.value = ''; notes.value = '';
      start.value = localInput(new Date(Date.now() + 30 * 60000));
      s.selectedRun = run.name;
      notice.textContent = t('runPlanned');
      await refresh();
    } catch (err) {
      showErrors(form, err, ['run.']);
    }
  } },
  h('h3', { id: 'new-run-h' }, t('planRun')),
  h('p', { class: 'form-error', role: 'alert' }),
  h('div', { class: 'row' }, field(t('driver'), volunteer, 'volunteer'), field(t('depot'), depot, 'depot')),
  h('div', { class: 'row' }, field(t('plannedStart'), start, 'planned_start_time'), field(t('notes'), notes, 'notes')),
  warning,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('planRunButton'))), notice);

  function warn(busy) {
    replace(warning,
      h('p', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), h('strong', {}, t('busyWarn', { driver: volunteerName(volunteer.value) }))),
      h('ul', {}, busy.map(({ run, from, to }) => h('li', { 'data-run': run.name },
        link(t('busyRun', { state: t(run.state), start: fmtTime(new Date(from).toISOString()), back: fmtTime(new Date(to).toISOString()) }), () => showRun(run.name))))),
      h('p', {}, t('busyAsk')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', 'data-action': 'plan-anyway', onclick: () => { confirmed = choice(); form.requestSubmit(); } }, t('planAnyway')),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'change-run', onclick: () => { unwarn(); volunteer.focus(); } }, t('changeRun'))));
    warning.querySelector('button').focus();
  }
  return form;
}

function link(label, go) {
  return h('a', { href: '#runs', onclick: (e) => { e.preventDefault(); go(); } }, label);
}

// busyWith lists the driver's runs, still to finish, that a run leaving
// at start would overlap, each with when it takes the driver: from its
// planned start until the driver is back at the depot, as the server
// counts it (the last estimated drop, the handovers there and the way
// back), an hour at the least. The new run, with no stops yet, takes that
// hour too; a run under way keeps its driver until back, and not before
// the way back from where the driver is now.
function busyWith(s, volunteer, start) {
  const now = Date.parse(s.summary.computeTime);
  const found = [];
  for (const run of s.runs) {
    if (run.volunteer !== volunteer || !OPEN_RUNS.includes(run.state)) continue;
    const from = Date.parse(run.plannedStartTime);
    let to = from + BUSY_AT_LEAST_MS;
    for (const stop of run.stops || []) {
      if (stop.state !== 'PENDING' || !stop.estimatedArrivalTime) continue;
      to = Math.max(to, Date.parse(stop.estimatedArrivalTime) + (PARKING_MIN + HANDOVER_MIN * stop.deliveryRequests.length + RETURN_MIN) * 60000);
    }
    if (run.state === 'IN_PROGRESS') to = Math.max(to, now + RETURN_MIN * 60000);
    if (start < to && from < start + BUSY_AT_LEAST_MS) found.push({ run, from, to });
  }
  return found;
}
