// The board's report: a period's deliveries by hospital and kind, whom
// they served, the money per currency, the depots' stock and what was
// written off, each downloadable as CSV. The server counts; the page only
// sums the days of a hospital's rows into one line.
import { h, replace, field, showErrors, clearErrors } from './dom.js';
import * as api from './api.js';
import { t, fmtNumber, fmtDay, fmtDayTime, quantityText } from './i18n.js';
import { fmtMoney } from './ledger.js';

// isoDate is a google.type.Date as a date input's value, YYYY-MM-DD.
const isoDate = (d) => (d ? `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` : '');

// periodQuery asks for the days of two date inputs' values; an empty one
// is left to the server (the last 14 days, ending today).
function periodQuery(start, end) {
  const params = {};
  for (const [key, value] of [['startDate', start], ['endDate', end]]) {
    if (!value) continue;
    const [year, month, day] = value.split('-').map(Number);
    Object.assign(params, { [`${key}.year`]: year, [`${key}.month`]: month, [`${key}.day`]: day });
  }
  return api.query(params);
}

// reportPanel keeps the period and the report across the board's redraws;
// mount draws it into an element, and asks for the report the first time.
// names.depot names a depot for the write-offs, which carry only its name.
export function reportPanel(names) {
  // loadError is the server's word on the period asked for, shown in the
  // period's form; error is a download's, shown beside the downloads.
  const s = { start: '', end: '', report: null, loadError: null, error: null, saved: '', loading: false };
  let root = null;

  async function load() {
    s.loading = true;
    try {
      s.report = await api.get(`/v1/report${periodQuery(s.start, s.end)}`);
      s.start = isoDate(s.report.startDate);
      s.end = isoDate(s.report.endDate);
      s.loadError = null;
    } catch (e) {
      s.loadError = e;
    } finally {
      s.loading = false;
    }
    render();
  }

  // download fetches a section's CSV with the token, which a plain link
  // would not carry, and hands the file to the browser to save.
  async function download(section, button) {
    button.disabled = true;
    try {
      const r = s.report;
      const path = `/v1/report/${section}.csv${periodQuery(isoDate(r.startDate), isoDate(r.endDate))}`;
      const got = await api.file(path);
      const file = got.name || `aqjurek-${section}-${isoDate(r.startDate)}-${isoDate(r.endDate)}.csv`;
      const url = URL.createObjectURL(got.blob);
      const a = h('a', { href: url, download: file, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      // The browser reads the file after the click returns.
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      s.saved = t('downloaded', { file });
      s.error = null;
    } catch (e) {
      s.saved = '';
      s.error = e;
    } finally {
      button.disabled = false;
    }
    renderStatus();
  }

  let status = null;
  function renderStatus() {
    if (!status) return;
    replace(status,
      s.error ? h('p', { class: 'form-error', role: 'alert' }, s.error.message) : null,
      s.saved ? h('p', { class: 'notice', role: 'status', 'data-saved': s.saved }, s.saved) : null);
  }

  function render() {
    if (!root) return;
    const start = h('input', { type: 'date', value: s.start, id: 'report-start' });
    const end = h('input', { type: 'date', value: s.end, id: 'report-end' });
    const form = h('form', { class: 'report-period', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      s.start = start.value;
      s.end = end.value;
      s.saved = '';
      s.error = null;
      form.querySelector('button[type=submit]').disabled = true;
      await load();
    } },
    field(t('reportFrom'), start, 'start_date'),
    field(t('reportTo'), end, 'end_date'),
    h('button', { type: 'submit', 'data-action': 'show-report' }, t('showReport')),
    h('p', { class: 'form-error', role: 'alert' }));
    status = h('div', { class: 'report-status', 'aria-live': 'polite' });
    replace(root,
      h('h2', { id: 'report-h' }, t('reportTitle')),
      form,
      status,
      s.report ? body(s.report) : (s.loadError ? null : h('p', {}, t('loading'))));
    renderStatus();
    if (s.loadError) showErrors(form, s.loadError);
  }

  // part is one section of the report with its CSV download.
  function part(section, title, rows, table) {
    return h('div', { class: 'report-part', 'data-section': section },
      h('div', { class: 'report-part-head' },
        h('h3', {}, title),
        h('button', { type: 'button', class: 'secondary small', 'data-csv': section, 'aria-label': t('downloadCsvOf', { section: title }),
          onclick: (e) => download(section, e.currentTarget) }, t('downloadCsv'))),
      rows.length ? h('div', { class: 'table-scroll' }, table) : h('p', { class: 'empty' }, t('repEmpty')));
  }

  const head = (...cells) => h('thead', {}, h('tr', {}, cells.map(([text, cls]) => h('th', { scope: 'col', class: cls || null }, text))));
  const what = (x) => `${x.description || t(x.category)}`;

  function body(r) {
    // A hospital's days sum into one line for each kind of goods; the CSV
    // has them day by day.
    const byHospital = new Map();
    for (const d of r.deliveries || []) {
      const key = `${d.hospital}/${d.category}/${d.unit}`;
      const row = byHospital.get(key) || { ...d, quantity: 0 };
      row.quantity += d.quantity || 0;
      byHospital.set(key, row);
    }
    const deliveries = [...byHospital.values()].sort((a, b) => a.hospitalDisplayName.localeCompare(b.hospitalDisplayName));
    // The period's own figures: a request served on two days feeds its
    // people once, which summing the days would count twice.
    const servedRows = (r.servedInPeriod || []).map((x) => ({ name: x.hospitalDisplayName, drops: x.drops || 0, headcount: Number(x.headcount || 0) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const delivered = r.delivered || [];
    return h('div', { class: 'report-body', 'data-start': isoDate(r.startDate), 'data-end': isoDate(r.endDate) },
      h('p', { class: 'report-dates' }, h('strong', {}, t('reportPeriod', { from: fmtDay(r.startDate), to: fmtDay(r.endDate) }))),
      part('deliveries', t('repDeliveries'), deliveries, h('table', {},
        head([t('hospital'), 'text'], [t('colWhat'), 'text'], [t('quantity')]),
        h('tbody', {}, deliveries.map((d) => h('tr', { 'data-hospital': d.hospital },
          h('td', { class: 'text' }, d.hospitalDisplayName), h('td', { class: 'text' }, t(d.category)), h('td', {}, quantityText(d.quantity, d.unit))))),
        h('tfoot', {}, delivered.map((q) => h('tr', { class: 'total' },
          h('th', { scope: 'row', class: 'text' }, t('colTotal')), h('td', { class: 'text' }, t(q.category)), h('td', {}, quantityText(q.quantity, q.unit))))))),
      part('served', t('repServed'), servedRows, h('table', {},
        head([t('hospital'), 'text'], [t('colDrops')], [t('colFed')]),
        h('tbody', {}, servedRows.map((x) => h('tr', {}, h('td', { class: 'text' }, x.name), h('td', {}, fmtNumber(x.drops)), h('td', {}, fmtNumber(x.headcount))))))),
      part('money', t('repMoney'), r.money || [], h('table', {},
        head([t('colCurrency'), 'text'], [t('colReceived')], [t('colSpent')], [t('colLeft')]),
        h('tbody', {}, (r.money || []).map((m) => h('tr', { 'data-currency': m.currencyCode },
          h('td', { class: 'text' }, m.currencyCode),
          [m.received, m.spent, m.left].map((x) => h('td', {}, fmtMoney(x || { currencyCode: m.currencyCode })))))))),
      part('stock', t('repStock'), r.stock || [], h('table', {},
        head([t('depot'), 'text'], [t('colWhat'), 'text'], [t('colReceived')], [t('colTaken')], [t('colWrittenOff')], [t('colOnHand')]),
        h('tbody', {}, (r.stock || []).map((x) => h('tr', {},
          h('td', { class: 'text' }, x.depotDisplayName), h('td', { class: 'text' }, t(x.category)),
          [x.received, x.taken, x.writtenOff, x.onHand].map((q) => h('td', {}, quantityText(q || 0, x.unit)))))))),
      part('written-off', t('repWrittenOff'), r.writtenOff || [], h('table', {},
        head([t('colTime'), 'text'], [t('depot'), 'text'], [t('colWhat'), 'text'], [t('quantity')], [t('colReason'), 'text']),
        h('tbody', {}, (r.writtenOff || []).map((x) => h('tr', {},
          h('td', { class: 'text' }, fmtDayTime(x.time)), h('td', { class: 'text' }, names.depot(x.depot)), h('td', { class: 'text' }, what(x)),
          h('td', {}, quantityText(x.quantity, x.unit)), h('td', { class: 'text' }, x.reason)))))));
  }

  return {
    mount(el) {
      root = el;
      render();
      if (!s.report && !s.loading) load();
    },
  };
}
