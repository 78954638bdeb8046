// Juara committee pages: small progressive enhancements; every page works without this file.
"use strict";

(function () {
  // Ask before destructive or far-reaching actions (forms with data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }
  });

  // Criterion form: the custom band rows matter only when the usual bands are not used.
  function syncBands(checkbox) {
    var form = checkbox.form;
    var custom = form && form.querySelector("[data-custom-bands]");
    if (custom) {
      custom.hidden = checkbox.checked;
    }
  }
  document.querySelectorAll("[data-standard-bands]").forEach(function (checkbox) {
    syncBands(checkbox);
    checkbox.addEventListener("change", function () { syncBands(checkbox); });
  });

  // Stage form: a pass/fail stage has no weight.
  document.querySelectorAll("[data-stage-form]").forEach(function (form) {
    var weight = form.querySelector("[data-scored-only]");
    function sync() {
      var chosen = form.querySelector("input[name=kind]:checked");
      if (weight) {
        weight.hidden = chosen !== null && chosen.value === "pass_fail";
      }
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  });

  // Dashboard polling: if the session ended, the refresh lands on the login page; reload the
  // whole page instead of showing a login form inside the board.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/login") !== -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
