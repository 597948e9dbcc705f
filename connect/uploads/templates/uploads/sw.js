importScripts("{{ push_script }}");
importScripts("{{ queue_script }}");
// The portal's service worker (rendered by connect/uploads/app_shell.py; shell {{ version }}).
// - the shell (CSS, JS, icons, the offline page) is cached at install, for every user alike;
// - the list and dossier pages the user opened are kept, network first: offline, the last copy
//   is shown under a banner "hors ligne · données du …";
// - nothing else: no API, no download, no POST; at login and logout the kept pages go.
// - the kept pages are one session's (the server tags each page: X-Connect-Session): a page of
//   another session or of nobody (the login page), a 401, 403 or 404 makes them go, and they
//   are not shown past the session's end (X-Connect-Session-Ends: its absolute end, or its
//   idle timeout counted from the last page kept), so a phone left logged in shows the next
//   person nothing of its last user, even if it never comes back online.
// - the queue of messages (queue.js) is sent from here on Background Sync; a new user's first
//   page clears another user's queued messages.
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
const SESSION = "X-Connect-Session";
const SESSION_ENDS = "X-Connect-Session-Ends";
const USER = "X-Connect-User";
const FORGETTING = [401, 403, 404];

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
  event.respondWith(kept ? networkFirst(request) : fetch(request).then(seen, offlinePage));
});

// The session of the pages kept (they all share one: keeping a page of another drops them).
async function keptSession() {
  if (!(await caches.has(PAGES_CACHE))) return null;
  const cache = await caches.open(PAGES_CACHE);
  const [first] = await cache.keys();
  const hit = first && (await cache.match(first));
  return hit ? hit.headers.get(SESSION) : null;
}

// Every page the network gives says whose session is at work: the pages kept for another
// (or for nobody: the login page after an idle timeout, a disabled account) go, and so does
// another user's queue. A redirect (opaque here) says nothing: the page it leads to will.
async function seen(response) {
  if (response.type === "opaqueredirect") return response;
  const session = response.headers.get(SESSION);
  const user = response.headers.get(USER);
  if (FORGETTING.includes(response.status) || !session || session !== (await keptSession())) {
    await caches.delete(PAGES_CACHE);
  }
  if (user && self.ConnectQueue) await self.ConnectQueue.loggedIn(user);
  return response;
}

async function networkFirst(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return keptCopy(request);
  }
  const session = response.headers.get(SESSION);
  const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
  // A redirect (to the login page) or an error is not the page; the page of another session
  // replaces the copies kept (seen()), never joins them.
  if (response.ok && html && !response.redirected && session) {
    const copy = response.clone();
    const previous = await keptSession();
    const headers = new Headers(copy.headers);
    headers.set(CACHED_AT, new Date().toISOString());
    const body = await copy.blob();
    if (previous && previous !== session) await caches.delete(PAGES_CACHE);
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(request.url, new Response(body, { status: copy.status, headers }));
    const user = response.headers.get(USER);
    if (user && self.ConnectQueue) await self.ConnectQueue.loggedIn(user);
    return response;
  }
  return seen(response);
}

async function keptCopy(request) {
  const cache = await caches.open(PAGES_CACHE);
  const hit = await cache.match(request.url);
  if (!hit) return offlinePage();
  // Past the session's end, nobody may read them any more. Each page says when the session
  // would end unused from the moment it was kept: the latest of them is the last contact.
  const ends = await Promise.all((await cache.keys()).map(
    (key) => cache.match(key).then((page) => Number(page && page.headers.get(SESSION_ENDS)) || 0)));
  if (!(Math.max(0, ...ends) > Date.now())) {
    await caches.delete(PAGES_CACHE);
    return offlinePage();
  }
  return withBanner(hit);
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
