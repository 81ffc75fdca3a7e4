/* Simpul staff desk: choosing a canned response writes its text into the
   follow-up box (to be read and adapted before sending) instead of adding
   it unseen on send. Without this script the server still puts the
   canned text first. */
(function () {
  "use strict";
  var canned = document.getElementById("canned");
  var note = document.getElementById("fu-note");
  if (!canned || !note) return;
  canned.addEventListener("change", function () {
    var opt = canned.options[canned.selectedIndex];
    var text = opt ? opt.getAttribute("data-text") || "" : "";
    if (!text) return;
    note.value = note.value.trim() ? text + "\n\n" + note.value : text;
    canned.value = ""; // already in the box: the server must not add it again
    note.focus();
  });
})();
