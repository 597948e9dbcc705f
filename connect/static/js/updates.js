// "Mises à jour du service": the server renders the window open (readable without JS);
// here it becomes a modal dialog, which traps focus. Each tick is recorded by htmx as it
// happens, so Escape or "Fermer" only closes the window.
(() => {
  const start = () => {
    const dialog = document.querySelector("dialog[data-updates-window]");
    if (!dialog || typeof dialog.showModal !== "function") return;
    dialog.close();
    dialog.showModal();
    // "Fermer" posts the ticks once more (harmless) and closes when the server has answered.
    dialog.addEventListener("htmx:afterRequest", (event) => {
      const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
      if (event.detail.successful && trigger && trigger.type === "submit") dialog.close();
    });
    dialog.addEventListener("close", () => {
      const main = document.getElementById("contenu");
      if (main && !main.contains(document.activeElement)) main.focus();
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
