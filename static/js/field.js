// Field mode on a phone: fresh idempotency keys, what waits on the phone (header, field
// counters, the list of queued notes, "À revoir"), replay triggers, undo of a queued tap,
// and a logout that never drops what is not sent.
// The service worker (/sw.js, js/sw.js) sends and queues; both share js/queue.js.
"use strict";

(() => {
  const Q = window.TerrainQueue;
  const script = document.currentScript;
  const sw = "serviceWorker" in navigator && Q ? navigator.serviceWorker : null;
  const user = document.body.dataset.user || "";
  const status = document.getElementById("queue-status");
  const { STATE } = Q || { STATE: {} };
  const fieldMatch = Q && location.pathname.match(Q.ROUTES.fieldPage);
  const sessionHere = fieldMatch ? Number(fieldMatch[1]) : null;

  // A page the service worker gave after following a redirect shows under the address
  // that was posted to: put its own address back (a reload then gets this page).
  const own = document.body.dataset.path;
  if (own && own !== location.pathname && !(Q && Q.ROUTES.reviewItem.test(location.pathname))) {
    history.replaceState(null, "", own);
  }

  // --- Small helpers ---------------------------------------------------------
  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const fill = (text, n) => (text || "").replace("{n}", n);
  const mine = (items) => items.filter((item) => item.user === String(user));
  const waiting = (item) => item.state === STATE.PENDING || item.state === STATE.LOGIN;

  // The queue as the service worker last described it (or read here when it has not).
  let items = [];

  async function readQueue() {
    if (!Q) return [];
    try {
      return (await Q.all()).map((item) => {
        const params = new URLSearchParams(item.body);
        return {
          ...Q.describe(item.url),
          id: item.id,
          user: String(item.user || ""),
          state: item.state,
          status: item.status || null,
          reason: item.reason || "",
          tapKind: params.get("kind") || params.get("undo_kind") || "",
          tap: params.get("tap") || "",
          uuid: item.uuid,
          queuedAt: item.queuedAt,
          hasHtml: Boolean(item.html),
          sending: item.sending || 0,
        };
      });
    } catch {
      return [];
    }
  }

  async function refresh() {
    items = await readQueue();
    render();
  }

  // --- Talking to the service worker ---------------------------------------------
  function post(message) {
    if (!sw) return;
    sw.ready.then((registration) =>
      registration.active?.postMessage({ user, ...message }),
    );
  }

  function replay(force = false) {
    post({ type: "replay", force });
    sw?.ready.then((r) => r.sync?.register("terrain-replay").catch(() => {}));
  }

  if (sw) {
    const params = new URLSearchParams({
      queue: script?.dataset.queue || "/static/js/queue.js",
      login: script?.dataset.login || "/login/",
    });
    sw.register(`${script?.dataset.sw || "/sw.js"}?${params}`, { scope: "/" }).catch(() => {});
    sw.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type !== "queue") return;
      const before = items;
      items = data.items || [];
      render(data);
      const sentHere = before.some(
        (old) => old.session === sessionHere && !items.some((now) => now.id === old.id),
      );
      if (sentHere && window.htmx && counters()) {
        // What was queued is on the server now: show the server's totals again.
        htmx.ajax("GET", location.pathname, { target: "#counters", swap: "outerHTML" });
      }
      const noteSentHere = before.some(
        (old) =>
          old.session === sessionHere &&
          old.kind === "note" &&
          !items.some((now) => now.id === old.id),
      );
      if (noteSentHere) showConversations();
    });
    window.addEventListener("online", () => replay(true));
    window.addEventListener("pageshow", () => replay());
    // Some phones never say they are back online: try again now and then.
    setInterval(() => {
      if (mine(items).some(waiting)) replay();
    }, 15000);
    // Keep today's pages, the review list and this page's own files for no signal.
    const urls = [
      ...[...document.querySelectorAll("a[data-warm]")].map((a) => a.pathname),
      "/today/",
      "/offline/",
      ...[...document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]")]
        .map((el) => new URL(el.src || el.href, location.href))
        .filter((u) => u.origin === location.origin)
        .map((u) => u.pathname),
    ];
    if (user) post({ type: "warm", urls });
    // What is queued must outlive a browser short of space: ask to keep it.
    if (user) navigator.storage?.persist?.().catch(() => {});
  }
  refresh();

  // --- The header: what waits, what needs the volunteer ----------------------------
  function showStatus(data = {}) {
    if (!status) return;
    const own = mine(items);
    const pending = own.filter(waiting).length;
    const review = own.filter((item) => item.state === STATE.REVIEW).length;
    const needsLogin = own.some((item) => item.state === STATE.LOGIN) || data.needsLogin;
    status.hidden = pending + review === 0;
    const parts = [];
    if (pending) parts.push(fill(status.dataset.pending, pending));
    if (needsLogin && pending) parts.push(status.dataset.login);
    if (review) parts.push(fill(status.dataset.review, review));
    status.textContent = parts.join(" · ");
    status.classList.toggle("queue-login", Boolean(needsLogin && pending));
    if (needsLogin && pending) status.href = status.dataset.loginUrl;
    else if (review) status.href = status.dataset.reviewUrl;
    else status.removeAttribute("href");
  }

  status?.addEventListener("click", (event) => {
    if (!status.getAttribute("href")) {
      event.preventDefault();
      replay(true);
    }
  });

  function render(data = {}) {
    showStatus(data);
    showCounts();
    showList();
    showBanner();
  }

  // --- Contact and refusal taps ----------------------------------------------
  const counters = () => document.getElementById("counters");
  const snapshotKey = () => `terrain-counts:${user}:${sessionHere}`;

  // The server's totals: the page's own, or newer ones seen in a later swap (a page
  // kept for no signal was rendered before the last taps that reached the server).
  function serverCounts() {
    const box = counters();
    if (!box) return null;
    const read = (kind) => Number(box.querySelector(`[data-count="${kind}"]`)?.dataset.server);
    const own = (kind) => Number(box.querySelector(`[data-mine-count="${kind}"]`)?.dataset.server || 0);
    const counts = {
      at: Number(box.dataset.at || 0),
      contact: read("contact"),
      refusal: read("refusal"),
      mineContact: own("contact"),
      mineRefusal: own("refusal"),
    };
    try {
      const kept = JSON.parse(localStorage.getItem(snapshotKey()) || "null");
      if (kept && kept.at > counts.at) return kept;
    } catch {}
    return counts;
  }

  function rememberServerCounts() {
    const box = counters();
    if (!box) return;
    for (const el of box.querySelectorAll("[data-count]")) {
      if (el.dataset.server === undefined) el.dataset.server = el.textContent.trim();
    }
    const counts = serverCounts();
    try {
      localStorage.setItem(snapshotKey(), JSON.stringify(counts));
    } catch {}
  }

  function showCounts() {
    const box = counters();
    if (!box || sessionHere === null) return;
    const base = serverCounts();
    const queued = mine(items).filter((item) => item.session === sessionHere && waiting(item));
    for (const kind of ["contact", "refusal"]) {
      const el = box.querySelector(`[data-count="${kind}"]`);
      if (!el) continue;
      const taps = queued.filter((i) => i.kind === "tap" && i.tapKind === kind).length;
      const undos = queued.filter((i) => i.kind === "undo" && i.tapKind === kind).length;
      el.textContent = Math.max(0, (base[kind] || 0) + taps - undos);
      // "You: N": the member's own figures, with their taps still on the phone.
      const mineEl = box.querySelector(`[data-mine-count="${kind}"]`);
      const key = kind === "contact" ? "mineContact" : "mineRefusal";
      if (mineEl) mineEl.textContent = counted(mineEl, Math.max(0, (base[key] || 0) + taps - undos));
    }
    const pending = box.querySelector("[data-mine-pending]");
    if (pending) {
      const n = queued.filter((i) => i.kind === "tap").length;
      pending.hidden = n === 0;
      pending.textContent = n ? fill(pending.dataset.text, n) : "";
    }
    setUndo();
  }

  // "3 contacts" in the page's language, from its singular and plural forms.
  function counted(el, n) {
    const rule = new Intl.PluralRules(document.documentElement.lang || "fr").select(n);
    const form = rule === "one" ? el.dataset.one : el.dataset.other;
    return (form || String(n)).replace(/\d+/, String(n));
  }

  function undoInput() {
    return counters()?.querySelector("[data-undo-form] input[name=tap]");
  }

  // Taps of this page still on the phone, newest last: undo takes them back first.
  function queuedTaps() {
    return mine(items).filter(
      (i) => i.session === sessionHere && i.kind === "tap" && waiting(i),
    );
  }

  function setUndo() {
    const input = undoInput();
    if (!input) return;
    const form = input.form.dataset;
    if (form.serverTap === undefined) {
      form.serverTap = input.value;
      form.serverKind = input.dataset.kind || "";
    }
    const undone = new Set(
      mine(items)
        .filter((i) => i.kind === "undo" && waiting(i))
        .map((i) => i.tap),
    );
    const last = queuedTaps().at(-1);
    const serverTap = undone.has(form.serverTap) ? "" : form.serverTap;
    input.value = last ? last.uuid : serverTap;
    input.dataset.kind = last ? last.tapKind : serverTap ? form.serverKind : "";
    input.form.querySelector("button").disabled = !input.value;
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt.closest("form");
    if (form?.matches("[data-tap-form]")) {
      // One key per tap: two taps are two contacts, a replayed tap stays one.
      event.detail.parameters.client_uuid = newUuid();
      // When it was tapped: a tap sent late (it waited without signal) is not late.
      event.detail.parameters.at = new Date().toISOString();
    } else if (form?.matches("[data-undo-form]")) {
      // Kept with a queued undo, so that the counters know what it takes back.
      event.detail.parameters.undo_kind = undoInput()?.dataset.kind || "";
    }
  });

  document.addEventListener("htmx:confirm", (event) => {
    const form = event.detail.elt.closest("form");
    if (!form?.matches("[data-undo-form]") || !Q) return;
    event.preventDefault();
    (async () => {
      items = await readQueue();
      const last = queuedTaps().at(-1);
      // The tap to take back never left the phone: drop it from the queue instead.
      // (One being sent right now is taken back by the server, after it.)
      if (last && !(last.sending && Date.now() - last.sending < 30000)) {
        await Q.remove(last.id);
        await refresh();
        post({ type: "changed" });
        return;
      }
      event.detail.issueRequest(true);
    })();
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.xhr?.getResponseHeader("X-Terrain-Queued")) refresh();
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target?.id !== "counters" && !counters()?.contains(event.detail.elt)) {
      return;
    }
    rememberServerCounts();
    render();
  });
  rememberServerCounts();

  // A note sent from the queue is on the server: list it with the others, as the page
  // would after a reload (else it left "on this phone" and showed nowhere, and a
  // volunteer who thought it lost typed it again).
  function showConversations() {
    const here = document.getElementById("conversations");
    if (!here) return;
    fetch(location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then((r) => (r.ok && !r.redirected ? r.text() : null))
      .then((html) => {
        if (!html) return;
        const fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .getElementById("conversations");
        if (fresh) here.replaceWith(document.adoptNode(fresh));
      })
      .catch(() => {});
  }

  // --- What waits on the phone: the list on the field page and in "À revoir" -------
  const list = document.getElementById("queue-list");
  // The item whose destination is being chosen, "Send to another action" (the list is
  // drawn again on every word from the service worker: the choice stays open).
  let choosing = null;

  function label(item) {
    const d = list.dataset;
    const time = new Date(item.queuedAt).toLocaleTimeString(document.documentElement.lang, {
      hour: "2-digit",
      minute: "2-digit",
    });
    const what =
      item.kind === "note"
        ? d.note
        : item.kind === "undo"
          ? d.undo
          : item.tapKind === "refusal"
            ? d.refusal
            : d.contact;
    return `${what} · ${time}`;
  }

  function stateText(item) {
    const d = list.dataset;
    if (item.state === STATE.PENDING) return d.statePending;
    if (item.state === STATE.LOGIN) return d.stateLogin;
    const why = d[`status${item.status}`] || d.statusOther;
    return item.reason ? `${why} ${item.reason}` : why;
  }

  function button(text, action, id) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button small";
    b.textContent = text;
    b.dataset.action = action;
    b.dataset.id = id;
    return b;
  }

  // What the list shows now: it is drawn again only when that changes, so that a link or
  // a button under the volunteer's finger is not replaced by a copy between the press and
  // the release (the tap then did nothing).
  let drawn = null;

  function showList() {
    if (!list) return;
    const scope = list.dataset.session ? Number(list.dataset.session) : null;
    const shown = mine(items).filter(
      (i) =>
        (scope === null || i.session === scope) &&
        (i.kind === "note" || i.state === STATE.REVIEW || scope === null),
    );
    const signature = JSON.stringify([
      shown.map((i) => [i.id, i.state, i.status, i.reason, i.hasHtml, i.queuedAt, i.session]),
      choosing && choosing.id,
    ]);
    if (signature === drawn) return;
    drawn = signature;
    const ul = list.querySelector("ul");
    ul.replaceChildren(
      ...shown.map((item) => {
        const li = document.createElement("li");
        li.className = `queue-item queue-${item.state}`;
        li.dataset.queueId = item.id;
        li.dataset.state = item.state;
        const title = document.createElement("strong");
        title.textContent = label(item);
        const state = document.createElement("span");
        state.className = "queue-state";
        state.textContent = stateText(item);
        li.append(title, " ", state);
        if (item.state === STATE.REVIEW) {
          const actions = document.createElement("span");
          actions.className = "actions";
          if (item.hasHtml && item.status === 422) {
            const a = document.createElement("a");
            a.className = "button small";
            a.href = Q.reviewPath(item.id);
            a.textContent = list.dataset.correct;
            actions.append(a);
          } else if (![404, 409, 410].includes(item.status)) {
            // A replaced, cancelled or conflicting item would only be refused again.
            actions.append(button(list.dataset.retry, "retry", item.id));
          }
          // Elsewhere it may go: a session replaced or cancelled, or (a tap, which has
          // nothing to correct) one that has not started yet.
          if (
            item.status === 404 ||
            item.status === 410 ||
            (item.status === 422 && item.kind !== "note")
          ) {
            actions.append(button(list.dataset.move, "move", item.id));
          }
          actions.append(button(list.dataset.discard, "discard", item.id));
          li.append(" ", actions);
          if (choosing && choosing.id === item.id) chooseTarget(li, item);
        }
        return li;
      }),
    );
    list.hidden = shown.length === 0;
    const empty = document.getElementById("queue-empty");
    if (empty) empty.hidden = shown.length !== 0;
  }

  list?.addEventListener("click", async (event) => {
    const b = event.target.closest("button[data-action]");
    if (!b) return;
    const item = await Q.get(Number(b.dataset.id));
    if (!item) return refresh();
    if (b.dataset.action === "discard") {
      if (!window.confirm(list.dataset.discardConfirm)) return;
      await Q.remove(item.id);
    } else if (b.dataset.action === "retry") {
      item.state = STATE.PENDING;
      await Q.put(item);
      replay(true);
    } else if (b.dataset.action === "move") {
      choosing = { id: item.id, to: "" };
      return showList();
    } else if (b.dataset.action === "send-to") {
      const to = Number(choosing && choosing.id === item.id ? choosing.to : 0);
      choosing = null;
      if (!to) return showList();
      await Q.put(movedTo(item, to));
      replay(true);
    }
    await refresh();
    post({ type: "changed" });
  });

  // --- "Send to another action": an item whose session was replaced or cancelled ---
  // The same tap, undo or note, sent to one of the member's actions of the day (or to
  // an action started now, which then is one of them). Same client UUID: still one.
  function movedTo(item, session) {
    const from = `/sessions/${Q.describe(item.url).session}/`;
    const to = `/sessions/${session}/`;
    const body = new URLSearchParams(item.body);
    if (body.has("queued_redirect")) body.set("queued_redirect", Q.fieldPath(session));
    const moved = { ...item, url: item.url.replace(from, to), body: body.toString() };
    Object.assign(moved, { state: STATE.PENDING, attempts: 0, sending: 0 });
    for (const key of ["status", "reason", "html"]) delete moved[key];
    return moved;
  }

  function chooseTarget(li, item) {
    const d = list.dataset;
    const from = item.session;
    const options = [...(document.getElementById("move-targets")?.content.children || [])]
      .filter((option) => Number(option.value) !== from)
      .map((option) => option.cloneNode(true));
    const box = document.createElement("span");
    box.className = "move-to";
    if (options.length) {
      const label = document.createElement("label");
      const select = document.createElement("select");
      select.name = "move-to";
      select.append(...options);
      if (choosing.to) select.value = choosing.to;
      choosing.to = select.value;
      select.addEventListener("change", () => (choosing.to = select.value));
      label.append(d.moveTo, " ", select);
      box.append(label, " ", button(d.moveSend, "send-to", item.id), " ");
    }
    const start = document.createElement("a");
    start.className = "button small";
    start.href = d.startNowUrl;
    start.textContent = `▶ ${d.startNow}`;
    box.append(start);
    li.querySelector(".actions").replaceChildren(box);
    if (!box.contains(document.activeElement)) (box.querySelector("select") || start).focus();
  }

  // --- The conversation form ----------------------------------------------------
  const form = document.querySelector("form[data-offline-form]");
  if (form) {
    const key = form.querySelector("input[name=client_uuid]");
    // A page kept offline is shown again and again: each showing is a new note. A form
    // that came back with errors keeps its key, so that a retry is still the same note.
    if (key && !form.querySelector(".form-errors")) key.value = newUuid();
    // What the note says, without what the phone adds (its key, its time, the token).
    const content = () => {
      const data = new URLSearchParams(new FormData(form));
      for (const name of ["client_uuid", "occurred_at", "csrfmiddlewaretoken"]) data.delete(name);
      return data.toString();
    };
    form.addEventListener("submit", () => {
      // Back to this form after saving it, the browser gives back what was filled in but
      // the page makes a new key: the same note saved again would be a second one. This
      // page's history entry keeps the key it was sent with and its content; the same
      // content sent again from here goes with the same key (the server says "already
      // saved"), another content is another note.
      const sent = history.state && history.state.terrainNote;
      if (key && sent && sent.content === content()) key.value = sent.uuid;
      else if (key) {
        // Another content (on a page the browser kept whole, the key is the old one).
        if (sent && key.value === sent.uuid) key.value = newUuid();
        history.replaceState(
          { ...(history.state || {}), terrainNote: { uuid: key.value, content: content() } },
          "",
        );
      }
      const when = form.querySelector("input[name=occurred_at]");
      if (when && !when.value) when.value = new Date().toISOString();
    });
  }

  // --- Field page: the "kept on this phone" banner says what is true now ----------
  const note = document.getElementById("queued-note");
  if (note && new URLSearchParams(location.search).has("queued")) {
    history.replaceState(null, "", location.pathname);
  }

  function showBanner() {
    if (!note) return;
    note.hidden = !mine(items).some(
      (i) => i.session === sessionHere && i.kind === "note" && waiting(i),
    );
  }

  // --- Logging out on a shared phone ---------------------------------------------
  // What is not sent is never dropped: without signal the logout waits; with signal
  // the queue is sent first, and what is left (to review, or refused) stays on this
  // phone for this member's next login, never sent under another member's name.
  async function reachable() {
    try {
      const response = await fetch(status?.dataset.loginUrl || "/login/", {
        method: "HEAD",
        cache: "no-store",
      });
      return response.status < 500;
    } catch {
      return false;
    }
  }

  document.querySelectorAll('form[action$="/logout/"]').forEach((logout) => {
    logout.addEventListener("submit", async (event) => {
      if (logout.dataset.cleared) return;
      event.preventDefault();
      items = await readQueue();
      let left = mine(items);
      if (left.length) {
        if (!(await reachable())) {
          window.alert(fill(status?.dataset.logoutOffline, left.length));
          return;
        }
        replay(true);
        for (let i = 0; i < 20 && mine(items).some(waiting); i++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          items = await readQueue();
        }
        left = mine(items);
        if (left.length && !window.confirm(fill(status?.dataset.logoutKeep, left.length))) {
          return;
        }
      }
      try {
        const names = await caches.keys();
        await Promise.all(
          names.filter((n) => n.startsWith(Q.PAGE_CACHE)).map((n) => caches.delete(n)),
        );
        localStorage.clear();
      } catch {}
      logout.dataset.cleared = "1";
      logout.submit();
    });
  });

})();
