/* Draws every plotly figure on the page: an element with data-figure="<id>" shows the figure
   held by the element of that id, a JSON script or, in parts that htmx swaps (it drops every
   <script> there, JSON ones too), an element with the JSON in data-json (a hidden carrier that
   an answer swaps out of band, so the chart itself stays and Plotly.react updates it in
   place). Redraws after htmx swaps, only what changed. No inline scripts (CSP). */
(function () {
  "use strict";

  // plotly's texts and number format (decimal comma in Dutch) follow the language of the part
  // the chart is in: the report body has its own, else the page's. The bundle carries "nl".
  function localeOf(target) {
    var part = target.closest("[lang]");
    return (part && part.lang) || document.documentElement.lang || "en";
  }

  function sourceOf(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source) return null;
    return source.dataset.json || source.textContent;
  }

  function draw(target, force) {
    var text = sourceOf(target);
    if (!text) return;
    // Unchanged since the last drawing (another part of the page was swapped): keep it.
    if (!force && target.dataset.drawn === text && target.classList.contains("js-plotly-plot")) {
      return;
    }
    var figure = JSON.parse(text);
    var config = Object.assign({ locale: localeOf(target) }, figure.config);
    window.Plotly.react(target, figure.data, figure.layout, config);
    target.dataset.drawn = text;
    target.dataset.series = figure.data.map(function (trace) { return trace.meta; }).join(",");
  }

  function drawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure]").forEach(function (target) { draw(target); });
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
    draw(target, true);
  });

  // A chart htmx takes away lets go of what plotly keeps for it (its window resize listener).
  // An inner swap cleans up text nodes too (the grid's row forms): they have no classList.
  document.body.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = (event.detail && event.detail.elt) || event.target;
    if (window.Plotly && element && element.classList && element.classList.contains("js-plotly-plot")) {
      window.Plotly.purge(element);
    }
  });
  // On paper a chart is at most as wide as a sheet holds (A4 within the print margins of
  // portal.css): a chart drawn for a wide screen would be cut off or shrink everything. The
  // browser fires beforeprint before it lays the page out for printing; plotly draws these
  // charts synchronously, so the printout has them at the new width. Afterwards they follow the
  // screen again.
  var PRINT_WIDTH = 680;
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (target) {
      if (target.offsetWidth <= PRINT_WIDTH) return;
      target.dataset.printed = "true";
      window.Plotly.relayout(target, { width: PRINT_WIDTH });
    });
  });
  window.addEventListener("afterprint", function () {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot[data-printed]").forEach(function (target) {
      delete target.dataset.printed;
      window.Plotly.relayout(target, { width: null, autosize: true });
    });
  });
  document.body.addEventListener("htmx:afterSwap", drawSoon);
  document.body.addEventListener("htmx:oobAfterSwap", drawSoon);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
