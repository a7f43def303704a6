{% load static %}// Terrain's service worker: field pages without signal, and a queue of what could
// not be sent.
//
// - Field pages (a session's field mode and its conversation form) are fetched from
//   the network first and kept; without signal the kept copy is shown.
// - A contact, refusal, undo or conversation POST that cannot reach the server is
//   kept in IndexedDB (URL and urlencoded body, which holds the client UUID) and
//   answered at once: 204 + X-Terrain-Queued for htmx, a redirect to the field page
//   for the form. The queue is replayed in order on `online` and at page start-up
//   (the page asks), and on Background Sync where the browser has it.
// - An item leaves the queue only when the server confirmed it with a 2xx. On a 403
//   (stale CSRF token) or a redirect to the login page, it stays and the page asks
//   the volunteer to log in again. A 422 (the note holds a phone number...) keeps the
//   item with the server's answer, which the page shows at /offline/<id>/ to correct;
//   the corrected note (same client UUID) replaces it in the queue.
"use strict";

const VERSION = "{{ version|escapejs }}";
const STATIC_CACHE = `terrain-static-${VERSION}`;
const PAGE_CACHE = "terrain-pages";
const ASSETS = [{% for asset in assets %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const LOGIN_PATH = "{% url 'login' %}";
const FIELD_PAGE = /^\/sessions\/(\d+)\/(field|encounters\/new)\/$/;
const QUEUEABLE = /^\/sessions\/\d+\/(field\/tap|field\/undo|encounters\/new)\/$/;
const OFFLINE_ITEM = /^\/offline\/(\d+)\/$/;
// A weak signal: after this long, show the kept page and let the network finish.
const NETWORK_TIMEOUT_MS = 4000;

// --- IndexedDB: the queue --------------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("terrain-offline", 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("queue", mode);
    const request = action(tx.objectStore("queue"));
    tx.oncomplete = () => resolve(request && request.result);
    tx.onerror = () => reject(tx.error);
  });
}

const allItems = () => store("readonly", (s) => s.getAll());

async function notify(extra = {}) {
  const items = await allItems();
  const invalid = items.find((item) => item.invalid);
  const clients = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of clients) {
    client.postMessage({
      type: "queue",
      count: items.length,
      invalid: invalid ? invalid.id : null,
      ...extra,
    });
  }
}

// --- Lifecycle -------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((n) => n.startsWith("terrain-static-") && n !== STATIC_CACHE)
          .map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

// --- Fetch -------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  const method = event.request.method;
  if (method === "POST" && QUEUEABLE.test(url.pathname)) {
    event.respondWith(sendOrQueue(event.request));
  } else if (method === "GET" && ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  } else if (
    method === "GET" &&
    FIELD_PAGE.test(url.pathname) &&
    !event.request.headers.get("HX-Request")
  ) {
    event.respondWith(networkFirst(event.request, url.pathname));
  } else if (method === "GET" && OFFLINE_ITEM.test(url.pathname)) {
    event.respondWith(offlineItem(Number(url.pathname.match(OFFLINE_ITEM)[1])));
  }
});

async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}

async function keep(key, response) {
  // Never keep the login page under a field page's address.
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

async function networkFirst(request, key) {
  const network = fetch(request).then((response) => keep(key, response));
  const kept = await caches.match(key, { ignoreSearch: true });
  if (!kept) return network;
  const late = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_TIMEOUT_MS));
  return Promise.race([network.catch(() => kept), late]);
}

async function warm(paths) {
  const cache = await caches.open(PAGE_CACHE);
  const all = new Set();
  for (const path of paths) {
    const match = path.match(FIELD_PAGE);
    if (!match) continue;
    all.add(`/sessions/${match[1]}/field/`);
    all.add(`/sessions/${match[1]}/encounters/new/`);
  }
  await Promise.all(
    [...all].map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(path, response);
      } catch {}
    }),
  );
}

// A note sent again with the same client UUID (corrected after the server refused it,
// or saved twice without signal) replaces its queued copy.
function dropQueued(uuid) {
  return store("readwrite", (s) => {
    const cursor = s.openCursor();
    cursor.onsuccess = () => {
      const item = cursor.result;
      if (!item) return;
      if (item.value.uuid === uuid) item.delete();
      item.continue();
    };
    return cursor;
  });
}

async function sendOrQueue(request) {
  const body = await request.clone().text();
  const uuid = new URLSearchParams(body).get("client_uuid");
  if (uuid) await dropQueued(uuid);
  const pending = (await allItems()).length;
  if (pending === 0) {
    try {
      const response = await fetch(request);
      if (response.status < 500) return response;
    } catch {}
  }
  // No signal (or a queue to keep in order): keep it and answer for the server.
  const params = new URLSearchParams(body);
  await store("readwrite", (s) =>
    s.add({
      url: new URL(request.url).pathname,
      body,
      htmx: Boolean(request.headers.get("HX-Request")),
      uuid: params.get("client_uuid"),
      queuedAt: Date.now(),
    }),
  );
  self.registration.sync?.register("terrain-replay").catch(() => {});
  await notify();
  if (pending) replay();
  if (request.mode === "navigate") {
    const back = params.get("queued_redirect") || "/";
    return Response.redirect(new URL(`${back}?queued=1`, self.location.origin).href, 303);
  }
  return new Response(null, { status: 204, headers: { "X-Terrain-Queued": "1" } });
}

async function offlineItem(id) {
  const item = await store("readonly", (s) => s.get(id));
  if (!item || !item.html) return Response.redirect("/", 303);
  return new Response(item.html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// --- Replay --------------------------------------------------------------------------

let latestCsrf = "";
let running = null;

function replay() {
  running = running || doReplay().finally(() => (running = null));
  return running;
}

async function doReplay() {
  let sent = 0;
  let needsLogin = false;
  for (const item of await allItems()) {
    const body = new URLSearchParams(item.body);
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    if (latestCsrf) {
      // A token from before a new login would be refused: use the page's current one.
      body.delete("csrfmiddlewaretoken");
      headers["X-CSRFToken"] = latestCsrf;
    }
    if (item.htmx) headers["HX-Request"] = "true";
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        headers,
        credentials: "same-origin",
        redirect: "follow",
      });
    } catch {
      break; // Still no signal: keep this one and everything after it.
    }
    const landed = new URL(response.url || item.url, self.location.origin).pathname;
    if (response.status === 403 || landed.startsWith(LOGIN_PATH)) {
      needsLogin = true;
      break;
    }
    if (response.ok) {
      await store("readwrite", (s) => s.delete(item.id));
      sent += 1;
    } else if (response.status === 422) {
      item.invalid = true;
      item.html = await response.text();
      await store("readwrite", (s) => s.put(item));
    } else {
      break; // The server is in trouble: try again later, in the same order.
    }
  }
  await notify({ sent, needsLogin });
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "replay") {
    if (data.csrf) latestCsrf = data.csrf;
    event.waitUntil(replay());
  } else if (data.type === "warm") {
    event.waitUntil(warm(data.urls || []));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "terrain-replay") event.waitUntil(replay());
});
