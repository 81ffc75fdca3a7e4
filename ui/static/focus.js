/* Simpul: when a page comes back with a message the person must read (an
   error summary, a confirmation), move the focus to it, so it is on the
   screen and a screen reader reads it. Without this script the form's
   action URL (…#form-errors, …#reply) still scrolls to it. */
(function () {
  "use strict";
  var el = document.querySelector("[data-focus]");
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "center" });
})();
