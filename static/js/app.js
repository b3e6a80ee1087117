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

// Where the eye and the screen reader should start after a page load (issue 18): the error
// summary if the form has errors, else a step that asks for review or confirmation
// ([data-focus], e.g. the confirmation step's heading), else the result message. Without one of
// those, focus stays at the top as usual.
(function () {
  "use strict";
  var target = document.querySelector("[data-error-summary]") ||
    document.querySelector("[data-focus]") ||
    document.querySelector(".messages");
  if (!target) { return; }
  if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
  target.focus({preventScroll: false});
  // Going to a #fragment after the load resets the focus; take it back if nothing else has it.
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (document.activeElement === document.body) { target.focus(); }
    }, 0);
  });
  // The summary's links move focus into the field itself, not just scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
  });
})();

// Tables: a table wider than its box scrolls inside a named region the keyboard can reach
// (WCAG 2.1.1, axe "scrollable-region-focusable"), and when narrow screens stack the cells
// every cell keeps its column heading (data-label, shown by app.css).
(function () {
  "use strict";
  function nameOf(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var section = box.closest("section[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (heading) { return heading.textContent.trim(); }
    var h1 = document.querySelector("h1");
    return h1 ? h1.textContent.trim() : "";
  }
  function label(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) { return; }
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[col]) {
          cell.setAttribute("data-label", names[col]);
        }
        col += parseInt(cell.getAttribute("colspan") || "1", 10);
      });
    });
  }
  function mark() {
    document.querySelectorAll(".table-wrap, .chart, .table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", nameOf(box) + " (rulla i sidled)");
        }
        box.classList.add("table-scroll");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  document.querySelectorAll(".table-wrap table").forEach(label);
  mark();
  window.addEventListener("resize", mark);
  document.body.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll(".table-wrap table").forEach(label);
    mark();
  });
})();
