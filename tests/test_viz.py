"""The page as a file: self-contained, escaped, deterministic; selection and layouts.

What the page does in a browser is tested in test_viz_browser.py.
"""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from graph_data import (
    PAYLOAD_IMG,
    PAYLOAD_SCRIPT,
    SEED_TTL,
    XSS_LABEL,
    node_by_label,
    seed_projection,
    seed_store,
    synthetic,
    xss_projection,
)

from kg.cli import main
from kg.graph import viz
from kg.graph.analyse import EntityNameError
from kg.graph.layout import (
    EXACT_LIMIT,
    _grid_spring,
    force_positions,
    geo_positions,
    project_lonlat,
)


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_page_is_self_contained_with_counts():
    G = seed_projection()
    page = viz.render_page(G)
    assert f'<span id="kg-node-count">{G.number_of_nodes()}</span>' in page
    assert f'<span id="kg-edge-count">{G.number_of_edges()}</span>' in page
    # nothing is loaded from elsewhere: no link, no src, no @import, no CDN
    assert "<link" not in page and not re.search(r"<script[^>]*\ssrc=", page)
    assert "@import" not in page and "cdn" not in page.lower()
    assert "default-src 'none'" in page  # and the browser is told to refuse any request
    assert "vis-network" in page  # the library is inlined
    data = embedded_data(page)
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == 190


def test_page_is_deterministic_and_written_as_utf8(tmp_path):
    G = seed_projection()
    assert viz.render_page(G) == viz.render_page(seed_projection())
    path = viz.write_page(G, tmp_path / "regionkg.html")
    raw = path.read_bytes()
    assert "道孚县".encode() in raw
    assert raw.decode("utf-8") == viz.render_page(G)


def test_data_is_escaped_so_no_markup_leaves_the_json():
    page = viz.render_page(xss_projection())
    body = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    for bad in ("<", ">", "\u2028", "\u2029"):
        assert bad not in body
    assert PAYLOAD_SCRIPT not in page and PAYLOAD_IMG not in page
    data = embedded_data(page)
    assert XSS_LABEL in [n["label"] for n in data["nodes"]]  # the text survives, as text
    assert any(PAYLOAD_IMG in s for s in data["strings"])


def test_json_for_html_escapes_line_separators_and_ampersands():
    text = viz.json_for_html({"a": "x\u2028y\u2029z & </script><!--"})
    assert text == ('{"a":"x\\u2028y\\u2029z \\u0026 \\u003c/script\\u003e\\u003c!--"}')
    assert json.loads(text) == {"a": "x\u2028y\u2029z & </script><!--"}


def test_template_placeholders_in_the_data_are_not_expanded():
    G = seed_projection()
    G.nodes[node_by_label(G, "道孚县")]["label"] = "{{PAGE_JS}}{{VIS_JS}}"
    page = viz.render_page(G)
    assert page.count("regionkg page: draws the graph") == 1


def test_select_types_focus_and_depth():
    G = seed_projection()
    regions = viz.select(G, types=["Region"]).graph
    assert {d["type"] for _, d in regions.nodes(data=True)} == {"Region"}
    focus = viz.select(G, focus="道孚县", depth=1)
    daofu = node_by_label(G, "道孚县")
    assert focus.focus == daofu
    assert set(focus.graph) == {daofu} | set(G.successors(daofu)) | set(G.predecessors(daofu))
    assert len(viz.select(G, focus="道孚县", depth=2).graph) > len(focus.graph)
    with pytest.raises(EntityNameError):
        viz.select(G, focus="火星")
    with pytest.raises(ValueError, match="unknown type"):
        viz.select(G, types=["Planet"])


def test_beyond_the_limit_the_most_connected_part_is_shown_and_said():
    G = seed_projection()
    sel = viz.select(G, max_nodes=40)
    assert sel.truncated and len(sel.graph) == 40
    kept_degree = min(G.degree(n) for n in sel.graph)
    assert all(G.degree(n) <= kept_degree for n in G if n not in sel.graph)
    page = viz.render_html(viz.page_data(sel))
    assert "只显示连接最多的 40 个节点（共 167 个）" in page
    assert 'id="kg-notice" hidden' not in page
    assert '<div id="kg-notice" hidden>' in viz.render_page(G)


@pytest.mark.parametrize("max_nodes", [0, 20, None])
def test_the_page_of_a_store_is_the_page_of_its_whole_projection(tmp_path, max_nodes):
    """render_store_page projects only the nodes shown; the page is the same, byte for byte."""
    page = viz.render_page(seed_projection(), max_nodes=max_nodes)
    assert viz.render_store_page(seed_store(), max_nodes=max_nodes) == page
    out = viz.write_store_page(seed_store(), tmp_path / "page.html", max_nodes=max_nodes)
    assert out.read_bytes() == page.encode("utf-8")


def test_a_capped_page_holds_at_most_the_cap_and_says_it_is_a_part(tmp_path):
    G = seed_projection()
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(SEED_TTL), "-o", str(out),
                                       "--max-nodes", "20"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page == viz.render_page(G, max_nodes=20)
    data = embedded_data(page)
    assert len(data["nodes"]) <= 20 and data["meta"]["truncated"]
    assert data["meta"]["nodes_total"] == G.number_of_nodes() == 167
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert "只显示连接最多的 20 个节点（共 167 个）" in page
    assert "showing the 20 most connected of 167 nodes" in page
    assert '<div id="kg-notice" hidden>' not in page


def test_kg_viz_caps_at_the_page_modules_default():
    from kg.cli_graph import viz as viz_command

    (option,) = [p for p in viz_command.params if p.name == "max_nodes"]
    assert option.default == viz.DEFAULT_MAX_NODES


def test_force_layout_is_deterministic_and_spread():
    G = seed_projection()
    pos = force_positions(G)
    assert pos == force_positions(seed_projection())
    assert set(pos) == set(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


def test_large_graph_layout_uses_the_grid_variant():
    G = synthetic(1200)
    pos = force_positions(G)
    assert set(pos) == set(G) and len(set(pos.values())) == len(pos)


def _grid_spring_by_rows(C, seed: int, iterations: int = 80) -> dict:
    """The grid variant as first written, on rows of (x, y): what _grid_spring must equal."""
    import networkx as nx
    import numpy as np
    from scipy.spatial import cKDTree

    def accumulate(disp, index, force):
        disp[:, 0] += np.bincount(index, weights=force[:, 0], minlength=len(disp))
        disp[:, 1] += np.bincount(index, weights=force[:, 1], minlength=len(disp))

    nodes = list(C)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    edges = np.array([(index[u], index[v]) for u, v in C.edges()], dtype=np.int64)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    start = max(nodes, key=lambda x: (C.degree(x), -index[x]))
    depth = nx.single_source_shortest_path_length(C, start)
    rings: dict = {}
    for node in nodes:
        rings.setdefault(depth.get(node, 0), []).append(node)
    pos = np.zeros((n, 2))
    max_depth = max(rings) or 1
    for d, ring in rings.items():
        for j, node in enumerate(ring):
            angle = 2 * math.pi * j / len(ring) + d
            radius = side * d / max_depth
            pos[index[node]] = (radius * math.cos(angle), radius * math.sin(angle))
    pos += rng.normal(scale=0.05, size=pos.shape)
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        pairs = cKDTree(pos).query_pairs(r=3.0, output_type="ndarray")
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist2 = np.maximum((delta * delta).sum(axis=1), 1e-4)
            force = delta / dist2[:, None]
            accumulate(disp, pairs[:, 0], force)
            accumulate(disp, pairs[:, 1], -force)
        delta = pos[edges[:, 0]] - pos[edges[:, 1]]
        dist = np.sqrt((delta * delta).sum(axis=1))
        force = delta * dist[:, None]
        accumulate(disp, edges[:, 0], -force)
        accumulate(disp, edges[:, 1], force)
        disp -= 0.02 * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {node: pos[index[node]] for node in nodes}


def test_grid_layout_on_x_and_y_arrays_is_the_row_layout_bit_for_bit():
    """Why: pages must stay byte-identical across the vectorised grid variant."""
    import networkx as nx

    H = nx.Graph(synthetic(1200).to_undirected())
    H.remove_edges_from(nx.selfloop_edges(H))
    comp = sorted(max(nx.connected_components(H), key=len))
    assert len(comp) > EXACT_LIMIT
    C = nx.Graph()
    C.add_nodes_from(comp)
    C.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in H.subgraph(comp).edges()))
    ours, rows = _grid_spring(C, 42), _grid_spring_by_rows(C, 42)
    assert list(ours) == list(rows)
    assert all(ours[n].tobytes() == rows[n].tobytes() for n in ours)


def test_vis_network_is_read_without_importing_pyvis():
    """Why: pyvis's import (jinja2, IPython) took longer than reading the file it ships."""
    code = ("import sys; from kg.graph import viz; js = viz.vis_network_js(); "
            "assert 'pyvis' not in sys.modules; "
            "from importlib.resources import files; "
            "assert js == (files('pyvis') / 'lib' / 'vis-9.1.2' / 'vis-network.min.js')"
            ".read_text(encoding='utf-8')")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


def test_geo_layout_pins_regions_and_places_others_near_them():
    G = seed_projection()
    pos = geo_positions(G)
    daofu = node_by_label(G, "道孚县")
    d = G.nodes[daofu]
    assert pos[daofu] == project_lonlat(d["lon"], d["lat"])
    park = node_by_label(G, "道孚县农特产品加工园区")  # a program that involves 道孚县
    assert math.dist(pos[park], pos[daofu]) < 200
    x_hz, _ = pos[node_by_label(G, "浙江省")]
    x_sc, _ = pos[node_by_label(G, "四川省")]
    assert x_hz > x_sc  # east is right


def test_kg_viz_writes_the_page_and_reports_bad_input(tmp_path):
    out = tmp_path / "page.html"
    args = ["viz", "--graph", str(SEED_TTL), "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--layout", "geo", "--types", "Region,Strategy"])
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["meta"]["layout"] == "geo"
    assert {n["type"] for n in data["nodes"]} == {"Region", "Strategy"}
    result = CliRunner().invoke(main, [*args, "--focus", "火星"])
    assert result.exit_code == 1 and "no entity called '火星'" in result.output
    result = CliRunner().invoke(main, ["viz", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1 and "none.ttl: no such file" in result.output


def test_kg_build_writes_the_page_next_to_the_turtle(tmp_path):
    src = tmp_path / "in" / "a.md"
    src.parent.mkdir()
    src.write_text("---\ntitle: 浙川协作\n---\n\n浙江省与四川省开展对口支援。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(src.parent), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "regionkg.html").read_text(encoding="utf-8")
    assert {"浙江省", "四川省"} <= {n["label"] for n in embedded_data(page)["nodes"]}
    assert f"wrote {tmp_path / 'out' / 'regionkg.html'}" in result.output
