// Renders the dashboard's charts from JSON data blocks (<script type="application/json">), so the
// Content-Security-Policy needs no inline script. Each <div data-chart="ID"> names its data block.
(function () {
  "use strict";
  function render(root) {
    if (!window.Plotly) {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-chart"));
      if (!block) {
        return;
      }
      var fig = JSON.parse(block.textContent);
      // No mode bar: its per-chart styles would be injected as <style> elements, which the CSP blocks; every
      // chart has its table and CSV/XLSX downloads instead.
      window.Plotly.newPlot(el, fig.data || [], fig.layout || {}, { responsive: true, displayModeBar: false });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    render(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    render(event.target);
  });
})();
