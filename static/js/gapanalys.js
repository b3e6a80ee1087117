// Gap analysis table: move focus sensibly when htmx swaps a row between its summary and its
// form, and show why when a request fails (htmx does not swap error responses). The texts
// come translated from the page's data attributes.
(function () {
  "use strict";
  var table = document.getElementById("gap-table");
  var error = document.getElementById("gap-error");
  if (!table) { return; }

  function showError(key) {
    if (!error) { return; }
    error.textContent = table.dataset[key] || table.dataset.msgError;
    error.hidden = false;
  }

  document.body.addEventListener("htmx:beforeRequest", function () {
    if (error) { error.hidden = true; }
  });

  // An outerHTML swap removes the element htmx:afterSwap fires on, so listen for the new
  // row instead: htmx:load fires on it once it is in the page.
  document.body.addEventListener("htmx:load", function (event) {
    var row = event.detail.elt;
    if (!row || !row.classList || !row.classList.contains("gap-row")) { return; }
    if (row.classList.contains("is-editing") || row.classList.contains("is-open")) {
      var title = row.querySelector(".gap-form-title");
      if (title) { title.focus(); }
    } else if (row.contains(document.activeElement) || document.activeElement === document.body) {
      var link = row.querySelector(".col-actions a");
      if (link) { link.focus(); }
    }
  });

  // A long analysis (300 rows): jump to the next row nobody has assessed yet, after the row
  // that has focus or the one at the top of the window; from the last it starts over.
  function nextUnassessed() {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.is-unassessed"));
    if (!rows.length) { return null; }
    var current = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("tr.gap-row");
    for (var i = 0; i < rows.length; i++) {
      var after = current ? (current.compareDocumentPosition(rows[i]) & Node.DOCUMENT_POSITION_FOLLOWING)
        : rows[i].getBoundingClientRect().top > 80;
      if (after) { return rows[i]; }
    }
    return rows[0];
  }
  function showJump() {
    var button = document.getElementById("gap-next-unassessed");
    if (!button) { return; }
    button.hidden = !table.querySelector("tr.is-unassessed");
    button.onclick = function () {
      var row = nextUnassessed();
      if (!row) { return; }
      row.scrollIntoView({block: "center"});
      var link = row.querySelector(".col-actions a");
      if (link) { link.focus({preventScroll: true}); }
    };
  }
  showJump();
  document.body.addEventListener("htmx:afterSettle", showJump);

  document.body.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr.status;
    showError(code === 403 ? "msg403" : code === 404 ? "msg404" : "msgError");
  });

  document.body.addEventListener("htmx:sendError", function () {
    showError("msgOffline");
  });
})();
