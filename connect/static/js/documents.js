// Dossier documents: selection for the ZIP download and the photo preview (lightbox).
// Without this file the page still works: checkboxes are always shown and each thumbnail
// links to its large JPEG preview.
(() => {
  document.documentElement.classList.add("js-documents");

  function initSelection() {
    const container = document.getElementById("documents");
    if (!container || container.dataset.ready) return;
    container.dataset.ready = "true";
    const toggle = container.querySelector("[data-selection-toggle]");
    const submit = container.querySelector("[data-selection-submit]");
    if (!toggle || !submit) return;
    toggle.hidden = false;
    const refresh = () => {
      const count = container.querySelectorAll(".doc__select:checked").length;
      submit.disabled = count === 0;
      submit.textContent = count ? `Télécharger (${count})` : "Télécharger";
    };
    toggle.addEventListener("click", () => {
      const selecting = container.dataset.selecting !== "true";
      container.dataset.selecting = String(selecting);
      toggle.setAttribute("aria-pressed", String(selecting));
      if (selecting) {
        const first = container.querySelector(".doc__select");
        if (first) first.focus();
      }
    });
    container.addEventListener("change", (event) => {
      if (event.target.matches(".doc__select")) refresh();
    });
    refresh();
  }

  function initLightbox() {
    const dialog = document.getElementById("lightbox");
    if (!dialog || typeof dialog.showModal !== "function") return;
    const image = dialog.querySelector(".lightbox__image");
    const caption = dialog.querySelector(".lightbox__caption");
    const position = dialog.querySelector(".lightbox__position");
    const original = dialog.querySelector(".lightbox__original");
    let links = [];
    let index = 0;
    let opener = null;

    const show = (next) => {
      index = (next + links.length) % links.length;
      const link = links[index];
      image.src = link.href;
      image.alt = link.querySelector("img") ? link.querySelector("img").alt : "";
      caption.textContent = link.dataset.caption || "";
      position.textContent = `${index + 1} / ${links.length}`;
      original.href = link.dataset.original;
    };

    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-lightbox]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      links = Array.from(document.querySelectorAll("#documents a[data-lightbox]"));
      opener = link;
      show(links.indexOf(link));
      dialog.showModal();
      dialog.querySelector("[data-lightbox-close]").focus();
    });
    dialog.querySelector("[data-lightbox-prev]").addEventListener("click", () => show(index - 1));
    dialog.querySelector("[data-lightbox-next]").addEventListener("click", () => show(index + 1));
    dialog.querySelector("[data-lightbox-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("close", () => {
      image.removeAttribute("src");
      if (opener && document.contains(opener)) opener.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    initSelection();
    initLightbox();
  });
  // The filters swap the whole #documents block: wire the new one.
  document.addEventListener("htmx:afterSettle", initSelection);
})();
