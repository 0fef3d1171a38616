// Following the change log: GET /v1/events:watch streams one JSON object a
// line, {"result": event}. The follower reconnects by itself with a growing
// pause, resuming after the last event it saw, so nothing is missed.
import { token } from './api.js';

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

  (async () => {
    let pause = 1000;
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await fetch(`/v1/events:watch?afterSequence=${encodeURIComponent(after)}`, {
          headers: { Authorization: `Bearer ${token()}` }, signal: controller.signal,
        });
        if (res.status === 401) { onState('unauthorized'); return; }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        onState('live');
        pause = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, end).trim();
            buffer = buffer.slice(end + 1);
            if (!line) continue;
            const msg = JSON.parse(line);
            if (msg.error) throw new Error(msg.error.message);
            if (msg.result) {
              after = msg.result.sequence;
              onEvent(msg.result);
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState('offline');
      await sleep(pause);
      pause = Math.min(pause * 2, 15000);
    }
  })();

  return () => {
    stopped = true;
    window.removeEventListener('online', online);
    if (controller) controller.abort();
    if (wake) wake();
  };
}
