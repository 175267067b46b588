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
      var labels = s.points.map(function (p) { return p.period; });
      new Chart(canvas, {
        type: "line",
        data: { labels: labels, datasets: [
          { label: payload.labels.actual, data: s.points.map(function (p) { return p.actual_pct; }), borderColor: "#8b1a1a", backgroundColor: "#8b1a1a", tension: 0.1 },
          { label: payload.labels.expected, data: s.points.map(function (p) { return p.expected_pct; }), borderColor: "#ef8f00", borderDash: [6, 4], pointRadius: 2 },
          { label: payload.labels.target, data: s.points.map(function (p) { return p.target_pct; }), borderColor: "#2e7d32", pointRadius: 0 }
        ] },
        options: { animation: false, responsive: true, scales: { y: { beginAtZero: true, title: { display: true, text: "%" } } } }
      });
      canvas.dataset.ready = "true";
    });
  }
};
