// Certificates: the progress bar of an "issue all" job polls its JSON until the job finishes.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-url]");
  if (!box) { return; }
  var bar = box.querySelector("[data-job-bar]");
  var progress = box.querySelector("[role=progressbar]");
  var message = box.querySelector("[data-job-message]");
  var error = box.querySelector("[data-job-error]");
  var download = box.querySelector("[data-job-download]");
  var delay = 700;

  function show(state) {
    var pct = Math.max(0, Math.min(100, state.percent || 0));
    bar.style.width = pct + "%";
    bar.textContent = pct + "%";
    progress.setAttribute("aria-valuenow", String(pct));
    message.textContent = state.message || "";
    box.setAttribute("data-status", state.status);
    if (state.status === "done" || state.status === "failed") {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.add(state.status === "done" ? "bg-success" : "bg-danger");
    }
    if (state.error) {
      error.textContent = state.error;
      error.classList.remove("d-none");
    }
    if (state.download_url) {
      download.href = state.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.getAttribute("data-job-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.status !== "done" && state.status !== "failed") { setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the server restarting: back off, keep trying
        setTimeout(poll, delay);
      });
  }

  var initial = box.getAttribute("data-status");
  if (initial !== "done" && initial !== "failed") { setTimeout(poll, delay); }
})();
