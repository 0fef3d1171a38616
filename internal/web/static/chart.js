// A bar chart of quantities over a few periods (days, weeks), one band of
// bars for each kind of goods and unit, with the same figures as a table
// for those who do not read pictures: a screen reader, or a person who
// wants the exact number.
import { h } from './dom.js';
import { t, fmtNumber } from './i18n.js';

// bandSeries gathers the periods' lists of { category, unit, quantity }
// into one series per kind of goods and unit, in the order each first
// appears: { category, unit, values } with a value per period, 0 where
// that period delivered none of it.
export function bandSeries(periods) {
  const series = new Map();
  periods.forEach((list, i) => {
    for (const q of list || []) {
      const key = `${q.category}/${q.unit}`;
      if (!series.has(key)) series.set(key, { category: q.category, unit: q.unit, values: new Array(periods.length).fill(0) });
      series.get(key).values[i] += q.quantity || 0;
    }
  });
  return [...series.values()];
}

// The widest the bars of a chart are drawn, so that they fit a phone's
// screen without shrinking their words.
const FIT = 340;

// bandChart draws series over columns. columns are the periods' labels;
// each series is { name, unit, values, cell } with a value per column:
// unit, if any, is the unit's label, written before the band's largest
// value and after the name in the table's head; cell(v), if given, says
// one value in words for the bar's tooltip. extra are figures shown only
// in the table, { name, values }. label names the picture for a screen
// reader; corner heads the table's first column.
export function bandChart({ label, corner, columns, series, extra = [] }) {
  const bandH = 100; const head = 38;
  // Eight weeks take a wide bar each; fourteen days share the same room.
  const pitch = Math.min(44, Math.floor(FIT / Math.max(columns.length, 1)));
  const gap = pitch >= 40 ? 10 : 6; const barW = pitch - gap;
  // A column's label is written in two lines, "9" over "Feb"; when the
  // longer line would not fit its column, every other column is labelled,
  // always the last, the latest period.
  // (A letter of these labels is at most about 8 px wide.)
  const widest = 8 * Math.max(0, ...columns.flatMap((c) => c.split(' ').map((w) => w.length)));
  const step = widest + 6 > pitch ? 2 : 1;
  // The last label, centred under the last bar, may be wider than it.
  const over = Math.max(0, Math.ceil((widest - barW) / 2));
  const width = Math.max(columns.length * pitch - gap + over, 200);
  const height = series.length * bandH + 34;
  const svg = h('svg', { viewBox: `0 0 ${width} ${height}`, width, role: 'img', 'aria-label': label, class: 'band-chart' },
    series.map((s, row) => {
      const top = row * bandH;
      const peak = Math.max(...s.values);
      const room = bandH - head - 10;
      const max = t('chartMax', { n: fmtNumber(peak) });
      return h('g', {},
        h('text', { class: 'series', x: 0, y: top + 14 }, s.name),
        h('text', { class: 'note', x: 0, y: top + 30 }, s.unit ? `${s.unit} · ${max}` : max),
        h('line', { class: 'base', x1: 0, x2: width, y1: top + head + room, y2: top + head + room }),
        s.values.map((v, i) => {
          const barH = peak ? Math.max((v / peak) * room, v > 0 ? 2 : 0) : 0;
          return h('rect', { class: 'bar', x: i * pitch, y: top + head + room - barH, width: barW, height: barH },
            h('title', {}, `${columns[i]}: ${s.cell ? s.cell(v) : fmtNumber(v)}`));
        }));
    }),
    columns.map((c, i) => {
      if ((columns.length - 1 - i) % step) return null;
      const [first, ...rest] = c.split(' ');
      const x = i * pitch + barW / 2;
      return h('g', { class: 'column' },
        h('text', { x, y: height - 20, 'text-anchor': 'middle' }, first),
        rest.length ? h('text', { x, y: height - 4, 'text-anchor': 'middle' }, rest.join(' ')) : null);
    }));
  const rows = [...series, ...extra];
  const table = h('div', { class: 'table-scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, corner), rows.map((s) => h('th', { scope: 'col' }, s.unit ? `${s.name}, ${s.unit}` : s.name)))),
    h('tbody', {}, columns.map((c, i) => h('tr', {}, h('th', { scope: 'row' }, c), rows.map((s) => h('td', {}, fmtNumber(s.values[i]))))))));
  return [h('div', { class: 'chart' }, svg), h('details', {}, h('summary', {}, t('asTable')), table)];
}
