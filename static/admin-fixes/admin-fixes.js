// Django's admin, as the product serves it: the search-as-you-type boxes (select2) get the
// name of the field they stand for, from the field's own <label> (WCAG 4.1.2, axe
// aria-input-field-name). They are built when the page is ready and when an inline row is
// added, so both are watched.
(function () {
  "use strict";

  function nameSearchBoxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) return;
      if (!label.id) label.id = select.id + "_label";
      var combobox = box.querySelector('[role="combobox"]');
      var rendered = box.querySelector(".select2-selection__rendered");
      if (combobox && rendered) {
        if (!rendered.id) rendered.id = select.id + "_rendered";
        combobox.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        rendered.setAttribute("aria-labelledby", label.id);
        // An open combobox names the list it controls (select2 sets only aria-owns).
        var owns = combobox.getAttribute("aria-owns");
        if (owns) combobox.setAttribute("aria-controls", owns);
        else combobox.removeAttribute("aria-controls");
        if (combobox.getAttribute("aria-expanded") === "true") {
          // The open list's search field is the same field: give it the same name.
          document.querySelectorAll(".select2-container--open .select2-search__field")
            .forEach(function (search) { search.setAttribute("aria-labelledby", label.id); });
        }
      }
    });
  }

  function nameAll() { nameSearchBoxes(document); }

  // select2 builds its boxes on jQuery's ready (which may come after the page's load), for each
  // inline row added, and again when a value is chosen: name them whenever a box appears.
  function watch() {
    nameAll();
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i++) {
        var added = mutations[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var node = added[j];
          if (node.nodeType === 1 && (node.matches(".select2-container, .select2-container *") ||
                                      node.querySelector(".select2-container"))) {
            nameAll();
            return;
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
