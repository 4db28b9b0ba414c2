/* roadcarbon manufacturer planner: loads a bundled lineup when one is chosen, and draws the Pareto
   front (profit against life-cycle emissions) from <script type="application/json" data-plan-for="ID">. */
(function () {
  "use strict";
  var locale = document.body.getAttribute("data-locale") || "en";
  var fmt0 = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var charts = {};

  function option(d) {
    var series = [{ type: "line", data: d.points, showSymbol: true, symbolSize: 8, itemStyle: { color: "#1b6ca8" },
                    lineStyle: { width: 3, color: "#1b6ca8" } }];
    if (d.optimum) {
      series.push({ name: d.optimumLabel, type: "scatter", data: [d.optimum], symbolSize: 14,
                    itemStyle: { color: "#e07b39" } });
    }
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        return fmt0.format(p.value[0]) + " t CO2e · " + fmt0.format(p.value[1]) + " " + d.currency;
      } },
      grid: { top: 30, left: 70, right: 30, bottom: 50, containLabel: true },
      xAxis: { type: "value", name: d.xName, nameLocation: "middle", nameGap: 30, scale: true,
               axisLabel: { formatter: function (v) { return fmt0.format(v); } } },
      yAxis: { type: "value", name: d.yName, scale: true,
               axisLabel: { formatter: function (v) { return fmt0.format(v); } } },
      series: series
    };
  }

  function draw(root) {  // app.js's drawing loop (loaded after this file, defined before DOMContentLoaded)
    window.roadcarbonDrawCharts(root, "data-plan-for", charts, option);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var preset = document.getElementById("plan-preset");
    if (preset) {
      preset.addEventListener("change", function () { if (preset.value) { preset.form.submit(); } });
    }
    draw(document);
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { try { charts[k].resize(); } catch (e) { /* redrawn on next swap */ } });
  });
  document.addEventListener("htmx:afterSettle", function (ev) { draw(ev.detail.elt || document); });
})();
