// The checklist's answers. With the phone's queue (queue.js: IndexedDB, resumable chunks) an
// answer is kept on the phone and sent when the network allows, as messages are: a cut network
// loses nothing, and a refused answer comes back into its item with its note and files. Without
// the queue (no IndexedDB, an old browser) htmx posts the form, and a send that never reached
// the server says so in the item, whose note and files stay to send again.
(() => {
  "use strict";

  const formOf = (element) => element && element.closest && element.closest(".checklist-item__form");
  const queueAvailable = () => window.ConnectQueue && window.indexedDB && window.crypto && crypto.subtle;

  function say(form, text, kind = "error") {
    let alert = form.querySelector("[data-answer-notice]");
    if (!alert) {
      alert = document.createElement("p");
      alert.dataset.answerNotice = "1";
      form.prepend(alert);
    }
    alert.className = kind === "error" ? "field__error" : "flash flash--info";
    alert.setAttribute("role", kind === "error" ? "alert" : "status");
    alert.textContent = text;
    alert.scrollIntoView({ block: "center" });
  }

  // The server refused the answer (400): the item's own errors from its page, shown in place;
  // the note and the files picked stay in the form.
  function showRefusal(form, html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const item = page.getElementById(`item-${form.dataset.item}`);
    const errors = item ? Array.from(item.querySelectorAll(".field__error"), (e) => e.textContent.trim()) : [];
    say(form, `Votre réponse n'a pas été envoyée. ${errors.join(" ") || "Vérifiez-la puis renvoyez-la."}`);
  }

  document.addEventListener("submit", (event) => {
    const form = formOf(event.target);
    if (!form || !form.dataset.queue || !queueAvailable()) return; // htmx posts it
    // Captured on the document, before htmx's own listener on the form sees it.
    event.preventDefault();
    event.stopPropagation();
    const button = form.querySelector("button[type=submit]");
    if (button.disabled) return; // a double tap sends once
    button.disabled = true;
    if (form.dataset.reopened) window.ConnectQueue.discard(Number(form.dataset.reopened));
    delete form.dataset.reopened;
    const data = new FormData(form);
    // An empty file input posts a nameless empty file: no file at all.
    const files = data.getAll("files").filter((file) => file.name || file.size);
    data.delete("files");
    files.forEach((file) => data.append("files", file, file.name));
    window.ConnectQueue.submit(form, data).then((outcome) => {
      if (outcome.state === "sent") {
        // The page comes again with the item answered; it says so there (the server's own
        // notice went with the queue's request).
        const label = form.closest(".checklist-item").querySelector(".checklist-item__label");
        sessionStorage.setItem("connect-answered", JSON.stringify({
          item: form.dataset.item, text: `« ${label ? label.textContent : ""} » : votre réponse est envoyée à l'expert.`,
        }));
        window.location.assign(outcome.url);
        return;
      }
      button.disabled = false;
      if (outcome.state === "refused" && outcome.html) {
        showRefusal(form, outcome.html);
      } else if (outcome.state === "refused") {
        say(form, `Rien n'a été envoyé. ${outcome.reason} Retirez ou remplacez ce fichier, puis renvoyez.`);
      } else {
        form.reset(); // kept on the phone: the form is free again
        say(form, "Pas de réseau : votre réponse est gardée sur cet appareil et partira " +
          "d'elle-même dès que le réseau revient (voir « Envois en attente »).", "info");
      }
    }).catch(() => {
      button.disabled = false;
      say(form, "L'envoi a rencontré une erreur : réessayez.");
    });
  }, true);

  // A refused answer opened from the queue's list ("Corriger ce message"): its note and files
  // come back into its item to fix and send again, or to discard from the list.
  async function reopen(form, id) {
    const record = await window.ConnectQueue.reopen(id, form.dataset.queueUser);
    if (!record || record.action !== form.action) return;
    form.dataset.reopened = String(id);
    const note = record.fields.find(([name]) => name === "note");
    const textarea = form.querySelector("textarea[name=note]");
    if (note && textarea) textarea.value = note[1];
    const input = form.querySelector("input[type=file][name=files]");
    if (input && record.files.length && window.DataTransfer) {
      const files = new DataTransfer();
      record.files.forEach((saved) => files.items.add(new File([saved.blob], saved.name, { type: saved.blob.type })));
      input.files = files.files;
    }
    say(form, `Cette réponse a été refusée. ${record.reason} Corrigez-la puis renvoyez-la.`);
  }

  function sayAnswered() {
    const saved = sessionStorage.getItem("connect-answered");
    if (!saved) return;
    sessionStorage.removeItem("connect-answered");
    const { item, text } = JSON.parse(saved);
    const li = document.getElementById(`item-${item}`);
    if (!li) return;
    const notice = document.createElement("p");
    notice.className = "flash flash--success";
    notice.setAttribute("role", "status");
    notice.textContent = text;
    li.querySelector(".checklist-item__head").after(notice);
  }

  document.addEventListener("DOMContentLoaded", () => {
    sayAnswered();
    const reopening = /^#reprendre-(\d+)$/.exec(window.location.hash);
    const form = document.querySelector(".checklist-item__form[data-queue]");
    if (reopening && form && queueAvailable()) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      reopen(form, Number(reopening[1]));
    }
  });

  document.addEventListener("htmx:sendError", (event) => {
    const form = formOf(event.detail.elt);
    if (form) {
      say(form, "Pas de réseau : votre réponse n'est pas partie. Votre note et vos fichiers " +
        "restent ici : renvoyez-la quand le réseau revient.");
    }
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = formOf(event.detail.elt);
    const alert = form && form.querySelector("[data-answer-notice]");
    if (alert) alert.remove();
  });
})();
