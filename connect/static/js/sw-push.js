// Web Push in the service worker (imported by /sw.js, which the offline app owns). The payload
// is {kind, title, body, url, tag}: the dossier reference and a path of the portal, nothing else.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = data.title || "Connect Réparateurs";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag || undefined,
      lang: "fr",
      data: { url: typeof data.url === "string" ? data.url : "/" },
    }),
  );
});

// A click opens the dossier: the tab already showing it is focused, else a tab of the portal
// is sent there, else a new window opens. Only pages of the portal are ever opened.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((client) => new URL(client.url).pathname === target.pathname);
      if (same) return same.focus();
      const ours = windows.find((client) => "navigate" in client && new URL(client.url).origin === target.origin);
      if (ours) return ours.navigate(target.href).then((client) => (client || ours).focus()).catch(() => self.clients.openWindow(target.href));
      return self.clients.openWindow(target.href);
    }),
  );
});

// The push service renewed or dropped the subscription: subscribe again with the same key so
// the browser stays ready (a worker has no CSRF token to tell the portal). The old endpoint,
// answering 410, is deleted on the server; the panel then offers "Activer", which posts this one.
self.addEventListener("pushsubscriptionchange", (event) => {
  const options = event.oldSubscription && event.oldSubscription.options;
  if (!options || event.newSubscription) return;
  event.waitUntil(self.registration.pushManager.subscribe(options).catch(() => null));
});
