// Small behaviours shared by every page. Pages work without this file.
(function () {
  // A table wider than the screen scrolls inside its frame: keyboard users must reach it too.
  function makeScrollableTablesFocusable(root) {
    root.querySelectorAll(".table-wrap").forEach((wrap) => {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        const caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        // Named apart from the section around it ("Garages"): two landmarks must not share a name.
        const name = caption ? caption.textContent.trim() : "";
        wrap.setAttribute("aria-label", name ? `${name} (tableau défilant)` : "Tableau défilant");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    // Close the user menu with Escape and return focus to its toggle.
    document.querySelectorAll("details.user-menu").forEach((menu) => {
      menu.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
    makeScrollableTablesFocusable(document);
    // Logging out forgets the pages kept for offline use (the service worker also sees the POST)
    // and this browser's push subscription: the next person on a shared phone gets no notice
    // of the last user's dossiers. The logout goes on whatever happens, within a few seconds.
    document.querySelectorAll("form[action$='/deconnexion/']").forEach((form) => {
      form.addEventListener("submit", (event) => {
        const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
        if (worker) worker.postMessage({ type: "forget-pages" });
        if (!form.dataset.pushUnsubscribe || !navigator.serviceWorker) return;
        event.preventDefault();
        const timeout = new Promise((resolve) => { setTimeout(resolve, 3000); });
        Promise.race([forgetPushSubscription(form), timeout]).finally(() => form.submit());
      });
    });
  });
  async function forgetPushSubscription(form) {
    try {
      const registration = await navigator.serviceWorker.getRegistration();
      const subscription = registration && registration.pushManager
        && (await registration.pushManager.getSubscription());
      if (!subscription) return;
      const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      await fetch(form.dataset.pushUnsubscribe, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify({ endpoint: subscription.endpoint }),
      }).catch(() => null);
      await subscription.unsubscribe();
    } catch (error) { /* no push here: nothing to forget */ }
  }

  // The installable app's service worker (connect/uploads/app_shell.py): offline pages, queue.
  const worker = document.querySelector("meta[name=connect-service-worker]");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker.content, { scope: "/" }).catch(() => {});
    // Once a worker is active, an uncontrolled page asks to be claimed (see sw.js "claim").
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.serviceWorker.controller && registration.active) {
        registration.active.postMessage({ type: "claim" });
      }
    });
  }
  window.addEventListener("resize", () => makeScrollableTablesFocusable(document));
  document.addEventListener("htmx:afterSettle", (event) => makeScrollableTablesFocusable(event.target));
})();
