// A bar chart of quantities over a few periods (days, weeks), one band of
// bars for each kind of goods and unit, with the same figures as a table
// for those who do not read pictures: a screen reader, or a person who
// wants the exact number.
import { h } from './dom.js';
import { t, fmtNumber } from './i18n.js';

// bandChart draws series over columns. columns are the periods' labels;
// each series is { name, note, values } with a value per column; extra
// are figures shown only in the table, { name, values }. label names the
// picture for a screen reader; corner heads the table's first column.
export function bandChart({ label, corner, columns, series, extra = [] }) {
  const bandH = 90; const barW = 34; const gap = 10; const head = 20;
  const width = Math.max(columns.length * (barW + gap) - gap, 200);
  const height = series.length * bandH + 34;
  const svg = h('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'band-chart' },
    series.map((s, row) => {
      const top = row * bandH;
      const peak = Math.max(...s.values);
      const room = bandH - head - 10;
      return h('g', {},
        h('text', { class: 'series', x: 0, y: top + 14 }, s.name),
        h('text', { class: 'note', x: width, y: top + 14, 'text-anchor': 'end' }, t('chartMax', { n: fmtNumber(peak) })),
        h('line', { class: 'base', x1: 0, x2: width, y1: top + head + room, y2: top + head + room }),
        s.values.map((v, i) => {
          const barH = peak ? Math.max((v / peak) * room, v > 0 ? 2 : 0) : 0;
          return h('rect', { class: 'bar', x: i * (barW + gap), y: top + head + room - barH, width: barW, height: barH },
            h('title', {}, `${columns[i]}: ${s.cell ? s.cell(v) : fmtNumber(v)}`));
        }));
    }),
    // A column's label in two lines, "9" over "Feb", so eight of them fit
    // side by side on a phone.
    columns.map((c, i) => {
      const [first, ...rest] = c.split(' ');
      const x = i * (barW + gap) + barW / 2;
      return h('g', { class: 'column' },
        h('text', { x, y: height - 20, 'text-anchor': 'middle' }, first),
        rest.length ? h('text', { x, y: height - 4, 'text-anchor': 'middle' }, rest.join(' ')) : null);
    }));
  const rows = [...series, ...extra];
  const table = h('div', { class: 'table-scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, corner), rows.map((s) => h('th', { scope: 'col' }, s.name)))),
    h('tbody', {}, columns.map((c, i) => h('tr', {}, h('th', { scope: 'row' }, c), rows.map((s) => h('td', {}, fmtNumber(s.values[i]))))))));
  return [h('div', { class: 'chart' }, svg), h('details', {}, h('summary', {}, t('asTable')), table)];
}
