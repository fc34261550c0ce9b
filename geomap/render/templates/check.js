(function () {
  "use strict";
  // The data is one JSON blob parsed once; rows are drawn a page at a time. Every string from
  // the data goes into the page as a text node (textContent), never as markup.
  var D = JSON.parse(document.getElementById("check-data").textContent);
  var LABELS = ["unresolved", "ambiguous", "fallback", "doubtful", "ok"];
  var PAGE = 60;                 // mentions a page
  var NOT_A_PLACE = "none";      // geomap.corrections.NOT_A_PLACE
  var M = D.m.map(function (a, i) {
    var pid = a[9], p = pid ? D.places[pid] : null;
    return {
      i: i, sent: a[0], a: a[1], b: a[2], surface: a[3], role: a[4], status: a[5],
      score: a[6], margin: a[7], reason: D.reasons[a[8]], pid: pid, place: p,
      alts: a[10], priority: a[11], feature: a[12] || "", located: a[13] || "",
      rules: a[14] === undefined ? "" : D.reasons[a[14]],
      doc: D.sentences[a[0]][0]
    };
  });
  // the mentions of each sentence, and the best priority of the sentence (its rows stay together)
  var bySent = D.sentences.map(function () { return []; });
  M.forEach(function (m) { bySent[m.sent].push(m); });
  var sentPrio = bySent.map(function (ms) {
    return ms.reduce(function (x, m) { return Math.min(x, m.priority); }, 9);
  });
  M.forEach(function (m) {
    var alts = m.alts.map(function (a) { var p = D.places[a[0]]; return p[0] + " " + a[0]; }).join(" ");
    m.hay = (m.surface + " " + m.doc + " " + m.status + " " + (m.place ? m.place[0] + " " + m.pid : "") +
      " " + m.reason + " " + m.rules + " " + m.feature + " " + alts).toLowerCase();
  });
  function byGroup(x, y) {
    return (sentPrio[x.sent] - sentPrio[y.sent]) || (x.sent - y.sent) ||
      (x.priority - y.priority) || (x.a - y.a) || (x.i - y.i);
  }
  var order = M.slice().sort(byGroup), shown = order, page = 0, selected = -1;

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (txt !== undefined && txt !== null) { e.textContent = String(txt); }
    return e;
  }
  function placeText(p) { return p[0] + " (" + p[1] + ", " + p[2] + ")"; }

  // -- the small map: countries, the place's outline, labels on the place and its rivals ------
  var map = null, layer = null;
  if (window.L) {
    map = L.map("mini", { zoomControl: true, attributionControl: false }).setView([35.0, 38.0], 6);
    L.geoJSON(JSON.parse(document.getElementById("check-basemap").textContent), {
      interactive: false, style: { color: "#6f6f6f", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }
    }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    layer = L.layerGroup().addTo(map);
  }
  function label(marker, s, chosen) {
    // Leaflet inserts a tooltip's string as HTML: give it a text node, never a string.
    marker.bindTooltip(el("span", null, s), {
      permanent: true, direction: "right", offset: [8, 0],
      className: "geomap-label" + (chosen ? " chosen" : "")
    });
  }
  function show(i) {
    var d = M[i];
    selected = i;
    var trs = tbody.querySelectorAll("tr");
    for (var k = 0; k < trs.length; k++) { trs[k].classList.toggle("sel", +trs[k].dataset.i === i); }
    var cap = document.getElementById("mini-caption");
    cap.textContent = d.place ? (d.surface + " \u2192 " + d.place[0] + " (" + d.place[1] + ", " +
      d.place[2] + ", " + d.pid + "), " + d.alts.length + " alternatives") : (d.surface + ": not resolved");
    if (!map) { return; }
    layer.clearLayers();
    var pts = [];
    d.alts.forEach(function (a) {
      var p = D.places[a[0]];
      var m = L.circleMarker([p[3], p[4]], { radius: 6, color: "#555", fillColor: "#aaa", fillOpacity: 0.8 });
      label(m, p[0] + " (" + p[2] + ") " + a[1].toFixed(2), false);
      layer.addLayer(m); pts.push([p[3], p[4]]);
    });
    if (d.place) {
      var p = d.place;
      if (D.shapes[d.pid]) {
        layer.addLayer(L.geoJSON(D.shapes[d.pid], { interactive: false, style: { color: "#c00", weight: 2, fillOpacity: 0.08 } }));
      } else {
        layer.addLayer(L.circle([p[3], p[4]], { radius: p[5] * 1000, color: "#c00", weight: 1, dashArray: "4 4", fillOpacity: 0.05 }));
      }
      var c = L.circleMarker([p[3], p[4]], { radius: 8, color: "#600", fillColor: "#e00", fillOpacity: 0.9 });
      label(c, p[0], true);
      layer.addLayer(c);
      pts.push([p[3], p[4]]);
    }
    if (pts.length === 1) { map.setView(pts[0], 11); } else if (pts.length) { map.fitBounds(pts, { padding: [30, 30], maxZoom: 11 }); }
  }

  // -- corrections picked here -----------------------------------------------------------
  var picked = {};   // mention index -> {place_id, what}
  var every = document.getElementById("fix-every");
  function pick(m, placeId, what) {
    if (placeId === null) { delete picked[m.i]; } else { picked[m.i] = { place_id: placeId, what: what }; }
    drawFixes();
    render();
  }
  function drawFixes() {
    var keys = Object.keys(picked), list = document.getElementById("fix-list");
    document.getElementById("fix-count").textContent = keys.length ?
      keys.length + " correction" + (keys.length > 1 ? "s" : "") + " picked" : "No correction picked yet.";
    list.textContent = "";
    keys.forEach(function (k) {
      var m = M[+k], f = picked[k];
      list.appendChild(el("li", null, m.doc + ": \u201c" + m.surface + "\u201d \u2192 " + f.what));
    });
  }
  function csvCell(s) {
    s = String(s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function correctionsCsv() {
    var rows = JSON.parse(document.getElementById("check-corrections").textContent);
    var at = {};
    rows.forEach(function (r, n) { at[r[0] + "\t" + r[1].toLowerCase()] = n; });
    Object.keys(picked).map(Number).sort(function (x, y) { return x - y; }).forEach(function (k) {
      var m = M[k], f = picked[k], doc = every.checked ? "*" : m.doc;
      var row = [doc, m.surface, f.place_id, "check page: " + f.what];
      var key = doc + "\t" + m.surface.toLowerCase();
      if (key in at) { rows[at[key]] = row; } else { at[key] = rows.length; rows.push(row); }
    });
    return "doc,surface,place_id,note\n" + rows.map(function (r) { return r.map(csvCell).join(","); }).join("\n") + "\n";
  }
  window.geomapCorrectionsCsv = correctionsCsv;
  document.getElementById("fix-download").addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([correctionsCsv()], { type: "text/csv" }));
    a.download = "corrections.csv";
    document.body.appendChild(a); a.click(); a.remove();
  });

  // the gazetteer's names, parsed on the first search
  var INDEX = null;
  function search(q, m) {
    if (!INDEX) {
      INDEX = JSON.parse(document.getElementById("check-index").textContent).map(function (r) {
        return { id: r[0], name: r[1], kind: r[2], where: r[3], names: (r[1] + "|" + r[4]).toLowerCase() };
      });
      if (!INDEX.length) {  // no gazetteer beside the page: the mention's own candidates
        Object.keys(D.places).forEach(function (id) {
          var p = D.places[id];
          INDEX.push({ id: id, name: p[0], kind: p[1], where: p[2], names: p[0].toLowerCase() });
        });
      }
    }
    q = q.trim().toLowerCase();
    var own = {};
    m.alts.forEach(function (a) { own[a[0]] = 1; });
    var hits = [];
    for (var k = 0; k < INDEX.length && q; k++) {
      var r = INDEX[k], at = r.names.indexOf(q);
      if (at < 0 && r.id.toLowerCase() !== q) { continue; }
      var rank = (own[r.id] ? 0 : 4) + (r.name.toLowerCase() === q || r.id.toLowerCase() === q ? 0 :
        (at === 0 || r.names.charAt(at - 1) === "|" || r.names.charAt(at - 1) === " ") ? 1 : 2);
      hits.push([rank, r]);
    }
    hits.sort(function (x, y) { return x[0] - y[0] || x[1].name.length - y[1].name.length; });
    return hits.slice(0, 12).map(function (h) { return h[1]; });
  }
  function finder(td, m) {
    var box = el("div");
    var input = el("input");
    input.type = "search"; input.placeholder = "place name or id"; input.setAttribute("aria-label", "search the gazetteer");
    var hits = el("ul", "hits");
    input.addEventListener("input", function () {
      hits.textContent = "";
      search(input.value, m).forEach(function (r) {
        var li = el("li", null, r.name + " (" + r.kind + ", " + r.where + ") " + r.id);
        li.tabIndex = 0;
        li.addEventListener("click", function () { pick(m, r.id, r.name + " (" + r.id + ")"); });
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { li.click(); } });
        hits.appendChild(li);
      });
    });
    box.appendChild(input); box.appendChild(hits);
    td.appendChild(box);
    input.focus();
  }
  function fixCell(m) {
    var td = el("td", "fix");
    var f = picked[m.i];
    if (f) {
      td.appendChild(el("span", "picked", "\u2713 " + f.what));
      var undo = el("button", null, "undo");
      undo.type = "button";
      undo.addEventListener("click", function (e) { e.stopPropagation(); pick(m, null, ""); });
      td.appendChild(undo);
      return td;
    }
    function button(text, fn, disabled) {
      var b = el("button", null, text);
      b.type = "button"; b.disabled = !!disabled;
      b.addEventListener("click", function (e) { e.stopPropagation(); fn(b); });
      td.appendChild(b);
    }
    button("right", function () { pick(m, m.pid, "right: " + m.place[0] + " (" + m.pid + ")"); }, !m.place);
    button("not a place", function () { pick(m, NOT_A_PLACE, "not a place"); });
    button("this is\u2026", function (b) { b.disabled = true; finder(td, m); });
    td.addEventListener("click", function (e) { e.stopPropagation(); });
    return td;
  }

  // -- the table: a page of rows, a sentence once with all its mentions marked ---------------
  var tbody = document.querySelector("#mentions tbody");
  function sentenceCell(m, n) {
    var td = el("td", "sent");
    td.rowSpan = n;
    td.appendChild(el("span", "doc", m.doc));
    var text = D.sentences[m.sent][1], at = 0;
    var marks = bySent[m.sent].filter(function (x) { return x.a >= 0; })
      .sort(function (x, y) { return x.a - y.a || y.b - x.b; });
    marks.forEach(function (x) {
      if (x.a < at) { return; }  // overlapping names: the first is marked
      td.appendChild(document.createTextNode(text.slice(at, x.a)));
      var mk = el("mark", x.i === m.i ? "cur" : null, text.slice(x.a, x.b));
      mk.title = x.status + (x.place ? ": " + x.place[0] : "");
      td.appendChild(mk);
      at = x.b;
    });
    td.appendChild(document.createTextNode(text.slice(at)));
    return td;
  }
  function row(m, first, n) {
    var tr = el("tr", first ? "first" : null);
    tr.dataset.i = m.i; tr.dataset.doc = m.doc; tr.dataset.surface = m.surface; tr.dataset.status = m.status; tr.dataset.priority = m.priority;
    tr.dataset.score = m.score.toFixed(3); tr.dataset.margin = m.margin.toFixed(3);
    var look = el("td", "prio prio-" + LABELS[m.priority], LABELS[m.priority]);
    look.appendChild(el("div", "small", m.status));
    tr.appendChild(look);
    if (first) { tr.appendChild(sentenceCell(m, n)); }
    var men = el("td", null, m.surface);
    men.appendChild(el("div", "small", m.role));
    tr.appendChild(men);
    var at = el("td");
    if (m.feature) { at.appendChild(el("div", "small", "feature: " + m.feature)); }
    if (m.place) {
      at.appendChild(document.createTextNode(m.place[0] + " "));
      at.appendChild(el("span", "pid", m.pid));
      at.appendChild(el("div", "small", m.place[1] + ", " + m.place[2] + "; \u00b1" + m.place[5] + " km"));
      if (m.located) { at.appendChild(el("div", "small", "located at " + m.located)); }
    } else { at.textContent = "\u2014"; }
    tr.appendChild(at);
    var sc = el("td", "c-score", m.score.toFixed(2));
    sc.appendChild(el("div", "small", "margin " + m.margin.toFixed(2)));
    tr.appendChild(sc);
    var why = el("td");
    why.appendChild(el("div", "why", m.reason));
    if (m.rules) { why.appendChild(el("div", "small", "rules: " + m.rules)); }
    if (m.alts.length) {
      var ol = el("ol", "alts");
      m.alts.forEach(function (a) {
        var p = D.places[a[0]];
        var li = el("li", null, placeText(p) + " " + a[1].toFixed(2) + " ");
        li.appendChild(el("span", "pid", a[0]));
        ol.appendChild(li);
      });
      why.appendChild(ol);
    }
    tr.appendChild(why);
    tr.appendChild(fixCell(m));
    tr.addEventListener("click", function () { show(m.i); });
    return tr;
  }
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var part = shown.slice(page * PAGE, page * PAGE + PAGE);
    var frag = document.createDocumentFragment();
    for (var k = 0; k < part.length;) {
      var n = 1;
      while (k + n < part.length && part[k + n].sent === part[k].sent) { n += 1; }
      for (var j = 0; j < n; j++) { frag.appendChild(row(part[k + j], j === 0, n)); }
      k += n;
    }
    tbody.textContent = "";
    tbody.appendChild(frag);
    var info = shown.length ? "mentions " + (page * PAGE + 1) + "\u2013" + (page * PAGE + part.length) +
      " of " + shown.length + " \u00b7 page " + (page + 1) + " of " + pages : "no mention matches";
    ["p-info", "p-info2"].forEach(function (id) { document.getElementById(id).textContent = info; });
    ["p-prev", "p-prev2"].forEach(function (id) { document.getElementById(id).disabled = page === 0; });
    ["p-next", "p-next2"].forEach(function (id) { document.getElementById(id).disabled = page >= pages - 1; });
    if (selected >= 0) {
      var sel = tbody.querySelector('tr[data-i="' + selected + '"]');
      if (sel) { sel.classList.add("sel"); }
    }
  }
  function go(delta, top) {
    return function () { page += delta; render(); if (top) { document.getElementById("mentions").scrollIntoView(); } };
  }
  document.getElementById("p-prev").addEventListener("click", go(-1));
  document.getElementById("p-next").addEventListener("click", go(1));
  document.getElementById("p-prev2").addEventListener("click", go(-1, true));
  document.getElementById("p-next2").addEventListener("click", go(1, true));

  // -- filters and sorting --------------------------------------------------------------
  var fStatus = document.getElementById("f-status"), fPrio = document.getElementById("f-prio");
  var fText = document.getElementById("f-text"), fCount = document.getElementById("f-count");
  function filter() {
    var s = fStatus.value, p = fPrio.value, q = fText.value.toLowerCase().trim(), out = [];
    for (var k = 0; k < order.length; k++) {
      var m = order[k];
      if ((!s || m.status === s) && (!p || LABELS[m.priority] === p) && (!q || m.hay.indexOf(q) >= 0)) { out.push(m); }
    }
    shown = out; page = 0;
    fCount.textContent = out.length + " of " + M.length + " mentions";
    render();
  }
  [fStatus, fPrio].forEach(function (e) { e.addEventListener("change", filter); });
  fText.addEventListener("input", filter);
  document.querySelectorAll("#summary .card[data-status]").forEach(function (c) {
    c.addEventListener("click", function () { fStatus.value = c.dataset.status; filter(); });
  });
  var KEYS = {
    doc: function (m) { return m.doc; }, surface: function (m) { return m.surface.toLowerCase(); },
    place: function (m) { return m.place ? m.place[0].toLowerCase() : ""; },
    score: function (m) { return m.score; }
  };
  document.querySelectorAll("#mentions th[data-key]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key;
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      document.querySelectorAll("#mentions th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var f = KEYS[key];
      order = M.slice().sort(f ? function (x, y) {
        var a = f(x), b = f(y), c = a < b ? -1 : a > b ? 1 : 0;
        return c * dir || byGroup(x, y);    // ties: a sentence's mentions stay together
      } : function (x, y) { return byGroup(x, y) * dir; });
      filter();
    });
  });
  filter();
  if (shown.length) { show(shown[0].i); }
  window.geomapCheckReady = true;
})();
