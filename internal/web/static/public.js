// The transparency page: what the gifts became, for donors and the city,
// read with no account. It calls only GET /v1/public, whose answer holds
// no personal data, and sends no token, even from a browser that is
// signed in to the application.
import { h, replace } from './dom.js';
import { t, lang, setLang, applyStatic, fmtNumber, fmtDay, fmtDayTime, unitLabel } from './i18n.js';
import { fmtMoney } from './ledger.js';
import { unitWord, listParts } from './words.js';
import { bandChart, bandSeries } from './chart.js';

const main = document.getElementById('main');
const langSelect = document.getElementById('lang');
// When the figures could not be loaded, they are asked for again.
const RETRY_MS = 30000;

let summary = null;
let failed = false;

async function load() {
  try {
    const res = await fetch('/v1/public', { headers: { 'Accept-Language': lang() }, credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    summary = await res.json();
    failed = false;
  } catch (e) {
    failed = true;
    setTimeout(load, RETRY_MS);
  }
  render();
}

// amount says how much of one kind of goods in words: "1,240 kg of
// fruit", "1 240 кг фруктов", "1 240 кг жеміс-жидек".
const amount = (q) => t('amountOf', { x: fmtNumber(q.quantity), unit: unitWord(q.unit, q.quantity || 0), what: t(`goods_${q.category}`) });

function render() {
  document.title = `${t('publicTitle')} · Aq Júrek`;
  if (!summary) {
    replace(main, failed ? h('p', { class: 'form-error', role: 'alert' }, t('pubFailed')) : h('p', {}, t('loading')));
    return;
  }
  const s = summary;
  replace(main,
    h('div', { class: 'public-head' },
      h('h1', {}, t('publicTitle')),
      h('p', { class: 'intro' }, t('publicIntro'))),
    failed ? h('p', { class: 'form-error', role: 'alert' }, t('pubFailed')) : null,
    totals(s),
    h('div', { class: 'public-grid' },
      h('section', { id: 'delivered', 'aria-labelledby': 'delivered-h' }, h('h2', { id: 'delivered-h' }, t('pubDelivered')), delivered(s)),
      h('section', { id: 'weeks', 'aria-labelledby': 'weeks-h' }, h('h2', { id: 'weeks-h' }, t('pubWeeks')), weeks(s)),
      h('section', { id: 'money', 'aria-labelledby': 'money-h' }, h('h2', { id: 'money-h' }, t('pubMoney')), money(s)),
      h('section', { id: 'donors', 'aria-labelledby': 'donors-h' }, h('h2', { id: 'donors-h' }, t('pubDonors')), donors(s))),
    h('p', { id: 'computed', class: 'muted' }, t('pubComputed', { time: fmtDayTime(s.computeTime) })));
}

function totals(s) {
  const hospitals = s.hospitals || [];
  const tile = (id, n, label) => h('div', { class: 'tile', 'data-tile': id }, h('span', { class: 'n' }, fmtNumber(n)), t(label, { n }));
  return h('div', { id: 'totals', class: 'tiles public-tiles' },
    tile('drops', s.drops || 0, 'pubDrops'),
    tile('fed', Number(s.headcount || 0), 'pubFed'),
    h('div', { class: 'tile', 'data-tile': 'hospitals' },
      h('span', { class: 'n' }, fmtNumber(hospitals.length)), t('pubHospitals', { n: hospitals.length }),
      hospitals.length ? h('span', { class: 'names' }, listParts(hospitals)) : null));
}

function delivered(s) {
  const all = s.delivered || [];
  if (!all.length) return h('p', { class: 'empty' }, t('pubNothingYet'));
  return h('ul', { class: 'amounts' }, all.map((q) => h('li', { 'data-category': q.category, 'data-unit': q.unit }, amount(q))));
}

function weeks(s) {
  const all = s.weeks || [];
  const series = bandSeries(all.map((w) => w.delivered));
  if (!series.length) return h('p', { class: 'empty' }, t('pubNoWeeks'));
  return bandChart({
    label: t('pubWeeksChart'), corner: t('week'),
    columns: all.map((w) => fmtDay(w.startDate)),
    series: series.map((q) => ({ name: t(q.category), unit: unitLabel(q.unit), values: q.values, cell: (v) => amount({ ...q, quantity: v }) })),
    extra: [{ name: t('fedColumn'), values: all.map((w) => Number(w.headcount || 0)) }],
  });
}

function money(s) {
  const all = s.money || [];
  if (!all.length) return h('p', { class: 'empty' }, t('pubNoMoney'));
  return [
    h('ul', { class: 'currencies' }, all.map((m) => h('li', { 'data-currency': m.currencyCode },
      h('dl', {},
        h('div', {}, h('dt', {}, t('given')), h('dd', { class: 'given' }, fmtMoney(m.received || { currencyCode: m.currencyCode }))),
        h('div', {}, h('dt', {}, t('spentOnGoods')), h('dd', { class: 'spent' }, fmtMoney(m.spent || { currencyCode: m.currencyCode }))))))),
    h('p', { class: 'muted' }, t('pubMoneyIntro')),
  ];
}

function donors(s) {
  const named = s.namedDonors || [];
  const unnamed = s.unnamedDonors || 0;
  if (!named.length && !unnamed) return h('p', { class: 'empty' }, t('pubNoDonors'));
  if (!named.length) return h('p', { class: 'unnamed' }, `${t('pubOnlyUnnamed', { n: unnamed })}.`);
  return [
    h('p', {}, `${t('pubThanks')}:`),
    h('ul', { class: 'named-donors' }, named.map((name) => h('li', {}, name))),
    unnamed ? h('p', { class: 'unnamed' }, `${t('pubMore', { n: unnamed })}.`) : null,
  ];
}

langSelect.value = lang();
applyStatic();
langSelect.addEventListener('change', () => {
  setLang(langSelect.value);
  applyStatic();
  render();
});
render();
load();
