"""The interactive page: one HTML file that works offline and runs nothing from the data.

Why our own template rather than pyvis's ``Network.write_html``: pyvis's page links
Bootstrap from a CDN even in ``in_line`` mode, writes with the platform encoding
and builds its side menus with innerHTML. We keep pyvis for what it ships, the
vis-network library (``pyvis/lib/vis-9.1.2``), and inline it into a page of our
own (``page.html``, ``page.css``, ``page.js`` beside this module), so the file:

* makes no request: every script and style is inlined, nothing is linked;
* is safe: the graph travels as JSON inside ``<script type="application/json">``
  with ``<``, ``>``, ``&`` and U+2028/U+2029 escaped, and page.js puts text into
  the page with ``textContent`` only, so an article quoting ``<script>`` shows
  the words;
* is deterministic: sorted nodes and edges, seeded layouts, no timestamps;
* stays usable when large: positions are precomputed (:mod:`kg.graph.layout`),
  physics is off, and above ``max_nodes`` (:data:`DEFAULT_MAX_NODES`) the most
  connected nodes are shown, with a notice on the page saying it is a part.

Why 3,000 by default: the projection of 2,000 generated articles (450,000 triples,
17,654 nodes) renders in about 1.3 s of CPU with its 3,000 most connected nodes,
but 2.8 s at 5,000 and 11 s uncapped (the layout grows faster than the nodes),
and the browser opens 3,000 still nodes within about a second. So ``kg build``
can draw the page of any corpus; ``kg viz --focus``/``--types`` show the rest.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

import networkx as nx

from kg.graph.analyse import find_node
from kg.graph.layout import GEO_CENTRE, GEO_SCALE, force_positions, geo_layout
from kg.graph.memo import Changed, Memo
from kg.graph.project import NODE_TYPES, project_most_connected
from kg.graph.style import CLASSES, RELATION_STYLES, TYPE_ZH, class_of
from kg.rdf.export import write_atomic

#: Above this many nodes the page shows the most connected ones (see the docstring).
DEFAULT_MAX_NODES = 3000
LAYOUTS = ("force", "geo")
TITLE = "regionkg 区域发展知识图谱"
_VIS = ("lib", "vis-9.1.2", "vis-network.min.js")


@dataclass(frozen=True)
class Selection:
    """The part of the projection a page shows, and what was left out."""

    graph: nx.MultiDiGraph
    total_nodes: int
    total_edges: int
    truncated: bool
    focus: str | None
    max_nodes: int
    #: What the next :func:`select_from_store` may re-use (see kg.graph.memo.Memo).
    memo: Memo | None = field(default=None, compare=False, repr=False)


def select(G: nx.MultiDiGraph, *, types: list[str] | None = None, focus: str | None = None,
           depth: int = 1, max_nodes: int | None = DEFAULT_MAX_NODES) -> Selection:
    """Keep the types asked for, the neighbourhood of ``focus``, then at most ``max_nodes``.

    ``focus`` is a name (label, alt label, code or IRI); unknown names raise
    kg.graph.analyse.EntityNameError. Beyond ``max_nodes`` the nodes with most
    relations are kept (ties by IRI), which keeps hubs and their partnerships.
    """
    total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()
    nodes = set(G.nodes)
    if types:
        unknown = sorted(set(types) - set(NODE_TYPES))
        if unknown:
            raise ValueError(f"unknown type(s) {', '.join(unknown)}; choose from "
                             + ", ".join(NODE_TYPES))
        nodes = {n for n in nodes if G.nodes[n].get("type") in types}
    focus_node = None
    if focus:
        focus_node = find_node(G, focus)
        if focus_node not in nodes:
            nodes.add(focus_node)
        sub = G.subgraph(nodes).to_undirected(as_view=True)
        nodes = set(nx.single_source_shortest_path_length(sub, focus_node, cutoff=depth))
    truncated = False
    if max_nodes is not None and len(nodes) > max_nodes:
        sub = G if len(nodes) == total_nodes else G.subgraph(nodes)  # a view is slower
        ranked = sorted(nodes, key=lambda n: (-sub.degree(n), n))
        keep = set(ranked[:max_nodes])
        if focus_node is not None:
            keep.add(focus_node)
        nodes, truncated = keep, True
    S = nx.MultiDiGraph()
    S.add_nodes_from((n, G.nodes[n]) for n in sorted(nodes))
    S.add_edges_from(sorted(((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                             if u in nodes and v in nodes), key=lambda e: e[:3]))
    return Selection(S, total_nodes, total_edges, truncated, focus_node,
                     max_nodes or total_nodes)


def select_from_store(source, *, max_nodes: int | None = DEFAULT_MAX_NODES,
                      memo: Memo | None = None, changed: Changed | None = None) -> Selection:
    """``select(project(source), max_nodes=max_nodes)`` without projecting what is cut.

    ``source`` is a pyoxigraph Store or an rdflib Graph. Why: the page of a large graph
    shows its few thousand most connected nodes, and projecting all the others first
    (their labels, evidence and mentions) cost a 20,000-article build ~27 s and 1.3 GB;
    kg.graph.project.project_most_connected ranks the nodes by the same degree from the
    links alone and reads the facts of the kept ones only. Same selection, same page.

    ``memo`` (a previous Selection's) and ``changed`` (what changed in the store since)
    let it read only what the change touched; the selection is the same. The result's
    ``memo`` is the one to pass next (the one passed is used up).
    """
    part = project_most_connected(source, max_nodes, memo, changed)
    return Selection(part.graph, part.total_nodes, part.total_edges, part.truncated, None,
                     max_nodes or part.total_nodes, part.memo)


def _provinces(S: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Provinces a node belongs to: its own for regions; else those of regions ≤ 2 hops away."""
    H = S.to_undirected(as_view=True)
    own = {n: d.get("province", "") for n, d in S.nodes(data=True) if d.get("type") == "Region"}
    out: dict[str, list[str]] = {}
    for node in S:
        if node in own:
            out[node] = [own[node]] if own[node] else []
            continue
        found = {own[m] for m in H[node] if own.get(m)}
        if not found:
            found = {own[x] for m in H[node] for x in H[m] if own.get(x)}
        out[node] = sorted(found)
    return out


class _Strings:
    """Evidence quotes and titles repeat a lot; the page stores each once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def _evidence(strings: _Strings, evidence) -> list[list[int]]:
    return [[strings.add(e.quote), strings.add(e.title)] for e in evidence or ()]


def page_data(sel: Selection, layout: str = "force", title: str = TITLE) -> dict:
    """Everything page.js needs, as plain JSON-ready data (ids are small integers)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    S = sel.graph
    ids = {node: i for i, node in enumerate(S.nodes)}
    force = force_positions(S) if len(S) else {}
    has_geo = any(d.get("lon") is not None for _, d in S.nodes(data=True))
    geo, off_map = geo_layout(S) if has_geo else (force, set())
    provinces = _provinces(S)
    strings = _Strings()
    nodes = []
    for node, d in S.nodes(data=True):
        item = {
            "id": ids[node], "iri": d.get("iri", node), "label": d.get("label") or node,
            "en": d.get("label_en", ""), "alt": list(d.get("alt_labels") or []),
            "type": d.get("type", ""), "cls": class_of(d), "sub": d.get("subtype", ""),
            "code": d.get("code", ""), "chain": list(d.get("parent_chain") or []),
            "prov": d.get("province", ""), "provs": provinces.get(node, []),
            "men": int(d.get("mentions") or 0), "deg": S.degree(node),
            "ev": _evidence(strings, d.get("evidence")),
            "fx": force[node][0], "fy": force[node][1], "gx": geo[node][0], "gy": geo[node][1],
        }
        if d.get("value"):
            item["value"] = f"{d['value']} {d.get('unit', '')}".strip()
        if d.get("count") is not None:
            item["count"] = d["count"]
        nodes.append(item)
    parallel: dict[tuple[int, int], int] = defaultdict(int)
    edges = []
    for j, (u, v, d) in enumerate(S.edges(data=True)):
        pair = (min(ids[u], ids[v]), max(ids[u], ids[v]))
        parallel[pair] += 1
        edges.append({
            "id": j, "from": ids[u], "to": ids[v], "rel": d.get("relation", ""),
            "kind": d.get("kind", ""), "kind_en": d.get("kind_en", ""),
            "since": d.get("since", ""), "dir": bool(d.get("directed", True)),
            "ev": _evidence(strings, d.get("evidence")), "nth": parallel[pair] - 1,
        })
    type_counts = Counter(n["type"] for n in nodes)
    class_counts = Counter(n["cls"] for n in nodes)
    kinds = sorted({e["kind"] for e in edges if e["rel"] == "partner" and e["kind"]})
    province_counts = Counter(n["prov"] for n in nodes if n["prov"])
    return {
        "meta": {
            "title": title, "layout": layout, "has_geo": has_geo,
            "nodes_shown": len(nodes), "edges_shown": len(edges),
            "nodes_total": sel.total_nodes, "edges_total": sel.total_edges,
            "truncated": sel.truncated, "max_nodes": sel.max_nodes,
            "focus": ids.get(sel.focus) if sel.focus else None,
            "geo": {"lon0": GEO_CENTRE[0], "lat0": GEO_CENTRE[1], "scale": GEO_SCALE,
                    "off_map": sorted(ids[n] for n in off_map)},
        },
        "types": [{"name": t, "zh": TYPE_ZH[t], "count": type_counts.get(t, 0)}
                  for t in NODE_TYPES],
        "classes": [{"name": c.name, "type": c.type, "zh": c.zh, "en": c.en,
                     "colour": c.colour, "shape": c.shape, "size": c.size, "font": c.font,
                     "count": class_counts.get(c.name, 0)} for c in CLASSES],
        "relations": {name: {"zh": s.zh, "colour": s.colour, "width": s.width,
                             "dashes": s.dashes} for name, s in RELATION_STYLES.items()},
        "kinds": kinds,
        "provinces": sorted(province_counts, key=lambda p: (-province_counts[p], p)),
        "strings": strings.table(),
        "nodes": nodes,
        "edges": edges,
    }


def json_for_html(data) -> str:
    """JSON that cannot end its <script> element or break a JS parser.

    ``<``, ``>`` and ``&`` become \\u escapes (no ``</script>``, no ``<!--``), and so
    do U+2028/U+2029, which are line breaks in older JavaScript.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, esc)
    return text


def _inline_script(js: str) -> str:
    """Library code made safe to sit inside <script>…</script>."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT") \
        .replace("<!--", "<\\!--")


@cache
def _asset(name: str) -> str:
    """A static part of the page, read once per process (kg build writes a page each run)."""
    return (files("kg.graph") / name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network as shipped inside the pyvis package (no download, no CDN).

    Found without importing pyvis where it is a plain folder (as pip installs it): its
    import (jinja2, IPython, ...) took longer than reading the file, and the page needs
    the file only."""
    spec = find_spec("pyvis")
    locations = spec.submodule_search_locations if spec is not None else None
    node = Path(next(iter(locations))) if locations else files("pyvis")
    for part in _VIS:
        node = node / part
    return node.read_text(encoding="utf-8")


def _notice(meta: dict) -> str:
    if not meta["truncated"]:
        return ""
    shown, total = meta["nodes_shown"], meta["nodes_total"]
    return (f"图较大：只显示连接最多的 {shown:,} 个节点（共 {total:,} 个）。"
            f"Large graph: showing the {shown:,} most connected of {total:,} nodes; "
            "use kg viz --focus NAME or --types to see the rest.")


def render_html(data: dict) -> str:
    """The page for ``page_data`` output: one string, every asset inlined."""
    meta = data["meta"]
    notice = _notice(meta)
    values = {
        "TITLE": html.escape(meta["title"]),
        "CSS": _asset("page.css").replace("</style", "<\\/style"),
        "NODES": str(meta["nodes_shown"]), "EDGES": str(meta["edges_shown"]),
        "NOTICE": html.escape(notice), "NOTICE_HIDDEN": "" if notice else " hidden",
        "VIS_JS": _inline_script(vis_network_js()),
        "DATA": json_for_html(data),
        "PAGE_JS": _inline_script(_asset("page.js")),
    }
    # One pass over the template: text inside the data is never scanned for {{…}}.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _asset("page.html"))


def render_page(G: nx.MultiDiGraph, *, layout: str = "force", types: list[str] | None = None,
                focus: str | None = None, depth: int = 1,
                max_nodes: int | None = DEFAULT_MAX_NODES, title: str = TITLE) -> str:
    """Select, lay out and render: the HTML text of the page for ``G``."""
    sel = select(G, types=types, focus=focus, depth=depth, max_nodes=max_nodes)
    return render_html(page_data(sel, layout=layout, title=title))


def write_page(G: nx.MultiDiGraph, path: str | Path, **options) -> Path:
    """Write the page as UTF-8 (atomically), whatever the platform's default encoding."""
    path = Path(path)
    write_atomic(path, render_page(G, **options))
    return path


def render_store_page(source, *, layout: str = "force",
                      max_nodes: int | None = DEFAULT_MAX_NODES, title: str = TITLE) -> str:
    """The page of a Store (or rdflib Graph): the same text as
    ``render_page(project(source), layout=…, max_nodes=…, title=…)``, at the cost of
    projecting only the nodes shown (see :func:`select_from_store`, which also takes the
    last page's memo: ``render_html(page_data(select_from_store(…, memo=…, changed=…)))``
    is this page drawn after a change, reading only what the change touched)."""
    return render_html(page_data(select_from_store(source, max_nodes=max_nodes),
                                 layout=layout, title=title))


def write_store_page(source, path: str | Path, *, layout: str = "force",
                     max_nodes: int | None = DEFAULT_MAX_NODES, title: str = TITLE) -> Path:
    """:func:`write_page` for a Store (or rdflib Graph)."""
    path = Path(path)
    write_atomic(path, render_store_page(source, layout=layout, max_nodes=max_nodes,
                                         title=title))
    return path


__all__ = ["DEFAULT_MAX_NODES", "LAYOUTS", "Selection", "json_for_html", "page_data",
           "render_html", "render_page", "render_store_page", "select", "select_from_store",
           "vis_network_js", "write_page", "write_store_page"]
