// Web Push on this device: permission is asked only when the user clicks "Activer", the
// browser subscribes with the portal's VAPID key and the subscription is posted to the portal.
// The state is always said in words (role="status"), never by colour alone.
(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const state = box.querySelector("[data-push-state]");
  const on = box.querySelector("[data-push-subscribe]");
  const off = box.querySelector("[data-push-unsubscribe]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  const say = (text) => { state.textContent = text; };
  const show = (subscribed) => {
    box.querySelector("[data-push-on]").hidden = subscribed;
    box.querySelector("[data-push-off]").hidden = !subscribed;
  };

  const keyBytes = (base64url) => {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (error) { answer = {}; }
    if (!response.ok) throw new Error(answer.error || "Le portail n'a pas pu enregistrer ce choix.");
    return answer;
  };

  // The service worker is the offline app's (/sw.js); it is registered only when it answers.
  const registration = async () => {
    const existing = await navigator.serviceWorker.getRegistration();
    if (existing) return existing;
    const url = box.dataset.serviceWorker;
    const probe = await fetch(url, { method: "HEAD", credentials: "same-origin" }).catch(() => null);
    if (!probe || !probe.ok) return null;
    await navigator.serviceWorker.register(url);
    return navigator.serviceWorker.ready;
  };

  const subscribe = async () => {
    on.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("Vous avez refusé les notifications : votre navigateur ne les affichera pas. Vous pouvez changer cela dans les réglages du site.");
        return;
      }
      const worker = await registration();
      if (!worker) { say("Les notifications ne sont pas encore disponibles sur ce portail."); return; }
      const options = { userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.publicKey) };
      let subscription;
      try {
        subscription = await worker.pushManager.subscribe(options);
      } catch (error) {
        // Subscribed with an older key (the portal's VAPID pair changed): start afresh.
        const stale = await worker.pushManager.getSubscription();
        if (!stale) throw error;
        await stale.unsubscribe();
        subscription = await worker.pushManager.subscribe(options);
      }
      const answer = await post(box.dataset.subscribeUrl, subscription.toJSON());
      say(answer.message || "Notifications activées sur cet appareil.");
      show(true);
    } catch (error) {
      say(`Activation impossible : ${error.message}`);
    } finally {
      on.disabled = false;
    }
  };

  const unsubscribe = async () => {
    off.disabled = true;
    try {
      const worker = await navigator.serviceWorker.getRegistration();
      const subscription = worker && (await worker.pushManager.getSubscription());
      if (subscription) {
        await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).catch(() => null);
        await subscription.unsubscribe();
      }
      say("Notifications désactivées sur cet appareil.");
      show(false);
    } catch (error) {
      say(`Désactivation impossible : ${error.message}`);
    } finally {
      off.disabled = false;
    }
  };

  const start = async () => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say("Ce navigateur ne reçoit pas de notifications push (sur iPhone : ajoutez d'abord le portail à l'écran d'accueil).");
      return;
    }
    on.addEventListener("click", subscribe);
    off.addEventListener("click", unsubscribe);
    if (Notification.permission === "denied") {
      say("Les notifications sont bloquées pour ce site dans votre navigateur.");
      return;
    }
    const worker = await navigator.serviceWorker.getRegistration();
    const subscription = worker && (await worker.pushManager.getSubscription());
    // On only when the portal lists this browser among the user's devices: one removed with
    // "Retirer", renewed by the browser, or left by another login shows "Activer" again.
    const known = new Set(
      Array.from(document.querySelectorAll("[data-push-endpoint]"), (item) => item.dataset.pushEndpoint),
    );
    if (subscription && Notification.permission === "granted" && known.has(subscription.endpoint)) {
      say("Notifications activées sur cet appareil.");
      show(true);
    } else {
      say("Notifications désactivées sur cet appareil.");
      show(false);
    }
  };

  start();
})();
