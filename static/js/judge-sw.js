// Juara service worker for the judge's pages (served as /juri/sw.js, scope /juri/).
//
// App shell (CSS, JS): served from the cache at once and refreshed in the background.
// Judge pages and sheet JSON: the network first (with a timeout, for wifi that comes and goes),
// the cached copy when there is no answer. While online the pages ask it to cache every sheet
// assigned to the judge, so a sheet opens offline even if it was never opened before.
// Scores themselves never live here: they go through the IndexedDB outbox (outbox.js).
"use strict";

const SHELL = "juara-shell-v1";
const PAGES = "juara-pages-v1";
const NETWORK_TIMEOUT_MS = 6000;
const SCOPE = new URL(self.registration.scope).pathname; // "/juri/"
const STATIC = new URL("../static/", self.registration.scope).pathname; // "/static/"
const SHELL_FILES = [
  "vendor/bootstrap/bootstrap.min.css",
  "vendor/bootstrap/bootstrap.bundle.min.js",
  "css/app.css",
  "js/app.js",
  "js/outbox.js",
  "js/judge.js",
  "js/judge-bands.js",
  "js/judge-conflict.js",
  "js/judge-sheet.js",
].map(function (file) { return STATIC + file; });
const SHEET_API = /^\/api\/v1\/sheets(\/\d+)?$/;
const OWNER_KEY = SCOPE + "__owner__";
let lastCached = { user: null, at: 0 };

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(SHELL_FILES); })
      .then(function () { return self.skipWaiting(); }),
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.startsWith("juara-") && key !== SHELL && key !== PAGES;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); }),
  );
});

function keyOf(request) {
  const url = new URL(request.url);
  return url.origin + url.pathname;
}

function cacheable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function offlinePage() {
  return new Response(
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>Juara</title><p style='font:1.2rem sans-serif;padding:2rem'>" +
      "Tidak ada jaringan dan halaman ini belum tersimpan di tablet. " +
      "No network, and this page is not stored on the tablet yet.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}

async function networkFirst(event, request) {
  const cache = await caches.open(PAGES);
  const network = fetch(request).then(function (response) {
    if (cacheable(response)) cache.put(keyOf(request), response.clone());
    return response;
  });
  event.waitUntil(network.catch(function () { return null; }));
  let timer;
  const timeout = new Promise(function (resolve) {
    timer = setTimeout(function () { resolve("timeout"); }, NETWORK_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([network, timeout]);
    if (first !== "timeout") return first;
    const cached = await cache.match(keyOf(request));
    return cached || (await network);
  } catch (error) {
    const cached = await cache.match(keyOf(request));
    if (cached) return cached;
    if (request.mode === "navigate") {
      return (await cache.match(new URL(SCOPE, self.location.origin).href)) || offlinePage();
    }
    return new Response(JSON.stringify({ error: "offline" }), {
      status: 503, headers: { "Content-Type": "application/json" },
    });
  } finally {
    clearTimeout(timer);
  }
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request, { ignoreSearch: true });
  const network = fetch(request).then(function (response) {
    if (cacheable(response)) cache.put(request, response.clone());
    return response;
  }).catch(function () { return null; });
  event.waitUntil(network);
  return cached || (await network) || Response.error();
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname.startsWith(SCOPE)) event.respondWith(networkFirst(event, request));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (SHEET_API.test(url.pathname)) {
    event.respondWith(networkFirst(event, request));
  }
});

// Pages of one judge only: when another judge uses the tablet, the old pages go.
async function pagesFor(userId) {
  let cache = await caches.open(PAGES);
  const owner = await cache.match(OWNER_KEY);
  if (!owner || (await owner.text()) !== String(userId)) {
    await caches.delete(PAGES);
    cache = await caches.open(PAGES);
    await cache.put(OWNER_KEY, new Response(String(userId)));
  }
  return cache;
}

async function cacheSheets(message) {
  const now = Date.now();
  if (lastCached.user === message.userId && now - lastCached.at < 30000) return true;
  const cache = await pagesFor(message.userId);
  const listResponse = await fetch(message.sheetsUrl, { cache: "no-store" });
  if (!cacheable(listResponse)) return false;
  const list = await listResponse.clone().json();
  await cache.put(new URL(message.sheetsUrl, self.location.origin).href, listResponse);
  const urls = (message.pages || []).slice();
  list.sheets.forEach(function (sheet) { urls.push(sheet.page_url, sheet.api_url); });
  for (const url of urls) {
    const response = await fetch(url, { cache: "no-store" });
    if (!cacheable(response)) return false;
    await cache.put(new URL(url, self.location.origin).href, response);
  }
  lastCached = { user: message.userId, at: now };
  return true;
}

self.addEventListener("message", function (event) {
  const message = event.data || {};
  const port = event.ports && event.ports[0];
  if (message.type === "cache-sheets") {
    event.waitUntil(
      cacheSheets(message)
        .catch(function () { return false; })
        .then(function (ok) { if (port) port.postMessage({ ok: ok }); }),
    );
  } else if (message.type === "forget-pages") {
    lastCached = { user: null, at: 0 };
    event.waitUntil(caches.delete(PAGES));
  }
});
