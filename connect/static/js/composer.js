// The message composer: drag and drop, camera capture, a type per file, progress per file.
// Without this file the form still works: a plain multi-file input and one type for all.
(() => {
  "use strict";

  const DEVICE_LISTS = ["shot", "captured_at", "latitude", "longitude", "sha256"];
  const formatSize = (bytes) =>
    bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1).replace(".", ",")} Mo` : `${Math.max(1, Math.round(bytes / 1024))} Ko`;

  function init(form, items = []) {
    if (!form || form.dataset.composerReady) return;
    form.dataset.composerReady = "1";
    // The guided capture (capture.js) sets itself up on each composer, re-rendered ones included.
    form.dispatchEvent(new CustomEvent("composer:init", { bubbles: true }));
    const zone = form.querySelector("[data-dropzone]");
    const list = zone && zone.querySelector("[data-file-list]");
    const template = zone && zone.querySelector("template[data-type-options]");
    const maxFile = zone ? Number(zone.dataset.maxFile) : 0;
    const maxMessage = zone ? Number(zone.dataset.maxMessage) : 0;
    const automatic = zone && zone.dataset.automatic === "1";
    const fallback = zone && zone.querySelector("[data-fallback-type]");
    if (fallback) {
      fallback.hidden = true;
      fallback.querySelector("select").disabled = true;
    }

    const total = () => items.reduce((sum, item) => sum + item.file.size, 0);

    function notice(text) {
      const li = document.createElement("li");
      li.className = "file-list__error";
      // The alert inside the item: a list holds list items only (axe "list").
      const alert = document.createElement("span");
      alert.setAttribute("role", "alert");
      alert.textContent = text;
      li.append(alert);
      list.prepend(li);
    }

    function add(files, title = "") {
      for (const file of files) {
        if (maxFile && file.size > maxFile) {
          notice(`« ${file.name} » dépasse ${formatSize(maxFile)} : fichier non ajouté.`);
          continue;
        }
        if (maxMessage && total() + file.size > maxMessage) {
          notice(`« ${file.name} » : l'ensemble dépasserait ${formatSize(maxMessage)} par message.`);
          continue;
        }
        items.push({ file, title, type: "" });
      }
      render();
    }

    function render() {
      if (!list) return;
      list.replaceChildren();
      items.forEach((item, index) => {
        const li = document.createElement("li");
        li.className = "file-list__item";
        const name = document.createElement("span");
        name.className = "file-list__name";
        name.textContent = `${item.title ? item.title + " · " : ""}${item.file.name} (${formatSize(item.file.size)})`;
        li.append(name);
        if (!automatic && template) {
          const label = document.createElement("label");
          const id = `file-type-${index}`;
          label.htmlFor = id;
          label.textContent = "Type";
          const select = document.createElement("select");
          select.id = id;
          select.append(template.content.cloneNode(true));
          if (item.type) select.value = item.type;
          item.type = select.value;
          select.addEventListener("change", () => { item.type = select.value; });
          li.append(label, select);
        } else {
          const auto = document.createElement("span");
          auto.className = "file-list__auto";
          auto.textContent = "Type automatique";
          li.append(auto);
        }
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button--link";
        remove.textContent = "Retirer";
        remove.setAttribute("aria-label", `Retirer ${item.file.name}`);
        remove.addEventListener("click", () => { items.splice(index, 1); render(); });
        const progress = document.createElement("progress");
        progress.max = 100;
        progress.value = 0;
        progress.setAttribute("aria-label", `Envoi de ${item.file.name}`);
        item.progress = progress;
        li.append(remove, progress);
        list.append(li);
      });
    }

    if (zone) {
      zone.querySelectorAll("input[type=file]").forEach((input) => {
        input.addEventListener("change", () => {
          add(Array.from(input.files));
          input.value = "";
        });
      });
      const target = zone.querySelector("[data-drop-target]");
      ["dragenter", "dragover"].forEach((type) =>
        target.addEventListener(type, (event) => { event.preventDefault(); target.classList.add("is-over"); }));
      ["dragleave", "drop"].forEach((type) =>
        target.addEventListener(type, () => target.classList.remove("is-over")));
      target.addEventListener("drop", (event) => {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files) add(Array.from(event.dataTransfer.files));
      });
      render();
    }

    // A refused queued message opened from the queue's list ("Corriger ce message"): its
    // fields, files and shots come back here to fix or discard, with why it was refused.
    async function reopen(id) {
      const record = await window.ConnectQueue.reopen(id, form.dataset.queueUser);
      if (!record || record.action !== form.action) return;
      form.dataset.reopened = String(id);
      const perFile = new Set(["types", "upload", "files", ...DEVICE_LISTS]);
      const skip = new Set(["csrfmiddlewaretoken", "token", "objet"]);
      const values = new Map();
      record.fields.forEach(([name, value]) => {
        if (!perFile.has(name) && !skip.has(name)) values.set(name, [...(values.get(name) || []), value]);
      });
      values.forEach((list, name) => {
        form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((field) => {
          if (field.type === "checkbox" || field.type === "radio") field.checked = list.includes(field.value);
          else if (field.type !== "file") field.value = list[0];
        });
      });
      const lists = {};
      ["types", ...DEVICE_LISTS].forEach((name) => {
        lists[name] = record.fields.filter(([n]) => n === name).map(([, value]) => value);
      });
      const shots = [];
      record.files.forEach((saved, index) => {
        const file = new File([saved.blob], saved.name, { type: saved.blob.type });
        const facts = { file };
        DEVICE_LISTS.forEach((name) => { facts[name] = lists[name][index] || ""; });
        if (facts.shot) shots.push(facts);
        else items.push({ file, title: "", type: lists.types[index] || "" });
      });
      if (shots.length) form.dispatchEvent(new CustomEvent("composer:restore", { detail: { photos: shots } }));
      render();
      const banner = document.createElement("div");
      banner.className = "alert alert--error";
      banner.setAttribute("role", "alert");
      banner.dataset.formErrors = "";
      banner.textContent = `Ce message a été refusé. ${record.reason} Corrigez-le puis envoyez-le, ou retirez-le de la liste des envois.`;
      form.querySelector("h2").after(banner);
    }
    const reopening = /^#reprendre-(\d+)$/.exec(window.location.hash);
    if (reopening && form.dataset.queue && window.ConnectQueue && window.indexedDB) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      reopen(Number(reopening[1]));
    }

    // The server refused the form: its fresh copy, with the errors, replaces it; files stay.
    function showAnswer(html) {
      const page = new DOMParser().parseFromString(html, "text/html");
      const fresh = page.getElementById("composer-form");
      if (fresh) {
        // The queue posts under a token of its own: the fresh form takes this one back, so the
        // guided capture (capture.js) finds the photos it keeps under it.
        const token = form.querySelector("input[name=token]");
        const freshToken = fresh.querySelector("input[name=token]");
        if (token && freshToken) freshToken.value = token.value;
        form.replaceWith(fresh);
        init(fresh, items);
        const alert = fresh.querySelector("[data-form-errors], .field--error");
        if (alert) alert.scrollIntoView({ block: "center" });
      } else {
        form.querySelector("button[type=submit]").disabled = false;
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      // The guided capture hands over its photos with their facts, or cancels (shots missing).
      const collect = new CustomEvent("composer:collect", { cancelable: true, detail: { items: [] } });
      if (!form.dispatchEvent(collect)) return;
      button.disabled = true;
      const sending = [...collect.detail.items, ...items];
      const sendingBytes = Math.max(1, sending.reduce((sum, item) => sum + item.file.size, 0));
      const data = new FormData(form);
      data.delete("files");
      data.delete("types");
      // Per-file lists, parallel to `files` (forms.DEVICE_LISTS): "" for a file picked by hand.
      sending.forEach((item) => {
        data.append("files", item.file, item.file.name);
        data.append("types", item.type || "");
        DEVICE_LISTS.forEach((name) => data.append(name, item[name] || ""));
      });
      if (form.dataset.queue && window.ConnectQueue && window.indexedDB && window.crypto && crypto.subtle) {
        // Sent again from the composer it reopened into: the refused one leaves the queue.
        if (form.dataset.reopened) window.ConnectQueue.discard(Number(form.dataset.reopened));
        delete form.dataset.reopened;
        // Kept on the phone and sent in resumable chunks (queue.js): a cut loses nothing.
        window.ConnectQueue.submit(form, data).then((outcome) => {
          if (outcome.state === "sent") {
            window.location.assign(outcome.url);
          } else if (outcome.state === "refused" && outcome.html) {
            showAnswer(outcome.html);
          } else if (outcome.state === "refused") {
            render(); // the files stay, to remove or replace; the fields keep what was typed
            const reason = /[.!?]$/.test(outcome.reason) ? outcome.reason : `${outcome.reason}.`;
            notice(`Rien n'a été envoyé. ${reason} Retirez ou remplacez ce fichier, puis envoyez à nouveau.`);
            button.disabled = false;
          } else {
            items.length = 0; // queued: the composer is free for the next message
            form.reset();
            render();
            button.disabled = false;
          }
        }).catch(() => {
          button.disabled = false;
          notice("L'envoi a rencontré une erreur : réessayez.");
        });
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", (progress) => {
        if (!progress.lengthComputable) return;
        // One request keeps the message atomic; files travel in order, so each file's share of
        // the bytes sent gives its own bar.
        const scale = progress.total / sendingBytes;
        let offset = 0;
        sending.forEach((item) => {
          const size = item.file.size * scale;
          const done = Math.min(Math.max(progress.loaded - offset, 0), size);
          if (item.progress) item.progress.value = size ? Math.round((done / size) * 100) : 100;
          offset += size;
        });
      });
      xhr.addEventListener("load", () => {
        if (xhr.status < 300 && xhr.responseURL && !xhr.responseURL.startsWith(form.action.split("?")[0])) {
          window.location.assign(xhr.responseURL);
          return;
        }
        showAnswer(xhr.responseText);
      });
      xhr.addEventListener("error", () => {
        button.disabled = false;
        notice("L'envoi a échoué (connexion interrompue). Rien n'a été enregistré : réessayez.");
      });
      xhr.send(data);
    });
  }

  // htmx fires htmx:load on the swapped element itself (here the form), not only on its parents.
  const initAll = (root) => {
    if (root.matches && root.matches("form[data-composer]")) init(root);
    root.querySelectorAll("form[data-composer]").forEach((form) => init(form));
  };
  document.addEventListener("DOMContentLoaded", () => initAll(document));
  document.addEventListener("htmx:load", (event) => initAll(event.target));
})();
