// The checklist's answers (htmx): a send that never reached the server (no network) says so in
// the item, whose note and files stay in the form to send again. Queuing answers for later, as
// messages are (queue.js), is still to come.
(() => {
  "use strict";

  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest(".checklist-item__form");
    if (!form) return;
    let alert = form.querySelector("[data-offline]");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "field__error";
      alert.setAttribute("role", "alert");
      alert.dataset.offline = "1";
      form.prepend(alert);
    }
    alert.textContent = "Pas de réseau : votre réponse n'est pas partie. Votre note et vos " +
      "fichiers restent ici : renvoyez-la quand le réseau revient.";
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest(".checklist-item__form");
    const alert = form && form.querySelector("[data-offline]");
    if (alert) alert.remove();
  });
})();
