/* regionkg page: draws the graph embedded as JSON and wires search, filters and the panel.
 *
 * Rule for everything below: text that comes from the data (labels, quotes, titles)
 * only ever reaches the page through textContent or vis-network's canvas, never
 * through innerHTML, so an article quoting markup shows the markup as text.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta;
  var S = data.strings;
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--font").trim() ||
    "sans-serif";
  var BIG = data.nodes.length > 1500 || data.edges.length > 3000;
  var FADED = "rgba(200,200,200,0.35)";

  var classes = {};
  data.classes.forEach(function (c) { classes[c.name] = c; });
  var rel = data.relations;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  // Adjacency for the panel: node id -> [{edge, other, out}]
  var adjacency = {};
  data.nodes.forEach(function (n) { adjacency[n.id] = []; });
  data.edges.forEach(function (e) {
    adjacency[e.from].push({ edge: e, other: e.to, out: true });
    if (e.to !== e.from) { adjacency[e.to].push({ edge: e, other: e.from, out: false }); }
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function nodeSize(n) {
    return classes[n.cls].size + Math.min(12, 2 * Math.sqrt(n.deg));
  }

  function nodeTitle(n) {
    var parts = [n.label, classes[n.cls].zh];
    if (n.prov && n.prov !== n.label) { parts.push(n.prov); }
    return parts.join(" · ");
  }

  function baseNode(n) {
    var c = classes[n.cls];
    return {
      id: n.id, label: n.label, title: nodeTitle(n), shape: c.shape, size: nodeSize(n),
      color: { background: c.colour, border: "#ffffff",
               highlight: { background: c.colour, border: "#212529" },
               hover: { background: c.colour, border: "#212529" } },
      font: { color: "#212529", size: c.font }
    };
  }

  function edgeLabel(e) {
    if (e.rel === "partner") { return e.kind || rel.partner.zh; }
    return (rel[e.rel] || { zh: e.rel }).zh;
  }

  function baseEdge(e) {
    var r = rel[e.rel] || { colour: "#adb5bd", width: 1, dashes: false };
    var item = {
      id: e.id, from: e.from, to: e.to, width: r.width, dashes: r.dashes,
      color: { color: r.colour, highlight: r.colour, hover: r.colour, opacity: 1 },
      arrows: { to: { enabled: e.rel !== "partner" || e.dir, scaleFactor: 0.5 } },
      title: edgeLabel(e) + (e.since ? " · " + e.since : "")
    };
    if (!BIG) {
      item.label = edgeLabel(e);
      if (e.nth > 0) {
        item.smooth = { enabled: true, type: e.nth % 2 ? "curvedCW" : "curvedCCW",
                        roundness: 0.18 * Math.ceil(e.nth / 2) };
      }
    }
    return item;
  }

  var layout = meta.layout === "geo" && meta.has_geo ? "geo" : "force";
  function position(n) {
    return layout === "geo" ? { x: n.gx, y: n.gy } : { x: n.fx, y: n.fy };
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = baseNode(n);
    var p = position(n);
    item.x = p.x;
    item.y = p.y;
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(baseEdge));

  var container = document.getElementById("kg-graph");
  var options = {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: {
      hover: !BIG, tooltipDelay: 250, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG,
      multiselect: false, navigationButtons: false, keyboard: false
    },
    nodes: {
      borderWidth: 1.5, borderWidthSelected: 3,
      font: { face: FONT, size: 14, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: BIG ? 10 : 6 } }
    },
    edges: {
      smooth: false, selectionWidth: 1.5, hoverWidth: 0.5,
      font: { face: FONT, size: 10, color: "#6c757d", strokeWidth: 3, strokeColor: "#ffffff",
              align: "middle" }
    }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.kgNetwork = network;

  // Still from the first frame: positions are precomputed and physics is off.
  network.once("afterDrawing", function () {
    window.kgStableMs = Math.round(performance.now());
    window.kgStable = true;
    document.body.setAttribute("data-stable", "1");
  });

  // --- geographic backdrop: a light graticule every 5 degrees ---------------------
  var geo = meta.geo;
  var cosLat = Math.cos(geo.lat0 * Math.PI / 180);
  function project(lon, lat) {
    return [(lon - geo.lon0) * geo.scale * cosLat, -(lat - geo.lat0) * geo.scale];
  }
  network.on("beforeDrawing", function (ctx) {
    if (layout !== "geo") { return; }
    var unit = 1 / Math.max(network.getScale(), 0.01);  // one screen pixel
    ctx.save();
    ctx.strokeStyle = "#e3e7eb";
    ctx.lineWidth = unit;
    ctx.fillStyle = "#adb5bd";
    ctx.font = Math.round(12 * unit) + "px " + FONT;
    // labels stick to the visible left and bottom edges when the lines run past them
    var corner = network.DOMtoCanvas({ x: 0, y: container.clientHeight });
    var lon, lat, a, b;
    for (lon = 75; lon <= 135; lon += 5) {
      a = project(lon, 55); b = project(lon, 15);
      ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
      ctx.fillText(lon + "°E", b[0] + 3 * unit, Math.min(b[1], corner.y) - 4 * unit);
    }
    for (lat = 15; lat <= 55; lat += 5) {
      a = project(75, lat); b = project(135, lat);
      ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
      if (a[1] < corner.y - 24 * unit) {  // not on top of the longitude labels
        ctx.fillText(lat + "°N", Math.max(a[0], corner.x) + 3 * unit, a[1] - 4 * unit);
      }
    }
    ctx.restore();
  });

  // --- layouts ---------------------------------------------------------------------
  var forceButton = document.getElementById("kg-layout-force");
  var geoButton = document.getElementById("kg-layout-geo");
  geoButton.disabled = !meta.has_geo;
  if (!meta.has_geo) { geoButton.title = "图中没有坐标 no coordinates in this graph"; }
  function setLayout(name) {
    layout = name;
    forceButton.classList.toggle("active", name === "force");
    geoButton.classList.toggle("active", name === "geo");
    document.body.setAttribute("data-layout", name);
    nodes.update(data.nodes.map(function (n) {
      var p = position(n);
      return { id: n.id, x: p.x, y: p.y };
    }));
    fitView(false);
  }
  // The geographic view opens on the map; nodes linked to no placed region wait below it.
  var offMap = {};
  meta.geo.off_map.forEach(function (id) { offMap[id] = true; });
  function fitView(animate) {
    var how = { animation: animate ? { duration: 300 } : false };
    if (layout === "geo" && meta.geo.off_map.length) {
      how.nodes = data.nodes.filter(function (n) { return !offMap[n.id]; })
        .map(function (n) { return n.id; });
    }
    network.fit(how);
  }
  forceButton.addEventListener("click", function () { setLayout("force"); });
  geoButton.addEventListener("click", function () { if (meta.has_geo) { setLayout("geo"); } });
  document.getElementById("kg-fit").addEventListener("click", function () {
    fitView(true);
  });
  if (layout === "geo") { fitView(false); }
  forceButton.classList.toggle("active", layout === "force");
  geoButton.classList.toggle("active", layout === "geo");
  document.body.setAttribute("data-layout", layout);

  // --- legend ----------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    if (shape === "dot") {
      s = document.createElementNS(SVG, "circle");
      s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6");
    } else if (shape === "square") {
      s = document.createElementNS(SVG, "rect");
      s.setAttribute("x", "2"); s.setAttribute("y", "2");
      s.setAttribute("width", "12"); s.setAttribute("height", "12");
    } else {
      s = document.createElementNS(SVG, "polygon");
      var pts = {
        star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6",
        triangle: "8,2 14.5,14 1.5,14",
        diamond: "8,1 15,8 8,15 1,8",
        hexagon: "4,2 12,2 15.5,8 12,14 4,14 0.5,8"
      }[shape] || "8,1 15,8 8,15 1,8";
      s.setAttribute("points", pts);
    }
    s.setAttribute("fill", colour);
    svg.appendChild(s);
    return svg;
  }
  function line(colour, dashes, width) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "10");
    var l = document.createElementNS(SVG, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "21");
    l.setAttribute("y2", "5");
    l.setAttribute("stroke", colour);
    l.setAttribute("stroke-width", String(Math.max(1.5, width)));
    if (dashes) { l.setAttribute("stroke-dasharray", "4 3"); }
    svg.appendChild(l);
    return svg;
  }
  var legend = document.getElementById("kg-legend");
  data.classes.forEach(function (c) {
    if (!c.count) { return; }
    var li = el("li");
    li.setAttribute("data-class", c.name);
    li.appendChild(swatch(c.shape, c.colour));
    li.appendChild(el("span", c.zh));
    li.appendChild(el("span", c.en, "kg-en"));
    li.appendChild(el("span", c.count, "kg-count"));
    legend.appendChild(li);
  });
  var edgeLegend = document.getElementById("kg-edge-legend");
  var relCounts = {};
  data.edges.forEach(function (e) { relCounts[e.rel] = (relCounts[e.rel] || 0) + 1; });
  Object.keys(rel).forEach(function (name) {
    if (!relCounts[name]) { return; }
    var r = rel[name];
    var li = el("li");
    li.appendChild(line(r.colour, r.dashes, r.width));
    li.appendChild(el("span", r.zh));
    li.appendChild(el("span", name, "kg-en"));
    li.appendChild(el("span", relCounts[name], "kg-count"));
    edgeLegend.appendChild(li);
  });

  // --- filters ---------------------------------------------------------------------
  var shownTypes = {};
  var shownKinds = {};
  var province = "";
  function checkbox(id, text, count, checked, onChange) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.id = id;
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    label.appendChild(el("span", text));
    if (count !== null) { label.appendChild(el("span", count, "kg-count")); }
    return label;
  }
  var typeBox = document.getElementById("kg-type-filters");
  data.types.forEach(function (t) {
    shownTypes[t.name] = true;
    if (!t.count) { return; }
    typeBox.appendChild(checkbox("kg-type-" + t.name, t.zh + " " + t.name, t.count, true,
      function (on) { shownTypes[t.name] = on; applyFilters(); }));
  });
  var kindBox = document.getElementById("kg-kind-filters");
  var kindCounts = {};
  data.edges.forEach(function (e) {
    if (e.rel === "partner") { kindCounts[e.kind] = (kindCounts[e.kind] || 0) + 1; }
  });
  data.kinds.forEach(function (k, i) {
    shownKinds[k] = true;
    kindBox.appendChild(checkbox("kg-kind-" + i, k, kindCounts[k] || 0, true,
      function (on) { shownKinds[k] = on; applyFilters(); }));
  });
  if (!data.kinds.length) { kindBox.appendChild(el("p", "无 none", "kg-hint")); }
  var provinceSelect = document.getElementById("kg-province");
  var all = el("option", "全部省份 all provinces");
  all.value = "";
  provinceSelect.appendChild(all);
  data.provinces.forEach(function (p) {
    var o = el("option", p);
    o.value = p;
    provinceSelect.appendChild(o);
  });
  provinceSelect.addEventListener("change", function () {
    province = provinceSelect.value;
    applyFilters();
  });

  var hiddenNodes = {};
  var hiddenEdges = {};
  function nodeVisible(n) {
    if (!shownTypes[n.type]) { return false; }
    if (province && n.provs.indexOf(province) < 0) { return false; }
    return true;
  }
  function applyFilters() {
    var nodeUpdates = [];
    var edgeUpdates = [];
    var visibleNodes = 0;
    var visibleEdges = 0;
    data.nodes.forEach(function (n) {
      var hide = !nodeVisible(n);
      if (!hide) { visibleNodes += 1; }
      if (!!hiddenNodes[n.id] !== hide) {
        hiddenNodes[n.id] = hide;
        nodeUpdates.push({ id: n.id, hidden: hide });
      }
    });
    data.edges.forEach(function (e) {
      var hide = hiddenNodes[e.from] || hiddenNodes[e.to] ||
        (e.rel === "partner" && e.kind && !shownKinds[e.kind]);
      hide = !!hide;
      if (!hide) { visibleEdges += 1; }
      if (!!hiddenEdges[e.id] !== hide) {
        hiddenEdges[e.id] = hide;
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    document.getElementById("kg-visible-nodes").textContent = String(visibleNodes);
    document.getElementById("kg-visible-edges").textContent = String(visibleEdges);
  }
  function resetFilters() {
    Object.keys(shownTypes).forEach(function (t) { shownTypes[t] = true; });
    Object.keys(shownKinds).forEach(function (k) { shownKinds[k] = true; });
    province = "";
    provinceSelect.value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#kg-side input[type=checkbox]"),
      function (box) { box.checked = true; });
    applyFilters();
  }

  // --- neighbourhood highlight -----------------------------------------------------
  var faded = false;
  function highlight(id) {
    var keep = {};
    keep[id] = true;
    adjacency[id].forEach(function (a) { keep[a.other] = true; });
    var nodeUpdates = data.nodes.map(function (n) {
      if (keep[n.id]) { return baseNode(n); }
      return { id: n.id, color: { background: FADED, border: FADED },
               font: { color: "#ced4da", size: classes[n.cls].font } };
    });
    var edgeUpdates = data.edges.map(function (e) {
      var item = baseEdge(e);
      if (e.from !== id && e.to !== id) {
        item.color = { color: FADED, highlight: FADED, hover: FADED };
        item.font = { color: "rgba(0,0,0,0)", strokeWidth: 0 };
      }
      return item;
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    faded = true;
  }
  function clearHighlight() {
    if (!faded) { return; }
    nodes.update(data.nodes.map(baseNode));
    edges.update(data.edges.map(function (e) {
      var item = baseEdge(e);
      item.font = { color: "#6c757d", strokeWidth: 3 };
      return item;
    }));
    faded = false;
  }

  // --- side panel ------------------------------------------------------------------
  var panel = document.getElementById("kg-panel");
  function jumpButton(n) {
    var b = el("button", n.label, "kg-link");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(n.id); });
    return b;
  }
  function evidenceList(items) {
    var ul = el("ul", null, "kg-evidence");
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("p", S[item.ev[0]], "kg-quote"));
      var source = (item.note ? item.note + " · " : "") + "《" + S[item.ev[1]] + "》";
      li.appendChild(el("p", source, "kg-source"));
      ul.appendChild(li);
    });
    return ul;
  }
  function definition(dl, term, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function showNode(id) {
    var n = byId[id];
    var c = classes[n.cls];
    panel.textContent = "";
    panel.setAttribute("data-node", String(id));
    panel.removeAttribute("data-edge");
    var badge = el("span", c.zh + " " + c.en, "kg-badge");
    badge.style.background = c.colour;
    panel.appendChild(badge);
    panel.appendChild(el("h2", n.label, "kg-title"));
    if (n.en) { panel.appendChild(el("p", n.en, "kg-sub")); }
    var dl = el("dl");
    definition(dl, "别名 also", n.alt.join("、"));
    definition(dl, "代码 code", n.code);
    if (n.chain.length) { definition(dl, "上级 parents", [n.label].concat(n.chain).join(" ‹ ")); }
    definition(dl, "省份 province", n.prov || (n.type !== "Region" ? n.provs.join("、") : ""));
    definition(dl, "数值 value", n.value);
    definition(dl, "数量 count", n.count);
    definition(dl, "报道 articles", n.men);
    definition(dl, "关系 relations", n.deg);
    panel.appendChild(dl);

    var related = adjacency[id].slice().sort(function (a, b) {
      var ra = Object.keys(rel).indexOf(a.edge.rel);
      var rb = Object.keys(rel).indexOf(b.edge.rel);
      if (ra !== rb) { return ra - rb; }
      return byId[a.other].label < byId[b.other].label ? -1 : 1;
    });
    if (related.length) {
      panel.appendChild(el("h3", "关联 Related (" + related.length + ")"));
      var ul = el("ul", null, "kg-related");
      related.forEach(function (a) {
        var li = el("li");
        var e = a.edge;
        var name = edgeLabel(e);
        var arrow = a.out ? name + " →" : "← " + name;
        if (e.rel === "partner" && !e.dir) { arrow = name + " ↔"; }
        li.appendChild(el("span", arrow, "kg-rel"));
        li.appendChild(jumpButton(byId[a.other]));
        if (e.since) { li.appendChild(el("span", " 自" + e.since + "年", "kg-rel")); }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }

    var seen = {};
    var evidence = [];
    n.ev.forEach(function (ev) {
      var key = ev.join(",");
      if (!seen[key]) { seen[key] = true; evidence.push({ ev: ev, note: "" }); }
    });
    related.forEach(function (a) {
      a.edge.ev.forEach(function (ev) {
        var key = ev.join(",");
        if (!seen[key]) {
          seen[key] = true;
          evidence.push({ ev: ev, note: edgeLabel(a.edge) + " · " + byId[a.other].label });
        }
      });
    });
    panel.appendChild(el("h3", "证据 Evidence (" + evidence.length + ")"));
    if (evidence.length) {
      panel.appendChild(evidenceList(evidence));
    } else {
      panel.appendChild(el("p", "没有原文句子（来自行政区划表）。No sentence: from the gazetteer.",
        "kg-placeholder"));
    }
    panel.appendChild(el("p", n.iri, "kg-iri"));
  }
  function showEdge(id) {
    var e = edgeById[id];
    panel.textContent = "";
    panel.setAttribute("data-edge", String(id));
    panel.removeAttribute("data-node");
    var r = rel[e.rel] || { zh: e.rel, colour: "#868e96" };
    var badge = el("span", r.zh + " " + e.rel, "kg-badge");
    badge.style.background = r.colour;
    panel.appendChild(badge);
    panel.appendChild(el("h2", byId[e.from].label + (e.dir ? " → " : " — ") + byId[e.to].label,
      "kg-title"));
    var dl = el("dl");
    definition(dl, "从 from", jumpButton(byId[e.from]));
    definition(dl, "到 to", jumpButton(byId[e.to]));
    definition(dl, "类型 kind", e.kind ? e.kind + (e.kind_en ? " (" + e.kind_en + ")" : "") : "");
    definition(dl, "起始 since", e.since);
    panel.appendChild(dl);
    panel.appendChild(el("h3", "证据 Evidence (" + e.ev.length + ")"));
    if (e.ev.length) {
      panel.appendChild(evidenceList(e.ev.map(function (ev) { return { ev: ev, note: "" }; })));
    } else {
      panel.appendChild(el("p", "没有原文句子。No sentence recorded.", "kg-placeholder"));
    }
  }

  function focusNode(id) {
    if (hiddenNodes[id]) { resetFilters(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1),
                        animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    highlight(id);
    showNode(id);
  }
  window.kgFocus = focusNode;

  network.on("click", function (params) {
    if (params.nodes.length) {
      highlight(params.nodes[0]);
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      clearHighlight();
      showEdge(params.edges[0]);
    } else {
      clearHighlight();
    }
  });

  // --- search ----------------------------------------------------------------------
  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var found = [];
    data.nodes.forEach(function (n) {
      var names = [n.label, n.en, n.code].concat(n.alt);
      var best = 9;
      names.forEach(function (name) {
        if (!name) { return; }
        var s = String(name).toLowerCase();
        if (s === q) { best = Math.min(best, 0); }
        else if (s.indexOf(q) === 0) { best = Math.min(best, 1); }
        else if (s.indexOf(q) >= 0) { best = Math.min(best, 2); }
      });
      if (best < 9) { found.push([best, -n.deg, n.label, n.id]); }
    });
    found.sort(function (a, b) {
      for (var i = 0; i < 3; i += 1) {
        if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; }
      }
      return a[3] - b[3];
    });
    return found.slice(0, 30).map(function (f) { return byId[f[3]]; });
  }
  function showResults() {
    var found = matches(search.value);
    results.textContent = "";
    if (!search.value.trim()) { results.hidden = true; return; }
    if (!found.length) {
      results.appendChild(el("li", "没有找到 nothing found", "kg-empty"));
    }
    found.forEach(function (n) {
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.setAttribute("data-id", String(n.id));
      b.appendChild(el("span", n.label));
      b.appendChild(el("span", classes[n.cls].zh + (n.prov && n.prov !== n.label ? " · " + n.prov : ""),
        "kg-result-type"));
      b.addEventListener("click", function () {
        results.hidden = true;
        focusNode(n.id);
      });
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = false;
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(search.value);
      if (found.length) { results.hidden = true; focusNode(found[0].id); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("click", function (ev) {
    if (!document.getElementById("kg-search-box").contains(ev.target)) { results.hidden = true; }
  });

  applyFilters();
  if (meta.focus !== null && meta.focus !== undefined && byId[meta.focus]) {
    network.once("afterDrawing", function () { focusNode(meta.focus); });
  }
}());
