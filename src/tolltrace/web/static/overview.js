// The incident list's map (Leaflet over packaged Natural Earth outlines) and timeline
// (an SVG drawn here). Data come from the same API query as the table; text is set
// with textContent, never as HTML.
(function () {
  "use strict";
  var mapEl = document.getElementById("map");
  var svg = document.getElementById("timeline");
  if (!mapEl) return;
  var SVGNS = "http://www.w3.org/2000/svg";

  function figure(f) {
    if (!f || (f.min === null && f.max === null)) return "–";
    if (f.max === null) return f.min + "+";
    if (f.min === null) return "≤" + f.max;
    return f.min === f.max ? String(f.min) : f.min + "–" + f.max;
  }

  // A range with the best figure beside it, as the table shows it: "60+ (best 60)".
  function withBest(f, best) {
    return figure(f) + (best === null || best === undefined ? "" : " (best " + best + ")");
  }

  function incidentLink(x) {
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(x.id);
    a.textContent = x.title;
    var div = document.createElement("div");
    div.appendChild(a);
    var p = document.createElement("p");
    p.textContent = (x.date_start || "") + " · killed " + withBest(x.killed, x.best_killed) +
      " · injured " + withBest(x.injured, x.best_injured) + " · " + x.grade;
    div.appendChild(p);
    if (approximate(x.place)) {
      // A place the gazetteer lacks: the marker stands at the place it lies in.
      var note = document.createElement("p");
      note.className = "approx-note";
      note.textContent = (x.place.name || x.place.text) +
        ": not in the gazetteer; shown at the point of the place it lies in (approx.)";
      div.appendChild(note);
    }
    return div;
  }

  function approximate(place) {
    return !!place && place.precision === "container";
  }

  var map = L.map(mapEl, { worldCopyJump: true, preferCanvas: true }).setView([30, 30], 2);
  var tileUrl = mapEl.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map);
  }
  fetch(mapEl.getAttribute("data-basemap"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(countries, {
        style: { color: "#8a8a8a", weight: 0.6, fillColor: "#f1efe9", fillOpacity: tileUrl ? 0 : 1 },
        interactive: false,
      }).addTo(map).bringToBack();
      mapEl.setAttribute("data-basemap-loaded", "1");
    });

  function drawMap(items) {
    var bounds = [];
    items.forEach(function (x) {
      if (!x.place || x.place.lat === null || x.place.lon === null) return;
      var killed = x.killed.max !== null ? x.killed.max : (x.killed.min || 0);
      var approx = approximate(x.place);
      var m = L.circleMarker([x.place.lat, x.place.lon], {
        radius: 4 + Math.min(16, Math.sqrt(killed)),
        color: "#8b1a1a", weight: 1, fillColor: "#c0392b",
        // An approximate point (the container's): hollow, dashed outline.
        dashArray: approx ? "3 3" : null, fillOpacity: approx ? 0.2 : 0.6,
      });
      m.bindPopup(incidentLink(x));
      m.addTo(map);
      bounds.push([x.place.lat, x.place.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 7, padding: [20, 20] });
    mapEl.setAttribute("data-markers", String(bounds.length));
  }

  function el(name, attrs) {
    var e = document.createElementNS(SVGNS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function drawTimeline(items) {
    var dated = items.filter(function (x) { return x.date_start; });
    var W = svg.clientWidth || 800, H = 140, pad = 30;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!dated.length) {
      var t = el("text", { x: pad, y: H / 2 });
      t.textContent = "No dated incidents.";
      svg.appendChild(t);
      return;
    }
    var times = dated.map(function (x) { return Date.parse(x.date_start); });
    var t0 = Math.min.apply(null, times), t1 = Math.max.apply(null, times);
    if (t1 === t0) { t0 -= 86400000; t1 += 86400000; }
    var kmax = 1;
    dated.forEach(function (x) {
      var k = x.killed.max !== null ? x.killed.max : (x.killed.min || 0);
      kmax = Math.max(kmax, k);
    });
    var axis = el("line", { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: "axis" });
    svg.appendChild(axis);
    [t0, t1].forEach(function (t, i) {
      var label = el("text", { x: i ? W - pad : pad, y: H - 8, "text-anchor": i ? "end" : "start", class: "tick" });
      label.textContent = new Date(t).toISOString().slice(0, 10);
      svg.appendChild(label);
    });
    dated.forEach(function (x) {
      var t = Date.parse(x.date_start);
      var cx = pad + (W - 2 * pad) * (t - t0) / (t1 - t0);
      var k = x.killed.max !== null ? x.killed.max : (x.killed.min || 0);
      var h = (H - 2 * pad) * Math.sqrt(k / kmax);
      var a = el("a", { href: "/incidents/" + encodeURIComponent(x.id) });
      var bar = el("rect", { x: cx - 2, y: H - pad - h, width: 4, height: Math.max(h, 1), class: "bar grade-" + x.grade });
      var title = el("title", {});
      title.textContent = x.date_start + " · " + x.title + " · killed " + withBest(x.killed, x.best_killed);
      bar.appendChild(title);
      a.appendChild(bar);
      svg.appendChild(a);
    });
    svg.setAttribute("data-bars", String(dated.length));
  }

  fetch(mapEl.getAttribute("data-api"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : { items: [] }; })
    .then(function (data) {
      drawMap(data.items);
      if (svg) drawTimeline(data.items);
    });
})();
