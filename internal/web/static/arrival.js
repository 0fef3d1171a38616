// How a pending stop's arrival estimate reads, the same on the board, in
// a proposed plan and on the driver's phone. A stop that would arrive
// after a deadline says so in words and with a mark, not by colour alone.
import { h } from './dom.js';
import { t, fmtTime } from './i18n.js';

// atRisk tells whether a stop still to make is expected after a deadline.
export const atRisk = (stop) => Boolean(stop.deadlineAtRisk) && (!stop.state || stop.state === 'PENDING');

// arrival is the estimate of a stop, or null when it has none (a stop
// already made, or a run that is over).
export function arrival(stop) {
  if (!stop.estimatedArrivalTime || (stop.state && stop.state !== 'PENDING')) return null;
  return h('span', { class: `arrival ${atRisk(stop) ? 'at-risk' : ''}` },
    h('time', { datetime: stop.estimatedArrivalTime }, t('arrivesAbout', { time: fmtTime(stop.estimatedArrivalTime) })),
    atRisk(stop) ? h('strong', { class: 'risk' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('deadlineAtRisk')) : null);
}
