// Web Push handlers of the service worker (`push`, `notificationclick`): written by the push
// feature. /sw.js imports this file first; empty until then.
