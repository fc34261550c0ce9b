(function () {
  "use strict";
  var map = __MAP__;
  var control = __CONTROL__;
  var data = JSON.parse(document.getElementById("__DATA_ID__").textContent);
  var TYPE_STYLE = {
    battle: { color: "#d62728", shape: "circle", label: "Battle" },
    remote_violence: { color: "#ff7f0e", shape: "triangle", label: "Remote violence (shelling, air strikes, explosions)" },
    violence_against_civilians: { color: "#7b2d8e", shape: "diamond", label: "Violence against civilians" },
    protest: { color: "#1f77b4", shape: "square", label: "Protest" },
    strategic: { color: "#2ca02c", shape: "hexagon", label: "Strategic development" }
  };

  // A canvas marker drawn as a circle, square, triangle, diamond or hexagon.
  var ShapeMarker = L.CircleMarker.extend({
    options: { shape: "circle" },
    _updatePath: function () {
      var r = this._renderer;
      if (!r._ctx || this.options.shape === "circle") { return r._updateCircle(this); }
      if (!r._drawing || this._empty()) { return; }
      var p = this._point, ctx = r._ctx, s = Math.max(Math.round(this._radius), 1);
      ctx.beginPath();
      var shape = this.options.shape;
      if (shape === "square") {
        ctx.rect(p.x - s * 0.9, p.y - s * 0.9, s * 1.8, s * 1.8);
      } else if (shape === "triangle") {
        ctx.moveTo(p.x, p.y - s * 1.25); ctx.lineTo(p.x + s * 1.1, p.y + s * 0.8);
        ctx.lineTo(p.x - s * 1.1, p.y + s * 0.8); ctx.closePath();
      } else if (shape === "diamond") {
        ctx.moveTo(p.x, p.y - s * 1.3); ctx.lineTo(p.x + s, p.y);
        ctx.lineTo(p.x, p.y + s * 1.3); ctx.lineTo(p.x - s, p.y); ctx.closePath();
      } else {
        for (var k = 0; k < 6; k++) {
          var a = Math.PI / 3 * k + Math.PI / 6;
          var x = p.x + s * 1.05 * Math.cos(a), y = p.y + s * 1.05 * Math.sin(a);
          if (k === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
        }
        ctx.closePath();
      }
      r._fillStroke(ctx, this);
    }
  });

  // Leaflet's layer control inserts a label as HTML: every string given to it goes through this.
  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function radius(f) { return f === null || f === undefined ? 6 : 6 + 2.5 * Math.log2(1 + f); }

  // The popup is built from the data with textContent: article text never becomes markup.
  function popup(ev) {
    var place = data.places[ev[6]];
    var box = el("div", "geomap-popup");
    var style = TYPE_STYLE[data.types[ev[1]]];
    box.appendChild(el("div", "geomap-popup-type", style.label + (ev[2] ? " \u2013 " + ev[2] : "")));
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); }
    var when = ev[3] === ev[4] ? ev[3] : ev[3] + " \u2013 " + ev[4];
    row("Date", (ev[3] ? when : "unknown") + " (" + ev[5] + ")");
    row("Place", place[0] + " (" + place[1] + ")");
    row("Precision", place[2] + (place[2] === "point" ? "" : ", within " + place[3] + " km"));
    row("Actors", ev[8] || "not stated");
    row("Fatalities", ev[7] === null ? "not stated" : ev[7]);
    if (ev[9]) { row("Reported by", ev[9]); }
    box.appendChild(dl);
    var list = el("ol", "geomap-sources");
    ev[10].forEach(function (si) {
      var s = data.sources[si];
      var li = el("li");
      li.appendChild(el("q", null, s[3]));
      li.appendChild(el("span", "geomap-source-meta", " \u2014 " + (s[1] || "unknown outlet") +
        (s[2] ? ", " + s[2] : "") + " (" + s[0] + ")"));
      list.appendChild(li);
    });
    box.appendChild(el("div", "geomap-popup-sources-title", "Sources (" + ev[10].length + ")"));
    box.appendChild(list);
    return box;
  }

  var renderer = L.canvas({ padding: 0.3 });
  var nDays = data.days.length, nTypes = data.types.length;
  var groups = [], dayGroups = [], counts = [];
  for (var d = 0; d < nDays; d++) {
    groups.push([]); counts.push([]);
    dayGroups.push(L.layerGroup());
    for (var t = 0; t < nTypes; t++) { groups[d].push(L.layerGroup()); counts[d].push(0); }
  }
  var typeOn = data.types.map(function () { return true; });
  var markers = [];
  var drawnAreas = {};
  data.events.forEach(function (ev, i) {
    var place = data.places[ev[6]], type = data.types[ev[1]], style = TYPE_STYLE[type];
    var group = groups[ev[0]][ev[1]];
    var areaKey = ev[0] + "|" + ev[1] + "|" + ev[6];
    if (!drawnAreas[areaKey]) {
      drawnAreas[areaKey] = true;
      if (place[6] >= 0) {
        group.addLayer(L.geoJSON(data.polygons[place[6]], {
          renderer: renderer, interactive: false,
          style: { color: style.color, weight: 1.5, fillColor: style.color, fillOpacity: 0.15 }
        }));
      } else if (place[2] !== "point") {
        group.addLayer(L.circle([place[4], place[5]], {
          renderer: renderer, interactive: false, radius: place[3] * 1000, color: style.color,
          weight: 1.2, dashArray: "5 5", fillColor: style.color, fillOpacity: 0.04
        }));
      }
    }
    var m = new ShapeMarker([place[4], place[5]], {
      renderer: renderer, shape: style.shape, radius: radius(ev[7]), color: "#222",
      weight: 1, fillColor: style.color, fillOpacity: 0.9
    });
    m.bindPopup(function () { return popup(ev); }, { maxWidth: 380 });
    m.geomapIndex = i;
    group.addLayer(m);
    markers.push(m);
    counts[ev[0]][ev[1]] += 1;
  });
  dayGroups.forEach(function (dg, d) {
    groups[d].forEach(function (g) { dg.addLayer(g); });
    dg.addTo(map);
    var n = counts[d].reduce(function (a, b) { return a + b; }, 0);
    // Leaflet rebuilds the whole control on each addOverlay: add them all, rebuild once
    // (the pinned Leaflet 1.9.4 API).
    control._addLayer(dg, escapeHtml(data.days[d] + " (" + n + ")"), true);
  });
  control._update();

  var dated = data.days.filter(function (d) { return d !== "undated"; }).length;
  var range = [0, Math.max(dated - 1, 0)];

  function applyTypes() {
    for (var d = 0; d < nDays; d++) {
      for (var t = 0; t < nTypes; t++) {
        var on = typeOn[t], has = dayGroups[d].hasLayer(groups[d][t]);
        if (on && !has) { dayGroups[d].addLayer(groups[d][t]); }
        if (!on && has) { dayGroups[d].removeLayer(groups[d][t]); }
      }
    }
  }

  function setRange(a, b) {
    a = Math.max(0, Math.min(a, dated - 1)); b = Math.max(a, Math.min(b, dated - 1));
    range = [a, b];
    for (var d = 0; d < dated; d++) {
      var on = d >= a && d <= b;
      if (on && !map.hasLayer(dayGroups[d])) { map.addLayer(dayGroups[d]); }
      if (!on && map.hasLayer(dayGroups[d])) { map.removeLayer(dayGroups[d]); }
    }
    updatePanel();
  }

  // -- the time panel: a range of days, a step, play, all -----------------------------------
  var panel = L.control({ position: "bottomleft" });
  var fromInput, toInput, label, playTimer = null, playButton;
  panel.onAdd = function () {
    var box = el("div", "geomap-panel leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    box.appendChild(el("div", "geomap-panel-title", "Days"));
    label = el("div", "geomap-range-label");
    box.appendChild(label);
    fromInput = el("input"); fromInput.type = "range"; fromInput.min = 0;
    fromInput.max = Math.max(dated - 1, 0); fromInput.value = 0;
    fromInput.setAttribute("aria-label", "first day shown"); fromInput.className = "geomap-from";
    toInput = el("input"); toInput.type = "range"; toInput.min = 0;
    toInput.max = Math.max(dated - 1, 0); toInput.value = Math.max(dated - 1, 0);
    toInput.setAttribute("aria-label", "last day shown"); toInput.className = "geomap-to";
    fromInput.addEventListener("input", function () {
      var a = +fromInput.value, b = Math.max(+toInput.value, a); setRange(a, b);
    });
    toInput.addEventListener("input", function () {
      var b = +toInput.value, a = Math.min(+fromInput.value, b); setRange(a, b);
    });
    box.appendChild(fromInput); box.appendChild(toInput);
    var buttons = el("div", "geomap-buttons");
    function button(text, title, fn) {
      var b = el("button", null, text); b.type = "button"; b.title = title;
      b.addEventListener("click", fn); buttons.appendChild(b); return b;
    }
    button("\u25c0", "previous day", function () { var d = Math.max(range[0] - 1, 0); setRange(d, d); });
    button("\u25b6", "next day", function () { var d = Math.min(range[1] + 1, dated - 1); setRange(d, d); });
    playButton = button("Play", "step through the days", function () {
      if (playTimer) { stop(); return; }
      var d = range[0] === range[1] ? range[0] : -1;
      playButton.textContent = "Stop";
      playTimer = setInterval(function () {
        d += 1;
        if (d >= dated) { stop(); return; }
        setRange(d, d);
      }, 1200);
    });
    button("All", "show all days", function () { stop(); setRange(0, dated - 1); });
    box.appendChild(buttons);
    return box;
  };
  function stop() { if (playTimer) { clearInterval(playTimer); playTimer = null; } if (playButton) { playButton.textContent = "Play"; } }
  function updatePanel() {
    if (!label) { return; }
    fromInput.value = range[0]; toInput.value = range[1];
    var a = data.days[range[0]], b = data.days[range[1]];
    label.textContent = dated === 0 ? "no dated events" : (a === b ? a : a + " \u2013 " + b) +
      " \u00b7 " + visibleCount() + " events shown";
  }
  if (dated > 0) { panel.addTo(map); }

  // -- the legend, with a switch for each event type -----------------------------------------
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = el("div", "geomap-legend leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    box.appendChild(el("div", "geomap-panel-title", "Event types"));
    data.types.forEach(function (type, t) {
      var total = 0;
      for (var d = 0; d < nDays; d++) { total += counts[d][t]; }
      var row = el("label", "geomap-legend-row");
      var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.value = type;
      cb.className = "geomap-type-toggle";
      cb.addEventListener("change", function () { typeOn[t] = cb.checked; applyTypes(); updatePanel(); });
      row.appendChild(cb);
      var sym = el("span", "geomap-symbol geomap-" + TYPE_STYLE[type].shape);
      sym.style.setProperty("--c", TYPE_STYLE[type].color);
      row.appendChild(sym);
      row.appendChild(el("span", null, TYPE_STYLE[type].label + " (" + total + ")"));
      box.appendChild(row);
    });
    box.appendChild(el("div", "geomap-panel-title", "Where"));
    box.appendChild(el("div", "geomap-legend-note", "\u25cf symbol: a place known to a point"));
    box.appendChild(el("div", "geomap-legend-note", "shaded area: the neighbourhood or governorate"));
    box.appendChild(el("div", "geomap-legend-note", "dashed circle: only the city or region is known"));
    box.appendChild(el("div", "geomap-legend-note", "symbol size: reported fatalities"));
    return box;
  };
  legend.addTo(map);

  function visibleCount() {
    var n = 0;
    for (var d = 0; d < nDays; d++) {
      if (!map.hasLayer(dayGroups[d])) { continue; }
      for (var t = 0; t < nTypes; t++) { if (dayGroups[d].hasLayer(groups[d][t])) { n += counts[d][t]; } }
    }
    return n;
  }
  map.on("overlayadd overlayremove", updatePanel);
  updatePanel();

  // A small API for tests and for scripts that embed the map.
  window.geomapMaps = window.geomapMaps || {};
  window.geomapMaps[__MAP_NAME__] = {
    days: data.days.slice(),
    countByDay: function () {
      var out = {};
      data.days.forEach(function (day, d) { out[day] = counts[d].reduce(function (a, b) { return a + b; }, 0); });
      return out;
    },
    visibleCount: visibleCount,
    setRange: setRange,
    showAll: function () { setRange(0, dated - 1); },
    setType: function (type, on) { typeOn[data.types.indexOf(type)] = on; applyTypes(); updatePanel(); },
    openPopup: function (i) { var m = markers[i]; map.setView(m.getLatLng(), Math.max(map.getZoom(), 11)); m.openPopup(); return m.getPopup().getElement(); }
  };
  window.geomapReady = true;
})();
