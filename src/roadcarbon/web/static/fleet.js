/* roadcarbon policy lab: draws the fleet charts (lines by powertrain, waterfall, uncertainty bands)
   from the JSON blocks <script type="application/json" data-fleet-for="ID"> next to them. No build step. */
(function () {
  "use strict";
  var locale = document.body.getAttribute("data-locale") || "en";
  var fmt = function (digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  };
  var fmt0 = fmt(0), fmt2 = fmt(2);
  var palette = ["#1b6ca8", "#e07b39", "#3a9d5d", "#b8433a", "#7a5ea8", "#8c6d46", "#4c9fb5"];
  var charts = {};

  function valueAxis(unit, digits) {
    var f = digits ? fmt2 : fmt0;
    return { type: "value", name: unit, axisLabel: { formatter: function (v) { return f.format(v); } } };
  }

  var builders = {
    lines: function (d) {
      var colourOf = {};
      var series = d.series.map(function (s) {
        var key = s.name.split(" · ")[0];
        if (!(key in colourOf)) { colourOf[key] = palette[Object.keys(colourOf).length % palette.length]; }
        return { name: s.name, type: "line", showSymbol: false, data: s.data,
                 lineStyle: { type: s.dashed ? "dashed" : "solid", width: s.dashed ? 1.5 : 2.5 },
                 itemStyle: { color: colourOf[key] } };
      });
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt0.format(v); } },
        legend: { top: 0, type: "scroll" }, grid: { top: 50, left: 60, right: 20, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: d.x }, yAxis: valueAxis(d.unit, false), series: series
      };
    },
    waterfall: function (d) {
      var base = [], up = [], down = [], totals = [], names = [], running = 0;
      d.steps.forEach(function (s) {
        names.push(s.label);
        if (s.kind === "total") {
          running = s.value; base.push(0); up.push(null); down.push(null); totals.push(s.value);
        } else {
          var next = running + s.value;
          base.push(Math.min(running, next));
          up.push(s.value > 0 ? s.value : null);
          down.push(s.value < 0 ? -s.value : null);
          totals.push(null);
          running = next;
        }
      });
      return {
        tooltip: { trigger: "axis", formatter: function (ps) {
          var i = ps[0].dataIndex, s = d.steps[i];
          return s.label + ": " + (s.kind === "change" && s.value > 0 ? "+" : "") + fmt2.format(s.value) + " " + d.unit;
        } },
        grid: { top: 30, left: 60, right: 20, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0 } }, yAxis: valueAxis(d.unit, false),
        series: [
          { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, silent: true },
          { name: "+", type: "bar", stack: "w", data: up, itemStyle: { color: "#b8433a" } },
          { name: "−", type: "bar", stack: "w", data: down, itemStyle: { color: "#3a9d5d" } },
          { name: "total", type: "bar", stack: "w", data: totals, itemStyle: { color: "#1b6ca8" } }
        ]
      };
    },
    bands: function (d) {
      var series = [];
      d.series.forEach(function (s, k) {
        var colour = palette[k % palette.length];
        if (s.band) {
          series.push({ name: s.name + " " + d.bandLabel, type: "line", stack: "band" + k, data: s.band.p05,
                        lineStyle: { opacity: 0 }, showSymbol: false, silent: true, tooltip: { show: false } });
          series.push({ name: s.name + " " + d.bandLabel, type: "line", stack: "band" + k, showSymbol: false, silent: true,
                        data: s.band.p95.map(function (v, i) { return v - s.band.p05[i]; }),
                        lineStyle: { opacity: 0 }, areaStyle: { color: colour, opacity: 0.25 }, tooltip: { show: false } });
        }
        series.push({ name: s.name, type: "line", data: s.central, showSymbol: false, itemStyle: { color: colour },
                      lineStyle: { width: 2.5 } });
      });
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : fmt2.format(v) + " " + d.unit; } },
        legend: { top: 0, type: "scroll" }, grid: { top: 50, left: 60, right: 20, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: d.x, boundaryGap: false }, yAxis: valueAxis(d.unit, true), series: series
      };
    }
  };

  function draw(root) {  // app.js's drawing loop (loaded after this file, defined before DOMContentLoaded)
    window.roadcarbonDrawCharts(root, "data-fleet-for", charts, function (d) { return builders[d.kind](d); });
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { try { charts[k].resize(); } catch (e) { /* redrawn on next swap */ } });
  });
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (ev) { draw(ev.detail.elt || document); });
  window.roadcarbonFleetCharts = charts;
})();
