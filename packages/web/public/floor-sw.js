/* The floor app's service worker: keeps the app shell (floor.html, its hashed assets, the
   manifest and icons) so the app opens with no network. API calls are never cached here: the
   app keeps its own data and its offline queue in IndexedDB. Push messages become
   notifications; a tap opens the app. */
const SHELL = 'kerf-floor-shell-v1';
const SHELL_URLS = ['/floor', '/floor.webmanifest', '/floor-icon-192.png', '/floor-icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(SHELL_URLS);
      // The page loads its scripts before this worker controls it: fetch them now, read from
      // the page itself (Vite names them, with their preloads, in floor.html).
      const page = await (await cache.match('/floor')).text();
      const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('kerf-floor-') && k !== SHELL).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/assets/')) {
    // hashed file names: a cached copy is always the right one
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ||
          fetch(event.request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(SHELL).then((c) => c.put(event.request, copy));
            }
            return res;
          }),
      ),
    );
    return;
  }
  if (url.pathname === '/floor' || url.pathname.startsWith('/floor/') || SHELL_URLS.includes(url.pathname)) {
    // the page itself: the network when it answers (a new version), else the cached shell
    const key = url.pathname.startsWith('/floor/') ? '/floor' : url.pathname;
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(SHELL).then((c) => c.put(key, copy));
          }
          return res;
        })
        .catch(() => caches.match(key).then((hit) => hit || Response.error())),
    );
  }
});

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Kerf', body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Kerf', {
      body: data.body || '',
      tag: data.notificationId || undefined,
      data: { link: data.link || '/floor' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = (event.notification.data && event.notification.data.link) || '/floor';
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((list) => {
      const open = list.find((c) => new URL(c.url).pathname.startsWith('/floor'));
      return open ? open.focus() : self.clients.openWindow(link);
    }),
  );
});
