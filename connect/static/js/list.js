// The dossier list: after htmx swaps the list in place, keep keyboard users where they were.
// The page works without this file (plain links and a GET form).
const FOCUS_AFTER_SWAP = [
  [".list-tabs", ".list-tabs [aria-current='page']"],
  ["thead", "thead [aria-sort] a"],
  [".pagination", ".pagination a"],
];

document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "dossier-list") return;
  const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!trigger || !trigger.closest) return;
  for (const [area, selector] of FOCUS_AFTER_SWAP) {
    if (trigger.closest(area)) {
      const target = event.target.querySelector(selector);
      if (target) target.focus();
      return;
    }
  }
});
