// The phone page's service worker: shows the near-turn notification the server pushes, and
// opens the ticket's page when it is touched. It caches nothing and fetches nothing.
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (_) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Seira", {
    body: data.body || "",
    tag: "seira-turn",
    renotify: true,
    requireInteraction: true,
    vibrate: [300, 200, 300],
    data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  const page = url.split("?")[0];
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
    for (const client of open) {
      if (new URL(client.url).pathname === page && "focus" in client) return client.focus();
    }
    return self.clients.openWindow(url);
  }));
});
