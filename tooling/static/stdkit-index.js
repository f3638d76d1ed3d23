// Filters for the clause index page: kind, role, chapter and free text. No dependencies.
(function () {
  "use strict";
  const kind = document.getElementById("filter-kind");
  const role = document.getElementById("filter-role");
  const chapter = document.getElementById("filter-chapter");
  const text = document.getElementById("filter-text");
  const count = document.getElementById("visible-count");
  const rows = Array.from(document.querySelectorAll("table.stdkit-clause-index tbody tr"));

  function apply() {
    const k = kind.value, r = role.value, c = chapter.value;
    const q = text.value.trim().toLowerCase();
    let visible = 0;
    for (const row of rows) {
      const roles = row.dataset.roles ? row.dataset.roles.split("|") : [];
      const show = (!k || row.dataset.kind === k) &&
        (!r || roles.includes(r)) &&
        (!c || row.dataset.chapter === c) &&
        (!q || row.dataset.search.toLowerCase().includes(q));
      row.hidden = !show;
      if (show) visible += 1;
    }
    count.textContent = String(visible);
  }

  for (const control of [kind, role, chapter]) control.addEventListener("change", apply);
  text.addEventListener("input", apply);
  apply();
})();
