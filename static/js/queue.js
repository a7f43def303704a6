// Terrain's offline queue, shared by the pages (js/field.js) and the service worker
// (js/sw.js, which loads it with importScripts): one database, one set of URL patterns.
//
// An item is one POST that has not reached the server yet (a contact or refusal tap,
// an undo, a conversation): its URL and urlencoded body (which holds the phone's
// client UUID), who made it, and its state:
//   - "pending": waits for a signal; replayed in order, with backoff on network errors
//     and 5xx;
//   - "login":   the server asked to log in again (401, 403, a redirect to the login
//     page); sent again once the volunteer has logged in;
//   - "review":  the server refused it for good (404 session gone, 409 the same UUID
//     saved with another content, 410 session cancelled, 422 invalid): kept, with the
//     server's reason, until the volunteer corrects or discards it ("À revoir").
// Nothing leaves the queue except a 2xx from the server or the volunteer's own choice.
"use strict";

((scope) => {
  const DB_NAME = "terrain-offline";
  const DB_VERSION = 2;
  const STORE = "queue";
  const META = "meta";

  const STATE = Object.freeze({ PENDING: "pending", LOGIN: "login", REVIEW: "review" });

  // The only place that knows the shape of Terrain's URLs on the phone.
  const ROUTES = Object.freeze({
    // Pages kept for when there is no signal (network first, then the kept copy).
    fieldPage: /^\/sessions\/(\d+)\/(field|encounters\/new)\/$/,
    // Where a post that was taken sends on to, when it is redirected (the field page).
    savedPage: /^\/sessions\/(\d+)\/field\/$/,
    shellPage: /^\/(today\/|offline\/)?$/,
    // Posts that are queued when they cannot reach the server.
    queueable: /^\/sessions\/(\d+)\/field\/(tap|undo)\/$|^\/sessions\/(\d+)\/encounters\/new\/$/,
    // The server's answer to a refused note, kept with the item, shown to correct it.
    reviewItem: /^\/offline\/(\d+)\/$/,
  });

  const PAGE_CACHE = "terrain-pages";
  const STATIC_CACHE = "terrain-static";

  function fieldPath(session) {
    return `/sessions/${session}/field/`;
  }

  function formPath(session) {
    return `/sessions/${session}/encounters/new/`;
  }

  // Who is logged in now and the CSRF token of that login (the service worker asks).
  const TOKEN_PATH = "/offline/token/";

  function reviewPath(id) {
    return `/offline/${id}/`;
  }

  // What an item is, from its URL: {session, kind: "tap" | "undo" | "note"}.
  function describe(url) {
    const path = new URL(url, "http://x").pathname;
    const m = path.match(ROUTES.queueable);
    if (!m) return { session: null, kind: null };
    if (m[1]) return { session: Number(m[1]), kind: m[2] };
    return { session: Number(m[3]), kind: "note" };
  }

  // --- IndexedDB ---------------------------------------------------------------

  let opening = null;

  function openDb() {
    opening =
      opening ||
      new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(STORE)) {
            db.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
          }
          if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
        };
        request.onsuccess = () => {
          const db = request.result;
          // Another context upgrades the database: let it, and open again next time.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
        request.onblocked = () => {
          opening = null;
          reject(new Error("terrain-offline is blocked by an older page"));
        };
      });
    return opening;
  }

  async function run(name, mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const request = action(tx.objectStore(name));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  // Items made before the states existed were pending, or refused with "invalid".
  function normalise(item) {
    if (!item.state) item.state = item.invalid ? STATE.REVIEW : STATE.PENDING;
    if (item.state === STATE.REVIEW && !item.status && item.invalid) item.status = 422;
    return item;
  }

  const all = async () => (await run(STORE, "readonly", (s) => s.getAll())).map(normalise);
  const get = async (id) => {
    const item = await run(STORE, "readonly", (s) => s.get(id));
    return item ? normalise(item) : null;
  };
  const add = (item) =>
    run(STORE, "readwrite", (s) =>
      s.add({ state: STATE.PENDING, queuedAt: Date.now(), attempts: 0, ...item }),
    );
  const put = (item) => run(STORE, "readwrite", (s) => s.put(item));
  // Change an item only if it is still there (the volunteer may have discarded it).
  const update = (id, changes) =>
    run(STORE, "readwrite", (s) => {
      const request = s.get(id);
      request.onsuccess = () => {
        if (request.result) s.put({ ...request.result, ...changes });
      };
      return request;
    });
  const remove = (id) => run(STORE, "readwrite", (s) => s.delete(id));

  // Drop the queued copies of a client UUID (a note sent again replaces its copy).
  function removeUuid(uuid) {
    return run(STORE, "readwrite", (s) => {
      const cursor = s.openCursor();
      cursor.onsuccess = () => {
        const row = cursor.result;
        if (!row) return;
        if (row.value.uuid === uuid) row.delete();
        row.continue();
      };
      return cursor;
    });
  }

  const getMeta = (key) => run(META, "readonly", (s) => s.get(key));
  const setMeta = (key, value) => run(META, "readwrite", (s) => s.put(value, key));

  // Whether something of ``user`` waits to be sent (stops at the first one found).
  function hasWaiting(user) {
    let found = false;
    return run(STORE, "readonly", (s) => {
      const cursor = s.openCursor();
      cursor.onsuccess = () => {
        const row = cursor.result;
        if (!row) return;
        const item = normalise(row.value);
        if (String(item.user || "") === String(user || "") && item.state !== STATE.REVIEW) {
          found = true;
          return;
        }
        row.continue();
      };
      return { get result() { return found; } };
    });
  }

  // The items of one member: another member's items on a shared phone wait for them.
  async function itemsOf(user) {
    return (await all()).filter((item) => String(item.user || "") === String(user || ""));
  }

  scope.TerrainQueue = Object.freeze({
    STATE,
    ROUTES,
    PAGE_CACHE,
    STATIC_CACHE,
    fieldPath,
    formPath,
    reviewPath,
    TOKEN_PATH,
    describe,
    all,
    itemsOf,
    hasWaiting,
    get,
    add,
    put,
    update,
    remove,
    removeUuid,
    getMeta,
    setMeta,
  });
})(self);
