// Juara judge pages: the outbox badge, when to sync, the service worker, the home page list.
(function () {
  "use strict";

  const Outbox = window.JuaraOutbox;
  const configEl = document.getElementById("judge-config");
  if (!Outbox || !configEl) return;
  const data = configEl.dataset;
  const RETRY_MS = 15000;
  const MAX_BACKOFF_MS = 5 * 60 * 1000;

  const config = {
    userId: Number(data.userId),
    csrfToken: data.csrfToken,
    sessionUrl: data.sessionUrl,
    sheetsUrl: data.sheetsUrl,
    locale: data.locale === "en" ? "en" : "id-ID",
    sheetUrl: function (id) { return data.sheetsUrl.replace(/\/?$/, "/") + id; },
  };

  function message(name, n) {
    return (data["msg" + name] || "").replace("{n}", n);
  }

  // Half away from zero at two decimals, as the server's Indonesian formatting does.
  function roundHalfUp(value, decimals) {
    const factor = Math.pow(10, decimals);
    return Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9) / factor;
  }

  function formatNumber(value, decimals) {
    if (value == null || isNaN(value)) return "–";
    const fixed = decimals == null ? undefined : decimals;
    return new Intl.NumberFormat(config.locale, {
      minimumFractionDigits: fixed === undefined ? 0 : fixed,
      maximumFractionDigits: fixed === undefined ? 2 : fixed,
    }).format(roundHalfUp(value, fixed === undefined ? 2 : fixed));
  }

  // ---- badge ------------------------------------------------------------------------------
  const statusEl = document.getElementById("sync-status");
  const reloginEl = document.getElementById("relogin");
  let needsLogin = false;
  let lastOutcome = null;

  async function refreshBadge() {
    const items = await Outbox.listItems(config.userId);
    const count = items.length;
    const conflicts = items.filter(function (i) { return i.conflict; }).length;
    const blocked = items.filter(function (i) { return i.blocked || i.invalid; }).length;
    let state;
    let icon;
    let text;
    if (count === 0) {
      state = "ok";
      icon = "✓";
      text = navigator.onLine ? message("Synced") : message("OfflineOk");
    } else {
      icon = "⟳";
      state = "pending";
      const parts = [message("Pending", count)];
      if (needsLogin) {
        state = "login";
        icon = "!";
        parts.push(message("Login"));
      } else if (!navigator.onLine || lastOutcome === "network") {
        state = "offline";
        parts.push(message("Waiting"));
      }
      if (conflicts) {
        state = "conflict";
        icon = "!";
        parts.push(message("Conflict", conflicts));
      }
      if (blocked) {
        icon = "!";
        parts.push(message("Blocked", blocked));
      }
      text = parts.join(" · ");
    }
    statusEl.dataset.state = state;
    statusEl.dataset.pending = String(count);
    statusEl.querySelector(".sync-icon").textContent = icon;
    statusEl.querySelector(".sync-text").textContent = text;
    reloginEl.hidden = !(needsLogin && count > 0);
    document.getElementById("sync-now").hidden = count === 0 || needsLogin;
    document.documentElement.dataset.outbox = String(count);
    if (typeof window.JuaraHome === "function") window.JuaraHome(items);
    return items;
  }

  // ---- when to sync: on load, on `online`, after an edit, and every 15 s with backoff -------
  let nextTry = 0;
  let backoff = RETRY_MS;
  let running = null;
  let editTimer = null;

  async function runSync(options) {
    if (running) return running;
    running = (async function () {
      const outcome = await Outbox.sync(config, options || {});
      lastOutcome = outcome;
      if (outcome === "auth") {
        needsLogin = true;
      } else if (outcome === "done") {
        needsLogin = false;
      }
      if (outcome === "network") {
        nextTry = Date.now() + backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } else {
        backoff = RETRY_MS;
        nextTry = Date.now() + RETRY_MS;
      }
      await refreshBadge();
      document.documentElement.dataset.lastSync = outcome;
      return outcome;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  function requestSync(delay) {
    clearTimeout(editTimer);
    editTimer = setTimeout(function () { runSync(); }, delay == null ? 1000 : delay);
  }

  window.addEventListener("online", function () {
    backoff = RETRY_MS;
    refreshBadge();
    runSync({ retryBlocked: true });
  });
  window.addEventListener("offline", function () { refreshBadge(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") runSync({ retryBlocked: needsLogin });
  });
  setInterval(function () {
    if (Date.now() >= nextTry && statusEl.dataset.pending !== "0") runSync();
  }, 5000);
  document.getElementById("sync-now").addEventListener("click", function () {
    backoff = RETRY_MS;
    runSync({ retryBlocked: true });
  });
  Outbox.listen(function () { refreshBadge(); });

  // ---- service worker: app shell and this judge's sheets for offline use ---------------------
  function markOfflineReady() {
    document.getElementById("offline-ready").hidden = false;
    document.documentElement.dataset.offlineReady = "1";
  }

  function cacheSheets(registration) {
    const worker = registration.active || navigator.serviceWorker.controller;
    if (!worker || !navigator.onLine) return;
    const reply = new MessageChannel();
    reply.port1.onmessage = function (event) {
      if (event.data && event.data.ok) markOfflineReady();
    };
    worker.postMessage(
      { type: "cache-sheets", sheetsUrl: config.sheetsUrl, userId: config.userId,
        pages: [data.swScope] },
      [reply.port2],
    );
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(data.swUrl, { scope: data.swScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(cacheSheets)
      .catch(function () { /* no offline cache: the outbox still keeps every score */ });
  }

  // Logging out empties the page cache (another judge may use this tablet next); the outbox
  // keeps this judge's unsent scores until they log in again.
  document.querySelectorAll('form[action$="/logout"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
      }
    });
  });

  window.JuaraJudge = {
    config: config,
    formatNumber: formatNumber,
    roundHalfUp: roundHalfUp,
    requestSync: requestSync,
    runSync: runSync,
    refreshBadge: refreshBadge,
  };

  // ---- judge home: search, and the state of sheets still in the outbox ------------------------
  const home = document.getElementById("judge-home");
  if (home) setUpHome(home);
  refreshBadge().then(function () { runSync({ retryBlocked: true }); });

  function setUpHome(home) {
    const labels = document.getElementById("state-labels").dataset;
    const search = document.getElementById("entry-search");
    const countEl = document.getElementById("search-count");

    function applySearch() {
      const query = (search.value || "").trim().toLowerCase();
      let shown = 0;
      home.querySelectorAll("[data-search]").forEach(function (row) {
        const match = !query || row.dataset.search.indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      home.querySelectorAll(".stage-card").forEach(function (card) {
        const visible = card.querySelectorAll("[data-search]:not([hidden])").length;
        card.hidden = visible === 0;
        if (query && visible && card.tagName === "DETAILS") card.open = true;
      });
      countEl.textContent = query ? countEl.dataset.msgCount.replace("{n}", shown) : "";
      document.getElementById("search-empty").hidden = shown !== 0;
    }
    if (search) search.addEventListener("input", applySearch);

    window.JuaraHome = function (items) {
      const bySheet = {};
      items.forEach(function (item) { bySheet[item.sheet_id] = item; });
      home.querySelectorAll("a[data-sheet-id]").forEach(function (link) {
        const item = bySheet[Number(link.dataset.sheetId)];
        const note = link.querySelector(".local-note");
        const saved = link.querySelector(".sync-note");
        const badge = link.querySelector(".status");
        if (saved) saved.hidden = !!item;
        if (!badge.dataset.original) badge.dataset.original = badge.className + "|" + badge.textContent;
        if (!item) {
          const parts = badge.dataset.original.split("|");
          badge.className = parts[0];
          badge.textContent = parts.slice(1).join("|");
          note.hidden = true;
          return;
        }
        let text = labels.pending;
        if (item.conflict) text = labels.conflict;
        else if (item.blocked || item.invalid) text = labels.blocked;
        else if (item.submit) text = labels.pendingSubmit;
        note.textContent = "⟳ " + text;
        note.hidden = false;
        badge.className = "badge status " + (item.submit ? "status-sent" : "status-draft");
        badge.textContent = item.submit ? "✓ " + labels.sent : labels.draft;
      });
      // Unsent sheets first, as the server orders them; a sheet sent on this tablet joins the
      // sent ones at the end (each part keeps its order).
      home.querySelectorAll("ul.worklist").forEach(function (list) {
        const rows = Array.from(list.children);
        const sent = function (row) { return row.querySelector(".status-sent") ? 1 : 0; };
        const sorted = rows.slice().sort(function (a, b) { return sent(a) - sent(b); });
        if (sorted.some(function (row, i) { return row !== rows[i]; })) {
          sorted.forEach(function (row) { list.appendChild(row); });
        }
      });
    };
  }
})();
