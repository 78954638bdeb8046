// Juara score sheet: touch controls, the live weighted total, "Kirim" and what comes after it.
// The band picker lives in judge-bands.js, the conflict choices in judge-conflict.js.
//
// Every change goes first to the IndexedDB outbox (outbox.js) and the page shows what is there;
// the server copy (from the page, the API or the last acknowledgement) is shown otherwise.
(function () {
  "use strict";

  const root = document.getElementById("sheet");
  const Outbox = window.JuaraOutbox;
  const Judge = window.JuaraJudge;
  const Bands = window.JuaraBands;
  if (!root || !Outbox || !Judge || !Bands || !window.JuaraConflict) return;
  const msg = root.dataset;
  const sheetId = Number(root.dataset.sheetId);
  const userId = Judge.config.userId;

  const criteria = Array.from(root.querySelectorAll(".criterion")).map(function (el) {
    return {
      id: el.dataset.criterionId,
      el: el,
      name: el.dataset.name,
      min: Number(el.dataset.min),
      max: Number(el.dataset.max),
      weight: Number(el.dataset.weight),
      input: el.querySelector(".score-input"),
      comment: el.querySelector(".comment-input"),
      error: el.querySelector("#error-" + el.dataset.criterionId),
      commentError: el.querySelector("#comment-error-" + el.dataset.criterionId),
      bands: Array.from(el.querySelectorAll(".band")),
      picker: el.querySelector(".band-picker"),
      before: undefined, // the stored value when the judge started typing in the field
    };
  });

  // Σ wᵢ·(vᵢ/maxᵢ)·100 / Σ wᵢ over the scored criteria; mirrors weighted_total() in Python.
  function weightedTotal(items) {
    let weighted = 0;
    let weights = 0;
    items.forEach(function (item) {
      if (item.value == null) return;
      weighted += item.weight * (item.value / item.max) * 100;
      weights += item.weight;
    });
    return weights ? weighted / weights : null;
  }
  window.JuaraWeightedTotal = weightedTotal;

  // ---- state --------------------------------------------------------------------------------
  function domServer() {
    const scores = {};
    const comments = {};
    criteria.forEach(function (c) {
      scores[c.id] = c.el.dataset.value === "" ? null : Number(c.el.dataset.value);
      comments[c.id] = c.comment.value;
    });
    return {
      version: Number(root.dataset.version),
      status: root.dataset.status,
      stageOpen: root.dataset.stageOpen === "true",
      scores: scores,
      comments: comments,
    };
  }

  function fromJson(sheet) {
    return {
      version: sheet.version,
      status: sheet.status,
      stageOpen: sheet.stage.status === "open",
      scores: sheet.scores,
      comments: sheet.comments,
    };
  }

  let server = domServer();
  let local = null; // the outbox item of this sheet, if any
  // Fields holding text that is no valid score (criterion id → {text, error}): shown in red,
  // never saved, counted or sent; the outbox keeps the value the field had before.
  const typed = {};
  let sentHere = {}; // sheet ids the judge sent on this tablet (outbox items with `submit`)

  function adopt(sheet) {
    if (sheet && sheet.id === sheetId && sheet.version >= server.version) server = fromJson(sheet);
  }

  function shown() {
    return local ? { scores: local.scores, comments: local.comments } : server;
  }

  function readOnly() {
    return server.status !== "draft" || !server.stageOpen || !!(local && local.submit);
  }

  // ---- numbers ------------------------------------------------------------------------------
  function parseScore(text) {
    const clean = (text || "").trim().replace(",", ".");
    if (clean === "") return { value: null };
    // "81," while typing "81,5" is not an error yet: it reads as 81.
    if (!/^\d+(\.\d*)?$/.test(clean)) return { error: msg.msgNumber };
    if ((clean.split(".")[1] || "").length > 2) return { error: msg.msgDecimals };
    return { value: Number(clean) };
  }

  function rangeError(c, value) {
    if (value == null || (value >= c.min && value <= c.max)) return null;
    return msg.msgRange.replace("{min}", Judge.formatNumber(c.min))
      .replace("{max}", Judge.formatNumber(c.max));
  }

  // What is wrong with a criterion's score: typed text that is no valid score, or a value the
  // server refused. Such a criterion counts as not scored.
  function problemOf(c) {
    if (typed[c.id]) return typed[c.id].error;
    return (local && local.invalid && local.invalid["scores." + c.id]) || null;
  }

  function counted(values) {
    const scores = {};
    criteria.forEach(function (c) { scores[c.id] = problemOf(c) ? null : values.scores[c.id]; });
    return scores;
  }

  function totalOf(scores) {
    return weightedTotal(criteria.map(function (c) {
      return { value: scores[c.id], weight: c.weight, max: c.max };
    }));
  }

  // ---- rendering ----------------------------------------------------------------------------
  function render() {
    const values = shown();
    const scores = counted(values);
    const locked = readOnly();
    criteria.forEach(function (c) {
      const value = scores[c.id];
      const problem = problemOf(c);
      if (document.activeElement !== c.input) {
        const stored = values.scores[c.id];
        c.input.value = typed[c.id] ? typed[c.id].text
          : stored == null ? "" : Judge.formatNumber(stored);
      }
      c.error.textContent = problem || "";
      c.input.classList.toggle("is-invalid", !!problem);
      c.input.setAttribute("aria-invalid", problem ? "true" : "false");
      if (document.activeElement !== c.comment) c.comment.value = values.comments[c.id] || "";
      c.bands.forEach(function (band) {
        const inBand = value != null && value >= Number(band.dataset.min) &&
          value <= Number(band.dataset.max);
        band.setAttribute("aria-pressed", inBand ? "true" : "false");
        band.classList.toggle("active", inBand);
      });
      c.el.querySelectorAll("button, input, textarea").forEach(function (control) {
        control.disabled = locked;
      });
      Bands.render({
        picker: c.picker, bands: c.bands, value: value, locked: locked, title: msg.msgPicker,
        format: Judge.formatNumber, pick: function (n) { setScore(c, n); },
      });
      const noteProblem = local && local.invalid && local.invalid["comments." + c.id];
      c.commentError.textContent = noteProblem || "";
    });
    document.getElementById("total").textContent = Judge.formatNumber(totalOf(scores), 2);
    const scored = criteria.filter(function (c) { return scores[c.id] != null; }).length;
    const count = document.getElementById("scored-count");
    count.textContent = count.dataset.msg.replace("{n}", scored).replace("{m}", criteria.length);
    renderState(scored);
    conflict.render(local);
    // What this page believes the server holds (read by people debugging and by the tests).
    root.dataset.serverVersion = String(server.version);
    root.dataset.serverStatus = server.status;
    root.dataset.localPending = local ? "1" : "0";
  }

  function renderState(scored) {
    const state = document.getElementById("sheet-state");
    const sentOnServer = server.status !== "draft";
    const sentHere = !!(local && local.submit);
    const labels = document.getElementById("state-labels-sheet");
    if (sentOnServer || sentHere) {
      state.className = "badge status fs-6 status-sent";
      state.textContent = "✓ " + labels.dataset.sent;
    } else {
      state.className = "badge status fs-6 " + (scored ? "status-draft" : "status-todo");
      state.textContent = scored ? labels.dataset.draft : labels.dataset.todo;
    }
    // Where the values are (server or this tablet) is told apart from whether the sheet has
    // been sent to the committee: a synced draft is "saved", never "sent".
    const sync = document.getElementById("sheet-sync");
    sync.textContent = local ? labels.dataset.onTablet : labels.dataset.onServer;
    sync.classList.toggle("pending", !!local);
    sync.hidden = !local && scored === 0 && !sentOnServer;
    document.getElementById("draft-hint").hidden = readOnly();
    renderNext(sentOnServer || sentHere);
    document.getElementById("sent-note").hidden = !sentOnServer;
    document.getElementById("closed-note").hidden = server.stageOpen || sentOnServer;
    document.getElementById("send-button").hidden = readOnly();
    const note = document.getElementById("local-note");
    let text = "";
    if (local && local.blocked) {
      text = local.blocked.reason === "stage_not_open" ? msg.msgBlockedStage
        : local.blocked.reason === "not_found" ? msg.msgBlockedGone : msg.msgBlockedSubmitted;
    } else if (local && local.invalid) {
      text = msg.msgInvalid;
    } else if (sentHere && !sentOnServer) {
      text = msg.msgSentPending;
    }
    note.textContent = text;
    note.hidden = !text;
    note.className = "alert " + (sentHere && !(local.blocked || local.invalid)
      ? "alert-info" : "alert-warning");
  }

  // ---- after "Kirim": the next participant of the stage not sent yet ---------------------------
  const nextStep = document.getElementById("next-step");
  const queue = JSON.parse(nextStep.dataset.queue || "[]");

  function renderNext(sent) {
    nextStep.hidden = !sent;
    if (!sent) return;
    const at = queue.findIndex(function (q) { return q.id === sheetId; });
    const ordered = queue.slice(at + 1).concat(queue.slice(0, Math.max(at, 0)));
    const next = ordered.find(function (q) {
      return q.id !== sheetId && !q.sent && !sentHere[q.id];
    });
    const link = document.getElementById("next-entry");
    link.hidden = !next;
    document.getElementById("all-sent").hidden = !!next;
    if (next) {
      link.href = next.url;
      link.textContent = msg.msgNext.replace("{name}", next.name) + " →";
    }
  }

  // ---- saving -------------------------------------------------------------------------------
  function newItem() {
    const values = shown();
    return {
      sheet_id: sheetId,
      user_id: userId,
      base_version: server.version,
      scores: Object.assign({}, values.scores),
      comments: Object.assign({}, values.comments),
      submit: false,
      attempt: null,
      conflict: null,
      blocked: null,
      invalid: null,
      created_at: Date.now(),
    };
  }

  function change(mutate) {
    if (readOnly()) return Promise.resolve(local);
    return Outbox.update(sheetId, function (item) {
      item = item || newItem();
      mutate(item);
      item.invalid = null;
      return item;
    }).then(function (item) {
      local = item;
      render();
      Outbox.announce({ type: "edit", sheetId: sheetId });
      Judge.refreshBadge();
      Judge.requestSync(item && item.submit ? 0 : 1200);
      return item;
    });
  }

  function setScore(c, value) {
    delete typed[c.id];
    c.input.value = value == null ? "" : Judge.formatNumber(value);
    c.error.textContent = "";
    c.input.classList.remove("is-invalid");
    return change(function (item) { item.scores[c.id] = value; });
  }

  function clamp(c, value) {
    return Math.min(c.max, Math.max(c.min, value));
  }

  criteria.forEach(function (c) {
    c.bands.forEach(function (band) {
      band.addEventListener("click", function () {
        const low = Number(band.dataset.min);
        const high = Number(band.dataset.max);
        setScore(c, clamp(c, Math.round((low + high) / 2)));
      });
    });
    c.el.querySelectorAll(".step").forEach(function (button) {
      button.addEventListener("click", function () {
        const current = shown().scores[c.id];
        const step = Number(button.dataset.step);
        const start = current == null ? (step > 0 ? c.min : c.max) : current + step;
        setScore(c, clamp(c, Math.round(start * 100) / 100));
      });
    });
    c.input.addEventListener("focus", function () {
      if (!typed[c.id]) c.before = shown().scores[c.id];
    });
    c.input.addEventListener("input", function () {
      const parsed = parseScore(c.input.value);
      const problem = parsed.error || rangeError(c, parsed.value);
      if (!problem) {
        delete typed[c.id];
        change(function (item) { item.scores[c.id] = parsed.value; });
        return;
      }
      typed[c.id] = { text: c.input.value, error: problem };
      // Typing "120" saved "1" and "12" on the way: the outbox goes back to the value the
      // field had before the judge started typing, so no prefix of a wrong value stays.
      // Always queued: the edits for "1" and "12" may not be stored yet (IndexedDB keeps the order).
      const before = c.before === undefined ? null : c.before;
      render();
      if (readOnly()) return;
      Outbox.update(sheetId, function (item) {
        if (!item || item.scores[c.id] === before) return undefined;
        item.scores[c.id] = before;
        item.invalid = null;
        return item;
      }).then(function (item) {
        local = item && item.user_id === userId ? item : null;
        render();
        Outbox.announce({ type: "edit", sheetId: sheetId });
        Judge.refreshBadge();
        Judge.requestSync(1200);
      });
    });
    c.input.addEventListener("blur", function () { render(); });
    // Every keystroke is written to the outbox at once: closing the tab loses nothing.
    c.comment.addEventListener("input", function () {
      const text = c.comment.value;
      change(function (item) { item.comments[c.id] = text; });
    });
  });

  // Enter in a field must not submit (and reload) the page: everything saves itself.
  document.getElementById("sheet-form").addEventListener("submit", function (event) {
    event.preventDefault();
  });

  // ---- "Kirim": a summary to confirm ----------------------------------------------------------
  const dialog = document.getElementById("summary");
  document.getElementById("send-button").addEventListener("click", function () {
    const scores = counted(shown());
    const rows = document.getElementById("summary-rows");
    const problems = document.getElementById("summary-problems");
    rows.textContent = "";
    problems.textContent = "";
    let missing = 0;
    criteria.forEach(function (c, index) {
      const tr = document.createElement("tr");
      const value = scores[c.id];
      if (value == null) {
        missing += 1;
        const li = document.createElement("li");
        li.textContent = (index + 1) + ". " + c.name + ": " + (problemOf(c) || msg.msgNotScored);
        problems.appendChild(li);
      }
      [c.name, Judge.formatNumber(c.weight), value == null ? "–" : Judge.formatNumber(value)]
        .forEach(function (text, index) {
          const cell = document.createElement(index === 0 ? "th" : "td");
          if (index === 0) cell.scope = "row";
          else cell.className = "text-end";
          cell.textContent = text;
          tr.appendChild(cell);
        });
      rows.appendChild(tr);
    });
    document.getElementById("summary-total").textContent = Judge.formatNumber(totalOf(scores), 2);
    const missingEl = document.getElementById("summary-missing");
    document.getElementById("summary-missing-text").textContent =
      msg.msgMissing.replace("{n}", missing);
    missingEl.hidden = missing === 0;
    document.getElementById("summary-confirm").disabled = missing > 0;
    dialog.returnValue = "";
    dialog.showModal();
  });
  dialog.addEventListener("close", function () {
    if (dialog.returnValue !== "send") return;
    const scores = counted(shown());
    if (criteria.some(function (c) { return scores[c.id] == null; })) return; // named above
    change(function (item) { item.submit = true; }).then(function () {
      window.scrollTo({ top: 0 });
    });
  });

  // ---- conflict: the judge chooses, per criterion, which value to keep (judge-conflict.js) -----
  const conflict = window.JuaraConflict.setUp({
    sheetId: sheetId,
    criteria: criteria,
    msg: msg,
    adopt: function (item) {
      local = item;
      render();
    },
  });

  // ---- loading: page, last acknowledgement, server, then the outbox on top -------------------
  async function reload() {
    adopt(await Outbox.getSnapshot(sheetId));
    local = await Outbox.getItem(sheetId);
    if (local && local.user_id !== userId) local = null;
    sentHere = {};
    (await Outbox.listItems(userId)).forEach(function (item) {
      if (item.submit) sentHere[item.sheet_id] = true;
    });
    render();
  }

  async function fetchServer() {
    try {
      const response = await fetch(root.dataset.apiUrl, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (!response.ok) return;
      const sheet = await response.json();
      adopt(sheet);
      await Outbox.putSnapshot(sheet, userId);
      render();
    } catch (error) { /* offline and not cached: the page's own copy stands */ }
  }

  Outbox.listen(function (detail) {
    if (!detail || detail.sheetId === undefined || detail.sheetId === sheetId) reload();
  });
  reload().then(fetchServer);
})();
