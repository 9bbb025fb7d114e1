// Jobbtorg's few behaviours, kept in a static file so that the Content-Security-Policy needs no inline
// script (docs/security.md). Event delegation: rows swapped in by HTMX work too.
(function () {
  "use strict";
  // <select data-autosubmit>: send the form when the choice changes (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // <button data-remove-row data-focus="id">: remove the surrounding fieldset in the browser, tell HTMX the
  // form changed, and move the focus to the element named by data-focus (without JS the button posts).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-remove-row]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var form = button.form;
    var focus = document.getElementById(button.getAttribute("data-focus") || "");
    var row = button.closest("fieldset");
    if (row) {
      row.remove();
    }
    if (form && window.htmx) {
      window.htmx.trigger(form, "change");
    }
    if (focus) {
      focus.focus();
    }
  });
  // Every table scrolls inside its own region, never the page (reflow at 390 px, WCAG 1.4.10): wrap it in
  // a focusable region (keyboard users can scroll it) named after the table's caption or nearest heading.
  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".table-scroll")) {
        return;
      }
      var wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      var heading = null;
      for (var node = table.previousElementSibling; node && !heading; node = node.previousElementSibling) {
        if (/^H[1-6]$/.test(node.tagName)) {
          heading = node;
        }
      }
      if (!heading && table.closest("section")) {
        heading = table.closest("section").querySelector("h1, h2, h3");
      }
      var label = (caption || heading || {}).textContent || document.title;
      wrapper.setAttribute("aria-label", label.trim());
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wrapTables(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    wrapTables(event.detail.target.parentNode || document);
  });
  // <button data-print>: open the browser's print dialogue (the printable plan).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("button[data-print]")) {
      window.print();
    }
  });
  // <button hx-get=… data-row-count="#rows">: send the number of the new row (rows present + 1).
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    var selector = source && source.getAttribute && source.getAttribute("data-row-count");
    if (selector) {
      event.detail.parameters.number = document.querySelectorAll(selector + " > fieldset").length + 1;
    }
  });
})();
