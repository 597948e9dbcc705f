// The supplement's lines in the composer: a live total, and rows added on demand. Without this
// file the table still posts and the server adds the lines up (supplements/forms.py).
(() => {
  "use strict";

  // Read as the server's amount field reads it (spaces and € dropped, a comma for the point).
  const amount = (text) => {
    const value = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    return /^\d+(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : null;
  };
  const euros = (cents) =>
    `${Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f")},${String(cents % 100).padStart(2, "0")}`;

  function update(box) {
    let cents = 0;
    let filled = false;
    let unreadable = false;
    box.querySelectorAll("[data-line] td:last-child input").forEach((input) => {
      if (!input.value.trim()) return;
      const value = amount(input.value);
      if (value === null) unreadable = true;
      else { cents += value; filled = true; }
    });
    box.querySelector("[data-lines-total]").textContent = unreadable ? "montant illisible" : filled ? euros(cents) : "—";
  }

  function addLine(box) {
    const rows = box.querySelectorAll("[data-line]");
    const row = rows[rows.length - 1].cloneNode(true);
    const index = rows.length;
    row.querySelectorAll("input").forEach((input) => {
      input.name = input.name.replace(/\d+$/, String(index));
      input.id = input.id.replace(/\d+$/, String(index));
      input.value = "";
      const label = input.getAttribute("aria-label") || "";
      input.setAttribute("aria-label", label.replace(/\d+/, String(index + 1)));
    });
    rows[rows.length - 1].after(row);
    row.querySelector("input").focus();
  }

  function setUp(root) {
    root.querySelectorAll("[data-supplement-lines]").forEach((box) => {
      if (box.dataset.linesReady) return;
      box.dataset.linesReady = "1";
      box.querySelector("[data-add-line]").hidden = false;
      update(box);
    });
  }

  document.addEventListener("input", (event) => {
    const box = event.target.closest && event.target.closest("[data-supplement-lines]");
    if (box) update(box);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-add-line]");
    if (button) addLine(button.closest("[data-supplement-lines]"));
  });
  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.target));
})();
