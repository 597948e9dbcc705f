// "Ajouter des forfaits" adds three rows in place: without a reload the attached board photo
// stays attached. Without this file the button reloads the form with more rows.
(() => {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector("[data-add-flat-rates]");
    const rows = document.querySelector("[data-flat-rates]");
    const template = document.querySelector("template[data-flat-rate-row]");
    const total = document.querySelector("input[name='forfaits-TOTAL_FORMS']");
    if (!button || !rows || !template || !total) return;
    const max = Number(button.dataset.max) || 50;
    button.addEventListener("click", (event) => {
      event.preventDefault();
      let count = Number(total.value);
      let first = null;
      for (let added = 0; added < 3 && count < max; added += 1, count += 1) {
        const html = template.innerHTML.replaceAll("__prefix__", String(count));
        const holder = document.createElement("div");
        holder.innerHTML = html;
        const row = holder.firstElementChild;
        rows.append(row);
        first = first || row.querySelector("input");
      }
      total.value = String(count);
      if (first) first.focus();
      if (count >= max) button.disabled = true;
    });
  });
})();
