/* Draws every plotly figure on the page: an element with data-figure="<id>" shows the figure
   held by the element of that id, a JSON script or, in parts that htmx swaps (it drops every
   <script> there, JSON ones too), an element with the JSON in data-json. Redraws after htmx
   swaps. No inline scripts (CSP). */
(function () {
  "use strict";

  // plotly's texts and number format (decimal comma in Dutch) follow the language of the part
  // the chart is in: the report body has its own, else the page's. The bundle carries "nl".
  function localeOf(target) {
    var part = target.closest("[lang]");
    return (part && part.lang) || document.documentElement.lang || "en";
  }

  function figureOf(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source) return null;
    return JSON.parse(source.dataset.json || source.textContent);
  }

  function drawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure]").forEach(function (target) {
      var figure = figureOf(target);
      if (!figure) return;
      var config = Object.assign({ locale: localeOf(target) }, figure.config);
      window.Plotly.react(target, figure.data, figure.layout, config);
      target.dataset.series = figure.data.map(function (trace) { return trace.meta; }).join(",");
    });
  }

  // Once per swap, however many parts it brought, and before the browser paints: a chart that
  // htmx replaced (the workshop's votes, every two seconds) never shows empty.
  var drawing = false;
  function drawSoon() {
    if (drawing) return;
    drawing = true;
    window.queueMicrotask(function () {
      drawing = false;
      drawAll();
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

  // A chart htmx takes away lets go of what plotly keeps for it (its window resize listener).
  document.body.addEventListener("htmx:beforeCleanupElement", function (event) {
    if (window.Plotly && event.target.classList.contains("js-plotly-plot")) {
      window.Plotly.purge(event.target);
    }
  });
  document.body.addEventListener("htmx:afterSwap", drawSoon);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
