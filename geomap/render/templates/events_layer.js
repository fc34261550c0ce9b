(function () {
  "use strict";
  // geomap's events layer: one canvas that draws the events of the days and types switched on,
  // grouped where they share a point or overlap at the current zoom (a count badge that opens a
  // list), the areas of imprecise places once per place, and place labels from the gazetteer.
  // Everything is computed from one JSON blob; no request is ever made.
  var map = __MAP__;
  var control = __CONTROL__;
  var data = JSON.parse(document.getElementById("__DATA_ID__").textContent);
  // the style of each type (colour, shape, legend words) comes from Python (geomap/render/styles.py)
  var TYPE_STYLE = data.styles;
  var UNDATED = "undated";
  var GROUP_PX = 22;          // symbols closer than this (pixels) are one group
  var LIST_PAGE = 50;         // a group's list shows this many events at a time
  var LABEL_ZOOM = [0, 0, 9, 11, 12];     // rank -> first zoom drawn (see geomap/render/labels.py)
  var LABEL_MAX_ZOOM = [99, 9, 99, 99, 99];

  // Leaflet's layer control and attribution insert strings as HTML: every one goes through this.
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

  function radius(f) { return f === null || f === undefined ? 6 : Math.min(6 + 2.5 * Math.log2(1 + f), 22); }

  // -- the data, as typed arrays -------------------------------------------------------------
  var events = data.events, places = data.places;
  var nEv = events.length, nDays = data.days.length, nTypes = data.types.length;
  var undatedDay = nDays > 0 && data.days[nDays - 1] === UNDATED ? nDays - 1 : -1;
  var dated = undatedDay >= 0 ? nDays - 1 : nDays;
  var evDay = new Int32Array(nEv), evType = new Int8Array(nEv), evPlace = new Int32Array(nEv);
  var evRank = new Float64Array(nEv);  // what a group shows on top: most sources, then toll
  var dayStart = new Int32Array(nDays + 1);
  var counts = [];
  for (var d0 = 0; d0 < nDays; d0++) { counts.push(new Int32Array(nTypes)); }
  for (var i0 = 0; i0 < nEv; i0++) {
    var e0 = events[i0];
    evDay[i0] = e0[0]; evType[i0] = e0[1]; evPlace[i0] = e0[6];
    evRank[i0] = e0[10].length * 1e6 + (e0[7] || 0);
    counts[e0[0]][e0[1]] += 1;
    dayStart[e0[0] + 1] += 1;
  }
  for (var d1 = 0; d1 < nDays; d1++) { dayStart[d1 + 1] += dayStart[d1]; }  // events are sorted by day
  function dayTotal(d) { var n = 0; for (var t = 0; t < nTypes; t++) { n += counts[d][t]; } return n; }

  function whenText(ev) {
    if (!ev[3]) { return "undated"; }
    return ev[3] === ev[4] ? ev[3] : ev[3] + " \u2013 " + ev[4];
  }
  function tollText(ev) { return ev[7] === null || ev[7] === undefined ? "toll not stated" : ev[7] + " killed"; }
  function oneLine(i) {
    var ev = events[i];
    return TYPE_STYLE[data.types[ev[1]]].short + " \u00b7 " + places[ev[6]][0] + " \u00b7 " + whenText(ev) +
      " \u00b7 " + tollText(ev);
  }

  // The popup is built from the data with textContent: article text never becomes markup.
  function detail(i) {
    var ev = events[i];
    var place = places[ev[6]];
    var box = el("div", "geomap-popup");
    var style = TYPE_STYLE[data.types[ev[1]]];
    box.appendChild(el("div", "geomap-popup-type", style.label + (ev[2] ? " \u2013 " + ev[2] : "")));
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); }
    row("Date", ev[3] ? whenText(ev) + " (" + ev[5] + ")" : "undated: no date could be read (shown with the undated events, on no day)");
    row("Place", place[0] + " (" + place[1] + ")");
    row("Precision", place[2] + (place[2] === "point" ? "" : ", within " + place[3] + " km"));
    row("Actors", ev[8] || "not stated");
    row("Fatalities", ev[7] === null ? "not stated" : ev[7]);
    if (ev[9]) { row("Reported by", ev[9]); }
    if (data.evidence && data.evidence[ev[11]]) { row("Evidence", data.evidence[ev[11]]); }
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

  // -- state: the days, types and groups switched on -----------------------------------------
  var typeOn = data.types.map(function () { return true; });
  var range = [0, Math.max(dated - 1, 0)];
  var byMonth = data.groupBy === "month";
  var switchOf = new Int32Array(nDays);   // day -> its switch in the layer control
  var switches = [];                       // {label, layer, days: [d...]}
  (function () {
    var keyIndex = {};
    for (var d = 0; d < nDays; d++) {
      var day = data.days[d];
      var key = d === undatedDay ? "undated events" : (byMonth ? day.slice(0, 7) : day);
      if (!(key in keyIndex)) {
        keyIndex[key] = switches.length;
        switches.push({ key: key, layer: L.layerGroup(), days: [], n: 0 });
      }
      var s = switches[keyIndex[key]];
      s.days.push(d); s.n += dayTotal(d); switchOf[d] = keyIndex[key];
    }
  })();
  var switchOn = switches.map(function () { return true; });

  // -- the canvas layer -------------------------------------------------------------------------
  var canvas = el("canvas", "geomap-canvas");
  var ctx = canvas.getContext("2d");
  var dpr = window.devicePixelRatio || 1;
  var topLeft = L.point(0, 0);
  var visible = new Int32Array(nEv), nVisible = 0;
  var groupsNow = [];        // the groups drawn: {x, y (layer px), r, events: [i...], top, places}
  var labelsNow = [];        // the labels drawn: {name, rank, x, y (container px)}
  var projZoom = null, placeXY = null, polyXY = {};

  var EventsCanvas = L.Layer.extend({
    onAdd: function () {
      map.getPanes().overlayPane.appendChild(canvas);
      map.on("moveend", redraw);
      map.on("zoomend viewreset", regroup);
      map.on("zoomstart", hideCanvas);
      map.on("resize", regroup);
      regroup();
    },
    onRemove: function () {
      L.DomUtil.remove(canvas);
      map.off("moveend", redraw); map.off("zoomend viewreset", regroup);
      map.off("zoomstart", hideCanvas); map.off("resize", regroup);
    }
  });
  function hideCanvas() { canvas.style.visibility = "hidden"; closeTooltip(); }

  function project() {
    var z = map.getZoom();
    if (projZoom === z) { return; }
    projZoom = z; polyXY = {};
    placeXY = new Float64Array(places.length * 2);
    for (var p = 0; p < places.length; p++) {
      var pt = map.project([places[p][4], places[p][5]], z);
      placeXY[2 * p] = pt.x; placeXY[2 * p + 1] = pt.y;
    }
  }

  // The events shown: days in the range and switched on, types switched on, undated if on.
  function filter() {
    nVisible = 0;
    function take(d) {
      if (!switchOn[switchOf[d]]) { return; }
      for (var i = dayStart[d], end = dayStart[d + 1]; i < end; i++) {
        if (typeOn[evType[i]]) { visible[nVisible++] = i; }
      }
    }
    if (dated > 0) { for (var d = range[0]; d <= range[1]; d++) { take(d); } }
    if (undatedDay >= 0) { take(undatedDay); }
  }

  // Group the shown events: by place, then places closer than GROUP_PX at this zoom.
  function group() {
    project();
    var byPlace = {};
    var order = [];
    for (var k = 0; k < nVisible; k++) {
      var i = visible[k], p = evPlace[i];
      var g = byPlace[p];
      if (!g) { g = byPlace[p] = { places: [p], events: [] }; order.push(p); }
      g.events.push(i);
    }
    // most events first, so that a big group absorbs its small neighbours
    order.sort(function (a, b) { return byPlace[b].events.length - byPlace[a].events.length || a - b; });
    var grid = {}, out = [];
    order.forEach(function (p) {
      var x = placeXY[2 * p], y = placeXY[2 * p + 1];
      var cx = Math.floor(x / GROUP_PX), cy = Math.floor(y / GROUP_PX), best = null, bestD = GROUP_PX * GROUP_PX;
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var cell = grid[(cx + dx) + ":" + (cy + dy)];
          if (!cell) { continue; }
          for (var c = 0; c < cell.length; c++) {
            var gg = cell[c], dd = (gg.x - x) * (gg.x - x) + (gg.y - y) * (gg.y - y);
            if (dd < bestD) { bestD = dd; best = gg; }
          }
        }
      }
      var src = byPlace[p];
      if (best) {
        best.places.push(p);
        for (var j = 0; j < src.events.length; j++) { best.events.push(src.events[j]); }
      } else {
        var ng = { x: x, y: y, places: [p], events: src.events.slice() };
        out.push(ng);
        var key = cx + ":" + cy;
        (grid[key] = grid[key] || []).push(ng);
      }
    });
    out.forEach(function (g) {
      g.events.sort(function (a, b) { return evRank[b] - evRank[a] || a - b; });
      g.top = g.events[0];
      var toll = 0;
      for (var j = 0; j < g.events.length; j++) { toll += events[g.events[j]][7] || 0; }
      g.r = g.events.length > 1 ? Math.max(radius(toll), 8) : radius(events[g.top][7]);
    });
    // biggest last: drawn on top
    out.sort(function (a, b) { return a.events.length - b.events.length || evRank[a.top] - evRank[b.top]; });
    groupsNow = out;
  }

  function shapePath(shape, x, y, s) {
    ctx.beginPath();
    if (shape === "square") {
      ctx.rect(x - s * 0.9, y - s * 0.9, s * 1.8, s * 1.8);
    } else if (shape === "triangle") {
      ctx.moveTo(x, y - s * 1.25); ctx.lineTo(x + s * 1.1, y + s * 0.8);
      ctx.lineTo(x - s * 1.1, y + s * 0.8); ctx.closePath();
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - s * 1.3); ctx.lineTo(x + s, y); ctx.lineTo(x, y + s * 1.3); ctx.lineTo(x - s, y); ctx.closePath();
    } else if (shape === "hexagon") {
      for (var k = 0; k < 6; k++) {
        var a = Math.PI / 3 * k + Math.PI / 6;
        if (k === 0) { ctx.moveTo(x + s * 1.05 * Math.cos(a), y + s * 1.05 * Math.sin(a)); } else { ctx.lineTo(x + s * 1.05 * Math.cos(a), y + s * 1.05 * Math.sin(a)); }
      }
      ctx.closePath();
    } else {
      ctx.arc(x, y, s, 0, Math.PI * 2);
    }
  }

  function polygonRings(idx) {
    if (polyXY[idx]) { return polyXY[idx]; }
    var geom = data.polygons[idx], z = projZoom, rings = [];
    var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
    polys.forEach(function (poly) {
      poly.forEach(function (ring) {
        var pts = new Float64Array(ring.length * 2);
        for (var k = 0; k < ring.length; k++) {
          var pt = map.project([ring[k][1], ring[k][0]], z);
          pts[2 * k] = pt.x; pts[2 * k + 1] = pt.y;
        }
        rings.push(pts);
      });
    });
    polyXY[idx] = rings;
    return rings;
  }

  function drawAreas(ox, oy) {
    // one area a place, however many events it has: a capped, light fill
    var seen = {};
    for (var k = 0; k < nVisible; k++) {
      var i = visible[k], p = evPlace[i];
      var s = seen[p];
      if (!s) { s = seen[p] = new Int32Array(nTypes); }
      s[evType[i]] += 1;
    }
    Object.keys(seen).forEach(function (key) {
      var p = +key, place = places[p];
      if (place[2] === "point") { return; }
      var byType = seen[key], best = 0;
      for (var t = 1; t < nTypes; t++) { if (byType[t] > byType[best]) { best = t; } }
      var color = TYPE_STYLE[data.types[best]].color;
      ctx.strokeStyle = color; ctx.fillStyle = color;
      if (place[6] >= 0) {
        ctx.beginPath();
        polygonRings(place[6]).forEach(function (pts) {
          for (var k = 0; k < pts.length; k += 2) {
            if (k === 0) { ctx.moveTo(pts[k] - ox, pts[k + 1] - oy); } else { ctx.lineTo(pts[k] - ox, pts[k + 1] - oy); }
          }
          ctx.closePath();
        });
        ctx.globalAlpha = 0.14; ctx.fill("evenodd");
        ctx.globalAlpha = 0.8; ctx.lineWidth = 1.5; ctx.setLineDash([]); ctx.stroke();
      } else {
        var metersPerPx = 40075016.686 * Math.cos(place[4] * Math.PI / 180) / Math.pow(2, projZoom + 8);
        var rpx = place[3] * 1000 / metersPerPx;
        if (rpx < 3) { return; }
        ctx.beginPath();
        ctx.arc(placeXY[2 * p] - ox, placeXY[2 * p + 1] - oy, rpx, 0, Math.PI * 2);
        ctx.globalAlpha = 0.04; ctx.fill();
        ctx.globalAlpha = 0.8; ctx.lineWidth = 1.2; ctx.setLineDash([5, 5]); ctx.stroke();
      }
      ctx.globalAlpha = 1; ctx.setLineDash([]);
    });
  }

  // Labels by zoom, larger places first; a label goes right, left, above or below its point,
  // wherever it covers neither an event symbol nor another label, or is left out.
  function drawLabels(ox, oy, size) {
    labelsNow = [];
    var z = map.getZoom(), boxes = [];
    function clashes(box) {
      if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) { return true; }
      for (var b = 0; b < boxes.length; b++) {
        var o = boxes[b];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return true; }
      }
      return false;
    }
    groupsNow.forEach(function (g) {
      var x = g.x - ox, y = g.y - oy, r = g.r + 1;
      boxes.push([x - r, y - r, x + r, y + r]);
    });
    groupsNow.forEach(function (g) {   // the count badges
      if (g.events.length > 1) {
        var bx = g.x - ox + g.r * 0.6, by = g.y - oy - g.r * 0.6 - 8;
        boxes.push([bx, by, bx + 26, by + 16]);
      }
    });
    var nSymbols = groupsNow.length;
    var c = map.getContainer().getBoundingClientRect(), ctrls = map.getContainer().querySelectorAll(".leaflet-control");
    for (var ci = 0; ci < ctrls.length; ci++) {   // no label under a panel
      var cr = ctrls[ci].getBoundingClientRect();
      if (cr.width) { boxes.push([cr.left - c.left, cr.top - c.top, cr.right - c.left, cr.bottom - c.top]); }
    }
    var fonts = ["600 13px system-ui, sans-serif", "italic 600 11px system-ui, sans-serif",
      "12px system-ui, sans-serif", "11px system-ui, sans-serif", "italic 11px system-ui, sans-serif"];
    var colors = ["#222", "#7d6f55", "#333", "#444", "#5a4e3a"];
    ctx.textBaseline = "middle"; ctx.lineJoin = "round";
    for (var rank = 0; rank < 5; rank++) {
      if (z < LABEL_ZOOM[rank] || z > LABEL_MAX_ZOOM[rank]) { continue; }
      ctx.font = fonts[rank];
      for (var k = 0; k < data.labels.length; k++) {
        var lab = data.labels[k];
        if (lab[3] !== rank) { continue; }
        var wp = map.project([lab[1], lab[2]], z);
        var x = wp.x - ox, y = wp.y - oy;   // canvas px, which are container px
        if (x < -100 || y < -20 || x > size.x + 100 || y > size.y + 20) { continue; }
        var text = rank === 1 ? lab[0].toUpperCase() : lab[0];
        var w = ctx.measureText(text).width, h = rank === 0 ? 15 : 13;
        var dot = rank !== 1 && rank !== 4;
        var offR = 6, offL = 6, offU = 6, offD = 6;   // beside its dot, or the event symbol on it
        for (var q = 0; q < nSymbols; q++) {
          var o = boxes[q];
          if (x >= o[0] && x <= o[2] && y >= o[1] && y <= o[3]) {
            offR = Math.max(offR, o[2] - x + 3); offL = Math.max(offL, x - o[0] + 3);
            offU = Math.max(offU, y - o[1] + 3); offD = Math.max(offD, o[3] - y + 3);
          }
        }
        var spots = dot ? [[x + offR, y], [x - offL - w, y], [x - w / 2, y - h / 2 - offU], [x - w / 2, y + h / 2 + offD]]
          : [[x - w / 2, y], [x - w / 2, y - h], [x - w / 2, y + h]];
        var spot = null;
        for (var sp = 0; sp < spots.length && !spot; sp++) {
          var box = [spots[sp][0] - 2, spots[sp][1] - h / 2 - 1, spots[sp][0] + w + 2, spots[sp][1] + h / 2 + 1];
          if (!clashes(box)) { spot = spots[sp]; boxes.push(box); }
        }
        if (!spot) { continue; }
        if (dot) {
          boxes.push([x - 4, y - 4, x + 4, y + 4]);
          ctx.beginPath(); ctx.arc(x, y, rank === 0 ? 3.5 : 2.5, 0, Math.PI * 2);
          ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 1.2; ctx.strokeStyle = "#333"; ctx.stroke();
        }
        ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(text, spot[0], spot[1]); ctx.fillStyle = colors[rank]; ctx.fillText(text, spot[0], spot[1]);
        labelsNow.push({ name: lab[0], rank: rank, x: spot[0] + w / 2, y: spot[1], w: w, h: h });
      }
    }
  }

  function drawGroups(ox, oy) {
    groupsNow.forEach(function (g) {
      var ev = events[g.top], style = TYPE_STYLE[data.types[ev[1]]];
      var x = g.x - ox, y = g.y - oy;
      shapePath(style.shape, x, y, g.r);
      ctx.globalAlpha = 0.9; ctx.fillStyle = style.color; ctx.fill();
      ctx.globalAlpha = 1; ctx.lineWidth = 1; ctx.strokeStyle = "#222"; ctx.stroke();
      var n = g.events.length;
      if (n > 1) {
        var text = n > 9999 ? Math.round(n / 1000) + "k" : String(n);
        ctx.font = "bold 11px system-ui, sans-serif";
        var w = Math.max(ctx.measureText(text).width + 8, 17);
        var bx = x + g.r * 0.6, by = y - g.r * 0.6 - 8;
        ctx.beginPath();
        if (ctx.roundRect) { ctx.roundRect(bx, by, w, 16, 8); } else { ctx.rect(bx, by, w, 16); }
        ctx.fillStyle = "#fff"; ctx.fill(); ctx.strokeStyle = "#222"; ctx.lineWidth = 1; ctx.stroke();
        ctx.fillStyle = "#111"; ctx.textBaseline = "middle"; ctx.textAlign = "center";
        ctx.fillText(text, bx + w / 2, by + 8.5); ctx.textAlign = "start";
      }
    });
  }

  function redraw() {
    var size = map.getSize();
    topLeft = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(canvas, topLeft);
    if (canvas.width !== Math.round(size.x * dpr) || canvas.height !== Math.round(size.y * dpr)) {
      canvas.width = Math.round(size.x * dpr); canvas.height = Math.round(size.y * dpr);
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    project();
    var po = map.getPixelOrigin();
    var ox = po.x + topLeft.x, oy = po.y + topLeft.y;   // world px -> canvas px
    drawAreas(ox, oy);
    drawLabels(ox, oy, size);
    drawGroups(ox, oy);
    canvas.style.visibility = "visible";
  }
  function regroup() { group(); redraw(); }
  function refresh() { filter(); regroup(); updatePanel(); }

  // -- hover and click: hit-test the groups drawn ---------------------------------------------
  function groupAt(containerPoint) {
    var po = map.getPixelOrigin(), pane = map.containerPointToLayerPoint([0, 0]);
    var wx = containerPoint.x + pane.x + po.x, wy = containerPoint.y + pane.y + po.y;
    for (var k = groupsNow.length - 1; k >= 0; k--) {   // the one drawn on top first
      var g = groupsNow[k], dx = g.x - wx, dy = g.y - wy, r = g.r + 4;
      if (g.events.length > 1 && dx > 0 && dx < r + 30 && dy < 0 && dy > -(r + 18)) { return g; }  // the badge
      if (dx * dx + dy * dy <= r * r) { return g; }
    }
    return null;
  }
  function groupLatLng(g) { return map.unproject([g.x, g.y], projZoom); }
  function placeNames(g) {   // "Aleppo (city)" where two places of the group share a name
    var names = g.places.map(function (p) { return places[p][0]; });
    return g.places.map(function (p, k) {
      return names.indexOf(names[k]) !== names.lastIndexOf(names[k]) ? names[k] + " (" + places[p][1] + ")" : names[k];
    });
  }

  var tooltip = null, tipGroup = null;
  function closeTooltip() { if (tooltip) { map.closeTooltip(tooltip); tooltip = null; tipGroup = null; } }
  function tipContent(g) {
    var box = el("div", "geomap-tip");
    var n = g.events.length;
    if (n === 1) {
      box.appendChild(el("div", null, oneLine(g.top)));
      box.appendChild(el("div", "geomap-tip-hint", events[g.top][10].length + " source(s): click for the details"));
    } else {
      var names = placeNames(g);
      box.appendChild(el("div", "geomap-tip-head", n + " events at " + names.slice(0, 3).join(", ") +
        (names.length > 3 ? " and " + (names.length - 3) + " more places" : "")));
      for (var k = 0; k < Math.min(n, 3); k++) { box.appendChild(el("div", null, oneLine(g.events[k]))); }
      box.appendChild(el("div", "geomap-tip-hint", "click for the list of all " + n));
    }
    return box;
  }
  map.on("mousemove", function (e) {
    var g = groupAt(e.containerPoint);
    map.getContainer().style.cursor = g ? "pointer" : "";
    if (g === tipGroup) { return; }
    closeTooltip();
    if (!g) { return; }
    tipGroup = g;
    tooltip = L.tooltip({ direction: "top", offset: [0, -g.r - 2], className: "geomap-tooltip" })
      .setLatLng(groupLatLng(g)).setContent(tipContent(g));
    map.openTooltip(tooltip);
  });
  map.on("mouseout", closeTooltip);

  // A popup opens clear of the panels in the map's corners (the map pans to make room).
  function popupOptions(o) {
    var c = map.getContainer();
    function tall(sel) { var e = c.querySelector(sel); return e ? e.offsetHeight : 0; }
    var top = Math.max(tall(".leaflet-top.leaflet-left"), tall(".leaflet-top.leaflet-right")) + 10;
    var bottom = Math.max(tall(".leaflet-bottom.leaflet-left"), tall(".leaflet-bottom.leaflet-right")) + 10;
    o.autoPanPaddingTopLeft = [20, top];
    o.autoPanPaddingBottomRight = [20, bottom];
    // a long popup scrolls inside the room left between the panels (its tip and frame: ~50 px)
    o.maxHeight = Math.max(120, c.clientHeight - top - bottom - 50);
    return o;
  }
  function openDetail(i, latlng, backTo) {
    var box = el("div");
    if (backTo) {
      var back = el("button", "geomap-back", "\u2190 all " + backTo.events.length + " events here");
      back.type = "button";
      back.addEventListener("click", function () { openList(backTo); });
      box.appendChild(back);
    }
    box.appendChild(detail(i));
    return L.popup(popupOptions({ maxWidth: 380 })).setLatLng(latlng).setContent(box).openOn(map);
  }
  function openList(g) {
    var box = el("div", "geomap-list");
    var names = placeNames(g);
    box.appendChild(el("div", "geomap-popup-type", g.events.length + " events at " +
      names.slice(0, 4).join(", ") + (names.length > 4 ? " and " + (names.length - 4) + " more places" : "")));
    box.appendChild(el("div", "geomap-tip-hint", "most sources first; click one for its details and sources"));
    if (g.places.length > 1) {
      var zoom = el("button", "geomap-zoom", "zoom to these places"); zoom.type = "button";
      zoom.addEventListener("click", function () {
        map.closePopup();
        map.fitBounds(L.latLngBounds(g.places.map(function (p) { return [places[p][4], places[p][5]]; })).pad(0.3), { maxZoom: 16 });
      });
      box.appendChild(zoom);
    }
    var ol = el("ol", "geomap-list-items");
    box.appendChild(ol);
    var shown = 0, more = el("button", "geomap-more"); more.type = "button";
    function page() {
      var end = Math.min(shown + LIST_PAGE, g.events.length);
      for (; shown < end; shown++) {
        (function (i) {
          var li = el("li"), b = el("button", "geomap-list-item"); b.type = "button";
          var sym = el("span", "geomap-symbol geomap-" + TYPE_STYLE[data.types[events[i][1]]].shape);
          sym.style.setProperty("--c", TYPE_STYLE[data.types[events[i][1]]].color);
          b.appendChild(sym);
          b.appendChild(el("span", null, " " + oneLine(i) + " \u00b7 " + events[i][10].length + " source(s)"));
          b.setAttribute("data-event", String(i));
          b.addEventListener("click", function () { openDetail(i, groupLatLng(g), g); });
          li.appendChild(b); ol.appendChild(li);
        })(g.events[shown]);
      }
      more.textContent = "show " + Math.min(LIST_PAGE, g.events.length - shown) + " more (" + (g.events.length - shown) + " left)";
      more.style.display = shown < g.events.length ? "" : "none";
    }
    more.addEventListener("click", page);
    box.appendChild(more);
    page();
    return L.popup(popupOptions({ maxWidth: 420, minWidth: 260 })).setLatLng(groupLatLng(g)).setContent(box).openOn(map);
  }
  map.on("click", function (e) {
    var g = groupAt(e.containerPoint);
    if (!g) { return; }
    closeTooltip();
    if (g.events.length === 1) { openDetail(g.top, groupLatLng(g), null); } else { openList(g); }
  });

  // -- the layer control: a switch a day (a month when there are many days), undated apart -----
  var batch = false;
  switches.forEach(function (s, k) {
    s.layer.geomapSwitch = k;
    s.layer.addTo(map);
    // Leaflet rebuilds the whole control on each addOverlay: add them all, rebuild once
    // (the pinned Leaflet 1.9.4 API).
    control._addLayer(s.layer, escapeHtml(s.key + " (" + s.n + ")"), true);
  });
  control._update();
  map.on("layeradd layerremove", function (e) {
    var k = e.layer.geomapSwitch;
    if (k === undefined) { return; }
    switchOn[k] = e.type === "layeradd";
    if (!batch) { refresh(); }
  });
  function setSwitch(k, on) {
    var has = map.hasLayer(switches[k].layer);
    if (on && !has) { map.addLayer(switches[k].layer); }
    if (!on && has) { map.removeLayer(switches[k].layer); }
  }

  function setRange(a, b) {
    a = Math.max(0, Math.min(a, dated - 1)); b = Math.max(a, Math.min(b, dated - 1));
    range = [a, b];
    refresh();
  }
  function showAll() {
    batch = true;
    for (var k = 0; k < switches.length; k++) { if (switches[k].key !== "undated events") { setSwitch(k, true); } }
    batch = false;
    setRange(0, dated - 1);
  }
  function undatedSwitch() {
    for (var k = 0; k < switches.length; k++) { if (switches[k].key === "undated events") { return k; } }
    return -1;
  }

  // -- panels that fold: collapsed by default on small screens and in small iframes ------------
  var small = map.getSize().x < 900 || map.getSize().y < 650;
  function foldable(box, title, startOpen) {
    var head = el("div", "geomap-panel-head");
    var name = el("span", "geomap-panel-title", title);
    var toggle = el("button", "geomap-fold"); toggle.type = "button";
    head.appendChild(name); head.appendChild(toggle);
    var body = el("div", "geomap-panel-body");
    box.appendChild(head); box.appendChild(body);
    function set(open) {
      body.style.display = open ? "" : "none";
      toggle.textContent = open ? "\u2212" : "+";
      toggle.title = open ? "fold this panel" : "open this panel";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      box.classList.toggle("geomap-folded", !open);
    }
    toggle.addEventListener("click", function () { set(body.style.display === "none"); });
    head.addEventListener("dblclick", function () { set(body.style.display === "none"); });
    set(startOpen);
    return { body: body, head: head, name: name, set: set };
  }

  // -- the time panel: a range of days, a step, play, all ---------------------------------------
  var panel = L.control({ position: "bottomleft" });
  var fromInput, toInput, label, summary, playTimer = null, playButton, undatedBox = null;
  panel.onAdd = function () {
    var box = el("div", "geomap-panel leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var f = foldable(box, "Days", !small);
    summary = el("span", "geomap-panel-summary");
    f.head.insertBefore(summary, f.head.lastChild);
    var body = f.body;
    label = el("div", "geomap-range-label");
    body.appendChild(label);
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
    body.appendChild(fromInput); body.appendChild(toInput);
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
    button("All", "show all days", function () { stop(); showAll(); });
    body.appendChild(buttons);
    if (undatedDay >= 0) {
      var row = el("label", "geomap-undated");
      undatedBox = el("input"); undatedBox.type = "checkbox"; undatedBox.checked = true;
      undatedBox.className = "geomap-undated-toggle";
      undatedBox.addEventListener("change", function () { setSwitch(undatedSwitch(), undatedBox.checked); });
      row.appendChild(undatedBox);
      row.appendChild(el("span", null, " undated events (" + dayTotal(undatedDay) + "): on no day"));
      body.appendChild(row);
    }
    return box;
  };
  function stop() { if (playTimer) { clearInterval(playTimer); playTimer = null; } if (playButton) { playButton.textContent = "Play"; } }
  function updatePanel() {
    if (!label) { return; }
    fromInput.value = range[0]; toInput.value = range[1];
    var a = data.days[range[0]], b = data.days[range[1]];
    var n = nVisible, u = 0;
    for (var k = 0; k < nVisible; k++) { if (evDay[visible[k]] === undatedDay) { u += 1; } }
    var text = dated === 0 ? "no dated events" : (a === b ? a : a + " \u2013 " + b);
    label.textContent = text + " \u00b7 " + n + " events shown" + (u ? " (" + u + " undated)" : "");
    summary.textContent = text + " \u00b7 " + n;
    if (undatedBox) { undatedBox.checked = switchOn[undatedSwitch()]; }
  }
  if (nDays > 0) { panel.addTo(map); }

  // -- the legend, with a switch for each event type -----------------------------------------
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = el("div", "geomap-legend leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var body = foldable(box, "Event types", !small).body;
    data.types.forEach(function (type, t) {
      var total = 0;
      for (var d = 0; d < nDays; d++) { total += counts[d][t]; }
      var row = el("label", "geomap-legend-row");
      var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.value = type;
      cb.className = "geomap-type-toggle";
      cb.addEventListener("change", function () { typeOn[t] = cb.checked; refresh(); });
      row.appendChild(cb);
      var sym = el("span", "geomap-symbol geomap-" + TYPE_STYLE[type].shape);
      sym.style.setProperty("--c", TYPE_STYLE[type].color);
      row.appendChild(sym);
      row.appendChild(el("span", null, TYPE_STYLE[type].label + " (" + total + ")"));
      body.appendChild(row);
    });
    body.appendChild(el("div", "geomap-panel-title", "Where"));
    body.appendChild(el("div", "geomap-legend-note", "\u25cf symbol: a place known to a point"));
    body.appendChild(el("div", "geomap-legend-note", "shaded area: the neighbourhood or governorate (once a place)"));
    body.appendChild(el("div", "geomap-legend-note", "dashed circle: only the city or region is known"));
    body.appendChild(el("div", "geomap-legend-note", "symbol size: reported fatalities; a number: events at one spot"));
    return box;
  };
  legend.addTo(map);

  // -- attribution: the data, not only the software ------------------------------------------
  if (map.attributionControl) {
    var outlets = data.outlets.slice(0, 6).join(", ") + (data.outlets.length > 6 ? " and " + (data.outlets.length - 6) + " more" : "");
    map.attributionControl.addAttribution(escapeHtml("Events: geomap from articles" + (outlets ? " (" + outlets + ")" : "")));
    map.attributionControl.addAttribution(escapeHtml(__ATTRIBUTION__));
  }

  // -- the first view: the events, clear of the panels ---------------------------------------
  function fitEvents() {
    var size = map.getSize(), c = map.getContainer().getBoundingClientRect();
    var pad = { top: 10, bottom: 10, left: 10, right: 10 };
    var corners = c.width ? map.getContainer().querySelectorAll(".leaflet-control") : [];
    for (var k = 0; k < corners.length; k++) {
      var r = corners[k].getBoundingClientRect();
      if (!r.width || corners[k].className.indexOf("leaflet-control-attribution") >= 0) { continue; }
      var top = r.top - c.top, left = r.left - c.left;
      var isTop = top + r.height / 2 < size.y / 2;
      if (isTop) { pad.top = Math.max(pad.top, top + r.height + 8); } else { pad.bottom = Math.max(pad.bottom, size.y - top + 8); }
    }
    // never leave less than half the map for the events
    pad.top = Math.min(pad.top, size.y * 0.25); pad.bottom = Math.min(pad.bottom, size.y * 0.3);
    // half zoom steps, so that a small frame is not left with a quarter of it used
    var snap = map.options.zoomSnap;
    map.options.zoomSnap = 0.5;
    map.fitBounds(data.bounds, { paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom], maxZoom: 13, animate: false });
    map.options.zoomSnap = snap;
  }
  new EventsCanvas().addTo(map);
  filter();
  fitEvents();
  regroup();
  updatePanel();

  // A small API for tests and for scripts that embed the map.
  window.geomapMaps = window.geomapMaps || {};
  window.geomapMaps[__MAP_NAME__] = {
    days: data.days.slice(),
    countByDay: function () {
      var out = {};
      data.days.forEach(function (day, d) { out[day] = dayTotal(d); });
      return out;
    },
    visibleCount: function () { return nVisible; },
    setRange: setRange,
    showAll: showAll,
    setType: function (type, on) { typeOn[data.types.indexOf(type)] = on; refresh(); },
    setUndated: function (on) { setSwitch(undatedSwitch(), on); },
    // the groups drawn, in container pixels, with their events (top first)
    groups: function () {
      return groupsNow.map(function (g) {
        var cp = map.layerPointToContainerPoint(map.latLngToLayerPoint(groupLatLng(g)));
        return { x: cp.x, y: cp.y, r: g.r, count: g.events.length, top: g.top, events: g.events.slice(), places: g.places.map(function (p) { return places[p][0]; }) };
      });
    },
    labels: function () {
      return labelsNow.map(function (l) {
        return { name: l.name, rank: l.rank, x: l.x, y: l.y, w: l.w, h: l.h };
      });
    },
    eventLine: oneLine,
    setView: function (lat, lon, zoom) { map.setView([lat, lon], zoom, { animate: false }); },
    zoom: function () { return map.getZoom(); },
    openPopup: function (i) {
      var place = places[evPlace[i]], ll = L.latLng(place[4], place[5]);
      map.setView(ll, Math.max(map.getZoom(), 11), { animate: false });
      return openDetail(i, ll, null).getElement();
    }
  };
  window.geomapReady = true;
})();
