/* Simpul kiosk: full-screen steps for a portrait touch screen, checks per
   step, topic tiles by group, a "still there?" warning before the idle
   wipe, and the slip's printing. No framework. Without this script the
   kiosk page is one plain form. */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle"), 10) || 90;
  var home = body.getAttribute("data-home") || "/kiosk";
  // The warning shows for the last part of the idle time: 20 s, less on
  // a short idle time (at most half of it).
  var warnFor = Math.max(1, Math.min(20, Math.floor(idle / 2)));
  var dialog = document.getElementById("still-there");
  var countEl = document.getElementById("still-count");
  var warnTimer = null, tick = null;

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
  function hideWarning() {
    if (tick) { clearInterval(tick); tick = null; }
    if (dialog) dialog.hidden = true;
  }
  function warn() {
    if (!dialog) { wipe(); return; }
    var left = warnFor;
    countEl.textContent = left;
    dialog.hidden = false;
    document.getElementById("still-yes").focus();
    tick = setInterval(function () {
      left--;
      if (left <= 0) { clearInterval(tick); tick = null; wipe(); return; }
      countEl.textContent = left;
    }, 1000);
  }
  function poke() {
    hideWarning();
    if (warnTimer) clearTimeout(warnTimer);
    warnTimer = setTimeout(warn, (idle - warnFor) * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (ev) {
    document.addEventListener(ev, poke, { passive: true, capture: true });
  });
  if (dialog) document.getElementById("still-yes").addEventListener("click", poke);
  poke();

  if (body.classList.contains("kiosk-done")) {
    // Chromium started with --kiosk --kiosk-printing prints this page
    // straight to the default (80 mm) printer without a dialog; with a
    // network receipt printer the server has printed the slip already.
    if (body.getAttribute("data-print") === "1") {
      window.addEventListener("load", function () { setTimeout(function () { window.print(); }, 300); });
    }
    return;
  }

  var form = document.getElementById("complaint-form");
  if (!form) return;
  var msgs = document.getElementById("kiosk-msgs").dataset;
  var steps = form.querySelectorAll("fieldset.step");
  var guide = document.getElementById("guide");
  var welcome = document.getElementById("welcome");
  var navTpl = document.getElementById("step-nav");
  var current = 0;
  var hasErrors = !!document.getElementById("form-errors");
  if (hasErrors) {
    for (var s = 0; s < steps.length; s++) {
      if (steps[s].querySelector(".error")) { current = s; break; }
    }
  }

  function show(n, focusEl) {
    current = Math.max(0, Math.min(steps.length - 1, n));
    for (var i = 0; i < steps.length; i++) steps[i].hidden = i !== current;
    if (guide) guide.textContent = (current + 1) + "/" + steps.length + " — " + (steps[current].getAttribute("data-guide") || "");
    var first = focusEl || steps[current].querySelector(".step-error + *, [aria-invalid=true], input:not([type=hidden]):not([hidden]), select, textarea");
    window.scrollTo(0, 0);
    if (first) first.focus({ preventScroll: !focusEl });
  }

  // --- checks per step ---
  function clearChecks(step) {
    var old = step.querySelectorAll(".step-error");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var bad = step.querySelectorAll("[data-checked-invalid]");
    for (var j = 0; j < bad.length; j++) {
      bad[j].removeAttribute("aria-invalid");
      bad[j].removeAttribute("data-checked-invalid");
    }
  }
  function flag(el, before, text) {
    var p = document.createElement("p");
    p.className = "error step-error";
    p.id = (el.id || el.getAttribute("data-name") || "field") + "-check";
    p.textContent = text;
    before.parentNode.insertBefore(p, before);
    el.setAttribute("aria-invalid", "true");
    el.setAttribute("data-checked-invalid", "1");
    var d = el.getAttribute("aria-describedby") || "";
    if (d.indexOf(p.id) < 0) el.setAttribute("aria-describedby", (d + " " + p.id).trim());
    return el;
  }
  function anonymous() {
    var a = form.querySelector('input[name="privacy"][value="anonymous"]');
    return a && a.checked;
  }
  // check returns the first field of step that is not right, flagging
  // every one it finds.
  function check(step) {
    clearChecks(step);
    var first = null;
    function bad(el, before, text) { var f = flag(el, before, text); if (!first) first = f; }
    var groups = {};
    var radios = step.querySelectorAll("input[type=radio]");
    for (var i = 0; i < radios.length; i++) groups[radios[i].name] = true;
    ["type", "category", "privacy"].forEach(function (name) {
      if (!groups[name] || form.querySelector('input[name="' + name + '"]:checked')) return;
      var box = name === "category" ? document.getElementById("category") : step.querySelector('input[name="' + name + '"]').closest("fieldset");
      var target = name === "category" ? box : box.querySelector("input");
      bad(target, name === "category" ? box : box.querySelector(".tiles, div, label"), msgs.choose);
    });
    var fields = step.querySelectorAll("input[required], textarea[required], select[required]");
    for (var j = 0; j < fields.length; j++) {
      var f = fields[j];
      if (f.type === "radio" || f.closest("[hidden]")) continue;
      var v = f.value.trim();
      if (!v) bad(f, f, msgs.required);
      else if (f.minLength > 0 && v.length < f.minLength) bad(f, f, msgs.short);
    }
    var name = step.querySelector("#reporter_name");
    if (name && !anonymous() && !name.value.trim()) bad(name, name, msgs.required);
    var nik = step.querySelector("#reporter_nik");
    if (nik && nik.value.trim() && !/^[0-9]{16}$/.test(nik.value.trim())) bad(nik, nik, msgs.nik);
    return first;
  }

  for (var i = 0; i < steps.length; i++) {
    var nav = navTpl.content.cloneNode(true);
    var back = nav.querySelector(".back"), next = nav.querySelector(".next");
    if (i === 0) back.hidden = true;
    if (i === steps.length - 1) {
      // The last step's Lanjut is the form's own submit button.
      var submit = document.getElementById("submit");
      next.parentNode.replaceChild(submit, next);
    }
    back.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () {
      var wrong = check(steps[current]);
      if (wrong) { wrong.focus(); wrong.scrollIntoView({ block: "center" }); return; }
      show(current + 1);
    });
    steps[i].appendChild(nav);
  }
  // A flagged field is cleared of its message as soon as it is changed.
  form.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el.hasAttribute || !el.hasAttribute("data-checked-invalid")) return;
    var msg = document.getElementById((el.id || "field") + "-check");
    if (msg) msg.parentNode.removeChild(msg);
    el.removeAttribute("data-checked-invalid");
    el.removeAttribute("aria-invalid");
  });
  form.addEventListener("submit", function (ev) {
    for (var k = 0; k < steps.length; k++) {
      var wrong = check(steps[k]);
      if (wrong) { ev.preventDefault(); show(k, wrong); return; }
    }
  });
  // An error summary's link to a field on a hidden step opens that step.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.addEventListener("click", function (ev) {
      var a = ev.target.closest("a[href^='#']");
      if (!a) return;
      var target = document.getElementById(a.getAttribute("href").slice(1));
      var step = target && target.closest("fieldset.step");
      if (!step) return;
      ev.preventDefault();
      for (var k = 0; k < steps.length; k++) if (steps[k] === step) show(k, target);
    });
  }

  // --- topics: group tiles first, then the group's topics ---
  var picker = document.getElementById("category");
  if (picker && picker.classList.contains("catpicker")) {
    var groupsEl = picker.querySelectorAll(".cat-group");
    var tiles = document.createElement("div");
    tiles.className = "tiles tiles-2 group-tiles";
    var allBtn = document.createElement("button");
    allBtn.type = "button";
    allBtn.className = "big all-groups";
    allBtn.textContent = "← " + msgs.all;
    allBtn.hidden = true;
    function showGroups() {
      for (var g = 0; g < groupsEl.length; g++) if (!groupsEl[g].classList.contains("cat-single")) groupsEl[g].hidden = true;
      tiles.hidden = false;
      allBtn.hidden = true;
    }
    function openGroup(el) {
      for (var g = 0; g < groupsEl.length; g++) if (!groupsEl[g].classList.contains("cat-single")) groupsEl[g].hidden = groupsEl[g] !== el;
      tiles.hidden = true;
      allBtn.hidden = false;
      var first = el.querySelector("input");
      if (first) first.focus();
    }
    for (var g = 0; g < groupsEl.length; g++) {
      var el = groupsEl[g];
      if (el.classList.contains("cat-single")) { tiles.appendChild(el); continue; }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "tile group-tile";
      b.id = "pick-" + el.getAttribute("data-group");
      var icon = el.querySelector(".caticon");
      if (icon) b.appendChild(icon.cloneNode(true));
      var label = document.createElement("span");
      label.textContent = el.getAttribute("data-label");
      b.appendChild(label);
      b.addEventListener("click", openGroup.bind(null, el));
      tiles.appendChild(b);
    }
    picker.insertBefore(allBtn, picker.firstChild);
    picker.insertBefore(tiles, allBtn.nextSibling);
    allBtn.addEventListener("click", showGroups);
    var chosen = picker.querySelector("input:checked");
    var chosenGroup = chosen && chosen.closest(".cat-group:not(.cat-single)");
    if (chosenGroup) openGroup(chosenGroup); else showGroups();
    // Choosing a topic moves on by itself: one touch less.
    picker.addEventListener("change", function () { if (!check(steps[current])) show(current + 1); });
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
