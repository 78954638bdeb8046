// Juara score sheet: the sheet was also changed on another device. For each criterion that
// differs, the judge chooses which value to keep; the outbox then sends the chosen values.
(function () {
  "use strict";

  const Outbox = window.JuaraOutbox;
  const Judge = window.JuaraJudge;

  // sheet: {sheetId, criteria, msg, adopt(item)}; adopt() takes the outbox item after a choice.
  // Returns {render(local)}, called with the page's outbox item whenever the sheet is drawn.
  function setUp(sheet) {
    const sheetId = sheet.sheetId;
    const criteria = sheet.criteria;
    const msg = sheet.msg;

    function describe(score, comment) {
      const value = score == null ? msg.msgEmpty : Judge.formatNumber(score);
      return comment ? value + " · " + msg.msgNote + ": " + comment : value;
    }

    function render(local) {
      const section = document.getElementById("conflict");
      const container = document.getElementById("conflict-items");
      if (!local || !local.conflict) {
        section.hidden = true;
        container.textContent = "";
        return;
      }
      const diffs = Outbox.differences(local, local.conflict);
      const key = JSON.stringify(diffs);
      if (!section.hidden && container.dataset.key === key) return;
      container.dataset.key = key;
      container.textContent = "";
      diffs.forEach(function (diff) {
        const c = criteria.find(function (x) { return x.id === diff.id; });
        const fieldset = document.createElement("fieldset");
        fieldset.className = "conflict-item mb-3";
        fieldset.dataset.criterionId = diff.id;
        const legend = document.createElement("legend");
        legend.className = "h6";
        legend.textContent = c ? c.name : diff.id;
        fieldset.appendChild(legend);
        [["mine", msg.msgMine, diff.mine], ["server", msg.msgServer, diff.server]]
          .forEach(function (option) {
            const id = "choice-" + diff.id + "-" + option[0];
            const label = document.createElement("label");
            label.className = "conflict-choice";
            label.htmlFor = id;
            const input = document.createElement("input");
            input.type = "radio";
            input.className = "form-check-input me-2";
            input.name = "choice-" + diff.id;
            input.id = id;
            input.value = option[0];
            input.checked = option[0] === "mine";
            label.appendChild(input);
            const text = document.createElement("span");
            text.textContent = option[1] + ": " + describe(option[2].score, option[2].comment);
            label.appendChild(text);
            fieldset.appendChild(label);
          });
        container.appendChild(fieldset);
      });
      section.hidden = false;
      section.scrollIntoView({ block: "start" });
    }

    document.getElementById("conflict-form").addEventListener("submit", function (event) {
      event.preventDefault();
      const form = event.target;
      Outbox.update(sheetId, function (item) {
        if (!item || !item.conflict) return undefined;
        Outbox.differences(item, item.conflict).forEach(function (diff) {
          const picked = form.querySelector('input[name="choice-' + diff.id + '"]:checked');
          if (picked && picked.value === "server") {
            item.scores[diff.id] = item.conflict.scores[diff.id];
            item.comments[diff.id] = item.conflict.comments[diff.id];
          }
        });
        item.base_version = item.conflict.version;
        item.conflict = null;
        return item;
      }).then(function (item) {
        sheet.adopt(item);
        Judge.refreshBadge();
        Judge.requestSync(0);
      });
    });

    return { render: render };
  }

  window.JuaraConflict = { setUp: setUp };
})();
