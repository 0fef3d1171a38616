// The schematic map: hospitals and depots placed by their coordinates,
// drawn without tiles (the service often runs with no internet), with
// routes over them. The board draws the selected run on it; a proposed
// plan draws each of its runs in a colour of its own.
import { h } from './dom.js';
import { hospitalOf } from './api.js';

// COLOURS is how many route colours style.css defines (.c0 … .c7); runs
// beyond them repeat a colour with another dash.
export const COLOURS = 8;

// routeClass is the colour (and, past COLOURS, the dash) of route i.
export const routeClass = (i) => `c${i % COLOURS}${i >= COLOURS ? ' dashed' : ''}`;

// runRoute is where a run goes, for cityMap: its depot's location and each
// stop's hospital's, in driving order.
export function runRoute(run, hospitals, depots, extra = {}) {
  return {
    depot: depots.get(run.depot)?.location,
    stops: (run.stops || []).map((stop) => hospitals.get(hospitalOf(stop.ward))?.location).filter(Boolean),
    ...extra,
  };
}

// cityMap draws the places and routes: [{ depot, stops, className,
// numbered }], a route going from its depot through the stops and back.
// Numbered routes show the stop numbers beside their hospitals.
// width is the picture's width in its own units, against which names are
// 11 units high: a narrower picture shows them larger.
export function cityMap({ hospitals, depots, routes = [], label, width = 600 }) {
  const shown = (m) => [...m.values()].filter((p) => p.location && !p.archived);
  const places = [...shown(hospitals), ...shown(depots)];
  const lats = places.map((p) => p.location.latitude || 0);
  const lngs = places.map((p) => p.location.longitude || 0);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const squeeze = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = Math.max((maxLng - minLng) * squeeze, 0.01);
  const spanY = Math.max(maxLat - minLat, 0.01);
  const pad = 40;
  const scale = (width - 2 * pad) / Math.max(spanX, spanY * 1.2);
  const height = spanY * scale + 2 * pad;
  // A name in the right half reads leftwards from its place, and is cut
  // to the room left, so that it stays inside the picture; the whole name
  // is the place's title.
  const name = (p, x, y, gap) => {
    const left = x > width / 2;
    const room = Math.max(Math.floor((left ? x - gap : width - x - gap) / 7), 4);
    const text = p.displayName.length > room ? `${p.displayName.slice(0, room - 1)}…` : p.displayName;
    return h('text', { x: left ? x - gap : x + gap, y: y + 4, 'text-anchor': left ? 'end' : null }, text);
  };
  const xy = (loc) => [pad + ((loc.longitude || 0) - minLng) * squeeze * scale, pad + (maxLat - (loc.latitude || 0)) * scale];
  return h('svg', { viewBox: `0 0 ${width} ${Math.round(height)}`, role: 'img', 'aria-label': label },
    h('title', {}, label),
    routes.map((r) => {
      const points = (r.depot ? [r.depot, ...r.stops, r.depot] : r.stops).map(xy);
      return points.length > 1 ? h('polyline', { class: `route ${r.className || ''}`, points: points.map((p) => p.join(',')).join(' ') }) : null;
    }),
    shown(hospitals).map((p) => {
      const [x, y] = xy(p.location);
      return h('g', {}, h('circle', { class: 'hospital', cx: x, cy: y, r: 6 }, h('title', {}, p.displayName)), name(p, x, y, 8));
    }),
    shown(depots).map((p) => {
      const [x, y] = xy(p.location);
      return h('g', {}, h('rect', { class: 'depot', x: x - 7, y: y - 7, width: 14, height: 14 }, h('title', {}, p.displayName)), name(p, x, y, 9));
    }),
    routes.filter((r) => r.numbered).map((r) => r.stops.map(xy).map(([x, y], i) => h('g', {},
      h('circle', { class: `stop-dot ${r.className || ''}`, cx: x, cy: y - 14, r: 8 }),
      h('text', { class: 'stop-no', x: x - 3, y: y - 10 }, String(i + 1))))));
}
