// The phone's queue of messages (connect/uploads): a message is kept in IndexedDB with its files
// (Blobs) and fields, its files go up in checksummed chunks (resumed from the server's offset
// after a cut), then the message is posted naming the uploads: the server creates it only when
// every file is complete and checked. Sent at once when the network allows, else on Background
// Sync (the service worker imports this file), on the `online` event or at the next visit.
// Without this file (or without IndexedDB) the composer posts its files in one request.
(function (global) {
  "use strict";

  const DB_NAME = "connect-queue";
  const STORE = "messages";
  const META = "meta";
  const SYNC_TAG = "connect-queue";
  const CHECKSUM_RETRIES = 3;
  const inWindow = typeof document !== "undefined";

  class Offline extends Error {}
  // 429: the server asks to wait `wait` seconds (Retry-After); the record goes by itself then.
  class Throttled extends Offline {
    constructor(wait) { super(`limité ${wait} s`); this.wait = wait; }
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        request.result.createObjectStore(META, { keyPath: "key" }); // who the queue sends for
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, work, name = STORE) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const all = () => store("readonly", (s) => s.getAll());
  const put = (record) => store("readwrite", (s) => s.put(record));
  const remove = (id) => store("readwrite", (s) => s.delete(id));
  // A message goes only with its author's session: another login on the phone sends nothing
  // of theirs (the page says who is logged in; the worker forgets it at login and logout).
  const whoIsIn = () => store("readonly", (s) => s.get("user"), META).then((row) => (row ? row.value : null));
  const loggedIn = async (user) => {
    await store("readwrite", (s) => s.put({ key: "user", value: user || null }), META);
    // A shared phone: the previous user's waiting messages are not kept for the next one.
    if (user) {
      const others = (await all()).filter((record) => record.user !== String(user));
      if (others.length) {
        await store("readwrite", (s) => others.forEach((record) => s.delete(record.id)));
        changed();
      }
    }
  };

  function changed() {
    if (inWindow) {
      document.dispatchEvent(new CustomEvent("connect-queue-changed"));
    } else if (global.clients) {
      global.clients.matchAll().then((list) => list.forEach((client) => client.postMessage({ type: "queue-changed" })));
    }
  }

  async function save(record) {
    await put(record);
    changed();
  }

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const base64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
  const sha256 = (bytes) => crypto.subtle.digest("SHA-256", bytes);

  // A fetch that fails is the network (or the server) away: the record waits for the next try.
  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", ...options });
    } catch (error) {
      throw new Offline(String(error));
    }
    // Sent to the login page: the session ended; the message waits for the user to come back.
    if (response.redirected && new URL(response.url).pathname.startsWith("/connexion/")) {
      throw new Offline("session expirée");
    }
    // Refused before any view (a session that ended took its CSRF cookie with it): not the
    // message's fault, it waits for its author's next session as for the login page.
    if (response.status === 403) throw new Offline("session expirée");
    if (response.status === 429) {
      const wait = Number(response.headers.get("Retry-After"));
      throw new Throttled(wait > 0 ? Math.ceil(wait) : 30);
    }
    return response;
  }

  function csrf(record) {
    const field = record.fields.find(([name]) => name === "csrfmiddlewaretoken");
    return field ? field[1] : "";
  }

  function refuse(file, reason) {
    file.state = "refused";
    file.reason = reason || "refusé par le serveur";
  }

  async function answer(response) {
    try { return await response.json(); } catch (error) { return {}; }
  }

  async function follow(file, body) {
    if (body.state === "complete" || body.state === "consumed") {
      file.state = "sent";
      file.offset = file.size;
    } else if (body.state === "rejected") {
      refuse(file, body.reason);
    } else {
      file.offset = body.offset;
    }
  }

  async function upload(record, file) {
    const headers = { "X-CSRFToken": csrf(record) };
    if (!file.sha256) file.sha256 = hex(await sha256(await file.blob.arrayBuffer()));
    if (file.upload) {
      const where = await request(file.upload, { headers });
      if (where.status === 404) {
        file.upload = null; // expired and swept on the server: send it again
      } else if (where.ok) {
        await follow(file, await answer(where));
      } else {
        throw new Offline(`état ${where.status}`);
      }
    }
    if (!file.upload) {
      const form = new FormData();
      form.append("dossier", record.dossier);
      form.append("name", file.name);
      form.append("size", String(file.size));
      form.append("sha256", file.sha256);
      form.append("metadata", JSON.stringify(file.metadata || {}));
      const created = await request(record.createUrl, { method: "POST", body: form, headers });
      const body = await answer(created);
      if (created.status >= 500 || created.status === 429) throw new Offline(`création ${created.status}`);
      if (created.status !== 201) return refuse(file, body.message);
      file.upload = created.headers.get("Location");
      file.chunk = body.chunk_size;
      file.offset = 0;
      file.state = "sending";
      await save(record);
    }
    let retries = 0;
    while (file.state !== "sent" && file.state !== "refused" && file.offset < file.size) {
      file.state = "sending";
      const end = Math.min(file.size, file.offset + (file.chunk || 1048576));
      const bytes = await file.blob.slice(file.offset, end).arrayBuffer();
      const response = await request(file.upload, {
        method: "PATCH",
        body: bytes,
        headers: {
          ...headers,
          "Content-Type": "application/offset+octet-stream",
          "Content-Range": `bytes ${file.offset}-${end - 1}/${file.size}`,
          "Upload-Checksum": `sha256 ${base64(await sha256(bytes))}`,
        },
      });
      if (response.ok) {
        await follow(file, await answer(response));
      } else if (response.status === 409 && response.headers.get("Upload-Offset")) {
        file.offset = Number(response.headers.get("Upload-Offset")); // the server is elsewhere
      } else if (response.status === 460 && retries < CHECKSUM_RETRIES) {
        retries += 1; // altered on the way: the same bytes again
      } else if (response.status >= 500 || response.status === 429) {
        throw new Offline(`morceau ${response.status}`);
      } else {
        refuse(file, (await answer(response)).message);
      }
      await save(record);
    }
  }

  // The French messages of a refused form: its error banner, else its fields' error lists.
  function errorsOf(html) {
    const banner = /<div class="alert alert--error[^"]*"[^>]*data-form-errors>([\s\S]*?)<\/div>/.exec(html);
    const lists = html.match(/<ul class="errorlist[^"]*"[^>]*>[\s\S]*?<\/ul>/g) ||
      html.match(/<p class="field__error"[^>]*>[\s\S]*?<\/p>/g) || []; // a requested item's errors
    const text = (banner ? banner[1] : lists.join(" "))
      .replace(/<\/(p|li)>/g, " ").replace(/<[^>]+>/g, "").replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    return text.replace(/\s+/g, " ").trim() || "le message a été refusé.";
  }

  async function post(record) {
    const form = new FormData();
    record.fields.forEach(([name, value]) => form.append(name, value));
    record.files.forEach((file) => form.append("upload", file.upload.split("/").filter(Boolean).pop()));
    const response = await request(record.action, { method: "POST", body: form });
    if (response.status >= 500 || response.status === 429) throw new Offline(`message ${response.status}`);
    const url = response.url || "";
    if (response.ok && response.redirected && !url.includes("/connexion/")) {
      record.state = "sent";
      record.threadUrl = url;
      return null;
    }
    const html = await response.text();
    record.state = "refused";
    record.reason = errorsOf(html);
    return html;
  }

  // The CSRF token of the session sending now (a login since the message was written rotates
  // it): this page's, or, in the worker, one read from the home page's logout form.
  async function freshToken(record) {
    let token = inWindow && document.querySelector("input[name=csrfmiddlewaretoken]");
    token = token ? token.value : "";
    if (!token) {
      const home = await request("/", { headers: { Accept: "text/html" } });
      const found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await home.text());
      token = found ? found[1] : "";
    }
    if (!token) return;
    record.fields = record.fields.filter(([name]) => name !== "csrfmiddlewaretoken");
    record.fields.push(["csrfmiddlewaretoken", token]);
  }

  // Send one record; returns the refused form's HTML (400), or null (sent, or refused before
  // the message: a file the server would not even start, its reason shown beside it).
  async function send(record) {
    record.state = "sending";
    record.retryAt = 0;
    await freshToken(record);
    await save(record);
    for (const file of record.files) {
      if (file.state !== "refused") await upload(record, file);
    }
    const unstarted = record.files.find((file) => !file.upload);
    if (unstarted) {
      record.state = "refused";
      record.reason = `« ${unstarted.name} » : ${unstarted.reason}`;
      await save(record);
      return null;
    }
    const html = await post(record); // a rejected file: the server says why, in the form
    await save(record);
    return html;
  }

  let running = null;
  let retryTimer = null;

  // Not sent for now: the network is away (the next try is the online event, Background Sync
  // or the next visit), or the server said how long to wait (429), and the record says when.
  async function holdBack(record, error) {
    record.state = "waiting";
    record.retryAt = error instanceof Throttled ? Date.now() + error.wait * 1000 : 0;
    await save(record);
    if (record.retryAt) retryAt(record.retryAt);
  }

  function retryAt(when) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => flush(), Math.max(0, when - Date.now()) + 100);
  }

  async function drain() {
    const tried = new Set();
    const user = await whoIsIn();
    if (!user) return;
    for (;;) {
      const records = (await all()).filter((r) => r.user === user && (r.state === "waiting" || r.state === "sending") && !tried.has(r.id));
      const next = records.find((r) => !(r.retryAt > Date.now()));
      const later = records.filter((r) => r.retryAt > Date.now()).map((r) => r.retryAt);
      if (later.length) retryAt(Math.min(...later)); // a throttled one goes when it may
      if (!next) return;
      tried.add(next.id);
      try {
        await send(next);
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        await holdBack(next, error);
        return; // the network is away, or the server busy: everything waits for the next try
      }
    }
  }

  // One sender at a time across the tabs and the service worker (Web Locks where available):
  // a flush that finds the queue busy leaves it to the sender at work.
  function exclusive(work, { wait }) {
    const locks = global.navigator && global.navigator.locks;
    if (!locks) return Promise.resolve().then(work);
    return locks.request(DB_NAME, wait ? {} : { ifAvailable: true }, (lock) => (lock ? work() : null));
  }

  function flush() {
    if (running) return running;
    running = exclusive(drain, { wait: false }).finally(() => { running = null; changed(); });
    return running;
  }

  async function askBackgroundSync() {
    if (!inWindow || !navigator.serviceWorker) return;
    try {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
    } catch (error) { /* no Background Sync: the online event and the next visit send it */ }
  }

  // The composer's submit: keep the message, then try at once. Resolves with
  // {state: "sent", url} | {state: "refused", html} (shown in the form) | {state: "refused",
  // reason} (a file refused before the message: the form stays as typed) | {state: "queued"}.
  async function submit(form, data) {
    await loggedIn(form.dataset.queueUser);
    const fields = [];
    const files = [];
    for (const [name, value] of data.entries()) {
      if (name === "files" && value instanceof Blob) {
        files.push({ blob: value, name: value.name, size: value.size, state: "waiting", offset: 0 });
      } else if (name === "token") {
        fields.push([name, crypto.randomUUID()]); // a cached page's token must not serve twice
      } else if (!(value instanceof Blob)) {
        fields.push([name, value]);
      }
    }
    // The lists parallel to the files (data-file-fields, "types" by default) also go with each
    // upload as its metadata; the message itself posts them as they are, in the files' order.
    const perFile = (form.dataset.fileFields || "types").split(/\s+/).filter(Boolean);
    files.forEach((file, index) => {
      file.metadata = {};
      perFile.forEach((name) => {
        const values = fields.filter(([n]) => n === name);
        if (values.length === files.length) file.metadata[name] = values[index][1];
      });
    });
    const record = {
      action: form.action,
      createUrl: form.dataset.queue,
      dossier: form.dataset.dossier,
      title: form.dataset.queueTitle || "Message",
      created: new Date().toISOString(),
      fields,
      files,
      state: "waiting",
      user: form.dataset.queueUser,
      // Where its composer is: a refused message opens back there (reopen).
      page: form.dataset.queuePage || "",
    };
    record.id = await put(record);
    changed();
    if (navigator.onLine === false) {
      askBackgroundSync();
      return { state: "queued" };
    }
    const outcome = await exclusive(() => sendNow(record.id), { wait: true });
    if (outcome.state === "queued") askBackgroundSync();
    changed();
    return outcome;
  }

  async function sendNow(id) {
    const record = (await all()).find((r) => r.id === id);
    if (!record) return { state: "queued" };
    if (record.state === "sent") return { state: "sent", url: record.threadUrl };
    if (record.state === "refused") return { state: "queued" }; // a flush got there first
    try {
      const html = await send(record);
      if (html === null && record.state === "sent") {
        await remove(record.id);
        return { state: "sent", url: record.threadUrl };
      }
      if (html === null && record.state === "refused") {
        // A file the server would not even start (empty, too big…): sent from the composer, the
        // message goes back to it, everything typed kept, with the reason.
        await forget(record);
        const file = record.files.find((f) => !f.upload);
        const reason = file && file.reason.includes(file.name) ? file.reason : record.reason;
        return { state: "refused", reason };
      }
      if (html === null) return { state: "queued" };
      await forget(record); // shown again in the form, with its errors
      return { state: "refused", html };
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      await holdBack(record, error);
      return { state: "queued" };
    }
  }

  // Give a record up: its uploads on the server go too (they count against the limits).
  async function forget(record) {
    await remove(record.id);
    const token = csrf(record);
    const held = record.state === "sent" ? [] : record.files.filter((file) => file.upload);
    await Promise.all(held.map((file) =>
      fetch(file.upload, { method: "DELETE", headers: { "X-CSRFToken": token } }).catch(() => null)));
    changed();
  }

  // A refused message back into its composer (composer.js): its record, kept until the
  // composer sends it again or the user discards it.
  async function reopen(id, user) {
    const record = (await all()).find((r) => r.id === id);
    return record && record.state === "refused" && record.user === user ? record : null;
  }

  async function discard(id) {
    const record = (await all()).find((r) => r.id === id);
    if (record) await forget(record);
  }

  const LABELS = { waiting: "en attente", sending: "envoi en cours", sent: "envoyé", refused: "refusé" };

  function fileState(file) {
    if (file.state === "refused") return `refusé : ${file.reason}`;
    if (file.state === "sent") return "envoyé";
    if (file.state === "sending" && file.size) return `envoi ${Math.floor((file.offset / file.size) * 100)} %`;
    return "en attente";
  }

  function messageState(record) {
    if (record.state === "refused") return `refusé : ${record.reason}`;
    if (record.state === "sent") return "envoyé";
    if (record.state === "waiting" && record.retryAt > Date.now()) {
      const seconds = Math.ceil((record.retryAt - Date.now()) / 1000);
      return `en attente : trop d'envois en peu de temps, nouvel essai automatique dans ${seconds} s.`;
    }
    return record.state === "sending" ? "envoi en cours" : "en attente d'envoi";
  }

  let ticking = null;

  async function render(region) {
    const records = (await all()).filter((r) => r.user === region.dataset.user && r.dossier === region.dataset.dossier);
    // A throttled message counts its seconds down.
    clearTimeout(ticking);
    if (records.some((r) => r.state === "waiting" && r.retryAt > Date.now())) ticking = setTimeout(() => render(region), 1000);
    const list = region.querySelector("[data-queue-list]");
    region.hidden = records.length === 0;
    list.replaceChildren(...records.map((record) => {
      const li = document.createElement("li");
      li.className = "queue__message";
      li.dataset.queueState = record.state;
      const head = document.createElement("p");
      head.append(`${record.title} du ${new Date(record.created).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" })} · `);
      const state = document.createElement("span");
      state.className = `queue__state queue__state--${record.state}`;
      state.textContent = messageState(record);
      head.append(state);
      if (record.state === "sent" && record.threadUrl) {
        const link = document.createElement("a");
        link.href = record.threadUrl;
        link.textContent = "voir le message";
        head.append(" · ", link);
      }
      li.append(head);
      const files = document.createElement("ul");
      files.className = "queue__files";
      record.files.forEach((file) => {
        const item = document.createElement("li");
        item.className = "queue__file";
        const name = document.createElement("span");
        name.textContent = file.name;
        const what = document.createElement("span");
        what.className = `queue__state queue__state--${file.state}`;
        what.dataset.fileState = "";
        what.textContent = fileState(file);
        item.append(name, what);
        files.append(item);
      });
      li.append(files);
      if (record.state === "refused" && record.page) {
        const fix = document.createElement("a");
        fix.href = `${record.page}#reprendre-${record.id}`;
        fix.className = "button";
        fix.textContent = "Corriger ce message";
        li.append(fix, " ");
      }
      if (record.state !== "sending") {
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "button button--link";
        drop.textContent = record.state === "sent" ? "Masquer" : "Retirer ce message";
        drop.addEventListener("click", () => (record.state === "sent" ? remove(record.id).then(changed) : forget(record)));
        li.append(drop);
      }
      return li;
    }));
  }

  global.ConnectQueue = { submit, flush, all, loggedIn, reopen, discard, LABELS };

  if (!inWindow) return;
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.querySelector("[data-queue-region]");
    if (region) {
      const redraw = () => render(region);
      document.addEventListener("connect-queue-changed", redraw);
      if (navigator.serviceWorker) {
        navigator.serviceWorker.addEventListener("message", (event) => {
          if (event.data && event.data.type === "queue-changed") redraw();
        });
      }
      redraw();
    }
    const user = region && region.dataset.user;
    // The next visit sends what waits (its author's only).
    if (user) loggedIn(user).then(() => { if (navigator.onLine !== false) flush(); });
  });
  global.addEventListener("online", () => flush());
})(self);
