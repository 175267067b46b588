/* kehoach dashboard: live alerts (Server-Sent Events) and indicator charts (Chart.js, local). */
window.kehoach = {
  live: function (lang) {
    var list = document.getElementById("live-alerts");
    var state = document.getElementById("live-state");
    if (!list || !window.EventSource) { return; }
    var source = new EventSource("/api/v1/alerts/stream");
    var add = function (kind, data) {
      var li = document.createElement("li");
      li.className = "live-item live-" + kind;
      var text = lang === "en" ? data.explanation_en : data.explanation_vi;
      var a = document.createElement("a");
      a.href = kind === "alert" ? "/alerts/" + encodeURIComponent(data.id) : "/trace/" + encodeURIComponent(data.subject.id);
      a.textContent = (data.subject && data.subject.name ? data.subject.name + ": " : "") + text;
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    };
    source.addEventListener("ready", function () { state.textContent = lang === "en" ? "connected" : "đã kết nối"; state.dataset.state = "ready"; });
    source.addEventListener("alert", function (e) { add("alert", JSON.parse(e.data)); });
    source.addEventListener("status_change", function (e) { add("status_change", JSON.parse(e.data)); });
    source.onerror = function () { state.textContent = lang === "en" ? "reconnecting…" : "đang kết nối lại…"; };
  },
  charts: function () {
    var holder = document.getElementById("series-data");
    if (!holder || !window.Chart) { return; }
    var payload = JSON.parse(holder.textContent);
    var canvases = document.querySelectorAll("canvas.series-chart");
    var withPoints = payload.series.filter(function (s) { return s.points.length > 0; });
    withPoints.forEach(function (s, i) {
      var canvas = canvases[i];
      if (!canvas) { return; }
      var labels = s.points.map(function (p) { return p.period; });  // one per period, in order
      var only = function (kind, field) {
        return s.points.map(function (p) { return p.series === kind ? p[field] : null; });
      };
      var sets = [
        { label: payload.labels.cumulative, data: only("cumulative", "actual_pct"), borderColor: "#8b1a1a", backgroundColor: "#8b1a1a", tension: 0.1, spanGaps: true },
        { label: payload.labels.single, data: only("single", "actual_pct"), showLine: false, pointStyle: "rectRot", pointRadius: 6, borderColor: "#1f5fa8", backgroundColor: "#1f5fa8" },
        { label: payload.labels.whole, data: only("whole", "actual_pct"), showLine: false, pointStyle: "triangle", pointRadius: 7, borderColor: "#6a1b9a", backgroundColor: "#6a1b9a" },
        { label: payload.labels.expected, data: only("cumulative", "expected_pct"), borderColor: "#ef8f00", borderDash: [6, 4], pointRadius: 2, spanGaps: true }
      ].filter(function (d) { return d.data.some(function (v) { return v !== null; }); });
      if (s.band) {  // a range target: the band between its ends, with Chart.js's own fill
        sets.push({ label: payload.labels.band_low, data: labels.map(function () { return s.band.low_pct; }), borderColor: "#2e7d32", pointRadius: 0, borderWidth: 1 });
        sets.push({ label: payload.labels.band_high, data: labels.map(function () { return s.band.high_pct; }), borderColor: "#2e7d32", backgroundColor: "rgba(46,125,50,0.15)", pointRadius: 0, borderWidth: 1, fill: "-1" });
      } else {
        sets.push({ label: payload.labels.target, data: labels.map(function () { return 100; }), borderColor: "#2e7d32", pointRadius: 0 });
      }
      var chart = new Chart(canvas, {
        type: "line",
        data: { labels: labels, datasets: sets },
        options: { animation: false, responsive: true, scales: { y: { beginAtZero: true, title: { display: true, text: "%" } } } }
      });
      canvas.dataset.labels = JSON.stringify(chart.data.labels);
      canvas.dataset.series = JSON.stringify(sets.map(function (d) { return d.label; }));
      canvas.dataset.ready = "true";
    });
  }
};
