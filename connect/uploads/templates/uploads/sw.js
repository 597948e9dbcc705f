importScripts("{{ push_script }}");
importScripts("{{ queue_script }}");
// The portal's service worker (rendered by connect/uploads/app_shell.py; shell {{ version }}).
// - the shell (CSS, JS, icons, the offline page) is cached at install, for every user alike;
// - the list and dossier pages the user opened are kept, network first: offline, the last copy
//   is shown under a banner "hors ligne · données du …";
// - nothing else: no API, no download, no POST; at login and logout the kept pages go.
// - the queue of messages (queue.js) is sent from here on Background Sync.
"use strict";

const SHELL_CACHE = "connect-shell-{{ version }}";
const PAGES_CACHE = "connect-pages";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const SESSION_URLS = {{ session_urls|safe }};
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// The home list and a dossier's pages (informations, messages, a thread, the composer).
const KEPT_PAGES = [
  /^\/$/,
  new RegExp(`^/dossiers/${UUID}/$`),
  new RegExp(`^/dossiers/${UUID}/messages/$`),
  new RegExp(`^/dossiers/${UUID}/messages/nouveau/$`),
  new RegExp(`^/dossiers/${UUID}/messages/${UUID}/$`),
];
const CACHED_AT = "X-Connect-Cached-At";

self.addEventListener("install", (event) => {
  // Fetched without cookies: the shell carries nobody's name.
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("connect-shell-") && name !== SHELL_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "forget-pages") event.waitUntil(caches.delete(PAGES_CACHE));
  // A page whose navigation began while this worker was activating (the login's POST and its
  // redirect) is missed by the claim at activation: it asks, else it stays uncontrolled.
  if (event.data && event.data.type === "claim") event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && SESSION_URLS.includes(url.pathname)) {
    event.waitUntil(Promise.all([caches.delete(PAGES_CACHE), self.ConnectQueue.loggedIn(null)]));
    return;
  }
  if (request.method !== "GET") return;
  if (SHELL.includes(url.pathname) && url.pathname !== OFFLINE_URL) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate") return;
  const kept = KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
  event.respondWith(kept ? networkFirst(request) : fetch(request).catch(offlinePage));
});

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    // A redirect (to the login page) or an error is not the page: the last good copy stays.
    if (response.ok && html && !response.redirected) {
      const copy = response.clone();
      const headers = new Headers(copy.headers);
      headers.set(CACHED_AT, new Date().toISOString());
      const body = await copy.blob();
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request.url, new Response(body, { status: copy.status, headers }));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES_CACHE);
    const hit = await cache.match(request.url);
    return hit ? withBanner(hit) : offlinePage();
  }
}

function offlinePage() {
  return caches.match(OFFLINE_URL).then((hit) => hit || new Response(
    "Hors ligne.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
}

function bannerDate(iso) {
  const parts = {};
  new Intl.DateTimeFormat("fr-FR", {
    day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris",
  }).formatToParts(new Date(iso)).forEach((part) => { parts[part.type] = part.value; });
  return `${parts.day}/${parts.month} à ${parts.hour}:${parts.minute}`;
}

async function withBanner(response) {
  const html = await response.text();
  const when = bannerDate(response.headers.get(CACHED_AT));
  const banner = `<p class="offline-banner" role="status" data-offline-banner>hors ligne · données du ${when}</p>`;
  const headers = new Headers(response.headers);
  headers.delete(CACHED_AT);
  return new Response(html.replace(/<body([^>]*)>/, `<body$1>${banner}`), { status: 200, headers });
}

self.addEventListener("sync", (event) => {
  if (event.tag === "connect-queue" && self.ConnectQueue) event.waitUntil(self.ConnectQueue.flush());
});
