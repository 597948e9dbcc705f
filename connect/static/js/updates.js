// "Mises à jour du service": the server renders the window open (readable without JS);
// here it becomes a modal dialog, which traps focus and closes on Escape without marking read.
(() => {
  const start = () => {
    const dialog = document.querySelector("dialog[data-updates-window]");
    if (!dialog || typeof dialog.showModal !== "function") return;
    dialog.close();
    dialog.showModal();
    // Marked through htmx: the server answered, close the window (focus returns to the page).
    dialog.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.successful) dialog.close();
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
