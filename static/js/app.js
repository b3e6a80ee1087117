// Session timeout warning (WCAG 2.2.1): two minutes before the idle logout the user is told
// and can stay logged in. No inline scripts: the settings come from data attributes on <body>.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout || "0", 10);
  if (!timeout) { return; }
  var warnBefore = Math.min(120, Math.floor(timeout / 2));
  var dialog = document.getElementById("timeout-warning");
  var button = document.getElementById("timeout-extend");
  var warnTimer, logoutTimer, previousFocus;

  function csrfToken() {
    var headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(logoutTimer);
    warnTimer = setTimeout(showWarning, (timeout - warnBefore) * 1000);
    logoutTimer = setTimeout(function () { window.location.href = body.dataset.logoutUrl; }, timeout * 1000);
  }
  function showWarning() {
    previousFocus = document.activeElement;
    dialog.hidden = false;
    button.focus();
  }
  function extend() {
    fetch(body.dataset.extendUrl, {method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken()}}).then(function (response) {
      if (response.ok) {
        dialog.hidden = true;
        if (previousFocus && previousFocus.focus) { previousFocus.focus(); }
        schedule();
      } else {
        window.location.href = body.dataset.logoutUrl;
      }
    });
  }
  button.addEventListener("click", extend);
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { extend(); }
    // A modal dialog keeps the focus: its one button is the only place Tab can go.
    if (event.key === "Tab") { event.preventDefault(); button.focus(); }
  });
  // Page loads and htmx requests both touch the session on the server.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
