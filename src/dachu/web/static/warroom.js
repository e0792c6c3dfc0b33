// The war-room page: reads the snapshot stream (SSE) and draws the figures. No data lives in the page.
(function () {
  "use strict";
  var cfg = window.WARROOM, L = cfg.labels, lang = cfg.lang;
  var params = new URLSearchParams(location.search);
  var token = params.get("token") || "";
  var locale = lang === "zh" ? "zh-CN" : "en-US";
  var num = new Intl.NumberFormat(locale);
  var money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2 });

  document.querySelectorAll("[data-l]").forEach(function (el) { el.textContent = L[el.dataset.l] || ""; });
  ["zh", "en"].forEach(function (l) {
    var p = new URLSearchParams(location.search); p.set("lang", l);
    document.getElementById("lang-" + l).href = "?" + p.toString();
  });

  function $(id) { return document.getElementById(id); }
  function yuan(v) { return v === null || v === undefined ? "—" : "¥" + money.format(v); }
  function rate(v) { return v === null || v === undefined ? "—" : pct.format(v); }
  function n(v) { return v === null || v === undefined ? "—" : num.format(v); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function table(id, head, rows) {
    var html = "<tr>" + head.map(function (h) { return "<th>" + esc(h) + "</th>"; }).join("") + "</tr>";
    rows.forEach(function (r) { html += "<tr>" + r.map(function (c) { return "<td>" + esc(c) + "</td>"; }).join("") + "</tr>"; });
    $(id).innerHTML = html;
  }

  var hours = []; for (var h = 0; h < 24; h++) hours.push(h + ":00");
  var hourly = echarts.init($("c-hourly"), "dark", { renderer: "canvas" });
  hourly.setOption({
    backgroundColor: "transparent", animation: false,
    tooltip: { trigger: "axis" }, legend: { data: [L.actual, L.floor, L.stretch] },
    grid: { left: 70, right: 20, top: 36, bottom: 30 },
    xAxis: { type: "category", data: hours }, yAxis: { type: "value" },
    series: [
      { name: L.actual, type: "line", data: [], lineStyle: { width: 3 }, itemStyle: { color: "#f2c14e" } },
      { name: L.floor, type: "line", data: [], lineStyle: { type: "dashed" }, itemStyle: { color: "#ff5b5b" }, symbol: "none" },
      { name: L.stretch, type: "line", data: [], lineStyle: { type: "dashed" }, itemStyle: { color: "#3ecf8e" }, symbol: "none" }
    ]
  });
  var channels = echarts.init($("c-channels"), "dark", { renderer: "canvas" });
  channels.setOption({
    backgroundColor: "transparent", animation: false,
    tooltip: { trigger: "axis" }, legend: { data: [L.spent, L.planned, L.budget] },
    grid: { left: 90, right: 20, top: 36, bottom: 30 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: [] },
    series: [
      { name: L.spent, type: "bar", data: [], itemStyle: { color: "#f2c14e" } },
      { name: L.planned, type: "bar", data: [], itemStyle: { color: "#4aa3ff" } },
      { name: L.budget, type: "bar", data: [], itemStyle: { color: "#3a4a5e" } }
    ]
  });
  window.addEventListener("resize", function () { hourly.resize(); channels.resize(); });

  function draw(s) {
    var t = s.totals;
    $("clock").textContent = s.clock ? s.clock.replace("T", " ") : "—";
    var m = s.metrics;  // figures under the metrics dictionary's ids
    $("t-gmv").textContent = yuan(m.gmv_paid);
    $("t-orders").textContent = n(m.orders_placed);
    $("t-placed_amount").textContent = yuan(t.placed_amount);
    $("t-paid").textContent = n(m.orders_paid) + " / " + n(t.unpaid_orders);
    $("t-aov").textContent = yuan(m.aov);
    $("t-conversion").textContent = rate(m.conversion);
    $("t-shipped").textContent = n(t.shipped);
    $("t-not_shipped").textContent = n(m.backlog);
    $("t-visitors").textContent = n(m.visitors);
    $("t-activity_share").textContent = rate(s.visits.activity_share);
    $("t-spend").textContent = yuan(m.spend);
    $("t-refunds").textContent = yuan(m.refund_amount);
    hourly.setOption({ series: [{ data: s.hourly.actual }, { data: s.hourly.floor }, { data: s.hourly.stretch }] });
    channels.setOption({
      yAxis: { data: s.channels.map(function (c) { return c.channel; }) },
      series: [
        { data: s.channels.map(function (c) { return c.spent; }) },
        { data: s.channels.map(function (c) { return c.planned_by_now; }) },
        { data: s.channels.map(function (c) { return c.budget; }) }
      ]
    });
    table("products", [L.sku, L.ordered, L.units_sold, L.left, L.sellout], s.products.map(function (p) {
      return [p.name + " (" + p.sku + ")", n(p.ordered), n(p.units_sold), p.left === null ? "—" : n(p.left),
        p.sellout_at || "—"];
    }));
    table("visits", ["", L.visitors], [[L.activity, n(s.visits.activity)], [L.store, n(s.visits.store)],
      [L.activity_share, rate(s.visits.activity_share)]]);
    table("entry", [L.source, L.visitors], s.entry_paths.map(function (e) { return [e.source, n(e.visitors)]; }));
    table("placements", [L.source, L.visitors, L.conversion], s.placements.map(function (p) {
      return [p.source, n(p.visitors), rate(p.conversion)];
    }));
    var r = s.reminders;  // the last reminder pass: figures measured as the review measures them
    if (r && r.figures && r.figures.reminders_sent) {
      var f = r.figures;
      table("remind", ["", ""], [[L.reminders_sent, n(f.reminders_sent)], [L.paid_after_reminder, rate(f.paid_after_reminder)],
        [L.recovered_gmv, yuan(f.recovered_gmv === null ? null : Number(f.recovered_gmv))],
        [L.reminder_lift, f.reminder_lift === null || f.reminder_lift === undefined ? "—" : money.format(f.reminder_lift * 100) + " " + L.points],
        [L.remind_failed, n(r.failures.reduce(function (a, x) { return a + x.count; }, 0))]]);
    } else {
      $("remind").innerHTML = "<tr><td class=\"none\">" + esc(L.reminders_none) + "</td></tr>";
    }
    var list = $("alert-list");
    list.innerHTML = s.alerts.length ? s.alerts.map(function (a) {
      return "<li data-kind=\"" + esc(a.kind) + "\">" + esc(a.message[lang]) + "</li>";
    }).join("") : "<li class=\"none\">" + esc(L.no_alerts) + "</li>";
    document.body.dataset.seq = s.seq;
  }

  var status = $("status");
  function connect() {
    var source = new EventSource("/api/stream?token=" + encodeURIComponent(token));
    source.addEventListener("snapshot", function (ev) {
      status.textContent = "● " + L.live; status.className = "live";
      draw(JSON.parse(ev.data));
    });
    source.onerror = function () { status.textContent = L.offline; status.className = "off"; };
  }
  connect();
})();
