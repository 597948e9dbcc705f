// Small behaviours shared by every page. Pages work without this file.
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
});
