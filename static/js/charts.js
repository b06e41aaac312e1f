/* Draws every plotly figure on the page: an element with data-figure="<id of a JSON script>".
   Redraws after htmx swaps (the JSON arrives out of band). No inline scripts (CSP). */
(function () {
  "use strict";

  // plotly's texts and number format (decimal comma in Dutch) follow the language of the part
  // the chart is in: the report body has its own, else the page's. The bundle carries "nl".
  function localeOf(target) {
    var part = target.closest("[lang]");
    return (part && part.lang) || document.documentElement.lang || "en";
  }

  function drawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure]").forEach(function (target) {
      var source = document.getElementById(target.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ locale: localeOf(target) }, figure.config);
      window.Plotly.react(target, figure.data, figure.layout, config);
      target.dataset.series = figure.data.map(function (trace) { return trace.meta; }).join(",");
    });
  }

  // A select with data-chart="<target id>" switches the figure that target shows.
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-chart]");
    if (!select) return;
    var target = document.getElementById(select.dataset.chart);
    if (!target) return;
    target.dataset.figure = select.value;
    window.Plotly.purge(target);
    drawAll();
  });

  document.body.addEventListener("htmx:afterSettle", drawAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
