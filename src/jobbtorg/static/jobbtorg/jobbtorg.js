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
