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

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.id || target.id.indexOf("rad-") !== 0) { return; }
    // The row was replaced (outerHTML): look the new element up by its id.
    var row = document.getElementById(target.id);
    if (!row) { return; }
    if (row.classList.contains("is-editing") || row.classList.contains("is-open")) {
      var title = row.querySelector(".gap-form-title");
      if (title) { title.focus(); }
    } else {
      var link = row.querySelector(".col-actions a, .col-actions button");
      if (link) { link.focus(); }
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr.status;
    showError(code === 403 ? "msg403" : code === 404 ? "msg404" : "msgError");
  });

  document.body.addEventListener("htmx:sendError", function () {
    showError("msgOffline");
  });
})();
