(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("check-data").textContent);
  var tbody = document.querySelector("#mentions tbody");
  var rows = Array.prototype.slice.call(tbody.rows);
  var map = null, layer = null;
  if (window.L) {
    map = L.map("mini", { zoomControl: true, attributionControl: false }).setView([35.0, 38.0], 6);
    L.geoJSON(JSON.parse(document.getElementById("check-basemap").textContent), {
      interactive: false, style: { color: "#8a8a8a", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }
    }).addTo(map);
    layer = L.layerGroup().addTo(map);
  }
  // Leaflet inserts a tooltip's string as HTML: give it a text node, never a string.
  function text(s) { var e = document.createElement("span"); e.textContent = String(s); return e; }
  function show(i) {
    var d = data[i];
    rows.forEach(function (r) { r.classList.toggle("sel", +r.dataset.i === i); });
    var cap = document.getElementById("mini-caption");
    cap.textContent = d.place ? (d.surface + " \u2192 " + d.place.name + " (" + d.place.kind + ", " +
      d.place.where + "), " + d.alternatives.length + " alternatives") : (d.surface + ": not resolved");
    if (!map) { return; }
    layer.clearLayers();
    var pts = [];
    d.alternatives.forEach(function (a) {
      var m = L.circleMarker([a.lat, a.lon], { radius: 6, color: "#555", fillColor: "#aaa", fillOpacity: 0.8 });
      m.bindTooltip(text(a.name + " (" + a.where + ") " + a.score.toFixed(2)));
      layer.addLayer(m); pts.push([a.lat, a.lon]);
    });
    if (d.place) {
      var p = d.place;
      layer.addLayer(L.circle([p.lat, p.lon], { radius: p.precision_km * 1000, color: "#c00", weight: 1, dashArray: "4 4", fillOpacity: 0.05 }));
      layer.addLayer(L.circleMarker([p.lat, p.lon], { radius: 8, color: "#600", fillColor: "#e00", fillOpacity: 0.9 })
        .bindTooltip(text(p.name)));
      pts.push([p.lat, p.lon]);
    }
    if (pts.length === 1) { map.setView(pts[0], 11); } else if (pts.length) { map.fitBounds(pts, { padding: [20, 20], maxZoom: 11 }); }
  }
  rows.forEach(function (r) { r.addEventListener("click", function () { show(+r.dataset.i); }); });

  var fStatus = document.getElementById("f-status"), fPrio = document.getElementById("f-prio");
  var fText = document.getElementById("f-text"), fCount = document.getElementById("f-count");
  var labels = ["unresolved", "ambiguous", "fallback", "doubtful", "ok"];
  function filter() {
    var s = fStatus.value, p = fPrio.value, q = fText.value.toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var ok = (!s || r.dataset.status === s) && (!p || labels[+r.dataset.priority] === p) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok; if (ok) { n += 1; }
    });
    fCount.textContent = n + " of " + rows.length + " mentions";
  }
  [fStatus, fPrio].forEach(function (e) { e.addEventListener("change", filter); });
  fText.addEventListener("input", filter);
  document.querySelectorAll("#summary .card[data-status]").forEach(function (c) {
    c.addEventListener("click", function () { fStatus.value = c.dataset.status; filter(); });
  });

  document.querySelectorAll("#mentions th[data-key]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key, num = th.dataset.type === "num" || key === "priority";
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      document.querySelectorAll("#mentions th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var c = num ? (+x - +y) : x.localeCompare(y);
        return (c || (+a.dataset.i - +b.dataset.i)) * dir;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  filter();
  if (rows.length) { show(+rows[0].dataset.i); }
  window.geomapCheckReady = true;
})();
