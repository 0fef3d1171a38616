// The staff page, phone-sized: file a need for a ward of the caller's
// hospital, and follow, edit and cancel the hospital's requests.
import { h, replace, field, options, showErrors, clearErrors, reasonForm } from './dom.js';
import * as api from './api.js';
import { arrival } from './arrival.js';
import { t, fmtTime, fmtNumber, quantityText, enumOptions, localInput, fromLocalInput, DEFAULT_UNIT } from './i18n.js';

// HIDE_KEY remembers, in this browser, whether finished requests are hidden.
const HIDE_KEY = 'aqjurek.staff.hideFinished';
const FINISHED = ['CANCELLED', 'DELIVERED'];

export function staff(main, caller) {
  const s = { hospital: null, wards: [], requests: [], editing: null, cancelling: '', draft: null, requestId: '',
    hideFinished: localStorage.getItem(HIDE_KEY) === '1' };
  const el = {};

  async function loadPlaces() {
    s.hospital = await api.get(`/v1/${caller.hospital}`);
    s.wards = (await api.listAll(`/v1/${caller.hospital}/wards`, 'wards')).filter((w) => !w.archived);
  }

  let shown = '';
  async function refresh() {
    s.requests = await api.listAll('/v1/deliveryRequests', 'deliveryRequests', { hospital: caller.hospital, orderBy: 'create_time desc' }, 200);
    // Redraw only on a change, so a change elsewhere does not disturb a
    // hand on this page.
    const now = JSON.stringify(s.requests);
    if (now === shown) return;
    shown = now;
    renderRequests();
  }

  const wardName = (n) => s.wards.find((w) => w.name === n)?.displayName || n.split('/').pop();

  function render() {
    el.form = needForm();
    el.requests = h('div', { id: 'requests' });
    replace(main, h('div', { class: 'phone' },
      h('h1', {}, s.hospital.displayName),
      h('section', { 'aria-labelledby': 'need-h' }, el.form),
      h('section', { 'aria-labelledby': 'ours-h' }, h('h2', { id: 'ours-h' }, t('ourRequests')), hideToggle(), el.requests)));
    renderRequests();
  }

  const blankLine = () => ({ category: 'FRUIT', description: '', quantity: '', unit: DEFAULT_UNIT.FRUIT });

  // A blank need: one line, due in four hours.
  const blank = () => ({
    ward: s.wards.length === 1 ? s.wards[0].name : '', priority: 'ROUTINE', headcount: '', dietaryNotes: '', notes: '',
    deliverAfter: '', deliverBefore: new Date(Date.now() + 4 * 3600000).toISOString(),
    lines: [blankLine()],
  });

  function needForm() {
    const d = s.draft || (s.draft = blank());
    const editing = s.editing;
    const lines = h('div', { class: 'lines' });
    const renderLines = () => replace(lines, d.lines.map((line, i) => {
      const category = h('select', { onchange: (e) => { line.category = e.target.value; line.unit = DEFAULT_UNIT[line.category]; renderLines(); } },
        options(enumOptions('category'), line.category));
      const unit = h('select', { onchange: (e) => { line.unit = e.target.value; } }, options(enumOptions('unit'), line.unit));
      const description = h('input', { type: 'text', value: line.description, oninput: (e) => { line.description = e.target.value; } });
      const quantity = h('input', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', value: line.quantity, oninput: (e) => { line.quantity = e.target.value; } });
      return h('fieldset', { class: 'line-item', 'data-line': i },
        h('legend', {}, t('lineN', { n: i + 1 })),
        h('div', { class: 'row' }, field(t('category'), category, `lines[${i}].category`), field(t('what'), description, `lines[${i}].description`)),
        h('div', { class: 'row' }, field(t('quantity'), quantity, `lines[${i}].quantity`), field(t('unit'), unit, `lines[${i}].unit`)),
        d.lines.length > 1 ? h('button', { type: 'button', class: 'small secondary', onclick: () => { d.lines.splice(i, 1); renderLines(); } }, t('removeLine')) : null);
    }));
    renderLines();
    const bind = (key, control) => { control.addEventListener('input', (e) => { d[key] = e.target.value; }); return control; };
    const ward = bind('ward', h('select', { required: true }, options([['', t('choose')], ...s.wards.map((w) => [w.name, w.displayName])], d.ward)));
    const priority = bind('priority', h('select', {}, options(enumOptions('priority'), d.priority)));
    const headcount = bind('headcount', h('input', { type: 'number', inputmode: 'numeric', min: '0', step: '1', value: d.headcount }));
    const after = h('input', { type: 'datetime-local', value: d.deliverAfter ? localInput(new Date(d.deliverAfter)) : '',
      oninput: (e) => { d.deliverAfter = e.target.value ? new Date(e.target.value).toISOString() : ''; } });
    const before = h('input', { type: 'datetime-local', value: d.deliverBefore ? localInput(new Date(d.deliverBefore)) : '',
      oninput: (e) => { d.deliverBefore = e.target.value ? new Date(e.target.value).toISOString() : ''; } });
    const dietary = bind('dietaryNotes', h('input', { type: 'text', value: d.dietaryNotes }));
    const notes = bind('notes', h('textarea', { rows: 2, value: d.notes }));
    const notice = h('p', { class: 'notice', role: 'status' });
    const form = h('form', { novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      const body = {
        ward: d.ward, priority: d.priority, headcount: d.headcount === '' ? 0 : Number(d.headcount),
        deliverAfter: fromLocalInput(after.value), deliverBefore: fromLocalInput(before.value),
        dietaryNotes: d.dietaryNotes, notes: d.notes,
        lines: d.lines.map((l) => ({ category: l.category, description: l.description, unit: l.unit, quantity: l.quantity === '' ? 0 : Number(l.quantity) })),
      };
      try {
        if (editing) {
          const mask = 'ward,lines,priority,deliver_after,deliver_before,headcount,dietary_notes,notes';
          await api.patch(`/v1/${editing.name}${api.query({ updateMask: mask })}`, { ...body, etag: editing.etag });
        } else {
          // One id per need being filed, so a retry cannot file it twice.
          s.requestId = s.requestId || api.uuid();
          await api.post(`/v1/deliveryRequests${api.query({ requestId: s.requestId })}`, body);
        }
        s.draft = null; s.editing = null; s.requestId = '';
        el.form.replaceWith(el.form = needForm());
        el.form.querySelector('.notice').textContent = editing ? t('needSaved') : t('needFiled');
        await refresh();
      } catch (err) {
        // A refused need is a different need once corrected.
        if (err instanceof api.ApiError) s.requestId = '';
        showErrors(form, err, ['delivery_request.']);
      }
    } },
    h('h2', { id: 'need-h' }, editing ? t('editNeed') : t('fileNeed')),
    h('p', { class: 'form-error', role: 'alert' }),
    field(t('ward'), ward, 'ward'),
    field(t('priority'), priority, 'priority'),
    h('div', { 'data-error-for': 'lines', class: 'field-error' }),
    lines,
    h('button', { type: 'button', class: 'secondary', onclick: () => { d.lines.push(blankLine()); renderLines(); } }, t('addLine')),
    field(t('headcount'), headcount, 'headcount'),
    h('div', { class: 'row' }, field(t('deliverAfter'), after, 'deliver_after'), field(t('deliverBefore'), before, 'deliver_before')),
    field(t('dietaryNotes'), dietary, 'dietary_notes'),
    field(t('notes'), notes, 'notes'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'big' }, editing ? t('saveChanges') : t('fileNeedButton')),
      editing ? h('button', { type: 'button', class: 'secondary', onclick: () => { s.editing = null; s.draft = null; el.form.replaceWith(el.form = needForm()); } }, t('stopEditing')) : null),
    notice);
    return form;
  }

  function edit(r) {
    s.editing = r;
    s.draft = {
      ward: r.ward, priority: r.priority, headcount: r.headcount || '', dietaryNotes: r.dietaryNotes, notes: r.notes,
      deliverAfter: r.deliverAfter || '', deliverBefore: r.deliverBefore || '',
      lines: r.lines.map((l) => ({ category: l.category, description: l.description, quantity: l.quantity, unit: l.unit })),
    };
    el.form.replaceWith(el.form = needForm());
    el.form.querySelector('select').focus();
  }

  // hideToggle hides finished requests, so a long shift's list shows what
  // is still to come; the choice is kept for the next visit.
  function hideToggle() {
    return h('label', { class: 'hide-finished' },
      h('input', { type: 'checkbox', id: 'hide-finished', checked: s.hideFinished, onchange: (e) => {
        s.hideFinished = e.target.checked;
        localStorage.setItem(HIDE_KEY, s.hideFinished ? '1' : '0');
        renderRequests();
      } }),
      t('hideFinished'));
  }

  // coming says who drives a request on a run, when the stop is expected,
  // and whether the run has set off.
  function coming(r) {
    if (!['SCHEDULED', 'IN_TRANSIT'].includes(r.state) || !r.driver) return null;
    const late = r.estimatedArrivalTime && r.deliverBefore && new Date(r.estimatedArrivalTime) > new Date(r.deliverBefore);
    const eta = arrival({ estimatedArrivalTime: r.estimatedArrivalTime, deadlineAtRisk: late });
    return h('div', { class: 'coming' },
      h('p', { class: 'who' }, h('strong', { class: 'driver' }, t('driverNamed', { name: r.driver })), eta ? ', ' : '', eta),
      h('p', { class: `set-off ${r.state}` }, t(r.state === 'IN_TRANSIT' ? 'runSetOff' : 'runNotSetOff')));
  }

  function renderRequests() {
    if (!el.requests) return;
    if (!s.requests.length) { replace(el.requests, h('p', { class: 'empty' }, t('noRequests'))); return; }
    const shownRequests = s.hideFinished ? s.requests.filter((r) => !FINISHED.includes(r.state)) : s.requests;
    const hidden = s.requests.length - shownRequests.length;
    replace(el.requests,
      hidden ? h('p', { class: 'muted hidden-count', role: 'status' }, t('finishedHidden', { n: hidden })) : null,
      !shownRequests.length ? h('p', { class: 'empty' }, t('allFinished')) : null,
      shownRequests.map((r) => {
        const error = h('p', { class: 'form-error', role: 'alert' });
        return h('article', { class: 'card request-card', 'data-name': r.name },
          h('h3', {}, wardName(r.ward), ' ', h('span', { class: `badge ${r.priority}` }, t(r.priority)),
            h('span', { class: `badge ${r.state}` }, t(r.state)), r.overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null),
          h('p', { class: 'muted' }, t('dueBy', { time: fmtTime(r.deliverBefore) }), r.headcount ? ` · ${t('people', { n: r.headcount })}` : ''),
          coming(r),
          h('ul', { class: 'lines' }, r.lines.map((l) => h('li', {},
            `${quantityText(l.quantity, l.unit)} ${l.description || t(l.category)}`,
            h('span', { class: 'muted' }, ` — ${t('deliveredOf', { n: fmtNumber(l.deliveredQuantity) })}`,
              l.scheduledQuantity ? `, ${t(r.state === 'IN_TRANSIT' ? 'onTheWay' : 'onPlannedRun', { n: fmtNumber(l.scheduledQuantity) })}` : '')))),
          r.dietaryNotes ? h('p', {}, r.dietaryNotes) : null,
          r.cancelReason ? h('p', { class: 'muted' }, t('cancelledBecause', { reason: r.cancelReason })) : null,
          h('div', { class: 'actions' },
            r.state === 'OPEN' ? h('button', { type: 'button', class: 'secondary', 'data-action': 'edit', onclick: () => edit(r) }, t('edit')) : null,
            ['OPEN', 'SCHEDULED'].includes(r.state) && s.cancelling !== r.name
              ? h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => { s.cancelling = r.name; renderRequests(); } }, t('cancelNeed')) : null),
          s.cancelling === r.name ? cancelForm(r) : null,
          error);
      }));
  }

  function cancelForm(r) {
    return reasonForm({
      label: t('cancelReason'), confirm: t('confirmCancelNeed'), backLabel: t('keepNeed'),
      onBack: () => { s.cancelling = ''; renderRequests(); },
      send: async (reason) => {
        await api.post(`/v1/${r.name}:cancel`, { reason, etag: r.etag, requestId: api.uuid() });
        s.cancelling = '';
        await refresh();
      },
    });
  }

  return {
    async start() { await loadPlaces(); render(); await refresh(); },
    render,
    refresh,
    async onEvent() {},
  };
}
