// Juara: small progressive enhancements; every page works without this file.
"use strict";

(function () {
  var messages = document.body ? document.body.dataset : {};

  // Stacked tables (below ~900 px each row is a card): label every cell with its column header.
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      // innerText keeps a header's lines apart (a judge's name, then their region).
      var lines = (th.innerText || th.textContent).split(/\n+/);
      return lines.map(function (line) { return line.replace(/\s+/g, " ").trim(); })
        .filter(Boolean).join(" · ");
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headers[column] || "");
        }
        column += cell.colSpan || 1;
      });
    });
  });

  // File inputs: a labelled button and the chosen file's name instead of the browser's
  // own English "Choose File / No file chosen".
  document.querySelectorAll("input[type=file]").forEach(function (input) {
    if (input.closest(".file-pick") || !input.id) {
      return;
    }
    var wrapper = document.createElement("div");
    wrapper.className = "file-pick";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var button = document.createElement("label");
    button.className = "btn btn-outline-primary touch";
    button.htmlFor = input.id;
    button.setAttribute("aria-hidden", "true");
    button.textContent = input.multiple ? messages.msgChooseFiles : messages.msgChooseFile;
    var name = document.createElement("span");
    name.className = "file-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = messages.msgNoFile || "";
    wrapper.appendChild(button);
    wrapper.appendChild(name);
    input.classList.add("file-input-enhanced");
    input.addEventListener("change", function () {
      var files = input.files || [];
      if (files.length === 0) {
        name.textContent = messages.msgNoFile || "";
      } else if (files.length === 1) {
        name.textContent = files[0].name;
      } else {
        name.textContent = (messages.msgFiles || "{n}").replace("{n}", String(files.length));
      }
    });
  });

  // Date fields are dd/mm/yyyy text (the server parses and explains mistakes); a button beside
  // each opens the browser's calendar and writes the chosen day back in that format.
  var CALENDAR_ICON =
    '<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" ' +
    'd="M4 0a.5.5 0 0 1 .5.5V1h7V.5a.5.5 0 0 1 1 0V1H14a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2h1.5V.5A.5.5 0 0 1 4 0M1 5v9a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V5zm3 2h2v2H4zm3 0h2v2H7zm3 0h2v2h-2zm-6 3h2v2H4zm3 0h2v2H7z"/></svg>';
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  document.querySelectorAll("input[data-date-format]").forEach(function (input) {
    var withTime = input.dataset.dateFormat === "datetime";
    var picker = document.createElement("input");
    picker.type = withTime ? "datetime-local" : "date";
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    if (typeof picker.showPicker !== "function") {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary touch date-button";
    button.setAttribute("aria-label", messages.msgPickDate || "");
    button.title = messages.msgPickDate || "";
    button.innerHTML = CALENDAR_ICON;
    var group = document.createElement("div");
    group.className = "date-field";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
    button.addEventListener("click", function () {
      var match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[.:](\d{2}))?/.exec(input.value.trim());
      if (match) {
        var day = match[3] + "-" + pad(+match[2]) + "-" + pad(+match[1]);
        picker.value = withTime ? day + "T" + pad(+(match[4] || 0)) + ":" + (match[5] || "00") : day;
      }
      try {
        picker.showPicker();
      } catch (error) {
        input.focus();
      }
    });
    picker.addEventListener("change", function () {
      var parts = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(picker.value);
      if (parts) {
        input.value = parts[3] + "/" + parts[2] + "/" + parts[1] + (withTime ? " " + (parts[4] || "00") + "." + (parts[5] || "00") : "");
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });

  // Where the browser still checks a field before sending (forms without `novalidate`), it
  // speaks the app's language instead of its own.
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field || typeof field.setCustomValidity !== "function") {
      return;
    }
    var validity = field.validity;
    field.setCustomValidity("");
    if (validity.valueMissing) {
      field.setCustomValidity(messages.msgRequired || "");
    } else if (validity.typeMismatch && field.type === "email") {
      field.setCustomValidity(messages.msgEmail || "");
    } else if (!validity.valid) {
      field.setCustomValidity(messages.msgInvalid || "");
    }
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target && typeof event.target.setCustomValidity === "function") {
      event.target.setCustomValidity("");
    }
  });
})();
