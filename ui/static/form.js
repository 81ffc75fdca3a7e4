/* Simpul complaint form (citizen, QR, kiosk, counter). No framework; the
   form works without this script, which only helps:
   - choosing "Anonim" hides the identity fields (they are ignored anyway);
   - choosing a category shows what a report of that kind should say;
   - at the counter, Ctrl+Enter saves from the report text too. */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  if (!form) return;

  var identity = document.getElementById("identity-fields");
  function privacyChanged() {
    var anon = form.querySelector('input[name="privacy"][value="anonymous"]');
    if (identity && anon) identity.hidden = anon.checked;
  }
  form.addEventListener("change", function (ev) {
    if (ev.target.name === "privacy") privacyChanged();
    if (ev.target.name === "category") categoryChanged(ev.target);
  });
  privacyChanged();

  var catHint = document.getElementById("body-cat-hint");
  function categoryChanged(el) {
    if (!catHint) return;
    var hint = "";
    if (el.tagName === "SELECT") {
      var opt = el.options[el.selectedIndex];
      hint = opt ? opt.getAttribute("data-hint") || "" : "";
    } else if (el.checked) {
      hint = el.getAttribute("data-hint") || "";
    }
    catHint.textContent = hint;
  }

  if (form.classList.contains("clerk")) {
    form.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
  }
})();
