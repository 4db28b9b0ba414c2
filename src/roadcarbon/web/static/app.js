/* roadcarbon dashboard: draws the charts from the JSON blocks the server renders next to them,
   re-draws them after an htmx swap, and offers each chart as a PNG.  No build step. */
(function () {
  "use strict";
  var locale = document.body.getAttribute("data-locale") || "en";
  var nf = function (digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  };
  var fmt1 = nf(1), fmt0 = nf(0);
  // Okabe & Ito (2008) "Color Universal Design": told apart with every common colour-vision deficiency.
  var palette = ["#0072b2", "#e69f00", "#009e73", "#000000", "#cc79a7", "#d55e00", "#56b4e9"];
  var charts = {};
  // Everything that reaches a tooltip's HTML goes through esc(): vehicle names come from URLs people share.
  var esc = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"'`=\/]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  };
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function axisValue(unit) {
    return { type: "value", name: unit, nameTextStyle: { color: "#333" }, axisLabel: { formatter: function (v) { return fmt0.format(v); } } };
  }
  function tooltip(unit, digits) {
    var f = digits === 0 ? fmt0 : fmt1;
    return { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : f.format(v) + " " + unit; } };
  }

  // Legends wrap onto as many lines as they need (ECharts' "plain" legend) instead of paging ("scroll"
  // hides series behind arrows); the plot starts below the last legend line.  Widths are estimated from
  // the text (canvas measureText, the font ECharts uses), so the grid's top follows the real line count.
  var measure = document.createElement("canvas").getContext("2d");
  function legendLayout(names, width) {
    measure.font = "12px sans-serif";
    var lines = 1, used = 0, avail = Math.max(120, width - 20);
    names.forEach(function (n) {
      var w = 25 + 5 + measure.measureText(String(n)).width + 10;  // icon, gap, text, item gap
      if (used > 0 && used + w > avail) { lines += 1; used = 0; }
      used += w;
    });
    return { legend: { type: "plain", top: 0, left: 10, right: 10, itemGap: 10 }, top: 24 * lines + 26, lines: lines };
  }

  var builders = {
    stacked: function (d, el) {
      var lay = legendLayout(d.series.map(function (s) { return s.name; }), el ? el.clientWidth : 600);
      return {
        color: palette, tooltip: tooltip(d.unit, 1), legend: lay.legend,
        grid: { top: lay.top, left: 60, right: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, width: 140, overflow: "break" } },
        yAxis: axisValue(d.unit),
        series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data, emphasis: { focus: "series" } }; })
      };
    },
    lines: function (d, el) {
      var lay = legendLayout(d.series.map(function (s) { return s.name; }), el ? el.clientWidth : 600);
      var series = d.series.map(function (s) {
        return { name: s.name, type: "line", showSymbol: false, connectNulls: false,
                 data: d.x.map(function (x, i) { return [x, s.data[i]]; }) };
      });
      if (d.marks && d.marks.length) {
        series.push({ name: "break-even", type: "scatter", symbolSize: 14, itemStyle: { color: "#000" },
          label: { show: true, position: "top", formatter: function (p) { return fmt0.format(p.value[0]) + " km"; } },
          tooltip: { trigger: "item", formatter: function (p) { return esc(p.data.name) + ": " + esc(fmt0.format(p.value[0])) + " km, " + esc(fmt1.format(p.value[1])) + " t CO2e"; } },
          data: d.marks.map(function (m) { return { name: m.label, value: [m.km, m.t] }; }) });
      }
      return {
        color: palette, tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : fmt1.format(v) + " " + d.unit; } },
        legend: Object.assign(lay.legend, { data: d.series.map(function (s) { return s.name; }) }),
        grid: { top: lay.top, left: 60, right: 30, bottom: 50, containLabel: true },
        xAxis: { type: "value", name: d.xname, nameLocation: "middle", nameGap: 30, axisLabel: { formatter: function (v) { return fmt0.format(v); } } },
        yAxis: axisValue(d.unit), series: series
      };
    },
    range: function (d) {
      var low = d.p05, width = d.p95.map(function (v, i) { return v - d.p05[i]; });
      return {
        tooltip: { trigger: "axis", formatter: function (ps) {
          var i = ps[0].dataIndex;
          return esc(d.categories[i]) + "<br>" + esc(d.labels[0]) + ": " + esc(fmt1.format(d.p05[i])) + "<br>" + esc(d.labels[1]) + ": " + esc(fmt1.format(d.p50[i])) + "<br>" + esc(d.labels[2]) + ": " + esc(fmt1.format(d.p95[i])) + " " + esc(d.unit);
        } },
        grid: { top: 30, left: 60, right: 20, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, width: 140, overflow: "break" } },
        yAxis: axisValue(d.unit),
        series: [
          { type: "bar", stack: "band", data: low, itemStyle: { color: "transparent" }, silent: true },
          { name: d.labels[0] + " – " + d.labels[2], type: "bar", stack: "band", data: width, barWidth: "40%", itemStyle: { color: "#9ecae1" } },
          { name: d.labels[1], type: "scatter", data: d.p50, symbol: "rect", symbolSize: [60, 4], itemStyle: { color: "#08306b" } }
        ]
      };
    },
    tornado: function (d, el) {
      var lay = legendLayout(d.labels, el ? el.clientWidth : 600);
      return {
        color: ["#0072b2", "#d55e00"], tooltip: tooltip(d.unit, 1), legend: lay.legend,
        grid: { top: lay.top, left: 20, right: 30, bottom: 30, containLabel: true },
        yAxis: { type: "category", data: d.categories, inverse: true },
        xAxis: Object.assign(axisValue(d.unit), { nameLocation: "middle", nameGap: 25 }),
        series: [
          { name: d.labels[0], type: "bar", stack: "s", data: d.minus },
          { name: d.labels[1], type: "bar", stack: "s", data: d.plus }
        ]
      };
    },
    map: function (d) {
      return {
        tooltip: { trigger: "item", formatter: function (p) {
          return esc(p.name) + (p.value == null || isNaN(p.value) ? ": —" : ": " + esc(fmt0.format(p.value) + " " + d.unit));
        } },
        visualMap: d.hasValues === false ? undefined : { min: d.min, max: d.max, left: 10, bottom: 10, text: [d.maxLabel || "", d.minLabel || ""], calculable: true, inRange: { color: d.colors || ["#f7fbff", "#08519c"] } },
        series: [{ type: "map", map: "world", roam: true, nameProperty: "name", emphasis: { label: { show: false } },
                   itemStyle: { borderColor: "#999", areaColor: "#eee" },
                   data: d.data }]
      };
    },
    hbars: function (d) {
      return {
        color: palette, tooltip: tooltip(d.unit, 0), grid: { top: 20, left: 20, right: 40, bottom: 30, containLabel: true },
        yAxis: { type: "category", data: d.categories, inverse: true }, xAxis: axisValue(d.unit),
        series: [{ type: "bar", data: d.values, label: { show: true, position: "right", formatter: function (p) { return fmt0.format(p.value); } } }]
      };
    }
  };

  var worldReady = null;
  function loadWorld() {
    if (worldReady) { return worldReady; }
    worldReady = fetch("/world.geo.json").then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("world", geo);
    });
    return worldReady;
  }

  // The one chart-drawing loop of the dashboard (this file, plan.js, fleet.js): every
  // <script type="application/json" ATTR="element id"> under root is drawn into that element with
  // build(data); wait(data) may return a promise to wait for first (the world map's geometry).
  function drawCharts(root, attr, store, build, wait) {
    if (typeof echarts === "undefined") { return; }
    (root || document).querySelectorAll("script[" + attr + "]").forEach(function (node) {
      var id = node.getAttribute(attr);
      var el = document.getElementById(id);
      if (!el) { return; }
      var d = JSON.parse(node.textContent);
      var go = function () {
        if (!el.isConnected) { return; }
        if (el.clientWidth === 0 || el.clientHeight === 0) { window.requestAnimationFrame(go); return; }
        if (store[id]) { store[id].dispose(); }
        var c = echarts.init(el, null, { renderer: "canvas" });
        var option = build(d, el);
        option.animation = !reducedMotion;  // accessibility: honour the user's reduced-motion setting
        option.aria = { enabled: true };     // ECharts' generated description for screen readers
        c.setOption(option);
        store[id] = c;
        el.setAttribute("data-ready", "1");
      };
      var pending = wait ? wait(d) : null;
      if (pending) { pending.then(go); } else { go(); }
    });
  }
  window.roadcarbonDrawCharts = drawCharts;

  function draw(root) {
    drawCharts(root, "data-for", charts, function (d, el) { return builders[d.kind](d, el); },
               function (d) { return d.kind === "map" ? loadWorld() : null; });
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-png]");
    if (!btn) { return; }
    var c = charts[btn.getAttribute("data-png")];
    if (!c) { return; }
    // The exported image stands alone: title and query above the chart, source and licence below.
    // the public address of the results: the share field's (a POSTed page's own address has no query)
    var share = document.getElementById("share-link");
    var href = share ? share.value : location.href;
    var body = document.body, q = new URLSearchParams(href.split("?")[1] || "");
    var country = q.get("country"), year = q.get("year");
    var context = [country ? body.getAttribute("data-png-country") + ": " + country : "",
                   year ? body.getAttribute("data-png-year") + ": " + year : ""].filter(Boolean).join(" · ");
    var head = [btn.getAttribute("data-title") || "", context].filter(Boolean);
    var foot = [body.getAttribute("data-png-source") || "", body.getAttribute("data-png-licence") || "", href].filter(Boolean);
    var tag = [country, year].filter(Boolean).map(function (v) { return v.replace(/[^A-Za-z0-9_.-]+/g, "").slice(0, 24); }).join("-");
    var img = new Image();
    img.onload = function () {
      var ratio = 2, line = 22 * ratio, pad = 12 * ratio;
      var canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height + pad * 2 + line * (head.length + foot.length);
      var g = canvas.getContext("2d");
      g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = "#1a1a1a"; g.textBaseline = "top";
      head.forEach(function (t, i) {
        g.font = (i === 0 ? "bold " : "") + (15 * ratio) + "px system-ui, sans-serif";
        g.fillText(t, pad, pad + i * line, canvas.width - 2 * pad);
      });
      var top = pad + line * head.length;
      g.drawImage(img, 0, top);
      g.fillStyle = "#4a4a4a"; g.font = (12 * ratio) + "px system-ui, sans-serif";
      foot.forEach(function (t, i) { g.fillText(t, pad, top + img.height + i * line, canvas.width - 2 * pad); });
      btn.setAttribute("data-exported", JSON.stringify({ head: head, foot: foot, width: canvas.width, height: canvas.height, chartHeight: img.height }));
      var a = document.createElement("a");
      a.href = canvas.toDataURL("image/png");
      a.download = (btn.getAttribute("data-filename") || "chart") + (tag ? "-" + tag : "") + ".png";
      document.body.appendChild(a); a.click(); a.remove();
    };
    img.src = c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
  });

  // "Copy link": the public address of the results (never a pasted spec), from a read-only field.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy]");
    if (!btn) { return; }
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    var done = function () {
      if (!btn.getAttribute("data-label")) { btn.setAttribute("data-label", btn.textContent); }
      btn.textContent = btn.getAttribute("data-copied") || btn.textContent;
      btn.setAttribute("data-done", "1");
      window.setTimeout(function () { btn.textContent = btn.getAttribute("data-label"); }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy"); done();
    }
  });

  // A pointer choice submits at once; a keyboard user moves through the options with the arrows without
  // reloading the page on the first press, and confirms with Enter (or the Apply button).
  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (!el.matches || !el.matches("select[data-autosubmit]") || el.closest("[hx-get], [hx-post]")) { return; }
    if (ev.key === "Enter") { ev.preventDefault(); el.form.submit(); return; }
    el.setAttribute("data-keyboard", "1");
  });
  document.addEventListener("pointerdown", function (ev) {
    var el = ev.target.closest && ev.target.closest("select[data-autosubmit]");
    if (el) { el.removeAttribute("data-keyboard"); }
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches("[data-autosubmit]") && !el.closest("[hx-get], [hx-post]") && el.getAttribute("data-keyboard") !== "1") { el.form.submit(); }
  });

  // Resize after the window settles; a map whose projection cannot be recomputed mid-resize is redrawn.
  var resizeTimer = null;
  // Show the server's one-line error (4xx) in place, as for a full page load.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var status = ev.detail.xhr.status;
    if (status >= 400 && status < 600) { ev.detail.shouldSwap = true; ev.detail.isError = false; }
  });

  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      Object.keys(charts).forEach(function (k) { redraw(k); });  // legend lines depend on the width
    }, 150);
  });
  function redraw(id) {
    var node = document.querySelector('script[data-for="' + id + '"]');
    if (node) { draw(node.parentNode); }
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (ev) { draw(ev.detail.elt || document); });
  window.roadcarbonCharts = charts;
})();
