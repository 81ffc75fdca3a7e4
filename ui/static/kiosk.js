/* Simpul kiosk: step-by-step screens, idle reset, receipt printing.
   No framework. Without this script the kiosk page is one plain form. */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle"), 10) || 90;
  var home = body.getAttribute("data-home") || "/kiosk";
  var timer = null;

  // wipe clears everything typed and goes back to a fresh start screen
  // (a new page also means a new client_ref).
  function wipe() {
    var fields = document.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "radio" || f.type === "checkbox") {
        if (f.type !== "hidden") f.checked = false;
        continue;
      }
      f.value = "";
    }
    window.location.replace(home);
  }
  function poke() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(wipe, idle * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (ev) {
    document.addEventListener(ev, poke, { passive: true, capture: true });
  });
  poke();

  if (body.classList.contains("kiosk-done")) {
    // Chromium started with --kiosk --kiosk-printing prints this page
    // straight to the default (80 mm) printer without a dialog.
    window.addEventListener("load", function () { setTimeout(function () { window.print(); }, 300); });
    return;
  }

  var form = document.getElementById("complaint-form");
  if (!form) return;
  var steps = form.querySelectorAll("fieldset.step");
  var guide = document.getElementById("guide");
  var welcome = document.getElementById("welcome");
  var submitRow = form.querySelector(".submit-row");
  var navTpl = document.getElementById("step-nav");
  var current = 0;
  // A form sent back with errors opens on the first step with an error.
  var hasErrors = !!document.getElementById("form-errors");
  if (hasErrors) {
    for (var s = 0; s < steps.length; s++) {
      if (steps[s].querySelector(".error")) { current = s; break; }
    }
  }

  function show(n) {
    current = Math.max(0, Math.min(steps.length - 1, n));
    for (var i = 0; i < steps.length; i++) steps[i].hidden = i !== current;
    submitRow.hidden = current !== steps.length - 1;
    if (guide) guide.textContent = (current + 1) + "/" + steps.length + " — " + (steps[current].getAttribute("data-guide") || "");
    var first = steps[current].querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  for (var i = 0; i < steps.length; i++) {
    var nav = navTpl.content.cloneNode(true);
    var back = nav.querySelector(".back"), next = nav.querySelector(".next");
    if (i === 0) back.hidden = true;
    if (i === steps.length - 1) next.hidden = true;
    back.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    steps[i].appendChild(nav);
  }
  form.setAttribute("autocomplete", "off");
  body.classList.add("js-steps");

  function start(ev) {
    if (ev) ev.preventDefault();
    welcome.hidden = true;
    form.hidden = false;
    show(current);
  }
  if (hasErrors) {
    start();
  } else {
    form.hidden = true;
    document.getElementById("start").addEventListener("click", start);
  }
})();
