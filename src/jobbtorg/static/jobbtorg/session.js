// The session's idle timeout, shown before it happens: two minutes before, a warning with a button that keeps
// the session (POST to the keepalive view); at the end the page reloads and the server asks to sign in
// again (jobbtorg.identity.middleware). Any HTMX request counts as activity, as on the server.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) return;
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warnBefore = Math.min(120000, idle / 2);
  var warnTimer, endTimer;

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function schedule(ms) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = setTimeout(function () { box.hidden = false; }, Math.max(0, ms - warnBefore));
    endTimer = setTimeout(function () { window.location.reload(); }, ms + 1000);
  }

  document.getElementById("session-keepalive").addEventListener("click", function () {
    fetch(box.dataset.keepalive, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (data) { schedule(data.seconds_left * 1000); })
      .catch(function () { window.location.reload(); });
  });
  document.body.addEventListener("htmx:afterRequest", function () { schedule(idle); });
  schedule(idle);
})();
