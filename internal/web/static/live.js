// Following the change log: GET /v1/events:watch streams one JSON object a
// line, {"result": {"events": [...], "sendTime": ...}}; a quiet log still
// sends a line with no events every few seconds (the heartbeat). The
// follower hands events over one at a time, tells onState whether the
// stream is truly live, and reconnects by itself, resuming after the last
// event it saw, so nothing is missed.
import { token } from './api.js';

// A stream silent for this long is dead even if the connection says not:
// the server sends a heartbeat every 5 s.
export const silenceLimit = 12000;
// Reconnect attempts back off to at most this pause, so a server that
// comes back is found within seconds.
const longestPause = 5000;

export function follow(after, onEvent, onState) {
  let stopped = false;
  let controller = null;
  let wake = null;
  const sleep = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  const online = () => wake && wake();
  window.addEventListener('online', online);
  // The browser says it lost the network: do not wait for the silence.
  const offline = () => controller && controller.abort();
  window.addEventListener('offline', offline);

  (async () => {
    let pause = 1000;
    while (!stopped) {
      controller = new AbortController();
      const current = controller;
      let silence = null;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => current.abort(), silenceLimit);
      };
      try {
        heard();
        const res = await fetch(`/v1/events:watch?afterSequence=${encodeURIComponent(after)}`, {
          headers: { Authorization: `Bearer ${token()}` }, signal: current.signal,
        });
        if (res.status === 401) { clearTimeout(silence); onState('unauthorized'); return; }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        onState('live');
        pause = 1000;
        heard();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          heard();
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, end).trim();
            buffer = buffer.slice(end + 1);
            if (!line) continue;
            const msg = JSON.parse(line);
            if (msg.error) throw new Error(msg.error.message);
            for (const e of (msg.result && msg.result.events) || []) {
              after = e.sequence;
              onEvent(e);
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      } finally {
        clearTimeout(silence);
      }
      onState('offline');
      await sleep(pause);
      pause = Math.min(pause * 2, longestPause);
    }
  })();

  return () => {
    stopped = true;
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    if (controller) controller.abort();
    if (wake) wake();
  };
}
