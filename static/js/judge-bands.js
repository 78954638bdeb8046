// Juara score sheet: the exact-score picker of a band. A tap on a band gives its midpoint; the
// picker below then lists every whole score of that band, so an exact value takes two taps
// (no keyboard, no run of "+" taps).
(function () {
  "use strict";

  // A wider band (a custom rubric on 1–1000, say) gets no picker: "+"/"−" and typing remain.
  const MAX_CHOICES = 60;

  function bandOf(bands, value) {
    if (value == null) return null;
    return bands.find(function (band) {
      return value >= Number(band.dataset.min) && value <= Number(band.dataset.max);
    }) || null;
  }

  function choices(band) {
    const low = Math.ceil(Number(band.dataset.min));
    const high = Math.floor(Number(band.dataset.max));
    const values = [];
    if (high <= low || high - low + 1 > MAX_CHOICES) return values;
    for (let n = low; n <= high; n += 1) values.push(n);
    return values;
  }

  // options: picker (the .band-picker element), bands, value, locked, title ("… {band}"),
  // format (number → text) and pick (called with the chosen number).
  function render(options) {
    const picker = options.picker;
    if (!picker) return;
    const band = bandOf(options.bands, options.value);
    const values = band ? choices(band) : [];
    picker.hidden = values.length === 0;
    if (!values.length) return;
    const container = picker.querySelector(".picker-values");
    const key = band.dataset.min + "–" + band.dataset.max;
    if (container.dataset.key !== key) {
      container.dataset.key = key;
      container.textContent = "";
      values.forEach(function (n) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-primary pick touch";
        button.dataset.value = String(n);
        button.textContent = options.format(n);
        button.addEventListener("click", function () { options.pick(n); });
        container.appendChild(button);
      });
      const label = band.querySelector(".band-label");
      picker.querySelector(".picker-title").textContent =
        options.title.replace("{band}", (label ? label.textContent : key).trim());
    }
    container.querySelectorAll(".pick").forEach(function (button) {
      const chosen = Number(button.dataset.value) === options.value;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.disabled = options.locked;
    });
  }

  window.JuaraBands = { render: render };
})();
