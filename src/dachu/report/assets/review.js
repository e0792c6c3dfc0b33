// The review report's chart script (dachu.report.review_html inlines it after ECharts and the data).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var COLORS = {actual: "#c8102e", plan: "#5b636e", floor: "#d98c00", stretch: "#2e7d32", previous: "#8c96a0"};
  var PALETTE = ["#c8102e", "#1f77b4", "#2e7d32", "#d98c00", "#6a3d9a", "#17becf", "#8c564b", "#e377c2"];
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function group(v, places) {
    return v.toLocaleString("en-US", {minimumFractionDigits: places, maximumFractionDigits: places});
  }
  function fmt(v, unit) {
    if (v === null || v === undefined || isNaN(v)) { return "\u2014"; }
    switch (unit) {
      case "yuan": return (v < 0 ? "-\u00a5" : "\u00a5") + group(Math.abs(v), 2);
      case "rate": return group(v * 100, 2) + "%";
      case "count": return group(v, 0);
      case "ratio": return group(v, 2);
      case "hour": return (v < 10 ? "0" : "") + Math.round(v) + ":00";
      case "seconds": case "hours": case "days": return data.units[unit].replace("{v}", group(v, 1));
      default: return String(v);
    }
  }
  function short(v, unit) {
    if (unit === "rate") { return group(v * 100, 0) + "%"; }
    // axis labels in the reader's habit: 万 (10,000) in Chinese, k/M in English
    if (unit === "yuan" && data.lang === "zh" && Math.abs(v) >= 10000) { return "\u00a5" + group(v / 10000, 1) + "\u4e07"; }
    if (unit === "yuan" && data.lang !== "zh" && Math.abs(v) >= 1e6) { return "\u00a5" + group(v / 1e6, 1) + "M"; }
    if (unit === "yuan" && data.lang !== "zh" && Math.abs(v) >= 1000) { return "\u00a5" + group(v / 1000, 1) + "k"; }
    if (unit === "yuan") { return (v < 0 ? "-\u00a5" : "\u00a5") + group(Math.abs(v), 0); }
    return fmt(v, unit);
  }
  function axes(chart) {
    var units = [];
    chart.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) { units.push(s.unit); } });
    return units.slice(0, 2);
  }
  function lineOrBar(chart) {
    var units = axes(chart);
    var yAxis = units.map(function (u, i) {
      return {type: "value", position: i ? "right" : "left", splitLine: {show: i === 0},
              axisLabel: {formatter: function (v) { return short(v, u); }}};
    });
    var series = chart.series.map(function (s, i) {
      var color = s.style === "actual" ? PALETTE[i % PALETTE.length] : COLORS[s.style];
      var planned = s.style !== "actual";
      var kind = chart.kind === "bar" ? "bar" : "line";
      var out = {name: s.name, type: kind, data: s.values, yAxisIndex: Math.max(0, units.indexOf(s.unit)),
                 itemStyle: {color: color}, emphasis: {focus: "series"}};
      if (kind === "line") {
        out.showSymbol = chart.x.length <= 31;
        out.lineStyle = {width: planned ? 2 : 3, type: planned ? (s.style === "previous" ? "dotted" : "dashed") : "solid"};
        out.connectNulls = false;
      } else if (planned) {
        out.itemStyle = {color: "rgba(0,0,0,0)", borderColor: color, borderWidth: 2, borderType: "dashed"};
      }
      return out;
    });
    return {
      grid: {left: 70, right: units.length > 1 ? 70 : 24, top: 40, bottom: 56, containLabel: false},
      legend: {top: 0, type: "scroll"},
      tooltip: {trigger: "axis", formatter: function (items) {
        var lines = [esc(items.length ? items[0].axisValue : "")];
        items.forEach(function (it) {
          var s = chart.series[it.seriesIndex];
          lines.push(it.marker + esc(s.name) + ": " + esc(fmt(it.value, s.unit)));
        });
        return lines.join("<br>");
      }},
      xAxis: {type: "category", data: chart.x, name: chart.xName, nameLocation: "middle", nameGap: 32,
              axisLabel: {hideOverlap: true}},
      yAxis: yAxis,
      series: series
    };
  }
  function sharePlots(chart) {
    var n = chart.series.length || 1;
    var series = chart.series.map(function (s, i) {
      var items = chart.x.map(function (name, j) { return {name: name, value: s.values[j]}; });
      var first = s.values.length ? s.values[0] : null;
      var total = s.values.reduce(function (a, v) { return a + (v || 0); }, 0);
      var label = function (p) {
        var base = chart.kind === "funnel" ? first : total;
        var share = base ? " (" + group(100 * p.value / base, 1) + "%)" : "";
        return p.name + ": " + fmt(p.value, s.unit) + share;
      };
      var left = (100 * i / n), width = 100 / n;
      if (chart.kind === "funnel") {
        return {name: s.name, type: "funnel", sort: "none", gap: 2, data: items, left: (left + 2) + "%",
                width: (width - 4) + "%", top: 40, bottom: 10, minSize: "8%",
                label: {position: "inside", formatter: label, color: "#fff", textBorderColor: "#333", textBorderWidth: 2}};
      }
      return {name: s.name, type: "pie", data: items, radius: ["0%", (60 / Math.max(1, n * 0.8)) + "%"],
              center: [(left + width / 2) + "%", "56%"], label: {formatter: label}};
    });
    return {
      color: PALETTE,
      legend: {top: 0, type: "scroll"},
      tooltip: {trigger: "item", formatter: function (p) {
        var s = chart.series[p.seriesIndex];
        return esc(s.name) + "<br>" + p.marker + esc(p.name) + ": " + esc(fmt(p.value, s.unit));
      }},
      series: series
    };
  }
  var instances = [];
  data.charts.forEach(function (chart) {
    var el = document.getElementById(chart.dom);
    var inst = echarts.init(el, null, {renderer: "svg"});
    var option = chart.kind === "funnel" || chart.kind === "pie" ? sharePlots(chart) : lineOrBar(chart);
    option.animation = false;
    inst.setOption(option);
    instances.push(inst);
  });
  function toPrint() { instances.forEach(function (c) { c.resize({width: data.print.width, height: data.print.height}); }); }
  function toScreen() { instances.forEach(function (c) { c.resize(); }); }
  window.addEventListener("beforeprint", toPrint);
  window.addEventListener("afterprint", toScreen);
  var media = window.matchMedia("print");
  media.addEventListener("change", function (e) { if (e.matches) { toPrint(); } else { toScreen(); } });
  window.addEventListener("resize", function () { if (!media.matches) { toScreen(); } });
  document.documentElement.setAttribute("data-charts-ready", String(instances.length));
})();
