/* roadcarbon fleet compliance page: draws each scheme's chart from the JSON block next to it
   (<script type="application/json" data-fleet-compliance-for="ID">) with app.js's drawing loop, and
   fills the sales mix and the year with a scheme's example when the user has not edited them. */
(function () {
  "use strict";
  var locale = document.body.getAttribute("data-locale") || "en";
  var nf = function (digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  };
  var fmt0 = nf(0), fmt2 = nf(2);
  // Okabe & Ito (2008): told apart with every common colour-vision deficiency (as app.js).
  var palette = ["#0072b2", "#e69f00", "#009e73", "#000000", "#cc79a7", "#d55e00", "#56b4e9"];
  var charts = {};
  var esc = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  };

  function valueAxis(unit) {
    return { type: "value", name: unit, nameTextStyle: { color: "#333" }, scale: false,
             axisLabel: { formatter: function (v) { return fmt2.format(v); } } };
  }
  function categoryAxis(names) {
    return { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 4 || (names.length > 2 && window.innerWidth < 600) ? 30 : 0, width: 110, overflow: "truncate" } };
  }

  var builders = {
    // each model's value against the fleet target and average; marker area grows with sales
    models: function (d) {
      var most = Math.max.apply(null, d.sales.map(function (s) { return s || 0; }).concat([1]));
      var size = function (s) { return 8 + 32 * Math.sqrt((s || 0) / most); };
      return {
        color: palette,
        tooltip: { trigger: "item", formatter: function (p) {
          var i = p.dataIndex;
          return esc(d.names[i]) + "<br>" + esc(d.labels.sales) + ": " + esc(fmt0.format(d.sales[i] || 0)) +
                 "<br>" + esc(fmt2.format(d.metric[i])) + " " + esc(d.unit) +
                 (d.vehicleTarget[i] == null ? "" : "<br>" + esc(d.labels.vehicleTarget) + ": " + esc(fmt2.format(d.vehicleTarget[i])));
        } },
        legend: { top: 0, type: "plain" },
        grid: { top: 50, left: 50, right: 20, bottom: 20, containLabel: true },
        xAxis: categoryAxis(d.names), yAxis: valueAxis(d.unit),
        series: [
          { name: d.labels.metric, type: "scatter", data: d.metric, symbolSize: function (v, p) { return size(d.sales[p.dataIndex]); },
            itemStyle: { color: palette[0], opacity: 0.8 },
            markLine: { symbol: "none", silent: true, data: [
              { name: d.labels.target, yAxis: d.target, lineStyle: { color: palette[5], width: 2, type: "solid" },
                label: { formatter: d.labels.target + " " + fmt2.format(d.target), position: "insideEndTop" } },
              { name: d.labels.average, yAxis: d.average, lineStyle: { color: palette[3], width: 2, type: "dashed" },
                label: { formatter: d.labels.average + " " + fmt2.format(d.average), position: "insideStartTop" } }
            ] } },
          { name: d.labels.vehicleTarget, type: "scatter", data: d.vehicleTarget, symbol: "rect", symbolSize: [18, 3],
            itemStyle: { color: palette[5] } }
        ]
      };
    },
    balance: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : fmt2.format(v) + " " + d.unit; } },
        grid: { top: 30, left: 50, right: 20, bottom: 20, containLabel: true },
        xAxis: categoryAxis(d.categories), yAxis: valueAxis(d.unit),
        series: [{ type: "bar", barWidth: "45%", data: d.values.map(function (v, i) {
          return { value: v, itemStyle: { color: i === 0 ? palette[5] : palette[0] } };
        }), label: { show: true, position: "top", formatter: function (p) { return fmt0.format(p.value); } } }]
      };
    },
    shares: function (d) {
      return {
        color: palette,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : fmt2.format(v) + " %"; } },
        grid: { top: 30, left: 50, right: 20, bottom: 20, containLabel: true },
        xAxis: categoryAxis(d.categories), yAxis: valueAxis("%"),
        series: [{ name: d.label, type: "bar", barWidth: "45%", data: d.values,
                   label: { show: true, position: "top", formatter: function (p) { return fmt0.format(p.value) + " %"; } } }]
      };
    }
  };

  function draw(root) {  // app.js's drawing loop (defined before DOMContentLoaded)
    if (!window.roadcarbonDrawCharts) { return; }
    window.roadcarbonDrawCharts(root, "data-fleet-compliance-for", charts, function (d) {
      return builders[d.kind] ? builders[d.kind](d) : {};
    });
  }

  // A scheme's example and year: replace the sales mix only when it is still one of the examples
  // (an edited mix is never overwritten), the year only when the user has not typed one.
  function examples() {
    var node = document.getElementById("fleet-examples");
    return node ? JSON.parse(node.textContent) : null;
  }
  function isExample(text, all) {
    var clean = function (t) { return String(t || "").replace(/\r\n/g, "\n").trim(); };
    return Object.keys(all.examples).some(function (k) { return clean(all.examples[k]) === clean(text); });
  }
  function applyExample(force) {
    var all = examples(), scheme = document.getElementById("scheme");
    var text = document.getElementById("fleet"), year = document.getElementById("year");
    if (!all || !scheme || !text) { return; }
    var d = all.defaults[scheme.value];
    if (!d) { return; }
    if (force || isExample(text.value, all)) { text.value = all.examples[d.example]; }
    if (year && (force || year.getAttribute("data-touched") !== "1")) { year.value = d.year; }
  }

  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.id === "scheme") { applyExample(false); }
  });
  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.id === "year") { ev.target.setAttribute("data-touched", "1"); }
  });
  document.addEventListener("click", function (ev) {
    if (ev.target && ev.target.id === "load-example") { applyExample(true); }
  });
  // A sales mix over the server's limit is refused here, in the page's language, before it is sent.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var form = ev.detail.elt;
    if (!form || form.id !== "fleet-compliance-form") { return; }
    var limit = Number(form.getAttribute("data-max-bytes")) || 0;
    var file = document.getElementById("file"), text = document.getElementById("fleet");
    var size = file && file.files && file.files.length ? file.files[0].size
             : new Blob([text ? text.value : ""]).size;
    if (limit && size > limit) {
      ev.preventDefault();
      var box = document.getElementById("results"), p = document.createElement("p");
      p.className = "alert error"; p.setAttribute("role", "alert"); p.id = "fleet-error";
      p.setAttribute("data-field", file && file.files && file.files.length ? "file" : "fleet");
      p.textContent = form.getAttribute("data-too-large");
      box.replaceChildren(p);
    }
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { try { charts[k].resize(); } catch (e) { /* redrawn on next swap */ } });
  });
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (ev) { draw(ev.detail.elt || document); });
  window.roadcarbonFleetComplianceCharts = charts;
})();
