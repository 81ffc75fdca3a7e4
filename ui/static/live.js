/* Simpul staff desk, live: a new report appears in the queue without a
   reload. The desk subscribes to PocketBase's realtime stream of the
   complaints it may see (only their id and tracking code come through);
   on a new one it fetches this same page again and swaps in the fresh
   queue, and a polite live region says that a report arrived. A change
   to one (a move made elsewhere, a case a sync pass routed here or moved)
   refreshes the queue without a word. The focus
   stays where it was unless it was inside the replaced queue. Without
   this script (or EventSource) the desk works as before: reload to see
   new reports. */
(function () {
  "use strict";
  var box = document.getElementById("queue-box");
  var status = document.getElementById("live-status");
  if (!box || !status || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var topic = "complaints?options=" + encodeURIComponent(JSON.stringify({ query: { fields: "id,tracking_code" } }));
  var busy = false, again = false, last = "", say = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("queue-box");
        if (!fresh) return;
        var hadFocus = box.contains(document.activeElement);
        box.innerHTML = fresh.innerHTML;
        if (hadFocus) box.setAttribute("tabindex", "-1"), box.focus();
        if (!say) return;
        say = false;
        var msg = status.getAttribute("data-new") || "";
        status.textContent = msg.replace("%s", last);
      })
      .catch(function () { /* the next report tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var es = new EventSource("/api/realtime");
  es.addEventListener("PB_CONNECT", function (ev) {
    var id = "";
    try { id = JSON.parse(ev.data).clientId; } catch (e) { return; }
    fetch("/api/realtime", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ clientId: id, subscriptions: [topic] })
    }).then(function (r) {
      if (r.ok) document.body.setAttribute("data-live", "1");
    });
  });
  es.addEventListener(topic, function (ev) {
    var msg = {};
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    if (msg.action === "create") {
      last = (msg.record && msg.record.tracking_code) || "";
      say = true;
    } else if (msg.action !== "update") {
      return;
    }
    refresh();
  });
})();
