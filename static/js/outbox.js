// Juara outbox: a judge's edits kept in IndexedDB until the server has acknowledged them.
//
// One item per sheet holds the judge's latest full values and the server version they were
// built on (base_version). Sending freezes a copy of the values as `attempt` with its own
// submission_id; the attempt keeps that id until the server answers, so a retry after a lost
// answer is recognised by the server as a replay and never written twice. An item is deleted
// only after an acknowledgement for exactly its values. See docs/api.md.
(function () {
  "use strict";

  const DB_NAME = "juara";
  const DB_VERSION = 1;
  const OUTBOX = "outbox";
  const SHEETS = "sheets";
  const DELETE = Symbol("delete");
  const CHANNEL = "juara-outbox";
  let dbPromise = null;
  let token = null;
  let channel = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          const db = request.result;
          if (!db.objectStoreNames.contains(OUTBOX)) {
            db.createObjectStore(OUTBOX, { keyPath: "sheet_id" });
          }
          if (!db.objectStoreNames.contains(SHEETS)) {
            db.createObjectStore(SHEETS, { keyPath: "id" });
          }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function withStore(name, mode, body) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(name, mode);
        let result;
        body(tx.objectStore(name), function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function clone(value) {
    return value == null ? value : JSON.parse(JSON.stringify(value));
  }

  // Read-modify-write of one item in a single IndexedDB transaction, so the page's edits and a
  // sync running at the same moment (in this tab or another) never overwrite each other.
  // `mutate` gets a copy (or null) and returns the item to store, DELETE, or undefined to keep.
  function update(sheetId, mutate) {
    return withStore(OUTBOX, "readwrite", function (store, done) {
      const get = store.get(sheetId);
      get.onsuccess = function () {
        const current = get.result || null;
        const next = mutate(clone(current));
        if (next === DELETE) {
          store.delete(sheetId);
          done(null);
        } else if (next) {
          next.updated_at = Date.now();
          store.put(next);
          done(next);
        } else {
          done(current);
        }
      };
    });
  }

  function getItem(sheetId) {
    return withStore(OUTBOX, "readonly", function (store, done) {
      const get = store.get(sheetId);
      get.onsuccess = function () { done(get.result || null); };
    });
  }

  function listItems(userId) {
    return withStore(OUTBOX, "readonly", function (store, done) {
      const all = store.getAll();
      all.onsuccess = function () {
        done(all.result.filter(function (item) { return item.user_id === userId; }));
      };
    });
  }

  function putItem(item) {
    return withStore(OUTBOX, "readwrite", function (store, done) {
      store.put(item);
      done(item);
    });
  }

  // The last sheet state the server sent, so a page reopened offline shows the newest values.
  function putSnapshot(sheet, userId) {
    if (!sheet) return Promise.resolve(null);
    return withStore(SHEETS, "readwrite", function (store, done) {
      const get = store.get(sheet.id);
      get.onsuccess = function () {
        const known = get.result;
        if (!known || known.version <= sheet.version) {
          const copy = clone(sheet);
          copy.user_id = userId;
          store.put(copy);
          done(copy);
        } else {
          done(known);
        }
      };
    });
  }

  function getSnapshot(sheetId) {
    return withStore(SHEETS, "readonly", function (store, done) {
      const get = store.get(sheetId);
      get.onsuccess = function () { done(get.result || null); };
    });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Plain-http venue LANs are not a secure context: build the UUID from random bytes.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function sameNumber(a, b) {
    if (a == null || b == null) return a == null && b == null;
    return Math.abs(Number(a) - Number(b)) < 1e-9;
  }

  function sameText(a, b) {
    return (a || "").trim() === (b || "").trim();
  }

  // Criteria whose value or note differ between the item and a sheet from the server.
  function differences(item, sheet) {
    const ids = new Set(Object.keys(item.scores || {}).concat(Object.keys(item.comments || {})));
    const result = [];
    ids.forEach(function (id) {
      const mine = { score: (item.scores || {})[id], comment: (item.comments || {})[id] };
      const theirs = { score: (sheet.scores || {})[id], comment: (sheet.comments || {})[id] };
      const scoreDiffers = id in (item.scores || {}) && !sameNumber(mine.score, theirs.score);
      const noteDiffers = id in (item.comments || {}) && !sameText(mine.comment, theirs.comment);
      if (scoreDiffers || noteDiffers) result.push({ id: id, mine: mine, server: theirs });
    });
    return result;
  }

  function sameBody(item, attempt) {
    return item.submit === attempt.submit &&
      JSON.stringify(sorted(item.scores)) === JSON.stringify(sorted(attempt.scores)) &&
      JSON.stringify(sorted(item.comments)) === JSON.stringify(sorted(attempt.comments));
  }

  function sorted(object) {
    const out = {};
    Object.keys(object || {}).sort().forEach(function (key) { out[key] = object[key]; });
    return out;
  }

  function announce(detail) {
    window.dispatchEvent(new CustomEvent("juara:outbox", { detail: detail }));
    try {
      if (!channel && "BroadcastChannel" in window) channel = new BroadcastChannel(CHANNEL);
      if (channel) channel.postMessage(detail);
    } catch (error) { /* another tab simply refreshes later */ }
  }

  function listen(callback) {
    window.addEventListener("juara:outbox", function (event) { callback(event.detail); });
    if ("BroadcastChannel" in window) {
      new BroadcastChannel(CHANNEL).onmessage = function (event) { callback(event.data); };
    }
  }

  async function refreshToken(config) {
    let response;
    try {
      response = await fetch(config.sessionUrl, {
        headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin",
      });
    } catch (error) {
      return "network";
    }
    if (response.status === 401 || response.status === 403) return "auth";
    if (!response.ok) return "network";
    const data = await response.json();
    // Logged in again, but as someone else: these items are not theirs to send.
    if (data.user_id !== config.userId) return "auth";
    token = data.csrf_token;
    return "ok";
  }

  function send(config, sheetId, attempt) {
    return fetch(config.sheetUrl(sheetId), {
      method: "PUT",
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token || config.csrfToken,
      },
      body: JSON.stringify(attempt),
    });
  }

  function sameAttempt(item, sent) {
    return item && item.attempt && item.attempt.submission_id === sent.submission_id;
  }

  // One round trip for one sheet. Returns "again" (more to send for it), "done",
  // "skip", "auth" (login needed: stop) or "network" (no answer: stop and retry later).
  async function syncItem(config, sheetId, options) {
    const item = await update(sheetId, function (it) {
      if (!it || it.user_id !== config.userId || it.conflict || it.invalid) return undefined;
      if (it.blocked && !options.retryBlocked) return undefined;
      if (it.attempt) return undefined;
      it.attempt = {
        submission_id: uuid4(),
        base_version: it.base_version,
        scores: clone(it.scores),
        comments: clone(it.comments),
        submit: !!it.submit,
      };
      return it;
    });
    if (!item || !item.attempt || item.user_id !== config.userId || item.conflict || item.invalid) {
      return "skip";
    }
    if (item.blocked && !options.retryBlocked) return "skip";
    const sent = item.attempt;
    let response;
    try {
      response = await send(config, sheetId, sent);
    } catch (error) {
      return "network"; // the attempt stays as it is: the retry replays the same id
    }
    if (response.status === 400 || response.status === 401) {
      if (options.tokenTried) return response.status === 401 ? "auth" : "network";
      options.tokenTried = true;
      const refreshed = await refreshToken(config);
      return refreshed === "ok" ? "again" : refreshed;
    }
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!data || response.status >= 500) return "network";
    const server = data.sheet || null;
    if (server) await putSnapshot(server, config.userId);
    let outcome = "done";
    if (response.status === 200) {
      const rest = await update(sheetId, function (it) {
        if (!sameAttempt(it, sent)) return undefined;
        if (sameBody(it, sent)) return DELETE;
        it.attempt = null;
        it.base_version = data.version;
        return it;
      });
      outcome = rest && !rest.attempt ? "again" : "done";
    } else if (response.status === 409 && data.reason === "stale" && server) {
      const rest = await update(sheetId, function (it) {
        if (!sameAttempt(it, sent)) return undefined;
        it.attempt = null;
        if (differences(it, server).length === 0) {
          if (it.submit && server.status === "draft") {
            it.base_version = server.version;
            return it;
          }
          return DELETE;
        }
        it.conflict = {
          version: server.version, scores: server.scores, comments: server.comments,
        };
        return it;
      });
      outcome = rest && !rest.conflict ? "again" : "done";
    } else if (response.status === 409) {
      await update(sheetId, function (it) {
        if (!sameAttempt(it, sent)) return undefined;
        it.attempt = null; // an id clash: send the same values under a new id
        return it;
      });
      outcome = "again";
    } else if (response.status === 423 || response.status === 404) {
      await update(sheetId, function (it) {
        if (!sameAttempt(it, sent)) return undefined;
        it.attempt = null;
        // The server already holds exactly these values: nothing of the judge's is lost.
        if (server && differences(it, server).length === 0) return DELETE;
        it.blocked = { reason: data.reason || "not_found", status: response.status };
        return it;
      });
    } else if (response.status === 422) {
      await update(sheetId, function (it) {
        if (!sameAttempt(it, sent)) return undefined;
        it.attempt = null;
        it.invalid = data.fields || { body: data.message };
        return it;
      });
    } else {
      return "network";
    }
    announce({ type: "answer", sheetId: sheetId, status: response.status });
    return outcome;
  }

  async function syncOnce(config, options) {
    const items = await listItems(config.userId);
    for (const item of items) {
      for (let round = 0; round < 6; round += 1) {
        const outcome = await syncItem(config, item.sheet_id, options);
        if (outcome === "auth" || outcome === "network") return outcome;
        if (outcome !== "again") break;
      }
    }
    return "done";
  }

  // Send everything of this user that can be sent. One tab at a time (Web Locks).
  function sync(config, options) {
    options = Object.assign({ retryBlocked: false }, options || {});
    if (!navigator.onLine) return Promise.resolve("offline");
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("juara-outbox-sync", { ifAvailable: true }, function (lock) {
        return lock ? syncOnce(config, options) : "busy";
      });
    }
    return syncOnce(config, options);
  }

  window.JuaraOutbox = {
    DELETE: DELETE,
    update: update,
    getItem: getItem,
    putItem: putItem,
    listItems: listItems,
    putSnapshot: putSnapshot,
    getSnapshot: getSnapshot,
    differences: differences,
    sync: sync,
    listen: listen,
    announce: announce,
    uuid4: uuid4,
  };
})();
