"""Node positions computed in Python, so the page opens still and looks the same every time.

Why precompute: a browser running physics on thousands of nodes keeps moving for
many seconds and lands somewhere different on every load. Positions computed
here with fixed seeds make the page open immediately, still, and identical for
the same graph.

* ``force_positions``: each connected component is laid out on its own with
  NetworkX's spring layout (Fruchterman–Reingold), and the components are
  packed in rows, largest first, so small islands do not fly off to the edges.
  Components above ``EXACT_LIMIT`` nodes use a grid variant of the same
  algorithm (repulsion only between nodes closer than a few edge lengths, found
  with a k-d tree), which takes seconds instead of minutes for 5,000 nodes.
* ``geo_positions``: regions with coordinates are pinned at their longitude and
  latitude (equirectangular, scaled by the cosine of China's central latitude);
  every other node is placed in columns beside the mean of its placed neighbours,
  regions first, so a program sits next to the counties it involves.

Coordinates are in vis-network pixels (y grows downwards), rounded to 0.1.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

SEED = 42
EXACT_LIMIT = 500       # nodes per component laid out with nx.spring_layout
SPREAD = 2.0           # spring_layout k times sqrt(n): more room than the default 1.0
EDGE_LENGTH = 90.0      # target distance between linked nodes, in pixels
NODE_GAP = 45.0         # least median distance from a node to its nearest neighbour
GEO_CENTRE = (104.0, 35.0)  # lon, lat of the projection centre (China)
GEO_SCALE = 90.0        # pixels per degree of latitude
SATELLITE_ROWS = 6       # geo layout: satellites per column beside their anchor
SATELLITE_ROW = 40.0     # vertical distance between satellites (node plus its label)
SATELLITE_GAP = 80.0     # distance of the first column from the anchor
SATELLITE_COLUMN = 180.0  # distance between columns (a label of about ten characters)


def _undirected(G: nx.Graph) -> nx.Graph:
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def _accumulate(disp: np.ndarray, index: np.ndarray, force: np.ndarray) -> None:
    """disp += force summed per node of ``index`` (np.add.at, but much faster)."""
    disp += np.bincount(index, weights=force, minlength=len(disp))


def _grid_spring(C: nx.Graph, seed: int, iterations: int = 80) -> dict:
    """Fruchterman–Reingold with repulsion cut off at 3 edge lengths (unit edge length).

    The forces are computed on the x and the y coordinates as separate contiguous arrays:
    the same arithmetic, in the same order, as on rows of (x, y), but without the copies
    and short-axis sums that took most of the time (150,000 pairs per step at 2,000
    articles)."""
    nodes = list(C)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    edges = np.array([(index[u], index[v]) for u, v in C.edges()], dtype=np.int64)
    # Row 0: one end of each edge, row 1: the other.
    ends = np.ascontiguousarray(edges.reshape(-1, 2).T)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    # Start from a BFS ring layout around the best-connected node: neighbours start
    # near each other, which the local repulsion alone could not achieve.
    start = max(nodes, key=lambda x: (C.degree(x), -index[x]))
    depth = nx.single_source_shortest_path_length(C, start)
    rings: dict[int, list] = defaultdict(list)
    for node in nodes:
        rings[depth.get(node, 0)].append(node)
    pos = np.zeros((n, 2))
    max_depth = max(rings) or 1
    for d, ring in rings.items():
        radius = side * d / max_depth
        for j, node in enumerate(ring):
            angle = 2 * math.pi * j / len(ring) + d
            pos[index[node]] = (radius * math.cos(angle), radius * math.sin(angle))
    pos += rng.normal(scale=0.05, size=pos.shape)
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        x, y = pos[:, 0].copy(), pos[:, 1].copy()
        disp_x, disp_y = np.zeros(n), np.zeros(n)
        pairs = cKDTree(pos).query_pairs(r=3.0, output_type="ndarray")
        if len(pairs):
            a, b = np.ascontiguousarray(pairs.T)
            dx, dy = x[a] - x[b], y[a] - y[b]
            dist2 = np.maximum(dx * dx + dy * dy, 1e-4)
            fx, fy = dx / dist2, dy / dist2
            _accumulate(disp_x, a, fx)
            _accumulate(disp_y, a, fy)
            _accumulate(disp_x, b, -fx)
            _accumulate(disp_y, b, -fy)
        if len(edges):
            a, b = ends
            dx, dy = x[a] - x[b], y[a] - y[b]
            dist = np.sqrt(dx * dx + dy * dy)
            fx, fy = dx * dist, dy * dist
            _accumulate(disp_x, a, -fx)
            _accumulate(disp_y, a, -fy)
            _accumulate(disp_x, b, fx)
            _accumulate(disp_y, b, fy)
        disp = np.column_stack((disp_x, disp_y))
        disp -= 0.02 * (pos - pos.mean(axis=0))  # gravity keeps the parts together
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {node: pos[index[node]] for node in nodes}


def _component_layout(C: nx.Graph, seed: int) -> dict:
    """Positions for one component, scaled so linked nodes are about EDGE_LENGTH apart."""
    n = C.number_of_nodes()
    if n == 1:
        return {next(iter(C)): np.zeros(2)}
    if n == 2:
        a, b = sorted(C)
        return {a: np.array([-EDGE_LENGTH / 2, 0.0]), b: np.array([EDGE_LENGTH / 2, 0.0])}
    if n <= EXACT_LIMIT:
        raw = nx.spring_layout(C, seed=seed, k=SPREAD / math.sqrt(n), iterations=200)
    else:
        raw = _grid_spring(C, seed)
    pts = np.array([raw[v] for v in C])
    ends = np.array([(raw[u], raw[v]) for u, v in C.edges()]).reshape(-1, 2, 2)
    lengths = np.linalg.norm(ends[:, 0] - ends[:, 1], axis=1)  # one call, not one per edge
    typical = float(np.median(lengths)) if len(lengths) else 1.0
    # Linked nodes about EDGE_LENGTH apart, and never closer than NODE_GAP to the
    # nearest node (dense tangles would otherwise pile up into one blot).
    nearest = float(np.median(cKDTree(pts).query(pts, k=2)[0][:, 1]))
    scale = max(EDGE_LENGTH / max(typical, 1e-9), NODE_GAP / max(nearest, 1e-9))
    centre = pts.mean(axis=0)
    return {v: (raw[v] - centre) * scale for v in C}


def _label_width(G: nx.Graph, node) -> float:
    return max(EDGE_LENGTH, 14.0 * len(str(G.nodes[node].get("label", ""))) + 20.0)


def force_positions(G: nx.Graph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Spring layout per component, components packed in rows (largest first)."""
    H = _undirected(G)
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c))
    layouts = []
    for comp in comps:
        C = nx.Graph()
        C.add_nodes_from(comp)
        C.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in H.subgraph(comp).edges()))
        pos = _component_layout(C, seed)
        pts = np.array(list(pos.values()))
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        if len(comp) == 1:  # as wide as its label, so lone nodes in a row keep labels apart
            half = (_label_width(G, comp[0]) - EDGE_LENGTH) / 2
            pad = np.array([half, 0.0])
            lo, hi = lo - pad, hi + pad
        layouts.append((pos, lo, hi))
    if not layouts:
        return {}
    total_area = sum(float(np.prod(hi - lo + EDGE_LENGTH)) for _, lo, hi in layouts)
    row_width = max(math.sqrt(total_area) * 1.3, float(layouts[0][2][0] - layouts[0][1][0]))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, lo, hi in layouts:
        w, h = (hi - lo) + EDGE_LENGTH
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, p in pos.items():
            out[node] = (round(float(p[0] - lo[0] + x), 1), round(float(p[1] - lo[1] + y), 1))
        x += w
        row_height = max(row_height, h)
    return out


def project_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection around GEO_CENTRE, in pixels (north up)."""
    lon0, lat0 = GEO_CENTRE
    x = (lon - lon0) * GEO_SCALE * math.cos(math.radians(lat0))
    y = -(lat - lat0) * GEO_SCALE
    return round(x, 1), round(y, 1)


def _beside(anchor: tuple[float, float], i: int,
            side: int | None) -> tuple[tuple[float, float], int]:
    """The i-th satellite of an anchor: in columns of SATELLITE_ROWS, left and right
    alternately, or all on ``side`` (away from the anchor's own anchor) for satellites
    of satellites, so horizontal labels do not overlap and chains grow outwards."""
    if side is None:
        side = 1 if i % 2 == 0 else -1
        row, column = (i // 2) % SATELLITE_ROWS, i // (2 * SATELLITE_ROWS)
    else:
        row, column = i % SATELLITE_ROWS, i // SATELLITE_ROWS
    x = anchor[0] + side * (SATELLITE_GAP + column * SATELLITE_COLUMN)
    y = anchor[1] + (row - (SATELLITE_ROWS - 1) / 2) * SATELLITE_ROW
    return (round(x, 1), round(y, 1)), side


def geo_positions(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """Regions at their coordinates; other nodes in columns beside their placed neighbours."""
    return geo_layout(G)[0]


def geo_layout(G: nx.Graph) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """geo_positions, and the nodes that are off the map (linked to no placed region)."""
    H = _undirected(G)
    pos: dict[str, tuple[float, float]] = {}
    for node, d in sorted(G.nodes(data=True)):
        if d.get("lon") is not None and d.get("lat") is not None:
            pos[node] = project_lonlat(float(d["lon"]), float(d["lat"]))
    crowd: dict[object, int] = defaultdict(int)  # satellites placed per anchor, across rounds
    side_of: dict[str, int] = {}  # which side of its anchor a satellite went (+1 right)
    # Two rounds: first only regions (zones and groupings near their members), then all.
    for regions_only in (True, False):
        while True:
            batch: dict[str, tuple[tuple[float, float], str | None]] = {}
            for node in sorted(H):
                if node in pos:
                    continue
                if regions_only and G.nodes[node].get("type") != "Region":
                    continue
                placed = [m for m in sorted(H[node]) if m in pos]
                if placed:
                    anchor = (sum(pos[m][0] for m in placed) / len(placed),
                              sum(pos[m][1] for m in placed) / len(placed))
                    batch[node] = (anchor, placed[0] if len(placed) == 1 else None)
            if not batch:
                break
            for node, (anchor, parent) in sorted(batch.items()):
                key = parent or (round(anchor[0]), round(anchor[1]))
                i = crowd[key]
                crowd[key] += 1
                pos[node], side_of[node] = _beside(anchor, i, side_of.get(parent or ""))
    # Nodes linked to nothing placed: a grid below the map (and below its 15°N line).
    rest = sorted(n for n in H if n not in pos)
    if rest:
        left, bottom = project_lonlat(75.0, 15.0)
        bottom = max([bottom, *(p[1] for p in pos.values())]) + 120.0
        columns = max(1, int(math.sqrt(len(rest)) * 2))
        for i, node in enumerate(rest):
            pos[node] = (round(left + (i % columns) * 120.0, 1),
                         round(bottom + (i // columns) * 50.0, 1))
    return pos, set(rest)


__all__ = ["EXACT_LIMIT", "force_positions", "geo_layout", "geo_positions", "project_lonlat"]
