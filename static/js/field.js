// Field mode on a phone: fresh idempotency keys, the offline queue indicator, replay
// triggers, undo of a queued tap, and a logout that clears what this phone keeps.
// The service worker (/sw.js) does the queueing and the replaying; see its header.
"use strict";

(() => {
  const DB_NAME = "terrain-offline";
  const STORE = "queue";
  const PAGE_CACHE_PREFIX = "terrain-pages";
  const status = document.getElementById("queue-status");
  const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  // --- Small helpers ---------------------------------------------------------
  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () =>
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    });
  }

  const queued = () => store("readonly", (s) => s.getAll());

  // --- The "N pending" indicator in the header ---------------------------------
  function showQueue({ count = 0, needsLogin = false, invalid = null } = {}) {
    if (!status) return;
    status.hidden = count === 0;
    const text = status.dataset.pending.replace("{n}", count);
    status.textContent = needsLogin ? `${text} · ${status.dataset.login}` : text;
    status.classList.toggle("queue-login", needsLogin);
    if (needsLogin) status.href = status.dataset.loginUrl;
    else if (invalid) status.href = `/offline/${invalid}/`;
    else status.removeAttribute("href");
  }

  function replay() {
    if (!sw) return;
    sw.ready.then((registration) => {
      registration.active?.postMessage({ type: "replay", csrf: csrfToken() });
      registration.sync?.register("terrain-replay").catch(() => {});
    });
  }

  if (sw) {
    sw.register("/sw.js", { scope: "/" }).catch(() => {});
    sw.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type !== "queue") return;
      showQueue(data);
      if (data.sent && window.htmx && document.getElementById("counters")) {
        // What was queued is on the server now: show the server's totals again.
        htmx.ajax("GET", location.pathname, { target: "#counters", swap: "outerHTML" });
      }
    });
    window.addEventListener("online", replay);
    window.addEventListener("pageshow", replay);
    // Some phones never say they are back online: try again now and then.
    setInterval(() => {
      if (status && !status.hidden) replay();
    }, 15000);
    // Keep today's field pages for when there is no signal.
    const warm = [...document.querySelectorAll("a[data-warm]")].map((a) => a.pathname);
    if (warm.length) sw.ready.then((r) => r.active?.postMessage({ type: "warm", urls: warm }));
  }
  status?.addEventListener("click", (event) => {
    if (!status.getAttribute("href")) {
      event.preventDefault();
      replay();
    }
  });

  // --- Contact and refusal taps ----------------------------------------------
  const counters = () => document.getElementById("counters");

  function bump(kind, delta) {
    const el = counters()?.querySelector(`[data-count="${kind}"]`);
    if (el) el.textContent = Math.max(0, Number(el.textContent) + delta);
  }

  // Taps queued offline on this page, newest last: undo takes them back first.
  const queuedTaps = [];

  function undoInput() {
    return counters()?.querySelector("[data-undo-form] input[name=tap]");
  }

  // The last tap the server knows, as rendered in the counters.
  function rememberServerTap() {
    const input = undoInput();
    if (!input) return;
    input.form.dataset.serverTap = input.value;
    input.form.dataset.serverKind = input.dataset.kind || "";
  }
  rememberServerTap();

  function setUndo(tap) {
    const input = undoInput();
    if (!input) return;
    const server = input.form.dataset;
    input.value = tap ? tap.uuid : server.serverTap || "";
    input.dataset.kind = tap ? tap.kind : server.serverKind || "";
    input.form.querySelector("button").disabled = !input.value;
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt.closest("form");
    if (form?.matches("[data-tap-form]")) {
      // One key per tap: two taps are two contacts, a replayed tap stays one.
      const uuid = newUuid();
      event.detail.parameters.client_uuid = uuid;
      form.dataset.sent = uuid;
    }
  });

  document.addEventListener("htmx:confirm", (event) => {
    const form = event.detail.elt.closest("form");
    if (!form?.matches("[data-undo-form]")) return;
    const last = queuedTaps[queuedTaps.length - 1];
    if (!last) return;
    // The tap to take back never left the phone: drop it from the queue instead.
    event.preventDefault();
    queued()
      .then((items) => items.find((item) => item.uuid === last.uuid))
      .then((item) =>
        item ? store("readwrite", (s) => s.delete(item.id)).then(() => true) : false,
      )
      .then((dropped) => {
        if (!dropped) return event.detail.issueRequest(true);
        queuedTaps.pop();
        bump(last.kind, -1);
        setUndo(queuedTaps[queuedTaps.length - 1]);
        replay();
      });
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (!xhr || !xhr.getResponseHeader("X-Terrain-Queued")) return;
    const form = event.detail.elt.closest("form");
    if (form?.matches("[data-tap-form]")) {
      const kind = form.querySelector("input[name=kind]").value;
      bump(kind, 1);
      queuedTaps.push({ uuid: form.dataset.sent, kind });
      setUndo(queuedTaps[queuedTaps.length - 1]);
    } else if (form?.matches("[data-undo-form]")) {
      const input = undoInput();
      if (input?.dataset.kind) bump(input.dataset.kind, -1);
      // The server will take that tap back; the one before is not known offline.
      input.form.dataset.serverTap = "";
      input.form.dataset.serverKind = "";
      setUndo(null);
    }
  });

  document.addEventListener("htmx:afterSwap", () => {
    queuedTaps.length = 0;
    rememberServerTap();
  });

  // --- The conversation form ----------------------------------------------------
  const form = document.querySelector("form[data-offline-form]");
  if (form) {
    const key = form.querySelector("input[name=client_uuid]");
    // A page kept offline is shown again and again: each showing is a new note. A form
    // that came back with errors keeps its key, so that a retry is still the same note.
    if (key && !form.querySelector(".form-errors")) key.value = newUuid();
    form.addEventListener("submit", () => {
      const when = form.querySelector("input[name=occurred_at]");
      if (when && !when.value) when.value = new Date().toISOString();
    });
  }

  // --- Field page: say when the last note was kept on the phone ------------------
  const note = document.getElementById("queued-note");
  if (note && new URLSearchParams(location.search).has("queued")) {
    note.hidden = false;
    history.replaceState(null, "", location.pathname);
  }

  // --- Logging out on a shared phone ---------------------------------------------
  document.querySelectorAll('form[action$="/logout/"]').forEach((logout) => {
    logout.addEventListener("submit", async (event) => {
      if (logout.dataset.cleared) return;
      event.preventDefault();
      let items = [];
      try {
        items = await queued();
      } catch {}
      if (items.length && status) {
        const question = status.dataset.logoutConfirm.replace("{n}", items.length);
        if (!window.confirm(question)) return;
      }
      try {
        await store("readwrite", (s) => s.clear());
        const names = await caches.keys();
        await Promise.all(
          names.filter((n) => n.startsWith(PAGE_CACHE_PREFIX)).map((n) => caches.delete(n)),
        );
      } catch {}
      logout.dataset.cleared = "1";
      logout.submit();
    });
  });
})();
