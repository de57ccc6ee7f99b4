/* Emporium service worker: plain JavaScript, no build step, no libraries.
 *
 * Strategy (why each one):
 * - Build outputs under /pkg/ have hashed names, so a cached copy can never be stale:
 *   cache-first. The same goes for /icons/ and the generated product images under /img/.
 * - Pages (navigations) are network-first: prices and stock change, so a shopper online
 *   always sees the server's current page. Each successful page is kept (bounded) so that a
 *   page visited before still opens offline; anything else offline gets /offline.html.
 *   Personal pages (answered no-store) are never kept.
 * - Server functions (/api/...) and every non-GET request pass straight through: answers
 *   about stock, search and favourites must never come from a cache.
 * - HTML pages are NOT pre-cached at install: they depend on cookies (language, theme) and
 *   on data, and the first visit already caches the page that was visited.
 *
 * Bump VERSION whenever this file's behaviour changes: activate deletes every other cache.
 */
'use strict';

const VERSION = 'v2';
const PREFIX = 'emporium-';
const PRECACHE = `${PREFIX}precache-${VERSION}`;
const ASSETS = `${PREFIX}assets-${VERSION}`;
const IMAGES = `${PREFIX}images-${VERSION}`;
const PAGES = `${PREFIX}pages-${VERSION}`;
const CURRENT = [PRECACHE, ASSETS, IMAGES, PAGES];

const OFFLINE_URL = '/offline.html';
const PRECACHE_URLS = [
  OFFLINE_URL,
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
];

/* Upper bounds on entries per runtime cache; the oldest entries go first. */
const LIMITS = { [PAGES]: 50, [ASSETS]: 120, [IMAGES]: 300 };

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(PRECACHE)
      // cache: 'reload' skips the HTTP cache so that a new version stores fresh copies.
      .then((cache) => cache.addAll(PRECACHE_URLS.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(PREFIX) && !CURRENT.includes(name))
          .map((name) => caches.delete(name)),
      );
      // Lets the page request start while the worker boots (network-first pages gain most).
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return; // never cache writes
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // server functions: always live
  if (url.pathname === '/sw.js') return;

  if (request.mode === 'navigate') {
    // The preference switch answers with a redirect that sets cookies: leave it alone.
    if (url.pathname === '/prefs') return;
    event.respondWith(networkFirstPage(event));
    return;
  }
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(cacheFirst(request, ASSETS));
    return;
  }
  if (url.pathname.startsWith('/img/')) {
    event.respondWith(cacheFirst(request, IMAGES));
    return;
  }
  if (PRECACHE_URLS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, PRECACHE));
  }
  // Everything else (robots.txt, ...) goes to the network as usual.
});

async function networkFirstPage(event) {
  const request = event.request;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    // Only complete, successful pages are worth showing again: not errors or redirects,
    // and never personal pages (a signed-in member's or a guest's with a cart), which the
    // server marks no-store: they must not outlive a sign-out on a shared device.
    const noStore = /no-store/i.test(response.headers.get('Cache-Control') || '');
    if (response.ok && response.status === 200 && response.type === 'basic' && !noStore) {
      const copy = response.clone();
      event.waitUntil(put(PAGES, request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    if (cached) return cached;
    const offline = await caches.match(OFFLINE_URL, { cacheName: PRECACHE });
    return (
      offline ||
      new Response('<!doctype html><title>Offline</title><h1>You are offline</h1>', {
        status: 503,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      })
    );
  }
}

async function cacheFirst(request, cacheName) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.status === 200 && response.type === 'basic') {
    await put(cacheName, request, response.clone());
  }
  return response;
}

/* Store, then drop the oldest entries beyond the cache's limit. Errors (quota) are ignored:
 * a failed cache write must never fail the page. */
async function put(cacheName, request, response) {
  try {
    const cache = await caches.open(cacheName);
    // Delete first so a refreshed entry moves to the end (most recent).
    await cache.delete(request, { ignoreVary: true });
    await cache.put(request, response);
    const limit = LIMITS[cacheName];
    if (!limit) return;
    const keys = await cache.keys();
    for (let i = 0; i < keys.length - limit; i++) {
      await cache.delete(keys[i]);
    }
  } catch (error) {
    // Quota exceeded or storage unavailable: serving the response matters more.
  }
}
