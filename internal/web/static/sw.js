// The service worker keeps the application's own files for a dead zone:
// each file is fetched from the server as long as it answers, so a new
// binary's pages show at once, and the copy kept from the last answer is
// used when it does not. The API under /v1/ is never kept here: what the
// pages keep of its data, they keep themselves.
const CACHE = 'aqjurek-app';

self.addEventListener('install', (event) => {
  // Where the browser can, calls to the API do not wake the worker at all.
  if (event.addRoutes && self.URLPattern) {
    event.waitUntil(event.addRoutes({ condition: { urlPattern: new URLPattern({ pathname: '/v1/*' }) }, source: 'network' }).catch(() => {}));
  }
  self.skipWaiting();
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// A page hands over the files it loaded before the worker was running,
// so the first visit is kept as well as the later ones.
self.addEventListener('message', (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map(async (url) => {
    if (await cache.match(url)) return;
    const res = await fetch(url, { cache: 'no-cache' }).catch(() => null);
    if (res && res.ok) await cache.put(url, res);
  }))));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/v1/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // A query does not make another file.
    const key = url.pathname;
    try {
      const res = await fetch(req);
      if (res.ok) event.waitUntil(cache.put(key, res.clone()));
      return res;
    } catch (err) {
      const kept = await cache.match(key);
      if (kept) return kept;
      throw err;
    }
  })());
});
