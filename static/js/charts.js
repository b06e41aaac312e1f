/* Draws every plotly figure on the page. No inline scripts (CSP). A chart element names its
   figure in one of three ways:
     data-figure-json="{...}"      the figure itself (what htmx keeps when it swaps a part in:
                                   it drops every <script>, JSON ones included);
     data-figure-source="<id>"     an element whose data-figure-json holds it (a carrier that
                                   htmx swaps out of band, so the chart itself stays and
                                   Plotly.react updates it in place);
     data-figure="<id>"            a <script type="application/json"> on a page never swapped.
   Redraws after every htmx swap, only what changed. */
(function () {
  "use strict";

  function figureOf(target) {
    var text = null;
    if (target.dataset.figureJson) {
      text = target.dataset.figureJson;
    } else if (target.dataset.figureSource) {
      var carrier = document.getElementById(target.dataset.figureSource);
      text = carrier && carrier.dataset.figureJson;
    } else if (target.dataset.figure) {
      var script = document.getElementById(target.dataset.figure);
      text = script && script.textContent;
    }
    return text || null;
  }

  function draw(target) {
    var text = figureOf(target);
    if (!text || target.dataset.drawn === text) return; // unchanged: nothing to do
    var figure = JSON.parse(text);
    var config = Object.assign({}, figure.config || {});
    var lang = document.documentElement.lang;
    if (lang && lang !== "en" && !config.locale) config.locale = lang;
    window.Plotly.react(target, figure.data, figure.layout, config);
    target.dataset.drawn = text;
    target.dataset.series = figure.data.map(function (trace) { return trace.meta; }).join(",");
  }

  function drawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-figure-json], [data-figure-source], [data-figure]").forEach(
      function (target) {
        // A carrier (hidden, holding a figure for another element) is not a chart itself.
        if (target.hasAttribute("data-figure-carrier")) return;
        draw(target);
      }
    );
  }

  // A select with data-chart="<target id>" switches the figure that target shows.
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-chart]");
    if (!select) return;
    var target = document.getElementById(select.dataset.chart);
    if (!target) return;
    target.dataset.figure = select.value;
    delete target.dataset.drawn;
    window.Plotly.purge(target);
    drawAll();
  });

  window.dvoCharts = { drawAll: drawAll };
  document.body.addEventListener("htmx:afterSettle", drawAll);
  document.body.addEventListener("htmx:oobAfterSwap", drawAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
