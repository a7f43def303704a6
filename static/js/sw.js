// Terrain's service worker, served at /sw.js (scope: the whole site) by a small view
// that reads this static file. Registered by js/field.js as
//   /sw.js?queue=<URL of js/queue.js>&login=<login path>
// so that it loads the same queue module as the pages and knows the login page; a new
// deploy (new hashed queue.js) is a new service worker.
//
// - Static files: served from the cache, refreshed in the background.
// - Pages kept for no signal (today, the review list, a session's field page and its
//   conversation form): network first; without signal (or after a few seconds of a
//   weak one) the kept copy.
// - Field posts (tap, undo, conversation): sent at once when nothing of this member
//   waits before them; kept in the queue (js/queue.js) when there is no signal, when
//   the server is in trouble (5xx), or when it asks to log in again. Refusals for good
//   (404, 409, 410, 422) go to "À revoir" and never block the others.
// - Replay: in order, per member, on `online`, at every page start, on Background Sync,
//   and after a backoff (1 s, 2 s, 4 s... up to a minute) on network errors and 5xx.
"use strict";

const PARAMS = new URL(self.location.href).searchParams;
const QUEUE_SCRIPT = sameOrigin(PARAMS.get("queue")) || "/static/js/queue.js";
const LOGIN_PATH = sameOrigin(PARAMS.get("login")) || "/login/";
importScripts(QUEUE_SCRIPT);

const Q = self.TerrainQueue;
const { STATE, ROUTES } = Q;
const STATIC_ROOT = QUEUE_SCRIPT.slice(0, QUEUE_SCRIPT.lastIndexOf("/js/") + 1);
// A weak signal: after this long, show the kept page and let the network finish.
const NETWORK_TIMEOUT_MS = 4000;
const MAX_BACKOFF_MS = 60000;
// Refusals that no retry will change: the item goes to "À revoir".
const FINAL = new Set([400, 404, 409, 410, 413, 422]);

function sameOrigin(path) {
  return path && path.startsWith("/") && !path.startsWith("//") ? path : null;
}

// --- Lifecycle -------------------------------------------------------------------

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Static caches of older service workers (they were named per version).
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith(`${Q.STATIC_CACHE}-`)).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

// --- Fetch -------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (request.method === "POST" && ROUTES.queueable.test(path)) {
    event.respondWith(sendOrQueue(request));
  } else if (request.method !== "GET") {
    return;
  } else if (path.startsWith(STATIC_ROOT)) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (ROUTES.reviewItem.test(path)) {
    event.respondWith(reviewItem(Number(path.match(ROUTES.reviewItem)[1])));
  } else if (
    (ROUTES.fieldPage.test(path) || ROUTES.shellPage.test(path)) &&
    !request.headers.get("HX-Request")
  ) {
    event.respondWith(networkFirst(request, path));
  }
});

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(Q.STATIC_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  if (hit) {
    event.waitUntil(network.catch(() => {}));
    return hit;
  }
  return network;
}

async function keep(key, response) {
  // Never keep the login page (or any redirect) under a kept page's address.
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(Q.PAGE_CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

async function networkFirst(request, key) {
  const network = fetch(request).then((response) => keep(key, response));
  const kept = await caches.match(key, { ignoreSearch: true, cacheName: Q.PAGE_CACHE });
  if (!kept) return network;
  const late = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_TIMEOUT_MS));
  return Promise.race([network.catch(() => kept), late]);
}

async function warm(paths) {
  const cache = await caches.open(Q.PAGE_CACHE);
  const pages = new Set();
  const assets = new Set();
  for (const path of paths) {
    const field = path.match(ROUTES.fieldPage);
    if (field) {
      pages.add(Q.fieldPath(field[1]));
      pages.add(Q.formPath(field[1]));
    } else if (ROUTES.shellPage.test(path)) {
      pages.add(path);
    } else if (path.startsWith(STATIC_ROOT)) {
      assets.add(path);
    }
  }
  const statics = await caches.open(Q.STATIC_CACHE);
  await Promise.all([
    ...[...pages].map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(path, response);
      } catch {}
    }),
    ...[...assets].map(async (path) => {
      try {
        if (await statics.match(path)) return;
        const response = await fetch(path);
        if (response.ok) await statics.put(path, response);
      } catch {}
    }),
  ]);
}

async function reviewItem(id) {
  const item = await Q.get(id);
  if (!item || !item.html) return Response.redirect("/offline/", 303);
  return new Response(item.html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// --- The member this phone works for, and the CSRF token of their login -----------
// Kept in the queue's database: the browser may stop the worker between two events.
// The token is asked of the server at each replay (Q.TOKEN_PATH), never taken from a
// page: a page may be older than the last login (a kept copy shown while the server is
// slow, a tab left open), and the last page to speak used to win. Its stale token was
// then refused (403) again and again after a new login (issue 11, the N=1000 stall).

async function currentUser() {
  return String((await Q.getMeta("user")) || "");
}

class NoSignal extends Error {}

// {user, csrf} of the login the browser holds now; user "" when nobody is logged in.
async function whoIsLoggedIn() {
  let response;
  try {
    response = await fetch(Q.TOKEN_PATH, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Terrain-Replay": "1" },
    });
  } catch {
    throw new NoSignal();
  }
  if (response.status >= 500) throw new NoSignal();
  if (!response.ok || response.redirected) return { user: "", csrf: "" };
  try {
    const who = await response.json();
    return { user: String(who.user || ""), csrf: String(who.csrf || "") };
  } catch {
    return { user: "", csrf: "" };
  }
}

// --- What the server said --------------------------------------------------------

function verdict(response, sentTo) {
  const landed = new URL(response.url || sentTo, self.location.origin).pathname;
  if (response.status === 401 || response.status === 403 || landed.startsWith(LOGIN_PATH)) {
    return "login";
  }
  // Sent to the login page while a login happened elsewhere: the login page then sent
  // it on to the address posted to, as a GET, which only takes posts. Send it again.
  if (response.status === 405 && response.redirected) return "login";
  // A post that was taken answers on its own (htmx) or sends on to the field page.
  // Redirected anywhere else, it was not taken: sent to the login page as the volunteer
  // was logging in elsewhere, the login page (logged in by then) sent it on to "next",
  // the conversation form, as a GET that answers 200 (issue 11: a note lost so).
  if (response.ok && response.redirected && !ROUTES.savedPage.test(landed)) return "login";
  if (response.ok) return "ok";
  if (FINAL.has(response.status)) return "review";
  return "retry"; // 5xx, or anything else: the server may say yes later.
}

function reasonOf(response) {
  const reason = response.headers.get("X-Terrain-Reason");
  if (!reason) return "";
  try {
    return decodeURIComponent(reason);
  } catch {
    return "";
  }
}

// Kept with a refused note: the server's page, to correct it at /offline/<id>/.
async function refusal(response) {
  const type = response.headers.get("Content-Type") || "";
  const html = type.startsWith("text/html") ? await response.text() : "";
  return { status: response.status, reason: reasonOf(response), html };
}

// --- Sending a post, or keeping it -------------------------------------------------

function queuedAnswer(request, item, id) {
  const params = new URLSearchParams(item.body);
  if (request.mode === "navigate") {
    const back = sameOrigin(params.get("queued_redirect")) || "/";
    const where = item.state === STATE.REVIEW ? Q.reviewPath(id) : `${back}?queued=1`;
    return Response.redirect(new URL(where, self.location.origin).href, 303);
  }
  return new Response(null, {
    status: 204,
    headers: { "X-Terrain-Queued": item.state, "X-Terrain-Queue-Id": String(id) },
  });
}

// Whose item it is: the member of the page that posted it (its forms carry
// queued_user), not whoever last spoke to the service worker (another tab may be on
// the login page, logged out: an item kept for "nobody" was never sent, nor shown).
function itemFrom(request, body, user) {
  const params = new URLSearchParams(body);
  return {
    url: new URL(request.url).pathname,
    body,
    htmx: Boolean(request.headers.get("HX-Request")),
    uuid: params.get("client_uuid") || null,
    user: params.get("queued_user") || user,
  };
}

// A form posted by the page: sent with redirects followed, so that a redirect to the
// login page can be told from the redirect to the field page (a navigation's own fetch
// would answer an opaque redirect).
function firstSend(request, body) {
  if (request.mode !== "navigate") return fetch(request);
  return fetch(request.url, {
    method: "POST",
    body,
    headers: { "Content-Type": request.headers.get("Content-Type") || "" },
    credentials: "same-origin",
    redirect: "follow",
  });
}

// A navigation cannot take a followed redirect: give the page it landed on as is (the
// page puts its own address back, see data-path in js/field.js).
async function asPage(response) {
  if (!response.redirected) return response;
  return new Response(await response.text(), {
    status: response.status,
    headers: { "Content-Type": response.headers.get("Content-Type") || "text/html" },
  });
}

async function sendOrQueue(request) {
  const body = await request.clone().text();
  const item = itemFrom(request, body, await currentUser());
  const user = item.user;
  // A note sent again with its client UUID (corrected after a refusal, or saved twice
  // without signal) replaces its queued copy.
  if (item.uuid) await Q.removeUuid(item.uuid);
  const waiting = await Q.hasWaiting(user);
  if (!waiting) {
    let response = null;
    try {
      response = await firstSend(request, body);
    } catch {}
    if (response) {
      const said = verdict(response, request.url);
      if (said === "ok") return asPage(response);
      if (said === "login") {
        item.state = STATE.LOGIN;
      } else if (said === "review") {
        // A conversation form refused as invalid: the page with its errors is the
        // place to correct it, online, now.
        if (request.mode === "navigate" && response.status === 422) return asPage(response);
        Object.assign(item, { state: STATE.REVIEW }, await refusal(response));
      }
      item.attempts = 1;
    }
  }
  const id = await Q.add(item);
  self.registration.sync?.register("terrain-replay").catch(() => {});
  await notify({ needsLogin: item.state === STATE.LOGIN });
  if (waiting && item.state === STATE.PENDING) replay();
  else if (item.state === STATE.PENDING) scheduleRetry();
  return queuedAnswer(request, item, id);
}

// --- Replay --------------------------------------------------------------------------

let running = null;
let again = false;
let failures = 0;
let retryTimer = null;

// One replay at a time; a call during a replay runs another one after it (items queued
// meanwhile are not left waiting for the next trigger).
function replay() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await doReplay();
    } while (again && !retryTimer);
  })().finally(() => (running = null));
  return running;
}

function scheduleRetry() {
  if (retryTimer) return;
  const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures) * (0.75 + Math.random() / 2);
  failures = Math.min(failures + 1, 16);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    replay();
  }, delay);
}

async function send(item, csrf) {
  const body = new URLSearchParams(item.body);
  const headers = { "Content-Type": "application/x-www-form-urlencoded" };
  if (csrf) {
    // The token of the login the browser holds now (the posted one may be older).
    body.delete("csrfmiddlewaretoken");
    headers["X-CSRFToken"] = csrf;
  }
  if (item.htmx) headers["HX-Request"] = "true";
  headers["X-Terrain-Replay"] = "1";
  return fetch(item.url, {
    method: "POST",
    body,
    headers,
    credentials: "same-origin",
    redirect: "follow",
  });
}

async function doReplay() {
  let sent = 0;
  let needsLogin = false;
  let retry = false;
  let who;
  try {
    who = await whoIsLoggedIn();
  } catch {
    scheduleRetry();
    await notify();
    return;
  }
  const user = who.user || (await currentUser());
  if (who.user) await Q.setMeta("user", who.user);
  let refreshed = false;
  for (const item of await Q.itemsOf(user)) {
    if (item.state === STATE.REVIEW) continue;
    if (!who.user) {
      // Nobody is logged in: everything of this member waits for their login.
      await Q.update(item.id, { state: STATE.LOGIN });
      needsLogin = true;
      continue;
    }
    // Taken back (undo) or discarded meanwhile? Else say it is on its way: an undo on
    // the page then goes to the server after it instead of dropping it.
    if (!(await Q.get(item.id))) continue;
    await Q.update(item.id, { sending: Date.now() });
    let response;
    try {
      response = await send(item, who.csrf);
      if (response.status === 403 && !refreshed) {
        // The login changed since this replay began (or a token was refused): ask
        // again, once, and send again if the same member is still logged in.
        refreshed = true;
        const now = await whoIsLoggedIn();
        if (now.user === who.user) {
          who = now;
          response = await send(item, who.csrf);
        }
      }
    } catch {
      await Q.update(item.id, { sending: 0 });
      retry = true;
      break; // No signal: keep this one and everything after it, in order.
    }
    const said = verdict(response, item.url);
    if (said === "ok") {
      await Q.remove(item.id);
      sent += 1;
      continue;
    }
    const changes = { sending: 0, attempts: (item.attempts || 0) + 1 };
    if (said === "login") {
      await Q.update(item.id, { ...changes, state: STATE.LOGIN });
      needsLogin = true;
      break; // The same answer for every item until the volunteer logs in again.
    }
    if (said === "review") {
      await Q.update(item.id, { ...changes, state: STATE.REVIEW, ...(await refusal(response)) });
      continue; // Refused for good: the next ones go on.
    }
    await Q.update(item.id, changes);
    retry = true;
    break; // The server is in trouble: try again later, in the same order.
  }
  if (retry) scheduleRetry();
  else failures = 0;
  await notify({ sent, needsLogin });
}

// --- Telling the pages -------------------------------------------------------------

function summary(item) {
  const params = new URLSearchParams(item.body);
  const { session, kind } = Q.describe(item.url);
  return {
    id: item.id,
    user: String(item.user || ""),
    state: item.state,
    status: item.status || null,
    reason: item.reason || "",
    session,
    kind,
    tapKind: params.get("kind") || params.get("undo_kind") || "",
    tap: params.get("tap") || "",
    uuid: item.uuid,
    queuedAt: item.queuedAt,
    hasHtml: Boolean(item.html),
  };
}

async function notify(extra = {}) {
  const items = (await Q.all()).map(summary);
  const clients = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of clients) client.postMessage({ type: "queue", items, ...extra });
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const work = (async () => {
    if (data.user !== undefined) await Q.setMeta("user", String(data.user || ""));
    if (data.type === "replay") {
      if (data.force && retryTimer) {
        clearTimeout(retryTimer);
        retryTimer = null;
        failures = 0;
      }
      if (!retryTimer) await replay();
      else await notify();
    } else if (data.type === "warm") {
      await warm(data.urls || []);
    } else if (data.type === "changed") {
      await notify();
    }
  })();
  event.waitUntil(work);
});

self.addEventListener("sync", (event) => {
  if (event.tag === "terrain-replay") event.waitUntil(replay());
});
